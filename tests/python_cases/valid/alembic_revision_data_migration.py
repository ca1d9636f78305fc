"""add status column and backfill

Revision ID: 3f2a9c1d7b44
Revises: 0001a
Create Date: 2024-05-01 12:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.sql import table, column


# revision identifiers, used by Alembic.
revision: str = '3f2a9c1d7b44'
down_revision: Union[str, Sequence[str], None] = '0001a'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

todo = table(
    "todos",
    column("id", sa.Integer),
    column("status", sa.String),
)


def upgrade() -> None:
    op.create_table(
        'todos_archive',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), ...),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table("todos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=20), server_default="open", nullable=False))
        batch_op.create_index(batch_op.f("ix_todos_status"), ["status"], unique=False)
    op.execute(
        "UPDATE todos SET status = 'done' "
        "WHERE is_completed = 1"
    )
    op.bulk_insert(todo, [{"id": 1, "status": "open"}, {"id": 2, "status": "done"}])
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, title FROM todos WHERE id > :n"), {"n": 10}).fetchall()
    for row_id, title in rows:
        conn.execute(
            sa.text("UPDATE todos SET title = :t WHERE id = :i"),
            {"t": title.strip().title(), "i": row_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("todos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_todos_status"))
        batch_op.drop_column("status")
    op.drop_table('todos_archive')
