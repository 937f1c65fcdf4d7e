"""search words: on PostgreSQL, the terms each request holds, one row per request with a GIN
index of its own, so that several words are intersected in that index instead of by reading
every unit holding any of them (portal/search/postgresql.py, words_statements)

Revision ID: search_words_0001
Revises: queue_order_0001
Create Date: 2026-12-07 16:30:00

Built here for the existing requests from the units' vectors (no text is cut again); kept in step
by every write in its transaction (portal.search.put) and rebuilt by `flask --app portal search
reindex`. SQLite's FTS5 intersects its doclists itself and needs nothing. Like the tables of
0009, 0014 and 0018, the structures belong to the search backend, not to the models.
"""
from alembic import op

revision = "search_words_0001"
down_revision = "queue_order_0001"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from portal.search import postgresql

    for statement in postgresql.words_statements(postgresql.TABLE):
        op.execute(statement)
    op.execute(f"TRUNCATE {postgresql.words_table(postgresql.TABLE)}")
    postgresql.fill_words(bind)
    op.execute(f"ANALYZE {postgresql.words_table(postgresql.TABLE)}")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    from portal.search import postgresql

    op.execute(f"DROP TABLE IF EXISTS {postgresql.words_table(postgresql.TABLE)}")
