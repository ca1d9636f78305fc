"""Every kind of statement the reader supports."""
import os
import os.path as osp, sys
from . import sibling
from .. import parent
from ...pkg.sub import (
    a,
    b as bee,
)
from __future__ import annotations
from x import *

x = y = 0
a, b = b, a
(c, d), e = (1, 2), 3
[f, g] = h
first, *rest = items
obj.attr = obj.items[0] = 1
x += 1
x -= 1; y *= 2; z //= 3
x **= 2
x @= m
x |= 1
x >>= 2
count: int
name: str = "n"
self.value: Optional[int] = None
table[key]: int = 0

del x, y[0], z.attr
assert x, "message"
assert isinstance(x, int)
global counter
pass


def outer():
    value = 1

    def inner(a, b, /, c, *, d, e=2, **kwargs) -> int:
        nonlocal value
        return a + b + c + d + e

    def positional_only(a, /):
        return a

    def star_args(*args: int, key: str = "k") -> None:
        return

    return inner


async def fetch(session, *urls):
    async with session.get(urls[0]) as response, session.lock:
        async for chunk in response.content:
            yield chunk
    result = await session.close()
    return result


def generator():
    yield 1
    yield from range(3)
    x = yield
    y = yield 1, 2


@decorator
@decorator.with_args(1, key="value")
@(lambda f: f)
class Model(Base, metaclass=Meta, **options):
    """Docstring."""

    class Config:
        orm_mode = True

    def method(self):
        ...


if a:
    pass
elif b:
    pass
elif c:
    pass
else:
    pass

for i in range(10):
    if i % 2:
        continue
    if i > 8:
        break
else:
    done = True

for key, value in mapping.items():
    print(key, value)

for (i, j) in pairs: print(i, j)

while not done:
    done = step()
else:
    finished()

try:
    risky()
except ValueError as error:
    raise RuntimeError("bad value") from error
except (KeyError, IndexError):
    raise
except Exception:
    pass
else:
    ok()
finally:
    cleanup()

try:
    pass
finally:
    pass

with open("a") as fa, open("b") as fb:
    pass

with (
    open("a") as fa,
    open("b") as fb,
):
    pass

with (a, b) as c:
    pass

with lock:
    pass

if x: y = 1; z = 2

class Empty: pass

def one_liner(): return 1

squares = [n * n for n in range(10) if n % 2 == 0 if n > 2]
pairs = [(i, j) for i in range(3) for j in range(i)]
lookup = {k: v for k, v in items}
unique = {x.lower() for x in words}
total = sum(x for x in numbers)
nested = [[y for y in row] for row in grid]
asynchronous = [x async for x in aiter() if await x]
