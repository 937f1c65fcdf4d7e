"""Turning a benchmark run's results into the query-count check, Markdown tables and the last line."""
from __future__ import annotations

TARGET_P95_MS = 50.0
TARGET_RATIO = 0.20
RUNS = ("ceiling", "list", "mix", "floor")


def _pages(results: dict, kind: str, size: str) -> dict[str, dict]:
    pages = results.get(kind, {}).get(f"pages_{size}", {}).get("pages", [])
    return {row["name"]: row for row in pages}


def query_rows(out: dict) -> list[tuple[str, str, str, bool]]:
    small = {row["name"]: row for row in out.get("pages_small", {}).get("pages", [])}
    full = {row["name"]: row for row in out.get("pages_full", {}).get("pages", [])}
    rows = []
    for name, row in full.items():
        if name in small:
            before, after = small[name], row
            rows.append((name, _queries(before), _queries(after),
                         before["queries_max"] == after["queries_max"] and
                         before["queries"] == after["queries"]))
    return rows


def _queries(row: dict) -> str:
    low, high = row["queries"], row["queries_max"]
    return str(low) if low == high else f"{low}-{high}"


def print_query_counts(kind: str, out: dict) -> None:
    print(f"SQL queries per request, small vs full data ({kind}):")
    for name, small, full, same in query_rows(out):
        print(f"  {name:<28} {small:>6} {full:>6}  {'constant' if same else 'GROWS'}")


def _size(results: dict, name: str) -> str:
    orgs, requests = results["sizes"][name]
    return f"{orgs} × {requests} = {orgs * requests:,}"


def pages_table(results: dict, kinds: list[str]) -> list[str]:
    head = "| page | " + " | ".join(
        f"{kind} first view p50 / p95 ms (cpu p50) · repeat p50 | queries small → full"
        for kind in kinds) + " |"
    lines = [head, "|---|" + "---|---|" * len(kinds)]
    names = list(_pages(results, kinds[0], "full"))
    for name in names:
        cells = []
        for kind in kinds:
            full = _pages(results, kind, "full").get(name)
            small = _pages(results, kind, "small").get(name)
            if full is None:
                cells += ["—", "—"]
                continue
            miss = " ⚠" if full["required"] and full["p95_ms"] >= TARGET_P95_MS else ""
            cells.append(f"{full['p50_ms']:.1f} / {full['p95_ms']:.1f}{miss} "
                         f"({full['cpu_p50_ms']:.1f}) · {full.get('repeat_p50_ms', 0):.1f}")
            cells.append(f"{_queries(small) if small else '?'} → {_queries(full)}")
        extra = "" if _pages(results, kinds[0], "full")[name]["required"] else " (extra)"
        lines.append(f"| {name}{extra} | " + " | ".join(cells) + " |")
    return lines


def load_table(results: dict, kinds: list[str]) -> list[str]:
    lines = ["| database | run | req/s | p50 ms | p95 ms | p99 ms | errors | answers |",
             "|---|---|---|---|---|---|---|---|"]
    for kind in kinds:
        load = results.get(kind, {}).get("load")
        if not load:
            continue
        rows = [(f"{name} {n + 1}", run)
                for n, pair in enumerate(zip(load.get("ceiling_runs", []), load.get("list_runs", []),
                                             strict=False))
                for name, run in zip(("ceiling", "list"), pair, strict=True)]
        rows += [(name, load[name]) for name in RUNS[1:] if name in load]
        for name, row in rows:
            codes = " ".join(f"{code}: {count}" for code, count in sorted(row["codes"].items()))
            lines.append(f"| {kind} | {name} | {row['rps']:.1f} | {row['p50_ms']:.1f} | "
                         f"{row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['errors']} | {codes} |")
        pairs = ", ".join(f"{ratio:.3f}" for ratio in load.get("ratio_pairs", []))
        lines.append(f"| {kind} | **ratio list / ceiling** (median of the pairs {pairs}) | "
                     f"**{load['ratio']:.3f}** | | | | | |")
        if "floor" in load:
            lines.append(f"| {kind} | ratio floor / ceiling (whole runs) | "
                         f"{load['floor']['rps'] / load['ceiling']['rps']:.3f} | | | | | |")
    return lines


def pdf_lines(results: dict) -> list[str]:
    pdf = results.get("pdf", {})
    if "documents" not in pdf:
        return [f"PDF timings: {pdf.get('skipped') or 'failed: ' + str(pdf.get('failed'))}"]
    lines = ["| document | pages | cold s | warm median s | warm max s | KB |",
             "|---|---|---|---|---|---|"]
    for name, row in pdf["documents"].items():
        lines.append(f"| {name} | {row['pages']} | {row['cold_s']:.3f} | "
                     f"{row['warm_median_s']:.3f} | {row['warm_max_s']:.3f} | {row['kb']:.1f} |")
    return lines


def markdown(results: dict) -> str:
    kinds = [kind for kind in ("sqlite", "postgresql") if kind in results]
    machine = results["machine"]
    plan = results["plan"]
    out = [f"Machine: {machine['nproc']} CPUs ({machine['cpu']}), {machine['ram']} RAM, "
           f"load average at start {machine['load']}, Python {machine['python']}, "
           f"SQLite {machine['sqlite']}.",
           f"Data: {_size(results, 'full')} requests (small: {_size(results, 'small')}); "
           f"page timings over {plan['runs']['full']} runs after warm-up; load runs "
           f"{plan['duration']} s each with gunicorn -w {plan['workers']} -k gthread --threads 4.",
           ""]
    for kind in kinds:
        seconds = results[kind].get("generate_full_s")
        if seconds:
            out.append(f"Generating the full data on {kind}: {seconds:.0f} s.")
    out += ["", *pages_table(results, kinds), "", *load_table(results, kinds), "",
            *pdf_lines(results), ""]
    return "\n".join(out)


def final_line(results: dict, kinds: list[str]) -> str:
    loads = [results[kind]["load"] for kind in kinds if "load" in results.get(kind, {})]
    ratio = min(load["ratio"] for load in loads)
    p95 = max(load["list"]["p95_ms"] for load in loads)
    errors = sum(load[name]["errors"] for load in loads for name in RUNS[1:] if name in load)
    errors += sum(run["errors"] for load in loads for run in load.get("ceiling_runs", []))
    # "list" combines its slices, so its errors are already counted above
    return f"ratio={ratio:.3f} list_p95_ms={p95:.1f} errors={errors}"


def search_line(results: dict, kinds: list[str]) -> str:
    """`search_p95_ms=S index_mib=I`: the slowest search's p95 and the largest index."""
    searches = [results[kind]["search"] for kind in kinds if "search" in results.get(kind, {})]
    worst = max(row["p95_ms"] for search in searches for row in search["rows"] if row["q"])
    index = max(search["index_bytes"] for search in searches) / 1048576
    return f"search_p95_ms={worst:.1f} index_mib={index:.1f}"


def compare(before: dict, after: dict) -> str:
    """Two bench.pages --json results side by side (e.g. before and after a fix)."""
    old = {row["name"]: row for row in before["pages"]}
    lines = [f"| page | {before['label']} p50 / p95 ms (queries) | {after['label']} p50 / p95 ms "
             "(queries) |", "|---|---|---|"]
    for row in after["pages"]:
        was = old.get(row["name"])
        left = f"{was['p50_ms']:.1f} / {was['p95_ms']:.1f} ({was['queries']})" if was else "—"
        lines.append(f"| {row['name']} | {left} | {row['p50_ms']:.1f} / {row['p95_ms']:.1f} "
                     f"({row['queries']}) |")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m bench.report BEFORE.json AFTER.json
    import json
    import sys
    from pathlib import Path

    print(compare(*(json.loads(Path(name).read_text()) for name in sys.argv[1:3])))
