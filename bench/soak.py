"""Soak run: the portal served exactly as in production, every role's pages under load, and a
count of the workers that died.

    python -m bench.soak [--databases sqlite,postgresql] [--fragments on,off] [--minutes 10]
        [--orgs 50] [--requests 200] [--connections 16] [--workdir DIR] [--keep] [--config FILE]
        [--pg-database NAME]
    bench/run --soak ...   (the same, through the bench entry point)

For each database and each fragment-memory setting: fresh data (bench/generate.py, through the
migrations), then `gunicorn -c gunicorn.conf.py` (preload, gc.freeze, the master's warm-up,
gthread with WEB_CONCURRENCY=2 and PORTAL_THREADS=4, as docs/production.md runs it), a staff
member, a customer administrator and a designated contact signed in through the real form,
and wrk cycling over every page of every role (staff queue and its refresh, the back-office
dashboard and work view included) for the given time. A worker death is what gunicorn's
master reports: "Worker (pid:N) was sent SIG…" for any signal but the TERM of the shutdown,
"exited with code N" for any other exit, or a WORKER TIMEOUT. Errors are socket errors and any
answer other than 200. The last line is `crashes=N errors=E` over all runs (docs/performance.md,
"Worker crashes").
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench import common, load

DEATH = re.compile(r"Worker \(pid:\d+\) (?:was sent (?!SIGTERM)\w+|exited with code \d+)"
                   r"|WORKER TIMEOUT|Fatal Python error")
STAFF_PAGES = ("/backoffice/queue", "/backoffice/queue?partial=1", "/backoffice",
               "/backoffice/queue?status=&sort=due", "/backoffice/billing",
               "/backoffice/workshops/", "/backoffice/outbriefs", "/requests/{id}")
CONTACT_PAGES = ("/dashboard", "/requests", "/requests/{id}", "/usage", "/workshops/",
                 "/documents", "/maintenance")
ADMIN_PAGES = (*CONTACT_PAGES, "/people", "/workshops/bookings")


@dataclass
class Outcome:
    label: str
    crashes: int
    errors: int
    requests: int
    rps: float
    p95_ms: float
    deaths: list[str]
    detail: str = ""  # what the errors were: socket errors and answers other than 200


def serve(env: dict, log: Path, config: str = "gunicorn.conf.py") -> tuple[subprocess.Popen, str]:
    """gunicorn with the repository's gunicorn.conf.py, as production runs it (or another
    configuration file, to bisect: `--config`)."""
    port = load.free_port()
    env = dict(env, PORTAL_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2", PORTAL_THREADS="4",
               PYTHONFAULTHANDLER="1")
    process = subprocess.Popen([common.PYTHON, "-m", "gunicorn", "-c", config,
                                "--no-control-socket", "wsgi:app"], cwd=common.ROOT, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within 90 s")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def targets(url: str, orgs: int) -> list[tuple[str, str]]:
    """(path, cookie) pairs: every page of a staff member, an administrator and a contact."""
    pairs = []
    staff = load.signed_in(url, common.STAFF_EMAIL)
    for path in STAFF_PAGES:
        pairs += [(path.format(id=ticket), staff["cookie"]) for ticket in staff["ids"][:3]]
    for number, who, pages in ((1, "admin", ADMIN_PAGES),
                               (max(1, orgs // 2), "contact1", CONTACT_PAGES)):
        person = load.signed_in(url, common.customer_email(number, who))
        for path in pages:
            pairs += [(path.format(id=ticket), person["cookie"]) for ticket in person["ids"][:3]]
    return list(dict.fromkeys(pairs))


def lua_script(folder: Path, pairs: list[tuple[str, str]]) -> Path:
    entries = ", ".join(f"{{path = {load._lua_string(p)}, cookie = {load._lua_string(c)}}}"
                        for p, c in pairs)
    script = folder / "soak.lua"
    script.write_text(f"PAGES = {{{entries}}}\nUA = {load._lua_string(load.UA)}\n"
                      + Path(__file__).with_name("soak.lua").read_text() + load.DONE.read_text())
    return script


def soak(kind: str, fragments: str, minutes: float, orgs: int, requests: int,
         connections: int, work: Path, config: str = "gunicorn.conf.py",
         pg_database: str | None = None) -> Outcome:
    label = f"{kind}, fragment memory {fragments}"
    folder = work / f"{kind}-{fragments}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if kind == "sqlite":
        url = common.sqlite_url(folder)
    elif pg_database:  # a database of one's own on a shared server: emptied, never dropped
        url = common.pg_empty(pg_database)
    else:
        url = common.pg_create(f"bench_soak_{fragments}")
    subprocess.run([common.PYTHON, "-m", "bench.generate", "--orgs", str(orgs), "--requests",
                    str(requests), "--database-url", url, "--instance", str(folder)],
                   cwd=common.ROOT, env=common.portal_env(url, folder), check=True,
                   stdout=subprocess.DEVNULL)
    env = common.portal_env(url, folder)
    env["PORTAL_FRAGMENT_CACHE_SIZE"] = "512" if fragments == "on" else "0"
    log = folder / "gunicorn.log"
    process, base = serve(env, log, config)
    try:
        script = lua_script(folder, targets(base, orgs))
        row = load.wrk(base, script, max(1, round(minutes * 60)), connections, 2, (200,))
    finally:
        stop(process)
    deaths = [line.strip() for line in log.read_text(errors="replace").splitlines()
              if DEATH.search(line)]
    crashes = sum(1 for line in deaths if "Fatal Python error" not in line)
    others = {code: count for code, count in row["codes"].items() if code != 200}
    socket = ", ".join(f"{what} {count}" for what, count in row["socket"].items() if count)
    detail = f"socket errors: {socket or 'none'}; answers other than 200: {others or 'none'}"
    return Outcome(label, crashes, row["errors"], row["requests"], row["rps"], row["p95_ms"],
                   deaths, detail)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--fragments", default="on,off")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--orgs", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workdir")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--pg-database",
                        help="an existing PostgreSQL database to empty and use for every run "
                             "(on BENCH_PG_URL's server) instead of creating bench_soak_on/off")
    parser.add_argument("--config", default="gunicorn.conf.py",
                        help="gunicorn configuration file (default: production's)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: bench/run installs it (Debian package wrk)")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="madoguchi-soak-")).resolve()
    common.print_machine()
    if "postgresql" in args.databases:
        print(f"postgresql client: {common.pg_client()}", flush=True)
    outcomes = []
    try:
        for kind in args.databases.split(","):
            for fragments in args.fragments.split(","):
                outcome = soak(kind, fragments, args.minutes, args.orgs, args.requests,
                               args.connections, work, args.config, args.pg_database)
                outcomes.append(outcome)
                print(f"  {outcome.label}: {outcome.requests} requests, {outcome.rps:.1f} req/s, "
                      f"p95 {outcome.p95_ms:.1f} ms, crashes {outcome.crashes}, "
                      f"errors {outcome.errors}"
                      + (f" ({outcome.detail})" if outcome.errors else ""), flush=True)
                for line in outcome.deaths[:10]:
                    print(f"    {line}")
    finally:
        if "postgresql" in args.databases and not args.keep and not args.pg_database:
            for fragments in args.fragments.split(","):
                common.pg_drop(f"bench_soak_{fragments}")
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    crashes = sum(o.crashes for o in outcomes)
    errors = sum(o.errors for o in outcomes)
    print(f"crashes={crashes} errors={errors}")
    return 1 if crashes or errors else 0


if __name__ == "__main__":
    sys.exit(main())
