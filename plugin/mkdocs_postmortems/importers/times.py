"""The importer's view of :mod:`mkdocs_postmortems.core.times`: a clock read at the start of
a row, a day named in a heading or a title, the zone a line declares.

The reading itself is the core's (zones with daylight saving, 12-hour clocks, dates in words
and numbers, ranges); this module keeps the small stateless shapes the conversion works with.
A time the core cannot decide (``10:00 IST``, ``10/11/2023 14:05``) is no clock here: the
conversion keeps the row's wording and reports it for a person to complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from mkdocs_postmortems.core.times import (
    MONTHS,
    PLAUSIBLE_YEARS,
    numeric_order,
    parse,
    read_date,
    undecided_date,
    written_days,
)
from mkdocs_postmortems.core.zones import Zone, declared_zone, zone_named

__all__ = [
    "ISO_DAY",
    "LEAD_DATE",
    "MONTHS",
    "MONTH_DAY",
    "PLAUSIBLE_YEARS",
    "ZONES",
    "Clock",
    "declared_tz",
    "lead_day",
    "lead_month_day",
    "nearest_day",
    "numeric_order",
    "read_clock",
    "read_day",
    "relative_offset",
    "undecided_clock",
    "undecided_date",
    "zone_hint",
]

# The abbreviations with the offset each states, for code that wants a fixed offset.
_NAMES = (
    "UTC GMT Z PST PDT MST MDT CST CDT EST EDT BST WET WEST CET CEST EET EEST JST SAST AEST AEDT"
)
ZONES: dict[str, timedelta] = {
    name: zone.offset
    for name in _NAMES.split()
    if (zone := zone_named(name)) is not None and zone.offset is not None
}
ZONES["PT"] = timedelta(hours=-8)


_SENTENCE_START = re.compile(r"at\s", re.IGNORECASE)
_UNKNOWN_END = re.compile(r"\s*(?:-|–|—|to)\s*[0-9?]{1,2}:[0-9?]*\?[0-9?]*")


@dataclass(frozen=True)
class Clock:
    """A time read from a timeline: what it says, and how much of it was said."""

    at: time
    day: date | None
    month_day: tuple[int, int] | None
    offset: timedelta | None
    seconds: bool
    end: int
    plain: bool
    #: The zone with its daylight saving rules, when the wording names one ("Pacific Time").
    zone: tzinfo | None = None
    #: Whether the wording says the half of the day ("1:00 PM"): a time without it on a
    #: timeline that writes a 12-hour clock is the half the order gives.
    meridiem: bool = False

    @property
    def tz(self) -> tzinfo | None:
        if self.zone is not None:
            return self.zone
        return timezone(self.offset) if self.offset is not None else None


def read_clock(text: str) -> Clock | None:
    """The time at the very start of ``text``, or None when it does not start with one (or
    starts with one that cannot be decided without asking).

    ``end`` is where the time's wording ends in ``text``; ``plain`` says the wording was a
    plain ``HH:MM`` or ``YYYY-MM-DD HH:MM`` the checker reads as it is.
    """
    expression = parse(text)
    if expression is None or expression.start != 0 or expression.invalid:
        return None
    # "At 10:47 PST the team ..." starts a sentence of a timeline told as prose, not a row.
    if _SENTENCE_START.match(text):
        return None
    day: date | None = None
    month_day: tuple[int, int] | None = None
    written = expression.day
    if written is not None:
        if len(written.options) != 1:
            return None
        if written.year is not None:
            day = date(written.year, *written.options[0])
        else:
            month_day = written.options[0]
    zone = expression.zone
    if zone is not None and zone.ambiguous:
        return None
    offset, rules = _offset(zone, day)
    clock = expression.clock
    end, plain = expression.end, expression.plain
    # "12:26-12:??": the unknown end belongs to the time's wording, which the row keeps.
    unknown_end = None if expression.until else _UNKNOWN_END.match(text, end)
    if unknown_end is not None:
        end, plain = unknown_end.end(), False
    return Clock(
        clock.at, day, month_day, offset, clock.seconds, end, plain, rules, bool(clock.meridiem)
    )


def undecided_clock(text: str) -> tuple[int, str] | None:
    """A time at the very start of ``text`` that reads more than one way ("16:42 GST": the
    Gulf's or South Georgia's), with where its wording ends and the question it leaves;
    None for text that starts with no time, or with one :func:`read_clock` reads."""
    expression = parse(text)
    if expression is None or expression.start != 0 or expression.invalid:
        return None
    if _SENTENCE_START.match(text):
        return None
    zone = expression.zone
    if zone is not None and zone.ambiguous:
        return expression.end, f"'{zone.written}' may mean {', '.join(zone.meanings)}"
    written = expression.day
    if written is not None and len(written.options) != 1:
        return expression.end, f"no day the text settles ('{written.text}' reads two ways)"
    return None


def _offset(zone: Zone | None, day: date | None) -> tuple[timedelta | None, tzinfo | None]:
    """The fixed offset a zone's name states, or the zone itself when it follows daylight
    saving (its offset that day, when the day is known)."""
    if zone is None or zone.tz is None:
        return None, None
    if zone.offset is not None:
        return zone.offset, None
    when = datetime.combine(day or date(2000, 1, 1), time(12), zone.tz)
    return when.utcoffset(), zone.tz


def read_day(text: str, order: str | None = None) -> date | None:
    """The first full date in ``text`` (``2025-10-21``, ``October 21, 2025``, ``21 Oct 2025``;
    ``01-10-2024`` in the document's ``order`` of numeric dates)."""
    return read_date(text, order)


def declared_tz(text: str) -> tzinfo | None:
    """The zone a line declares ("All times in UTC", "Time (PST)", "Times are Pacific
    Time"): the offset its name states, or the zone with its daylight saving rules."""
    zone = declared_zone(text)
    if zone is None or zone.tz is None:
        return None
    return timezone(zone.offset, zone.written) if zone.offset is not None else zone.tz


def zone_hint(text: str) -> timedelta | None:
    """The offset of the zone a line declares ("All times in UTC", "Time (CET)"); for a zone
    that follows daylight saving ("Pacific Time"), its standard offset."""
    zone = declared_zone(text)
    if zone is None or zone.tz is None:
        return None
    if zone.offset is not None:
        return zone.offset
    return datetime(2000, 1, 1, 12, tzinfo=zone.tz).utcoffset()


# A word where a month's name goes; read_day decides whether it is one.
_MONTH = r"[A-Za-z]{3,9}"
# A day written without its year ("May 12", "15 May").
MONTH_DAY = re.compile(
    rf"(?P<mon>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>{_MONTH})\.?",
    re.IGNORECASE,
)
# A day at the start of a line, in any of the ways a timeline writes one.
LEAD_DATE = re.compile(
    rf"(?P<date>\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}"
    rf"|(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})\.?,?\s+\d{{4}})"
    # What may follow the day: a separator, a space, the end, a footnote mark ("[^3]:").
    r"(?=\s*(?:\*\*|__|\*|_)?\s*(?:[:–—|,-]|\s|$|\[\^))",
    re.IGNORECASE,
)
ISO_DAY = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")


def lead_day(text: str) -> tuple[date, int] | None:
    """A day at the very start of ``text`` with no time of day (``2021-08-17: ...``,
    ``**April 5th, 2023** ...``), and where its wording ends."""
    match = LEAD_DATE.match(text)
    if match is None:
        return None
    found = read_day(match["date"])
    return (found, match.end("date")) if found is not None else None


# A day without its year at the start of an entry ("Jan 5: reported", "Thu, 5 January -").
_LEAD_MONTH_DAY = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?,?\s+)?"
    rf"(?:{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?)"
    # Spaces, emphasis and spaces as "\s*(?:X\s*)?": "\s*X?\s*" read a long run of spaces
    # once for each of its spaces.
    r"(?=\s*(?:(?:\*\*|__|\*|_)\s*)?[:–—|-])",
    re.IGNORECASE,
)
# A leap year, so that "Feb 29" reads as a day.
_ANY_YEAR = 2000


def lead_month_day(text: str) -> tuple[tuple[int, int], int] | None:
    """A day without its year at the very start of ``text``, before a separator ("Jan 5:
    bug reported"), as (month, day), and where its wording ends."""
    match = _LEAD_MONTH_DAY.match(text)
    if match is None:
        return None
    days = written_days(match.group(0), _ANY_YEAR)
    if len(days) != 1:
        return None
    return (days[0].month, days[0].day), match.end()


# A stamp that counts from the incident's first time ("[+1 hrs]", "T+30m", "+170 minutes").
_RELATIVE = re.compile(
    r"\\?\[?\s*(?:T\s*)?\+\s*(?P<n>\d{1,4}(?:\.\d{1,2})?)\s*"
    r"(?P<unit>min(?:ute)?s?|m|h(?:ou)?rs?|h|d(?:ays?)?)\.?\s*\]?(?![\w.])",
    re.IGNORECASE,
)
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}


def relative_offset(text: str) -> tuple[timedelta, int] | None:
    """A stamp at the very start of ``text`` that counts from the incident's first time
    ("[+1 hrs]", "T+30m", "+6.5 hours"), as the time after it, and where its wording ends."""
    match = _RELATIVE.match(text)
    if match is None:
        return None
    unit = _UNITS[match["unit"][0].lower()]
    return unit * float(match["n"]), match.end()


def nearest_day(month_day: tuple[int, int], known: date) -> date | None:
    """A day written without its year, in the year that puts it nearest ``known`` (the
    incident's day, the row above's): "Jan 1" after "Dec 31, 2023" is in 2024. None when no
    year near ``known`` has that day ("Feb 29" around a year that is not a leap year)."""
    days = []
    for year in (known.year - 1, known.year, known.year + 1):
        try:
            days.append(date(year, *month_day))
        except ValueError:
            continue
    near = [d for d in days if abs(d - known) <= timedelta(days=183)]
    return min(near, key=lambda d: abs(d - known)) if near else None
