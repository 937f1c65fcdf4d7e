"""The command line other programs and operators rely on (shared/api.md)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import Contract, Organization, User
from portal.db import db


@pytest.fixture()
def cli(app):
    return app.test_cli_runner()


def test_orgs_create_with_contract(cli):
    result = cli.invoke(args=["orgs", "create", "umi", "--name", "海運株式会社", "--included", "7",
                              "--overage-price", "30000", "--contract-start", "2026-04-01",
                              "--contract-end", "2027-03-31"])
    assert result.exit_code == 0, result.output
    org = db.session.scalar(select(Organization).where(Organization.slug == "umi"))
    contract = db.session.scalar(select(Contract).where(Contract.organization_id == org.id))
    assert (org.name, contract.included_requests, contract.overage_unit_price) == \
        ("海運株式会社", 7, 30000)
    assert str(contract.term_end) == "2027-03-31"


def test_orgs_create_refuses_a_bad_slug(cli):
    result = cli.invoke(args=["orgs", "create", "Bad Slug!", "--name", "x"])
    assert result.exit_code != 0
    assert "Bad Slug" not in [o.slug for o in db.session.scalars(select(Organization))]


def test_users_create_reads_password_from_stdin_and_can_sign_in(cli, client):
    cli.invoke(args=["orgs", "create", "umi", "--name", "海運"])
    result = cli.invoke(args=["users", "create", "Kaito@Umi.example", "--name", "海斗",
                              "--role", "customer_admin", "--org", "umi", "--locale", "en"],
                        input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "kaito@umi.example"))
    assert (user.role, user.locale) == ("customer_admin", "en")
    assert client.login("kaito@umi.example", "a long enough secret").status_code == 302


def test_users_create_refuses_a_customer_without_organisation(cli):
    result = cli.invoke(args=["users", "create", "a@b.example", "--name", "A",
                              "--role", "contact"], input="a long enough secret\n")
    assert result.exit_code != 0
    assert db.session.scalar(select(User)) is None


def test_tokens_create_prints_only_a_working_token(cli, client):
    cli.invoke(args=["users", "create", "ops@provider.example", "--name", "Ops",
                     "--role", "staff"], input="a long enough secret\n")
    result = cli.invoke(args=["tokens", "create", "ops@provider.example", "--name", "monitor"])
    token = result.output.strip()
    assert "\n" not in token and token.startswith("mdg_")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json["email"] == "ops@provider.example"


def test_seed_demo_prints_logins_and_runs_only_once(cli, client):
    first = cli.invoke(args=["seed-demo"])
    assert "admin@acme.example" in first.output and "staff@madoguchi.example" in first.output
    count = db.session.query(User).count()
    second = cli.invoke(args=["seed-demo"])
    assert "nothing was added" in second.output
    assert db.session.query(User).count() == count
    assert client.login("admin@acme.example", "madoguchi-demo").status_code == 302


def test_right_after_seed_demo_the_portal_is_ready(cli, client):
    from portal.notifications.models import OutboxMail

    assert cli.invoke(args=["seed-demo"]).exit_code == 0
    from portal.ops.jobs import seen

    seen("test-runner")  # a job runner is running beside the portal, as the demo command starts one
    db.session.commit()
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.get_json()
    db.session.expire_all()
    mails = db.session.scalars(select(OutboxMail)).all()
    history = [m for m in mails if m.subject and "過去の質問" in m.subject]
    assert history and all(m.sent_at is not None for m in history)  # sent back then
    assert any(m.sent_at is None for m in mails)  # today's demo mail still goes out
