"""How the thread reads (issue 18): addresses in messages are links, and each attachment is
shown under the message it came with, images with a preview."""
from __future__ import annotations

import io
import re

import pytest
from werkzeug.datastructures import FileStorage

from portal.core import clock
from portal.db import db
from portal.tickets import attachments
from tests import factories
from tests.helpers import file_request, jst

# the smallest PNG there is (1 x 1, transparent)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture()
def people(app):
    return factories.two_organizations()


@pytest.fixture()
def question(people):
    clock.travel_to(jst(2026, 11, 24, 9, 30))
    ticket = file_request(people["acme_contact"], subject="画面の表示について",
                          body="手順書は https://example.jp/manual?page=3&lang=ja を見ました。")
    attachments.save_all(ticket, [FileStorage(io.BytesIO(b"first log"), filename="filed.log")],
                         people["acme_contact"])
    db.session.commit()
    return ticket


def _reply(client, ticket, body, files=(), internal=False):
    data = {"body": body, "attachments": [(io.BytesIO(content), name) for name, content in files]}
    if internal:
        data["internal"] = "y"
    return client.post(f"/requests/{ticket.id}/messages", data, csrf_from=f"/requests/{ticket.id}",
                       content_type="multipart/form-data")


def _messages(page: str) -> list[str]:
    """Each entry of the thread (the request's text first), as HTML."""
    thread = page.split('id="thread"', 1)[1].split('class="reply"', 1)[0]
    return re.findall(r'<article class="message.*?</article>', thread, re.DOTALL)


def test_addresses_in_messages_are_links_that_open_safely(client, people, question):
    client.login("staff@provider.example")
    body = ("Please see https://learn.microsoft.com/ja-jp/azure/vpn-gateway/"
            "vpn-gateway-troubleshoot-site-to-site-disconnected-intermittent.\n"
            "<script>alert(1)</script> javascript:alert(2) "
            '<a href="javascript:alert(3)">here</a>')
    assert _reply(client, question, body).status_code == 302
    client.logout()
    client.login("contact@acme.example")
    page = client.get(f"/requests/{question.id}").get_data(as_text=True)
    first, reply = _messages(page)[0], _messages(page)[-1]
    assert ('<a href="https://example.jp/manual?page=3&amp;lang=ja" class="url" '
            'rel="noopener noreferrer nofollow" target="_blank">'
            "https://example.jp/manual?page=3&amp;lang=ja</a> を見ました") in first
    long = ("https://learn.microsoft.com/ja-jp/azure/vpn-gateway/"
            "vpn-gateway-troubleshoot-site-to-site-disconnected-intermittent")
    assert f'<a href="{long}" class="url"' in reply and f"{long}</a>." in reply  # the stop stays out
    assert "<script>" not in reply and "&lt;script&gt;alert(1)&lt;/script&gt;" in reply
    assert 'href="javascript' not in page and "javascript:alert(2)" in reply
    assert "&lt;a href=&#34;javascript:alert(3)&#34;&gt;here&lt;/a&gt;" in reply


def test_each_attachment_is_shown_under_its_own_message(client, people, question):
    client.login("staff@provider.example")
    _reply(client, question, "設定画面を添付します。", files=[("settings.txt", b"staff file")])
    _reply(client, question, "社内: 再現手順", files=[("internal.txt", b"staff only")], internal=True)
    client.logout()
    client.login("contact@acme.example")
    _reply(client, question, "追加のログです。", files=[("second.log", b"customer file")])
    page = client.get(f"/requests/{question.id}").get_data(as_text=True)
    entries = _messages(page)
    assert len(entries) == 3  # the request, the staff reply, the customer's reply
    where = {name: [i for i, entry in enumerate(entries) if f">{name}</a>" in entry]
             for name in ("filed.log", "settings.txt", "second.log")}
    assert where == {"filed.log": [0], "settings.txt": [1], "second.log": [2]}
    assert "internal.txt" not in page
    client.logout()
    client.login("staff@provider.example")
    staff_entries = _messages(client.get(f"/requests/{question.id}").get_data(as_text=True))
    note = next(entry for entry in staff_entries if "社内: 再現手順" in entry)
    assert ">internal.txt</a>" in note and 'class="message internal' in note
    assert sum(">internal.txt</a>" in entry for entry in staff_entries) == 1


def test_an_image_has_a_preview_through_the_checked_route(client, other_client, people, question):
    client.login("contact@acme.example")
    _reply(client, question, "エラー画面です。", files=[("エラー画面.png", PNG), ("fake.png", b"<html>")])
    page = client.get(f"/requests/{question.id}").get_data(as_text=True)
    reply = _messages(page)[-1]
    image = re.search(r'<img src="(/requests/\d+/attachments/(\d+)\?preview=1)" alt="([^"]+)" '
                      r'width="160" height="120" loading="lazy">', reply)
    assert image is not None, reply
    preview_url, attachment_id, alt = image.groups()
    assert alt == "エラー画面.png のプレビュー"
    shown = client.get(preview_url)
    assert shown.status_code == 200 and shown.data == PNG
    assert shown.headers["Content-Type"] == "image/png"
    assert shown.headers["Content-Disposition"].startswith("inline")
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in shown.headers["Content-Security-Policy"]
    download = client.get(f"/requests/{question.id}/attachments/{attachment_id}")
    assert download.headers["Content-Disposition"].startswith("attachment")
    # a file named .png that is no image is never drawn (nor rendered) as one
    fake = re.search(r'attachments/(\d+)\?preview=1" alt="fake.png', reply).group(1)
    assert client.get(f"/requests/{question.id}/attachments/{fake}?preview=1").status_code == 404
    assert "<img" not in _messages(page)[0]  # a log has no preview
    other_client.login("contact@kitsune.example")
    assert other_client.get(preview_url).status_code == 404  # never another organisation's


def test_the_staff_work_view_keeps_a_constant_number_of_queries(app, client, people, question,
                                                               count_queries):
    from portal.tickets import services

    client.login("staff@provider.example")

    def measure():
        with count_queries() as counter:
            page = client.get(f"/requests/{question.id}")
        assert page.status_code == 200
        return counter.count, page.get_data(as_text=True)

    small, _page = measure()
    for index in range(20):
        message = services.add_message(question, people["staff"], f"reply {index}",
                                       internal=index % 2 == 0)
        db.session.flush()
        attachments.save_all(question, [FileStorage(io.BytesIO(PNG), filename=f"s{index}.png")],
                             people["staff"], message.id, internal=index % 2 == 0)
    db.session.commit()
    large, page = measure()
    assert page.count("?preview=1") == 40  # each image: its link and its preview
    assert large == small
