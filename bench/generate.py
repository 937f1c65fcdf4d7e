"""Benchmark data: N organisations × M requests with their thread, contracts and people.

    python -m bench.generate [--orgs 500] [--requests 200] [--database-url URL]

The database is PORTAL_DATABASE_URL (or --database-url; SQLite or PostgreSQL) and must be empty:
the schema comes from the migrations (`flask db upgrade`, Alembic), never from create_all. Rows
are built in memory per group of organisations (bench/dataset.py) and written with SQLAlchemy
Core `insert()` executemany in chunks, inside one transaction: 100,000 requests take well under
a minute instead of the hours one ORM object at a time would. Every person's password is
`madoguchi-bench`, hashed once with Argon2 and reused. Where the schema has the workshops
tables, a catalogue with sessions and four bookings per organisation are added too
(bench/workshops_data.py).

People: `admin@bench-0001.bench.example` (customer administrator), `contact1@…`, `contact2@…` per
organisation; `staff1@madoguchi.bench.example` … `staff4@…` (staff) and `admin@madoguchi.bench.
example` (staff administrator).
"""
from __future__ import annotations

import argparse
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

from bench import common, dataset, workshops_data

CHUNK = 2000  # rows per executemany
ORGS_PER_BATCH = 25
# parents before children, so foreign keys hold at every step
TABLE_ORDER = ("organizations", "contracts", "users", "tickets", "ticket_messages",
               "audit_events", "usage_counters", "ticket_counters", "workshop_bookings",
               "workshop_attendees")
ID_TABLES = ("organizations", "contracts", "users", "tickets", "ticket_messages", "audit_events",
             "closure_days", "canned_replies", "maintenance_notices", *workshops_data.TABLES)


def _tables():
    from portal.db import db

    return db.metadata.tables


def write(conn, rows_by_table: dict[str, list[dict]], counts: dict[str, int]) -> None:
    """Core executemany in chunks, parents first."""
    tables = _tables()
    for name in TABLE_ORDER:
        if name not in tables:
            continue
        rows = rows_by_table.get(name) or []
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(tables[name]), rows[start:start + CHUNK])
        counts[name] = counts.get(name, 0) + len(rows)


def staff_rows(ids: dataset.Ids, password_hash: str, now: datetime) -> list[dict]:
    people = [(f"staff{n}@madoguchi.bench.example", f"サポート 担当{n}", "staff") for n in range(1, 5)]
    people.append(("admin@madoguchi.bench.example", "サポート 管理者", "staff_admin"))
    return [dict(id=ids.take("users"), email=email, name=name, password_hash=password_hash,
                 role=role, organization_id=None, locale="ja", active=True,
                 created_at=now - timedelta(days=400)) for email, name, role in people]


def provider_rows(ids: dataset.Ids, now: datetime) -> dict[str, list[dict]]:
    """Provider closure days, canned replies and maintenance notices (one shows a banner)."""
    today = now.date()
    closures = [today - timedelta(days=d) for d in (40, 120, 250)]
    return {
        "closure_days": [dict(id=ids.take("closure_days"), day=day, note="会社休業日")
                         for day in closures],
        "canned_replies": [dict(id=ids.take("canned_replies"), title=f"定型文 {n}",
                                body_ja=dataset.REPLY, body_en="Thank you for contacting us.")
                           for n in range(1, 6)],
        "maintenance_notices": [dict(
            id=ids.take("maintenance_notices"), title_ja=f"定期メンテナンス {n}",
            title_en=f"Scheduled maintenance {n}", body_ja="サービスを一時停止します。",
            body_en="The service pauses briefly.", service="Azure", starts_at=now + start,
            ends_at=now + start + timedelta(hours=2), created_by_id=None, created_at=now)
            for n, start in ((1, timedelta(days=-30)), (2, timedelta(days=3)))],
    }


def _write_plain(conn, rows_by_table: dict[str, list[dict]]) -> None:
    """Insert small tables; one this checkout's schema lacks (an older branch) is left out."""
    tables = _tables()
    for name, rows in rows_by_table.items():
        if name in tables:
            conn.execute(insert(tables[name]), rows)


def reset_sequences(conn) -> None:
    """PostgreSQL: move each id sequence past the ids given here, so the app can insert."""
    if conn.dialect.name != "postgresql":
        return
    for table in ID_TABLES:
        if table not in _tables():
            continue
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))


def generate(app, orgs: int, requests: int) -> dict[str, int]:
    """Fill the (empty, migrated) database; returns rows written per table."""
    from portal.accounts import security
    from portal.core import clock
    from portal.db import db

    now, today = clock.now(), clock.now().date()
    counts: dict[str, int] = {}
    ids = dataset.Ids()
    with common.timed("one Argon2 hash"):
        password_hash = security.hash_password(common.PASSWORD)
    with app.app_context(), db.engine.begin() as conn:
        if conn.scalar(select(func.count()).select_from(_tables()["organizations"])):
            raise SystemExit("the database already has organisations: generate into an empty one")
        staff = staff_rows(ids, password_hash, now)
        provider = provider_rows(ids, now)
        _write_plain(conn, {"users": staff, **provider})
        # staff must pass a second factor: an authenticator app with the bench's known key
        # (second_factors' ids come from the table itself; bench/pages.py:login sends the code)
        _write_plain(conn, {"second_factors": [
            dict(user_id=row["id"], kind="totp", name="TOTP", secret=common.TOTP_SECRET,
                 sign_count=0, created_at=now) for row in staff]})
        counts["staff users"] = len(staff)
        closures = frozenset(row["day"] for row in provider["closure_days"])
        # TODO(documents): outbriefs per organisation, once bench/pdf.py's API path is not enough
        with_workshops = workshops_data.available(_tables())
        bookable = []
        if with_workshops:
            catalogue, bookable = workshops_data.catalogue_rows(ids, now)
            _write_plain(conn, catalogue)
            counts.update({name: len(rows) for name, rows in catalogue.items()})
        staff_ids = [row["id"] for row in staff]
        build = insert_time = 0.0
        for first in range(1, orgs + 1, ORGS_PER_BATCH):
            started = time.perf_counter()
            batch: dict[str, list[dict]] = {}
            for number in range(first, min(first + ORGS_PER_BATCH, orgs + 1)):
                plan, base = dataset.org_base_rows(number, ids, today, password_hash, now, closures)
                sources = [base, dataset.request_rows(plan, requests, staff_ids, ids, now)]
                if with_workshops:
                    sources.append(workshops_data.booking_rows(plan, bookable, ids, now))
                for source in sources:
                    for name, rows in source.items():
                        batch.setdefault(name, []).extend(rows)
            middle = time.perf_counter()
            write(conn, batch, counts)
            build, insert_time = build + middle - started, insert_time + time.perf_counter() - middle
        if with_workshops:
            workshops_data.settle_seats(conn)
        reset_sequences(conn)
        print(f"  rows built in Python: {build:.2f} s; inserted: {insert_time:.2f} s", flush=True)
    return counts


def build_search_index(app) -> int:
    """Every request's search document, as `flask search reindex` writes them; returns the
    index's size in bytes (0 on a checkout without the search index)."""
    from portal.db import db

    try:
        from portal.search import size_bytes
        from portal.tickets.search import reindex
    except ImportError:
        return 0
    with app.app_context():
        reindex(db.session.connection())
        db.session.commit()
        return size_bytes()


def analyze(app) -> None:
    """PostgreSQL: fresh planner statistics, as autovacuum would have gathered by now."""
    from portal.db import db

    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
            conn.commit()


def check(app, sample: int = 40) -> int:
    """Stored ranks, overage marks and usage counters agree with the allowance rule.

    For `sample` organisation-months (and every month of the first organisation) the month is
    re-ranked by `portal.billing.services.usage` (the pure rule) and compared with the rows.
    """
    from portal.accounts.models import Organization
    from portal.billing import services as billing
    from portal.db import db
    from portal.tickets.models import UsageCounter

    with app.app_context():
        pairs = db.session.execute(select(UsageCounter).order_by(
            UsageCounter.organization_id, UsageCounter.month)).scalars().all()
        step = max(1, len(pairs) // sample)
        chosen = [p for p in pairs if p.organization_id == pairs[0].organization_id] + pairs[::step]
        for counter in chosen:
            org = db.session.get(Organization, counter.organization_id)
            usage, tickets = billing.usage(org, counter.month)
            stored = {t.id: (t.rank, t.overage) for t in tickets}
            ruled = {r.id: (r.rank, r.overage) for r in usage.requests}
            if stored != ruled or usage.counted != counter.counted:
                raise SystemExit(f"inconsistent ranking for {org.slug} {counter.month}")
        return len(chosen)


def run(database_url: str, instance, orgs: int, requests: int) -> dict[str, int]:
    """Migrate, fill and analyse one database; prints timings."""
    print(f"generate {orgs} organisations × {requests} requests into {database_url}", flush=True)
    started = time.perf_counter()
    app = common.make_app(database_url, instance)
    with common.timed("flask db upgrade (Alembic)"):
        common.migrate(app)
    counts = generate(app, orgs, requests)
    with common.timed("search index built (portal.tickets.search.reindex)"):
        index_bytes = build_search_index(app)
    print(f"  search index: {index_bytes / 1048576:.1f} MiB", flush=True)
    with common.timed("analyze"):
        analyze(app)
    with common.timed("ranking checked against the allowance rule"):
        checked = check(app)
    print(f"  {checked} organisation-months re-ranked by billing.services.usage: consistent")
    total = time.perf_counter() - started
    summary = ", ".join(f"{name} {count:,}" for name, count in counts.items())
    print(f"  rows: {summary}")
    print(f"  total: {total:.1f} s ({counts.get('tickets', 0) / total:,.0f} requests/s)", flush=True)
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200, help="requests per organisation")
    parser.add_argument("--database-url", default=os.environ.get("PORTAL_DATABASE_URL"))
    parser.add_argument("--instance", default=os.environ.get("PORTAL_INSTANCE_PATH", "instance"))
    args = parser.parse_args(argv)
    instance = Path(args.instance).resolve()
    url = args.database_url or common.sqlite_url(instance, "portal.db")
    run(url, instance, args.orgs, args.requests)


if __name__ == "__main__":
    main()
