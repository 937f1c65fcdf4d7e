"""The service plan PDF: built live from the current contract, in Japanese and English."""
from __future__ import annotations

from datetime import date, time

import pytest

from portal.accounts import services as accounts
from portal.accounts.models import ClosureDay
from portal.db import db
from portal.seed_texts import CONFIDENTIALITY_NOTICE
from tests import factories
from tests.integration.documents.helpers import flat, make_outbrief, pdf_text, unembedded_fonts


@pytest.fixture()
def people(app):
    people = factories.two_organizations()
    contract = accounts.current_contract(people["acme"])
    contract.package_items = {"workshops": "purchased", "proactive_monitoring": "purchased"}
    contract.included_requests = 7
    contract.overage_unit_price = 25000
    contract.closes = time(17, 30)
    db.session.add(ClosureDay(day=date(2026, 8, 14), note="夏季休業"))
    db.session.add(ClosureDay(day=date(2025, 8, 14), note="昨年の休業"))  # before the term
    db.session.commit()
    make_outbrief(people["acme"], people["staff"], title="納入済みの調査")
    make_outbrief(people["acme"], people["staff"], deliver=False, title="下書きの調査")
    make_outbrief(people["kitsune"], people["staff"], title="北狐の調査")
    return people


def _plan(client, lang):
    client.login("admin@acme.example")
    response = client.get(f"/documents/service-plan.pdf?lang={lang}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="acme-service-plan-{lang}.pdf"'
    return response.data


def test_japanese_service_plan_sums_up_the_contract(client, people):
    content = _plan(client, "ja")
    text = flat(pdf_text(content))
    for expected in ("サービス実施計画", "株式会社アクメ", "機密", "2026年1月1日–2027年3月31日",
                     "✓アドバイザリーサポート", "+ワークショップ", "+プロアクティブ監視",
                     "サポートサービス管理者", "admin@acme.example", "contact@acme.example",
                     "09:00-17:30", "12/30-1/4", "2026年8月14日夏季休業",
                     "深刻度1", "深刻度C", "4営業時間", "対応開始時間",
                     "月間の受付件数", "7", "25,000", "納入済みの調査", "作成日時",
                     "予約済みのワークショップはありません", "予定されているメンテナンスはありません"):
        assert flat(expected) in text, expected
    assert "下書きの調査" not in text and "北狐" not in text and "昨年の休業" not in text
    assert "kitsune" not in text
    assert flat(CONFIDENTIALITY_NOTICE["ja"]) in text and flat(CONFIDENTIALITY_NOTICE["en"]) in text
    assert "adminがダウンロード" in text
    assert unembedded_fonts(content) == []


def test_english_service_plan(client, people):
    text = flat(pdf_text(_plan(client, "en")))
    for expected in ("Service plan", "株式会社アクメ", "✓Advisory support", "+Workshops",
                     "Support service administrator", "Severity 1",
                     "1 hour; 15 minutes for Azure components", "Requests included per month",
                     "¥25,000", "Downloaded by admin at", "Page 1 /"):
        assert flat(expected) in text, expected


def test_the_24_365_option_shows_in_the_plan(client, people):
    contract = accounts.current_contract(people["acme"])
    contract.always_open = True
    db.session.commit()
    text = flat(pdf_text(_plan(client, "en")))
    assert flat("24/365 option: requests are handled around the clock") in text


def test_staff_download_a_plan_by_naming_the_organisation(client, people):
    client.login("staff@provider.example")
    response = client.get("/documents/service-plan.pdf?lang=ja&organization=kitsune")
    assert response.status_code == 200
    assert "北狐システムズ" in pdf_text(response.data)
    assert client.get("/documents/service-plan.pdf?lang=ja").status_code == 404
    assert client.get("/documents/service-plan.pdf?organization=nobody").status_code == 404


def test_a_customer_cannot_reach_another_organisations_plan(client, people):
    client.login("admin@kitsune.example")
    response = client.get("/documents/service-plan.pdf?lang=ja&organization=acme")
    assert "株式会社アクメ" not in pdf_text(response.data)
    assert "北狐システムズ" in pdf_text(response.data)


def test_service_plan_lists_booked_workshops_and_maintenance_windows(client, people):
    from datetime import date

    from portal.backoffice.maintenance import create_notice
    from portal.core import clock
    from tests.helpers import jst
    from tests.integration.workshops import helpers as workshop_helpers

    clock.travel_to(workshop_helpers.NOW)
    session = workshop_helpers.session(workshop_helpers.workshop(), starts_on=date(2026, 12, 10))
    workshop_helpers.book(people["acme_admin"], session)
    create_notice(people["staff"], title_ja="基盤の定期メンテナンス", title_en="Platform maintenance",
                  body_ja="", body_en="", service="Madoguchi Cloud",
                  starts_at=jst(2026, 11, 28, 22), ends_at=jst(2026, 11, 29, 2))
    db.session.commit()
    client.login("admin@acme.example")
    text = flat(pdf_text(client.get("/documents/service-plan.pdf?lang=ja").data))
    assert "Azure運用ワークショップ" in text
    assert "基盤の定期メンテナンス" in text


def test_service_plan_lists_knowledge_categories_and_on_demand_education(client, people):
    from portal.knowledge import services as knowledge
    from tests.integration.knowledge.helpers import article

    network = knowledge.add_category("接続とネットワーク", "Connectivity")
    knowledge.add_category("教育サービス", "Education")
    db.session.commit()
    article(people["staff"], title_ja="VPN に接続できない場合", body_ja="証明書を確認します。",
            category=network)
    article(people["staff"], title_ja="北狐の専用線", body_ja="北狐のみ。", category=network,
            organizations=[people["kitsune"]])
    text = flat(pdf_text(_plan(client, "ja")))
    for expected in ("ナレッジのカテゴリー", "接続とネットワーク1", "教育サービス0",
                     "✓オンデマンドエデュケーション", "オンライントレーニング資料", "✓Webキャスト",
                     "マイクロソフトがホストする教育セッション"):
        assert flat(expected) in text, expected
    assert "北狐" not in text
