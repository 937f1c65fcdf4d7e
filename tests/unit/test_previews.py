"""Which attachments get a preview: the name offers one, the first bytes decide."""
from __future__ import annotations

import pytest

from portal.tickets.attachments import image_type, looks_like_image


@pytest.mark.parametrize(("head", "expected"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\r", "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "image/jpeg"),
    (b"GIF89a\x01\x00\x01\x00\x80\x00", "image/gif"),
    (b"RIFF\x24\x00\x00\x00WEBP", "image/webp"),
    (b"<svg xmlns='h", None),
    (b"<html><script", None),
    (b"RIFF\x24\x00\x00\x00WAVE", None),
    (b"", None),
], ids=["png", "jpeg", "gif", "webp", "svg", "html", "wav", "empty"])
def test_only_raster_images_are_previews(head, expected):
    assert image_type(head) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("画面.PNG", True), ("photo.jpeg", True), ("a.webp", True), ("drawing.svg", False),
    ("log.txt", False), ("png", False),
], ids=["upper case", "jpeg", "webp", "svg", "text", "no suffix"])
def test_the_page_offers_a_preview_by_name(name, expected):
    assert looks_like_image(name) is expected
