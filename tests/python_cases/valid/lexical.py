# Comments, blank lines, joined lines and unusual layout.

x = (1 +   # comment inside brackets
     2)

y = [
    1,
    2,  # trailing comma
]


total = 1 + \
        2 + \
    3

if x:

    # a comment at a different indentation
        # and another
    z = 1

    w = 2
def f():
	return 1  # a tab-indented body is fine
def g():
        return 2
class Ünïcödé:
    nombre_año = "señal"
    变量 = 1
d = {
    'a': 1,
        'b': 2,
}
s = """a triple-quoted string
    with indentation that is not code
"""
# a file ending in a comment without a newline
