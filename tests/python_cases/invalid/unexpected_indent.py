import os
    import sys

def f():
    return 1
        x = 2
    return 3
