"""The rows of one benchmark organisation, built in memory with the portal's own pure rules.

Nothing here touches the database: `organization_rows` returns plain dicts ready for a Core
`insert()`, with ids given by an `Ids` counter, so a whole organisation's requests, thread and
audit trail are inserted in a few executemany calls. The shape follows what the portal itself
writes when people use it (services.file_ticket, add_message, change_status, ranking.void):

* receipt times spread over the last 12 months; about 5 % of requests still open (recent ones),
  the rest resolved or closed and answered, ~90 % of first replies within the target;
* a mix of Q&A and incidents (severity 1/A/B/C), portal/API/e-mail/provider sources, a few
  backup-service requests (not counted, at most one of each per month), voids, out-of-scope marks;
* `response_due_at` from `portal.tickets.sla` on the contract's business calendar;
* ranks per organisation and month by receipt time, `overage = rank > included`, exactly as the
  allowance rules say, and `usage_counters` / `ticket_counters` consistent with them;
* about two messages per answered request (staff reply, customer follow-up, internal note).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bench import texts
from bench.common import customer_email, org_slug
from portal.core.calendar import BusinessCalendar
from portal.seed_texts import OUT_OF_SCOPE_EXCLUSIONS
from portal.tickets import sla
from portal.tickets.allowance import month_of

TZ = "Asia/Tokyo"
SEVERITY_WEIGHTS = (("1", 5), ("A", 15), ("B", 40), ("C", 40))
SOURCE_WEIGHTS = (("portal", 70), ("api", 18), ("email", 9), ("provider", 3))
OPEN_STATUS_WEIGHTS = (("new", 40), ("in_progress", 40), ("waiting_for_customer", 20))
EXCLUSION_KEYS = [item["key"] for item in OUT_OF_SCOPE_EXCLUSIONS]
PRODUCTS = ("Microsoft 365", "Azure Virtual Machines", "Azure SQL Database", "Entra ID",
            "Azure Backup", "Exchange Online", "")
SUBJECTS = ("サインインできない利用者がいる", "仮想マシンが応答しない", "バックアップジョブが失敗する",
            "How to rotate the storage account keys", "ライセンスの割り当て方法について",
            "Teams の会議録画が保存されない", "VPN gateway drops connections every hour",
            "条件付きアクセスの設定手順", "Mail flow delayed for external recipients",
            "SQL Database の DTU 使用率が高い")
BODY = ("発生日時と影響範囲は次のとおりです。業務への影響が続いているため、原因の調査と回避策の"
        "ご提示をお願いします。The error started after this morning's change window; "
        "logs are attached where available. ")
REPLY = ("お問い合わせありがとうございます。ご提示いただいた情報をもとに確認したところ、設定の"
         "一部に差異がございました。手順をご案内いたしますのでお試しください。Thank you for the "
         "details; please try the steps below and tell us the result. ")


@dataclass
class Ids:
    """The next primary key of each table (a fresh database, so ids are ours to give)."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next.get(table, 1)
        self.next[table] = value + 1
        return value


@dataclass(frozen=True)
class OrgPlan:
    """An organisation's contract terms and people, decided before its requests."""

    number: int
    org_id: int
    people: tuple[int, ...]  # admin, contact1, contact2
    included: int
    unit_price: int
    calendar: BusinessCalendar


def _pick(rng: random.Random, weighted) -> str:
    return rng.choices([key for key, _w in weighted], [w for _k, w in weighted])[0]


def org_base_rows(number: int, ids: Ids, today: date, password_hash: str, now: datetime,
                  closures: frozenset[date]) -> tuple[OrgPlan, dict[str, list[dict]]]:
    """The organisation, its two contract terms and its three people."""
    rng = random.Random(number)
    org_id = ids.take("organizations")
    slug = org_slug(number)
    included = 10 if rng.random() < 0.2 else 5
    price = 15000 if included == 10 else 20000
    closes = time(17, 30) if rng.random() < 0.3 else time(17, 0)
    always = rng.random() < 0.05
    start = today - timedelta(days=rng.randint(30, 300))
    end = start.replace(year=start.year + 1) - timedelta(days=1)
    terms = [(start, end), (start.replace(year=start.year - 1), start - timedelta(days=1))]
    contracts = [dict(id=ids.take("contracts"), organization_id=org_id, term_start=s, term_end=e,
                      included_requests=included, overage_unit_price=price, opens=time(9),
                      closes=closes, always_open=always, package_items={}) for s, e in terms]
    people = []
    for who, role in (("admin", "customer_admin"), ("contact1", "contact"), ("contact2", "contact")):
        people.append(dict(id=ids.take("users"), email=customer_email(number, who),
                           name=f"{who} {slug}", password_hash=password_hash, role=role,
                           organization_id=org_id, locale="en" if rng.random() < 0.2 else "ja",
                           active=True, created_at=now - timedelta(days=400)))
    org = dict(id=org_id, slug=slug, name=f"ベンチ株式会社 {number:04d}", timezone=TZ,
               created_at=now - timedelta(days=400))
    plan = OrgPlan(number, org_id, tuple(p["id"] for p in people), included, price,
                   BusinessCalendar(tz_name=TZ, opens=time(9), closes=closes, always_open=always,
                                    closure_days=closures))
    return plan, {"organizations": [org], "contracts": contracts, "users": people}


def _receipt(rng: random.Random, now: datetime, is_open: bool) -> datetime:
    if is_open:  # still open: filed within the last 30 days
        return now - timedelta(seconds=rng.uniform(120, 30 * 86400))
    return now - timedelta(seconds=rng.uniform(86400, 365 * 86400))


def _ticket_facts(rng: random.Random, now: datetime) -> dict:
    """Kind, severity, source and status of one request, before its place in time."""
    is_open = rng.random() < 0.05
    kind = "incident" if rng.random() < 0.4 else "question"
    severity = _pick(rng, SEVERITY_WEIGHTS) if kind == "incident" else None
    return dict(
        kind=kind, severity=severity, azure_component=severity == "1" and rng.random() < 0.3,
        source=_pick(rng, SOURCE_WEIGHTS),
        status=_pick(rng, OPEN_STATUS_WEIGHTS) if is_open else (
            "closed" if rng.random() < 0.7 else "resolved"),
        received_at=_receipt(rng, now, is_open))


def _first_response(rng: random.Random, received: datetime, due: datetime, now: datetime):
    if rng.random() < 0.9:  # within the target
        return min(received + (due - received) * rng.uniform(0.05, 0.95), now)
    return min(due + timedelta(minutes=rng.uniform(10, 2 * 24 * 60)), now)


def _rank_month(tickets: list[dict], included: int) -> dict[str, int]:
    """Ranks by receipt time within each month; returns counted per month (usage_counters)."""
    counted: dict[str, int] = {}
    for ticket in tickets:  # already in receipt order
        if ticket["counted"] and not ticket["voided"]:
            rank = counted.get(ticket["month"], 0) + 1
            counted[ticket["month"]] = rank
            ticket["rank"], ticket["overage"] = rank, rank > included
    return counted


def _thread(rng, ticket: dict, requester: int, staff: list[int], ids: Ids, now: datetime):
    """Messages (staff reply, customer follow-up, internal note) and their times."""
    first = ticket["first_response_at"]
    if first is None:
        return []
    tid = ticket["id"]
    rows = [(first, rng.choice(staff), texts.reply(rng), False)]
    later = first
    if rng.random() < 0.2:
        rows.append((first + timedelta(minutes=rng.uniform(5, 120)), rng.choice(staff),
                     texts.internal_note(rng), True))
    if rng.random() < 0.6:
        later = first + timedelta(hours=rng.uniform(1, 48))
        rows.append((later, requester, texts.follow_up(rng), False))
    if rng.random() < 0.3 or ticket["status"] in ("resolved", "closed"):
        later = later + timedelta(hours=rng.uniform(1, 24))
        rows.append((later, rng.choice(staff), texts.reply(
            rng, resolving=ticket["status"] in ("resolved", "closed")), False))
    return [dict(id=ids.take("ticket_messages"), ticket_id=tid, author_id=author,
                 body=body, internal=internal, created_at=min(at, now))
            for at, author, body, internal in sorted(rows, key=lambda row: row[0])]


def _audit(ticket: dict, requester: int, staff: list[int], ids: Ids, last: datetime) -> list[dict]:
    """ticket.filed, and the status change staff made when they resolved or closed it."""
    base = dict(organization_id=ticket["organization_id"], target_type="ticket",
                target_id=ticket["id"])
    rows = [dict(base, id=ids.take("audit_events"), at=ticket["received_at"], actor_id=requester,
                 action="ticket.filed", details={
                     "number": ticket["number"], "kind": ticket["kind"],
                     "severity": ticket["severity"], "rank": ticket["rank"],
                     "overage": ticket["overage"]})]
    if ticket["status"] in ("resolved", "closed"):
        rows.append(dict(base, id=ids.take("audit_events"), at=last, actor_id=staff[0],
                         action="ticket.status_changed",
                         details={"before": "in_progress", "after": ticket["status"]}))
    if ticket["voided"]:
        rows.append(dict(base, id=ids.take("audit_events"), at=last, actor_id=staff[0],
                         action="ticket.voided", details={"reason": "duplicate", "rank": None}))
    return rows


def _ticket_row(rng, facts: dict, plan: OrgPlan, staff: list[int], now: datetime) -> dict:
    received = facts["received_at"]
    due = sla.response_target(facts["kind"], facts["severity"], received, plan.calendar,
                              azure_component=facts["azure_component"]).due_at
    answered = facts["status"] != "new"
    first = _first_response(rng, received, due, now) if answered else None
    provider = facts["source"] == "provider"
    return dict(
        facts, organization_id=plan.org_id, requester_id=rng.choice(staff) if provider else
        rng.choice(plan.people), assignee_id=rng.choice(staff) if answered else None,
        subject=texts.subject(rng), body=texts.body(rng), product=rng.choice(PRODUCTS),
        backup_service=None, response_due_at=due, first_response_at=first,
        response_met=None if first is None else first <= due, month=month_of(received, TZ),
        counted=not provider, rank=None, overage=False, voided=False, void_reason="",
        out_of_scope=None, out_of_scope_reason="", rca_requested_at=None, rca_delivered_at=None)


def _backup_and_marks(rng, ticket: dict, used: set) -> None:
    """A few backup-service requests (once per service and month), voids, out-of-scope marks."""
    if ticket["kind"] == "question" and ticket["counted"] and rng.random() < 0.01:
        service = rng.choice(("restore", "schedule_change"))
        if (ticket["month"], service) not in used:
            used.add((ticket["month"], service))
            ticket["backup_service"], ticket["counted"] = service, False
    if ticket["counted"] and rng.random() < 0.005:
        ticket["voided"], ticket["void_reason"] = True, "重複 / duplicate"
    if ticket["status"] in ("resolved", "closed") and rng.random() < 0.005:
        ticket["out_of_scope"] = rng.choice(EXCLUSION_KEYS)
        ticket["out_of_scope_reason"] = "標準料金で対応 / billed at the standard rate"


def request_rows(plan: OrgPlan, requests: int, staff: list[int], ids: Ids,
                 now: datetime) -> dict[str, list[dict]]:
    """The organisation's requests, their thread, audit trail and counters."""
    rng = random.Random(plan.number * 7919)
    tickets = [_ticket_row(rng, _ticket_facts(rng, now), plan, staff, now) for _ in range(requests)]
    tickets.sort(key=lambda t: t["received_at"])
    used: set = set()
    slug = org_slug(plan.number).upper()
    for sequence, ticket in enumerate(tickets, start=1):
        ticket.update(id=ids.take("tickets"), sequence=sequence, number=f"{slug}-{sequence}")
        _backup_and_marks(rng, ticket, used)
    counted = _rank_month(tickets, plan.included)
    messages, audit = [], []
    for ticket in tickets:
        thread = _thread(rng, ticket, ticket["requester_id"], staff, ids, now)
        last = thread[-1]["created_at"] if thread else ticket["received_at"]
        ticket["updated_at"] = last
        messages += thread
        audit += _audit(ticket, ticket["requester_id"], staff, ids, last)
    return {
        "tickets": tickets, "ticket_messages": messages, "audit_events": audit,
        "usage_counters": [dict(organization_id=plan.org_id, month=m, counted=c)
                           for m, c in sorted(counted.items())],
        "ticket_counters": [dict(organization_id=plan.org_id, last=len(tickets))],
    }
