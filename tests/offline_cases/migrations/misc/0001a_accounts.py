"""accounts

Revision ID: 0001a
Revises: 
Create Date: 2026-01-05 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0001a'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False, comment='primary id'),
    sa.Column('handle', sa.String(length=30), nullable=False),
    sa.Column('balance', sa.Numeric(precision=12, scale=2), server_default=sa.text('0'), nullable=False),
    sa.Column('opened', sa.Date(), server_default=sa.func.current_date(), nullable=True),
    sa.Column('touched', sa.DateTime(timezone=True), server_default=sa.func.current_timestamp(), nullable=True),
    sa.Column('note', sa.String(length=200), server_default="it's new", nullable=True),
    sa.Column('Kind', sa.String(length=10), nullable=True),
    sa.Column('vip', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    comment='customer accounts'
    )
    op.add_column('account', sa.Column('code', sa.String(length=10), nullable=True))
    op.create_index(op.f('ix_account_code'), 'account', ['code'], unique=True)
    op.alter_column('account', 'id', existing_type=sa.Integer(), autoincrement=True, nullable=False)
    op.alter_column('account', 'handle', existing_type=sa.String(length=30), comment='public handle', existing_nullable=False)
    op.create_index('ix_account_handle_lower', 'account', [sa.text('lower(handle)')], unique=False)
    op.create_table('entry',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Float(precision=24), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ),
    sa.PrimaryKeyConstraint('account_id', 'seq')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('entry')
    op.drop_index('ix_account_handle_lower', table_name='account')
    op.drop_table('account')
