"""constraints and rename

Revision ID: 0004d
Revises: 0003c
Create Date: 2026-01-05 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004d'
down_revision: Union[str, Sequence[str], None] = '0003c'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_unique_constraint('uq_user_name', 'user', ['name'])
    op.add_column('post', sa.Column('editor_id', sa.Integer(), nullable=True))
    op.create_foreign_key('fk_post_editor', 'post', 'user', ['editor_id'], ['id'])
    op.create_check_constraint('ck_user_age', 'user', 'age >= 0')
    op.rename_table('post', 'article')


def downgrade() -> None:
    """Downgrade schema."""
    op.rename_table('article', 'post')
    op.drop_constraint('ck_user_age', 'user', type_='check')
    op.drop_constraint('fk_post_editor', 'post', type_='foreignkey')
    op.drop_column('post', 'editor_id')
    op.drop_constraint('uq_user_name', 'user', type_='unique')
