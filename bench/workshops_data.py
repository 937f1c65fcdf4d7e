"""Workshops, sessions and bookings for the benchmark data, when the schema has them.

The workshops feature may not be in the checkout being measured: `available(tables)` says whether
its four tables exist, and bench/generate.py only calls the rest when they do. Rows are built
from the table columns (no model import), like the rest of the generator:

* a catalogue of 10 workshops (8 priced per attendee, 2 dedicated to one organisation), each with
  a session every four weeks from a year ago to six months ahead;
* four bookings per organisation of per-attendee sessions with room left, 1–3 attendees each,
  one in ten cancelled well before the deadline (free); `seats_taken` is set from the active
  bookings at the end, so every session's counter agrees with its bookings.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import text

from bench.common import org_slug
from bench.dataset import Ids, OrgPlan

TABLES = ("workshops", "workshop_sessions", "workshop_bookings", "workshop_attendees")
TITLES = (("Azure 基礎トレーニング", "Azure fundamentals"),
          ("Entra ID 運用ワークショップ", "Entra ID operations"),
          ("バックアップ設計ワークショップ", "Backup design"), ("セキュリティ評価", "Security assessment"),
          ("Microsoft 365 管理者研修", "Microsoft 365 administration"),
          ("コスト最適化", "Cost optimisation"), ("監視とアラート設計", "Monitoring and alerting"),
          ("ネットワーク設計", "Network design"),
          ("専用: 移行計画", "Dedicated: migration planning"),
          ("専用: 障害訓練", "Dedicated: incident drill"))
BOOKINGS_PER_ORG = 4


def available(tables) -> bool:
    return all(name in tables for name in TABLES)


def catalogue_rows(ids: Ids, now: datetime) -> tuple[dict[str, list[dict]], list[dict]]:
    """The workshops and their sessions; also returns the bookable sessions (per attendee)."""
    today = now.date()
    workshops, sessions, bookable = [], [], []
    for number, (title_ja, title_en) in enumerate(TITLES):
        dedicated = title_en.startswith("Dedicated")
        days = 1 + number % 2
        workshop = dict(
            id=ids.take("workshops"), title_ja=title_ja, title_en=title_en,
            description_ja="実機演習を含む講習です。", description_en="Hands-on training.",
            days=days, delivery="onsite" if number % 3 == 0 else "remote",
            pricing="dedicated" if dedicated else "per_attendee",
            price=300000 if dedicated else 50000 + 10000 * number, capacity=10 if dedicated else 20,
            min_attendees=3, late_fee_tiers=[], archived=False, created_at=now - timedelta(days=400))
        workshops.append(workshop)
        for week in range(-52 + number % 4, 26, 4):
            start = today + timedelta(weeks=week)
            session = dict(id=ids.take("workshop_sessions"), workshop_id=workshop["id"],
                           starts_on=start, ends_on=start + timedelta(days=days - 1),
                           capacity=workshop["capacity"], seats_taken=0, status="scheduled",
                           cancelled_at=None, cancelled_by_id=None, cancel_reason=None,
                           cancel_note="", created_at=now - timedelta(days=400))
            sessions.append(session)
            if not dedicated:
                bookable.append(dict(session, price=workshop["price"], left=workshop["capacity"]))
    return {"workshops": workshops, "workshop_sessions": sessions}, bookable


def booking_rows(plan: OrgPlan, bookable: list[dict], ids: Ids, now: datetime) -> dict:
    """Four bookings of the organisation, with their attendees."""
    rng = random.Random(plan.number * 104729)
    bookings, attendees = [], []
    admin = plan.people[0]
    for _ in range(BOOKINGS_PER_ORG):
        seats = rng.randint(1, 3)
        session = rng.choice(bookable)
        if session["left"] < seats:
            continue
        starts = datetime.combine(session["starts_on"], datetime.min.time(), tzinfo=now.tzinfo)
        booked_at = min(starts - timedelta(days=rng.randint(20, 90)), now - timedelta(days=1))
        cancelled = rng.random() < 0.1 and booked_at + timedelta(days=2) < now
        if not cancelled:
            session["left"] -= seats
        booking = dict(
            id=ids.take("workshop_bookings"), organization_id=plan.org_id,
            session_id=session["id"], booked_by_id=admin, created_at=booked_at,
            price=session["price"] * seats, seats=seats, fee_tiers=[], contract_warning=False,
            status="cancelled" if cancelled else "booked", fee_charged=0, fee_percent=0,
            cancelled_at=booked_at + timedelta(days=1) if cancelled else None,
            cancelled_by_id=admin if cancelled else None, cancelled_by_provider=False,
            reason="日程の都合 / schedule conflict" if cancelled else "", rescheduled_from_id=None)
        bookings.append(booking)
        attendees += [dict(id=ids.take("workshop_attendees"), booking_id=booking["id"],
                           position=k, name=f"受講者 {k + 1}",
                           email=f"attendee{k + 1}@{org_slug(plan.number)}.bench.example")
                      for k in range(seats)]
    return {"workshop_bookings": bookings, "workshop_attendees": attendees}


def settle_seats(conn) -> None:
    """Every session's seat counter from its active bookings."""
    conn.execute(text(
        "UPDATE workshop_sessions SET seats_taken = (SELECT coalesce(sum(b.seats), 0) "
        "FROM workshop_bookings b WHERE b.session_id = workshop_sessions.id "
        "AND b.status = 'booked')"))
