"""The schema comes from migrations, and the migrations match the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.db import db
from portal.search import owned_by_search


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(
            connection, opts={"include_object": owned_by_search}), db.metadata)
    assert diff == []
