"""The commands `flask` finds before it loads an app: the `flask.commands` entry points in
pyproject.toml. Each stands for the app's own command group of that name and runs it in the
portal built without its pages and API (`create_app(pages=False)`), which starts a quarter sooner:
for commands that serve no pages and start often — a mail server starts `mail receive` once per
message (docs/decisions/mail.md).

`flask` imports this module whenever it starts, before any app exists, so it imports nothing
more: the portal's own modules are imported while the app is built, with the cycle collector
off (portal/__init__.py)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import ScriptInfo

from portal import create_app


class WithoutPages(click.Group):
    """`flask NAME …`: the app's `NAME` group, run in `create_app(pages=False)`. An app already
    at hand is used instead: one whose context is pushed (a test), or the one a factory given
    in code makes (`FlaskGroup(create_app=…)`, as the `portal` console script does)."""

    def _group(self, ctx: click.Context) -> click.Group:
        if not current_app:
            info = ctx.ensure_object(ScriptInfo)
            app = info.load_app() if info.create_app is not None else create_app(pages=False)
            ctx.with_resource(app.app_context())
        return current_app.cli.commands[self.name]

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._group(ctx).list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._group(ctx).get_command(ctx, name)


mail = WithoutPages("mail", help="The e-mail channel: mail in.")  # portal/mailin/cli.py
