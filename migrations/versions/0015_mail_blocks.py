"""mail blocks: senders staff blocked from the mail review page

Revision ID: mail_blocks_0001
Revises: search_units_0001
Create Date: 2026-12-02 01:35:00

mail_blocked_senders: one row per blocked address (canonical form, unique); mail from it is
recorded and ignored with the reason `blocked_sender`.
"""
from alembic import op
import sqlalchemy as sa
import portal.db


revision = "mail_blocks_0001"
down_revision = "search_units_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mail_blocked_senders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("blocked_at", portal.db.UTCDateTime(), nullable=False),
        sa.Column("blocked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["blocked_by_id"], ["users.id"],
                                name=op.f("fk_mail_blocked_senders_blocked_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_blocked_senders")),
        sa.UniqueConstraint("address", name=op.f("uq_mail_blocked_senders_address")),
    )


def downgrade():
    op.drop_table("mail_blocked_senders")
