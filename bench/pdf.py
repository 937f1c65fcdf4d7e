"""PDF timings: an outbrief and a service plan, cold and warm, with their sizes.

    python -m bench.pdf --database-url URL --instance DIR [--runs 5]

Guarded: until the documents feature is in this checkout (`portal.documents.pdf` importable) it
prints "skipped: documents not built". Then it goes through the documented HTTP API only
(shared/api.md), so it does not depend on the feature's internals: a staff token files an outbrief
for the first benchmark organisation (`POST /api/v1/outbriefs`, then `/deliver`); that
organisation's administrator lists `GET /api/v1/documents` and downloads each document as
`GET /api/v1/documents/{id}.pdf?lang=ja|en`. The first download in this process is "cold" (fonts
and the stylesheet loaded), the next `--runs` are "warm" (median and worst).
"""
from __future__ import annotations

import argparse
import importlib.util
import io
import json
import statistics
import time
from datetime import timedelta
from pathlib import Path

from bench import common

FINDING = ("管理者アカウントの一部で多要素認証が設定されていませんでした。The sign-in logs show "
           "repeated attempts from unfamiliar locations. ")


def documents_built() -> bool:
    """`portal.documents.pdf` importable from this checkout (not through another one's
    editable install, which resolves missing subpackages elsewhere)."""
    try:
        spec = importlib.util.find_spec("portal.documents.pdf")
    except ModuleNotFoundError:
        return False
    return spec is not None and Path(spec.origin).resolve().is_relative_to(common.ROOT)


def _token(app, email: str) -> dict:
    from sqlalchemy import select

    from portal.accounts.models import User
    from portal.accounts.services import issue_token
    from portal.db import db

    with app.app_context():
        token, _row = issue_token(db.session.scalar(select(User).where(User.email == email)), "bench")
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _outbrief(client, staff: dict) -> None:
    from portal.core import clock

    end = clock.now().date() - timedelta(days=3)
    body = {"organization": common.org_slug(1), "title": "インシデント対応調査 アウトブリーフ",
            "engagement_start": (end - timedelta(days=4)).isoformat(),
            "engagement_end": end.isoformat(), "summary": FINDING * 6,
            "findings": [{"title": f"所見 {n}", "risk": ("high", "medium", "low")[n % 3],
                          "detail": FINDING * 4} for n in range(1, 8)],
            "recommendations": [f"推奨事項 {n}: 条件付きアクセスを適用する" for n in range(1, 8)]}
    created = client.post("/api/v1/outbriefs", json=body, headers=staff)
    if created.status_code != 201:
        raise RuntimeError(f"POST /api/v1/outbriefs answered {created.status_code}: {created.json}")
    delivered = client.post(f"/api/v1/outbriefs/{created.json['id']}/deliver", headers=staff)
    if delivered.status_code != 200:
        raise RuntimeError(f"deliver answered {delivered.status_code}: {delivered.json}")


def _pages(content: bytes) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(io.BytesIO(content)).pages)


def _time(client, url: str, headers: dict, runs: int) -> dict:
    samples, content = [], b""
    for _ in range(runs + 1):
        started = time.perf_counter()
        answer = client.get(url, headers=headers)
        samples.append(time.perf_counter() - started)
        if answer.status_code != 200 or answer.mimetype != "application/pdf":
            raise RuntimeError(f"GET {url} answered {answer.status_code}")
        content = answer.data
    warm = samples[1:]
    return {"cold_s": samples[0], "warm_median_s": statistics.median(warm),
            "warm_max_s": max(warm), "kb": len(content) / 1024, "pages": _pages(content)}


def measure(app, runs: int) -> dict[str, dict]:
    client = app.test_client()
    staff = _token(app, "admin@madoguchi.bench.example")
    customer = _token(app, common.customer_email(1))
    _outbrief(client, staff)
    listed = client.get("/api/v1/documents", headers=customer)
    results = {}
    for item in listed.json["items"]:
        for lang in ("ja", "en"):
            name = f"{item['kind']} {lang}"
            if name not in results:
                results[name] = _time(client, f"/api/v1/documents/{item['id']}.pdf?lang={lang}",
                                      customer, runs)
    return results


def print_table(results: dict[str, dict]) -> None:
    print(f"  {'document':<18} {'pages':>5} {'cold s':>7} {'warm median s':>13} "
          f"{'warm max s':>10} {'KB':>7}")
    for name, row in results.items():
        print(f"  {name:<18} {row['pages'] or '?':>5} {row['cold_s']:>7.3f} "
              f"{row['warm_median_s']:>13.3f} {row['warm_max_s']:>10.3f} {row['kb']:>7.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--instance", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    print("PDF timings (outbrief and service plan, cold = first in the process)")
    if not documents_built():
        print("  skipped: documents not built")
        result: dict = {"skipped": "documents not built"}
    else:
        try:
            results = measure(common.make_app(args.database_url, Path(args.instance)), args.runs)
            print_table(results)
            result = {"documents": results}
        except Exception as error:  # report, never sink the whole benchmark run
            print(f"  failed: {type(error).__name__}: {error}")
            result = {"failed": str(error)}
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
