"""gadgets

Revision ID: 0006f
Revises: 0005e
Create Date: 2026-01-05 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006f'
down_revision: Union[str, Sequence[str], None] = '0005e'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('gadget',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('code', sa.String(), nullable=True),
    sa.Column('label', sa.Unicode(length=40), nullable=True),
    sa.Column('notes', sa.UnicodeText(), nullable=True),
    sa.Column('flag', sa.Boolean(), nullable=True),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('starts', sa.Time(), nullable=True),
    sa.Column('ratio', sa.Double(), nullable=True),
    sa.Column('small', sa.SmallInteger(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('uid', sa.Uuid(), nullable=True),
    sa.Column('size', sa.Enum('small', 'large', name='gadget_size'), nullable=True),
    sa.Column('span', sa.Interval(), nullable=True),
    sa.Column('grade', sa.CHAR(length=2), nullable=True),
    sa.Column('title', sa.VARCHAR(length=20), nullable=True),
    sa.Column('stamp', sa.TIMESTAMP(), nullable=True),
    sa.Column('amount', sa.DECIMAL(precision=8, scale=3), nullable=True),
    sa.Column('weight', sa.REAL(), nullable=True),
    sa.Column('made', sa.DATETIME(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('order', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name='fk_gadget_owner', onupdate='CASCADE', ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name='pk_gadget'),
    sa.CheckConstraint('small > 0', name='ck_gadget_small')
    )
    op.create_index('ix_gadget_code_label', 'gadget', ['code', 'label'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_gadget_code_label', table_name='gadget')
    op.drop_table('gadget')
