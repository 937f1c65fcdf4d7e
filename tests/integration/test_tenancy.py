"""Tenancy, walked: every model that belongs to an organisation and every route that takes an id.

A customer who names another organisation's object gets exactly the answer a missing one gets
(same status, same body), and the object is left as it was. A new model with an
`organization_id`, or a new route with an id, fails here until it is classified below.
"""
from __future__ import annotations

import difflib
import io
import json
import re

import pytest
from werkzeug.datastructures import FileStorage

from portal.core import clock
from portal.db import db
from tests import factories
from tests.helpers import bearer, file_request
from tests.integration.documents.helpers import make_outbrief
from tests.integration.knowledge.helpers import article as knowledge_article
from tests.integration.workshops import helpers as workshop_helpers

MISSING = 987_654

# How each model with an organisation is reached: by the id routes below, or never by id.
MODELS = {
    "Ticket": "ticket_id",
    "Booking": "booking_id",
    "Outbrief": "outbrief_id / document_id",
    "User": "user_id",
    "Contract": "staff only (admin.update_contract, admin.update_package)",
    "AuditEvent": "never by id; listed for staff only",
    "UsageCounter": "never by id; the usage page and API read the user's own organisation",
    "TicketCounter": "never by id; numbering only",
    "DocumentDownload": "never by id; staff's download log only",
    "InboundMail": "never by id for customers; the staff's review of mail taken in",
    "SatisfactionSurvey": "by its request's ticket_id (tickets.satisfaction, "
                          "api.rate_ticket); the signed survey link",
    "SsoSettings": "never by id; staff only (sso.settings, by the organisation's id)",
    "ArticleOrganization": "never by id; who may read a restricted article (article_id)",
    "ArticleFeedback": "never by id; written by the reader, counted for staff",
    "ArticleRead": "never by id; counted for staff",
    "Deflection": "never by id; counted for staff",
}

# Every route with an argument: what the argument names, for a customer.
STAFF_ONLY = "staff only"
NOT_AN_ID = "not an id"
ROUTES = {
    "admin.remove_closure": STAFF_ONLY, "admin.update_contract": STAFF_ONLY,
    "admin.update_package": STAFF_ONLY, "admin.organization": STAFF_ONLY,
    "backoffice.organization_audit": STAFF_ONLY,
    "mail_review.detail": STAFF_ONLY, "mail_review.act": STAFF_ONLY,
    "mail_review.unblock": STAFF_ONLY,
    "outbriefs.edit": STAFF_ONLY, "outbriefs.update": STAFF_ONLY, "outbriefs.deliver": STAFF_ONLY,
    "workshops_staff.workshop": STAFF_ONLY, "workshops_staff.update": STAFF_ONLY,
    "workshops_staff.archive": STAFF_ONLY, "workshops_staff.delete": STAFF_ONLY,
    "workshops_staff.create_session": STAFF_ONLY, "workshops_staff.session": STAFF_ONLY,
    "workshops_staff.cancel_session": STAFF_ONLY,
    "api.api_create_session": STAFF_ONLY, "api.deliver_outbrief": STAFF_ONLY,
    "api.void_ticket": STAFF_ONLY, "api.out_of_scope_ticket": STAFF_ONLY,
    "static": NOT_AN_ID, "accounts.password_link": NOT_AN_ID, "mail_confirm.confirm": NOT_AN_ID,
    # sessions are the provider's catalogue, the same for every organisation
    "workshops.book": NOT_AN_ID,
    "api.api_booking": "booking", "api.api_cancel": "booking", "api.api_quote": "booking",
    "api.api_reschedule": "booking",
    "workshops.booking": "booking", "workshops.calendar_file": "booking",
    "workshops.cancel": "booking", "workshops.change": "booking", "workshops.reschedule": "booking",
    "api.download_document": "document", "documents.download": "document",
    "documents.decide": "outbrief",
    "api.get_ticket": "ticket", "api.patch_ticket": "ticket", "api.post_message": "ticket",
    "tickets.satisfaction": "ticket", "api.rate_ticket": "ticket",
    # the signed survey link: the signature names the request (the path's id must match it),
    # like accounts.password_link; refused links are tested in tickets/test_survey.py
    "tickets.survey_link": NOT_AN_ID,
    "tickets.detail": "ticket", "tickets.take": "ticket", "tickets.attachment": "attachment",
    "tickets.reply": "ticket", "tickets.out_of_scope": "ticket", "tickets.root_cause": "ticket",
    "tickets.severity": "ticket", "tickets.status": "ticket", "tickets.void": "ticket",
    "tickets.reopen": "ticket", "tickets.add_watcher": "ticket", "tickets.remove_watcher": "ticket",
    "api.list_watchers": "ticket", "api.add_watcher": "ticket", "api.remove_watcher": "ticket",
    "accounts.set_active": "person", "accounts.change_role": "person",
    "accounts.resend_invitation": "person",
    "accounts.revoke_token": "token",
    "accounts.end_session": "sign-in session",
    "factors.remove_factor": "second factor", "factors.reset_person": STAFF_ONLY,
    "sso.settings": STAFF_ONLY,
    "sso.start": NOT_AN_ID,  # an organisation's slug: its sign-in page, the same for everyone
    # knowledge base: another organisation's restricted article (and a draft) is missing
    "knowledge.article": "article", "knowledge.feedback": "article",
    "knowledge.attachment": "article attachment", "api.get_article": "article",
    "api.patch_article": STAFF_ONLY, "knowledge_staff.edit": STAFF_ONLY,
}

# Plausible values for every form and body, so a POST gets past its own validation.
FORM = {
    "body": "別組織の依頼への返信を試みます。", "reason": "理由を十分に詳しく書いておきます。",
    "severity": "A", "status": "resolved", "role": "customer_admin", "active": "0",
    "exclusion": "customer_business_or_inhouse_systems", "confirm": "y", "session_id": "1",
    "subject": "件名を変えます", "assignee": "", "email": "contact@kitsune.example", "rating": "5",
}


@pytest.fixture()
def world(app):
    """acme (whose people ask) and kitsune (whose objects they name)."""
    from portal.accounts import services as accounts

    clock.travel_to(workshop_helpers.NOW)
    people = factories.two_organizations()
    kitsune_admin = people["kitsune_admin"]
    ticket = file_request(people["kitsune_contact"], subject="北狐の秘密の件名")
    from portal.tickets import attachments

    upload = FileStorage(io.BytesIO(b"kitsune secret log"), filename="kitsune.log",
                         content_type="text/plain")
    attachment = attachments.save_all(ticket, [upload], people["kitsune_contact"])[0]
    session = workshop_helpers.session(workshop_helpers.workshop())
    booking = workshop_helpers.book(kitsune_admin, session,
                                    ("北狐 受講者", "fox@kitsune.example"))
    outbrief = make_outbrief(people["kitsune"], people["staff"], title="北狐の秘密の報告書")
    _token, token_row = accounts.issue_token(people["kitsune_contact"], "北狐の連携")
    from portal.accounts import sessions

    sessions.start(people["kitsune_contact"], "北狐のブラウザー", "192.0.2.7")
    signed_in = max(row.id for row in sessions.active_sessions(people["kitsune_contact"].id))
    restricted = knowledge_article(people["staff"], title_ja="北狐専用の記事",
                                   body_ja="北狐だけの VPN 設定です。", organizations=[people["kitsune"]])
    from portal.knowledge import services as knowledge

    article_file = knowledge.add_attachments(restricted, [FileStorage(
        io.BytesIO(b"kitsune vpn profile"), filename="kitsune-vpn.txt")], people["staff"])[0]
    draft = knowledge_article(people["staff"], title_ja="下書きの記事", body_ja="まだ誰にも見せません。",
                              published=False)
    factor = factories.enrol_totp(people["kitsune_contact"])
    db.session.commit()
    return {**people, "second factor": factor.id, "article": restricted.id,
            "article attachment": article_file.id, "draft": draft.id, "ticket": ticket.id,
            "attachment": attachment.id, "booking": booking.id, "outbrief": outbrief.id,
            "person": people["kitsune_contact"].id,
            "token": token_row.id, "session": session.id, "sign-in session": signed_in}


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.arguments]


def _url(rule, values):
    return rule.build(values, append_unknown=False)[1]


def _values(rule, kind, objects, missing: bool):
    """URL values naming kitsune's object (or a missing one) for `kind`."""
    def pick(key):
        return MISSING if missing else objects[key]

    values = {}
    for name in rule.arguments:
        if name == "decision":
            values[name] = "accept"
        elif name == "document_id":
            values[name] = f"outbrief-{pick('outbrief')}"
        elif name == "attachment_id" and kind == "article attachment":
            values[name] = pick("article attachment")
        elif name == "article_id":
            values[name] = objects["article"] if kind == "article attachment" else pick("article")
        elif name == "attachment_id":
            values[name] = pick("attachment")
        elif name == "ticket_id":
            values[name] = objects["ticket"] if kind == "attachment" else pick("ticket")
        elif name == "factor_id":
            values[name] = pick("second factor")
        elif name == "session_id" and kind == "sign-in session":
            values[name] = pick("sign-in session")
        elif name in ("booking_id", "outbrief_id", "user_id", "token_id"):
            key = {"booking_id": "booking", "outbrief_id": "outbrief", "user_id": "person",
                   "token_id": "token"}[name]
            values[name] = pick(key)
        else:
            values[name] = MISSING
    return values


def _normalised(response, url: str) -> tuple[int, str]:
    body = response.get_data(as_text=True).replace(url, "<the url>")
    body = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1", body)
    body = re.sub(r'nonce="[^"]+"', "", body)
    body = re.sub(r'(data-testid="request-id">)[^<]+', r"\1", body)
    return response.status_code, body


def _diff(theirs, nobodys) -> str:
    if not isinstance(theirs, str):
        theirs, nobodys = json.dumps(theirs, indent=1), json.dumps(nobodys, indent=1)
    return "\n".join(difflib.unified_diff(theirs.splitlines(), nobodys.splitlines(),
                                          lineterm="", n=0))


def _without_request_id(answer):
    if isinstance(answer, dict):
        return {key: _without_request_id(value) for key, value in answer.items()
                if key != "request_id"}
    return answer


def _snapshot(objects) -> tuple:
    """What a customer of acme must never change of kitsune's."""
    from portal.accounts.models import ApiToken, SecondFactor, User, UserSession
    from portal.documents.models import Outbrief
    from portal.tickets.models import Message, Ticket
    from portal.workshops.models import Booking

    db.session.expire_all()
    ticket = db.session.get(Ticket, objects["ticket"])
    person = db.session.get(User, objects["person"])
    return (ticket.status, ticket.severity, ticket.assignee_id, ticket.subject,
            db.session.query(Message).filter_by(ticket_id=ticket.id).count(),
            db.session.get(Booking, objects["booking"]).status,
            db.session.get(Outbrief, objects["outbrief"]).status,
            person.role, person.active,
            db.session.get(ApiToken, objects["token"]).revoked_at,
            db.session.get(UserSession, objects["sign-in session"]) is not None,
            db.session.get(SecondFactor, objects["second factor"]) is not None)


def test_every_model_with_an_organisation_is_classified(app):
    owned = {mapper.class_.__name__ for mapper in db.Model.registry.mappers
             if "organization_id" in mapper.columns}
    assert owned == set(MODELS), "classify each model with an organisation in MODELS"


def test_every_route_with_an_argument_is_classified(app):
    assert {rule.endpoint for rule in _rules(app)} == set(ROUTES), \
        "classify each route that takes an argument in ROUTES"


def _walk(app, world, api: bool, answer) -> int:
    """For every route with an id (the API's or the pages'), `answer(method, url)` for kitsune's
    object and for a missing one must be the same refusal; returns how many were compared."""
    checked = 0
    for rule in _rules(app):
        kind = ROUTES[rule.endpoint]
        if kind == NOT_AN_ID or rule.rule.startswith("/api/") != api:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            theirs, nobodys = (answer(method, _url(rule, _values(rule, kind, world, missing)))
                               for missing in (False, True))
            assert theirs[0] in (403, 404), (rule.endpoint, method, theirs[0])
            assert theirs == nobodys, (rule.endpoint, method, _diff(theirs[1], nobodys[1]))
            checked += 1
    return checked


@pytest.mark.parametrize("who", ["acme_admin", "acme_contact"])
def test_pages_answer_another_organisations_id_as_a_missing_one(app, client, world, who):
    before = _snapshot(world)
    client.login(world[who].email)

    def answer(method, url):
        response = (client.get(url) if method == "GET"
                    else client.post(url, FORM, csrf_from="/profile"))
        return _normalised(response, url)

    assert _walk(app, world, False, answer) >= 30
    assert _snapshot(world) == before


@pytest.mark.parametrize("who", ["acme_admin", "acme_contact"])
def test_api_answers_another_organisations_id_as_a_missing_one(app, client, world, who):
    headers = bearer(world[who])
    before = _snapshot(world)
    body = {"body": FORM["body"], "reason": FORM["reason"], "severity": "A", "status": "resolved",
            "session_id": world["session"]}

    def answer(method, url):
        response = client.open(method, url, headers=headers,
                               json=None if method == "GET" else body)
        return response.status_code, _without_request_id(response.get_json())

    assert _walk(app, world, True, answer) >= 10
    assert _snapshot(world) == before


SECRETS = ("北狐の秘密の件名", "北狐専用の記事", "下書きの記事", "kitsune-vpn.txt",
            "北狐 受講者", "北狐の秘密の報告書", "kitsune.log", "北狐の連携",
           "北狐のブラウザー",
           "contact@kitsune.example", "KITSUNE-")


@pytest.mark.parametrize("who", ["acme_admin", "acme_contact"])
def test_lists_never_show_another_organisations_objects(app, client, world, who):
    client.login(world[who].email)
    pages = ["/dashboard", "/requests", "/requests?q=北狐", "/knowledge", "/knowledge?q=北狐",
             "/knowledge?q=VPN", "/knowledge/suggestions?subject=北狐の VPN 設定",
             "/usage", "/people", "/workshops/",
             "/workshops/bookings", "/documents", "/profile", "/maintenance"]
    api = ["/api/v1/tickets", "/api/v1/tickets?q=北狐", "/api/v1/articles",
           "/api/v1/articles?q=北狐", "/api/v1/bookings", "/api/v1/documents",
           "/api/v1/usage", "/api/v1/me"]
    headers = bearer(world[who])
    seen = 0
    for url in pages:
        response = client.get(url)
        if response.status_code == 403:  # a page for administrators only
            continue
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert not [secret for secret in SECRETS if secret in text], url
        seen += 1
    for url in api:
        response = client.get(url, headers=headers)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, url
        text = json.dumps(response.get_json(), ensure_ascii=False)
        assert not [secret for secret in SECRETS if secret in text], url
        seen += 1
    assert seen >= 10


@pytest.mark.parametrize("who", ["acme_admin", "acme_contact"])
def test_a_draft_article_is_missing_for_customers_on_pages_and_api(app, client, world, who):
    client.login(world[who].email)
    headers = bearer(world[who])
    for url in (f"/knowledge/{world['draft']}", f"/knowledge/{MISSING}"):
        assert client.get(url).status_code == 404
    draft, missing = (client.get(f"/api/v1/articles/{i}", headers=headers)
                      for i in (world["draft"], MISSING))
    assert draft.status_code == missing.status_code == 404
    assert _without_request_id(draft.get_json()) == _without_request_id(missing.get_json())
