"""The bodies, queries and answers of /api/v1/tickets (the OpenAPI description is made from
them, and every request is checked against them: portal/web/api.py)."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from portal.web.api_schemas import (
    Answer,
    Body,
    Id,
    Instant,
    Month,
    MonthText,
    NullableInstant,
    OrganizationRef,
    Query,
    QueryInt,
    Slug,
    Text,
)

Kind = Literal["question", "incident"]
Severity = Literal["1", "A", "B", "C"]
Status = Literal["new", "in_progress", "waiting_for_customer", "resolved", "closed"]


class TicketQuery(Query):
    status: Literal[Status, "open"] | None = Field(
        None, description='one status, or "open" for new, in progress and waiting')
    kind: Kind | None = None
    q: Text(200) = Field("", description="search: words, an error code or a request number; "
                          "every word must match (subjects, descriptions, messages, attachments)")
    page: QueryInt(1, 100_000) = 1
    per_page: QueryInt(1, 100) = 20


class NewTicket(Body):
    kind: Kind
    severity: Severity | None = Field(None, description="incidents only")
    azure_component: bool = False
    subject: Text(200)
    body: Text(20_000)
    product: Text(200) = ""
    acknowledge_overage: bool = Field(
        False, description="accept the overage fee; without it an overage request is a 409")
    organization: Slug | None = Field(None, description="staff only: the organisation's slug")


class NewMessage(Body):
    body: Text(20_000)
    internal: bool = Field(False, description="staff only: an internal note")
    acknowledge_overage: bool = Field(
        False, description="a customer's reply to a closed request files a follow-up, counted "
        "like any new request: accept its overage fee (else 409)")


class TicketChange(Body):
    status: Status | None = None
    severity: Severity | None = None
    reason: Text(2_000) = Field("", description="needed with a severity change")


class Void(Body):
    reason: Text(2_000)


class OutOfScope(Body):
    exclusion: int = Field(ge=1, le=20, description="the item of terms [10]")
    reason: Text(2_000)


class NewWatcher(Body):
    email: Text(254) = Field(description="a colleague of the request's organisation")


class Match(Answer):
    snippet: str = Field(description="the matching passage, HTML-escaped, the words found in "
                         "<mark>…</mark>")


class Ticket(Answer):
    id: Id
    number: str
    kind: Kind
    severity: Severity | None
    azure_component: bool
    status: Status
    subject: str
    product: str
    source: Literal["portal", "api", "email", "provider"]
    organization: OrganizationRef
    received_at: Instant
    response_due_at: Instant
    first_response_at: NullableInstant
    response_met: bool | None
    month: MonthText
    rank: int | None
    overage: bool
    voided: bool
    counted: bool
    out_of_scope: str | None
    out_of_scope_exclusion: int | None = Field(None, description="the item of terms [10]")
    follow_up_of: FollowUpRef | None = None
    match: Match | None = Field(None, description="with `q` only")


class Author(Answer):
    name: str | None
    role: str | None


class Message(Answer):
    id: Id
    body: str
    internal: bool
    created_at: Instant
    author: Author


class FollowUpRef(Answer):
    id: Id
    number: str


class Reply(Answer):
    id: Id | None = Field(description="the message; null when a follow-up was filed instead")
    body: str
    internal: bool
    created_at: Instant
    author: Author
    follow_up: FollowUpRef | None = Field(
        None, description="the request was closed: the reply was filed as this new request, "
        "a follow-up of it")


class Watcher(Answer):
    user_id: Id
    name: str
    email: str


class WatcherList(Answer):
    items: list[Watcher]


class TicketDetail(Ticket):
    body: str
    messages: list[Message]


class TicketPage(Answer):
    items: list[Ticket]
    page: int
    per_page: int
    total: int = Field(description="how many requests match; a lower bound when "
                       "`total_capped` is true")
    total_capped: bool = Field(
        False, description="true when counting stopped: more than `total` requests match (a "
        "search with `q` is counted up to 200, staff's list of every organisation without `q` "
        "up to 1,000); the page then says \"more than N\". False when `total` is exact")


Rating = Annotated[int, Field(ge=1, le=5, description="1 (very dissatisfied) … 5 (very satisfied)")]


class NewRating(Body):
    rating: Rating
    comment: Text(4_000) = ""


class RatingAnswer(Answer):
    rating: Rating
    comment: str
    rated_at: Instant


class SatisfactionQuery(Query):
    month: Month | None = Field(None, description="YYYY-MM (the month the request was resolved "
                                "in); this month by default")
    organization: Slug | None = Field(None, description="one organisation; all by default")


class SatisfactionItem(Answer):
    ticket: str = Field(description="the request's number")
    rating: Rating
    comment: str
    rated_at: Instant


class Satisfaction(Answer):
    month: MonthText
    count: int
    average: float | None = Field(description="null when nobody answered")
    by_rating: dict[Literal["1", "2", "3", "4", "5"], int]
    items: list[SatisfactionItem]
