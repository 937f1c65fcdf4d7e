"""A file over the limit is refused in the browser before anything is uploaded, with the
limit the server set, and the typed form stays as it was (issue 18, defect 6)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.web.conftest import sign_in

JST = ZoneInfo("Asia/Tokyo")


def test_a_too_large_file_is_refused_before_uploading_and_the_form_kept(
        live_server, ja_page, at, _app):
    at(datetime(2026, 11, 24, 10, 0, tzinfo=JST))
    page = ja_page
    sign_in(page, live_server, "contact@kitsune.example")
    _app.config["MAX_UPLOAD_MB"] = 1  # the limit the page is rendered with
    try:
        page.goto(f"{live_server}/requests/new")
    finally:
        _app.config["MAX_UPLOAD_MB"] = 20
    posts = []
    page.on("request", lambda request: posts.append(request.url)
            if request.method == "POST" else None)
    page.get_by_label("件名").fill("ログを添付します")
    page.get_by_label("内容").fill("サーバーのログです。")
    page.locator("input[type=file]").set_input_files(
        {"name": "server.log", "mimeType": "text/plain", "buffer": b"x" * (1024 * 1024 + 1)})
    expect(page.get_by_role("alert").filter(has_text="server.log")).to_contain_text(
        "1 MB を超えています")
    page.get_by_role("button", name="依頼を送信").click()
    expect(page.get_by_label("件名")).to_have_value("ログを添付します")
    assert posts == [] and page.url.endswith("/requests/new")
    page.locator("input[type=file]").set_input_files(
        {"name": "small.log", "mimeType": "text/plain", "buffer": b"small"})
    expect(page.get_by_role("alert").filter(has_text="server.log")).to_have_count(0)
