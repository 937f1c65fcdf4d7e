"""The audit trail in words, in the reader's language, a page at a time (issue 18: it showed
raw codes such as `ticket.severity_changed`, `\\u30bb` escapes, and every event at once)."""
from __future__ import annotations

import re

import pytest

from portal.accounts import audit
from portal.accounts.services import record
from portal.core import clock
from portal.db import db
from portal.tickets import services
from tests import factories
from tests.helpers import file_request, jst


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 10, 0))
    return factories.two_organizations()


@pytest.fixture()
def changed(people):
    """An incident whose severity staff lowered, with a Japanese reason."""
    ticket = file_request(people["acme_contact"], kind="incident", severity="A",
                          subject="セキュリティ警告", body="警告が出ています。")
    services.change_severity(ticket, people["staff"], "B", "セキュリティ製品の誤検知で影響は軽微です")
    db.session.commit()
    return ticket


def _rows(page: str) -> list[str]:
    rows = re.findall(r'<tr data-testid="audit-event">(.*?)</tr>', page, re.DOTALL)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def _audit(client, people, page: int | None = None) -> str:
    url = f"/backoffice/organizations/{people['acme'].id}/audit"
    return client.get(url + (f"?page={page}" if page else "")).get_data(as_text=True)


def test_events_read_in_japanese_words_with_their_details(client, people, changed):
    client.login("staff@provider.example")
    page = _audit(client, people)
    assert "ticket.severity_changed" not in page and "ticket.filed" not in page
    assert "\\u" not in page
    severity = next(row for row in _rows(page) if "深刻度を変更" in row)
    assert "理由 セキュリティ製品の誤検知で影響は軽微です" in severity
    assert "変更前 A" in severity and "変更後 B" in severity
    assert f'<a href="/requests/{changed.id}">{changed.number}</a>' in page
    filed = next(row for row in _rows(page) if "依頼を受付" in row)
    assert "種別 インシデント" in filed and "超過 いいえ" in filed


def test_events_read_in_english_for_an_english_reader(client, people, changed):
    people["staff"].locale = "en"
    db.session.commit()
    client.login("staff@provider.example")
    rows = _rows(_audit(client, people))
    severity = next(row for row in rows if "Severity changed" in row)
    assert "Reason セキュリティ製品の誤検知で影響は軽微です" in severity
    assert "Before A" in severity and "After B" in severity
    assert any(row.startswith("Nov") and "Request filed" in row for row in rows)


def test_the_request_work_view_trail_reads_in_words(client, people, changed):
    client.login("staff@provider.example")
    page = client.get(f"/requests/{changed.id}").get_data(as_text=True)
    trail = page.split('<ol class="trail">', 1)[1].split("</ol>", 1)[0]
    assert "ticket.severity_changed" not in trail and "深刻度を変更" in trail
    assert "セキュリティ製品の誤検知で影響は軽微です" in trail


def _many(people, count: int) -> None:
    for index in range(count):
        clock.travel_to(jst(2026, 11, 24, 11, 0) + index * (jst(2026, 1, 1, 0, 1) - jst(2026, 1, 1)))
        record(people["acme_admin"], "contact.role_changed", people["acme_contact"],
               people["acme"].id, before="contact", after="customer_admin")
    db.session.commit()


def test_the_trail_is_paged_fifty_at_a_time_newest_first(client, people):
    from sqlalchemy import func, select

    from portal.accounts.models import AuditEvent

    _many(people, 120)
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.organization_id == people["acme"].id))
    assert 120 < total <= 150  # and those of creating the organisation and its people
    client.login("staff@provider.example")
    base = f'/backoffice/organizations/{people["acme"].id}/audit'
    first = _audit(client, people)
    assert len(_rows(first)) == 50
    assert f"全 {total} 件" in first
    assert _rows(first)[0].startswith("2026年11月24日 12:59")  # the newest first
    assert f'href="{base}?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert "3 ページ中 1 ページ" in first
    last = _audit(client, people, 3)
    assert len(_rows(last)) == total - 100
    assert 'rel="next"' not in last and f'href="{base}?page=2" rel="prev"' in last
    assert _rows(_audit(client, people, 999)) == _rows(last)  # past the end: the last page
    role_change = next(row for row in _rows(last) if "連絡先担当者の役割を変更" in row)
    assert "変更前 指定連絡先担当者" in role_change and "変更後 サポート サービス管理者" in role_change


def test_a_page_costs_the_same_queries_for_few_or_many_events(client, people, count_queries):
    client.login("staff@provider.example")

    def measure(page=None):
        _audit(client, people, page)  # the sign-in session notes the time moved on, once
        with count_queries() as counter:
            _audit(client, people, page)
        return counter.count

    file_request(people["acme_contact"])
    small = measure()
    _many(people, 30)
    for index in range(30):
        file_request(people["acme_contact"], subject=f"件名 {index}", acknowledge_overage=True)
    assert measure() == small
    assert measure(2) == small


def test_the_organisation_page_shows_its_latest_events_in_words(client, people, changed):
    """The provider administrator's organisation page lists the latest events too."""
    client.login("boss@provider.example")
    page = client.get(f"/admin/organizations/{people['acme'].id}").get_data(as_text=True)
    assert "ticket.severity_changed" not in page and "\\u" not in page
    assert "深刻度を変更" in page and "セキュリティ製品の誤検知で影響は軽微です" in page


@pytest.mark.parametrize(("recorded", "expected"), [
    ({"reason": "重複のため", "before": "B", "after": "A"},
     [("Reason", "重複のため"), ("Before", "B"), ("After", "A")]),
    ({"before": "resolved", "after": "in_progress"},
     [("Before", "Resolved"), ("After", "In progress")]),
    ({"fee": 30000, "percent": 100}, [("Fee", "¥30,000"), ("Percent", "100")]),
    ({"overage": True, "contract_warning": None}, [("Overage", "Yes"), ("Contract warning", "—")]),
    ({"added": ["proof_of_concept", "unknown_item"]}, [("Added", "Proof of concept, unknown_item")]),
    ({"before": {"included_requests": "5", "always_open": "False"},
      "after": {"included_requests": "8", "always_open": "True"}},
     [("Before", "Requests included per month: 5, 24/365 option: No"),
      ("After", "Requests included per month: 8, 24/365 option: Yes")]),
    ({"name": "new", "role": "contact"}, [("Name", "new"), ("Role", "Designated support contact")]),
    ({"unheard_of": "x"}, [("unheard of", "x")]),
    (None, []),
], ids=["text as text", "statuses in words", "yen", "booleans and nothing", "lists", "dicts",
        "free text is never read as a code", "an unknown name", "no details"])
def test_details_read_in_words(app, recorded, expected):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert [(item.name, item.value) for item in audit.details(recorded)] == expected
