"""/api/v1/articles: staff write and change, customers read and search in their language."""
from __future__ import annotations

import pytest

from portal.core import clock
from tests import factories
from tests.helpers import bearer, jst
from tests.integration.knowledge.helpers import VPN_JA, article


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    return factories.two_organizations()


def test_staff_write_an_article_for_one_organisation_and_change_it(people, client):
    staff = bearer(people["staff"])
    created = client.open("POST", "/api/v1/articles", headers=staff, json={
        "title_ja": VPN_JA[0], "body_ja": VPN_JA[1] + "\n\n<script>alert(1)</script>",
        "published": True, "organizations": ["acme"]})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["organizations"] == ["acme"] and body["language"] == "ja"
    assert "<script" not in body["body_html"] and "&lt;script&gt;" in body["body_html"]
    acme, kitsune = bearer(people["acme_contact"]), bearer(people["kitsune_contact"])
    assert client.get(f"/api/v1/articles/{body['id']}", headers=acme).status_code == 200
    assert client.get(f"/api/v1/articles/{body['id']}", headers=kitsune).status_code == 404
    changed = client.open("PATCH", f"/api/v1/articles/{body['id']}", headers=staff,
                          json={"organizations": None, "title_en": "Cannot connect to the VPN",
                                "body_en": "Check the **certificate**."})
    assert changed.status_code == 200 and changed.get_json()["organizations"] is None
    assert changed.get_json()["title_ja"] == VPN_JA[0]  # what was not sent is kept
    read = client.get(f"/api/v1/articles/{body['id']}", headers=kitsune).get_json()  # English
    assert read["title"] == "Cannot connect to the VPN" and read["language"] == "en"
    assert "<strong>certificate</strong>" in read["body_html"]


def test_customers_cannot_write_and_bad_bodies_are_422_naming_the_field(people, client):
    customer = bearer(people["acme_admin"])
    refused = client.open("POST", "/api/v1/articles", headers=customer,
                          json={"title_ja": "x", "body_ja": "y"})
    assert refused.status_code == 403
    staff = bearer(people["staff"])
    no_title = client.open("POST", "/api/v1/articles", headers=staff, json={"body_ja": "本文だけ"})
    assert no_title.status_code == 422 and "title_ja" in no_title.get_json()["error"]["fields"]
    unknown = client.open("POST", "/api/v1/articles", headers=staff, json={
        "title_ja": "t", "body_ja": "b", "organizations": ["nobody"]})
    assert unknown.status_code == 422 and "organizations" in unknown.get_json()["error"]["fields"]


def test_search_through_the_api_finds_error_codes_and_never_drafts(people, client):
    article(people["staff"], title_ja=VPN_JA[0], body_ja=VPN_JA[1])
    article(people["staff"], title_ja="0x80070005 の下書き", body_ja="下書き", published=False)
    found = client.get("/api/v1/articles", query_string={"q": "0x80070005"},
                       headers=bearer(people["acme_contact"])).get_json()
    assert [item["title"] for item in found["items"]] == [VPN_JA[0]] and found["total"] == 1
    assert "<mark>0x80070005</mark>" in found["items"][0]["snippet"]
    staff = client.get("/api/v1/articles", query_string={"q": "0x80070005"},
                       headers=bearer(people["staff"])).get_json()
    assert staff["total"] == 2


def test_the_list_pages_through_what_the_customer_may_read(people, client):
    for number in range(22):
        article(people["staff"], title_ja=f"記事 {number}", body_ja="本文")
    article(people["staff"], title_ja="下書き", body_ja="本文", published=False)
    headers = bearer(people["acme_contact"])
    first = client.get("/api/v1/articles", headers=headers).get_json()
    second = client.get("/api/v1/articles?page=2", headers=headers).get_json()
    assert first["total"] == second["total"] == 22
    assert len(first["items"]) == 20 and len(second["items"]) == 2
    assert "下書き" not in {item["title"] for item in first["items"] + second["items"]}
