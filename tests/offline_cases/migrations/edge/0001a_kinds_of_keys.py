"""kinds of keys

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
    op.create_table('member',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('nick', sa.String(length=40, collation='C'), nullable=False),
    sa.Column('mood', sa.Enum('happy', 'sad', name='mood'), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('joined', sa.DateTime(), server_default=sa.text('CURRENT_TIMESTAMP'), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('profile',
    sa.Column('member_id', sa.BigInteger(), nullable=False),
    sa.Column('mood', sa.Enum('happy', 'sad', name='mood'), nullable=True),
    sa.Column('bio', sa.UnicodeText(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name='fk_profile_member', ondelete='CASCADE', deferrable=True, initially='DEFERRED'),
    sa.PrimaryKeyConstraint('member_id')
    )
    op.create_table('tag',
    sa.Column('code', sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.Column('label', sa.Unicode(length=30), nullable=False),
    sa.PrimaryKeyConstraint('code'),
    sa.UniqueConstraint('label', name='uq_tag_label')
    )
    op.create_table('counter',
    sa.Column('id', sa.SmallInteger(), nullable=False),
    sa.Column('value', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('member_tag',
    sa.Column('member_id', sa.BigInteger(), nullable=False),
    sa.Column('tag_code', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['tag_code'], ['tag.code'], ),
    sa.PrimaryKeyConstraint('member_id', 'tag_code')
    )
    tag = sa.table('tag', sa.column('code', sa.SmallInteger), sa.column('label', sa.Unicode))
    op.bulk_insert(tag, [{'code': 1, 'label': 'new'}, {'code': 2, 'label': None}])
    op.execute(sa.text('UPDATE member SET active = :on WHERE nick = :nick').bindparams(on=False, nick='x'))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('member_tag')
    op.drop_table('counter')
    op.drop_table('tag')
    op.drop_table('profile')
    op.drop_table('member')
