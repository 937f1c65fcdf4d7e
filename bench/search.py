"""Search timings (rules.md "Search and past cases") on a generated database, in-process.

    python -m bench.search --database-url URL --instance DIR [--runs 20] [--json OUT]

Each query is typed by a customer (the request list, their organisation's requests only) and by
staff (the queue over every organisation, all statuses, internal notes included), through the
real pages with the Flask test client; the rendered-list memory is emptied before every timed
request, so each figure is a first view of that search. Queries: 1, 2, 3+ characters, rare and
common words, error codes, two words, English, a request number. Prints a table, the index
size, and on its last lines `search_p95_ms=P` (the highest p95 of any query) — plus the time of
writing a reply with and without the index kept in step.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench import common
from bench.pages import login

QUERIES = (
    ("1 char", "障"), ("1 char", "遅"),
    ("2 chars", "遅延"), ("2 chars", "障害"), ("2 chars", "証明"),
    ("3+ chars", "タイムアウト"), ("3+ chars", "サインイン"), ("3+ chars", "バックアップジョブ"),
    ("common", "エラー"), ("common", "確認"), ("common", "error"),
    ("rare code", "0x80070005"), ("rare code", "AADSTS50011"), ("rare", "vpn-123"),
    ("two words", "証明書 期限"), ("two words", "チームズ 録画"), ("english", "StorageException"),
    ("english", "timed out"), ("full-width", "ＣＳＶ"), ("number", "BENCH-0001-15"),
)


def _time(client, path: str, params: dict, forget) -> tuple[float, int]:
    forget()
    started = time.perf_counter()
    answer = client.get(path, query_string=params)
    elapsed = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, (path, params, answer.status_code)
    return elapsed, len(answer.data)


def measure(app, runs: int) -> dict:
    from sqlalchemy import func, select

    from portal.db import db
    from portal.search import size_bytes
    from portal.tickets.models import Ticket

    clients = {"customer": login(app, common.customer_email(1)),
               "staff": login(app, common.STAFF_EMAIL)}
    paths = {"customer": ("/requests", {}), "staff": ("/backoffice/queue", {"status": ""})}
    forget = app.extensions["fragments"].clear
    rows = []
    with app.app_context():
        index = size_bytes()
        tickets = db.session.scalar(select(func.count()).select_from(Ticket))
    for viewer, client in clients.items():
        path, extra = paths[viewer]
        for kind, q in QUERIES:
            params = {**extra, "q": q}
            for _ in range(2):
                _time(client, path, params, forget)  # warm
            times = [_time(client, path, params, forget)[0] for _ in range(runs)]
            with app.app_context():
                total = _total(app, viewer, q)
            rows.append({"viewer": viewer, "kind": kind, "q": q, "found": total,
                         "p50_ms": common.percentile(times, 50), "p95_ms": common.percentile(times, 95)})
    return {"tickets": tickets, "index_bytes": index, "rows": rows, "reply": _reply_cost(app, runs)}


def _total(app, viewer: str, q: str) -> int:
    from sqlalchemy import select

    from portal.accounts.models import User
    from portal.db import db
    from portal.tickets import queries

    email = common.customer_email(1) if viewer == "customer" else common.STAFF_EMAIL
    user = db.session.scalar(select(User).where(User.email == email))
    return queries.list_tickets(user, queries.TicketFilter(q=q, per_page=1)).total


def _reply_cost(app, runs: int) -> dict:
    """Writing a reply through the service and committing, with the index kept in step and with
    the hook switched off (what the same write cost before the index existed)."""
    from sqlalchemy import event, select

    from portal.accounts.models import User
    from portal.core import clock
    from portal.db import db
    from portal.tickets import search as ticket_search
    from portal.tickets import services
    from portal.tickets.models import Ticket

    def write(count: int) -> list[float]:
        times = []
        with app.test_request_context("/"):
            staff = db.session.scalar(select(User).where(User.email == common.STAFF_EMAIL))
            ids = list(db.session.scalars(select(Ticket.id).order_by(Ticket.id.desc()).limit(count)))
            for ticket_id in ids:
                ticket = db.session.get(Ticket, ticket_id)
                started = time.perf_counter()
                services.add_message(ticket, staff, "ご確認ありがとうございます。配信の遅延は解消しました。"
                                     f" {clock.now().isoformat()}")
                db.session.commit()
                times.append((time.perf_counter() - started) * 1000)
            db.session.remove()
        return times

    count = max(runs * 2, 40)
    with_index = write(count)
    event.remove(db.session, "before_commit", ticket_search._index_changes)
    try:
        without = write(count)
    finally:
        event.listen(db.session, "before_commit", ticket_search._index_changes)
    with_index = write(count)  # again after, so both saw a warm cache
    p50_with, p50_without = common.percentile(with_index, 50), common.percentile(without, 50)
    return {"with_index_p50_ms": p50_with, "without_index_p50_ms": p50_without,
            "with_index_p95_ms": common.percentile(with_index, 95),
            "without_index_p95_ms": common.percentile(without, 95),
            "slower_pct": 100 * (p50_with / p50_without - 1)}


def print_report(result: dict, label: str) -> None:
    print(f"\nsearch, {label}: {result['tickets']:,} requests, index "
          f"{result['index_bytes'] / 1048576:.1f} MiB")
    print(f"| viewer | kind | query | found | p50 ms | p95 ms |\n|---|---|---|---|---|---|")
    for row in result["rows"]:
        print(f"| {row['viewer']} | {row['kind']} | {row['q']} | {row['found']:,} | "
              f"{row['p50_ms']:.1f} | {row['p95_ms']:.1f} |")
    reply = result["reply"]
    print(f"reply written (service + commit): p50 {reply['with_index_p50_ms']:.1f} ms with the index, "
          f"{reply['without_index_p50_ms']:.1f} ms without ({reply['slower_pct']:+.0f} %)")
    worst = max(result["rows"], key=lambda row: row["p95_ms"])
    print(f"index_mib={result['index_bytes'] / 1048576:.1f}")
    print(f"search_p95_ms={worst['p95_ms']:.1f}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--instance", required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--label", default="")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    app = common.make_app(args.database_url, Path(args.instance))
    result = measure(app, args.runs)
    print_report(result, args.label or args.database_url)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
