op.create_table("user",
    sa.Column("id", sa.Integer(), nullable=False),
