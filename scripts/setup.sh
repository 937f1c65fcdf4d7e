#!/usr/bin/env bash
# Installs everything the portal needs on Debian/Ubuntu: system libraries for WeasyPrint,
# a Japanese font, Chromium (browser tests), a virtual environment with the Python packages,
# and the compiled translations. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-dev              # the interpreter and venv
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   # WeasyPrint (HarfBuzz subsets fonts ~2x faster)
  fonts-ipaexfont-gothic                         # the Japanese font PDFs embed
  poppler-utils                                  # pdftoppm, to look at PDFs as pictures
)
if [ "${WITH_BROWSER:-0}" = 1 ]; then APT_PACKAGES+=(chromium); fi
# pg_dump / pg_restore / psql for `flask backup` and `restore` on PostgreSQL. Debian's default
# client; it must be at least the server's major version (docs/production.md).
if ! command -v pg_dump >/dev/null 2>&1; then APT_PACKAGES+=(postgresql-client); fi

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing system packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "Installing Python packages into .venv (log: .venv/pip.log)"
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q -e ".[test]"; } > .venv/pip.log 2>&1; then
    tail -40 .venv/pip.log
    exit 1
  fi
  touch "$stamp"
fi
.venv/bin/pybabel compile -d translations > /dev/null
