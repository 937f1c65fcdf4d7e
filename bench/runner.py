"""Everything in one go (called by `bench/run`): data, page timings, load run, PDF timings.

    bench/run --quick    SQLite only: 5 × 20 and 50 × 200 requests, 10 s load runs (< 5 minutes)
    bench/run            SQLite and PostgreSQL: 5 × 20 and 500 × 200 = 100,000 requests, 30 s runs
    options: --keep (keep the databases and the work folder), --sqlite-only, --workdir DIR,
             --reuse (with --workdir of a --keep run: time the kept databases again, without
             generating them; after a change of code that needs no migration)

Each step runs in its own process (a fresh app per database). PostgreSQL databases
`portal_bench` and `portal_bench_small` are created on BENCH_PG_URL's server (default
127.0.0.1:5432, user postgres) and dropped at the end unless --keep. The results go to
<workdir>/results.json and a Markdown summary to <workdir>/results.md; the last lines printed are

    search_p95_ms=S index_mib=I
    ratio=R list_p95_ms=P errors=E

S = the highest p95 of any search (bench/search.py: 20 queries, customer and staff) at the full
size, I = the search index's size there (with two databases: the higher of each); R =
request-list throughput under load / the bare-Flask ceiling's, P = the list's p95 under load
in ms, E = failed or unexpected answers over every load run. With two databases R is the lower
ratio, P the higher p95 and E the sum.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench import common, report


def step(module: str, *args: str) -> None:
    subprocess.run([common.PYTHON, "-m", f"bench.{module}", *args], cwd=common.ROOT, check=True)


def database(kind: str, name: str, work: Path, reuse: bool = False) -> tuple[str, Path]:
    """A fresh database of `kind` and its instance folder (or the kept one, to reuse)."""
    instance = work / f"{kind}-{name}"
    instance.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        return common.sqlite_url(instance), instance
    database_name = f"portal_bench_{name}" if name != "full" else "portal_bench"
    return (common.pg_url(database_name) if reuse else common.pg_create(database_name)), instance


def run_database(kind: str, sizes: dict, plan: dict, work: Path, results: dict) -> None:
    """Generate both sizes, time the pages on each, load the full one."""
    out = results.setdefault(kind, {})
    for name, (orgs, requests) in sizes.items():
        url, instance = database(kind, name, work, plan["reuse"])
        print(f"\n== {kind}, {name}: {orgs} × {requests} ==", flush=True)
        started = time.perf_counter()
        if not plan["reuse"]:
            step("generate", "--orgs", str(orgs), "--requests", str(requests), "--database-url",
                 url, "--instance", str(instance))
            out[f"generate_{name}_s"] = time.perf_counter() - started
        pages_json = instance / "pages.json"
        step("pages", "--database-url", url, "--instance", str(instance), "--runs",
             str(plan["runs"][name]), "--label", f"{kind} {name} ({orgs} × {requests})",
             "--json", str(pages_json))
        out[f"pages_{name}"] = json.loads(pages_json.read_text())
        if name == "full":
            load_json = instance / "load.json"
            step("load", "--database-url", url, "--instance", str(instance), "--duration",
                 str(plan["duration"]), "--workers", str(plan["workers"]), "--json", str(load_json))
            out["load"] = json.loads(load_json.read_text())
            search_json = instance / "search.json"  # issue 21: the searches at this size
            step("search", "--database-url", url, "--instance", str(instance), "--runs",
                 str(plan["runs"]["search"]), "--label", f"{kind} {name}", "--json",
                 str(search_json))
            out["search"] = json.loads(search_json.read_text())
            if kind == "sqlite":
                pdf_json = instance / "pdf.json"
                step("pdf", "--database-url", url, "--instance", str(instance), "--json",
                     str(pdf_json))
                results["pdf"] = json.loads(pdf_json.read_text())
    report.print_query_counts(kind, out)


def cleanup(kinds: list[str], work: Path, keep: bool, created_work: bool) -> None:
    if keep:
        print(f"kept: {work}" + (" and PostgreSQL portal_bench, portal_bench_small"
                                 if "postgresql" in kinds else ""))
        return
    if "postgresql" in kinds:
        for name in ("portal_bench", "portal_bench_small"):
            common.pg_drop(name)
    if created_work:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workdir")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args(argv)
    if args.reuse and not (args.workdir and args.keep):
        parser.error("--reuse needs the --workdir of an earlier --keep run, and --keep")
    quick = args.quick
    sizes = {"small": (5, 20), "full": (50, 200) if quick else (500, 200)}
    plan = {"runs": {"small": 20, "full": 30 if quick else 50, "search": 10 if quick else 20},
            "duration": 10 if quick else 30,
            "workers": args.workers, "reuse": args.reuse}
    kinds = ["sqlite"] if quick or args.sqlite_only else ["sqlite", "postgresql"]
    work = Path(args.workdir or tempfile.mkdtemp(prefix="madoguchi-bench-")).resolve()
    started = time.perf_counter()
    common.print_machine()
    results: dict = {"machine": common.machine(), "quick": quick, "sizes": sizes, "plan": plan}
    try:
        for kind in kinds:
            run_database(kind, sizes, plan, work, results)
    finally:
        cleanup(kinds, work, args.keep, created_work=args.workdir is None)
    results["elapsed_s"] = time.perf_counter() - started
    summary = report.markdown(results)
    print("\n" + summary)
    if work.exists():
        (work / "results.json").write_text(json.dumps(results, indent=1))
        (work / "results.md").write_text(summary)
        print(f"results: {work / 'results.json'}, summary: {work / 'results.md'}")
    print(f"elapsed {results['elapsed_s']:.0f} s")
    print(report.search_line(results, kinds))
    print(report.final_line(results, kinds))


if __name__ == "__main__":
    main()
