"""The guard against worker crashes (docs/performance.md, "Worker crashes"): the portal served as
production serves it (gunicorn.conf.py: preload, gc.freeze, the warm-up, gthread with several
threads per worker), the pages that crashed under load (the staff queue, its refresh, the
back-office dashboard, the work view) and the customers' pages driven from several threads at
once, on the suite's database (SQLite, then PostgreSQL). Any worker death fails the test, and a
crash leaves a Python traceback in the log (faulthandler, enabled in every worker)."""
from __future__ import annotations

import os
import re
import signal
import threading
import time
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest

from tests import factories
from tests.conftest import CSRF_RE
from tests.helpers import file_request
from tests.integration.ops.conftest import (
    free_port,
    gunicorn_command,
    portal_env,
    start,
    stop,
    wait_until_serving,
)

DEATH = re.compile(r"Worker \(pid:\d+\) (?:was sent (?!SIGTERM)\w+|exited with code \d+)"
                   r"|WORKER TIMEOUT")
BOOTED = re.compile(r"Booting worker with pid: (\d+)")
LOAD_SECONDS = float(os.environ.get("PORTAL_TEST_SOAK_SECONDS", "20"))


def _signed_in(base: str, email: str):
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    token = CSRF_RE.search(opener.open(f"{base}/login").read().decode()).group(1)
    form = urlencode({"csrf_token": token, "email": email, "password": factories.PASSWORD})
    opener.open(f"{base}/login", form.encode()).read()
    return opener


@pytest.fixture()
def served(app, database_url, tmp_path):
    """Two organisations with forty requests, and the portal under gunicorn as in production."""
    people = factories.two_organizations()
    people["ticket_ids"] = []
    for number in range(40):
        who = people["acme_contact"] if number % 2 else people["kitsune_contact"]
        kind = {"kind": "incident", "severity": "BC"[number % 2]} if number % 3 else {}
        ticket = file_request(who, subject=f"負荷試験 {number}", acknowledge_overage=True, **kind)
        people["ticket_ids"].append(ticket.id)
    port = free_port()
    env = portal_env(database_url, PORTAL_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2",
                     PORTAL_THREADS="4", PORTAL_INSTANCE_PATH=app.config["INSTANCE_PATH"])
    log = tmp_path / "gunicorn.log"
    process = start(gunicorn_command(), env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process, seconds=60)
        yield base, process, log, people
    finally:
        stop(process, timeout=40)


def _drive(base: str, people, seconds: float) -> tuple[int, list[str]]:
    """Eight threads, each with its own signed-in person, over every page for `seconds`."""
    ids = people["ticket_ids"]
    staff_pages = ["/backoffice/queue", "/backoffice/queue?partial=1", "/backoffice",
                   "/backoffice/queue?status=&sort=due", *(f"/requests/{i}" for i in ids[:5])]
    customer_pages = ["/dashboard", "/requests", "/usage", "/documents", "/workshops/"]
    plan = [("staff@provider.example", staff_pages)] * 5 + [
        ("admin@acme.example", [*customer_pages, "/people"]),
        ("contact@acme.example", customer_pages), ("contact@kitsune.example", customer_pages)]
    failures: list[str] = []
    served = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def run(email: str, pages: list[str]) -> None:
        opener = _signed_in(base, email)
        number = 0
        while time.monotonic() < deadline:
            path = pages[number % len(pages)]
            number += 1
            try:
                with opener.open(base + path, timeout=30) as answer:
                    answer.read()
                    status = answer.status
            except HTTPError as error:
                status = error.code
            except OSError as error:  # a dropped connection: what a dying worker does
                status = f"{type(error).__name__}: {error}"
            with lock:
                served[0] += 1
                if status != 200:
                    failures.append(f"{email} {path}: {status}")

    threads = [threading.Thread(target=run, args=item) for item in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return served[0], failures


def test_no_worker_dies_under_load_on_the_pages_that_crashed(served):
    base, process, log, people = served
    count, failures = _drive(base, people, LOAD_SECONDS)
    stop(process, timeout=40)
    text = log.read_text(errors="replace")
    deaths = [line for line in text.splitlines() if DEATH.search(line)]
    assert deaths == [], "\n".join(deaths + text.splitlines()[-60:])
    assert "Fatal Python error" not in text
    assert failures == [], failures[:20]
    assert count >= 100 * LOAD_SECONDS / 20  # the load really ran


def test_a_worker_that_crashes_is_counted_and_leaves_its_traceback(served, database_url):
    """What the guard above and bench/soak.py rely on: a worker killed by SIGSEGV is reported by
    gunicorn's master, faulthandler writes the Python stack of every thread to the log, and the
    master starts another worker that serves."""
    base, process, log, _people = served
    opener = _signed_in(base, "staff@provider.example")
    assert opener.open(f"{base}/backoffice/queue").status == 200
    workers = BOOTED.findall(log.read_text())
    os.kill(int(workers[0]), signal.SIGSEGV)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(BOOTED.findall(log.read_text())) <= len(workers):
        time.sleep(0.2)
    text = log.read_text(errors="replace")
    assert "Fatal Python error: Segmentation fault" in text
    assert re.search(r"Thread 0x[0-9a-f]+|Current thread 0x[0-9a-f]+", text)
    assert [line for line in text.splitlines() if DEATH.search(line)], text[-3000:]
    assert len(BOOTED.findall(text)) == len(workers) + 1  # a new worker took its place
    assert opener.open(f"{base}/backoffice/queue").status == 200
    # the log says which libpq the workers use on PostgreSQL; on SQLite psycopg is not loaded
    client = re.search(r"database client: psycopg \S+ \((binary|c|python) implementation\), "
                       r"libpq \d+", text)
    if database_url.startswith("postgresql"):
        assert client, text[:3000]
    else:
        assert client is None and "database client" not in text
