"""`flask --app portal mail receive` (one message on standard input, for a mail server's pipe)
and `mail fetch [--once]` (an IMAP mailbox). Exit 75 (EX_TEMPFAIL) when the message could not be
recorded, so the mail server keeps it and tries again."""
from __future__ import annotations

import signal
import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from portal.db import db

EX_DATAERR, EX_TEMPFAIL, EX_CONFIG = 65, 75, 78
mail = AppGroup("mail", help="The e-mail channel: mail in.")


@mail.command("receive")
def receive_command():
    """Read one RFC 5322 message on standard input; print what became of it."""
    from portal.mailin import intake
    from portal.ops.failure import describe

    raw = sys.stdin.buffer.read()
    if not raw.strip():
        click.echo("ignored: empty message", err=True)
        sys.exit(EX_DATAERR)
    try:
        outcome = intake.receive(raw)
    except (SQLAlchemyError, OSError) as error:
        db.session.rollback()
        click.echo(f"temporary failure, try again: {describe(error)}", err=True)
        sys.exit(EX_TEMPFAIL)
    click.echo(outcome.line())


@mail.command("fetch")
@click.option("--once", is_flag=True, help="Handle what is in the mailbox now, then exit.")
@click.option("--interval", type=float, default=30.0, show_default=True)
def fetch_command(once, interval):
    """Take in every new message of PORTAL_IMAP_URL and move it to the Processed folder."""
    from portal.mailin import imap

    url = current_app.config.get("IMAP_URL")
    if not url:
        click.echo("PORTAL_IMAP_URL is not set", err=True)
        sys.exit(EX_CONFIG)
    try:
        imap.mailbox(url)
    except ValueError as error:
        click.echo(str(error), err=True)
        sys.exit(EX_CONFIG)
    if once:
        counts = imap.fetch_once(url)
        click.echo(" ".join(f"{key}={value}" for key, value in sorted(counts.items())) or "none")
        return
    stopping: list = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    imap.work(url, interval, stopping)
