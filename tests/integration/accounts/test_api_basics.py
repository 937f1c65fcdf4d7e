"""API basics: bearer tokens, /me, JSON errors, and an OpenAPI description kept true."""
from __future__ import annotations

import jsonschema
import pytest

from portal.accounts import services
from portal.db import db
from tests import factories


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _token(user, name="monitoring"):
    token, _row = services.issue_token(user, name)
    db.session.commit()
    return token


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_me_answers_for_the_token_user(client, people):
    body = client.get("/api/v1/me", headers=_bearer(_token(people["acme_contact"]))).json
    assert body["email"] == "contact@acme.example"
    assert body["role"] == "contact"
    assert body["organization"] == {"id": people["acme"].id, "slug": "acme", "name": "株式会社アクメ"}


def test_staff_me_has_no_organization(client, people):
    assert client.get("/api/v1/me", headers=_bearer(_token(people["staff"]))).json[
        "organization"] is None


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer mdg_wrong", "Basic abc"],
                         ids=["none", "empty-bearer", "unknown-token", "other-scheme"])
def test_missing_or_bad_token_is_401_json(client, people, header):
    response = client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


def test_revoked_token_stops_working(client, people):
    token = _token(people["acme_contact"])
    row = people["acme_contact"]
    from portal.accounts.models import ApiToken

    token_row = db.session.query(ApiToken).filter_by(user_id=row.id).one()
    services.revoke_token(row, token_row.id)
    db.session.commit()
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_revoke_from_profile_page(client, people):
    client.login("contact@acme.example")
    assert client.post("/profile/tokens", {"token-name": "ITSM"},
                       csrf_from="/profile").status_code == 302
    created = client.get("/profile")  # shown once, after the redirect
    assert "data-testid=\"new-token\"" not in client.get("/profile").get_data(as_text=True)
    import re

    token = re.search(r'data-testid="new-token">([^<]+)<', created.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 200
    from portal.accounts.models import ApiToken

    token_id = db.session.query(ApiToken.id).filter_by(name="ITSM").scalar()
    client.post(f"/profile/tokens/{token_id}/revoke", csrf_from="/profile")
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401


def test_token_is_stored_hashed_and_last_use_noted(client, people):
    token = _token(people["acme_contact"])
    from portal.accounts.models import ApiToken

    row = db.session.query(ApiToken).one()
    assert token not in (row.token_hash, row.prefix) and row.last_used_at is None
    client.get("/api/v1/me", headers=_bearer(token))
    db.session.expire_all()
    assert db.session.query(ApiToken).one().last_used_at is not None


def test_session_cookie_never_authenticates_the_api(client, people):
    client.login("contact@acme.example")
    assert client.get("/dashboard").status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_unknown_api_path_is_json_404(client, people):
    response = client.get("/api/v1/nothing-here", headers=_bearer(_token(people["staff"])))
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_openapi_describes_exactly_the_routes_that_exist(app, client):
    spec = client.get("/api/v1/openapi.json").json
    import re

    def shape(path: str) -> str:  # /tickets/{id} and /tickets/<int:ticket_id> are the same path
        return re.sub(r"\{[^}]+\}|<[^>]+>", "{}", path)

    documented = {(shape(path), method) for path, ops in spec["paths"].items() for method in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            served |= {(shape(rule.rule), m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == served


def test_me_answer_matches_its_openapi_schema(client, people):
    spec = client.get("/api/v1/openapi.json").json
    body = client.get("/api/v1/me", headers=_bearer(_token(people["acme_admin"]))).json
    schema = {**spec["paths"]["/api/v1/me"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"], "components": spec["components"]}
    jsonschema.validate(body, schema)
    error = client.get("/api/v1/me").json
    jsonschema.validate(error, {"$ref": "#/components/schemas/Error",
                                "components": spec["components"]})


def test_api_calls_beyond_the_limit_get_a_json_429(client, people, app):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        headers = _bearer(_token(people["acme_contact"]))
        answers = [client.get("/api/v1/me", headers=headers) for _ in range(4)]
        other = client.get("/api/v1/me", headers=_bearer(_token(people["kitsune_contact"])))
    finally:
        app.config["API_RATE_LIMIT"] = "600 per minute"
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json["error"]["code"] == "too_many_requests"
    assert other.status_code == 200  # counted per token, not shared by everyone behind one proxy


def test_api_answers_tell_the_client_how_many_calls_are_left(client, people, app):
    """An ITSM integration paces itself by the rate-limit headers: the limit, what is left of it
    (counting down call by call) and when it resets. Pages, which have no limit, carry none."""
    app.config["API_RATE_LIMIT"] = "5 per minute"
    try:
        headers = _bearer(_token(people["acme_contact"]))
        answers = [client.get("/api/v1/me", headers=headers) for _ in range(2)]
    finally:
        app.config["API_RATE_LIMIT"] = "600 per minute"
    assert [a.headers.get("X-RateLimit-Limit") for a in answers] == ["5", "5"]
    assert [a.headers.get("X-RateLimit-Remaining") for a in answers] == ["4", "3"]
    assert all(a.headers.get("X-RateLimit-Reset", "").isdigit() for a in answers)
    page = client.get("/login")
    assert page.status_code == 200 and "X-RateLimit-Limit" not in page.headers
