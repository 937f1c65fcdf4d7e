#!/usr/bin/env bash
# One command: install everything, then run the whole suite on SQLite, again on PostgreSQL
# (a fresh database on 127.0.0.1:5432 each run), and the browser journeys in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_BROWSER=1 bash scripts/setup.sh
PG_URL="${PORTAL_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
status=0

echo "== lint (ruff) and the import layers (import-linter, pyproject.toml)"
.venv/bin/ruff check . || status=1
.venv/bin/lint-imports --no-cache || status=1

echo "== unit and integration tests on SQLite"
.venv/bin/python -m pytest tests/unit tests/integration -q "$@" || status=1

echo "== integration tests on PostgreSQL ($PG_URL)"
PORTAL_TEST_DATABASE_URL="$PG_URL" .venv/bin/python -m pytest tests/integration -q "$@" || status=1

echo "== browser journeys in Chromium"
.venv/bin/python -m pytest tests/web -q "$@" || status=1

exit $status
