x = 1 if y
z = lambda x: 
w = [x for x in]
v = a if b else
