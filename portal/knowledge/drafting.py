"""Filling the article form: from an article (to edit it) or from a resolved request's answer
("start an article from this answer": its subject as the title, the last public reply of staff
as the text, in the request's language)."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.accounts.models import STAFF_ROLES, User
from portal.db import db
from portal.knowledge.models import Article
from portal.tickets.models import Message, Status, Ticket

_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def language_of(text: str) -> str:
    """"ja" when the text holds kana or kanji, else "en"."""
    return "ja" if _JAPANESE.search(text or "") else "en"


def answer_of(ticket: Ticket) -> str:
    """The last public reply of staff on the request ('' without one)."""
    return db.session.scalar(
        select(Message.body).join(User, User.id == Message.author_id)
        .where(Message.ticket_id == ticket.id, Message.internal.is_(False),
               User.role.in_(STAFF_ROLES))
        .order_by(Message.created_at.desc(), Message.id.desc()).limit(1)) or ""


def from_ticket(ticket: Ticket) -> dict:
    """The form's first values for an article started from a resolved (or closed) request:
    nothing of the customer's own wording but the subject, which staff then edit."""
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        return {}
    answer = answer_of(ticket)
    lang = language_of(f"{ticket.subject}\n{answer}")
    return {f"title_{lang}": ticket.subject, f"body_{lang}": answer}


def form_data(article: Article) -> dict:
    return {"title_ja": article.title_ja, "body_ja": article.body_ja,
            "title_en": article.title_en, "body_en": article.body_en,
            "category": str(article.category_id or ""),
            "audience": "all" if article.for_everyone else "selected",
            "organizations": [o.id for o in article.organizations],
            "reviewed_on": article.reviewed_on, "published": article.published}
