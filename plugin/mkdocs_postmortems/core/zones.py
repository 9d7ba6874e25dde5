"""Zones as people name them in write-ups: abbreviations with the offset they state
(``PST``), names that follow daylight saving (``Pacific Time``), offsets (``UTC-5``), zone
database names, cities (``09:00 London time``) and names that stand for several zones
(``IST``), which are questions, never guesses.

Kept apart from :mod:`mkdocs_postmortems.core.times`, which reads clocks and dates and asks
this module what a zone's name means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Zone:
    """A zone as written: the real zone it names and the offset the name itself states.

    ``offset`` is None for a name that follows daylight saving (``Pacific Time``); ``tz`` is
    None for a name that stands for several zones (``IST``), listed in ``meanings``.
    """

    written: str
    tz: tzinfo | None
    offset: timedelta | None = None
    meanings: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.tz is None

    def contradiction(self, moment: datetime) -> str | None:
        """What to say when the offset the name states is not the zone's on that day
        (``PST`` in June), or None when they agree."""
        if self.offset is None or self.tz is None:
            return None
        local = moment.astimezone(self.tz)
        actual = local.utcoffset()
        if actual is None or actual == self.offset:
            return None
        return (
            f"'{self.written}' is UTC{hours_text(self.offset)}, but on {local.date()} {self.tz} "
            f"kept UTC{hours_text(actual)} ({local.tzname()}); read as written"
        )


# Abbreviation -> (IANA zone, the offset in hours the abbreviation states; None: the zone's
# own rules). Ambiguous abbreviations are in _AMBIGUOUS instead.
_ABBREVIATIONS: dict[str, tuple[str, float | None]] = {
    "UTC": ("UTC", 0),
    "GMT": ("UTC", 0),
    "Z": ("UTC", 0),
    "PST": ("America/Los_Angeles", -8),
    "PDT": ("America/Los_Angeles", -7),
    "PT": ("America/Los_Angeles", None),
    "MST": ("America/Denver", -7),
    "MDT": ("America/Denver", -6),
    "MT": ("America/Denver", None),
    # China Standard Time is also CST; in incident write-ups it is almost always US Central,
    # and a team in China declares its zone with `timezone:` (the declaration wins).
    "CST": ("America/Chicago", -6),
    "CDT": ("America/Chicago", -5),
    "CT": ("America/Chicago", None),
    "EST": ("America/New_York", -5),
    "EDT": ("America/New_York", -4),
    "ET": ("America/New_York", None),
    "AKST": ("America/Anchorage", -9),
    "AKDT": ("America/Anchorage", -8),
    "HST": ("Pacific/Honolulu", -10),
    "BRT": ("America/Sao_Paulo", -3),
    "BST": ("Europe/London", 1),
    "WET": ("Europe/Lisbon", 0),
    "WEST": ("Europe/Lisbon", 1),
    "CET": ("Europe/Berlin", 1),
    "CEST": ("Europe/Berlin", 2),
    "EET": ("Europe/Helsinki", 2),
    "EEST": ("Europe/Helsinki", 3),
    "MSK": ("Europe/Moscow", 3),
    "SAST": ("Africa/Johannesburg", 2),
    "JST": ("Asia/Tokyo", 9),
    "KST": ("Asia/Seoul", 9),
    "SGT": ("Asia/Singapore", 8),
    "HKT": ("Asia/Hong_Kong", 8),
    "WIB": ("Asia/Jakarta", 7),
    # Indochina Time (Bangkok, Hanoi, Phnom Penh), Philippine, Malaysia, Pakistan time.
    "ICT": ("Asia/Bangkok", 7),
    "PHT": ("Asia/Manila", 8),
    "MYT": ("Asia/Kuala_Lumpur", 8),
    "PKT": ("Asia/Karachi", 5),
    "IDT": ("Asia/Jerusalem", 3),
    "AEST": ("Australia/Sydney", 10),
    "AEDT": ("Australia/Sydney", 11),
    "ACST": ("Australia/Adelaide", 9.5),
    "ACDT": ("Australia/Adelaide", 10.5),
    "AWST": ("Australia/Perth", 8),
    "NZST": ("Pacific/Auckland", 12),
    "NZDT": ("Pacific/Auckland", 13),
}
_AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "AST": ("America/Halifax", "Asia/Riyadh"),
    # Gulf Standard Time (UTC+4) or South Georgia Time (UTC-2); read as neither, it would
    # shift every time by hours.
    "GST": ("Asia/Dubai", "Atlantic/South_Georgia"),
}
# "PST/PDT", "CET/CEST": a zone named by its standard and its summer abbreviation together
# means the zone with its own rules, whichever of the two applied on the day.
_PAIRS = {
    f"{a}/{b}": key
    for a, (key, hours_a) in _ABBREVIATIONS.items()
    for b, (other, hours_b) in _ABBREVIATIONS.items()
    if key == other and a != b and None not in (hours_a, hours_b) and key != "UTC"
}
_REGIONS = {
    "pacific": ("America/Los_Angeles", -8),
    "mountain": ("America/Denver", -7),
    "central": ("America/Chicago", -6),
    "eastern": ("America/New_York", -5),
}
# "Pacific Time", "Pacific Standard Time", "Eastern Daylight Time", "Eastern" (after a time).
_REGION_NAMES = {
    f"{region} {kind}time".strip(): (key, None if kind == "" else base + (kind == "daylight "))
    for region, (key, base) in _REGIONS.items()
    for kind in ("", "standard ", "daylight ")
}
_REGION_NAMES.update({region: (key, None) for region, (key, _) in _REGIONS.items()})
# "US Eastern Time", "Eastern US time", "US Pacific": the region's clock with its summer time.
_REGION_NAMES.update(
    {
        name: (key, None)
        for region, (key, _) in _REGIONS.items()
        for name in (f"us {region}", f"us {region} time", f"{region} us time")
    }
)
_REGION_NAMES.update({"central european time": ("Europe/Berlin", None)})
# Cities teams name as their clock ("16:37 Denver", "09:00 London time"): an allowlist of
# the places write-ups are written from, each the zone of the tz database it lies in. Only
# right after a time, or as "<city> time" in a declaration: "the team in Dublin" is no zone.
_CITIES = {
    "los angeles": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "vancouver": "America/Vancouver",
    "denver": "America/Denver",
    "phoenix": "America/Phoenix",
    "chicago": "America/Chicago",
    "new york": "America/New_York",
    "toronto": "America/Toronto",
    "montreal": "America/Toronto",
    "sao paulo": "America/Sao_Paulo",
    "são paulo": "America/Sao_Paulo",
    "london": "Europe/London",
    "dublin": "Europe/Dublin",
    "lisbon": "Europe/Lisbon",
    "paris": "Europe/Paris",
    "berlin": "Europe/Berlin",
    "amsterdam": "Europe/Amsterdam",
    "brussels": "Europe/Brussels",
    "madrid": "Europe/Madrid",
    "rome": "Europe/Rome",
    "zurich": "Europe/Zurich",
    "vienna": "Europe/Vienna",
    "prague": "Europe/Prague",
    "warsaw": "Europe/Warsaw",
    "stockholm": "Europe/Stockholm",
    "oslo": "Europe/Oslo",
    "copenhagen": "Europe/Copenhagen",
    "helsinki": "Europe/Helsinki",
    "athens": "Europe/Athens",
    "kyiv": "Europe/Kyiv",
    "istanbul": "Europe/Istanbul",
    "moscow": "Europe/Moscow",
    "tel aviv": "Asia/Jerusalem",
    "dubai": "Asia/Dubai",
    "mumbai": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "singapore": "Asia/Singapore",
    "hong kong": "Asia/Hong_Kong",
    "shanghai": "Asia/Shanghai",
    "beijing": "Asia/Shanghai",
    "seoul": "Asia/Seoul",
    "tokyo": "Asia/Tokyo",
    "sydney": "Australia/Sydney",
    "melbourne": "Australia/Melbourne",
    "auckland": "Pacific/Auckland",
    "johannesburg": "Africa/Johannesburg",
    "cape town": "Africa/Johannesburg",
    "lagos": "Africa/Lagos",
    "nairobi": "Africa/Nairobi",
    "cairo": "Africa/Cairo",
}


def alternation(names: Iterable[str]) -> str:
    """A regular expression alternation of ``names``, longest first."""
    return "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))


# Two-letter names and "Z" only in capitals: "et", "pt" and "z" are words and letters.
_UPPER = [n for n in (*_ABBREVIATIONS, *_AMBIGUOUS) if len(n) <= 2]
ANY_CASE_NAMES = [n for n in (*_ABBREVIATIONS, *_AMBIGUOUS) if len(n) > 2]
ZONE_PATTERN = (
    r"\(?(?:"
    # "UTC-5", "GMT +1", "UTC+05:30"; not "10:30 UTC - 14:49 UTC", a range between two
    # times, whose sign stands apart on both sides.
    r"(?:UTC|GMT)(?:[+\-−]\s*|\s+[+\-−])\d{1,2}(?::?\d{2})?"
    # "+02:00", "-0500", "10:05 -08:00", "14:05:00-05:00"; not the "-18:10" of "18:00-18:10".
    r"|\+\d{2}:?\d{2}(?!\d)|[\-−]\d{4}(?!\d)"
    r"|(?:(?<=\s)|(?<=\d\d:\d\d:\d\d))[\-−](?:0\d|1[0-4]):[0-5]\d(?!\d)"
    r"|[A-Z][A-Za-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?"
    rf"|{alternation(_PAIRS)}"
    rf"|{alternation(_REGION_NAMES)}"
    rf"|(?:{alternation(_CITIES)})(?:\s+time\b)?"
    rf"|{alternation(ANY_CASE_NAMES)}"
    rf"|(?-i:{alternation(_UPPER)})"
    r")\)?(?![A-Za-z0-9/])"
)


# A sentence or a header that declares the zone of the times below it.
_DECLARATION_CUE = re.compile(
    r"\b(?:times?|timestamps?|timeline|clock|zone|hours)\b|\(", re.IGNORECASE
)
_DECLARED = re.compile(rf"(?<![\w/+\-−])(?P<zone>{ZONE_PATTERN})", re.IGNORECASE)


@lru_cache(maxsize=256)
def zone_named(written: str) -> Zone | None:
    """The zone a name, abbreviation or offset stands for, or None for no zone."""
    text = written.strip().strip("()").strip()
    upper = text.upper()
    if upper in _ABBREVIATIONS:
        key, hours = _ABBREVIATIONS[upper]
        offset = None if hours is None else timedelta(hours=hours)
        return Zone(text, ZoneInfo(key), offset)
    if upper in _AMBIGUOUS:
        return Zone(text, None, None, _AMBIGUOUS[upper])
    if upper in _PAIRS:
        return Zone(text, ZoneInfo(_PAIRS[upper]), None)
    folded = " ".join(text.lower().split())
    city = folded.removesuffix(" time")
    if city in _CITIES:
        return Zone(text, ZoneInfo(_CITIES[city]))
    if folded in _REGION_NAMES:
        key, hours = _REGION_NAMES[folded]
        return Zone(text, ZoneInfo(key), None if hours is None else timedelta(hours=hours))
    signed = re.fullmatch(r"(?:UTC|GMT)?\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?", text, re.I)
    if signed:
        span = timedelta(hours=int(signed[2]), minutes=int(signed[3] or 0))
        if span > timedelta(hours=14):
            return None
        span = -span if signed[1] in "-−" else span
        return Zone(text, timezone(span), span)
    if "/" in text:
        try:
            return Zone(text, ZoneInfo(text))
        except (ValueError, KeyError, OSError):
            # "UC/Pacific", "America/Eastern": no zone database name, but a region's clock.
            region = _REGION_NAMES.get(text.rsplit("/", 1)[1].lower())
            return Zone(text, ZoneInfo(region[0])) if region else None
    return None


def declared_zone(text: str) -> Zone | None:
    """The zone a line declares for the times below it ("All timestamps are in PDT",
    "Timeline (UTC)", "Time (PST)", "times in CET"); None when it declares none.

    A zone that follows a time in the line belongs to that time, not to the lines below.
    """
    if not _DECLARATION_CUE.search(text):
        return None
    for match in _DECLARED.finditer(text):
        before = text[: match.start("zone")].rstrip(" (")
        if before[-1:].isdigit() or re.search(r"\d\s*[ap]\.?m\.?$", before, re.I):
            continue
        written = match["zone"]
        if written.strip("()") == "Z" or _is_city(written):
            continue
        zone = zone_named(written)
        if zone is not None:
            return zone
    return None


def _is_city(written: str) -> bool:
    """A city named without "time" after it: a place, not a declaration of a clock."""
    return " ".join(written.strip("() ").lower().split()) in _CITIES


def hours_text(offset: timedelta) -> str:
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
