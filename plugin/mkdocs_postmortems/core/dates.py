"""Reading ISO 8601 dates and times as authors write them, and deciding what "now" is."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timezone, tzinfo

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def parse_date(text: str) -> date:
    """A ``YYYY-MM-DD`` date; ValueError otherwise (``2026-13-02`` included)."""
    text = text.strip()
    if not _DATE.fullmatch(text):
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
    return date.fromisoformat(text)


def parse_datetime(text: str, tz: tzinfo) -> datetime:
    """An ISO 8601 date and time; without an offset it is in ``tz``. Always timezone-aware."""
    text = text.strip()
    if not _DATETIME.fullmatch(text):
        raise ValueError(
            f"'{text}' is not a date and time in the form YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]"
        )
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def now(today: date | None = None, environ: dict[str, str] | None = None) -> datetime:
    """The current time: ``today`` (end of that day, UTC) over ``SOURCE_DATE_EPOCH`` over the clock.

    ``--today`` means "as seen on that day", so it is the last moment of the day: an item due
    that day is not yet overdue.
    """
    if today is not None:
        return datetime(today.year, today.month, today.day, 23, 59, 59, tzinfo=timezone.utc)
    epoch = (environ if environ is not None else os.environ).get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH must be a Unix timestamp, not '{epoch}'") from None
    return datetime.now(tz=timezone.utc)
