"""Load run: the portal under gunicorn beside a bare Flask "hello" (the ceiling), driven by wrk.

    python -m bench.load --database-url URL --instance DIR [--duration 10] [--workers 2]
        [--threads 4] [--connections 16] [--json OUT]

Both apps are served the same way, the way the README recommends for production
(`gunicorn -k gthread --threads 4 wsgi:app`), with `-w 2` here because the machine has 2 cores and
wrk needs some of them too (more workers only add context switches; see docs/performance.md).
Only 127.0.0.1 is used; every wrk run is bounded by --duration. The measured runs:

* ceiling   GET / of bench/hello.py;
* list      GET /requests as a signed-in customer (session cookie from the real /login form);
* mix       40 % /requests, 30 % /dashboard, 30 % /requests/<id>, and every 20th request a
            filing (POST /api/v1/tickets with a bearer token from `flask tokens create`,
            acknowledge_overage true), at most 4 filings per second per wrk thread: the API
            allows 600 per minute per address and that limit cannot be raised by configuration;
* floor     GET /bench/floor of bench/floor.py: the portal's whole stack for a signed-in request
            that renders nothing (diagnostic: the most any signed-in page can reach).

The ceiling and the list are run in turns, --slices times each (duration / slices seconds per
run), and R is the median of the paired ratios list_i / ceiling_i: a slower or faster spell of a
shared machine falls on both runs of a pair alike instead of on one side of the ratio. Their
rows in the results combine the slices (throughput over the whole time, the worst p95). The mix
and the floor run once for --duration.
Errors are socket errors plus every answer other than the expected one (200; 201 for filings):
a redirect to the sign-in page is a failure too.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import socket
import statistics
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench import common

UA = "madoguchi-bench/1.0"
SCRIPT = Path(__file__).with_name("load.lua")
DONE = Path(__file__).with_name("wrk_done.lua")  # response() and done(), shared with soak.lua
TICKET_LINK = re.compile(r'href="/requests/(\d+)"')
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn (gthread) on 127.0.0.1, started and stopped by us (by its own pid)."""

    def __init__(self, app_spec: str, env: dict, workers: int, threads: int, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [common.PYTHON, "-m", "gunicorn", "-w", str(workers), "-k", "gthread",
                   "--threads", str(threads), "-b", f"127.0.0.1:{self.port}",
                   # as gunicorn.conf.py derives it from its own thread count
                   "--worker-connections", str(2 * threads),
                   # gunicorn 27's control socket has one default path for every gunicorn
                   # on the machine; the benchmark needs none
                   "--no-control-socket", app_spec]
        self.log = log.open("w")
        self.process = subprocess.Popen(command, cwd=common.ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)

    def wait(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"{self.url}{path} did not answer within {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def signed_in(base: str, email: str) -> dict:
    """Sign in through the form; returns the session cookie and the user's ticket ids."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", UA)]
    page = opener.open(base + "/login").read().decode()
    form = urllib.parse.urlencode({"csrf_token": CSRF_RE.search(page).group(1), "email": email,
                                   "password": common.PASSWORD}).encode()
    answer = opener.open(base + "/login", form)
    page = answer.read().decode()
    if answer.geturl().endswith("/login/verify"):  # staff: their authenticator code
        import pyotp

        code = pyotp.TOTP(common.TOTP_SECRET).now()  # the served portal runs on real time
        opener.open(base + "/login/verify", urllib.parse.urlencode({
            "csrf_token": CSRF_RE.search(page).group(1), "code": code}).encode()).read()
    listing = opener.open(base + "/requests?per_page=100").read().decode()
    ids = sorted({int(found) for found in TICKET_LINK.findall(listing)})
    opener.open(f"{base}/requests/{ids[0]}").read()  # the session now holds its CSRF token
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar if c.name == "session")
    check = urllib.request.build_opener(_NoRedirect)
    check.addheaders = [("User-Agent", UA), ("Cookie", cookie)]
    with check.open(base + "/requests") as answer:
        if answer.status != 200:
            raise SystemExit(f"the session of {email} does not hold: {answer.status}")
    return {"cookie": cookie, "ids": ids}


def api_token(env: dict, email: str) -> str:
    """A bearer token, exactly as an administrator gets one: `flask --app portal tokens create`."""
    done = subprocess.run([common.PYTHON, "-m", "flask", "--app", "portal", "tokens", "create",
                           email, "--name", "bench-load"], cwd=common.ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string literal for these values


def write_script(folder: Path, name: str, mode: str, path: str, users: list[dict]) -> Path:
    entries = ", ".join(
        f"{{cookie = {_lua_string(u.get('cookie', ''))}, token = {_lua_string(u.get('token', ''))}, "
        f"ids = {{{', '.join(str(i) for i in u.get('ids', []))}}}}}"
        for u in users)
    config = (f"CONFIG = {{mode = {_lua_string(mode)}, path = {_lua_string(path)}, "
              f"ua = {_lua_string(UA)}, users = {{{entries}}}, file_every = 20, "
              f"file_per_second = 4}}\n")
    script = folder / f"{name}.lua"
    script.write_text(config + SCRIPT.read_text() + DONE.read_text())
    return script


def wrk(url: str, script: Path, duration: int, connections: int, threads: int,
        expected: tuple[int, ...]) -> dict:
    """One bounded wrk run; returns throughput, latency percentiles and errors."""
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
               "--timeout", "10s", "--latency", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            timeout=duration + 60).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.split(" ", 1)[1])
    codes = {int(code): count for code, count in raw["codes"].items()}
    unexpected = sum(count for code, count in codes.items() if code not in expected)
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "requests": raw["requests"], "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000, "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000, "max_ms": raw["max_us"] / 1000,
        "errors": socket_errors + unexpected, "socket_errors": socket_errors,
        "socket": {kind: raw[kind] for kind in ("connect", "read", "write", "timeout")},
        "codes": codes, "filings_sent": raw["posts"],
        "kb_per_response": raw["bytes"] / max(raw["requests"], 1) / 1024,
    }


def customers(orgs: int, count: int) -> list[str]:
    """One signed-in customer per wrk thread, from organisations spread over the data."""
    return [common.customer_email(1 + (orgs * (n + 1)) // (count + 1) % orgs, "contact1")
            for n in range(count)]


def _org_count(database_url: str, instance: Path) -> int:
    from sqlalchemy import func, select

    app = common.make_app(database_url, instance)
    from portal.accounts.models import Organization
    from portal.db import db

    with app.app_context():
        return db.session.scalar(select(func.count(Organization.id)))


def combined(rows: list[dict]) -> dict:
    """Several runs of one kind as one: throughput over the whole time; the median of the p50s and
    the worst p95 and p99 (a percentile of runs cannot be merged exactly: err on the slow side)."""
    codes: dict[int, int] = {}
    for row in rows:
        for code, count in row["codes"].items():
            codes[code] = codes.get(code, 0) + count
    requests = sum(row["requests"] for row in rows)
    return {
        "requests": requests, "rps": requests / sum(row["requests"] / row["rps"] for row in rows),
        "p50_ms": statistics.median(row["p50_ms"] for row in rows),
        "p95_ms": max(row["p95_ms"] for row in rows), "p99_ms": max(row["p99_ms"] for row in rows),
        "max_ms": max(row["max_ms"] for row in rows),
        "errors": sum(row["errors"] for row in rows),
        "socket_errors": sum(row["socket_errors"] for row in rows),
        "codes": codes, "filings_sent": 0,
        "kb_per_response": sum(row["kb_per_response"] * row["requests"] for row in rows)
        / max(requests, 1),
    }


def run(database_url: str, instance: Path, duration: int, workers: int, threads: int,
        connections: int, wrk_threads: int = 2, slices: int = 5) -> dict:
    env = common.portal_env(database_url, instance)
    work = instance / "load"
    work.mkdir(parents=True, exist_ok=True)
    people = customers(_org_count(database_url, instance), wrk_threads)
    servers = {name: Server(spec, env, workers, threads, work / f"{name}.log")
               for name, spec in (("hello", "bench.hello:app"), ("portal", "wsgi:app"),
                                  ("floor", "bench.floor:app"))}
    try:
        for name, path in (("hello", "/"), ("portal", "/login"), ("floor", "/login")):
            servers[name].wait(path)
        portal = servers["portal"]
        users = [dict(signed_in(portal.url, email), token=api_token(env, email)) for email in people]
        runs = (("ceiling", "hello", "plain", "/", (200,)),
                ("list", "portal", "plain", "/requests", (200,)),
                ("mix", "portal", "mix", "/requests", (200, 201)),
                ("floor", "floor", "plain", "/bench/floor", (200,)))
        scripts = {name: write_script(work, name, mode, path, users if name != "ceiling" else [])
                   for name, _server, mode, path, _ok in runs}
        for name, server, _mode, _path, expected in runs:  # warm every worker up
            if name != "mix":
                wrk(servers[server].url, scripts[name], 2, connections, wrk_threads, expected)
        results: dict = {"ceiling_runs": [], "list_runs": []}
        # The ceiling and the list in turns, `slices` short runs each, so that a slower spell of a
        # shared machine (seen: the bare hello itself moving between 3,000 and 5,200 req/s
        # within a minute) falls on both alike; R is the median of the paired ratios.
        length = max(3, round(duration / slices))
        for number in range(1, slices + 1):
            for name, server, _mode, _path, expected in runs[:2]:
                row = wrk(servers[server].url, scripts[name], length, connections, wrk_threads,
                          expected)
                print_run(f"{name} {number}", row, flush=True)
                results[f"{name}_runs"].append(row)
        for name in ("ceiling", "list"):
            results[name] = combined(results[f"{name}_runs"])
        for name, server, _mode, _path, expected in runs[2:]:
            row = wrk(servers[server].url, scripts[name], duration, connections, wrk_threads,
                      expected)
            print_run(name, row, flush=True)
            results[name] = row
    finally:
        for server in servers.values():
            server.stop()
    results["ratio_pairs"] = [listed["rps"] / ceiling["rps"] for ceiling, listed
                              in zip(results["ceiling_runs"], results["list_runs"], strict=True)]
    results["ratio"] = statistics.median(results["ratio_pairs"])
    results["settings"] = {"workers": workers, "threads": threads, "connections": connections,
                           "wrk_threads": wrk_threads, "duration_s": duration, "slices": slices}
    return results


def print_run(name: str, row: dict, flush: bool = False) -> None:
    codes = " ".join(f"{code}:{count}" for code, count in sorted(row["codes"].items()))
    print(f"  {name:<8} {row['rps']:8.1f} req/s  p50 {row['p50_ms']:7.1f}  p95 {row['p95_ms']:7.1f}  "
          f"p99 {row['p99_ms']:7.1f} ms  errors {row['errors']}  [{codes}]"
          + (f"  filings sent {row['filings_sent']}" if row["filings_sent"] else ""), flush=flush)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--instance", required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--slices", type=int, default=5,
                        help="ceiling and list runs, taken in turns; each lasts duration / slices")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    print(f"load run: gunicorn -w {args.workers} -k gthread --threads {args.threads}, wrk -t2 "
          f"-c{args.connections} -d{args.duration}s, load {common.machine()['load']}", flush=True)
    results = run(args.database_url, Path(args.instance).resolve(), args.duration, args.workers,
                  args.threads, args.connections, slices=args.slices)
    pairs = ", ".join(f"{ratio:.3f}" for ratio in results["ratio_pairs"])
    print(f"  ratio list/ceiling = {results['ratio']:.3f} (median of the pairs {pairs})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
