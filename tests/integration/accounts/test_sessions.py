"""Sessions end when they should: a copied session cookie opens nothing after sign-out, a new
password, a reset, or the idle and absolute limits; the profile lists and ends sessions."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.models import UserSession
from portal.core import clock
from portal.db import db
from portal.notifications.services import drain_outbox
from tests import factories
from tests.conftest import PortalClient
from tests.helpers import jst
from tests.integration.accounts.test_people import LINK_RE

EMAIL = "contact@acme.example"


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 10, 0))
    return factories.two_organizations()


@pytest.fixture()
def thief(app):
    return PortalClient(app.test_client())


def _steal(victim: PortalClient, thief: PortalClient) -> None:
    """Copy the victim's session cookie into another browser."""
    cookie = victim.http.get_cookie("session")
    assert cookie is not None
    thief.http.set_cookie("session", cookie.value)


def _opens_dashboard(client: PortalClient) -> bool:
    answer = client.get("/dashboard")
    return answer.status_code == 200


def _signed_in_with_stolen_copy(client, thief):
    assert client.login(EMAIL).status_code == 302
    _steal(client, thief)
    assert _opens_dashboard(thief)  # the copy works as long as the session lives


def test_a_stolen_cookie_is_useless_after_sign_out(client, thief, people):
    _signed_in_with_stolen_copy(client, thief)
    client.logout()
    answer = thief.get("/dashboard")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_a_password_change_ends_every_other_session(client, thief, people):
    _signed_in_with_stolen_copy(client, thief)
    answer = client.post("/profile/password", {"current_password": factories.PASSWORD,
                                               "password": "a brand new passphrase"},
                         csrf_from="/profile")
    assert answer.status_code == 302
    assert _opens_dashboard(client)  # the person who changed it stays signed in
    assert not _opens_dashboard(thief)


def test_a_password_reset_ends_every_session(client, thief, other_client, people, smtp_server):
    _signed_in_with_stolen_copy(client, thief)
    other_client.post("/password/forgot", {"email": EMAIL}, csrf_from="/password/forgot")
    drain_outbox()
    link = LINK_RE.search(smtp_server.messages[-1].get_content()).group(1)
    answer = other_client.post(link, {"password": "a brand new passphrase"}, csrf_from=link)
    assert answer.status_code == 302
    assert not _opens_dashboard(thief)
    assert not _opens_dashboard(client)


def test_an_idle_session_ends_after_eight_hours(client, thief, people):
    _signed_in_with_stolen_copy(client, thief)
    clock.travel_to(clock.now() + timedelta(hours=7, minutes=59))
    assert _opens_dashboard(client)  # used: the idle time starts again
    clock.travel_to(clock.now() + timedelta(hours=7, minutes=59))
    assert _opens_dashboard(thief)
    clock.travel_to(clock.now() + timedelta(hours=8))
    assert not _opens_dashboard(thief)
    assert not _opens_dashboard(client)
    assert db.session.scalars(select(UserSession)).all() == []  # ended, not only refused


def test_the_idle_limit_is_configurable(app, client, thief, people):
    app.config["SESSION_IDLE_MINUTES"] = 30
    try:
        _signed_in_with_stolen_copy(client, thief)
        clock.travel_to(clock.now() + timedelta(minutes=31))
        assert not _opens_dashboard(thief)
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 480


def test_any_session_ends_after_seven_days_even_in_use(client, thief, people):
    _signed_in_with_stolen_copy(client, thief)
    for _hour in range(0, 7 * 24 - 6, 6):
        clock.travel_to(clock.now() + timedelta(hours=6))
        assert _opens_dashboard(thief)
    clock.travel_to(clock.now() + timedelta(hours=6))
    assert not _opens_dashboard(thief)


def _session_writes(client, page: str) -> list[str]:
    """The statements a page view sends that write to user_sessions."""
    from sqlalchemy import event

    seen = []

    def note(_conn, _cursor, statement, *_args):
        if "user_sessions" in statement and not statement.lstrip().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert client.get(page).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return seen


def test_last_seen_is_written_at_most_once_a_minute(client, people):
    client.login(EMAIL)
    assert _session_writes(client, "/dashboard") == []
    clock.travel_to(clock.now() + timedelta(seconds=50))
    assert _session_writes(client, "/dashboard") == []
    clock.travel_to(clock.now() + timedelta(seconds=20))
    assert len(_session_writes(client, "/dashboard")) == 1  # one UPDATE by primary key
    assert _session_writes(client, "/dashboard") == []
    assert db.session.scalar(select(UserSession.last_seen_at)) == clock.now()


def test_the_profile_lists_sessions_and_ends_the_others(client, thief, people):
    for browser, agent in ((client, "Firefox on the office PC"), (thief, "Unknown browser")):
        browser.http.environ_base["HTTP_USER_AGENT"] = agent
        browser.login(EMAIL)
    page = client.get("/profile").get_data(as_text=True)
    assert "Firefox on the office PC" in page and "Unknown browser" in page
    answer = client.post("/profile/sessions/others/end", csrf_from="/profile")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/profile")
    assert not _opens_dashboard(thief)
    page = client.get("/profile").get_data(as_text=True)
    assert "Firefox on the office PC" in page and "Unknown browser" not in page


def test_one_other_session_can_be_ended_but_not_someone_elses(client, thief, other_client,
                                                            people):
    client.login(EMAIL)
    thief.login(EMAIL)
    other_client.login("contact@kitsune.example")
    rows = {row.user_id: row.id for row in db.session.scalars(
        select(UserSession).order_by(UserSession.id))}
    kitsune_session = rows[people["kitsune_contact"].id]
    assert client.post(f"/profile/sessions/{kitsune_session}/end",
                       csrf_from="/profile").status_code == 404
    assert _opens_dashboard(other_client)
    thief_session = max(db.session.scalars(select(UserSession.id).where(
        UserSession.user_id == people["acme_contact"].id)))
    assert client.post(f"/profile/sessions/{thief_session}/end",
                       csrf_from="/profile").status_code == 302
    assert not _opens_dashboard(thief) and _opens_dashboard(client)


def test_signed_in_pages_are_never_stored_by_browsers(client, people):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    client.login(EMAIL)
    for page in ("/dashboard", "/profile", "/requests/"):
        assert client.get(page).headers["Cache-Control"] == "no-store", page
    created = client.post("/profile/tokens", {"token-name": "monitoring"}, csrf_from="/profile")
    assert created.status_code == 302
    token_page = client.get("/profile")
    assert "mdg_" in token_page.get_data(as_text=True)
    assert token_page.headers["Cache-Control"] == "no-store"
