"""A/B of the page-speed machinery: each piece switched off in turn, in one run.

    bench/run --ab [--database-url URL] [--orgs 50] [--requests 200] [--rounds 3] [--seconds 6]

One gunicorn per variant (`gunicorn.conf.py`, 2 workers × 4 threads, as production serves) on
the same data: "all on", then without the kept page frame, the fragment memory, the kept
session cookie, the CSRF signature reuse, the master's warm-up and the remembered answers of
Flask's ensure_sync (bench/ab_app.py). wrk drives
the customer's request list and a request page, and a bare Flask "hello" gives the ceiling; the
variants take turns, round after round, so that a slow spell of a shared machine falls on all
alike. Besides req/s and p95, each run reads the CPU time the server's processes spent (master
and workers, from /proc) per answered request: on a machine that other work shares, throughput
and latency follow the neighbours, while the CPU a request costs barely moves, so the verdict
rests on whichever of them shows the piece's worth. Printed: the medians per variant and page,
the change against "all on", and whether the piece buys the 5 % that keeps it (issue 16: on the
list's throughput, any page's p95, or any page's CPU per request). The last line:
`ab list_ratio=R` (all on: list / ceiling).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import common, load

PIECES = ("kept_frame", "fragments", "session_cookie", "csrf_reuse", "warm_up", "sync_memo")
THRESHOLD = 0.05


class Served(load.Server):
    """gunicorn with the repository's gunicorn.conf.py (preload, warm-up, gc.freeze)."""

    def __init__(self, env: dict, log: Path):
        self.port = load.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(env, PORTAL_BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY="2",
                   PORTAL_THREADS="4")
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [common.PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "bench.ab_app:app"],
            cwd=common.ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)


def cpu_seconds(pid: int) -> float:
    """CPU time of a gunicorn master and every worker it has had: its own, its live children's,
    and the reaped children's (cutime/cstime), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")

    def times(process: int, fields: slice) -> int:
        try:
            stat = Path(f"/proc/{process}/stat").read_text()
        except OSError:  # a worker that exited between the listing and the read
            return 0
        return sum(int(value) for value in stat.rsplit(")", 1)[1].split()[fields])

    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    # after the ")" of the name: state is field 0, utime 11, stime 12, cutime 13, cstime 14
    total = times(pid, slice(11, 15)) + sum(times(int(child), slice(11, 13)) for child in children)
    return total / tick


def measured(server, script: Path, seconds: int, connections: int) -> dict:
    """One wrk run against `server`, with the server's CPU milliseconds per answered request."""
    before = cpu_seconds(server.process.pid)
    row = load.wrk(server.url, script, seconds, connections, 2, (200,))
    spent = cpu_seconds(server.process.pid) - before
    return dict(row, cpu_ms=1000 * spent / max(row["requests"], 1))


def variant_env(base: dict, off: str) -> dict:
    env = dict(base, BENCH_AB_OFF=off)
    if off == "fragments":
        env["PORTAL_FRAGMENT_CACHE_SIZE"] = "0"
    return env


def run(url: str, instance: Path, rounds: int, seconds: int, connections: int) -> dict:
    env = common.portal_env(url, instance)
    work = instance / "ab"
    work.mkdir(parents=True, exist_ok=True)
    variants = ("all on", *PIECES)
    servers = {name: Served(variant_env(env, "" if name == "all on" else name),
                            work / f"{name.replace(' ', '_')}.log") for name in variants}
    hello = load.Server("bench.hello:app", env, 2, 4, work / "hello.log")
    email = load.customers(load._org_count(url, instance), 1)[0]
    samples: dict[tuple[str, str], list[dict]] = {}
    try:
        hello.wait("/")
        for server in servers.values():
            server.wait("/login")
        ceiling = load.write_script(work, "ceiling", "plain", "/", [])
        scripts = {}
        for name, server in servers.items():
            user = load.signed_in(server.url, email)
            slug = name.replace(" ", "_")
            scripts[name] = {
                "list": load.write_script(work, f"{slug}-list", "plain", "/requests", [user]),
                "request": load.write_script(work, f"{slug}-request", "plain",
                                             f"/requests/{user['ids'][0]}", [user]),
            }
            for script in scripts[name].values():  # warm every worker up
                load.wrk(server.url, script, 2, connections, 2, (200,))
        for number in range(1, rounds + 1):
            samples.setdefault(("ceiling", "hello"), []).append(
                load.wrk(hello.url, ceiling, seconds, connections, 2, (200,)))
            for name, server in servers.items():
                for page, script in scripts[name].items():
                    row = measured(server, script, seconds, connections)
                    samples.setdefault((name, page), []).append(row)
                    print(f"  round {number} {name:15} {page:8} {row['rps']:7.1f} req/s "
                          f"p95 {row['p95_ms']:6.1f} ms cpu {row['cpu_ms']:5.2f} ms/req "
                          f"errors {row['errors']}", flush=True)
    finally:
        hello.stop()
        for server in servers.values():
            server.stop()
    return summarise(samples)


def summarise(samples: dict) -> dict:
    medians = {key: {"rps": statistics.median(r["rps"] for r in rows),
                     "p95_ms": statistics.median(r["p95_ms"] for r in rows),
                     "cpu_ms": statistics.median(r.get("cpu_ms", 0.0) for r in rows),
                     "errors": sum(r["errors"] for r in rows)} for key, rows in samples.items()}
    base = {page: medians[("all on", page)] for page in ("list", "request")}
    verdicts = {}
    for piece in PIECES:
        # what the piece buys = how much worse the portal is without it
        rps_gain = base["list"]["rps"] / medians[(piece, "list")]["rps"] - 1
        p95_gain = max(medians[(piece, page)]["p95_ms"] / base[page]["p95_ms"] - 1
                       for page in ("list", "request"))
        cpu_gain = max(medians[(piece, page)]["cpu_ms"] / base[page]["cpu_ms"] - 1
                       for page in ("list", "request"))
        verdicts[piece] = {"list_rps_gain": rps_gain, "p95_gain": p95_gain, "cpu_gain": cpu_gain,
                           "keep": max(rps_gain, p95_gain, cpu_gain) >= THRESHOLD}
    return {"medians": {f"{k[0]}|{k[1]}": v for k, v in medians.items()}, "verdicts": verdicts,
            "list_ratio": base["list"]["rps"] / medians[("ceiling", "hello")]["rps"],
            "errors": sum(v["errors"] for v in medians.values())}


def markdown(result: dict) -> str:
    medians = result["medians"]
    lines = ["| variant | list req/s | list p95 ms | list CPU ms/req | request req/s | "
             "request p95 ms | request CPU ms/req | the piece buys (list req/s · worst p95 · "
             "worst CPU/req) | verdict |", "|---|---|---|---|---|---|---|---|---|"]
    for name in ("all on", *PIECES):
        row, req = medians[f"{name}|list"], medians[f"{name}|request"]
        verdict = result["verdicts"].get(name)
        buys = (f"{verdict['list_rps_gain']:+.1%} · {verdict['p95_gain']:+.1%} · "
                f"{verdict['cpu_gain']:+.1%}" if verdict else "")
        keep = ("keep" if verdict["keep"] else "drop (under 5 %)") if verdict else ""
        label = name if name == "all on" else f"without {name}"
        lines.append(f"| {label} | {row['rps']:.0f} | {row['p95_ms']:.1f} | {row['cpu_ms']:.2f} | "
                     f"{req['rps']:.0f} | {req['p95_ms']:.1f} | {req['cpu_ms']:.2f} | {buys} | "
                     f"{keep} |")
    ceiling = medians["ceiling|hello"]
    lines.append(f"| bare Flask ceiling | {ceiling['rps']:.0f} | {ceiling['p95_ms']:.1f} | | | | | | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--orgs", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workdir")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: bench/run installs it (Debian package wrk)")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="madoguchi-ab-")).resolve()
    instance = work / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    url = args.database_url or common.sqlite_url(instance)
    common.print_machine()
    subprocess.run([common.PYTHON, "-m", "bench.generate", "--orgs", str(args.orgs),
                    "--requests", str(args.requests), "--database-url", url,
                    "--instance", str(instance)], cwd=common.ROOT,
                   env=common.portal_env(url, instance), check=True, stdout=subprocess.DEVNULL)
    try:
        result = run(url, instance, args.rounds, args.seconds, args.connections)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    print(markdown(result))
    print(f"ab list_ratio={result['list_ratio']:.3f} errors={result['errors']}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
