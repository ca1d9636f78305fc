x = "abc
y = 2
name = 'unclosed
