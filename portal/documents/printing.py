"""Build the plain contexts the PDF templates get, and render outbriefs and service plans.

The contexts hold only str, int, bool, None, lists and dicts (never ORM objects), so a template
cannot reach the database or a relation it should not see. Everything is formatted here in the
requested language; the template only lays it out.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask_babel import force_locale

from portal.core.i18n import _
from portal.documents import labels
from portal.seed_texts import CONFIDENTIALITY_NOTICE

JST = ZoneInfo("Asia/Tokyo")
LANGUAGES = ("ja", "en")


def day_text(day: date | None, lang: str) -> str:
    if day is None:
        return "—"
    return format_date(day, "yyyy年M月d日" if lang == "ja" else "MMM d, yyyy", locale=lang)


def instant_text(instant: datetime, lang: str) -> str:
    """An instant in JST, with the zone written out."""
    pattern = "yyyy年M月d日 HH:mm" if lang == "ja" else "MMM d, yyyy, h:mm a"
    return f"{format_datetime(instant, pattern, tzinfo=JST, locale=lang)} JST"


def period_text(start: date, end: date, lang: str) -> str:
    return f"{day_text(start, lang)} – {day_text(end, lang)}"


def paragraphs(text: str) -> list[str]:
    """Split typed text into paragraphs at blank lines (line breaks inside stay as lines)."""
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def page_frame(org_name: str, title: str, reader_name: str, downloaded_at: datetime,
               lang: str) -> dict:
    """What every page's header and footer shows: organisation, notice, stamp, page x / y."""
    return {
        "lang": lang,
        "organization": org_name,
        "title": title,
        "confidential": _("Confidential"),
        "notice_ja": CONFIDENTIALITY_NOTICE["ja"],
        "notice_en": CONFIDENTIALITY_NOTICE["en"],
        "stamp": _("Downloaded by %(name)s at %(time)s", name=reader_name,
                   time=instant_text(downloaded_at, lang)),
        "page_label": _("Page"),
    }


def in_language(japanese, english, lang: str, bilingual: bool):
    """The English text of an outbrief written in both languages (the Japanese where one was
    left empty), else the Japanese: an outbrief in Japanese only says so on its English PDF."""
    return english if lang == "en" and bilingual and english else japanese


def outbrief_context(outbrief, reader_name: str, now: datetime, lang: str) -> dict:
    """The outbrief as plain values, formatted in `lang` (call inside force_locale(lang))."""
    both = outbrief.bilingual

    def text(japanese, english):
        return in_language(japanese, english, lang, both)

    findings = [
        {"number": index, "title": text(item.title, item.title_en), "risk": item.risk,
         "risk_label": str(labels.RISK_LABELS[item.risk]),
         "detail": paragraphs(text(item.detail, item.detail_en))}
        for index, item in enumerate(outbrief.findings, start=1)
    ]
    title = text(outbrief.title, outbrief.title_en)
    return {
        "frame": page_frame(outbrief.organization.name, title, reader_name, now, lang),
        "title": title,
        "language_note": _("This outbrief is written in Japanese only: the text below is the "
                           "Japanese original.") if lang == "en" and not both else None,
        "organization": outbrief.organization.name,
        "kind": str(labels.KIND_LABELS[outbrief.kind]),
        "period": period_text(outbrief.engagement_start, outbrief.engagement_end, lang),
        "due_on": day_text(outbrief.due_on, lang),
        "status": str(labels.STATUS_LABELS[outbrief.status]),
        "draft": outbrief.status == "draft",
        "delivered_on": day_text(outbrief.delivered_at.astimezone(JST).date(), lang)
        if outbrief.delivered_at else None,
        "summary": paragraphs(text(outbrief.summary, outbrief.summary_en)),
        "risk_counts": [
            {"risk": risk, "label": str(label),
             "count": sum(1 for item in findings if item["risk"] == risk)}
            for risk, label in labels.RISK_LABELS.items()
        ],
        "findings": findings,
        "recommendations": list(text(outbrief.recommendations, outbrief.recommendations_en)),
    }


def outbrief_pdf(outbrief, reader_name: str, now: datetime, lang: str, fetcher=None) -> bytes:
    """The outbrief as a PDF in `lang`, stamped for the reader."""
    with force_locale(lang):
        context = outbrief_context(outbrief, reader_name, now, lang)
        return _render("documents/pdf/outbrief.html", context, fetcher)


def service_plan_pdf(org, reader_name: str, now: datetime, lang: str, fetcher=None) -> bytes:
    """The organisation's service plan, built live from its current contract, as a PDF."""
    from portal.documents.plan import service_plan_context

    with force_locale(lang):
        context = service_plan_context(org, reader_name, now, lang)
        return _render("documents/pdf/service_plan.html", context, fetcher)


def pdf_filename(kind: str, number: int | None, org_slug: str, lang: str) -> str:
    """An ASCII file name that says what the file is: acme-outbrief-12-ja.pdf."""
    stem = f"outbrief-{number}" if kind == "outbrief" else "service-plan"
    return f"{org_slug}-{stem}-{lang}.pdf"


def _render(template: str, context: dict, fetcher) -> bytes:
    """WeasyPrint is imported when a PDF is first printed, not with the application: it costs
    seconds of start-up (fonts, cairo, pango) that commands such as `mail receive` never need."""
    from portal.documents.pdf import render_pdf

    return render_pdf(template, context, fetcher)
