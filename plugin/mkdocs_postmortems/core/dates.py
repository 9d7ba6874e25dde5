"""Reading ISO 8601 dates and times as authors write them, and deciding what "now" is.

The values are taken apart with one regular expression and built field by field, never with
``datetime.fromisoformat``: that function accepts different inputs on Python 3.10 and 3.11+
(``+0200``, ``Z``, a fraction of one digit), and a post-mortem must read the same everywhere.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TypeVar

_D = TypeVar("_D", date, datetime)

# Every date the tool accepts lies in these years. Deadlines and review periods are at most
# ten years (see core.config), and offsets at most a day, so no sum, difference or timezone
# conversion of accepted values can leave the calendar (Python's years 1 to 9999).
FIRST_YEAR = 1900
LAST_YEAR = 9000
_RANGE = f"the years {FIRST_YEAR}-{LAST_YEAR}"

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<h>\d{2}):(?P<m>\d{2})"
    r"(?::(?P<s>\d{2})(?:[.,](?P<frac>\d+))?)?\s*(?P<zone>Z|UTC|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
# A time of day as a timeline row writes it: an optional date, a one- or two-digit hour, and
# an optional zone (``Z``, ``UTC``, ``+02:00``).
_CLOCK = re.compile(
    r"(?:(?P<date>\d{4}-\d{2}-\d{2})[ T])?(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"\s*(?P<zone>Z|UTC|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
FORMS = "YYYY-MM-DDTHH:MM[:SS][Z|UTC|+HH:MM]"


# Cached: a timeline repeats its day on every row, and a knowledge base its days across
# files (a tenth of reading 10,000 files went to parsing the same dates again).
@lru_cache(maxsize=4096)
def parse_date(text: str) -> date:
    """A ``YYYY-MM-DD`` date; ValueError otherwise (``2026-13-02`` included)."""
    text = text.strip()
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
    return _in_range(date(int(match[1]), int(match[2]), int(match[3])), text)


def parse_offset(text: str | None) -> tzinfo | None:
    """``Z``, ``UTC``, ``+02``, ``+0200`` or ``+02:00`` as a fixed zone; None for no zone."""
    if not text:
        return None
    if text.upper() in ("Z", "UTC"):
        return timezone.utc
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"'{text}' is not a UTC offset (at most +23:59)")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if text[0] == "-" else offset)


def parse_datetime(text: str, tz: tzinfo) -> datetime:
    """An ISO 8601 date and time; without an offset it is in ``tz``. Always timezone-aware."""
    text = text.strip()
    match = _DATETIME.fullmatch(text)
    if not match:
        raise ValueError(f"'{text}' is not a date and time in the form {FORMS}")
    written_day, hour, minute, second, fraction, zone = match.groups()
    day = parse_date(written_day)
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    # The day is within the accepted years (parse_date), so the time is too.
    return datetime(
        day.year,
        day.month,
        day.day,
        int(hour),
        int(minute),
        int(second or 0),
        micro,
        tzinfo=(parse_offset(zone) if zone else None) or tz,
    )


def parse_clock(text: str) -> tuple[date | None, int, int, int, tzinfo | None] | None:
    """A timeline time: its date if written, hour, minute, second and zone if written.

    None when the text is not a time at all; ValueError when it names an impossible one.
    """
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        return None
    written_day, hour_text, minute_text, second_text, zone = match.groups()
    day = parse_date(written_day) if written_day else None
    hour, minute, second = int(hour_text), int(minute_text), int(second_text or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"'{text}' is not a time of day")
    return day, hour, minute, second, parse_offset(zone) if zone else None


def _in_range(value: _D, text: str) -> _D:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"'{text}' is outside {_RANGE}, the dates the tool accepts")
    return value


def now(today: date | None = None, environ: dict[str, str] | None = None) -> datetime:
    """The current time: ``today`` (end of that day, UTC) over ``SOURCE_DATE_EPOCH`` over the clock.

    ``--today`` means "as seen on that day", so it is the last moment of the day: an item due
    that day is not yet overdue.
    """
    if today is not None:
        moment = datetime(today.year, today.month, today.day, 23, 59, 59, tzinfo=timezone.utc)
        return _in_range(moment, today.isoformat())
    epoch = (environ if environ is not None else os.environ).get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH must be a Unix timestamp, not '{epoch}'") from None
        return _in_range(moment, f"SOURCE_DATE_EPOCH={epoch}")
    return datetime.now(tz=timezone.utc)


def plural(count: int, word: str) -> str:
    """``1 day``, ``2 days``: a count with its noun, as a sentence says it."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def how_late(late_by: timedelta) -> str:
    """A lateness as people say it: whole days from one day on, hours below that (a write-up
    three hours past its deadline is "3 hours" late, not "0 days")."""
    if late_by >= timedelta(days=1):
        return plural(late_by.days, "day")
    hours = int(late_by.total_seconds() // 3600)
    return plural(hours, "hour") if hours else "less than an hour"
