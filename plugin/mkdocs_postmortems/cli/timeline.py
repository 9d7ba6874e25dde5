"""``postmortems timeline``: Timeline rows drafted from the exports a team already has.

Exit codes: 0 every source was read, 1 a source could not be read (each one says why, as
``path: error reason``; with ``--into`` nothing is written then), 2 usage: a source or a
post-mortem that does not exist, a bad time or zone. The post-mortem given to ``--into`` is
written only when a row was added, atomically, never through a symbolic link; the proposed
moments are printed for the author to confirm, never written.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import stat
import sys
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs_postmortems.cli import git
from mkdocs_postmortems.cli.common import UsageError
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import parse_date, parse_datetime
from mkdocs_postmortems.core.files import Refused, printable_path, read_file
from mkdocs_postmortems.core.knowledge_base import display_path
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.reader import read_text, without_bom
from mkdocs_postmortems.core.timeline_events import Event, Moment, in_window, moments, select
from mkdocs_postmortems.core.timeline_merge import (
    HEADER,
    Merge,
    draft_table,
    event_cell,
    merge_rows,
    new_table_lines,
    one_line,
)
from mkdocs_postmortems.importers.times import declared_tz, read_clock, read_day
from mkdocs_postmortems.integrations.timeline import ExportError, Options, read_source
from mkdocs_postmortems.integrations.timeline.changes import Fields, git_log
from mkdocs_postmortems.integrations.timeline.chat import ChatTime
from mkdocs_postmortems.integrations.timeline.slack import DEFAULT_REACTIONS
from mkdocs_postmortems.rules import RULESET
from mkdocs_postmortems.rules.timeline import timeline_zone

_BOM = b"\xef\xbb\xbf"


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "timeline",
        parents=[common],
        help="draft Timeline rows from a Slack export, chat logs, pages, alerts and deploys",
    )
    parser.add_argument(
        "sources",
        nargs="*",
        type=Path,
        metavar="SOURCE",
        help="exports: a Slack export (zip or folder), a chat log, PagerDuty, incident.io or "
        "Opsgenie JSON, Alertmanager or Grafana payloads, GitHub deployments, `git log` "
        "output, a CSV or JSON Lines file",
    )
    parser.add_argument("--channel", metavar="NAME", help="the channel of a Slack export")
    parser.add_argument(
        "--reaction",
        action="append",
        metavar="EMOJI",
        help="a reaction that marks a Slack message for the timeline (repeatable; default: "
        + ", ".join(DEFAULT_REACTIONS)
        + ")",
    )
    parser.add_argument("--since", metavar="T", help="leave out events before T (ISO 8601)")
    parser.add_argument("--until", metavar="T", help="leave out events after T (ISO 8601)")
    parser.add_argument(
        "--zone",
        metavar="TZ",
        help="the zone of times written without one in chat logs and CSV files "
        "(default: the configured timezone)",
    )
    parser.add_argument("--git", type=Path, metavar="REPO", help="add the commits of REPO")
    parser.add_argument(
        "--git-range", metavar="RANGE", help="the revisions of --git (default: its branch)"
    )
    parser.add_argument(
        "--git-path", action="append", default=[], metavar="PATH", help="limit --git to PATH"
    )
    parser.add_argument("--time-field", default="", metavar="NAME", help="CSV/JSON Lines time")
    parser.add_argument("--text-field", default="", metavar="NAME", help="CSV/JSON Lines text")
    parser.add_argument("--actor-field", default="", metavar="NAME", help="CSV/JSON Lines actor")
    parser.add_argument(
        "--into", type=Path, metavar="FILE", help="merge the rows into this post-mortem"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="with --into: print the rows it would add"
    )
    parser.add_argument(
        "--all", action="store_true", help="keep every message, not only the signal"
    )
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    parser.set_defaults(run=run_timeline)
    _intermixed(parser)


def _intermixed(parser: argparse.ArgumentParser) -> None:
    """Let sources come before and after options (``export.zip --channel inc pd.json``),
    as people name exports while they think of them. argparse reads a command's arguments
    through ``parse_known_args``; this one reads them intermixed, calling the plain method
    for the passes it makes itself."""
    plain = parser.parse_known_args

    def parse(args: Any = None, namespace: Any = None) -> tuple[argparse.Namespace, list[str]]:
        setattr(parser, "parse_known_args", plain)  # noqa: B010
        try:
            return parser.parse_known_intermixed_args(args, namespace)
        finally:
            setattr(parser, "parse_known_args", parse)  # noqa: B010

    setattr(parser, "parse_known_args", parse)  # noqa: B010


def read_chat_time(text: str) -> ChatTime | None:
    """The one place the times of plain-text chat logs are read: the clock at the start of
    ``text``, or else a day and a zone named in it. Moving to another reader of times is a
    change of this function's import."""
    clock = read_clock(text)
    if clock is not None:
        return ChatTime(clock.at, clock.day, clock.tz, clock.end)
    day, zone = read_day(text), declared_tz(text)
    if day is None and zone is None:
        return None
    return ChatTime(None, day, zone, 0)


@dataclass
class _Drafted:
    """The events read from every source, and which sources failed."""

    events: list[Event] = field(default_factory=list)
    failed: int = 0


def run_timeline(args: argparse.Namespace, settings: Settings) -> int:
    if not args.sources and args.git is None:
        raise UsageError("timeline: give at least one SOURCE, or --git REPO")
    zone = _zone(args.zone) if args.zone else settings.tz
    since = _moment(args.since, zone, "--since", end_of_day=False)
    until = _moment(args.until, zone, "--until", end_of_day=True)
    drafted = _read_all(args, zone, since, until)
    window = in_window(drafted.events, since, until)
    kept = select(window, keep_all=args.all)
    proposed = moments(window)
    if args.into is not None:
        return _merge_into(args, settings, kept, proposed, drafted.failed)
    tz = settings.tz
    if args.format == "json":
        _dump({"rows": draft_table(kept, tz)[2:], **_as_json(kept, proposed, tz)})
    else:
        sys.stdout.write("".join(f"{line}\n" for line in draft_table(kept, tz)))
        _print_moments(sys.stderr, proposed, tz, None)
    return 1 if drafted.failed else 0


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"timeline: --zone: unknown timezone '{name}' (an IANA name)") from None


def _moment(text: str | None, tz: tzinfo, option: str, end_of_day: bool) -> datetime | None:
    """A ``--since``/``--until`` value: a date and time, or a day (its start or its end)."""
    if text is None:
        return None
    try:
        if len(text.strip()) == 10:
            day = parse_date(text.strip())
            at = datetime.combine(day, time(), tzinfo=tz)
            return at + timedelta(days=1, microseconds=-1) if end_of_day else at
        return parse_datetime(text, tz)
    except ValueError as exc:
        raise UsageError(f"timeline: {option}: {exc}") from None


def _read_all(
    args: argparse.Namespace, zone: tzinfo, since: datetime | None, until: datetime | None
) -> _Drafted:
    options = Options(
        tz=zone,
        read_time=read_chat_time,
        channel=args.channel,
        reactions=tuple(args.reaction or DEFAULT_REACTIONS),
        day=since.astimezone(zone).date() if since else None,
        window=(
            since.astimezone(timezone.utc).date() if since else None,
            until.astimezone(timezone.utc).date() if until else None,
        ),
        fields=Fields(args.time_field, args.text_field, args.actor_field),
    )
    drafted = _Drafted()
    for path in args.sources:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"timeline: {printable_path(path)}: no such file or folder")
        try:
            drafted.events.extend(read_source(path, options))
        except ExportError as exc:
            _error(path, str(exc))
            drafted.failed += 1
    if args.git is not None:
        if not args.git.is_dir():
            raise UsageError(f"timeline: --git {printable_path(args.git)}: no such folder")
        try:
            text = git.log(
                args.git, args.git_range, args.git_path, _git_time(since), _git_time(until)
            )
            drafted.events.extend(git_log(text, zone))
        except (git.GitError, ExportError) as exc:
            _error(args.git, str(exc))
            drafted.failed += 1
    return drafted


def _git_time(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def _error(path: Path, message: str) -> None:
    # The reason may quote the export (a channel's name): no control character reaches
    # the terminal.
    print(f"{printable_path(path)}: error {one_line(message, 1000)}", file=sys.stderr)


def _merge_into(
    args: argparse.Namespace,
    settings: Settings,
    kept: list[Event],
    proposed: list[Moment],
    failed: int,
) -> int:
    path: Path = args.into
    shown = display_path(path, os.getcwd())
    original, text = _read_postmortem(path, settings)
    pm = _parsed(path, shown, text, settings)
    lines = text.split("\n")
    merge = _merge(pm, lines, kept, settings)
    write = merge.changed and not args.dry_run and not failed
    if write:
        _write(path, original, merge.lines)
    if args.format == "json":
        _dump(
            {
                "file": shown,
                "written": write,
                "added": merge.added,
                "duplicates": merge.duplicates,
                "refused": merge.refused,
                **_as_json(kept, proposed, pm.tz),
            }
        )
    else:
        _report(shown, merge, args.dry_run, failed)
        _print_moments(sys.stdout, proposed, pm.tz, pm)
    return 1 if failed else 0


def _read_postmortem(path: Path, settings: Settings) -> tuple[bytes, str]:
    if path.is_symlink():
        raise UsageError(
            f"timeline: --into {path}: a symbolic link; only a regular file is written"
        )
    if not path.exists():
        raise UsageError(f"timeline: --into {path}: no such file")
    try:
        raw = read_file(path, settings.root, settings.max_file_bytes)
    except Refused as exc:
        raise UsageError(f"timeline: --into {path}: {exc.message}") from None
    try:
        text = without_bom(raw).decode()
    except UnicodeDecodeError:
        raise UsageError(f"timeline: --into {path}: not UTF-8; run postmortems check") from None
    return raw, text.replace("\r\n", "\n")


def _parsed(path: Path, shown: str, text: str, settings: Settings) -> PostMortem:
    pm = PostMortem(path=path, display=shown, id=path.stem)
    read_text(pm, text, settings, RULESET)
    if pm.body is None:
        raise UsageError(f"timeline: --into {shown}: its front matter cannot be read; run check")
    if pm.body.section("Timeline") is None:
        raise UsageError(f"timeline: --into {shown}: no '## Timeline' section to merge into")
    return pm


def _merge(pm: PostMortem, lines: list[str], kept: list[Event], settings: Settings) -> Merge:
    """The merge of ``kept`` into the post-mortem's Timeline table; a section without a
    table gets an empty one first, read again so its rows have their places."""
    assert pm.body is not None
    section = pm.body.section("Timeline")
    assert section is not None
    table = section.table()
    if table is None:
        header = ["| " + " | ".join(HEADER) + " |", "|------|-------|-------|"]
        lines = new_table_lines(lines, section, header)
        pm = _parsed(pm.path, pm.display, "\n".join(lines), settings)
        return _merge(pm, lines, kept, settings)
    times = {entry.pos.line: entry.at for entry in pm.timeline}
    # Rows go in the zone the table declares ("Time (PST)"), as the checker reads them.
    return merge_rows(lines, table, times, kept, timeline_zone(pm))


def _write(path: Path, original: bytes, lines: list[str]) -> None:
    """The new text, in the file's own line endings and byte-order mark, written to a
    temporary file beside it and renamed over it: a reader never sees half a file."""
    newline = "\r\n" if b"\r\n" in original else "\n"
    data = newline.join(lines).encode()
    if original.startswith(_BOM):
        data = _BOM + data
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        mode = stat.S_IMODE(os.lstat(path).st_mode)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        if path.is_symlink():
            raise UsageError(f"timeline: --into {path}: became a symbolic link; not written")
        os.replace(temporary, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if temporary.exists():
            temporary.unlink()


def _report(shown: str, merge: Merge, dry_run: bool, failed: int) -> None:
    out = sys.stdout
    verb = "would add" if dry_run or (failed and merge.changed) else "added"
    out.write(f"{shown}: {verb} {len(merge.added)} rows; {merge.duplicates} already there\n")
    for row in merge.added:
        out.write(f"  {row}\n")
    for reason in merge.refused:
        out.write(f"  not added: {reason}\n")
    if failed and merge.changed and not dry_run:
        out.write("  nothing written: a source could not be read (see above)\n")


def _print_moments(out: Any, proposed: list[Moment], tz: tzinfo, pm: PostMortem | None) -> None:
    if not proposed:
        return
    out.write("\nProposed moments (confirm them, then set them in the front matter yourself):\n")
    for moment in proposed:
        line = f"  {moment.name + ':':<10}{_iso(moment.at, tz)}  from {moment.because.source}: "
        line += one_line(moment.because.text, 80)
        written = getattr(pm, moment.name, None) if pm is not None else None
        if isinstance(written, datetime):
            same = _minute(written) == _minute(moment.at)
            line += " (as in the front matter)" if same else f" (front matter: {_iso(written, tz)})"
        out.write(line + "\n")


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


def _iso(at: datetime, tz: tzinfo) -> str:
    text = at.astimezone(tz).replace(microsecond=0).isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def _as_json(kept: list[Event], proposed: list[Moment], tz: tzinfo) -> dict[str, Any]:
    return {
        "events": [
            {
                "at": _iso(e.at, tz),
                "text": e.text,
                "actor": e.actor,
                "source": e.source,
                "kind": e.kind,
                "cell": event_cell(e),
            }
            for e in kept
        ],
        "moments": {m.name: {"at": _iso(m.at, tz), "source": m.because.source} for m in proposed},
    }


def _dump(data: dict[str, Any]) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
