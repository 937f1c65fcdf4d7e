"""What the back office's own services raise."""
from __future__ import annotations

from portal.core.errors import DomainError


class BackofficeError(DomainError):
    """A back-office entry the member of staff can correct (e.g. a maintenance window)."""
