"""Flask-Migrate's `db` commands and `app.extensions["migrate"]` without importing Alembic at
every start: Alembic (with Mako and Pygments) was 0.3 s of CPU of each `mail receive`, a command
that never migrates (docs/performance.md).

`init_app` puts a stand-in into `app.extensions["migrate"]` that knows the scripts' folder (all
`/readyz` reads) and binds the real Flask-Migrate on first use of anything else (its `upgrade()`
called from code, `migrations/env.py`); `flask --app portal db …` hands its arguments to
Flask-Migrate's own `db` group, so its options, commands and help are unchanged."""
from __future__ import annotations

import click
from flask import Flask, current_app


class _Migrations:
    """Stands in `app.extensions["migrate"]` until Alembic is needed."""

    def __init__(self, app: Flask, directory: str, options: dict):
        self.directory = directory
        self._app, self._options = app, options

    def __getattr__(self, name: str):  # anything but the folder: the real configuration
        if name.startswith("__") or name in ("_app", "_options"):
            raise AttributeError(name)
        return getattr(bind(self._app), name)


def init_app(app: Flask, directory: str, **options) -> None:
    app.extensions["migrate"] = _Migrations(app, directory, options)
    app.cli.add_command(_db)


def bind(app: Flask):
    """Flask-Migrate bound to the app (imports Alembic); its configuration."""
    found = app.extensions.get("migrate")
    if isinstance(found, _Migrations):
        from flask_migrate import Migrate

        from portal.db import db

        Migrate(directory=found.directory, **found._options).init_app(app, db)
    return app.extensions["migrate"]


@click.command("db", help="Perform database migrations (Flask-Migrate).", add_help_option=False,
               context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def _db(ctx: click.Context) -> None:
    bind(current_app._get_current_object())
    from flask_migrate.cli import db as commands

    commands.main(args=ctx.args, prog_name=ctx.command_path, obj=ctx.obj)
