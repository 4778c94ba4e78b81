"""iCalendar (RFC 5545) feed writer: entries in, bytes out, through the `icalendar` library
(line folding at 75 octets, TEXT escaping, UTC time stamps and DATE values are its job)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar

PRODID = "-//METI economic security//Strategic dialogue workspace//JA"


@dataclass(frozen=True)
class CalendarEntry:
    """One all-day event: `uid` is unique within the site ("session-12"), `path` the
    page it links to, `public` whether its summary may be shown (CLASS:PUBLIC)."""

    uid: str
    day: datetime.date
    summary: str
    path: str
    public: bool


def calendar_bytes(
    entries: Iterable[CalendarEntry], *, name: str, base_url: str, stamp: datetime.datetime
) -> bytes:
    host = base_url.split("://", 1)[-1].rstrip("/") or "dialogue"
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", stamp.astimezone(datetime.UTC))
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + datetime.timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("url", base_url + entry.path)
        event.add("class", "PUBLIC" if entry.public else "CONFIDENTIAL")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
