"""The knowledge base through the pages: staff write, customers browse, search and read in
their language, drafts and other organisations' articles are 404, "did this help?"."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.core import clock
from portal.db import db
from portal.knowledge.models import Article, ArticleFeedback, ArticleRevision
from tests import factories
from tests.helpers import jst
from tests.integration.knowledge.helpers import VPN_JA, article


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    return factories.two_organizations()


def test_staff_write_an_article_and_its_revisions_keep_who_and_when(people, client):
    client.login(people["staff"].email)
    page = client.post("/backoffice/knowledge/new", {
        "title_ja": VPN_JA[0], "body_ja": VPN_JA[1], "category": "", "audience": "all",
        "published": "y"}, csrf_from="/backoffice/knowledge/new")
    assert page.status_code == 302
    saved = db.session.scalar(select(Article))
    clock.travel_to(jst(2026, 11, 24, 11, 45))
    client.post(f"/backoffice/knowledge/{saved.id}/edit", {
        "title_ja": VPN_JA[0], "body_ja": VPN_JA[1] + "\n\n3. 再起動します。", "title_en":
        "Cannot connect to the VPN", "body_en": "Check the certificate.", "category": "",
        "audience": "all", "published": "y"}, csrf_from=f"/backoffice/knowledge/{saved.id}/edit")
    revisions = db.session.scalars(select(ArticleRevision).order_by(ArticleRevision.number)).all()
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[1].body_en == "Check the certificate."
    assert all(r.editor_id == people["staff"].id for r in revisions)
    history = client.get(f"/backoffice/knowledge/{saved.id}/edit").get_data(as_text=True)
    assert "11:45" in history and "9:30" in history and people["staff"].name in history


def test_an_article_without_a_title_comes_back_filled_with_a_message(people, client):
    client.login(people["staff"].email)
    page = client.post("/backoffice/knowledge/new", {
        "title_ja": "", "body_ja": "本文だけ書きました", "audience": "all", "category": ""},
        csrf_from="/backoffice/knowledge/new")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "本文だけ書きました" in html and "タイトル" in html
    assert db.session.scalar(select(Article)) is None


def test_customers_read_their_language_and_are_told_when_only_the_other_exists(people, client):
    both = article(people["staff"], title_ja="パスワードの変更", body_ja="設定から変更します。",
                   title_en="Changing the password", body_en="Change it in the settings.")
    english = article(people["staff"], title_en="Webcast schedule", body_en="Every Tuesday.")
    client.login(people["acme_contact"].email)  # Japanese
    page = client.get(f"/knowledge/{both.id}").get_data(as_text=True)
    assert "設定から変更します。" in page and "Change it in the settings." not in page
    page = client.get(f"/knowledge/{english.id}").get_data(as_text=True)
    assert "Every Tuesday." in page and "この記事は英語のみです" in page
    client.logout()
    client.login(people["kitsune_contact"].email)  # English
    page = client.get(f"/knowledge/{both.id}").get_data(as_text=True)
    assert "Change it in the settings." in page and "only" not in page.split("article-body")[0][-300:]


def test_drafts_and_other_organisations_articles_are_404_and_never_listed(people, client):
    draft = article(people["staff"], title_ja="下書きの記事", body_ja="まだ公開しません。", published=False)
    theirs = article(people["staff"], title_ja="北狐専用の手順", body_ja="北狐だけの設定です。",
                     organizations=[people["kitsune"]])
    client.login(people["acme_contact"].email)
    missing = client.get("/knowledge/987654")
    for found in (draft, theirs):
        page = client.get(f"/knowledge/{found.id}")
        assert page.status_code == 404 == missing.status_code
    listing = client.get("/knowledge").get_data(as_text=True)
    searched = client.get("/knowledge", query_string={"q": "北狐"}).get_data(as_text=True)
    assert "下書きの記事" not in listing and "北狐専用の手順" not in listing
    assert "北狐専用の手順" not in searched
    client.logout()
    client.login(people["kitsune_contact"].email)
    assert client.get(f"/knowledge/{theirs.id}").status_code == 200
    assert client.get(f"/knowledge/{draft.id}").status_code == 404


def test_search_finds_japanese_words_and_error_codes_with_the_passage_marked(people, client):
    article(people["staff"], title_ja=VPN_JA[0], body_ja=VPN_JA[1])
    article(people["staff"], title_ja="プリンターの設定", body_ja="ドライバーを入れ直します。")
    client.login(people["acme_contact"].email)
    for q in ("証明書", "0x80070005", "ＶＰＮ 接続"):
        page = client.get("/knowledge", query_string={"q": q}).get_data(as_text=True)
        assert VPN_JA[0] in page and "プリンターの設定" not in page, q
    page = client.get("/knowledge", query_string={"q": "証明書"}).get_data(as_text=True)
    assert "<mark>証明書</mark>" in page


def test_a_script_in_an_article_is_text_and_a_javascript_link_is_no_link(people, client):
    bad = article(people["staff"], title_ja="危ない記事", body_ja=(
        "<script>alert(1)</script>\n\n[押して](javascript:alert(2))\n\n"
        "![外部](https://evil.example/x.png) ![内部](/static/favicon.svg)"))
    client.login(people["acme_contact"].email)
    html = client.get(f"/knowledge/{bad.id}").get_data(as_text=True)
    body = html.split('data-testid="article-body">')[1].split("</div>")[0]
    assert "<script" not in body and "&lt;script&gt;" in body
    assert "javascript:" not in body.replace("[押して](javascript:alert(2))", "")
    assert "evil.example" not in body and 'src="/static/favicon.svg"' in body


def test_did_this_help_is_kept_once_per_reader_and_can_change(people, client):
    found = article(people["staff"], title_ja=VPN_JA[0], body_ja=VPN_JA[1])
    client.login(people["acme_contact"].email)
    url = f"/knowledge/{found.id}"
    client.post(f"{url}/feedback", {"helpful": "no"}, csrf_from=url)
    client.post(f"{url}/feedback", {"helpful": "yes"}, csrf_from=url)
    rows = db.session.scalars(select(ArticleFeedback)).all()
    assert [(r.user_id, r.helpful) for r in rows] == [(people["acme_contact"].id, True)]


def test_staff_start_an_article_from_a_resolved_requests_answer(people, client):
    from portal.tickets import services as tickets
    from tests.helpers import file_request

    ticket = file_request(people["acme_contact"], subject="VPN に接続できない",
                          body="昨日から接続できません。")
    tickets.add_message(ticket, people["staff"], "証明書を更新すると接続できます。")
    tickets.change_status(ticket, people["staff"], "resolved")
    db.session.commit()
    client.login(people["staff"].email)
    work_view = client.get(f"/requests/{ticket.id}").get_data(as_text=True)
    assert f"/backoffice/knowledge/new?ticket={ticket.id}" in work_view
    form = client.get(f"/backoffice/knowledge/new?ticket={ticket.id}").get_data(as_text=True)
    assert "VPN に接続できない" in form and "証明書を更新すると接続できます。" in form
    assert "昨日から接続できません。" not in form
