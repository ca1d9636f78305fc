"""right branch

Revision ID: 0002y
Revises: 0001a
Create Date: 2026-01-05 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0002y'
down_revision: Union[str, Sequence[str], None] = '0001a'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.alter_column('tag', 'label', existing_type=sa.Unicode(length=30), type_=sa.Unicode(length=60), existing_nullable=False)
    op.alter_column('counter', 'value', existing_type=sa.Integer(), server_default=sa.text('1'), existing_server_default=sa.text('0'), existing_nullable=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.alter_column('counter', 'value', existing_type=sa.Integer(), server_default=sa.text('0'), existing_server_default=sa.text('1'), existing_nullable=False)
    op.alter_column('tag', 'label', existing_type=sa.Unicode(length=60), type_=sa.Unicode(length=30), existing_nullable=False)
