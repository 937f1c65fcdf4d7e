"""The job runner (`flask --app portal jobs work --once`): runs what is due, once; keeps and shows
a failure and tries it again later; /readyz wants a runner that ran in the last 5 minutes."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.core import clock
from portal.db import db
from portal.ops import jobs
from portal.ops.models import JobMark, JobRun
from tests import factories
from tests.helpers import jst


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _once(app) -> str:
    result = app.test_cli_runner().invoke(args=["jobs", "work", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def test_once_runs_every_job_that_is_due_and_then_nothing_until_it_is_due_again(app):
    clock.travel_to(jst(2026, 11, 16, 10, 0))
    assert _once(app) == "ran 9 job(s)\n"
    assert _once(app) == "ran 1 job(s)\n"  # only the mail delivery runs on every pass
    clock.travel_to(jst(2026, 11, 16, 10, 0, 59))
    assert _once(app) == "ran 1 job(s)\n"
    clock.travel_to(jst(2026, 11, 16, 10, 1))
    assert _once(app) == "ran 4 job(s)\n"  # the every-minute ones (the reminders: 5, 15)
    escalation = db.session.get(JobRun, "escalation")
    assert escalation.next_run_at == jst(2026, 11, 16, 10, 2)
    assert (escalation.failures, escalation.last_error, escalation.leased_until) == (0, "", None)


def test_a_job_another_runner_holds_is_not_run_again_until_its_lease_lapses(app):
    clock.travel_to(jst(2026, 11, 16, 10, 0))
    jobs.run_due("runner-a")
    clock.travel_to(jst(2026, 11, 16, 10, 1))
    job = jobs.registered()["escalation"]
    assert jobs._claim(job, "runner-a")  # runner A took it and is still working on it
    assert "escalation" not in jobs.run_due("runner-b")
    clock.travel_to(jst(2026, 11, 16, 10, 12))  # A died: its 10-minute lease lapsed
    assert jobs.run_due("runner-b")["escalation"] == "done"


@pytest.fixture()
def flaky_job(app):
    """A job whose effect is written, then fails while `state["fail"]` holds."""
    state = {"fail": True, "runs": 0}

    def work():
        state["runs"] += 1
        jobs.mark_once("flaky", "subject:1", f"run-{state['runs']}")
        db.session.flush()
        if state["fail"]:
            raise ConnectionRefusedError("the CRM answered: connection refused")

    jobs.register(app, "flaky", timedelta(minutes=1), work)
    yield state
    del app.extensions["jobs"]["flaky"]


def test_a_failing_job_is_rolled_back_retried_with_backoff_and_shown_to_provider_admins(
        app, client, other_client, people, flaky_job):
    clock.travel_to(jst(2026, 11, 16, 10, 0))
    assert "failed: flaky" in _once(app)
    assert db.session.scalar(select(func.count()).select_from(JobMark)) == 0  # rolled back
    row = db.session.get(JobRun, "flaky")
    assert (row.failures, row.next_run_at) == (1, jst(2026, 11, 16, 10, 1))
    assert "connection refused" in row.last_error

    clock.travel_to(jst(2026, 11, 16, 10, 1))
    assert "failed: flaky" in _once(app)
    db.session.expire_all()
    row = db.session.get(JobRun, "flaky")
    assert (row.failures, row.next_run_at) == (2, jst(2026, 11, 16, 10, 3))  # 2 minutes later
    clock.travel_to(jst(2026, 11, 16, 10, 2))
    assert "flaky" not in _once(app)  # not before its back-off
    assert flaky_job["runs"] == 2

    client.login("boss@provider.example")
    page = client.get("/backoffice/jobs").get_data(as_text=True)
    assert "ConnectionRefusedError: the CRM answered: connection refused" in page
    assert "次回の実行で再試行します。" in page
    assert "エスカレーション" in page  # the other jobs, by their Japanese names
    other_client.login("staff@provider.example")
    assert other_client.get("/backoffice/jobs").status_code == 403  # provider administrators only

    flaky_job["fail"] = False
    clock.travel_to(jst(2026, 11, 16, 10, 3))
    assert _once(app) == "ran 5 job(s)\n"
    db.session.expire_all()
    row = db.session.get(JobRun, "flaky")
    assert (row.failures, row.last_error) == (0, "")
    assert db.session.scalar(select(func.count()).select_from(JobMark)) == 1  # kept this time
    assert "connection refused" not in client.get("/backoffice/jobs").get_data(as_text=True)


def test_an_english_provider_admin_reads_the_jobs_page_in_english(app, client, people):
    factories.user("ops@provider.example", "staff_admin", locale="en", name="Ops")
    clock.travel_to(jst(2026, 11, 16, 10, 0))
    client.login("ops@provider.example")
    page = client.get("/backoffice/jobs").get_data(as_text=True)
    assert "No job runner has run for 5 minutes" in page
    _once(app)
    page = client.get("/backoffice/jobs").get_data(as_text=True)
    assert "No job runner has run for 5 minutes" not in page
    assert "Escalation of unanswered requests" in page


def test_readyz_wants_a_runner_that_ran_in_the_last_five_minutes(app, client):
    clock.travel_to(jst(2026, 11, 16, 10, 0))
    never = client.get("/readyz")
    assert never.status_code == 503
    assert never.json["checks"]["jobs"]["ok"] is False
    assert "jobs work" in never.json["checks"]["jobs"]["detail"]

    _once(app)
    assert client.get("/readyz").status_code == 200
    clock.travel_to(jst(2026, 11, 16, 10, 5))
    assert client.get("/readyz").status_code == 200
    clock.travel_to(jst(2026, 11, 16, 10, 5, 1))
    silent = client.get("/readyz")
    assert silent.status_code == 503
    assert "no job runner has run for 5 minutes" in silent.json["checks"]["jobs"]["detail"]
    _once(app)
    assert client.get("/readyz").status_code == 200
