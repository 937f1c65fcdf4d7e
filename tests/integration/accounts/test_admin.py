"""Provider administration: organisations, contracts, staff, closure days."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts.models import ClosureDay, Contract, Organization
from portal.db import db
from tests import factories


@pytest.fixture()
def people(app):
    return factories.two_organizations()


def test_provider_admin_creates_an_organisation(client, people):
    client.login("boss@provider.example")
    response = client.post("/admin/organizations", {
        "slug": "umi", "name": "海運株式会社", "included": "5", "overage_price": "20000",
        "term_start": "2026-04-01", "term_end": "2027-03-31"}, csrf_from="/admin/organizations")
    assert response.status_code == 302
    assert db.session.scalar(select(Organization.name).where(Organization.slug == "umi")) == "海運株式会社"


def test_bad_contract_dates_come_back_with_the_form_filled(client, people):
    client.login("boss@provider.example")
    response = client.post("/admin/organizations", {
        "slug": "umi", "name": "海運株式会社", "included": "5", "overage_price": "-1",
        "term_start": "2026-04-01", "term_end": "2026-03-31"}, csrf_from="/admin/organizations")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="海運株式会社"' in page
    assert db.session.scalar(select(Organization).where(Organization.slug == "umi")) is None


def test_contract_hours_and_24_365_are_saved_and_audited(client, people):
    client.login("boss@provider.example")
    contract = db.session.scalar(select(Contract).where(
        Contract.organization_id == people["acme"].id))
    url = f"/admin/organizations/{people['acme'].id}"
    response = client.post(f"/admin/contracts/{contract.id}", {
        "term_start": "2026-01-01", "term_end": "2027-03-31", "included_requests": "8",
        "overage_unit_price": "15000", "opens": "09:00", "closes": "17:30",
        "always_open": "y"}, csrf_from=url)
    assert response.status_code == 302
    db.session.expire_all()
    contract = db.session.get(Contract, contract.id)
    assert (contract.included_requests, str(contract.closes), contract.always_open) == \
        (8, "17:30:00", True)
    page = client.get(url).get_data(as_text=True)
    assert "契約を変更" in page and "月間受付件数：8、" in page and "24/365 オプション：はい" in page


def test_opening_after_closing_is_refused_and_nothing_changes(client, people):
    client.login("boss@provider.example")
    contract = db.session.scalar(select(Contract).where(
        Contract.organization_id == people["acme"].id))
    response = client.post(f"/admin/contracts/{contract.id}", {
        "term_start": "2026-01-01", "term_end": "2027-03-31", "included_requests": "5",
        "overage_unit_price": "20000", "opens": "18:00", "closes": "09:00"},
        csrf_from=f"/admin/organizations/{people['acme'].id}")
    assert response.status_code == 422
    assert "開始時刻は終了時刻より前" in response.get_data(as_text=True)
    db.session.expire_all()
    assert str(db.session.get(Contract, contract.id).opens) == "09:00:00"


def test_closure_days_are_added_once(client, people):
    client.login("boss@provider.example")
    client.post("/admin/closures", {"day": "2026-08-14", "note": "夏季休業"}, csrf_from="/admin/closures")
    again = client.post("/admin/closures", {"day": "2026-08-14"}, csrf_from="/admin/closures")
    assert again.status_code == 422
    assert db.session.query(ClosureDay).count() == 1


def test_plain_staff_cannot_administer(client, people):
    client.login("staff@provider.example")
    assert client.get("/admin/organizations").status_code == 403


def test_new_contract_has_the_base_package_and_items_can_be_bought(client, people):
    contract = db.session.scalar(select(Contract).where(
        Contract.organization_id == people["acme"].id))
    assert contract.package_items.get("on_demand_assessment") == "included"
    client.login("boss@provider.example")
    url = f"/admin/organizations/{people['acme'].id}"
    client.post(f"/admin/contracts/{contract.id}/package", {
        "item-on_demand_assessment": "included", "item-proof_of_concept": "purchased",
        "item-not_a_real_item": "purchased"}, csrf_from=url)
    db.session.expire_all()
    assert db.session.get(Contract, contract.id).package_items == {
        "on_demand_assessment": "included", "proof_of_concept": "purchased"}
    trail = client.get(url).get_data(as_text=True).rsplit('<section class="card">', 1)[1]
    assert "契約のパッケージ項目を変更" in trail and "<dd>概念実証</dd>" in trail
