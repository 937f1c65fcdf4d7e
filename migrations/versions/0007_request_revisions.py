"""request revisions: every insert or update of a request takes a new revision number

Revision ID: revisions_0001
Revises: indexes_0001
Create Date: 2026-11-21 23:55:00

`tickets.revision` is set by the database itself, so that no way of writing a request (the ORM,
the set-based UPDATEs of voids and ranking, plain SQL) can forget it. The request list caches
its rendered rows per organisation under max(revision) of that organisation's requests
(ix_tickets_org_revision: one index probe), so any change shows at the next page view.

PostgreSQL: a sequence and a BEFORE trigger (no other row is locked, so writers of one
organisation never wait on each other or deadlock). SQLite: AFTER triggers taking the
organisation's highest revision plus one (SQLite has one writer at a time, so revisions are
given in commit order). A later SQLite batch migration that recreates `tickets` drops these
triggers and must create them again (SQLITE_TRIGGERS below).
"""
from alembic import op
import sqlalchemy as sa


revision = "revisions_0001"
down_revision = "indexes_0001"
branch_labels = None
depends_on = None

POSTGRESQL = [
    "CREATE SEQUENCE ticket_revision_seq",
    """CREATE FUNCTION ticket_next_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.revision := nextval('ticket_revision_seq');
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER tickets_revision BEFORE INSERT OR UPDATE ON tickets
    FOR EACH ROW EXECUTE FUNCTION ticket_next_revision()""",
]
_NEXT = ("UPDATE tickets SET revision = (SELECT max(revision) + 1 FROM tickets "
         "WHERE organization_id = NEW.organization_id) WHERE id = NEW.id;")
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER tickets_revision_insert AFTER INSERT ON tickets BEGIN {_NEXT} END",
    # recursive_triggers is off (SQLite's default), so the trigger's own UPDATE does not fire it
    f"CREATE TRIGGER tickets_revision_update AFTER UPDATE ON tickets BEGIN {_NEXT} END",
]


def upgrade():
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.BigInteger(), server_default="0",
                                      nullable=False))
        batch_op.create_index("ix_tickets_org_revision", ["organization_id", "revision"],
                              unique=False)
    op.execute("UPDATE tickets SET revision = id")  # existing requests: any increasing number
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL[0])
        op.execute("SELECT setval('ticket_revision_seq', (SELECT coalesce(max(id), 0) + 1 "
                   "FROM tickets))")
        for statement in POSTGRESQL[1:]:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER tickets_revision ON tickets")
        op.execute("DROP FUNCTION ticket_next_revision()")
        op.execute("DROP SEQUENCE ticket_revision_seq")
    else:
        op.execute("DROP TRIGGER tickets_revision_insert")
        op.execute("DROP TRIGGER tickets_revision_update")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_org_revision")
        batch_op.drop_column("revision")
