"""Every workshop test starts at NOW (2026-11-01 10:00 JST) with acme, kitsune and staff."""
from __future__ import annotations

import pytest

from portal.core import clock
from tests import factories
from tests.integration.workshops.helpers import NOW


@pytest.fixture()
def people(app):
    clock.travel_to(NOW)
    return factories.two_organizations()
