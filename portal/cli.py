"""Command line: `flask --app portal COMMAND` (or the `portal` console script)."""
from __future__ import annotations

import sys
import time as timer

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup
from sqlalchemy import select

from portal.accounts import services
from portal.accounts.interfaces import AccountsError
from portal.accounts.models import Organization, Role, User
from portal.db import db
from portal.ops import cli as ops_cli

orgs = AppGroup("orgs", help="Organisations and their contracts.")
users = AppGroup("users", help="People: customers and provider staff.")
tokens = AppGroup("tokens", help="API tokens.")
outbox = AppGroup("outbox", help="The e-mail outbox.")
search = AppGroup("search", help="The search index of past cases.")
jobs = AppGroup("jobs", help="The periodic work: escalations, reminders, auto-close, mail.")


def _fail(error: AccountsError) -> None:
    raise click.ClickException(str(error.message))


@orgs.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--included", type=click.IntRange(min=0), default=5, show_default=True)
@click.option("--overage-price", type=click.IntRange(min=0), default=20000, show_default=True)
@click.option("--contract-start", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--contract-end", type=click.DateTime(["%Y-%m-%d"]))
def orgs_create(slug, name, included, overage_price, contract_start, contract_end):
    """An organisation with its contract."""
    try:
        org = services.create_organization(
            slug, name, included=included, overage_price=overage_price,
            term_start=contract_start.date() if contract_start else None,
            term_end=contract_end.date() if contract_end else None)
    except AccountsError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"created organisation {org.slug} (id {org.id})")


@users.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--org", "org_slug")
@click.option("--locale", type=click.Choice(["ja", "en"]), default="ja", show_default=True)
def users_create(email, name, role, org_slug, locale):
    """A user; the password is read from standard input."""
    org = None
    if org_slug:
        org = db.session.scalar(select(Organization).where(Organization.slug == org_slug))
        if org is None:
            raise click.ClickException(f"no organisation {org_slug!r}")
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = services.create_user(email, name, role, organization=org, locale=locale,
                                    password=password)
    except AccountsError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"created user {user.email} (id {user.id}, {user.role})")


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="CLI")
def tokens_create(email, name):
    """Prints a new API token for that user, and nothing else."""
    user = db.session.scalar(select(User).where(User.email == services.normalise_email(email)))
    if user is None:
        raise click.ClickException(f"no user {email!r}")
    token, _row = services.issue_token(user, name)
    db.session.commit()
    click.echo(token)


@outbox.command("drain")
def outbox_drain():
    """Send the mail that is due, once."""
    from portal.notifications.services import drain_outbox

    click.echo(f"sent {drain_outbox()}")


@outbox.command("work")
@click.option("--interval", type=float, default=10.0, show_default=True)
def outbox_work(interval):
    """Keep sending mail; safe to run on several servers at once. Survives a database or mail
    server outage (logs it and tries again); on SIGTERM it finishes the batch in hand, then stops."""
    import logging

    from portal.notifications.services import drain_outbox

    log = logging.getLogger("portal.mail")

    def one_pass():
        sent = drain_outbox()
        if sent:
            log.info("outbox worker sent %s mail(s)", sent)

    keep_running(one_pass, interval, log, "outbox worker", "outbox drain failed; trying again")


def keep_running(one_pass, interval: float, log, name: str, failed: str) -> None:
    """Call `one_pass` every `interval` seconds until SIGTERM (the pass in hand is finished);
    a failing pass (database or mail server down) is logged and tried again next time."""
    import signal

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    log.info("%s started, every %s s", name, interval)
    while not stopping:
        try:
            one_pass()
        except KeyboardInterrupt:
            break
        except Exception:
            log.exception(failed)
        finally:
            db.session.remove()
        deadline = timer.monotonic() + interval
        while not stopping and timer.monotonic() < deadline:
            timer.sleep(min(0.2, interval))
    log.info("%s stopped", name)


@search.command("reindex")
def search_reindex():
    """Rebuild every request's and every article's search document, in one transaction."""
    from portal import search as indexes
    from portal.knowledge import index as articles
    from portal.tickets.search import reindex, upload_folder_or_none

    started = timer.monotonic()
    count = reindex(db.session.connection(), upload_folder_or_none())
    article_count = articles.reindex()
    db.session.commit()
    click.echo(f"indexed {count} requests in {timer.monotonic() - started:.1f} s, "
               f"index {indexes.size_bytes() / 1048576:.1f} MiB; {article_count} articles")


@jobs.command("work")
@click.option("--once", is_flag=True, help="Run what is due now, then exit (cron, tests).")
@click.option("--interval", type=float, default=10.0, show_default=True,
              help="Seconds between passes.")
def jobs_work(once, interval):
    """Run the periodic jobs; any number of runners on any number of servers, each job done once.
    Survives a database outage (logs it and tries again); on SIGTERM it finishes the job in hand,
    then stops."""
    import logging

    from portal.ops.jobs import run_due, runner_name

    log = logging.getLogger("portal.jobs")
    me = runner_name()
    if once:
        try:
            outcomes = run_due(me)
        finally:
            db.session.remove()
        failed = sorted(name for name, outcome in outcomes.items() if outcome == "failed")
        click.echo(f"ran {len(outcomes)} job(s)" + (f"; failed: {', '.join(failed)}" if failed else ""))
        return
    keep_running(lambda: run_due(me), interval, log, f"job runner {me}",
                 "job runner pass failed; trying again")


@click.command("seed-demo")
def seed_demo():
    """Demo organisations, people and data; does nothing on a database that has data."""
    from portal.demo import seed

    lines = seed()
    for line in lines:
        click.echo(line)


def init_app(app: Flask) -> None:
    from portal.mailin.cli import mail

    for group in (orgs, users, tokens, outbox, search, jobs, mail):
        app.cli.add_command(group)
    app.cli.add_command(seed_demo)
    ops_cli.init_app(app)  # backup, restore


def main() -> None:
    from portal import create_app

    FlaskGroup(create_app=create_app)()
