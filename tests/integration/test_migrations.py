"""The schema comes from migrations, and the migrations match the models."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.db import db
from portal.search import owned_by_search


# SQLite's reflection cannot read an index over an expression (ix_tickets_queue_order) and says
# so; PostgreSQL's compares it like any other.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(
            connection, opts={"include_object": owned_by_search}), db.metadata)
    assert diff == []
