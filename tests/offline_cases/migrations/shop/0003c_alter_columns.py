"""alter columns

Revision ID: 0003c
Revises: 0002b
Create Date: 2026-01-05 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0003c'
down_revision: Union[str, Sequence[str], None] = '0002b'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.alter_column('user', 'name',
               existing_type=sa.String(length=50),
               type_=sa.String(length=100),
               existing_nullable=False)
    op.alter_column('user', 'email',
               existing_type=sa.String(length=120),
               nullable=False)
    op.alter_column('user', 'age',
               existing_type=sa.Integer(),
               type_=sa.SmallInteger())
    op.alter_column('post', 'views',
               existing_type=sa.BigInteger(),
               server_default=sa.text('1'),
               existing_nullable=False)
    op.alter_column('user', 'bio',
               existing_type=sa.Text(),
               server_default=None,
               existing_nullable=False)
    op.alter_column('post', 'body', new_column_name='content', existing_type=sa.Text())


def downgrade() -> None:
    """Downgrade schema."""
    op.alter_column('post', 'content', new_column_name='body', existing_type=sa.Text())
    op.alter_column('user', 'bio',
               existing_type=sa.Text(),
               server_default='',
               existing_nullable=False)
    op.alter_column('post', 'views',
               existing_type=sa.BigInteger(),
               server_default=sa.text('0'),
               existing_nullable=False)
    op.alter_column('user', 'age',
               existing_type=sa.SmallInteger(),
               type_=sa.Integer())
    op.alter_column('user', 'email',
               existing_type=sa.String(length=120),
               nullable=True)
    op.alter_column('user', 'name',
               existing_type=sa.String(length=100),
               type_=sa.String(length=50),
               existing_nullable=False)
