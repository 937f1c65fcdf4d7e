"""The answers the document pages and the document API share: a PDF download, and what to say
when the Japanese font is missing."""
from __future__ import annotations

from flask import Response

from portal.core.i18n import _
from portal.documents import files


def pdf_response(pdf: files.PdfFile):
    """The PDF as an attachment that no cache keeps (it carries a personal stamp)."""
    response = Response(pdf.content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def font_missing_message() -> str:
    return _("PDFs cannot be produced right now: the Japanese font (IPAexGothic) is not installed "
             "on the server, and without it the Japanese text would print as empty boxes. "
             "Please tell the provider's support desk.")
