"""Knowledge-base suggestion timings (issue 22: ≤ 100 ms p95 with 10,000 articles), in-process.

    python -m bench.knowledge [--articles 10000] [--runs 3] [--database-url URL] [--instance DIR]

Generates the articles (Japanese, English or both; a tenth restricted to one organisation, a
tenth drafts) straight into the tables, builds their search documents with the portal's own
code (portal.knowledge.index.reindex), signs a contact in through the real form and times
GET /knowledge/suggestions as a request is typed: each prefix of several subjects and a
description, the way the new-request form fetches it. Prints the table and, on its last line,
`suggestion_p95_ms=P` (wall clock; CPU time beside it, since the machine may be shared).
Without --database-url it runs on a fresh SQLite file in a temporary folder.
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from bench import common
from bench.pages import login
from bench.texts import DETAILS, PRODUCTS, SYMPTOMS, SYMPTOMS_EN

TYPED = ("VPN に接続できない", "メールが届かない 0x80070005", "Teams の会議の録画が保存されない",
         "cannot sign in AADSTS50011", "バックアップジョブが失敗する")
BODY = "昨日の夜から社内の数名で発生しています。再起動しても改善しません。"
CODES = ("0x80070005", "AADSTS50011", "0x800CCC0E", "AADSTS700016", "0x80004005")


def _article(rng: random.Random, number: int) -> dict:
    product, symptom = rng.choice(PRODUCTS), rng.choice(SYMPTOMS)
    code = rng.choice(CODES) if rng.random() < 0.3 else ""
    ja = rng.random() < 0.8
    en = not ja or rng.random() < 0.5
    body_ja = "\n\n".join(["## 確認すること", *rng.sample(DETAILS, 4), f"エラー `{code}`" if code else ""])
    return {"title_ja": f"{product}で{symptom}場合 ({number})" if ja else "",
            "body_ja": body_ja if ja else "",
            "title_en": f"{product}: {rng.choice(SYMPTOMS_EN)} ({number})" if en else "",
            "body_en": f"Check the settings of {product}. {code}" if en else "",
            "published": rng.random() >= 0.1, "for_everyone": rng.random() >= 0.1}


def generate(app, count: int, seed: int = 22) -> None:
    from datetime import date

    from portal.accounts import services as accounts
    from portal.core import clock
    from portal.db import db
    from portal.knowledge import index
    from portal.knowledge.models import Article, ArticleOrganization

    rng = random.Random(seed)
    with app.app_context():
        org = accounts.create_organization("bench-kb", "ベンチ株式会社", term_start=date(2026, 1, 1),
                                           term_end=date(2027, 3, 31))
        other = accounts.create_organization("bench-other", "他社", term_start=date(2026, 1, 1),
                                             term_end=date(2027, 3, 31))
        accounts.create_user(common.customer_email(1), "契約 太郎", "contact", organization=org,
                             password=common.PASSWORD)
        db.session.flush()
        now = clock.now()
        rows = [{**_article(rng, n), "created_at": now, "updated_at": now} for n in range(count)]
        db.session.execute(Article.__table__.insert(), rows)
        restricted = db.session.scalars(db.select(Article.id).where(Article.for_everyone.is_(False)))
        db.session.execute(ArticleOrganization.__table__.insert(), [
            {"article_id": i, "organization_id": rng.choice((org.id, other.id))} for i in restricted])
        with common.timed(f"{count} articles indexed (portal.knowledge.index.reindex)"):
            index.reindex()
        db.session.commit()


def measure(app, runs: int) -> dict:
    client = login(app, common.customer_email(1))
    wall, cpu = [], []
    for _ in range(runs):
        for subject in TYPED:
            for end in range(2, len(subject) + 1, 2):  # as typed, every other keystroke
                params = {"subject": subject[:end], "body": BODY if end == len(subject) else ""}
                started, process = time.perf_counter(), time.process_time()
                answer = client.get("/knowledge/suggestions", query_string=params)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - process) * 1000)
                assert answer.status_code == 200, answer.status_code
    return {"requests": len(wall), "p50_ms": common.percentile(wall, 50),
            "p95_ms": common.percentile(wall, 95), "max_ms": max(wall),
            "cpu_p95_ms": common.percentile(cpu, 95)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url")
    parser.add_argument("--instance", type=Path)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-kb-"))
    instance = args.instance or folder / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    app = common.make_app(args.database_url or common.sqlite_url(folder), instance)
    common.migrate(app)
    generate(app, args.articles)
    result = measure(app, 1)  # warm-up: the first requests load templates and catalogues
    result = measure(app, args.runs)
    print(f"  {result['requests']} suggestion requests: p50 {result['p50_ms']:.1f} ms, "
          f"p95 {result['p95_ms']:.1f} ms, max {result['max_ms']:.1f} ms, "
          f"CPU p95 {result['cpu_p95_ms']:.1f} ms")
    print(f"suggestion_p95_ms={result['p95_ms']:.1f}")


if __name__ == "__main__":
    main()
