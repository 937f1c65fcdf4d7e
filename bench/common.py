"""What the benchmark scripts share: databases, the app, the machine, and small statistics.

Every script is run from the repository root as a module (`python -m bench.pages`), so the
`portal` package imported is the one of this checkout.
"""
from __future__ import annotations

import os
import platform
import sqlite3
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "madoguchi-bench"  # every generated person's password (one Argon2 hash, reused)
STAFF_EMAIL = "staff1@madoguchi.bench.example"
TOTP_SECRET = "MADOGUCHIBENCHSTAFFTOTPKEY234567"  # the staff's authenticator key (base32)


def org_slug(number: int) -> str:
    return f"bench-{number:04d}"


def customer_email(number: int, who: str = "admin") -> str:
    """`admin`, `contact1` or `contact2` of organisation `number` (1-based)."""
    return f"{who}@{org_slug(number)}.bench.example"


def sqlite_url(folder: Path, name: str = "bench.db") -> str:
    return f"sqlite:///{folder / name}"


def pg_url(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


def _pg_admin():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://"),
                           autocommit=True)


def pg_create(database: str) -> str:
    """A fresh, empty PostgreSQL database (dropped first if it is left from an earlier run)."""
    pg_drop(database)
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    return pg_url(database)


def pg_client() -> str:
    """Which libpq the PostgreSQL runs go through, and how the server's connection is made:
    psycopg's implementation (binary, c, python), the libpq version, TLS or not."""
    import psycopg

    with _pg_admin() as conn:
        ssl = conn.execute("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
                           ).fetchone()
    return (f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}), libpq {psycopg.pq.version()}, "
            + (f"TLS {ssl[1]}" if ssl and ssl[0] else "no TLS"))


def pg_empty(database: str) -> str:
    """An existing PostgreSQL database emptied in place (its public schema dropped and made
    again), for a run that must use a database it was given instead of creating its own."""
    import psycopg

    with psycopg.connect(pg_url(database).replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return pg_url(database)


def pg_drop(database: str) -> None:
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def portal_env(database_url: str, instance: Path) -> dict[str, str]:
    """The environment the portal runs with in every benchmark (app, CLI and gunicorn alike)."""
    env = dict(os.environ)
    env.update({
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_INSTANCE_PATH": str(instance),
        "PORTAL_OUTBOX_INLINE": "0",  # mail stays in the outbox; a worker would send it
        "PORTAL_RATELIMIT_STORAGE_URL": "memory://",
    })
    return env


def make_app(database_url: str, instance: Path):
    """The portal app in this process, configured exactly as under gunicorn."""
    os.environ.update(portal_env(database_url, instance))
    from portal import create_app

    return create_app()


def migrate(app) -> None:
    """The schema through Alembic, as `flask db upgrade` does (never create_all)."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))


@contextmanager
def timed(label: str, out=None):
    """Print how long the block took."""
    start = time.perf_counter()
    yield
    print(f"  {label}: {time.perf_counter() - start:.2f} s", file=out or sys.stdout, flush=True)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p50, p95) of a sample."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def machine() -> dict[str, str]:
    """The machine the figures come from: CPUs, CPU model, memory, load, versions."""
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal")), 0)
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "kernel": platform.release(),
    }


def print_machine() -> None:
    info = machine()
    print(f"machine: nproc={info['nproc']} cpu={info['cpu']!r} ram={info['ram']} "
          f"load={info['load']} python={info['python']} sqlite={info['sqlite']}", flush=True)
