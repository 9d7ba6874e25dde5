"""What every command shares: the usage error, and reading a day and "now" from arguments."""

from __future__ import annotations

import argparse
from datetime import date, datetime

from mkdocs_postmortems.core.dates import now as current_time
from mkdocs_postmortems.core.dates import parse_date


class UsageError(Exception):
    """Arguments that parse but do not make sense (a missing path, a bad git ref)."""


def day(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        reason = str(exc) if text in str(exc) else f"'{text}' is not a date YYYY-MM-DD"
        raise argparse.ArgumentTypeError(reason) from None


def now(args: argparse.Namespace) -> datetime:
    try:
        return current_time(args.today)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
