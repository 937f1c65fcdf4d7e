"""Server time and SQL query count of the main pages, in-process, on a generated database.

    python -m bench.pages --database-url URL --instance DIR [--runs 50] [--warmup 5] [--json OUT]

Each viewer signs in through the real /login form (CSRF token read from the page) with the Flask
test client; then, after `--warmup` untimed requests per page, the pages are requested `--runs`
times round-robin (so a burst of load from elsewhere on the machine hits every page alike).
For each page: wall-clock p50 / p95 of the whole request in ms, the process CPU time p50 (what
the page costs when the machine is shared), and the number of SQL statements the request sent
(SQLAlchemy `before_cursor_execute`), which must not grow with the data size.

The portal keeps some rendered parts in memory (portal/web/fragments.py: the customer's request
list, the navigation, the maintenance banner). Every timed request here starts with that memory
emptied, so the figures are those of a first view; the same page is then requested once more
and that repeat view's p50 is shown beside it ("repeat p50").
"""
from __future__ import annotations

import argparse
import gc
import json
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import event, func, select

from bench import common

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass(frozen=True)
class Page:
    name: str
    viewer: str  # "customer" or "staff"
    path: str
    required: bool = True  # one of the six pages (the target applies); else extra


@dataclass
class Result:
    name: str
    path: str
    required: bool
    p50_ms: float
    p95_ms: float
    cpu_p50_ms: float
    repeat_p50_ms: float
    queries: int
    queries_max: int
    bytes: int
    status: int


# Pages of features that are being built elsewhere: timed as soon as their URL exists in the
# app, reported "skipped: not built" until then. Their data (workshops, sessions, bookings,
# outbriefs) is to be added to bench/dataset.py when those features land.
FUTURE_PAGES = (
    Page("workshop sessions", "customer", "/workshops/", required=False),  # TODO(workshops)
    Page("bookings", "customer", "/workshops/bookings", required=False),  # TODO(workshops)
    Page("documents", "customer", "/documents", required=False),  # TODO(documents)
    Page("staff workshops", "staff", "/backoffice/workshops/", required=False),  # TODO(workshops)
    Page("staff outbriefs", "staff", "/backoffice/outbriefs", required=False),  # TODO(documents)
)


class QueryCounter:
    """Counts SQL statements sent through the app's engine."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args, **kwargs) -> None:
        self.count += 1


def login(app, email: str):
    """A test client signed in through the real form: GET /login, then POST with its token."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "email": email,
                                         "password": common.PASSWORD})
    if answer.headers.get("Location", "").endswith("/login/verify"):
        answer = _second_factor(client)
    if answer.status_code != 302:
        raise SystemExit(f"could not sign in as {email}: {answer.status_code}")
    return client


def _second_factor(client):
    """Staff pass their authenticator code (common.TOTP_SECRET); a code is taken once, so a
    second sign-in within the same 30 seconds sends the next step's code (accepted too), and a
    third (one benchmark right after another) waits for the next step. At most four wrong codes:
    the fifth would be refused for 15 minutes, as a person's would."""
    import pyotp

    from portal.core import clock

    totp = pyotp.TOTP(common.TOTP_SECRET)
    for round_ in range(2):
        if round_:
            time.sleep(totp.interval - time.time() % totp.interval + 1)
        for offset in (0, 1):
            page = client.get("/login/verify").get_data(as_text=True)
            answer = client.post("/login/verify", data={
                "csrf_token": CSRF_RE.search(page).group(1),
                "code": totp.at(clock.now(), counter_offset=offset)})
            if answer.status_code == 302:
                return answer
    return answer


def subjects(app) -> dict:
    """Who views and what: a mid-size organisation's admin, its busiest request, an open one."""
    from portal.accounts.models import Organization
    from portal.db import db
    from portal.tickets.models import OPEN_STATUSES, Message, Ticket

    with app.app_context():
        count = db.session.scalar(select(func.count(Organization.id)))
        org = db.session.scalar(select(Organization).where(
            Organization.slug == common.org_slug(count // 2 + 1)))
        busiest = (select(Ticket.id).join(Message, Message.ticket_id == Ticket.id)
                   .where(Ticket.organization_id == org.id).group_by(Ticket.id)
                   .order_by(func.count(Message.id).desc(), Ticket.id).limit(1))
        open_one = (select(Ticket.id).where(Ticket.status.in_(OPEN_STATUSES))
                    .order_by(Ticket.response_due_at).limit(1))
        return {"customer": common.customer_email(count // 2 + 1),
                "staff": common.STAFF_EMAIL, "ticket": db.session.scalar(busiest),
                "open_ticket": db.session.scalar(open_one) or db.session.scalar(busiest)}


def page_list(who: dict) -> list[Page]:
    return [
        Page("customer dashboard", "customer", "/dashboard"),
        Page("request list", "customer", "/requests"),
        Page("request detail", "customer", f"/requests/{who['ticket']}"),
        Page("usage", "customer", "/usage"),
        Page("staff queue", "staff", "/backoffice/queue"),
        Page("work view (staff)", "staff", f"/requests/{who['open_ticket']}"),
        Page("staff dashboard", "staff", "/backoffice", required=False),
        Page("request list (staff, all)", "staff", "/requests", required=False),
        Page("request search (staff)", "staff", "/requests?q=VPN", required=False),
        Page("usage (staff)", "staff", "/usage", required=False),
        *FUTURE_PAGES,
    ]


def _built(app, page: Page) -> bool:
    from werkzeug.exceptions import MethodNotAllowed, NotFound

    try:
        app.url_map.bind("localhost").match(page.path.split("?")[0], method="GET")
    except (NotFound, MethodNotAllowed):
        return False
    return True


def _one(client, counter: QueryCounter, path: str,
         forget: callable = lambda: None) -> tuple[float, float, int, int, int]:
    forget()
    counter.count = 0
    wall, cpu = time.perf_counter(), time.process_time()
    answer = client.get(path)
    size = len(answer.get_data())
    return (time.perf_counter() - wall, time.process_time() - cpu, counter.count,
            answer.status_code, size)


def measure(app, runs: int, warmup: int) -> tuple[list[Result], list[str]]:
    """Time every page that exists; returns results and the names of pages not built yet."""
    from portal.db import db

    who = subjects(app)
    pages = page_list(who)
    skipped = [page.name for page in pages if not _built(app, page)]
    pages = [page for page in pages if page.name not in skipped]
    clients = {viewer: login(app, who[viewer]) for viewer in ("customer", "staff")}
    # As gunicorn.conf.py's pre_fork does for every worker: what was built before serving is never
    # collected again. Without it a full collection walks the whole app (here ~100 ms, seen as the
    # staff queue's p95) whenever the pages' allocations happen to trigger one.
    gc.freeze()
    with app.app_context():
        counter = QueryCounter(db.engine)
    samples: dict[str, list] = {page.name: [] for page in pages}
    repeats: dict[str, list] = {page.name: [] for page in pages}
    forget = app.extensions["fragments"].clear  # a first view: nothing rendered kept
    for round_number in range(warmup + runs):
        for page in pages:
            sample = _one(clients[page.viewer], counter, page.path, forget)
            again = _one(clients[page.viewer], counter, page.path)
            if sample[3] != 200 or again[3] != 200:
                raise SystemExit(f"{page.name} {page.path} answered {sample[3]}, {again[3]}")
            if round_number >= warmup:
                samples[page.name].append(sample)
                repeats[page.name].append(again[0] * 1000)
    return [_result(page, samples[page.name], repeats[page.name]) for page in pages], skipped


def _result(page: Page, rows: list, repeats: list[float]) -> Result:
    walls = [row[0] * 1000 for row in rows]
    queries = [row[2] for row in rows]
    return Result(page.name, page.path, page.required, round(common.percentile(walls, 50), 1),
                  round(common.percentile(walls, 95), 1),
                  round(common.percentile([row[1] * 1000 for row in rows], 50), 1),
                  round(common.percentile(repeats, 50), 1),
                  min(queries), max(queries), rows[-1][4], rows[-1][3])


def print_table(results: list[Result], skipped: list[str], title: str) -> None:
    print(title)
    print(f"  {'page':<28} {'p50 ms':>7} {'p95 ms':>7} {'cpu p50':>8} {'repeat p50':>10} "
          f"{'queries':>7} {'KB':>6}")
    for row in results:
        mark = "" if row.required else "  (extra)"
        queries = str(row.queries) if row.queries == row.queries_max else (
            f"{row.queries}-{row.queries_max}")
        print(f"  {row.name:<28} {row.p50_ms:>7.1f} {row.p95_ms:>7.1f} {row.cpu_p50_ms:>8.1f} "
              f"{row.repeat_p50_ms:>10.1f} {queries:>7} {row.bytes / 1024:>6.1f}{mark}")
    for name in skipped:
        print(f"  {name:<28} skipped: not built in this checkout")
    print(flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--instance", required=True)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--label", default="")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    app = common.make_app(args.database_url, Path(args.instance).resolve())
    results, skipped = measure(app, args.runs, args.warmup)
    print_table(results, skipped, f"page timings {args.label} ({args.runs} runs after "
                                  f"{args.warmup} warm-up, load {common.machine()['load']})")
    if args.json:
        Path(args.json).write_text(json.dumps(
            {"label": args.label, "runs": args.runs, "skipped": skipped,
             "pages": [asdict(row) for row in results]}, indent=1))


if __name__ == "__main__":
    main()
