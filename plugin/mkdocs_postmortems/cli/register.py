"""``postmortems register pull``: refresh the incident register file from PagerDuty's API.

The file is written whole or not at all (a temporary file, then a rename), and an existing
file is replaced only when this command wrote it (it carries the ``pulled_by`` mark) or
when ``--overwrite`` says so.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, time, timezone
from pathlib import Path
from typing import Any

from mkdocs_postmortems.cli.common import UsageError, day
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import now as current_time
from mkdocs_postmortems.core.dates import plural
from mkdocs_postmortems.core.files import NotWritten, Refused, read_regular, replace_file
from mkdocs_postmortems.core.findings import printable
from mkdocs_postmortems.core.knowledge_base import display_path
from mkdocs_postmortems.integrations import pagerduty
from mkdocs_postmortems.integrations.register import MAX_BYTES as REGISTER_MAX_BYTES

TOKEN_VARIABLE = "PAGERDUTY_TOKEN"
#: A day: a pull that has not ended by then will not end.
MAX_TIME_LIMIT = 86400


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    register = commands.add_parser(
        "register", parents=[common], help="the incident register: refresh it from the API"
    )
    actions = register.add_subparsers(dest="action", metavar="ACTION", required=True)
    pull = actions.add_parser(
        "pull",
        parents=[common],
        help=f"fetch PagerDuty's incident list into the register file (token: ${TOKEN_VARIABLE})",
    )
    pull.add_argument("--format", choices=("pagerduty",), default="pagerduty")
    pull.add_argument(
        "--since",
        type=day,
        metavar="YYYY-MM-DD",
        help="the first day to fetch (default: register.since in mkdocs.yml)",
    )
    pull.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="where to write the register (default: register.path in mkdocs.yml; - for stdout)",
    )
    pull.add_argument(
        "--overwrite",
        action="store_true",
        help="replace FILE even if this command did not write it",
    )
    pull.add_argument(
        "--api-url",
        default=pagerduty.API_URL,
        help="the REST API (EU: https://api.eu.pagerduty.com)",
    )
    pull.add_argument(
        "--time-limit",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="give up after this long, retries and slow answers included (default: 300)",
    )
    pull.add_argument(
        "--max-bytes",
        type=int,
        default=pagerduty.MAX_BYTES,
        metavar="BYTES",
        help=f"give up when the API's answers pass this size in all (default: {pagerduty.MAX_BYTES})",
    )
    pull.add_argument("--today", type=day, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    pull.set_defaults(run=run_pull)


def run_pull(args: argparse.Namespace, settings: Settings) -> int:
    """0 written, 1 the API could not be read or the file is not ours to replace, 2 usage."""
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise UsageError(
            f"register pull: set {TOKEN_VARIABLE} to a PagerDuty REST API key (read-only is enough)"
        )
    wrong = pagerduty.token_problem(token)
    if wrong:
        raise UsageError(f"register pull: {TOKEN_VARIABLE} {wrong}")
    wrong = pagerduty.api_url_problem(args.api_url)
    if wrong:
        raise UsageError(f"register pull: --api-url {wrong}")
    config = settings.register
    since_day = args.since or (config.since if config else None)
    if since_day is None:
        raise UsageError("register pull: give --since YYYY-MM-DD (or set register.since)")
    if args.out is None and config is not None and config.format != "pagerduty":
        raise UsageError(
            f"register pull: the configured register is in the {config.format} format; give "
            "--out FILE for PagerDuty's"
        )
    out = args.out or (config.path if config else None)
    if out is None:
        raise UsageError("register pull: give --out FILE (or set register.path)")
    if not 0 < args.time_limit < MAX_TIME_LIMIT:
        raise UsageError(
            f"register pull: --time-limit must be more than 0 and less than {MAX_TIME_LIMIT} "
            "seconds"
        )
    if args.max_bytes <= 0:
        raise UsageError("register pull: --max-bytes must be more than 0")
    to_stdout = str(out) == "-"
    shown = "stdout" if to_stdout else display_path(out, os.getcwd())
    foreign = None if to_stdout or args.overwrite else _foreign(out)
    if foreign is not None:
        print(
            printable(
                f"postmortems: {shown} exists and was not written by `register pull`{foreign}; "
                "it was left untouched (use --overwrite to replace it)"
            ),
            file=sys.stderr,
        )
        return 1
    since = datetime.combine(since_day, time(), tzinfo=settings.tz).astimezone(timezone.utc)
    # The real clock (or --today): SOURCE_DATE_EPOCH fixes a build's date, not the API's.
    until = current_time(args.today, environ={})
    if since >= until:
        raise UsageError("register pull: --since is not in the past")
    client = pagerduty.Client(
        token, api_url=args.api_url, time_limit=args.time_limit, max_bytes=args.max_bytes
    )
    try:
        incidents = client.incidents(since, until)
    except pagerduty.PullError as exc:
        # The message quotes the API (its reason phrase, its error text): one printable line.
        print(
            printable(f"postmortems: register pull: {exc}; {shown} was not changed"),
            file=sys.stderr,
        )
        return 1
    text = json.dumps(pagerduty.register_file(incidents, since, until), indent=1) + "\n"
    if len(text.encode("utf-8")) > REGISTER_MAX_BYTES:
        print(
            printable(
                f"postmortems: register pull: {len(incidents)} incidents make a register of "
                f"more than {REGISTER_MAX_BYTES:,} bytes, which no command reads; pull a later "
                f"--since; {shown} was not changed"
            ),
            file=sys.stderr,
        )
        return 1
    if to_stdout:
        sys.stdout.write(text)
    else:
        try:
            _replace(Path(out), text, settings.root)
        except NotWritten as exc:
            raise UsageError(f"register pull: {exc}") from None
        except OSError as exc:
            raise UsageError(f"cannot write {shown}: {exc.strerror or exc}") from None
    print(
        f"{plural(len(incidents), 'incident')} since {since_day} written to {shown}",
        file=sys.stderr,
    )
    return 0


def _foreign(path: Path) -> str | None:
    """None when ``path`` is absent or a register this command wrote; otherwise what to add
    to "was not written by `register pull`" (empty, or why the file was not even read).

    Read as every file is read: a FIFO or a link to ``/dev/zero`` is refused, not opened,
    and no more is read than a register may hold.
    """
    if not path.exists():
        return None
    try:
        raw = read_regular(path, REGISTER_MAX_BYTES, "the most a register can sensibly hold")
        data = json.loads(raw.decode("utf-8"))
    except Refused as exc:
        return f" ({exc.message})"
    except (UnicodeDecodeError, ValueError, RecursionError):
        return ""
    if isinstance(data, dict) and data.get("pulled_by") == pagerduty.PULL_MARK:
        return None
    return ""


def _replace(path: Path, text: str, root: Path) -> None:
    """Write the register whole, as every command writes a file (a reader, or a failed
    run, never sees half a register; no symbolic link below the project is followed). A
    register named outside the project is the user's explicit choice: its own folder is
    then the root below which no link is followed."""
    absolute = Path(os.path.abspath(path))
    project = Path(os.path.abspath(root))
    base = project if project in absolute.parents else absolute.parent
    replace_file(absolute, text.encode("utf-8"), base)
