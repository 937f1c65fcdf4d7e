"""Writes portal/core/japanese_holidays.py: Japan's national holidays of the years the portal
keeps, named in Japanese, from the `holidays` library exactly as portal/core/calendar.py asks it.

    .venv/bin/python scripts/japanese_holidays.py

Run it after upgrading `holidays` when tests/unit/test_calendar.py says the kept days differ
from the library's (a law moved or added a holiday), and commit the file it writes.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_YEAR, LAST_YEAR = 2000, 2060
HEADER = '''"""Japan's national holidays {first}–{last}, named in Japanese, as the `holidays` library
{version} gives them (incl. 振替休日 and 国民の休日). Written by scripts/japanese_holidays.py;
tests/unit/test_calendar.py fails when the library disagrees (after an upgrade: run the script).

portal/core/calendar.py reads a year from here, and only other years from the library: the
library's calendar costs ≈0.1 s on first use (its `countries` package imports all 250
countries), which every `flask … mail receive` would pay (docs/decisions/mail.md)."""

FIRST_YEAR, LAST_YEAR = {first}, {last}
HOLIDAYS = (  # "YYYY-MM-DD name", in order
'''


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from importlib.metadata import version

    from portal.core.calendar import library_holidays

    lines = [HEADER.format(first=FIRST_YEAR, last=LAST_YEAR, version=version("holidays"))]
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for day, name in sorted(library_holidays(year).items()):
            lines.append(f'    "{day.isoformat()} {name}",\n')
    lines.append(")\n")
    target = ROOT / "portal" / "core" / "japanese_holidays.py"
    target.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}: {FIRST_YEAR}–{LAST_YEAR}")


if __name__ == "__main__":
    main()
