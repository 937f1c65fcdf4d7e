"""One document as a PDF for one reader: find it (tenancy), render it, record the download.

The pages and the API both call `document_pdf`, so they always agree on who may download what.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.accounts.models import Organization, User
from portal.core import clock
from portal.core.i18n import _l
from portal.db import db
from portal.documents import printing, services
from portal.documents.interfaces import DocumentsError, NotFound


@dataclass(frozen=True)
class PdfFile:
    content: bytes
    filename: str


def check_language(lang: str | None, default: str) -> str:
    """`ja` or `en`; nothing given means the reader's language."""
    if lang in (None, ""):
        return default if default in printing.LANGUAGES else "ja"
    if lang not in printing.LANGUAGES:
        raise DocumentsError(_l("Choose the language ja or en."), {"lang": "ja | en"})
    return lang


def document_pdf(user: User, document_id: str, lang: str, organization_slug: str | None = None
                 ) -> PdfFile:
    """The PDF of "service-plan" or "outbrief-N" for `user`, stamped and recorded.

    Customers get their own organisation's documents only (never a draft); staff name the
    organisation of a service plan with `organization_slug`. Anything else is NotFound.
    """
    parsed = services.parse_document_id(document_id)
    if parsed is None:
        raise NotFound(_l("No such document."))
    kind, number = parsed
    now = clock.now()
    if kind == "outbrief":
        outbrief = services.outbrief_for(user, number)
        content = printing.outbrief_pdf(outbrief, user.name, now, lang)
        org = outbrief.organization
    else:
        org = _plan_organization(user, organization_slug)
        content = printing.service_plan_pdf(org, user.name, now, lang)
    services.record_download(user, org.id, kind, lang, number if kind == "outbrief" else None)
    return PdfFile(content, printing.pdf_filename(kind, number, org.slug, lang))


def _plan_organization(user: User, slug: str | None) -> Organization:
    if not user.is_staff:
        return user.organization
    org = db.session.scalar(select(Organization).where(Organization.slug == (slug or "")))
    if org is None:
        raise NotFound(_l("Name the organisation of the service plan."))
    return org
