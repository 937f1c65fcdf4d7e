"""search groups: on PostgreSQL, an index of each unit's group (id >> 32), so that the newest
requests matching a common word are found by a backward walk that stops at the count's cap

Revision ID: search_groups_0001
Revises: knowledge_0001
Create Date: 2026-12-02 05:40:00

SQLite's FTS5 walks its own doclists newest first and needs nothing. A database made since has the
index already (the backend creates it with the table): IF NOT EXISTS. The index belongs to the
search backend (portal/search/postgresql.py, group_index_statement), like the tables of 0009,
0014 and 0018.
"""
from alembic import op

revision = "search_groups_0001"
down_revision = "knowledge_0001"
branch_labels = None
depends_on = None

INDEXES = ("search_index", "search_index_articles")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    from portal.search import postgresql

    for table in INDEXES:
        op.execute(postgresql.group_index_statement(table))
        op.execute(f"ANALYZE {table}")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_group")
