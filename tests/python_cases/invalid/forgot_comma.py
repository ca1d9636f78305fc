x = [1 2]
y = f(a b)
z = {"a": 1 "b": 2}
t = (x y)
