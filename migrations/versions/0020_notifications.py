"""notification settings per person: replies and updates on colleagues' requests, status
changes of one's own requests, maintenance notices

Revision ID: notifications_0001
Revises: search_groups_0001
Create Date: 2026-12-02 04:45:00

Issue 18 (Build: notification settings). Three switches on users, NOT NULL with the server
default true: every existing person keeps getting exactly the mails they got before, and no
table is recreated.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'notifications_0001'
down_revision = 'search_groups_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('mail_colleagues', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('mail_status', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('mail_maintenance', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', recreate='never') as batch_op:
        batch_op.drop_column('mail_maintenance')
        batch_op.drop_column('mail_status')
        batch_op.drop_column('mail_colleagues')
