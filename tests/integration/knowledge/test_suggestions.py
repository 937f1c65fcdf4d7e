"""Suggestions while filing: matching articles with this month's cost of filing, "this answered
my question" ends the filing and counts a deflection, and staff see what was read before a
request was filed anyway."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.core import clock
from portal.db import db
from portal.knowledge.models import Deflection
from portal.tickets.models import Ticket
from tests import factories
from tests.helpers import file_request, jst
from tests.integration.knowledge.helpers import VPN_JA, article


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    return factories.two_organizations()


def _suggest(client, subject: str, body: str = "") -> str:
    page = client.get("/knowledge/suggestions", query_string={"subject": subject, "body": body})
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_the_published_article_of_their_organisation_is_suggested_with_the_fee(people, client):
    vpn = article(people["staff"], title_ja=VPN_JA[0], body_ja=VPN_JA[1])
    article(people["staff"], title_ja="VPN の下書き", body_ja="VPN 接続の下書き", published=False)
    article(people["staff"], title_ja="北狐の VPN 接続手順", body_ja="北狐の VPN に接続します。",
            organizations=[people["kitsune"]])
    for _ in range(5):
        file_request(people["acme_contact"])
    client.login(people["acme_contact"].email)
    html = _suggest(client, "VPN に接続できない")
    assert f"/knowledge/{vpn.id}?from=filing" in html and VPN_JA[0] in html
    assert "下書き" not in html and "北狐" not in html
    assert "今月 6 件目: 超過料金 ￥20,000（税抜）" in html


def test_within_the_allowance_the_fragment_says_which_request_it_would_be(people, client):
    article(people["staff"], title_ja=VPN_JA[0], body_ja=VPN_JA[1])
    client.login(people["acme_contact"].email)
    assert "今月 1 件目（受付件数 5 件の範囲内）" in _suggest(client, "VPN 接続")


def test_the_new_request_form_has_the_suggestion_box_beside_it(people, client):
    client.login(people["acme_contact"].email)
    html = client.get("/requests/new").get_data(as_text=True)
    assert 'id="article-suggestions"' in html and 'aria-live="polite"' in html
    assert "/knowledge/suggestions" in html


def test_this_answered_my_question_files_nothing_and_counts_one_deflection(people, client):
    vpn = article(people["staff"], title_ja=VPN_JA[0], body_ja=VPN_JA[1])
    client.login(people["acme_contact"].email)
    url = f"/knowledge/{vpn.id}?from=filing"
    page = client.get(url).get_data(as_text=True)
    assert "依頼は送りません" in page
    answer = client.post(f"/knowledge/{vpn.id}/feedback", {"helpful": "yes", "filing": "y"},
                         csrf_from="/knowledge")
    assert answer.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0
    rows = db.session.scalars(select(Deflection)).all()
    assert [(r.article_id, r.organization_id, r.month) for r in rows] == [
        (vpn.id, people["acme"].id, "2026-11")]
    client.logout()
    client.login(people["staff"].email)
    report = client.get("/backoffice/knowledge/report?month=2026-11").get_data(as_text=True)
    row = report.split(VPN_JA[0])[1].split("</tr>")[0]
    assert "<td>1</td><td>1</td><td>1</td><td>0</td>" in row.replace(" ", "").replace("\n", "")


def test_staff_see_the_articles_read_before_a_request_was_filed_anyway(people, client):
    vpn = article(people["staff"], title_ja=VPN_JA[0], body_ja=VPN_JA[1])
    client.login(people["acme_contact"].email)
    client.get(f"/knowledge/{vpn.id}?from=filing")
    clock.travel_to(jst(2026, 11, 24, 9, 50))
    ticket = file_request(people["acme_contact"], subject="VPN に接続できない")
    client.logout()
    client.login(people["staff"].email)
    report = client.get("/backoffice/knowledge/report?month=2026-11").get_data(as_text=True)
    listed = report.split('data-testid="filed-anyway"')[1].split("</ul>")[0]
    assert ticket.number in listed and VPN_JA[0] in listed


def test_staff_cannot_fetch_suggestions_and_anonymous_people_are_sent_to_sign_in(people, client):
    assert client.get("/knowledge/suggestions?subject=VPN").status_code in (302, 401)
    client.login(people["staff"].email)
    assert client.get("/knowledge/suggestions?subject=VPN").status_code == 403
