"""Issue 18 on a phone: a long address in a message wraps instead of widening the page, and an
image sent with a message is previewed under it in a box that does not move the page."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.web.conftest import sign_in
from tests.web.pages import PHONE

# the smallest PNG there is (1 x 1)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
LONG = ("https://learn.microsoft.com/ja-jp/troubleshoot/azure/virtual-network/"
        "vpn-gateway/troubleshoot-site-to-site-cannot-connect-intermittent-disconnects"
        "?tabs=azure-portal&view=azure-cli-latest#step-by-step-troubleshooting")


def test_a_long_address_wraps_and_an_image_is_previewed_under_its_message(live_server, browser):
    """An internal note on the staff work view (it changes neither the request's status nor its
    first response, so the other journeys see the demo as they expect)."""
    context = browser.new_context(locale="ja-JP", viewport=PHONE)
    page = context.new_page()
    try:
        sign_in(page, live_server, "staff@madoguchi.example")
        page.goto(f"{live_server}/requests?status=open")
        page.locator("main table a[href^='/requests/']").first.click()
        reply = page.locator("form.reply")
        reply.locator("textarea[name=body]").fill(f"手順は {LONG} を参照。")
        reply.locator("input[type=file]").set_input_files(
            {"name": "エラー画面.png", "mimeType": "image/png", "buffer": PNG})
        reply.locator("input[name=internal]").check()
        reply.locator("button[type=submit]").click()
        note = page.locator("article.message.internal").last
        link = note.locator("a.url")
        expect(link).to_have_attribute("href", LONG)
        expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
        image = note.get_by_role("img", name="エラー画面.png のプレビュー")
        expect(image).to_be_visible()
        page.wait_for_function("img => img.complete && img.naturalWidth === 1",
                               arg=image.element_handle())
        box = image.bounding_box()
        assert (round(box["width"]), round(box["height"])) == (160, 120)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
