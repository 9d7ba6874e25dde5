"""``postmortems new``: a draft from the blameless template, asked for at a terminal."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from mkdocs_postmortems.cli import git
from mkdocs_postmortems.cli.common import UsageError
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import now as current_time
from mkdocs_postmortems.core.dates import parse_datetime
from mkdocs_postmortems.core.files import NotWritten
from mkdocs_postmortems.core.knowledge_base import display_path
from mkdocs_postmortems.core.register import Incident
from mkdocs_postmortems.core.suggestions import did_you_mean
from mkdocs_postmortems.integrations.register import load_register

T = TypeVar("T")
TITLE_LIMIT = 200
# How far ahead of this machine's clock --started may be: another machine's clock, not a
# mistyped year or an hour in the wrong timezone.
FUTURE_TOLERANCE = timedelta(minutes=10)


class _Cancelled(Exception):
    """The author left a question unanswered (end of input or Ctrl-C)."""


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    new = commands.add_parser(
        "new", parents=[common], help="start a post-mortem from the template, as a draft"
    )
    new.add_argument("title", nargs="?", metavar="TITLE", help="what users experienced")
    new.add_argument("--severity", metavar="LEVEL", help="one of the configured severities")
    new.add_argument(
        "--started",
        metavar="WHEN",
        help="when impact began, ISO 8601 such as 2026-03-04T14:02Z; without an offset, the "
        "configured timezone (default: now)",
    )
    new.add_argument("--services", metavar="A,B", help="the services affected, comma-separated")
    new.add_argument(
        "--authors", metavar="A,B", help="comma-separated (default: git config user.name)"
    )
    new.add_argument(
        "--incident",
        metavar="ID",
        help="start from this incident of the register (id or number): title, severity, "
        "started, resolved, services and the link are filled in",
    )
    new.set_defaults(run=run_new)


def run_new(args: argparse.Namespace, settings: Settings) -> int:
    ask = sys.stdin is not None and sys.stdin.isatty()
    incident = _incident(args.incident, settings) if args.incident is not None else None
    if incident is not None:
        args.title = args.title or incident.title
        args.severity = args.severity or incident.severity or None
        args.services = args.services or ", ".join(incident.services) or None
        args.started = args.started or incident.started.isoformat()
    names = ", ".join(f"{s.name} ({s.label})" for s in settings.severities)
    try:
        title = _answer(args.title, "TITLE", "Title (what users experienced)", _title, ask)
        severity = _answer(
            args.severity,
            "--severity",
            f"Severity: {names}",
            lambda text: _severity(text, settings),
            ask,
        )
        services = _answer(
            args.services,
            "--services",
            "Services affected, comma-separated",
            lambda text: _services(text, settings),
            ask,
        )
    except _Cancelled:
        print(file=sys.stderr)
        raise UsageError("new: cancelled; nothing was written") from None
    if args.started is None:
        started = current_time().replace(second=0, microsecond=0)
    else:
        try:
            started = parse_datetime(args.started, settings.tz)
        except ValueError as exc:
            reason = str(exc)
            if args.started.strip() not in reason:
                reason = f"'{args.started.strip()}' is not a real date and time ({reason})"
            raise UsageError(f"new: --started: {reason}") from None
        if started > current_time() + FUTURE_TOLERANCE:
            shown_start = started.astimezone(settings.tz)
            raise UsageError(
                f"new: --started: {shown_start:%Y-%m-%d %H:%M} ({settings.timezone}) is in the "
                "future; give the time the incident started (a time without an offset is in "
                f"{settings.timezone})"
            )
    if args.authors is None:
        authors = tuple(name for name in [git.user_name(settings.root)] if name)
    else:
        authors = _list(args.authors)
    from mkdocs_postmortems.cli.scaffold import Draft, path_for, render_draft, write_new  # Jinja2

    draft = Draft(
        title,
        severity,
        started,
        services,
        authors,
        resolved=incident.resolved if incident else None,
        incident=incident.id if incident else "",
    )
    path = path_for(draft, settings)
    shown = display_path(path, os.getcwd())
    try:
        write_new(path, render_draft(draft, settings), settings.root)
    except FileExistsError:
        print(
            f"postmortems: {shown} already exists and was left untouched; edit it, or give "
            "the new incident a different title",
            file=sys.stderr,
        )
        return 1
    except NotWritten as exc:
        raise UsageError(f"new: not written: {exc}") from None
    except OSError as exc:
        raise UsageError(f"cannot write {shown}: {exc.strerror or exc}") from None
    print(shown)
    print(f"Next: edit it, then run `postmortems check {shown}`", file=sys.stderr)
    return 0


def _incident(ref: str, settings: Settings) -> Incident:
    register = load_register(settings)
    if register is None:
        raise UsageError("new: --incident needs an incident register: set 'register' in mkdocs.yml")
    incident = register.find(ref)
    if incident is None:
        ids = [i.id for i in register.incidents]
        raise UsageError(
            f"new: --incident: '{ref}' is not in the register {register.display}"
            f"{did_you_mean(ref, ids)}"
        )
    return incident


def _answer(
    given: str | None, option: str, question: str, read: Callable[[str], T], ask: bool
) -> T:
    """The value given on the command line, or asked for when a person is at the terminal."""
    if given is not None:
        try:
            return read(given)
        except ValueError as exc:
            raise UsageError(f"new: {option}: {exc}") from None
    if not ask:
        raise UsageError(
            f"new: {option} is required (stdin is not a terminal, so it was not asked for)"
        )
    while True:
        print(f"{question}: ", end="", file=sys.stderr, flush=True)
        try:
            answer = input()
        except (EOFError, KeyboardInterrupt):
            raise _Cancelled from None
        try:
            return read(answer)
        except ValueError as exc:
            print(f"  {exc}", file=sys.stderr)


def _title(text: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise ValueError("the title is empty; say what users experienced")
    if len(title) > TITLE_LIMIT:
        raise ValueError(f"the title has {len(title)} characters; keep it to {TITLE_LIMIT}")
    return title


def _severity(text: str, settings: Settings) -> str:
    names = settings.severity_names
    wanted = text.strip()
    if wanted in names:
        return wanted
    folded = [name for name in names if name.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    raise ValueError(
        f"unknown severity '{wanted}'{did_you_mean(wanted, names)}; use one of {', '.join(names)}"
    )


def _services(text: str, settings: Settings) -> tuple[str, ...]:
    services = _list(text)
    if not services:
        raise ValueError("name at least one service")
    if settings.services is not None:
        for name in services:
            if name not in settings.services:
                hint = did_you_mean(name, settings.services)
                raise ValueError(f"'{name}' is not in the service catalog{hint}")
    return services


def _list(text: str) -> tuple[str, ...]:
    """Comma-separated names, spaces tidied, empty ones and repeats dropped."""
    names = (" ".join(part.split()) for part in text.split(","))
    return tuple(dict.fromkeys(name for name in names if name))
