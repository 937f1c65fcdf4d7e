"""Where one page's time goes: each SQL statement with its duration, and a Python profile.

    python -m bench.profile --database-url URL --instance DIR --viewer staff /requests/123
        [--repeat 5] [--cprofile]

Signs in like bench.pages, requests the page once to warm up, then `--repeat` times while
timing every SQL statement (SQLAlchemy before/after_cursor_execute); prints the statements of
the last request, slowest first, with their median time, and the plan PostgreSQL or SQLite
chooses for the slowest. With --cprofile, the Python functions by cumulative time.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from pathlib import Path

from sqlalchemy import event

from bench import common
from bench.pages import login, subjects


class StatementTimer:
    def __init__(self, engine):
        self.rows: list[tuple[str, object, float]] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        started = conn.info.pop("bench_started", time.perf_counter())
        self.rows.append((statement, parameters, time.perf_counter() - started))


def explain(app, statement: str, parameters) -> str:
    from portal.db import db

    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            plan = conn.exec_driver_sql("EXPLAIN ANALYZE " + statement, parameters)
        else:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return "\n".join("      " + " ".join(str(col) for col in row) for row in plan)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--instance", required=True)
    parser.add_argument("--viewer", choices=("customer", "staff"), default="customer")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args(argv)
    app = common.make_app(args.database_url, Path(args.instance).resolve())
    from portal.db import db

    client = login(app, subjects(app)[args.viewer])
    client.get(args.path)
    with app.app_context():
        timer = StatementTimer(db.engine)
    per_statement: dict[str, list[float]] = {}
    walls = []
    profiler = cProfile.Profile() if args.cprofile else None
    for _ in range(args.repeat):
        timer.rows.clear()
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        client.get(args.path)
        if profiler:
            profiler.disable()
        walls.append(time.perf_counter() - started)
        for statement, _params, seconds in timer.rows:
            per_statement.setdefault(statement, []).append(seconds)
    last = {statement: params for statement, params, _s in timer.rows}
    sql_ms = sum(statistics.median(v) for v in per_statement.values()) * 1000
    print(f"{args.path}: median {statistics.median(walls) * 1000:.1f} ms, of which SQL "
          f"{sql_ms:.1f} ms in {len(timer.rows)} statements")
    ranked = sorted(per_statement.items(), key=lambda item: -statistics.median(item[1]))
    for statement, seconds in ranked:
        print(f"  {statistics.median(seconds) * 1000:8.2f} ms  {' '.join(statement.split())[:300]}")
    slowest = ranked[0][0]
    print("  plan of the slowest:\n" + explain(app, slowest, last[slowest]))
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
