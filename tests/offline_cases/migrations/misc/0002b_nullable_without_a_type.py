"""nullable without a type

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


def upgrade() -> None:
    """Upgrade schema."""
    op.alter_column('account', 'note', nullable=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.alter_column('account', 'note', nullable=True)
