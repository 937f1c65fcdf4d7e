"""The queries, bodies and answers of the documents endpoints (/api/v1/documents,
/outbriefs); the OpenAPI description is made from them and every request is checked against
them. The limits are the services' own (portal/documents/services.py, LIMITS)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from portal.documents.rules import KINDS, RISKS
from portal.documents.services import LIMITS
from portal.web.api_schemas import (
    Answer,
    Body,
    Day,
    DayText,
    Id,
    OrganizationRef,
    Query,
    Slug,
    Text,
)

Kind = Literal[KINDS]  # type: ignore[valid-type]
Risk = Literal[RISKS]  # type: ignore[valid-type]


class DocumentsQuery(Query):
    organization: Slug | None = Field(None, description="staff: one organisation's, by slug")


class PdfQuery(Query):
    lang: Literal["ja", "en"] | None = Field(None, description="by default the reader's language")
    organization: Slug | None = Field(None, description="staff: whose service plan, by slug")


class NewFinding(Body):
    title: Text(LIMITS["title"])
    risk: Risk
    detail: Text(LIMITS["detail"]) = ""
    title_en: Text(LIMITS["title"]) = Field("", description="the finding in English")
    detail_en: Text(LIMITS["detail"]) = ""


class NewOutbrief(Body):
    organization: Slug = Field(description="the organisation's slug")
    kind: Kind = "incident_response"
    title: Text(LIMITS["title"])
    engagement_start: Day
    engagement_end: Day
    summary: Text(LIMITS["summary"]) = ""
    findings: list[NewFinding] = Field(default_factory=list, max_length=LIMITS["findings"])
    recommendations: list[Text(LIMITS["recommendation"])] = Field(
        default_factory=list, max_length=LIMITS["recommendations"])
    title_en: Text(LIMITS["title"]) = Field(
        "", description="the English version; left empty, the outbrief is in Japanese only")
    summary_en: Text(LIMITS["summary"]) = ""
    recommendations_en: list[Text(LIMITS["recommendation"])] = Field(
        default_factory=list, max_length=LIMITS["recommendations"])


class Document(Answer):
    id: str = Field(description='"outbrief-N" or "service-plan"',
                    pattern="^(outbrief-[0-9]+|service-plan)$")
    kind: Literal["outbrief", "service_plan"]
    title: str
    status: Literal["draft", "delivered", "accepted", "declined", "current"]
    due_on: DayText | None
    organization: OrganizationRef
    outbrief_id: Id | None = None
    engagement_start: DayText | None = None
    engagement_end: DayText | None = None
    overdue: bool | None = None


class DocumentList(Answer):
    items: list[Document]
