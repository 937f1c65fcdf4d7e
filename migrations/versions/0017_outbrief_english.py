"""outbriefs in English too: title, summary, recommendations and each finding's title and detail

Revision ID: outbrief_english_0001
Revises: sign_in_0001
Create Date: 2026-12-02 01:40:00

Issue 18 (defect 10): the English outbrief was mostly Japanese. The English columns are added
empty (an existing outbrief is then in Japanese only, and its English PDF says so), NOT NULL
with a constant server default, so no table is recreated.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'outbrief_english_0001'
down_revision = 'sign_in_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbriefs', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('title_en', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('summary_en', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('recommendations_en', sa.JSON(), server_default='[]', nullable=False))
    with op.batch_alter_table('outbrief_findings', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('title_en', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('detail_en', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('outbrief_findings', recreate='never') as batch_op:
        batch_op.drop_column('detail_en')
        batch_op.drop_column('title_en')
    with op.batch_alter_table('outbriefs', recreate='never') as batch_op:
        batch_op.drop_column('recommendations_en')
        batch_op.drop_column('summary_en')
        batch_op.drop_column('title_en')
