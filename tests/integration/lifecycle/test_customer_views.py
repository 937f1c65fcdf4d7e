"""The customer's request list: my requests or the whole organisation's, a requester column
and filter kept in the URL, and the administrator's CSV of the organisation's requests."""
from __future__ import annotations

import csv
import io

import pytest

from portal.core import clock
from tests import factories
from tests.helpers import file_request, jst


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    found = factories.two_organizations()
    file_request(found["acme_contact"], subject="連絡担当の依頼")
    file_request(found["acme_admin"], subject="=管理者の依頼")
    file_request(found["kitsune_contact"], subject="北狐の依頼")
    return found


def test_my_requests_and_the_requester_column(client, people):
    client.login("contact@acme.example")
    everyone = client.get("/requests").get_data(as_text=True)
    assert "連絡担当の依頼" in everyone and "=管理者の依頼" in everyone
    assert "<td>admin</td>" in everyone  # the requester column
    mine = client.get("/requests?requester=me").get_data(as_text=True)
    assert "連絡担当の依頼" in mine and "=管理者の依頼" not in mine
    assert '<option value="me" selected>' in mine  # the filter stays in the URL and the form
    assert 'data-testid="export-csv"' not in mine  # the CSV is the administrator's
    assert client.get("/requests/export.csv").status_code == 403
    admin_id = people["acme_admin"].id
    theirs = client.get(f"/requests?requester={admin_id}").get_data(as_text=True)
    assert "=管理者の依頼" in theirs and "連絡担当の依頼" not in theirs


def test_the_administrator_downloads_the_organisations_requests(client, people):
    client.login("admin@acme.example")
    page = client.get("/requests?status=open").get_data(as_text=True)
    assert 'href="/requests/export.csv?status=open&amp;sort=received"' in page
    answer = client.get("/requests/export.csv?status=open")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["番号", "受付日時", "種別"]
    subjects = sorted(row[5] for row in rows[1:])
    assert subjects == ["'=管理者の依頼", "連絡担当の依頼"]  # never another organisation's
