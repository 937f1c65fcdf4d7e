"""PDF rendering with WeasyPrint: one print stylesheet, a named Japanese font, no outside fetches.

- The template gets a plain dict of primitives (never ORM objects) and Jinja autoescapes it,
  so whatever staff or customers typed prints as text.
- `PortalURLFetcher` serves only the portal's own /static files; file:, http(s):, large data:
  URLs and everything else are refused (and noted in `refused`, which tests read).
- Without a Japanese font the PDF would print empty boxes, so rendering refuses with FontMissing
  and the views answer 503 with a clear message; `japanese_font_available()` also feeds /readyz.
"""
from __future__ import annotations

import base64
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from portal.core.fonts import (  # noqa: F401  (re-exported: the documents feature's check)
    JAPANESE_FONT,
    forget_font_check,
    japanese_font_available,
)
from portal.documents.interfaces import FontMissing

PRINT_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "print.css"
# Relative URLs in the templates resolve against this origin, which the fetcher maps to the
# static folder; .invalid never resolves, so nothing ever leaves the machine.
STATIC_ORIGIN = "madoguchi.invalid"
BASE_URL = f"https://{STATIC_ORIGIN}/"
MAX_INLINE_DATA = 8 * 1024
_lock = threading.Lock()


class PortalURLFetcher(URLFetcher):
    """Serves /static/... from the portal's static folder and refuses everything else."""

    def __init__(self, static_folder: str | Path):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.static_folder = Path(static_folder).resolve()
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.netloc == STATIC_ORIGIN and parts.path.startswith("/static/"):
            return self._static(url, unquote(parts.path.removeprefix("/static/")))
        if parts.scheme == "data" and len(url) <= MAX_INLINE_DATA:
            return self._inline(url)
        return self._refuse(url)

    def _refuse(self, url: str):
        self.refused.append(url)
        raise ValueError(f"refused to fetch {url[:80]!r}: PDFs use only the portal's own files")

    def _static(self, url: str, relative: str):
        path = (self.static_folder / relative).resolve()
        if not path.is_file() or not path.is_relative_to(self.static_folder):
            return self._refuse(url)
        self.served.append(url)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    def _inline(self, url: str):
        header, _comma, payload = url.partition(",")
        media_type = header.removeprefix("data:").split(";")[0] or "text/plain"
        try:
            body = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
        except ValueError:
            return self._refuse(url)
        self.served.append(url[:40])
        return URLFetcherResponse(url, body, {"Content-Type": media_type})


_stylesheet: CSS | None = None


def _print_stylesheet(fetcher: PortalURLFetcher, font_config: FontConfiguration) -> CSS:
    """The one print stylesheet, parsed once per process (it has no @font-face to bind)."""
    global _stylesheet
    with _lock:
        if _stylesheet is None:
            _stylesheet = CSS(filename=str(PRINT_CSS), url_fetcher=fetcher, font_config=font_config)
        return _stylesheet


def render_pdf(template: str, context: dict, fetcher: PortalURLFetcher | None = None) -> bytes:
    """Render templates/<template> with a primitives-only context into PDF bytes."""
    if not japanese_font_available():
        raise FontMissing(f"the Japanese font {JAPANESE_FONT} is not installed")
    fetcher = fetcher or PortalURLFetcher(current_app.static_folder)
    html = render_template(template, **context)
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[_print_stylesheet(fetcher, font_config)],
                              font_config=font_config)
