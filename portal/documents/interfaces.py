"""Domain exceptions and plain inputs of the documents package."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class DocumentsError(Exception):
    """A problem the user can fix; `fields` maps form fields to messages."""

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotAllowed(DocumentsError):
    """The action does not fit the document's state (for example editing a delivered outbrief)."""


class NotFound(DocumentsError):
    """Missing, another organisation's, or a draft a customer may not see: all look the same."""


class FontMissing(RuntimeError):
    """No Japanese font is installed, so a PDF would print empty boxes instead of text."""


@dataclass(frozen=True)
class FindingInput:
    title: str
    risk: str
    detail: str = ""


@dataclass(frozen=True)
class OutbriefInput:
    """What staff write for an outbrief, already parsed into Python types."""

    organization_id: int | None
    kind: str
    title: str
    engagement_start: date | None
    engagement_end: date | None
    summary: str = ""
    findings: tuple[FindingInput, ...] = ()
    recommendations: tuple[str, ...] = field(default=())
