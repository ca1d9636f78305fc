"""left branch

Revision ID: 0002x
Revises: 0001a
Create Date: 2026-01-05 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0002x'
down_revision: Union[str, Sequence[str], None] = '0001a'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('member', sa.Column('email', sa.String(length=200), nullable=True))
    op.create_index('ix_member_email', 'member', ['email'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_member_email', table_name='member')
    op.drop_column('member', 'email')
