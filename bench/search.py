"""Search timings (rules.md "Search and past cases") on a generated database, in-process.

    python -m bench.search --database-url URL --instance DIR [--runs 20] [--json OUT]

Each query is typed by a customer (the request list, their organisation's requests only) and by
staff (the queue over every organisation, all statuses, internal notes included), through the
real pages with the Flask test client; the rendered-list memory is emptied before every timed
request, so each figure is a first view of that search. Queries: 1, 2, 3+ characters, rare and
common words, error codes, two words, English, a request number. Prints a table, the index
size, and on its last lines `search_p95_ms=P` (the highest wall-clock p95 of any query; CPU
times beside it, since the machine may be shared) — plus the time of writing a reply through the
real form with and without the index kept in step. The first row of each viewer is the same page
without a search: what the page costs anyway.
"""
from __future__ import annotations

import argparse
import json
import os
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


def _time(client, path: str, params: dict, forget) -> tuple[float, float]:
    """Wall-clock and process CPU time of one first view, in ms."""
    forget()
    started, cpu = time.perf_counter(), time.process_time()
    answer = client.get(path, query_string=params)
    elapsed = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, (path, params, answer.status_code)
    return elapsed, (time.process_time() - cpu) * 1000


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
        for kind, q in (("no search (the same page)", ""), *QUERIES):
            params = {**extra, "q": q}
            for _ in range(2):
                _time(client, path, params, forget)  # warm
            timed = [_time(client, path, params, forget) for _ in range(runs)]
            times, cpu = [t[0] for t in timed], [t[1] for t in timed]
            with app.app_context():
                total = _total(app, viewer, q)
            rows.append({"viewer": viewer, "kind": kind, "q": q, "found": total,
                         "p50_ms": common.percentile(times, 50), "p95_ms": common.percentile(times, 95),
                         "cpu_p50_ms": common.percentile(cpu, 50),
                         "cpu_p95_ms": common.percentile(cpu, 95)})
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
    """Writing a reply as staff do — POST /requests/<id>/messages, the real form with its CSRF
    token, the customer's notification queued, the commit — with the index kept in step and
    with the hook switched off (what the same write cost before the index existed), alternately,
    one reply each to the same requests, so that both see the same machine and the same threads."""
    from sqlalchemy import event, select

    from bench.pages import CSRF_RE
    from portal.db import db
    from portal.tickets import search as ticket_search
    from portal.tickets.models import Ticket

    hook = ticket_search._index_changes
    client = login(app, common.STAFF_EMAIL)
    with app.app_context():
        ids = list(db.session.scalars(select(Ticket.id).order_by(Ticket.id.desc()).limit(max(runs, 20))))
    tokens = {}
    for ticket_id in ids:
        page = client.get(f"/requests/{ticket_id}").get_data(as_text=True)
        tokens[ticket_id] = CSRF_RE.search(page).group(1)
    times: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for round_ in range(6):
        for ticket_id in ids:
            for indexed in (True, False) if round_ % 2 else (False, True):
                if not indexed:
                    event.remove(db.session, "before_commit", hook)
                try:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    answer = client.post(f"/requests/{ticket_id}/messages", data={
                        "csrf_token": tokens[ticket_id],
                        "body": "ご確認ありがとうございます。配信の遅延は解消しました。"})
                    elapsed = (time.perf_counter() - started) * 1000
                    assert answer.status_code == 302, answer.status_code
                    if round_:  # the first round warms up
                        times[indexed].append(elapsed)
                        cpu[indexed].append((time.process_time() - cpu_started) * 1000)
                finally:
                    if not indexed:
                        event.listen(db.session, "before_commit", hook)
    with_p50, without_p50 = common.percentile(times[True], 50), common.percentile(times[False], 50)
    with_cpu, without_cpu = common.percentile(cpu[True], 50), common.percentile(cpu[False], 50)
    return {"with_index_p50_ms": with_p50, "without_index_p50_ms": without_p50,
            "with_index_p95_ms": common.percentile(times[True], 95),
            "without_index_p95_ms": common.percentile(times[False], 95),
            "with_index_cpu_p50_ms": with_cpu, "without_index_cpu_p50_ms": without_cpu,
            "slower_pct": 100 * (with_p50 / without_p50 - 1),
            "cpu_slower_pct": 100 * (with_cpu / without_cpu - 1)}


def print_report(result: dict, label: str) -> None:
    print(f"\nsearch, {label}: {result['tickets']:,} requests, index "
          f"{result['index_bytes'] / 1048576:.1f} MiB")
    print("| viewer | kind | query | found | p50 / p95 ms | CPU p50 / p95 ms |\n|---|---|---|---|---|---|")
    for row in result["rows"]:
        print(f"| {row['viewer']} | {row['kind']} | {row['q']} | {row['found']:,} | "
              f"{row['p50_ms']:.1f} / {row['p95_ms']:.1f} | {row['cpu_p50_ms']:.1f} / "
              f"{row['cpu_p95_ms']:.1f} |")
    reply = result["reply"]
    print(f"reply written (service + commit): p50 {reply['with_index_p50_ms']:.1f} ms with the index "
          f"kept in step, {reply['without_index_p50_ms']:.1f} ms without ({reply['slower_pct']:+.0f} %); "
          f"CPU p50 {reply['with_index_cpu_p50_ms']:.1f} / {reply['without_index_cpu_p50_ms']:.1f} ms "
          f"({reply['cpu_slower_pct']:+.0f} %)")
    print(f"reply_slower_pct={reply['slower_pct']:.0f} reply_cpu_slower_pct={reply['cpu_slower_pct']:.0f}")
    searches = [row for row in result["rows"] if row["q"]]
    worst = max(searches, key=lambda row: row["p95_ms"])
    worst_cpu = max(searches, key=lambda row: row["cpu_p95_ms"])
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(f"index_mib={result['index_bytes'] / 1048576:.1f} search_cpu_p95_ms={worst_cpu['cpu_p95_ms']:.1f}")
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
