class User(Base):
__tablename__ = "users"

def upgrade() -> None:
# a comment is not a block
pass

for x in y:
print(x)

try:
    pass
except Exception:
pass

if x:
    pass
else:
