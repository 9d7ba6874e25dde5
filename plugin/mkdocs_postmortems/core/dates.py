"""Reading ISO 8601 dates and times as authors write them, and deciding what "now" is."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timezone, tzinfo
from typing import TypeVar

_D = TypeVar("_D", date, datetime)

# Every date the tool accepts lies in these years. Deadlines and review periods are at most
# ten years (see core.config), and offsets at most a day, so no sum, difference or timezone
# conversion of accepted values can leave the calendar (Python's years 1 to 9999).
FIRST_YEAR = 1900
LAST_YEAR = 9000
_RANGE = f"the years {FIRST_YEAR}-{LAST_YEAR}"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def parse_date(text: str) -> date:
    """A ``YYYY-MM-DD`` date; ValueError otherwise (``2026-13-02`` included)."""
    text = text.strip()
    if not _DATE.fullmatch(text):
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
    return _in_range(date.fromisoformat(text), text)


def parse_datetime(text: str, tz: tzinfo) -> datetime:
    """An ISO 8601 date and time; without an offset it is in ``tz``. Always timezone-aware."""
    text = text.strip()
    if not _DATETIME.fullmatch(text):
        raise ValueError(
            f"'{text}' is not a date and time in the form YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]"
        )
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    value = _in_range(datetime.fromisoformat(text), text)
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


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
