def a(x=1, y):
    pass
def b(*):
    pass
def c(/, x):
    pass
def d(*a, *b):
    pass
def e(**k, x):
    pass
def g(x y):
    pass
def h:
    pass
