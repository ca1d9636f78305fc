try:
    x = 1
x = 2

try:
    pass
else:
    pass
