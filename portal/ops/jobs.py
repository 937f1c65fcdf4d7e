"""The job runner (`flask --app portal jobs work [--once]`): periodic work, each job done once.

The database decides, so any number of runners on any number of servers may run at once:

- every periodic job has a `job_runs` row; a runner takes a due job with one conditional
  UPDATE (`next_run_at <= now` and no live lease) and goes on only when its rowcount is 1;
- the job's effect and the row's new `next_run_at` are committed in one transaction; a job that
  raises is rolled back, its error kept, and it is tried again later with a growing delay;
- what must happen once per subject (an alert, a reminder) inserts a `job_marks` row with a
  unique (job, subject, stage) key in the same transaction as the effect (`mark_once`): a
  second runner's insert does nothing, so it sends nothing — a duplicate is impossible even
  when a lease ran out under a slow job.

Features register their jobs (`register`, from create_app); docs/decisions/jobs.md says why no
library does this for us.
"""
from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app, g
from sqlalchemy import delete, or_, select, update

from portal.core import clock
from portal.db import db, insert_ignore
from portal.ops.failure import describe
from portal.ops.models import JobMark, JobRun, JobRunner, JobSetting

log = logging.getLogger("portal.jobs")
RUNNER_SILENT_AFTER = timedelta(minutes=5)  # /readyz: no runner seen for this long is a failure
MAX_BACKOFF = timedelta(hours=1)
FORGET_RUNNERS_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[], object]  # works in db.session and only flushes; the runner commits
    lease: timedelta = timedelta(minutes=10)


def register(app: Flask, name: str, every: timedelta, run: Callable[[], object],
             lease: timedelta = timedelta(minutes=10)) -> None:
    app.extensions.setdefault("jobs", {})[name] = Job(name, every, run, lease)


def registered(app: Flask | None = None) -> dict[str, Job]:
    return (app or current_app).extensions.get("jobs", {})


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def backoff(failures: int, every: timedelta) -> timedelta:
    """1, 2, 4, 8 … minutes after the failure (never sooner than the job's own period), at most
    an hour."""
    return min(max(every, timedelta(minutes=2 ** max(failures - 1, 0))), MAX_BACKOFF)


def mark_once(job: str, subject: str, stage: str) -> bool:
    """Record that `job` acted on `subject` at `stage`; False if it already had (or another
    runner's transaction holding the same mark commits first). Call it before the effect, in
    the same transaction."""
    statement = insert_ignore(JobMark, job=job, subject=subject[:80], stage=stage[:80],
                              created_at=clock.now()).returning(JobMark.id)
    # RETURNING, not rowcount: PostgreSQL reports no rowcount for an INSERT … RETURNING; no row
    # comes back when the mark was there already
    return db.session.execute(statement).scalar() is not None


def _ensure_rows(jobs: dict[str, Job]) -> None:
    now = clock.now()
    for name in jobs:
        db.session.execute(insert_ignore(JobRun, name=name, next_run_at=now, leased_by="",
                                         failures=0, last_error=""))
    db.session.commit()


def _claim(job: Job, me: str) -> bool:
    now = clock.now()
    result = db.session.execute(
        update(JobRun)
        .where(JobRun.name == job.name, JobRun.next_run_at <= now)
        .where(or_(JobRun.leased_until.is_(None), JobRun.leased_until < now))
        .values(leased_until=now + job.lease, leased_by=me, last_started_at=now)
    )
    db.session.commit()
    return result.rowcount == 1


def report_skipped(subject: str, error: BaseException) -> None:
    """A job that works subject by subject (each in a savepoint) skipped one that raised: the
    others' effects are kept, and this error is shown on /backoffice/jobs with the job."""
    log.error("job skipped %s: %s", subject, describe(error), exc_info=error)
    g.setdefault("job_skipped", []).append(f"{subject}: {type(error).__name__}: {describe(error)}")


def _run_one(job: Job, me: str) -> str:
    """Run a claimed job: its effect and its next date in one commit, or nothing but the error."""
    started = clock.now()
    g.job_skipped = []
    try:
        job.run()
        skipped = "; ".join(g.job_skipped)[:4000]
        db.session.execute(
            update(JobRun).where(JobRun.name == job.name, JobRun.leased_by == me)
            .values(next_run_at=started + job.every, leased_until=None, leased_by="",
                    last_success_at=clock.now(), failures=0, last_error=skipped,
                    **({"last_failure_at": clock.now()} if skipped else {})))
        db.session.commit()
        return "done"
    except Exception as error:  # any failure of one job must not stop the others
        db.session.rollback()
        log.exception("job %s failed", job.name)
        row = db.session.get(JobRun, job.name)
        failures = (row.failures if row else 0) + 1
        db.session.execute(
            update(JobRun).where(JobRun.name == job.name)
            .values(next_run_at=clock.now() + backoff(failures, job.every), leased_until=None,
                    leased_by="", last_failure_at=clock.now(), failures=failures,
                    last_error=f"{type(error).__name__}: {describe(error)}"[:4000]))
        db.session.commit()
        return "failed"


def seen(me: str) -> None:
    """The runner's heartbeat (read by /readyz); runners gone for a week are forgotten."""
    now = clock.now()
    db.session.execute(insert_ignore(JobRunner, runner=me, seen_at=now))
    db.session.execute(update(JobRunner).where(JobRunner.runner == me).values(seen_at=now))
    db.session.execute(delete(JobRunner).where(JobRunner.seen_at < now - FORGET_RUNNERS_AFTER))
    db.session.commit()


def run_due(me: str | None = None) -> dict[str, str]:
    """One pass: every registered job that is due and free is run here. Returns
    {job: "done" | "failed"} for the jobs this runner took."""
    me = me or runner_name()
    jobs = registered()
    outcomes: dict[str, str] = {}
    _ensure_rows(jobs)
    for job in jobs.values():
        if _claim(job, me):
            outcomes[job.name] = _run_one(job, me)
    seen(me)
    return outcomes


def last_seen():
    """When any runner last went through the jobs (None: never)."""
    return db.session.scalar(select(JobRunner.seen_at).order_by(JobRunner.seen_at.desc()).limit(1))


def runner_silent() -> bool:
    latest = last_seen()
    return latest is None or latest < clock.now() - RUNNER_SILENT_AFTER


def overview() -> tuple[list[JobRun], list[JobRunner]]:
    """For provider administrators: every job's state, and the runners seen."""
    return (list(db.session.scalars(select(JobRun).order_by(JobRun.name))),
            list(db.session.scalars(select(JobRunner).order_by(JobRunner.seen_at.desc()))))


# The numbers provider administrators may set (the key, and the config key of its default).
SETTINGS = {
    "waiting_reminder_business_days": "WAITING_REMINDER_BUSINESS_DAYS",
    "auto_close_business_days": "AUTO_CLOSE_BUSINESS_DAYS",
}


def setting(name: str) -> int:
    """The provider administrators' value, else the configured default (PORTAL_* variable)."""
    value = db.session.scalar(select(JobSetting.value).where(JobSetting.name == name))
    return value if value is not None else int(current_app.config[SETTINGS[name]])


def set_setting(name: str, value: int) -> JobSetting:
    if name not in SETTINGS:
        raise KeyError(name)
    row = db.session.get(JobSetting, name)
    if row is None:
        row = JobSetting(name=name, value=value, updated_at=clock.now())
        db.session.add(row)
    else:
        row.value, row.updated_at = value, clock.now()
    db.session.flush()
    return row
