"""seed users

Revision ID: 0002b
Revises: 0001a
Create Date: 2026-01-05 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0002b'
down_revision: Union[str, Sequence[str], None] = '0001a'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

user = sa.table(
    "user",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("role", sa.String),
)


def upgrade() -> None:
    """Upgrade schema."""
    op.execute("INSERT INTO user (name, role) VALUES ('admin', 'admin')")
    op.execute(
        sa.text("INSERT INTO user (name) VALUES (:name)").bindparams(name="guest")
    )
    op.bulk_insert(
        user,
        [
            {"name": "ann", "role": "editor"},
            {"name": "bob", "role": "viewer"},
        ],
    )
    op.execute(
        user.update()
        .where(user.c.name == op.inline_literal("bob"))
        .values(role=op.inline_literal("editor"))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("DELETE FROM user")
