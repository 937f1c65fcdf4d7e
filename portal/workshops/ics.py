"""An iCalendar (RFC 5545) file for a booked workshop: one all-day event over the session's days.

Pure, no I/O. Sessions are booked by calendar day (JST), so the event uses DATE values: a
two-day session on 12-10 and 12-11 is DTSTART 20261210, DTEND 20261212 (DTEND is exclusive).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

PRODID = "-//Madoguchi//Workshops//JA"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    description: str
    starts_on: date
    ends_on: date
    stamp: datetime
    cancelled: bool = False
    location: str = ""


def escape(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def calendar(event: CalendarEvent) -> bytes:
    """The .ics file for one event, CRLF line endings, UTF-8."""
    stamp = event.stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if event.cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{event.starts_on:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.ends_on + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape(event.summary)}",
        f"DESCRIPTION:{escape(event.description)}",
        *([f"LOCATION:{escape(event.location)}"] if event.location else []),
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
