"""The articles a filing receipt suggests (issue 22: "and for mail, in the receipt"), like
Zendesk's "these articles may help": up to three published articles the requester may read that
match the request, found by the new-request form's own suggestion (`index.suggested`: the
index's scope keeps drafts and other organisations' restricted articles out), their titles in
the requester's language, each with its link.

The tickets feature sends the receipt and sits below this one, so it does not import it:
create_app registers `for_receipt` as `app.extensions["receipt_articles"]`."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from portal.core.text import one_line
from portal.knowledge import index, presenters, services

RECEIPT_ARTICLES = 3
TEXT_READ = 2000  # of the description, as the form's suggestions read it


@dataclass(frozen=True)
class SuggestedArticle:
    title: str
    url: str


def for_receipt(requester, subject: str, body: str) -> list[SuggestedArticle]:
    """At most three articles for this request, best match first; none for staff."""
    if requester is None or requester.is_staff:
        return []
    ids = index.suggested(requester, f"{subject}\n{body[:TEXT_READ]}", limit=RECEIPT_ARTICLES)
    base = current_app.config["BASE_URL"].rstrip("/")
    return [SuggestedArticle(one_line(presenters.title(article, requester.locale)),
                             f"{base}/knowledge/{article.id}")
            for article in services.by_ids(requester, ids)]
