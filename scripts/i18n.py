"""Translation workflow: extract the strings, merge them into the catalogue, fill Japanese.

    python scripts/i18n.py update            # extract + update ja (new entries are empty)
    python scripts/i18n.py fill FILE.py ...  # fill empty ja entries from dicts named T
    python scripts/i18n.py check             # list untranslated or fuzzy entries
"""
from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "ja" / "LC_MESSAGES" / "messages.po"
POT = ROOT / "translations" / "messages.pot"


def update() -> None:
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "pybabel", "extract", "-F", "babel.cfg", "-k", "_l",
                    "--no-location", "--sort-output", "-o", POT, "."], check=True, cwd=ROOT)
    subprocess.run([bin_dir / "pybabel", "update", "-i", POT, "-d", ROOT / "translations",
                    "-l", "ja", "--no-fuzzy-matching", "--ignore-obsolete"], check=True, cwd=ROOT)


def fill(files: list[str]) -> None:
    table: dict[str, str] = {}
    for name in files:
        table.update(runpy.run_path(name)["T"])
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        found = table.get(message.id, table.get(key)) if key else None
        if found is not None:
            message.string = found
            message.flags.discard("fuzzy")
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    check()


def check() -> int:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    def empty(string) -> bool:
        return not all(string) if isinstance(string, tuple) else not string

    missing = [m.id for m in catalog if m.id and (empty(m.string) or m.fuzzy)]
    for message_id in missing:
        print("untranslated:", repr(message_id))
    return len(missing)


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["check"]
    if command == "update":
        update()
    elif command == "fill":
        fill(rest)
    sys.exit(1 if check() else 0)
