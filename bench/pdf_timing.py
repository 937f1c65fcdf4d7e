"""How long a PDF takes and how much it weighs: a three-page outbrief and a service plan.

    python bench/pdf_timing.py [--runs 10]

Builds its own data in a throwaway SQLite instance (nothing else is touched), renders each
document once cold (first render in the process: fonts loaded, stylesheet parsed) and then
`--runs` times warm, and prints the median and worst warm wall time, the median warm CPU time
(what the render costs when the machine is shared), the size and the page count.
Budget (issue 7): a three-page outbrief renders in at most 0.3 s warm and weighs at most 100 KB.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FINDING = ("調査の結果、管理者アカウントの一部で多要素認証が設定されておらず、パスワード スプレー攻撃に"
           "対して脆弱な状態でした。The sign-in logs show repeated attempts from unfamiliar "
           "locations; conditional access policies did not cover the legacy protocols. ")


def _data():
    """An organisation, a staff member and a delivered outbrief that prints on three pages."""
    from portal.accounts import services as accounts
    from portal.db import db
    from portal.documents import services
    from portal.documents.interfaces import FindingInput, OutbriefInput

    org = accounts.create_organization("acme", "株式会社アクメ", term_start=date(2026, 1, 1),
                                       term_end=date(2027, 3, 31))
    staff = accounts.create_user("staff@example.jp", "田中 サポート", "staff")
    accounts.create_user("admin@acme.example", "山田 花子", "customer_admin", organization=org)
    findings = tuple(FindingInput(f"所見 {n}: 多要素認証の未設定", ("high", "medium", "low")[n % 3],
                                  FINDING * 4) for n in range(1, 8))
    outbrief = services.create_outbrief(staff, OutbriefInput(
        organization_id=org.id, kind="incident_response", title="インシデント対応調査 アウトブリーフ",
        engagement_start=date(2026, 11, 2), engagement_end=date(2026, 11, 6),
        summary=FINDING * 3, findings=findings,
        recommendations=tuple(f"推奨事項 {n}: 条件付きアクセスを適用する" for n in range(1, 8))))
    services.deliver(staff, outbrief)
    db.session.commit()
    return org, outbrief


def _measure(render, runs: int) -> dict:
    start = time.perf_counter()
    content = render()
    cold = time.perf_counter() - start
    warm, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        render()
        warm.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    from pypdf import PdfReader

    return {"cold": cold, "median": statistics.median(warm), "worst": max(warm),
            "cpu": statistics.median(cpu),
            "kb": len(content) / 1024, "pages": len(PdfReader(io.BytesIO(content)).pages)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    folder = tempfile.mkdtemp(prefix="madoguchi-bench-")
    os.environ["PORTAL_INSTANCE_PATH"] = folder
    from flask_migrate import upgrade

    from portal import create_app
    from portal.core import clock
    from portal.documents import printing

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db"})
    with app.app_context(), app.test_request_context():
        upgrade(directory=str(ROOT / "migrations"))
        org, outbrief = _data()
        now = clock.now()
        cases = {
            "outbrief ja": lambda: printing.outbrief_pdf(outbrief, "山田 花子", now, "ja"),
            "outbrief en": lambda: printing.outbrief_pdf(outbrief, "山田 花子", now, "en"),
            "service plan ja": lambda: printing.service_plan_pdf(org, "山田 花子", now, "ja"),
            "service plan en": lambda: printing.service_plan_pdf(org, "山田 花子", now, "en"),
        }
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs, {runs} warm runs")
        print(f"{'document':<16} {'pages':>5} {'cold s':>7} {'warm med s':>10} {'warm max s':>10} "
              f"{'warm cpu s':>10} {'size KB':>8}")
        for name, render in cases.items():
            row = _measure(render, runs)
            print(f"{name:<16} {row['pages']:>5} {row['cold']:>7.3f} {row['median']:>10.3f} "
                  f"{row['worst']:>10.3f} {row['cpu']:>10.3f} {row['kb']:>8.1f}")


if __name__ == "__main__":
    main()
