"""The back office: the queue by deadline, the dashboard, notices, canned replies, audit."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from portal.core import clock
from portal.db import db
from portal.notifications.services import drain_outbox
from portal.tickets.models import Ticket
from tests import factories
from tests.helpers import file_request, jst


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 9, 0))
    return factories.two_organizations()


def _queue_numbers(page: str) -> list[str]:
    return re.findall(r'<a href="/requests/\d+">([A-Z]+-\d+)</a>', page)


def test_severity_1_tops_the_queue_with_its_minutes_left(client, people):
    file_request(people["acme_contact"], kind="question", subject="使い方")          # due +8 business h
    file_request(people["kitsune_contact"], kind="incident", severity="C", subject="軽微")  # +4 h
    clock.travel_to(jst(2026, 11, 24, 9, 20))
    file_request(people["acme_contact"], kind="incident", severity="1", subject="全面停止")  # 10:20
    clock.travel_to(jst(2026, 11, 24, 9, 35))
    client.login("staff@provider.example")
    page = client.get("/backoffice/queue").get_data(as_text=True)
    assert _queue_numbers(page) == ["ACME-2", "KITSUNE-1", "ACME-1"]
    assert "あと 45分" in page


def test_answering_from_the_work_view_records_the_first_response_as_met(client, people):
    ticket = file_request(people["acme_contact"], kind="incident", severity="1", subject="停止")
    clock.travel_to(jst(2026, 11, 24, 9, 40))
    client.login("staff@provider.example")
    url = f"/requests/{ticket.id}"
    client.post(f"{url}/messages", {"body": "調査を開始しました。"}, csrf_from=url)
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).response_met is True
    page = client.get(url).get_data(as_text=True)
    assert "対応開始時間の目標を達成しました" in page
    queue = client.get("/backoffice/queue?unanswered=1").get_data(as_text=True)
    assert "ACME-1" not in _queue_numbers(queue)


def test_missed_requests_are_marked(client, people):
    file_request(people["acme_contact"], kind="incident", severity="A", subject="遅延")
    clock.travel_to(jst(2026, 11, 24, 11, 0))
    client.login("staff@provider.example")
    page = client.get("/backoffice/queue").get_data(as_text=True)
    assert "超過" in page and "row-missed" in page


def test_queue_filters_survive_the_refresh_fragment(client, people):
    file_request(people["acme_contact"], subject="acme の質問")
    file_request(people["kitsune_contact"], subject="kitsune question")
    client.login("staff@provider.example")
    org_id = people["kitsune"].id
    page = client.get(f"/backoffice/queue?organization={org_id}").get_data(as_text=True)
    refresh = re.search(r'data-refresh-url="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert f"organization={org_id}" in refresh
    fragment = client.get(refresh).get_data(as_text=True)
    assert _queue_numbers(fragment) == ["KITSUNE-1"]
    assert "<html" not in fragment


def test_past_the_list_limit_staff_type_an_organisations_code(client, people, monkeypatch):
    """A provider with thousands of customers gets a code field instead of a list of every
    name: the code narrows the queue (full-width and capitals alike), a wrong one says so and
    shows nobody's requests, never everyone's."""
    from portal.backoffice import views

    file_request(people["acme_contact"], subject="acme の質問")
    file_request(people["kitsune_contact"], subject="kitsune question")
    client.login("staff@provider.example")
    listed = client.get("/backoffice/queue").get_data(as_text=True)
    assert '<select id="organization"' in listed and "北狐システムズ</option>" in listed
    monkeypatch.setattr(views, "ORGANIZATION_LIST_MAX", 1)  # two organisations: past the limit
    page = client.get("/backoffice/queue").get_data(as_text=True)
    assert '<input type="text" id="organization" name="organization"' in page
    assert "北狐システムズ</option>" not in page
    assert sorted(_queue_numbers(page)) == ["ACME-1", "KITSUNE-1"]
    for typed in ("kitsune", "ＫＩＴＳＵＮＥ"):
        page = client.get(f"/backoffice/queue?organization={typed}").get_data(as_text=True)
        assert _queue_numbers(page) == ["KITSUNE-1"]
        assert f'value="{typed}"' in page  # the field as it was filled
    page = client.get("/backoffice/queue?organization=kitsun").get_data(as_text=True)
    assert "コード「kitsun」の組織はありません。" in page and 'aria-invalid="true"' in page
    assert _queue_numbers(page) == [] and 'value="kitsun"' in page
    org_id = people["kitsune"].id  # a link with the organisation's id still narrows
    assert _queue_numbers(client.get(f"/backoffice/queue?organization={org_id}").get_data(
        as_text=True)) == ["KITSUNE-1"]


def test_customers_never_get_back_office_pages(client, people):
    client.login("admin@acme.example")
    for url in ("/backoffice", "/backoffice/queue", "/backoffice/maintenance",
                "/backoffice/canned-replies", f"/backoffice/organizations/{people['acme'].id}/audit",
                "/backoffice/billing", "/backoffice/billing.csv?month=2026-11"):
        assert client.get(url).status_code == 403, url


def test_maintenance_notice_banner_and_mail_in_both_languages(client, people, smtp_server):
    client.login("staff@provider.example")
    response = client.post("/backoffice/maintenance", {
        "title_ja": "基盤メンテナンス", "title_en": "Platform maintenance", "body_ja": "停止します",
        "body_en": "Service stops", "service": "Exchange Online",
        "starts_at": "2026-11-28T22:00", "ends_at": "2026-11-29T02:00"},
        csrf_from="/backoffice/maintenance")
    assert response.status_code == 302
    client.logout()
    client.login("contact@acme.example")
    ja = client.get("/dashboard").get_data(as_text=True)
    assert "基盤メンテナンス" in ja and "2026年11月28日 22:00 JST" in ja
    client.logout()
    client.login("contact@kitsune.example")
    en = client.get("/dashboard").get_data(as_text=True)
    assert "Platform maintenance" in en and "Nov 28, 2026, 10:00 PM JST" in en
    drain_outbox()
    subjects = {m["To"]: m["Subject"] for m in smtp_server.messages}
    assert "基盤メンテナンス" in subjects["contact@acme.example"]
    assert "Platform maintenance" in subjects["contact@kitsune.example"]
    assert "staff@provider.example" not in subjects


def test_a_new_notice_shows_at_once_although_the_banner_is_kept_for_a_minute(client, people):
    from portal.backoffice.maintenance import create_notice
    from portal.core import clock

    clock.travel_to(jst(2026, 11, 24, 10, 0))
    client.login("contact@acme.example")
    for page in ("/dashboard", "/requests"):  # the request list keeps its whole frame too
        assert 'data-testid="maintenance-banner"' not in client.get(page).get_data(as_text=True)
    create_notice(people["staff"], title_ja="DNS 切替", title_en="DNS switch", body_ja="", body_en="",
                  service="", starts_at=jst(2026, 11, 24, 22), ends_at=jst(2026, 11, 24, 23))
    db.session.commit()
    for page in ("/dashboard", "/requests"):
        assert "DNS 切替" in client.get(page).get_data(as_text=True)  # same minute
    clock.travel_to(jst(2026, 11, 24, 23, 0))  # the window is over: gone at the next minute
    for page in ("/dashboard", "/requests"):
        assert "DNS 切替" not in client.get(page).get_data(as_text=True)


def test_past_notices_stay_listed_without_a_banner(client, people):
    from portal.backoffice.maintenance import create_notice

    create_notice(people["staff"], title_ja="過去の作業", title_en="Past work", body_ja="", body_en="",
                  service="", starts_at=jst(2026, 11, 1, 22), ends_at=jst(2026, 11, 2, 2))
    db.session.commit()
    client.login("contact@acme.example")
    assert "過去の作業" not in client.get("/dashboard").get_data(as_text=True)
    assert "過去の作業" in client.get("/maintenance").get_data(as_text=True)


def test_window_ending_before_it_starts_is_refused_with_form_kept(client, people):
    client.login("staff@provider.example")
    response = client.post("/backoffice/maintenance", {
        "title_ja": "逆転", "title_en": "Backwards", "starts_at": "2026-11-28T22:00",
        "ends_at": "2026-11-28T21:00"}, csrf_from="/backoffice/maintenance")
    assert response.status_code == 422
    assert 'value="逆転"' in response.get_data(as_text=True)


def test_dashboard_shows_open_by_severity_and_on_time_share(client, people):
    first = file_request(people["acme_contact"], kind="incident", severity="B")
    file_request(people["acme_contact"], kind="incident", severity="B")
    from portal.tickets import services

    services.add_message(first, people["staff"], "回答")
    db.session.commit()
    client.login("staff@provider.example")
    page = client.get("/backoffice").get_data(as_text=True)
    assert 'data-testid="severity-chart"' in page and "B: 2" in page
    assert 'data-testid="met-percent">100%' in page


def test_on_time_share_is_not_green_while_a_severity_1_waits_past_its_deadline(client, people):
    """Issue 18: 100 % in green beside an overdue severity 1, and "0分 超過"."""
    from portal.tickets import services

    clock.travel_to(jst(2026, 11, 24, 10, 0))
    answered = file_request(people["acme_contact"], kind="incident", severity="B")
    services.add_message(answered, people["staff"], "回答")
    urgent = file_request(people["acme_contact"], kind="incident", severity="1")
    db.session.commit()
    clock.travel_to(urgent.response_due_at + timedelta(seconds=20))
    client.login("staff@provider.example")
    page = client.get("/backoffice").get_data(as_text=True)
    assert 'class="big missed" data-testid="met-percent">100%' in page
    assert 'class="fill missed"' in page
    queue = client.get("/backoffice/queue").get_data(as_text=True)
    assert "0分 超過" not in queue and "1分未満 超過" in queue


def test_canned_reply_offered_in_the_requesters_language(client, people):
    client.login("staff@provider.example")
    client.post("/backoffice/canned-replies", {"title": "ログ依頼", "body_ja": "ログをお送りください。",
                                               "body_en": "Please send the logs."},
                csrf_from="/backoffice/canned-replies")
    ticket = file_request(people["kitsune_contact"])
    page = client.get(f"/requests/{ticket.id}").get_data(as_text=True)
    assert 'value="Please send the logs."' in page


def test_organisation_audit_is_readable_by_staff(client, people):
    ticket = file_request(people["acme_contact"])
    client.login("staff@provider.example")
    page = client.get(f"/backoffice/organizations/{people['acme'].id}/audit").get_data(as_text=True)
    assert "依頼を受付" in page and f'href="/requests/{ticket.id}">{ticket.number}</a>' in page


def test_queue_keeps_a_constant_number_of_queries(client, people, count_queries):
    from portal.tickets import services

    client.login("staff@provider.example")
    file_request(people["acme_contact"])

    def measure():
        with count_queries() as counter:
            client.get("/backoffice/queue")
        return counter.count

    small = measure()
    for index in range(60):
        org_user = people["acme_contact"] if index % 2 else people["kitsune_contact"]
        services.file_ticket(org_user, kind="incident", severity="C", subject=f"s{index}", body="b",
                             acknowledge_overage=True)
    db.session.commit()
    assert measure() == small


def test_staff_assign_a_request_to_a_colleague_but_not_to_a_customer(client, people):
    ticket = file_request(people["acme_contact"])
    client.login("staff@provider.example")
    url = f"/requests/{ticket.id}"
    client.post(f"{url}/assign", {"assignee": str(people["staff_admin"].id)}, csrf_from=url)
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).assignee_id == people["staff_admin"].id
    refused = client.post(f"{url}/assign", {"assignee": str(people["acme_admin"].id)}, csrf_from=url)
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).assignee_id == people["staff_admin"].id


def test_dashboard_lists_this_weeks_workshops_and_outbriefs_due(client, people):
    from datetime import date

    from tests.integration.documents.helpers import make_outbrief
    from tests.integration.workshops import helpers as workshop_helpers

    workshop_helpers.session(workshop_helpers.workshop(), starts_on=date(2026, 11, 26))
    workshop_helpers.session(workshop_helpers.workshop(title_ja="来月の研修"), starts_on=date(2026, 12, 15))
    make_outbrief(people["acme"], people["staff"], deliver=False, title="期限切れの報告書",
                  engagement_start=date(2026, 11, 1), engagement_end=date(2026, 11, 10))
    db.session.commit()
    client.login("staff@provider.example")
    page = client.get("/backoffice").get_data(as_text=True)
    week = page.split('data-testid="sessions-this-week"')[1].split("</ul>")[0]
    assert "Azure 運用ワークショップ" in week and "来月の研修" not in week
    due = page.split('data-testid="outbriefs-due"')[1].split("</ul>")[0]
    assert "期限切れの報告書" in due and "期限超過" in due


def test_dashboard_names_organisations_over_their_allowance(client, people):
    for _ in range(6):
        file_request(people["acme_contact"], acknowledge_overage=True)
    file_request(people["kitsune_contact"])
    client.login("staff@provider.example")
    page = client.get("/backoffice").get_data(as_text=True)
    over = page.split("今月受付件数を超過した組織")[1].split("</section>")[0]
    assert "株式会社アクメ" in over and "6 / 5 件使用" in over
    assert "北狐システムズ" not in over


def test_queue_pages_keep_the_filters(client, people):
    from portal.tickets import services

    for index in range(22):
        services.file_ticket(people["acme_contact"], kind="incident", severity="C",
                             subject=f"障害 {index}", body="b", acknowledge_overage=True)
    db.session.commit()
    client.login("staff@provider.example")
    page = client.get("/backoffice/queue?severity=C").get_data(as_text=True)
    assert "2 ページ中 1 ページ" in page
    link = re.search(r'<a href="([^"]+)" rel="next">', page).group(1)
    assert link.startswith("/backoffice/queue?") and "severity=C" in link and "page=2" in link


def test_the_queue_over_every_status_puts_the_unanswered_first_and_counts_up_to_a_cap(
        client, people, monkeypatch):
    from portal.tickets import queries, services

    first = file_request(people["acme_contact"], kind="question", subject="使い方")  # due later
    urgent = file_request(people["kitsune_contact"], kind="incident", severity="A", subject="停止")
    answered = file_request(people["acme_contact"], kind="incident", severity="1", subject="全面停止")
    services.add_message(answered, people["staff"], "調査を開始しました。")
    services.change_status(answered, people["staff"], "resolved")
    db.session.commit()
    client.login("staff@provider.example")
    page = client.get("/backoffice/queue?status=").get_data(as_text=True)
    # still waiting for a first reply first, by deadline; then the answered one
    assert _queue_numbers(page) == [urgent.number, first.number, answered.number]
    assert "3 件の依頼" in page

    monkeypatch.setattr(queries, "LIST_COUNT_CAP", 2)
    page = client.get("/backoffice/queue?status=").get_data(as_text=True)
    assert _queue_numbers(page) == [urgent.number, first.number, answered.number]
    assert "2 件以上の依頼" in page
