"""The service plan (サービス実施計画): the organisation's current contract term, summed up live.

Package items (✓ included, + purchased), the customer administrators and designated contacts,
support hours and closures, the severity and response table, the monthly allowance and unit price,
booked workshops, engagements and outbriefs, known maintenance windows, the knowledge base's
categories and the package's on-demand education items, with the instant it was produced.
Built as plain values for the PDF template (see printing.py).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from portal.accounts.models import ClosureDay, Role, User
from portal.accounts.services import current_contract
from portal.core.i18n import _
from portal.core.money import yen
from portal.db import db
from portal.documents import labels, services
from portal.documents.printing import JST, day_text, instant_text, page_frame, period_text
from portal.knowledge import presenters
from portal.knowledge import services as knowledge
from portal.seed_texts import (
    ON_DEMAND_EDUCATION,
    PACKAGE_CATEGORIES,
    PACKAGE_ITEMS,
    PACKAGE_LEGEND,
    SEVERITIES,
    SEVERITY_NOTES,
    SEVERITY_TABLE_HEADERS,
)

INCLUDED, PURCHASED = "included", "purchased"
MARKS = {INCLUDED: "✓", PURCHASED: "+"}


def _booked_workshops(org_id: int, lang: str) -> list[dict]:
    """The organisation's booked (not cancelled) workshop sessions, as plain values."""
    from sqlalchemy.orm import joinedload

    from portal.workshops.models import BOOKED, Booking, WorkshopSession

    bookings = db.session.scalars(
        select(Booking).where(Booking.organization_id == org_id, Booking.status == BOOKED)
        .options(joinedload(Booking.session).joinedload(WorkshopSession.workshop))
        .order_by(Booking.id)).unique()
    return [{"title": b.session.workshop.title_ja if lang == "ja" else b.session.workshop.title_en,
             "dates": period_text(b.session.starts_on, b.session.ends_on, lang),
             "attendees": b.seats, "status": _("Booked")} for b in bookings]


def _maintenance_windows(now: datetime, lang: str) -> list[dict]:
    """Maintenance windows still to come or under way."""
    from portal.desk.models import MaintenanceNotice

    notices = db.session.scalars(select(MaintenanceNotice).where(MaintenanceNotice.ends_at > now)
                                 .order_by(MaintenanceNotice.starts_at))
    return [{"when": f"{instant_text(n.starts_at, lang)} – {instant_text(n.ends_at, lang)}",
             "description": n.title(lang) + (f" ({n.service})" if n.service else "")}
            for n in notices]


def service_plan_context(org, reader_name: str, now: datetime, lang: str) -> dict:
    """Everything the plan shows, as plain values in `lang` (call inside force_locale(lang))."""
    contract = current_contract(org, now.astimezone(JST).date())
    title = _("Service plan")
    context = {
        "frame": page_frame(org.name, title, reader_name, now, lang),
        "title": title,
        "organization": org.name,
        "produced_at": instant_text(now, lang),
        "has_contract": contract is not None,
        "administrators": _people(org.id, Role.CUSTOMER_ADMIN),
        "contacts": _people(org.id, Role.CONTACT),
        "severity_headers": _severity_headers(lang),
        "severities": _severity_rows(lang),
        "severity_notes": [SEVERITY_NOTES["assignment"][lang], SEVERITY_NOTES["downgrade"][lang]],
        "outbriefs": _outbriefs(org.id, lang),
        "workshops": _booked_workshops(org.id, lang),
        "maintenance": _maintenance_windows(now, lang),
        "knowledge_categories": [
            {"name": presenters.category_name(category, lang), "articles": count}
            for category, count in knowledge.categories_for(org)],
    }
    if contract is not None:
        context.update(_contract_values(contract, lang))
    return context


def _contract_values(contract, lang: str) -> dict:
    return {
        "term": period_text(contract.term_start, contract.term_end, lang),
        "package": _package(contract.package_items or {}, lang),
        "education": _on_demand_education(contract.package_items or {}, lang),
        "legend": [
            {"mark": MARKS[INCLUDED], "text": PACKAGE_LEGEND["included"][lang]},
            {"mark": MARKS[PURCHASED], "text": _("Additional service purchased under this contract.")},
        ],
        "always_open": contract.always_open,
        "opens": contract.opens.strftime("%H:%M"),
        "closes": contract.closes.strftime("%H:%M"),
        "closures": _closures(contract, lang),
        "included_requests": contract.included_requests,
        "unit_price": yen(contract.overage_unit_price, "ja_JP" if lang == "ja" else "en_US"),
        "satisfaction": _satisfaction(contract),
    }


def _satisfaction(contract) -> dict:
    """The survey's figures of the contract term (the requests resolved in its months)."""
    from portal.tickets import survey_figures

    months = (f"{contract.term_start:%Y-%m}", f"{contract.term_end:%Y-%m}")
    figures = survey_figures.summary(org_id=contract.organization_id, months=months)
    return {"count": figures.count,
            "average": "—" if figures.average is None else f"{figures.average:.1f}",
            "by_rating": figures.by_rating}


def _package(chosen: dict, lang: str) -> list[dict]:
    """Package items by category: the base package's ✓, plus what the contract records."""
    groups = []
    for category, names in PACKAGE_CATEGORIES.items():
        items = []
        for item in PACKAGE_ITEMS:
            if item["category"] != category:
                continue
            state = chosen.get(item["key"]) or (INCLUDED if item["status"] == "included" else None)
            if state in MARKS:
                items.append({"mark": MARKS[state], "name": item[lang], "state": state})
        if items:
            groups.append({"category": names[lang], "items": items})
    return groups


def _on_demand_education(chosen: dict, lang: str) -> list[dict]:
    """The on-demand education items of the contract's package (SD 2.2), with what each gives."""
    items = []
    for item in PACKAGE_ITEMS:
        if item["key"] not in ON_DEMAND_EDUCATION:
            continue
        state = chosen.get(item["key"]) or (INCLUDED if item["status"] == "included" else None)
        if state in MARKS:
            items.append({"mark": MARKS[state], "name": item[lang],
                          "description": ON_DEMAND_EDUCATION[item["key"]][lang]})
    return items


def _people(org_id: int, role: str) -> list[dict]:
    people = db.session.scalars(select(User).where(
        User.organization_id == org_id, User.role == role, User.active.is_(True)
    ).order_by(User.name))
    return [{"name": person.name, "email": person.email} for person in people]


def _closures(contract, lang: str) -> list[dict]:
    days = db.session.scalars(select(ClosureDay).where(
        ClosureDay.day >= contract.term_start, ClosureDay.day <= contract.term_end
    ).order_by(ClosureDay.day))
    return [{"day": day_text(row.day, lang), "note": row.note} for row in days]


def _severity_headers(lang: str) -> dict:
    situation, _provider, customer = SEVERITY_TABLE_HEADERS[lang]
    return {"situation": situation, "target": _("Response target"), "clock": _("Clock"),
            "customer": customer}


def _severity_rows(lang: str) -> list[dict]:
    targets = {
        "1": _("1 hour; 15 minutes for Azure components"),
        "A": _("1 hour"),
        "B": _("2 business hours"),
        "C": _("4 business hours"),
    }
    rows = [
        {"name": row[f"{lang}_name"], "meaning": row[f"{lang}_meaning"],
         "target": targets[row["code"]],
         "clock": _("24 hours, 7 days") if row["code"] in ("1", "A") else _("Business hours"),
         "customer": row[f"{lang}_customer_duty"]}
        for row in SEVERITIES
    ]
    rows.append({"name": _("Question (Q&A)"), "meaning": _("How-to or operation question"),
                 "target": _("1 business day (8 business hours)"), "clock": _("Business hours"),
                 "customer": ""})
    return rows


def _outbriefs(org_id: int, lang: str) -> list[dict]:
    return [
        {"title": item.title, "kind": str(labels.KIND_LABELS[item.kind]),
         "period": period_text(item.engagement_start, item.engagement_end, lang),
         "due_on": day_text(item.due_on, lang), "status": str(labels.STATUS_LABELS[item.status])}
        for item in services.visible_outbriefs(org_id)
    ]
