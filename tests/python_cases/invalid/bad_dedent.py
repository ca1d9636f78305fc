def upgrade():
        op.drop_table("a")
    op.drop_table("b")


class A:
    x = 1
  y = 2
