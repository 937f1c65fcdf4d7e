"""search index: full-text search of past cases (portal/search), built for the existing requests

Revision ID: search_0001
Revises: mail_intake_0001
Create Date: 2026-12-01 22:00:00

SQLite: an FTS5 virtual table; PostgreSQL: a table with a tsvector and its GIN index (both need
nothing beyond the stock builds: no extension). Every request's document is then written from
its rows and its text attachments (uploads of the instance folder, where the migration runs in
one). The structures belong to the search backends (portal/search/sqlite.py, postgresql.py), not
to the models: Alembic's comparison leaves them out (portal.search.owned_by_search).
"""
from alembic import op


revision = "search_0001"
down_revision = "mail_intake_0001"
branch_labels = None
depends_on = None


def upgrade():
    from portal.search import postgresql, sqlite
    from portal.tickets.search import upload_folder_or_none, reindex

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in postgresql.CREATE:
            op.execute(statement)
    else:
        op.execute(sqlite.CREATE)
    reindex(bind, upload_folder_or_none())


def downgrade():
    from portal.search import postgresql, sqlite

    op.execute(postgresql.DROP if op.get_bind().dialect.name == "postgresql" else sqlite.DROP)
