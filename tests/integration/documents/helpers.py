"""Shared helpers for the documents tests: outbriefs made through the services, PDFs read back."""
from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from portal.db import db
from portal.documents import services
from portal.documents.interfaces import FindingInput, OutbriefInput

FINDINGS = (
    FindingInput("管理者アカウントに多要素認証がない", "high",
                 "グローバル管理者 2 名に多要素認証がありません。"),
    FindingInput("監査ログの保存期間が短い", "medium", "保存期間が 30 日です。"),
    FindingInput("不要な共有リンク", "low", "匿名リンクが 14 件あります。"),
)


def outbrief_input(org, **changes) -> OutbriefInput:
    values = {
        "organization_id": org.id, "kind": "incident_response", "title": "侵害調査アウトブリーフ",
        "engagement_start": date(2026, 11, 2), "engagement_end": date(2026, 11, 6),
        "summary": "不審なサインインを調査しました。", "findings": FINDINGS,
        "recommendations": ("多要素認証を必須にしてください。", "ログを 1 年保存してください。"),
    }
    values.update(changes)
    return OutbriefInput(**values)


def make_outbrief(org, staff, deliver: bool = True, **changes):
    """An outbrief for `org`, delivered unless asked otherwise, committed."""
    outbrief = services.create_outbrief(staff, outbrief_input(org, **changes))
    if deliver:
        services.deliver(staff, outbrief)
    db.session.commit()
    return outbrief


def pdf_text(content: bytes) -> str:
    """All the text of a PDF, pages joined, as pypdf extracts it."""
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def unembedded_fonts(content: bytes) -> list[str]:
    """Names of the fonts any page uses without embedding them (descendant fonts included)."""
    reader = PdfReader(io.BytesIO(content))
    missing, seen = [], 0
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for part in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                descriptor = part.get("/FontDescriptor")
                if descriptor is None:
                    continue
                seen += 1
                descriptor = descriptor.get_object()
                if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.append(str(part.get("/BaseFont")))
    assert seen, "the PDF names no font descriptors at all"
    return missing


def flat(text: str) -> str:
    """Text without line breaks or spaces, so wrapped lines can be searched."""
    return "".join(text.split())
