"""The event's date and start time as a viewer reads them: formatted by Babel in the page's
locale, always in the EVENT's time zone, and with that zone named ("08:15 New York (UTC-4)"), so
that nobody takes them for their own. The browser adds the viewer's own time beside them
(static/js/local-time.js), from the instant the page carries in ``data-epoch-ms``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_location
from flask_babel import get_locale


@dataclass(frozen=True)
class EventTime:
    """What a page shows of when the event is: every text already in the viewer's locale."""

    timezone: str  # the IANA name, for the browser
    zone: str  # the zone named: "New York (UTC-4)"
    date: str = ""  # "mercredi 28 mai 2025"; empty when the event file gives no date
    time: str = ""  # "08:15"; empty without a start time
    iso: str = ""  # for <time datetime>: "2025-05-28T08:15-04:00", or just the date
    epoch_ms: int | None = None  # the start as an instant, for the viewer's own time


def page_locale() -> Locale:
    """The locale the page is in (Flask-Babel's selection), English outside a request."""
    return get_locale() or Locale("en")


def offset_name(moment: datetime, locale: Locale) -> str:
    """The zone's offset from UTC at ``moment``, short and localized: "UTC-4", "UTC+5:30",
    "UTC" on the dot (CLDR's short localized format, with "UTC" rather than "GMT")."""
    offset = moment.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    hours, rest = divmod(abs(seconds), 3600)
    amount = "" if seconds == 0 else f"{'-' if seconds < 0 else '+'}{hours}"
    if rest:
        amount += f":{rest // 60:02d}"
    return str(locale.zone_formats["gmt_utc"] % amount).strip()


def zone_name(zone: ZoneInfo, moment: datetime, locale: Locale) -> str:
    """The zone as a person names it, with its offset at ``moment``: "New York (UTC-4)",
    "纽约（UTC-4）"; zones that are no place ("UTC", "Etc/GMT+5") by their offset alone."""
    offset = offset_name(moment.astimezone(zone), locale)
    if "/" not in zone.key or zone.key.startswith("Etc/"):
        return offset
    city = get_timezone_location(zone, locale=locale, return_city=True)
    # CLDR's "{1} ({0})": the locale's own way of adding a bracketed qualifier to a name.
    return str(locale.zone_formats["fallback"] % {"0": offset, "1": city})


def event_time(day: str, start: str, timezone: str, *, today: date | None = None) -> EventTime:
    """When an event is (its file's ``date``, ``start`` and ``timezone``), in the page's locale.
    Without a date the zone is still named, with its offset on ``today`` (or the current date)."""
    locale = page_locale()
    try:
        zone = ZoneInfo(timezone)
    except (ValueError, ZoneInfoNotFoundError):
        # The event file's reader refuses unknown zones; this is for a zone the system lost.
        return EventTime(timezone=timezone, zone=timezone)
    try:
        on = date.fromisoformat(day) if day else None
        at = time.fromisoformat(start) if start else None
    except ValueError:
        on = at = None
    if on is None:
        now = datetime.now(zone) if today is None else datetime.combine(today, time(12), zone)
        return EventTime(timezone=timezone, zone=zone_name(zone, now, locale))
    moment = datetime.combine(on, at or time(12), zone)
    when = EventTime(
        timezone=timezone,
        zone=zone_name(zone, moment, locale),
        date=format_date(on, format="full", locale=locale),
        iso=on.isoformat(),
    )
    if at is None:
        return when
    return replace(
        when,
        time=format_time(moment, format="short", tzinfo=zone, locale=locale),
        iso=moment.isoformat(timespec="minutes"),
        epoch_ms=int(moment.timestamp() * 1000),
    )
