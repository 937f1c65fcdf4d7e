"""The interpreter the portal runs on: CPython 3.11 crashed threaded workers (issue 15)."""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from portal import check_interpreter

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("version", [(3, 11, 7), (3, 10, 13)], ids=str)
def test_the_app_refuses_an_interpreter_that_crashes_workers(version):
    with pytest.raises(RuntimeError, match="3.12 or newer"):
        check_interpreter(version)


@pytest.mark.parametrize("version", [(3, 12, 1), (3, 13, 0)], ids=str)
def test_the_app_starts_on_a_fixed_interpreter(version):
    check_interpreter(version)


def test_the_suite_runs_where_production_runs():
    """The lock, the package metadata and the suite's own interpreter agree on 3.12+."""
    assert sys.version_info >= (3, 12)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.12"
    assert "--python-version 3.12" in (ROOT / "scripts/lock.sh").read_text()
