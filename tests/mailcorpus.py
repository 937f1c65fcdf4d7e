"""Real-shaped Japanese mail, built byte by byte as the mailers that send them do.

`cp50220()` writes ISO-2022-JP the way Outlook and other Japanese Windows mailers do (CP932's
NEC and IBM rows inside ESC $ B, half-width katakana as ESC ( I): the bytes a strict ISO-2022-JP
decoder refuses. The messages below are what `mail receive` and `mail fetch` are tested with.
"""
from __future__ import annotations

import base64
import quopri


def _sjis_pair_to_jis(lead: int, trail: int) -> bytes:
    lead -= 0x70 if lead <= 0x9F else 0xB0
    lead *= 2
    if trail < 0x9F:
        lead -= 1
        trail -= 0x1F if trail < 0x7F else 0x20
    else:
        trail -= 0x7E
    return bytes((lead, trail))


def cp50220(text: str) -> bytes:
    out, mode = bytearray(), "ascii"
    for char in text:
        data = char.encode("cp932")
        if len(data) == 1 and data[0] < 0x80:
            wanted, chunk = "ascii", data
        elif len(data) == 1:
            wanted, chunk = "kana", bytes((data[0] - 0x80,))
        else:
            wanted, chunk = "jis", _sjis_pair_to_jis(data[0], data[1])
        if wanted != mode:
            out += {"ascii": b"\x1b(B", "kana": b"\x1b(I", "jis": b"\x1b$B"}[wanted]
            mode = wanted
        out += chunk
    if mode != "ascii":
        out += b"\x1b(B"
    return bytes(out)


def encoded_words(text: str, charset: str, encode, pieces: int = 3) -> str:
    """`text` as several RFC 2047 B-encoded words, cut through the middle of characters."""
    data = encode(text)
    step = max(1, len(data) // pieces)
    chunks = [data[i:i + step] for i in range(0, len(data), step)]
    return "\r\n ".join(f"=?{charset}?B?{base64.b64encode(c).decode()}?=" for c in chunks)


RECEIVED = ("Received: from mail.acme.example (mail.acme.example [192.0.2.10])\r\n"
            "\tby mx.provider.example (Postfix) with ESMTPS id 4A1B2C3D\r\n"
            "\tfor <support@provider.example>; Fri, 27 Nov 2026 16:30:05 +0900 (JST)\r\n")


def message(headers: dict[str, str], body: bytes, received: str = RECEIVED) -> bytes:
    head = received + "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return head.encode("ascii") + b"\r\n" + body


SUBJECT = "[深刻度 B] ①番サーバーが停止 ㈱アクメ Ⅲ系統～"
BODY = "お世話になっております。\r\n①番サーバーが１６時から応答しません。\r\nｴﾗｰ: 0x80070005\r\n"


def outlook_iso_2022_jp(message_id: str = "<20261127163000.1@acme.example>") -> bytes:
    """Outlook on Japanese Windows: ISO-2022-JP (really CP50220), 7bit, subject in one B word."""
    subject = f"=?ISO-2022-JP?B?{base64.b64encode(cp50220(SUBJECT)).decode()}?="
    return message({
        "From": f"=?ISO-2022-JP?B?{base64.b64encode(cp50220('山田 太郎')).decode()}?= "
                "<Contact@ACME.example>",
        "To": "support@provider.example", "Subject": subject,
        "Date": "Fri, 27 Nov 2026 07:00:00 +0000", "Message-ID": message_id,
        "MIME-Version": "1.0", "Content-Type": 'text/plain; charset="iso-2022-jp"',
        "Content-Transfer-Encoding": "7bit"}, cp50220(BODY))


def shift_jis_8bit() -> bytes:
    return message({
        "From": "contact@acme.example", "To": "support@provider.example",
        "Subject": encoded_words(SUBJECT, "Shift_JIS", lambda t: t.encode("cp932")),
        "Message-ID": "<sjis.1@acme.example>", "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=Shift_JIS", "Content-Transfer-Encoding": "8bit"},
        BODY.encode("cp932"))


def euc_jp_8bit() -> bytes:
    return message({
        "From": "contact@acme.example", "To": "support@provider.example",
        "Subject": encoded_words("障害のご報告", "EUC-JP", lambda t: t.encode("euc_jp")),
        "Message-ID": "<euc.1@acme.example>", "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=EUC-JP", "Content-Transfer-Encoding": "8bit"},
        "障害のご報告です。ログを添付します。\r\n".encode("euc_jp"))


def utf8_quoted_printable() -> bytes:
    return message({
        "From": "contact@acme.example", "To": "support@provider.example",
        "Subject": encoded_words("CSV の出力が遅延しています", "UTF-8", str.encode, pieces=4),
        "Message-ID": "<qp.1@acme.example>", "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "quoted-printable"},
        quopri.encodestring("CSV の出力が遅延しています。\r\nAADSTS50011 が出ます。\r\n".encode()))


def html_only() -> bytes:
    html = ("<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
            "<p>ログインできません。</p><ul><li>手順1</li><li>手順2</li></ul></body></html>")
    return message({
        "From": "contact@acme.example", "To": "support@provider.example",
        "Subject": "=?UTF-8?B?" + base64.b64encode("ログイン不可".encode()).decode() + "?=",
        "Message-ID": "<html.1@acme.example>", "MIME-Version": "1.0",
        "Content-Type": "text/html; charset=utf-8", "Content-Transfer-Encoding": "base64"},
        base64.encodebytes(html.encode()))


def with_attachments() -> bytes:
    """multipart/mixed: alternative text+HTML, an inline image, and an RFC 2231 Japanese name."""
    name = "障害ログ①.log".encode()
    rfc2231 = "".join(f"%{byte:02X}" for byte in name)
    log = base64.encodebytes(b"2026-11-27 16:29:59 ERROR 0x80070005 access denied\n").decode()
    png = base64.encodebytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16).decode()
    body = (
        "--outer\r\nContent-Type: multipart/alternative; boundary=alt\r\n\r\n"
        "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nログを添付します。\r\n"
        "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>ログを添付します。</p>\r\n"
        "--alt--\r\n"
        "--outer\r\nContent-Type: image/png\r\nContent-ID: <screen@acme>\r\n"
        "Content-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\n" + png +
        "--outer\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Disposition: attachment; filename*=UTF-8''{rfc2231}\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" + log + "--outer--\r\n")
    return message({
        "From": "contact@acme.example", "To": "support@provider.example",
        "Subject": "Log attached", "Message-ID": "<multi.1@acme.example>", "MIME-Version": "1.0",
        "Content-Type": "multipart/mixed; boundary=outer"}, body.encode())


def out_of_office() -> bytes:
    return message({
        "From": "contact@acme.example", "To": "support@provider.example",
        "Subject": "=?UTF-8?B?" + base64.b64encode("不在通知".encode()).decode() + "?=",
        "Auto-Submitted": "auto-replied", "Message-ID": "<ooo.1@acme.example>",
        "Content-Type": "text/plain; charset=utf-8"}, "12月1日まで不在です。".encode())
