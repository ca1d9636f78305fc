"""add and drop columns

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
    op.add_column('user', sa.Column('age', sa.Integer(), nullable=True))
    op.add_column('user', sa.Column('bio', sa.Text(), server_default='', nullable=False))
    op.add_column('post', sa.Column('views', sa.BigInteger(), server_default=sa.text('0'), nullable=False))
    op.create_index('ix_post_title', 'post', ['title'], unique=True)
    op.drop_column('post', 'published_on')


def downgrade() -> None:
    """Downgrade schema."""
    op.add_column('post', sa.Column('published_on', sa.DATE(), nullable=True))
    op.drop_index('ix_post_title', table_name='post')
    op.drop_column('post', 'views')
    op.drop_column('user', 'bio')
    op.drop_column('user', 'age')
