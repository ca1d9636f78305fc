class User(Base)
    pass

def f()
    pass

if x
    pass

for i in range(3)
    pass

while x
    pass

with open("f") as f
    pass

try
    pass
except ValueError
    pass
