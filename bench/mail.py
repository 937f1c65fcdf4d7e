"""Mail-in speed (issue 20): `mail fetch` throughput and `mail receive` start-to-exit time.

    python -m bench.mail [--mails 400] [--receives 5] [--database-url URL] [--json OUT]

A real dovecot is started exactly as the tests start it (tests/imapserver.py), a fresh database
is migrated (SQLite in a temporary folder unless --database-url names an empty one), and 20
customer organisations with one designated contact each are made. The test corpus
(tests/mailcorpus.py: ISO-2022-JP from Windows, Shift_JIS, EUC-JP, quoted-printable, HTML-only,
multipart with attachments, an out-of-office reply) is delivered into the mailbox by IMAP APPEND,
each copy with its own Message-ID and sender (at most 20 an hour per sender, under the flood
rule), then `mail fetch --once`'s work (portal.mailin.imap.fetch_once) is timed in this process:
`fetch_mails_per_s=R`. Then `flask --app portal mail receive` is run as a mail server's pipe
runs it — a new process with one mail on standard input — and timed from start to exit:
`receive_p50_ms=P`. Targets: ≥ 50 mails/s, < 1,000 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import common

ORGANISATIONS = 20
KINDS = ("outlook_iso_2022_jp", "shift_jis_8bit", "euc_jp_8bit", "utf8_quoted_printable",
         "html_only", "with_attachments", "out_of_office")
MESSAGE_ID = re.compile(rb"Message-ID: <[^>]+>")
SENDER = re.compile(rb"contact@acme\.example", re.IGNORECASE)


def corpus_mail(number: int) -> bytes:
    """The number-th mail: a corpus message with its own Message-ID and sender."""
    from tests import mailcorpus

    raw = getattr(mailcorpus, KINDS[number % len(KINDS)])()
    raw = MESSAGE_ID.sub(f"Message-ID: <bench.{number}.{time.time_ns()}@acme.example>".encode(), raw)
    return SENDER.sub(f"contact@bench{number % ORGANISATIONS:02d}.example".encode(), raw)


def people(app) -> None:
    from tests import factories

    with app.app_context():
        for n in range(ORGANISATIONS):
            org = factories.organization(f"bench{n:02d}", f"ベンチ{n:02d}株式会社")
            factories.user(f"contact@bench{n:02d}.example", "contact", org)


def fetch_rate(app, server, mails: int) -> dict:
    from portal.db import db
    from portal.mailin import imap

    client = server.client()
    try:
        for number in range(mails):
            client.append("INBOX", None, None, corpus_mail(number))
    finally:
        client.logout()
    with app.app_context():
        started, cpu = time.perf_counter(), time.process_time()
        counts = imap.fetch_once(server.url)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        db.session.remove()
    done = sum(counts.values())
    assert done == mails and server.count("Processed") == mails, (counts, mails)
    return {"mails": mails, "fetch_s": elapsed, "fetch_cpu_s": cpu, "outcomes": counts,
            "fetch_mails_per_s": mails / elapsed}


def receive_times(database_url: str, instance: Path, runs: int) -> dict:
    env = common.portal_env(database_url, instance)
    # as a mail server runs it: with Python's bytecode cache (bench/run switches it off for
    # its own processes; without it every start compiles the portal's 300 modules again)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times, cpu, lines = [], [], []
    for number in range(runs + 1):
        raw = corpus_mail(10_000 + number * len(KINDS))  # the Windows incident, each new
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "portal", "mail", "receive"],
                              input=raw, capture_output=True, env=env, cwd=common.ROOT, timeout=120)
        elapsed = (time.perf_counter() - started) * 1000
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime) * 1000
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        lines.append(done.stdout.decode().strip())
        if number:  # the first run fills the disk cache
            times.append(elapsed)
            cpu.append(used)
    return {"receive_p50_ms": common.percentile(times, 50),
            "receive_cpu_p50_ms": common.percentile(cpu, 50), "receive_min_ms": min(times),
            "receive_max_ms": max(times), "receive_lines": lines}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=400)
    parser.add_argument("--receives", type=int, default=5)
    parser.add_argument("--database-url")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(common.ROOT))  # tests/ (the corpus, the IMAP server)
    from tests.imapserver import running_dovecot

    with tempfile.TemporaryDirectory(prefix="madoguchi-mail-bench-") as folder, \
            running_dovecot() as server:
        instance = Path(folder)
        url = args.database_url or common.sqlite_url(instance, "mail.db")
        os.environ["SSL_CERT_FILE"] = server.ca_file  # fetch_once checks the server's certificate
        app = common.make_app(url, instance)
        common.migrate(app)
        people(app)
        result = fetch_rate(app, server, args.mails)
        result.update(receive_times(url, instance, args.receives))
    result["load"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"mail fetch: {result['mails']} mails in {result['fetch_s']:.2f} s "
          f"(CPU {result['fetch_cpu_s']:.2f} s): {result['outcomes']}")
    print(f"mail receive, one mail, start to exit: p50 {result['receive_p50_ms']:.0f} ms, "
          f"min {result['receive_min_ms']:.0f}, max {result['receive_max_ms']:.0f}, "
          f"CPU p50 {result['receive_cpu_p50_ms']:.0f} ms "
          f"({args.receives} runs; {result['receive_lines'][-1]})")
    print(f"load average {result['load']} on {os.cpu_count()} CPUs")
    print(f"fetch_mails_per_cpu_s={result['mails'] / result['fetch_cpu_s']:.0f} "
          f"receive_cpu_p50_ms={result['receive_cpu_p50_ms']:.0f}")
    print(f"fetch_mails_per_s={result['fetch_mails_per_s']:.0f} "
          f"receive_p50_ms={result['receive_p50_ms']:.0f}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
