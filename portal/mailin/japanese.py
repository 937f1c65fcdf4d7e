"""Japanese text in mail, decoded as Japanese mailers meant it.

Mailers on Japanese Windows write "ISO-2022-JP" and "EUC-JP" with the characters of Windows'
code page 932 that the standards leave out — ① ㈱ Ⅲ № ～ and the IBM extensions — and
"Shift_JIS" that is really CP932. Python's strict codecs refuse or mangle those characters
(iso2022_jp fails on ①; shift_jis on ㈱). Here every JIS X 0208 pair is carried over to its
Shift_JIS form and read as CP932, which is what Windows' own CP50220 and CP51932 decoders do.
A byte that still cannot be read becomes U+FFFD, never an exception: a mail is never lost for
one bad character. Pure functions, no Flask.
"""
from __future__ import annotations

import codecs
import re

_ISO_2022_JP = {"iso-2022-jp", "iso2022jp", "iso-2022-jp-1", "iso-2022-jp-2", "iso-2022-jp-3",
                "iso-2022-jp-2004", "iso-2022-jp-ext", "csiso2022jp", "cp50220", "cp50221",
                "cp50222"}
_SHIFT_JIS = {"shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j",
              "cp932", "ms932", "x-ms-cp932"}
_EUC_JP = {"euc-jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese", "cp51932", "euc-jis-2004"}

_ESCAPE = re.compile(rb"\x1b(\$@|\$B|\$\(D|\$\(Q|\$\(O|\(B|\(J|\(I|&@\x1b\$B)")


def decode(data: bytes, charset: str | None) -> str:
    """`data` in `charset` as text; unknown or missing charsets are tried as UTF-8, then CP932."""
    name = (charset or "").strip().strip('"').lower()
    if name in _ISO_2022_JP or (not name and b"\x1b$" in data):
        return _iso_2022_jp(data)
    if name in _SHIFT_JIS:
        return data.decode("cp932", "replace")
    if name in _EUC_JP:
        return _euc_jp(data)
    if name in ("", "us-ascii", "ascii", "unknown-8bit", "x-unknown"):
        return _guess(data)
    try:
        codecs.lookup(name)
    except LookupError:
        return _guess(data)
    return data.decode(name, "replace")


def _guess(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x1b$" in data:
        return _iso_2022_jp(data)
    return data.decode("cp932", "replace")


def _jis_pair_to_sjis(first: int, second: int) -> bytes:
    """A JIS X 0208 row/cell pair (0x21–0x7E each) as its two Shift_JIS bytes."""
    lead = (first + 1) // 2 + (0x70 if first <= 0x5E else 0xB0)
    trail = second + (0x1F if first % 2 else 0x7E)
    if first % 2 and trail >= 0x7F:
        trail += 1
    return bytes((lead, trail))


def _double_bytes(segment: bytes) -> str:
    out = bytearray()
    for index in range(0, len(segment) - 1, 2):
        first, second = segment[index], segment[index + 1]
        if 0x21 <= first <= 0x7E and 0x21 <= second <= 0x7E:
            out += _jis_pair_to_sjis(first, second)
        else:
            out += b"?"
    text = out.decode("cp932", "replace")
    return text + ("\ufffd" if len(segment) % 2 else "")


def _iso_2022_jp(data: bytes) -> str:
    """ISO-2022-JP as CP50220 reads it: JIS X 0208 (with NEC and IBM rows) through CP932,
    JIS X 0201 katakana (ESC ( I) as half-width katakana, JIS X 0212 through the standard codec."""
    parts: list[str] = []
    mode = b"(B"
    position = 0
    for match in _ESCAPE.finditer(data):
        parts.append(_segment(data[position:match.start()], mode))
        mode = match.group(1)[-2:] if match.group(1).startswith(b"&@") else match.group(1)
        position = match.end()
    parts.append(_segment(data[position:], mode))
    return "".join(parts)


def _segment(segment: bytes, mode: bytes) -> str:
    if not segment:
        return ""
    if mode in (b"$@", b"$B", b"$(Q", b"$(O"):
        return "".join(_double_bytes(line) if line.strip() else line.decode("ascii", "replace")
                       for line in re.split(rb"(\r?\n)", segment))
    if mode == b"$(D":
        return (b"\x1b$(D" + segment + b"\x1b(B").decode("iso2022_jp_2", "replace")
    if mode == b"(I":
        return "".join(chr(0xFF61 + byte - 0x21) if 0x21 <= byte <= 0x5F else chr(byte)
                       for byte in segment)
    return segment.decode("ascii", "replace")  # ASCII and JIS X 0201 Roman alike


def _euc_jp(data: bytes) -> str:
    """EUC-JP as CP51932 reads it: two-byte codes through CP932, 0x8E half-width katakana,
    0x8F (JIS X 0212) through the standard codec."""
    out: list[str] = []
    index, length = 0, len(data)
    while index < length:
        byte = data[index]
        if byte < 0x80:
            out.append(chr(byte))
            index += 1
        elif byte == 0x8E and index + 1 < length:
            out.append(bytes((data[index + 1],)).decode("cp932", "replace"))
            index += 2
        elif byte == 0x8F and index + 2 < length:
            out.append(data[index:index + 3].decode("euc_jp", "replace"))
            index += 3
        elif 0xA1 <= byte <= 0xFE and index + 1 < length and 0xA1 <= data[index + 1] <= 0xFE:
            out.append(_jis_pair_to_sjis(byte - 0x80, data[index + 1] - 0x80).decode(
                "cp932", "replace"))
            index += 2
        else:
            out.append("\ufffd")
            index += 1
    return "".join(out)
