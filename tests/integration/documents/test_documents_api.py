"""/api/v1 documents: list, PDF, staff outbrief endpoints; tenancy and roles; OpenAPI schemas."""
from __future__ import annotations

import jsonschema
import pytest

from portal.accounts import services as accounts
from portal.db import db
from portal.documents.models import DocumentDownload, Outbrief
from tests import factories
from tests.integration.documents.helpers import make_outbrief, pdf_text

NEW = {
    "organization": "acme", "title": "API で作成した調査", "engagement_start": "2026-11-02",
    "engagement_end": "2026-11-06", "summary": "概要",
    "findings": [{"title": "弱いパスワード", "risk": "high", "detail": "詳細"}],
    "recommendations": ["パスワードを変更する"],
}


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def _bearer(user):
    token, _row = accounts.issue_token(user, "api")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _validate(client, body, schema_name):
    spec = client.get("/api/v1/openapi.json").json
    jsonschema.validate(body, {"$ref": f"#/components/schemas/{schema_name}",
                               "components": spec["components"]})


def test_customer_lists_delivered_outbriefs_and_the_service_plan(client, people):
    delivered = make_outbrief(people["acme"], people["staff"])
    make_outbrief(people["acme"], people["staff"], deliver=False)
    make_outbrief(people["kitsune"], people["staff"])
    response = client.get("/api/v1/documents", headers=_bearer(people["acme_contact"]))
    assert response.status_code == 200
    items = response.json["items"]
    assert [(i["id"], i["kind"], i["status"], i["due_on"]) for i in items] == [
        (f"outbrief-{delivered.id}", "outbrief", "delivered", "2026-11-16"),
        ("service-plan", "service_plan", "current", None),
    ]
    _validate(client, response.json, "DocumentList")


def test_pdf_download_through_the_api(client, people):
    outbrief = make_outbrief(people["acme"], people["staff"])
    headers = _bearer(people["acme_admin"])
    response = client.get(f"/api/v1/documents/outbrief-{outbrief.id}.pdf?lang=en", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Downloaded by admin at" in pdf_text(response.data)
    plan = client.get("/api/v1/documents/service-plan.pdf?lang=ja", headers=headers)
    assert "サービス実施計画" in pdf_text(plan.data)
    assert db.session.query(DocumentDownload).count() == 2
    bad = client.get("/api/v1/documents/service-plan.pdf?lang=de", headers=headers)
    assert bad.status_code == 422 and list(bad.json["error"]["fields"]) == ["lang"]  # issue 17
    _validate(client, bad.json, "Error")


def test_another_organisation_and_drafts_are_404(client, people):
    delivered = make_outbrief(people["acme"], people["staff"])
    draft = make_outbrief(people["acme"], people["staff"], deliver=False)
    kitsune = _bearer(people["kitsune_admin"])
    for document_id in (f"outbrief-{delivered.id}", str(delivered.id), "outbrief-424242", "nothing"):
        response = client.get(f"/api/v1/documents/{document_id}.pdf", headers=kitsune)
        assert response.status_code == 404
        assert response.json["error"]["code"] == "not_found"
    acme = _bearer(people["acme_admin"])
    assert client.get(f"/api/v1/documents/outbrief-{draft.id}.pdf", headers=acme).status_code == 404
    assert db.session.query(DocumentDownload).count() == 0


def test_staff_create_and_deliver_an_outbrief(client, people):
    headers = _bearer(people["staff"])
    created = client.raw_post("/api/v1/outbriefs", json=NEW, headers=headers)
    assert created.status_code == 201
    body = created.json
    assert (body["status"], body["due_on"], body["kind"]) == ("draft", "2026-11-16", "outbrief")
    _validate(client, body, "Document")
    customer = _bearer(people["acme_admin"])
    assert [i["kind"] for i in client.get("/api/v1/documents", headers=customer).json["items"]] == [
        "service_plan"]
    delivered = client.raw_post(f"/api/v1/outbriefs/{body['id']}/deliver", headers=headers)
    assert delivered.status_code == 200 and delivered.json["status"] == "delivered"
    _validate(client, delivered.json, "Document")
    again = client.raw_post(f"/api/v1/outbriefs/{body['outbrief_id']}/deliver", headers=headers)
    assert again.status_code == 409
    items = client.get("/api/v1/documents", headers=customer).json["items"]
    assert items[0]["id"] == body["id"] and items[0]["title"] == "API で作成した調査"


def test_staff_list_everything_or_one_organisation(client, people):
    make_outbrief(people["acme"], people["staff"], deliver=False)
    make_outbrief(people["kitsune"], people["staff"])
    headers = _bearer(people["staff"])
    everything = client.get("/api/v1/documents", headers=headers).json["items"]
    assert sorted(i["status"] for i in everything) == ["delivered", "draft"]
    kitsune = client.get("/api/v1/documents?organization=kitsune", headers=headers).json["items"]
    assert [i["kind"] for i in kitsune] == ["outbrief", "service_plan"]
    assert client.get("/api/v1/documents?organization=nobody", headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organization": "nobody"}, "organization"),
        ({"engagement_end": "2026-11-01"}, "engagement_end"),
        ({"engagement_start": "next week"}, "engagement_start"),
        ({"findings": [{"title": "x", "risk": "extreme"}]}, "findings"),
        ({"findings": "many"}, "findings"),
        ({"recommendations": [1, 2]}, "recommendations"),
        ({"title": ""}, "title"),
        ({"kind": "audit"}, "kind"),
    ],
    ids=["unknown-org", "end-before-start", "bad-date", "bad-risk", "findings-not-list",
         "recommendations-not-text", "no-title", "unknown-kind"],
)
def test_bad_outbriefs_are_422_with_the_field(client, people, changes, field):
    response = client.raw_post("/api/v1/outbriefs", json={**NEW, **changes},
                           headers=_bearer(people["staff"]))
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    _validate(client, response.json, "Error")
    assert db.session.query(Outbrief).count() == 0


def test_not_json_is_400(client, people):
    response = client.raw_post("/api/v1/outbriefs", data="title=x", headers=_bearer(people["staff"]))
    assert response.status_code == 400


def test_customers_are_refused_the_staff_endpoints(client, people):
    draft = make_outbrief(people["acme"], people["staff"], deliver=False)
    headers = _bearer(people["acme_admin"])
    assert client.raw_post("/api/v1/outbriefs", json=NEW, headers=headers).status_code == 403
    response = client.raw_post(f"/api/v1/outbriefs/{draft.id}/deliver", headers=headers)
    assert response.status_code == 403
    _validate(client, response.json, "Error")
    db.session.expire_all()
    assert db.session.get(Outbrief, draft.id).status == "draft"
