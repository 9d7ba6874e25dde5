"""What every command shares: the usage error, reading a day and "now" from arguments, and
reading the configuration file."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mkdocs_postmortems.core import config_file
from mkdocs_postmortems.core.config import ConfigError
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


def read_config(path: Path) -> Any:
    """The configuration file as the site's build will read it: with MkDocs' own loader when
    MkDocs is installed, the one truth; with the core's fallback only when it is not (a
    project built with Zensical). MkDocs is imported only when there is a file to read."""
    try:
        from mkdocs_postmortems.adapters import mkdocs_config
    except ModuleNotFoundError as exc:
        if exc.name != "mkdocs":
            # MkDocs is there but broken: the build would fail, so must the check, not
            # fall back to a reading the build will never make.
            raise ConfigError(
                f"MkDocs is installed but cannot be loaded to read {path}: {exc}"
            ) from None
        return config_file.read_config(path)
    return mkdocs_config.read_config(path)
