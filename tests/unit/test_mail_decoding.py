"""Japanese mail decoded as it was meant: every character right, whatever the mailer."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.mailin import decode, japanese
from tests import mailcorpus as corpus


def test_windows_iso_2022_jp_keeps_every_character_a_strict_decoder_refuses():
    raw = corpus.outlook_iso_2022_jp()
    with pytest.raises(UnicodeDecodeError):
        corpus.cp50220(corpus.BODY).decode("iso2022_jp")  # what Python alone would do
    mail = decode.read(raw)
    assert mail.subject == corpus.SUBJECT
    assert mail.text == corpus.BODY.replace("\r\n", "\n").strip()
    assert "ｴﾗｰ: 0x80070005" in mail.text  # half-width katakana kept as written
    assert (mail.sender, mail.sender_name) == ("contact@acme.example", "山田 太郎")
    assert mail.severity == "B" and mail.number is None
    assert mail.message_id == "20261127163000.1@acme.example"


def test_receipt_time_is_the_receiving_servers_not_the_senders_date():
    mail = decode.read(corpus.outlook_iso_2022_jp())
    assert mail.received_at == datetime(2026, 11, 27, 7, 30, 5, tzinfo=UTC)  # 16:30:05 JST


@pytest.mark.parametrize("raw, subject, words", [
    (corpus.shift_jis_8bit(), corpus.SUBJECT, ["①番サーバー", "ｴﾗｰ"]),
    (corpus.euc_jp_8bit(), "障害のご報告", ["ログを添付します。"]),
    (corpus.utf8_quoted_printable(), "CSV の出力が遅延しています", ["AADSTS50011"]),
], ids=["shift_jis-8bit-split-subject", "euc-jp-8bit", "utf-8-quoted-printable-4-words"])
def test_each_japanese_charset_and_transfer_encoding(raw, subject, words):
    mail = decode.read(raw)
    assert mail.subject == subject
    assert all(word in mail.text for word in words), mail.text


def test_html_only_mail_becomes_readable_text_without_scripts_or_styles():
    mail = decode.read(corpus.html_only())
    assert mail.html_only
    assert "ログインできません。" in mail.text and "手順1" in mail.text and "手順2" in mail.text
    assert "alert" not in mail.text and "color" not in mail.text


def test_attachments_inline_images_and_rfc_2231_japanese_file_names():
    mail = decode.read(corpus.with_attachments())
    assert mail.text == "ログを添付します。"
    names = {(f.filename, f.inline) for f in mail.files}
    assert names == {("障害ログ①.log", False), ("attachment-1.png", True)}
    log = next(f for f in mail.files if f.filename.endswith(".log"))
    assert b"0x80070005" in log.content


def test_automatic_mail_is_recognised():
    assert decode.read(corpus.out_of_office()).automatic == "Auto-Submitted: auto-replied"
    assert decode.read(corpus.outlook_iso_2022_jp()).automatic is None


@pytest.mark.parametrize("subject, severity, number", [
    ("[深刻度 1] 全停止", "1", None), ("[深刻度A] 停止", "A", None), ("［深刻度　Ｂ］遅延", "B", None),
    ("[Severity B] slow", "B", None), ("[sev c] question", "C", None),
    ("Re: [ACME-42] 障害", None, "ACME-42"), ("RE: [acme-42] [Sev A]", "A", "ACME-42"),
    ("深刻度 B の意味", None, None),
], ids=lambda value: str(value))
def test_subject_tags(subject, severity, number):
    raw = corpus.message({"From": "a@acme.example", "Subject": "=?UTF-8?B?" + __import__(
        "base64").b64encode(subject.encode()).decode() + "?="}, b"x")
    mail = decode.read(raw)
    assert (mail.severity, mail.number) == (severity, number)


def test_quoted_history_is_split_off_never_lost():
    text = "再起動しましたが直りません。\n\n-----Original Message-----\n差出人: サポート\n前回の回答"
    mine, history = decode.split_quoted(text)
    assert mine == "再起動しましたが直りません。"
    assert history.startswith("-----Original Message-----") and "前回の回答" in history
    assert decode.split_quoted("> only a quote") == ("> only a quote", "")


def test_a_broken_byte_is_a_replacement_character_never_an_exception():
    assert japanese.decode(b"\x1b$B>c\xff\x1b(B", "iso-2022-jp").startswith("障")
    assert "\ufffd" in japanese.decode(b"\x82", "shift_jis")
    assert japanese.decode(b"plain", "x-no-such-charset") == "plain"
