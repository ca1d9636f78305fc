x = 1 2
y = = 1
print "hello"
z = 3 +
import
from x import
class = 1
