"""Search of past cases (rules.md "Search and past cases"), through the pages and the API, on
whichever database the suite runs on."""
from __future__ import annotations

import io
import re

import pytest

from portal.core import clock
from portal.db import db
from portal.tickets import ranking, services
from tests import factories
from tests.helpers import bearer, file_request, jst


@pytest.fixture()
def people(app):
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    return factories.two_organizations()


def _numbers(page) -> list[str]:
    html = page.get_data(as_text=True)
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return re.findall(r">([A-Z]+-\d+)</a>", body)


def _search(client, q: str, url: str = "/requests") -> list[str]:
    page = client.get(url, query_string={"q": q, "status": ""})
    assert page.status_code == 200
    return _numbers(page)


def test_staff_find_the_old_request_whose_reply_mentioned_it(people, client):
    clock.travel_to(jst(2026, 8, 20, 10, 0))  # three months ago
    old = file_request(people["acme_contact"], subject="メールが届かない",
                       body="外部宛てのメールが届きません。")
    services.add_message(old, people["staff"], "送信キューで配信の遅延が発生していました。")
    db.session.commit()
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    file_request(people["acme_contact"], subject="別件", body="ライセンスの質問です。")
    client.login(people["staff"].email)
    assert _search(client, "遅延") == [old.number]
    assert _search(client, "遅延", "/backoffice/queue") == [old.number]


def test_a_customer_never_finds_an_internal_note_nor_another_organisation(people, client):
    mine = file_request(people["acme_contact"], subject="VPN が切れる", body="毎時切断されます。")
    services.add_message(mine, people["staff"], "社内メモ: 原因はルーターのファームウェア", internal=True)
    db.session.commit()
    theirs = file_request(people["kitsune_contact"], subject="VPN drops", body="毎時切断されます。")
    client.login(people["acme_contact"].email)
    assert _search(client, "ファームウェア") == []
    assert _search(client, "毎時切断") == [mine.number]  # kitsune's identical text: never shown
    client.logout()
    client.login(people["staff"].email)
    assert _search(client, "ファームウェア") == [mine.number]
    assert set(_search(client, "毎時切断")) == {mine.number, theirs.number}


@pytest.mark.parametrize("typed", [
    "0x80070005", "AADSTS50011", "aadsts50011", "ＡＡＤＳＴＳ５００１１", "エクスチェンジ", "ｴｸｽﾁｪﾝｼﾞ",
    "障害", "障", "CSV 出力", "出力 csv", "ＣＳＶ", "バックアップ 0x80070005",
], ids=["hex-code", "aadsts", "lower-case", "full-width", "katakana", "half-width-kana",
        "two-chars", "one-char", "two-words", "two-words-swapped", "full-width-latin", "mixed"])
def test_codes_katakana_several_words_and_widths_are_found(people, client, typed):
    wanted = file_request(people["acme_contact"], subject="エクスチェンジ の障害",
                          body="CSV を出力するとバックアップが 0x80070005 で失敗し、"
                               "サインインは AADSTS50011 になります。")
    file_request(people["acme_contact"], subject="ライセンスについて", body="割り当て方法を教えてください。")
    client.login(people["acme_contact"].email)
    assert _search(client, typed) == [wanted.number]


def test_all_words_must_match_and_the_number_is_exact(people, client):
    both = file_request(people["acme_contact"], subject="Teams の録画", body="録画が保存されない")
    file_request(people["acme_contact"], subject="Teams の通知", body="通知が来ない")
    client.login(people["acme_contact"].email)
    assert _search(client, "teams 録画") == [both.number]
    assert _search(client, "teams 存在しない語") == []
    assert _search(client, both.number.lower()) == [both.number]


def test_attachments_edits_and_voids_are_searched_as_they_are_committed(people, client):
    ticket = file_request(people["acme_contact"], subject="ログを送ります", body="添付をご確認ください。")
    client.login(people["acme_contact"].email)
    page = f"/requests/{ticket.id}"
    log = "2026-11-24 09:00:01 ERROR StorageException: 接続がタイムアウトしました".encode()
    sent = client.post(f"{page}/messages", {"body": "ログです。", "attachments": (
        io.BytesIO(log), "app.log")}, csrf_from=page, content_type="multipart/form-data")
    assert sent.status_code == 302
    assert _search(client, "StorageException") == [ticket.number]
    assert _search(client, "app.log") == [ticket.number]
    assert _search(client, "タイムアウト") == [ticket.number]

    db.session.expire_all()
    ticket = db.session.get(type(ticket), ticket.id)
    ticket.subject = "差し替えた件名"  # an edit
    db.session.commit()
    assert _search(client, "差し替え") == [ticket.number]
    assert _search(client, "ログを送ります") == []

    ranking.void(ticket, people["staff"], "重複した依頼のため")
    db.session.commit()
    assert _search(client, "重複") == []  # the reason is staff-only text
    client.logout()
    client.login(people["staff"].email)
    assert _search(client, "重複") == [ticket.number]


def test_a_rolled_back_write_leaves_nothing_in_the_index(people, client):
    ticket = file_request(people["acme_contact"], subject="件名", body="本文")
    services.add_message(ticket, people["staff"], "取り消される返信")
    db.session.rollback()
    client.login(people["staff"].email)
    assert _search(client, "取り消される") == []


def test_results_by_relevance_then_newest(people, client):
    clock.travel_to(jst(2026, 11, 2, 10, 0))
    older = file_request(people["acme_contact"], subject="証明書の更新", body="証明書")
    clock.travel_to(jst(2026, 11, 10, 10, 0))
    newer = file_request(people["acme_contact"], subject="証明書の更新", body="証明書")
    clock.travel_to(jst(2026, 11, 20, 10, 0))
    passing = file_request(people["acme_contact"], subject="別件の相談",
                           body="ついでに伺います。" + "関係のない文章です。" * 30 + "証明書")
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    client.login(people["acme_contact"].email)
    assert _search(client, "証明書") == [newer.number, older.number, passing.number]


def test_the_passage_is_highlighted_and_escaped_on_the_page_and_in_the_api(people, client):
    ticket = file_request(people["acme_contact"], subject="表示が崩れる",
                          body="入力欄に <script>alert(1)</script> と入れると表示が崩れます。")
    client.login(people["acme_contact"].email)
    html = client.get("/requests", query_string={"q": "script"}).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;<mark>script</mark>&gt;alert(1)" in html
    answer = client.get("/api/v1/tickets", query_string={"q": "script"},
                        headers=bearer(people["acme_contact"])).get_json()
    assert [item["number"] for item in answer["items"]] == [ticket.number]
    assert answer["total"] == 1 and answer["total_capped"] is False
    assert "&lt;<mark>script</mark>&gt;" in answer["items"][0]["match"]["snippet"]


def test_the_api_never_matches_an_internal_note_for_a_customer(people, client):
    ticket = file_request(people["acme_contact"], subject="件名", body="本文")
    services.add_message(ticket, people["staff"], "内部だけの調査メモ", internal=True)
    db.session.commit()
    found = client.get("/api/v1/tickets", query_string={"q": "調査メモ"},
                       headers=bearer(people["acme_contact"])).get_json()
    assert found["items"] == [] and found["total"] == 0
    staff = client.get("/api/v1/tickets", query_string={"q": "調査メモ"},
                       headers=bearer(people["staff"])).get_json()
    assert [item["number"] for item in staff["items"]] == [ticket.number]
    assert "<mark>調査メモ</mark>" in staff["items"][0]["match"]["snippet"]


def test_staff_filter_a_search_by_organisation_status_kind_and_period(people, client):
    clock.travel_to(jst(2026, 9, 1, 10, 0))
    early = file_request(people["acme_contact"], subject="証明書の期限", body="期限切れ")
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    late = file_request(people["kitsune_contact"], subject="証明書の期限", body="期限切れ",
                        kind="incident", severity="B")
    client.login(people["staff"].email)
    queue = "/backoffice/queue"
    base = {"q": "証明書", "status": ""}
    assert set(_numbers(client.get(queue, query_string=base))) == {early.number, late.number}
    by_org = client.get(queue, query_string={**base, "organization": people["acme"].id})
    assert _numbers(by_org) == [early.number]
    assert _numbers(client.get(queue, query_string={**base, "kind": "incident"})) == [late.number]
    assert _numbers(client.get(queue, query_string={**base, "severity": "B"})) == [late.number]
    period = client.get(queue, query_string={**base, "from": "2026-08-01", "to": "2026-09-30"})
    assert _numbers(period) == [early.number]
    assert _numbers(client.get(queue, query_string={**base, "status": "resolved"})) == []


def test_a_search_page_costs_the_same_queries_for_one_or_many_results(people, client, count_queries):
    client.login(people["staff"].email)
    file_request(people["acme_contact"], subject="共通の語 1", body="本文")

    def cost() -> int:
        client.get("/requests", query_string={"q": "共通"})  # warm
        with count_queries() as counter:
            assert client.get("/requests", query_string={"q": "共通"}).status_code == 200
        return counter.count

    one = cost()
    for n in range(2, 8):
        ticket = file_request(people["kitsune_contact"], subject=f"共通の語 {n}", body="本文",
                              acknowledge_overage=True)
        services.add_message(ticket, people["staff"], "返信です。")
        db.session.commit()
    assert cost() == one


def test_reindex_rebuilds_every_document(people, app):
    from sqlalchemy import text

    ticket = file_request(people["acme_contact"], subject="再構築の確認", body="本文")
    db.session.execute(text("DELETE FROM search_index"))
    if db.engine.dialect.name == "postgresql":  # the requests' terms too (migration 0022)
        db.session.execute(text("DELETE FROM search_index_words"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output.splitlines()[-1]
    from portal.tickets.search import matches, newest
    found = db.session.execute(db.select(matches("再構築", internal=False).c.id)).scalars().all()
    assert found == [ticket.id]
    assert newest("再構築 本文", internal=True) == (1, [ticket.id])  # staff: several words


def test_the_migration_fills_the_requests_terms_from_existing_units(people, app):
    from sqlalchemy import text

    from portal.search import postgresql
    from portal.tickets.search import newest

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the requests' terms are PostgreSQL's (SQLite's FTS5 intersects by itself)")
    ticket = file_request(people["acme_contact"], subject="移行の確認", body="既存の依頼")
    services.add_message(ticket, people["staff"], "社内メモ: 担当者の引き継ぎ", internal=True)
    db.session.commit()
    db.session.execute(text("TRUNCATE search_index_words"))
    assert newest("移行 引き継ぎ", internal=True) == (0, [])
    postgresql.fill_words(db.session.connection())
    assert newest("移行 引き継ぎ", internal=True) == (1, [ticket.id])
    assert newest("移行 既存", internal=False) == (1, [ticket.id])


def test_the_work_view_lists_similar_resolved_requests_of_any_organisation(people, client):
    old = file_request(people["kitsune_contact"], subject="エクスチェンジ でメールが遅延する",
                       body="外部宛てのメール配信が遅延しています。")
    services.add_message(old, people["staff"], "送信コネクタの設定を修正して解消しました。")
    services.change_status(old, people["staff"], "resolved")
    db.session.commit()
    unrelated = file_request(people["kitsune_contact"], subject="請求書の宛名", body="宛名を変えたい")
    services.change_status(unrelated, people["staff"], "resolved")
    db.session.commit()
    still_open = file_request(people["kitsune_contact"], subject="エクスチェンジ のメール遅延",
                              body="配信の遅延")
    new = file_request(people["acme_contact"], subject="メール配信の遅延",
                       body="エクスチェンジ で外部へのメールが遅延します。")
    client.login(people["staff"].email)
    html = client.get(f"/requests/{new.id}").get_data(as_text=True)
    similar = re.search(r'id="similar">(.*?)</section>', html, re.S).group(1)
    assert old.number in similar and "送信コネクタの設定を修正して解消しました。" in similar
    assert unrelated.number not in similar and still_open.number not in similar
    client.logout()
    client.login(people["acme_contact"].email)  # customers never see other organisations' cases
    assert 'id="similar"' not in client.get(f"/requests/{new.id}").get_data(as_text=True)


def test_similar_requests_are_alike_by_what_they_say_not_by_how_long_their_thread_is(people, client):
    alike = file_request(people["kitsune_contact"], subject="Teams の会議録画が保存されない",
                         body="会議の録画を開始しても保存されません。")
    services.change_status(alike, people["staff"], "resolved")
    chatty = file_request(people["kitsune_contact"], subject="ライセンスの割り当て",
                          body="ライセンスを割り当てたい。")
    for _ in range(6):  # a long thread that mentions the words again and again
        services.add_message(chatty, people["staff"],
                             "Teams の会議録画と保存の件も確認しました。録画 保存 会議")
    services.change_status(chatty, people["staff"], "resolved")
    db.session.commit()
    new = file_request(people["acme_contact"], subject="会議録画が保存されない",
                       body="Teams で会議の録画が保存されません。")
    client.login(people["staff"].email)
    html = client.get(f"/requests/{new.id}").get_data(as_text=True)
    similar = re.search(r'id="similar">(.*?)</section>', html, re.S).group(1)
    assert alike.number in similar
    assert chatty.number not in similar or similar.index(alike.number) < similar.index(chatty.number)


def test_the_new_request_form_asks_already_asked(people, client):
    mine = file_request(people["acme_contact"], subject="VPN が毎時切断される", body="切断されます")
    theirs = file_request(people["kitsune_contact"], subject="VPN が毎時切断される", body="切断")
    client.login(people["acme_contact"].email)
    assert 'id="similar-open"' in client.get("/requests/new").get_data(as_text=True)
    fragment = client.get("/requests/similar", query_string={"subject": "VPN 切断"}).get_data(as_text=True)
    assert mine.number in fragment and theirs.number not in fragment
    assert "Already asked" in fragment or "同様の" in fragment
    services.change_status(mine, people["staff"], "resolved")
    db.session.commit()
    fragment = client.get("/requests/similar", query_string={"subject": "VPN 切断"}).get_data(as_text=True)
    assert mine.number not in fragment


def test_words_in_different_messages_match_once_per_request_with_the_matching_passage(people, client):
    ticket = file_request(people["acme_contact"], subject="証明書について", body="更新の相談です。")
    for n in range(3):
        services.add_message(ticket, people["staff"], f"{n + 1} 回目: 有効期限は来月末です。")
    services.add_message(ticket, people["staff"], "社内メモ: 期限の延長は不可", internal=True)
    db.session.commit()
    file_request(people["acme_contact"], subject="期限の確認", body="別の件です。")
    client.login(people["acme_contact"].email)
    assert _search(client, "証明書 有効期限") == [ticket.number]  # subject + a reply
    assert _search(client, "証明書 延長") == []  # the second word only in an internal note
    html = client.get("/requests", query_string={"q": "有効期限"}).get_data(as_text=True)
    assert _numbers(client.get("/requests", query_string={"q": "有効期限"})) == [ticket.number]
    assert "<mark>有効期限</mark>は来月末です。" in html  # the reply's passage, not the subject


def test_a_reply_writes_one_small_row_and_a_deleted_message_leaves_the_index(people, client):
    from sqlalchemy import text

    ticket = file_request(people["acme_contact"], subject="件名", body="本文")

    def rows() -> int:
        return db.session.execute(text("SELECT count(*) FROM search_index")).scalar()

    before = rows()
    message = services.add_message(ticket, people["staff"], "一時的な返信の文面")
    db.session.commit()
    assert rows() == before + 1
    client.login(people["staff"].email)
    assert _search(client, "一時的") == [ticket.number]
    db.session.delete(db.session.get(type(message), message.id))
    db.session.commit()
    assert rows() == before
    assert _search(client, "一時的") == []


@pytest.fixture()
def short_walks(monkeypatch):
    """The walks' sizes made small, so that a handful of requests takes every path a large index
    takes: PostgreSQL's first window of newest requests and its ranges of older ones, SQLite's
    seeks down a word's list."""
    from portal.search import postgresql, sqlite

    monkeypatch.setattr(postgresql, "WINDOW", 2)
    monkeypatch.setattr(postgresql, "BITMAP_RANGE", 1)
    # bands of two requests, a long range of bands asked by ids past four (the requests' terms)
    monkeypatch.setattr(postgresql, "BAND_SHIFT", 1)
    monkeypatch.setattr(postgresql, "WORDS_MAX_BANDS", 4)
    monkeypatch.setattr(postgresql, "WORDS_FIRST_BANDS", 1)
    monkeypatch.setattr(sqlite._Groups, "SKIP", 2)
    monkeypatch.setattr(sqlite, "SPREAD", 0)  # two words' relevance: each request's own units


def test_staff_find_old_and_new_matches_newest_first_past_many_that_match_one_word(
        people, client, short_walks):
    clock.travel_to(jst(2026, 8, 3, 10, 0))
    oldest = file_request(people["acme_contact"], subject="Teams の録画", body="録画が保存されない")
    clock.travel_to(jst(2026, 9, 3, 10, 0))
    old = file_request(people["kitsune_contact"], subject="録画の保存先", body="Teams の設定")
    clock.travel_to(jst(2026, 10, 1, 10, 0))
    for n in range(7):  # newer: only one of the two words, or neither
        file_request(people["acme_contact"], subject=f"Teams の通知 {n}", body="通知が来ない",
                     acknowledge_overage=True)
        file_request(people["kitsune_contact"], subject=f"請求書 {n}", body="宛名の変更",
                     acknowledge_overage=True)
    clock.travel_to(jst(2026, 11, 20, 10, 0))
    new = file_request(people["acme_contact"], subject="会議の録画", body="Teams で録画できない",
                       acknowledge_overage=True)
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    client.login(people["staff"].email)
    assert set(_search(client, "teams 録画", "/backoffice/queue")) == {new.number, old.number,
                                                                     oldest.number}
    assert set(_search(client, "録画", "/backoffice/queue")) == {new.number, old.number,
                                                               oldest.number}
    assert _search(client, "録画 請求書", "/backoffice/queue") == []
    client.logout()
    client.login(people["acme_contact"].email)
    assert set(_search(client, "teams 録画")) == {new.number, oldest.number}


def test_past_the_count_cap_the_page_says_more_than(people, client, monkeypatch, short_walks):
    from portal import search

    monkeypatch.setattr(search, "COUNT_CAP", 20)
    monkeypatch.setattr(search, "RANKED", 20)
    numbers = [file_request(people["acme_contact"], subject="証明書の期限", body="期限切れ",
                            acknowledge_overage=True).number for _ in range(22)]
    client.login(people["staff"].email)
    page = client.get("/backoffice/queue", query_string={"q": "証明書 期限", "status": ""})
    assert "20 件以上の依頼" in page.get_data(as_text=True)
    assert _numbers(page) == numbers[::-1][:20]  # equally relevant: newest first
    client.logout()
    client.login(people["acme_contact"].email)
    assert "20 件以上の依頼" in client.get("/requests", query_string={"q": "証明書"}).get_data(
        as_text=True)
    # the API says the same: 20 is a lower bound, not the number of matches
    answer = client.get("/api/v1/tickets", query_string={"q": "証明書", "per_page": 5},
                        headers=bearer(people["acme_contact"])).get_json()
    assert (answer["total"], answer["total_capped"]) == (20, True)
    assert len(answer["items"]) == 5
    answer = client.get("/api/v1/tickets", query_string={"q": "期限切れ 証明書"},
                        headers=bearer(people["staff"])).get_json()
    assert (answer["total"], answer["total_capped"]) == (20, True)


def test_two_words_rank_the_request_that_is_about_them_first(people, client, short_walks):
    clock.travel_to(jst(2026, 10, 1, 10, 0))
    about = file_request(people["acme_contact"], subject="証明書の期限切れ",
                         body="証明書の期限が切れました。証明書の期限を延ばしたい。")
    clock.travel_to(jst(2026, 11, 1, 10, 0))
    for n in range(3):
        file_request(people["acme_contact"], subject=f"請求書 {n}", body="宛名の変更",
                     acknowledge_overage=True)
    clock.travel_to(jst(2026, 11, 20, 10, 0))
    passing = file_request(people["acme_contact"], subject="別件の相談", acknowledge_overage=True,
                           body="証明書" + "関係のない文章です。" * 30 + "期限")
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    client.login(people["staff"].email)
    assert _search(client, "証明書 期限", "/backoffice/queue") == [about.number, passing.number]


def test_staff_find_two_words_in_different_messages_and_lose_them_when_one_is_deleted(
        people, client):
    ticket = file_request(people["acme_contact"], subject="会議の録画", body="保存先の相談です。")
    message = services.add_message(ticket, people["staff"], "チームズの設定を確認します。")
    services.add_message(ticket, people["staff"], "社内メモ: 録画ポリシーは管理者の設定", internal=True)
    db.session.commit()
    # one word's characters spread over two messages is not that word: チー… ムズ
    spread = file_request(people["kitsune_contact"], subject="チームの録画", body="相談です。")
    services.add_message(spread, people["staff"], "ムズムズする")
    db.session.commit()
    file_request(people["kitsune_contact"], subject="チームズの通知", body="通知が来ない")
    client.login(people["staff"].email)
    assert _search(client, "チームズ 録画", "/backoffice/queue") == [ticket.number]
    assert _search(client, "ポリシー チームズ", "/backoffice/queue") == [ticket.number]
    assert spread.number not in _search(client, "チームズ 録画", "/backoffice/queue")
    db.session.delete(db.session.get(type(message), message.id))
    db.session.commit()
    assert _search(client, "チームズ 録画", "/backoffice/queue") == []
    client.logout()
    client.login(people["acme_contact"].email)  # never by the words of an internal note
    assert _search(client, "ポリシー 録画") == []


def test_staff_find_a_long_word_past_the_newest_requests(people, client, short_walks):
    clock.travel_to(jst(2026, 9, 1, 10, 0))
    found = []
    for n in range(5):
        found.append(file_request(people["acme_contact"], subject=f"バックアップの失敗 {n}",
                                  body="ジョブが止まる", acknowledge_overage=True).number)
        for m in range(3):  # newer requests without it in between
            file_request(people["kitsune_contact"], subject=f"請求書 {n} {m}", body="宛名",
                         acknowledge_overage=True)
    # its characters in two messages of one request are not the word
    spread = file_request(people["kitsune_contact"], subject="バック", body="相談です。",
                          acknowledge_overage=True)
    services.add_message(spread, people["staff"], "アップデートの予定")
    db.session.commit()
    client.login(people["staff"].email)
    assert _search(client, "バックアップ", "/backoffice/queue") == found[::-1]
