"""search units: the search index holds one row per indexed unit instead of one per request

Revision ID: search_units_0001
Revises: satisfaction_0001
Create Date: 2026-12-02 01:10:00

A request's subject and description, each message and each attachment are now rows of their
own (portal.search.key), so writing a reply inserts one small row instead of re-indexing the
whole thread. The structure of the table is unchanged; its rows are rebuilt from the data, as
`flask --app portal search reindex` does. Downgrade rebuilds the same rows (the per-request
layout of 0009 is gone from the code; an older checkout's `search reindex` restores it).
"""
from alembic import op


revision = "search_units_0001"
down_revision = "satisfaction_0001"
branch_labels = None
depends_on = None


def _rebuild():
    from portal.search import postgresql, sqlite
    from portal.tickets.search import reindex, upload_folder_or_none

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(postgresql.DROP)
        for statement in postgresql.CREATE:
            op.execute(statement)
    else:
        op.execute(sqlite.DROP)
        op.execute(sqlite.CREATE)
    reindex(bind, upload_folder_or_none())


def upgrade():
    _rebuild()


def downgrade():
    _rebuild()
