#!/usr/bin/env bash
# Regenerates requirements.lock (exact versions with hashes, for Python 3.12 on x86_64 Linux)
# from pyproject.toml, keeping every version already locked unless asked to move:
#   bash scripts/lock.sh                 # add what pyproject.toml gained, keep the rest
#   bash scripts/lock.sh --upgrade       # the newest versions pyproject.toml allows
#   bash scripts/lock.sh --upgrade-package flask
# Then run `bash scripts/test.sh`: the lock is what both README commands install.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh
.venv/bin/python -m pip install -q uv
.venv/bin/python -m uv pip compile pyproject.toml --extra test --generate-hashes \
  --python-version 3.12 --python-platform x86_64-unknown-linux-gnu --no-header \
  -o requirements.lock "$@"
