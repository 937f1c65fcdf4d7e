"""What one kept page view costs the portal's own Python, without HTTP, threads or neighbours.

    python -m bench.calls --database-url URL --instance DIR [--path /requests] [--runs 3000]
        [--by name,name,...]

Signs a customer in through the real form (as bench/pages.py does), views the page twice so that
its fragments are kept and its session settled, then calls the WSGI application directly with
that request's environment: the CPU time per view (median of five slices, with a bare Flask
"hello" called the same way beside it) and the number of Python function calls per view
(cProfile), which, unlike milliseconds, does not move with the machine's load — the yardstick for
a change to the page-speed machinery on a shared machine (docs/performance.md, sixth round).
`--by` attributes the calls to the innermost of the named functions (hooks, the view, the
user's load), to see where they go. Last line: `calls_per_view=N cpu_ms_per_view=T`.
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

from bench import common
from bench.pages import login, subjects


def kept_environ(app, path: str) -> dict:
    """The WSGI environment of a signed-in customer's view of `path`, after two views."""
    client = login(app, subjects(app)["customer"])
    seen: dict = {}
    wsgi = app.wsgi_app
    app.wsgi_app = lambda environ, start: (seen.update(environ), wsgi(environ, start))[1]
    try:
        for _ in range(2):
            assert client.get(path).status_code == 200
    finally:
        app.wsgi_app = wsgi
    return {key: value for key, value in seen.items() if not key.startswith("werkzeug.")}


def caller(app, environ: dict):
    status: list[str] = []

    def start_response(code, headers, exc_info=None):
        status[:] = [code]

    def view() -> bytes:
        body = b"".join(app(dict(environ, **{"wsgi.input": io.BytesIO()}), start_response))
        if not status[0].startswith("200"):
            raise SystemExit(f"{environ.get('PATH_INFO')} answered {status[0]}")
        return body

    return view


def cpu_ms(view, runs: int) -> float:
    slices = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(max(runs // 5, 1)):
            view()
        slices.append((time.process_time() - started) / max(runs // 5, 1) * 1000)
    return statistics.median(slices)


def calls_per_view(view, runs: int = 200) -> float:
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(runs):
        view()
    profile.disable()
    return pstats.Stats(profile).total_calls / runs


def calls_by(view, names: set[str], runs: int = 100) -> collections.Counter:
    """Calls per view attributed to the innermost running function named in `names`."""
    counts: collections.Counter = collections.Counter()
    stack: list = []

    def tracer(frame, event, _arg):
        if event == "call" and frame.f_code.co_name in names:
            stack.append(frame)
        if event in ("call", "c_call"):
            counts[stack[-1].f_code.co_name if stack else "(elsewhere)"] += 1
        elif event == "return" and stack and stack[-1] is frame:
            stack.pop()

    sys.setprofile(tracer)
    try:
        for _ in range(runs):
            view()
    finally:
        sys.setprofile(None)
    return collections.Counter({name: count / runs for name, count in counts.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--instance", required=True)
    parser.add_argument("--path", default="/requests")
    parser.add_argument("--runs", type=int, default=3000)
    parser.add_argument("--by", default="")
    args = parser.parse_args()
    app = common.make_app(args.database_url, Path(args.instance))
    view = caller(app, kept_environ(app, args.path))
    # each view still writes its log line, as in production, to nowhere (portal/ops/logs.py
    # writes to whatever sys.stderr is)
    shown, sys.stderr = sys.stderr, open(os.devnull, "w")  # noqa: SIM115
    from flask import Flask

    hello = Flask("hello")
    hello.get("/")(lambda: "Hello, World!")
    bare = caller(hello, {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "localhost",
                          "SERVER_PORT": "80", "wsgi.url_scheme": "http"})
    for _ in range(300):
        view(), bare()
    if args.by:
        for name, count in calls_by(view, set(args.by.split(","))).most_common():
            print(f"{count:8.1f}  {name}")
    calls, cpu = calls_per_view(view), cpu_ms(view, args.runs)
    bare_calls, bare_cpu = calls_per_view(bare), cpu_ms(bare, args.runs)
    sys.stderr.close()
    sys.stderr = shown
    print(f"{args.path}: {calls:.0f} Python calls, {cpu:.3f} ms CPU per kept view; bare Flask "
          f"{bare_calls:.0f} calls, {bare_cpu:.3f} ms "
          f"(load average {' '.join(f'{x:.1f}' for x in os.getloadavg())})")
    print(f"calls_per_view={calls:.0f} cpu_ms_per_view={cpu:.3f}")


if __name__ == "__main__":
    main()
