# Operator precedence and associativity, one statement per rule.
a = not x == y
b = -x ** 2
c = 2 ** -1
d = 2 ** 3 ** 2
e = a or b and not c
f = x if y else z if w else v
g = lambda: 0
h = lambda x, *args, y=1, **kw: x + y
i = 1 + 2 * 3 - 4 / 5 // 6 % 7 @ m
j = a | b ^ c & d << 1 >> 2
k = 1 < x <= 10 != y is not None
l = x not in y and z in w and p is q
m = ~x + +y - -z
n = (a, b) == (c, d)
o = a if not b else -c
p = await_ = 3
q = x[1:2], x[::2], x[:, 1], x[a:b:c], x[1:], x[:-1]
r = Dict[str, int]
s = f(*args, **kwargs)
t = f(a, b=1, *c, **d)
u = f(x for x in y)
v = (yield)
w = [*a, *b]
x = {**a, "k": 1, **b}
y = {1, 2, *s}
z = obj.attr.method(1)(2)[3].field
aa = ...
bb = None, True, False
cc = -1
dd = a @ b
ee = (lambda: (yield))
ff = x if (y := f(x)) else z
gg = not not x
hh = a < b < c
ii = (a + b) * c
jj = a * (b + c)
kk = a - b - c
ll = a ** b * c
