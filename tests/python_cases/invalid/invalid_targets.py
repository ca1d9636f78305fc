1 = x
f() = 1
a + b = 1
None = 1
(a, 1) = x
f() += 1
a, b += 1
del f()
for f() in x:
    pass
a, b: int
f(): int = 1
[x for f() in y]
with a as f():
    pass
x = f() = 1
(a.b := 1)
