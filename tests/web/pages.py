"""The pages each role reaches: the main navigation and one page of each kind it links to.

Shared by the phone-width and accessibility tests, so both walk the same pages. Each role's
pages are found by following the links the portal itself shows (the navigation, then one
detail page per kind of address), not by a list kept by hand that would miss a new page."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

ROLES = {
    "customer admin": "admin@acme.example",
    "contact": "contact@acme.example",
    "staff": "staff@madoguchi.example",
    "staff admin": "admin@madoguchi.example",
}
# Pages that answer with something other than an HTML page of the portal, or change something
SKIP = re.compile(r"\.(csv|pdf|ics|json|txt)$|/download|/logout|/api/|/attachments/|/healthz|/readyz")


def kind_of(path: str) -> str:
    """What kind of page an address is: its numbers and organisation slugs taken out."""
    return re.sub(r"/\d+", "/N", re.sub(r"/organizations/[\w-]+", "/organizations/S", path))


def links_on(page, base: str) -> list[str]:
    """The portal's own addresses linked from the page (path and query), in page order."""
    hrefs = page.eval_on_selector_all("main a[href], nav a[href]", "els => els.map(e => e.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if href.startswith(base) and not SKIP.search(parts.path):
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def walk(page, base: str, check) -> list[str]:
    """Visit the navigation's pages, then the first page of each kind they link to, calling
    `check(path)` on each once it has loaded; returns the paths visited."""
    page.goto(f"{base}/")
    nav = list(dict.fromkeys(path for path in links_on(page, base) if "?" not in path))
    seen = {kind_of(path) for path in nav}
    details = []
    for path in nav:
        page.goto(base + path)
        check(path)
        for link in links_on(page, base):
            if "?" not in link and kind_of(link) not in seen:
                seen.add(kind_of(link))
                details.append(link)
    for path in details:
        page.goto(base + path)
        check(path)
    return nav + details


PHONE = {"width": 390, "height": 844}


WIDEST = """() => {
  let widest = null;
  for (const element of document.querySelectorAll("body *")) {
    const right = element.getBoundingClientRect().right;
    if (right > window.innerWidth && (!widest || right > widest.right))
      widest = {right, tag: element.tagName.toLowerCase(), cls: element.className,
                text: (element.textContent || "").slice(0, 40)};
  }
  return widest;
}"""


def too_wide(page) -> dict | None:
    """How many pixels the page is wider than the window, and its widest element; None when
    it does not scroll sideways."""
    over = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return {"px": over, "widest": page.evaluate(WIDEST)} if over > 0 else None


AXE_VERSION = "4.14.1"  # tests/web/vendor/README.md
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the loaded page, one line each (rule: elements).

    The script is evaluated through the browser's debugging protocol, which the portal's
    Content-Security-Policy (script-src 'self') rightly does not allow a page to do itself."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    assert page.evaluate("axe.version") == AXE_VERSION
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA)
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            + ", ".join(" ".join(node["target"]) for node in v["nodes"][:4])
            for v in result["violations"]]
