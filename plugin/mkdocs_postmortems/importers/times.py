"""Times as people write them in timelines: ``6:45am PST``, ``~18:00``, ``18:00-18:10 CET``,
``2019-12-04 00:30``, ``Jan 14, 10:18 AM``, ``17:02 UTC``.

A clock is read into a time of day, an optional date and an optional fixed offset; the
importer places it on a day and writes it in the configured timezone. Zone abbreviations
are fixed offsets: an author who wrote ``PST`` meant that offset, and the original wording
stays in the event text for a reader to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta, timezone

# Abbreviations seen in incident write-ups, as the fixed offsets they name. Ambiguous ones
# (IST, CST in China) are left out: a time with an unknown zone reads in the file's zone.
ZONES: dict[str, timedelta] = {
    "UTC": timedelta(0),
    "GMT": timedelta(0),
    "Z": timedelta(0),
    "PST": timedelta(hours=-8),
    "PDT": timedelta(hours=-7),
    "PT": timedelta(hours=-8),
    "MST": timedelta(hours=-7),
    "MDT": timedelta(hours=-6),
    "CST": timedelta(hours=-6),
    "CDT": timedelta(hours=-5),
    "EST": timedelta(hours=-5),
    "EDT": timedelta(hours=-4),
    "BST": timedelta(hours=1),
    "WET": timedelta(0),
    "WEST": timedelta(hours=1),
    "CET": timedelta(hours=1),
    "CEST": timedelta(hours=2),
    "EET": timedelta(hours=2),
    "EEST": timedelta(hours=3),
    "JST": timedelta(hours=9),
    "AEST": timedelta(hours=10),
    "AEDT": timedelta(hours=11),
}
PLAUSIBLE_YEARS = (1970, 2199)
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_ZONE = "|".join(sorted((re.escape(z) for z in ZONES), key=len, reverse=True))
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_CLOCK = (
    r"(?P<h>\d{1,2})(?::|h)(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"|(?P<h12>\d{1,2})(?=\s*[ap]\.?m\b)"
)
_TIME = re.compile(
    r"(?P<approx>~|≈|ca\.?\s*|approx\.?\s*|about\s+|around\s+)?"
    r"(?:(?P<iso>(?<!\d)\d{4}-\d{2}-\d{2})(?:T|\s+|,\s*)"
    rf"|(?P<mon>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?:(?P<year>\d{{4}}),?\s+)?(?:at\s+)?"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<mon2>{_MONTH})\.?,?\s+(?:(?P<year2>\d{{4}}),?\s+)?(?:at\s+)?)?"
    rf"(?:{_CLOCK})"
    r"(?:\s*(?P<ampm>[ap])\.?m\.?\b)?"
    r"(?:\s+(?P<offset>[+-]\d{2}:?\d{2})\b)?"
    r"(?:\s*(?:-|–|—|to)\s*(?P<until>[0-9?]{1,2}(?::[0-9?]{2}(?:\s*[ap]\.?m\.?)?|\s*[ap]\.?m\.?)))?"
    rf"(?:\s*\(?(?P<zone>{_ZONE})\b\)?|(?P<z>Z)\b)?",
    re.IGNORECASE,
)
# A date alone, for days given in headings or in a title ("October 21, 2025").
_DAY = re.compile(
    r"(?<!\d)(?P<iso>\d{4}-\d{2}-\d{2})(?!\d)"
    rf"|(?P<mon>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:-\d{{1,2}})?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>{_MONTH})\.?,?\s+(?P<year2>\d{{4}})",
    re.IGNORECASE,
)
_ZONE_HINT = re.compile(
    rf"\b(?:in|times?|\()\s*\(?(?P<zone>{_ZONE})\b\)?|\((?P<zone2>{_ZONE})\)"
    rf"|\b(?P<zone3>{_ZONE})\b",
    re.IGNORECASE,
)


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

    @property
    def tz(self) -> timezone | None:
        return timezone(self.offset) if self.offset is not None else None


def read_clock(text: str) -> Clock | None:
    """The time at the very start of ``text``, or None when it does not start with one.

    ``end`` is where the time's wording ends in ``text``; ``plain`` says the wording was a
    plain ``HH:MM`` or ``YYYY-MM-DD HH:MM`` the checker reads as it is.
    """
    match = _TIME.match(text)
    if match is None:
        return None
    hour = int(match["h"] if match["h"] is not None else match["h12"])
    minute = int(match["m"] or 0)
    second = int(match["s"] or 0)
    ampm = (match["ampm"] or "").lower()
    if match["h12"] is not None and not ampm:
        return None
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    day = None
    month_day = None
    try:
        if match["iso"]:
            day = date.fromisoformat(match["iso"])
        elif match["mon"] or match["mon2"]:
            month = MONTHS[(match["mon"] or match["mon2"]).lower()]
            number = int(match["day"] or match["day2"])
            year = match["year"] or match["year2"]
            if year:
                day = date(int(year), month, number)
            else:
                date(2000, month, number)
                month_day = (month, number)
    except ValueError:
        return None
    # As for read_day: a year like 0001 or 9999 is a typo, and an offset would take it off
    # the calendar.
    if day is not None and not PLAUSIBLE_YEARS[0] <= day.year <= PLAUSIBLE_YEARS[1]:
        return None
    offset = None
    if match["zone"]:
        offset = ZONES[match["zone"].upper()]
    elif match["z"]:
        offset = timedelta(0)
    elif match["offset"]:
        sign = -1 if match["offset"][0] == "-" else 1
        digits = match["offset"][1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    wording = match.group(0)
    plain = bool(re.fullmatch(r"(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}(:\d{2})?", wording))
    return Clock(
        time(hour, minute, second),
        day,
        month_day,
        offset,
        match["s"] is not None,
        match.end(),
        plain,
    )


def read_day(text: str) -> date | None:
    """The first full date in ``text`` (``2025-10-21``, ``October 21, 2025``, ``21 Oct 2025``)."""
    for match in _DAY.finditer(text):
        try:
            if match["iso"]:
                found = date.fromisoformat(match["iso"])
            else:
                month = MONTHS[(match["mon"] or match["mon2"]).lower()]
                year = int(match["year"] or match["year2"])
                found = date(year, month, int(match["day"] or match["day2"]))
        except ValueError:
            continue
        # A typo such as "20202-01-16" is not the day of an incident.
        if PLAUSIBLE_YEARS[0] <= found.year <= PLAUSIBLE_YEARS[1]:
            return found
    return None


def zone_hint(text: str) -> timedelta | None:
    """The zone a timeline says its times are in ("All times in UTC", "Time (CET)")."""
    match = _ZONE_HINT.search(text)
    if match is None:
        return None
    name = match["zone"] or match["zone2"] or match["zone3"]
    # A bare "Z" in prose is a letter, not a zone.
    if name.upper() == "Z":
        return None
    return ZONES[name.upper()]
