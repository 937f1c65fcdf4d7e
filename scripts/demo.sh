#!/usr/bin/env bash
# One command: install everything, create the SQLite database with demo data, start the portal
# at http://127.0.0.1:5000 with a job runner beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PORTAL_INSTANCE_PATH="${PORTAL_INSTANCE_PATH:-$PWD/instance}"
.venv/bin/flask --app portal db upgrade
.venv/bin/flask --app portal seed-demo
# the job runner beside the web server: escalations, reminders, auto-close, mail
.venv/bin/flask --app portal jobs work &
runner=$!
trap 'kill "$runner" 2>/dev/null' EXIT
.venv/bin/flask --app portal run --host 127.0.0.1 --port "${PORT:-5000}"
