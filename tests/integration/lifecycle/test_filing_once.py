"""Post/Redirect/Get and one filing per submission (issue 18, defect 4): a reload never creates
a second token or reply, Back and send again (or a double click) files once, and the same
subject and body again within ten minutes asks first; a file over the limit keeps the form
(defect 6, the server's side)."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts.models import ApiToken
from portal.core import clock
from portal.db import db
from portal.tickets.models import Message, Ticket
from tests import factories
from tests.helpers import file_request, jst


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    return factories.two_organizations()


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _form(client) -> dict:
    page = client.get("/requests/new").get_data(as_text=True)
    key = re.search(r'name="filing_key" type="hidden" value="([^"]+)"|'
                    r'id="filing_key" name="filing_key" type="hidden" value="([^"]+)"', page)
    return {"kind": "question", "subject": "バックアップの手順", "body": "手順を教えてください。",
            "filing_key": next(group for group in key.groups() if group)}


def test_a_new_token_is_shown_once_and_a_reload_creates_none(client, people):
    client.login("admin@acme.example")
    created = client.post("/profile/tokens", {"token-name": "CI連携"}, csrf_from="/profile")
    assert created.status_code == 302 and created.headers["Location"].endswith("/profile")
    first = client.get("/profile").get_data(as_text=True)
    assert 'data-testid="new-token">mdg_' in first
    again = client.get("/profile").get_data(as_text=True)  # the reload: a GET, and nothing shown
    assert 'data-testid="new-token"' not in again
    assert _count(ApiToken) == 1


def test_a_reply_redirects_so_a_reload_sends_nothing(client, people):
    ticket = file_request(people["acme_contact"])
    client.login("contact@acme.example")
    sent = client.post(f"/requests/{ticket.id}/messages", {"body": "追加の情報です。"},
                       csrf_from=f"/requests/{ticket.id}", content_type="multipart/form-data")
    assert sent.status_code == 302
    client.get(sent.headers["Location"])
    assert _count(Message, Message.ticket_id == ticket.id) == 1


def test_the_same_submission_files_once(client, people):
    client.login("contact@acme.example")
    form = _form(client)
    first = client.post("/requests/new", form, csrf_from="/requests/new")
    again = client.post("/requests/new", form, csrf_from="/requests/new")  # Back, send again
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(Ticket) == 1
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "重ねて受け付けてはいません" in page


def test_an_identical_filing_within_ten_minutes_asks_first(client, people):
    client.login("contact@acme.example")
    client.post("/requests/new", _form(client), csrf_from="/requests/new")
    clock.travel_to(jst(2026, 11, 24, 9, 38))
    asked = client.post("/requests/new", _form(client), csrf_from="/requests/new")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 409 and 'data-testid="duplicate-notice"' in page
    assert "ACME-1" in page and 'value="バックアップの手順"' in page
    assert _count(Ticket) == 1
    confirmed = client.post("/requests/new", {**_form(client), "confirm_duplicate": "y"},
                            csrf_from="/requests/new")
    assert confirmed.status_code == 302 and _count(Ticket) == 2


def test_the_same_text_after_ten_minutes_files_without_asking(client, people):
    client.login("contact@acme.example")
    client.post("/requests/new", _form(client), csrf_from="/requests/new")
    clock.travel_to(jst(2026, 11, 24, 9, 30) + timedelta(minutes=10, seconds=1))
    assert client.post("/requests/new", _form(client), csrf_from="/requests/new").status_code == 302
    assert _count(Ticket) == 2


def test_a_file_over_the_limit_gives_the_form_back_as_typed(client, people, app):
    """Larger than the whole-body limit of other pages (MAX_UPLOAD_MB + 1), well under the
    form's: the server reads it, refuses the file by name, and files nothing."""
    # as create_app sets them, small enough that the upload stays in memory (under 500 kB, the
    # test client and Werkzeug spool to a temporary file)
    app.config.update(MAX_UPLOAD_MB=0.3, MAX_CONTENT_LENGTH=int(0.4 * 1024 * 1024))
    try:
        client.login("contact@acme.example")
        form = {**_form(client), "subject": "ログを添付します",
                "attachments": (io.BytesIO(b"x" * 450_000), "server.log")}
        refused = client.post("/requests/new", form, csrf_from="/requests/new",
                              content_type="multipart/form-data")
        elsewhere = client.post("/profile", {"name": "x" * 450_000},
                                csrf_from="/profile")
    finally:
        app.config.update(MAX_UPLOAD_MB=20, MAX_CONTENT_LENGTH=21 * 1024 * 1024)
    assert elsewhere.status_code == 413  # every other form keeps the small limit
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "server.log：0.3 MB を超えています" in page
    assert 'value="ログを添付します"' in page and "手順を教えてください。" in page
    assert _count(Ticket) == 0
