"""seed data

Revision ID: 0005e
Revises: 0004d
Create Date: 2026-01-05 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005e'
down_revision: Union[str, Sequence[str], None] = '0004d'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

user = sa.table(
    "user",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("is_active", sa.Boolean),
    sa.column("score", sa.Float),
)


def upgrade() -> None:
    """Upgrade schema."""
    op.bulk_insert(
        user,
        [
            {"id": 1, "name": "ann", "is_active": True, "score": 1.5},
            {"id": 2, "name": "o'brien", "is_active": False},
        ],
    )
    op.execute("UPDATE article SET title = 'Hello' WHERE id = 1")
    op.execute(
        sa.text("UPDATE user SET bio = :bio WHERE id = :id").bindparams(bio="it's me", id=1)
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("DELETE FROM user")
