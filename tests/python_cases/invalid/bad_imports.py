from x import a,
from x import (a, b
import a.b as
