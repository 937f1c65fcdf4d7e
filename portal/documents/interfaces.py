"""Domain exceptions and plain inputs of the documents package."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.core.errors import DomainError


class DocumentsError(DomainError):
    """A problem the user can fix; `fields` maps form fields to messages."""

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message, fields=fields)


class NotAllowed(DocumentsError):
    """The action does not fit the document's state (for example delivering a delivered outbrief)."""

    code = "conflict"
    status = 409


class NotFound(DocumentsError):
    """Missing, another organisation's, or a draft a customer may not see: all look the same."""

    code = "not_found"
    status = 404


class FontMissing(RuntimeError):
    """No Japanese font is installed, so a PDF would print empty boxes instead of text."""


@dataclass(frozen=True)
class FindingInput:
    title: str
    risk: str
    detail: str = ""
    title_en: str = ""
    detail_en: str = ""


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
    # the English version; left empty, the outbrief is in Japanese only (its PDF says so)
    title_en: str = ""
    summary_en: str = ""
    recommendations_en: tuple[str, ...] = field(default=())
