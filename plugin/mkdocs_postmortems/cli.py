"""The ``postmortems`` command: the CI gate and the authoring helper.

Exit codes: 0 clean, 1 problems found (or something overdue), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO, TypeVar

from mkdocs_postmortems import __version__, deadlines, git
from mkdocs_postmortems.config import ConfigError, Settings, did_you_mean, load_settings
from mkdocs_postmortems.dates import now as current_time
from mkdocs_postmortems.dates import parse_datetime
from mkdocs_postmortems.findings import Finding, all_rules
from mkdocs_postmortems.knowledge_base import (
    KnowledgeBase,
    display_path,
    find_files,
    load,
    load_changed,
)
from mkdocs_postmortems.reader import is_postmortem_file
from mkdocs_postmortems.schema import front_matter_schema

T = TypeVar("T")
TITLE_LIMIT = 200


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        settings = load_settings(args.config_file)
        result: int = args.run(args, settings)
    except ConfigError as exc:
        print(f"postmortems: configuration error: {exc}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"postmortems: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (``| head``) went away; that is not an error of ours.
        sys.stderr.close()
        return 0
    return result


class UsageError(Exception):
    """Arguments that parse but do not make sense (a missing path, a bad git ref)."""


class _Cancelled(Exception):
    """The author left a question unanswered (end of input or Ctrl-C)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="postmortems",
        description="Validate, scaffold and report on a folder of blameless post-mortems.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config-file",
        type=Path,
        metavar="FILE",
        help="the mkdocs.yml whose 'postmortems' plugin entry holds the settings "
        "(default: ./mkdocs.yml, or the defaults when there is none)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check", parents=[common], help="validate post-mortems (the CI gate)"
    )
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    check.add_argument("--format", choices=("text", "github", "json"), default="text")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--today", type=_day, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    check.add_argument(
        "--changed",
        nargs="?",
        const="",
        metavar="BASE",
        help="check only the post-mortems changed since the merge base with BASE (default: "
        "origin/HEAD, main or master): committed, staged, unstaged or untracked; the "
        "cross-file rules still see every post-mortem",
    )
    check.set_defaults(run=run_check)

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
    new.set_defaults(run=run_new)

    overdue = commands.add_parser(
        "overdue",
        parents=[common],
        help="list overdue write-ups, overdue action items and reviews due",
    )
    overdue.add_argument("--format", choices=("text", "json"), default="text")
    overdue.add_argument("--today", type=_day, metavar="YYYY-MM-DD", help="report as of that day")
    overdue.set_defaults(run=run_overdue)

    schema = commands.add_parser(
        "schema", parents=[common], help="print the JSON Schema of the front matter"
    )
    schema.set_defaults(run=run_schema)

    rules = commands.add_parser("rules", parents=[common], help="list every diagnostic code")
    rules.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="markdown prints the rule reference page (docs/rules.md)",
    )
    rules.set_defaults(run=run_rules)
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date YYYY-MM-DD") from None


def _now(args: argparse.Namespace) -> datetime:
    try:
        return current_time(args.today)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    if args.changed is not None:
        if args.paths:
            raise UsageError("--changed asks git which files to check; give it no PATH")
        kb = _load_changes(settings, args.changed or None)
    elif args.paths:
        missing = [str(p) for p in args.paths if not p.exists()]
        if missing:
            raise UsageError("no such file or folder: " + ", ".join(missing))
        kb = load_changed(settings, find_files(args.paths))
    else:
        kb = load(settings)
    errors, warnings = print_findings(kb.findings, args.format, len(kb.postmortems), sys.stdout)
    failed = errors or (args.strict and warnings)
    return 1 if failed else 0


def _load_changes(settings: Settings, base: str | None) -> KnowledgeBase:
    """The post-mortems git says changed, checked against the whole knowledge base."""
    try:
        changes = git.changes(settings.root, settings.path, base)
    except git.GitError as exc:
        raise UsageError(f"--changed: {exc}") from None
    present = [path for path in changes.present if is_postmortem_file(path)]
    removed = [path.stem for path in changes.deleted if is_postmortem_file(path)]
    return load_changed(settings, present, removed)


def print_findings(findings: list[Finding], fmt: str, files: int, out: TextIO) -> tuple[int, int]:
    """Write the findings in ``fmt``; return the number of errors and of warnings."""
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    if fmt == "json":
        payload = {
            "files": files,
            "errors": errors,
            "warnings": warnings,
            "findings": [
                {
                    "path": f.path,
                    "line": f.line,
                    "col": f.col,
                    "level": f.level,
                    "code": f.code,
                    "message": f.message,
                }
                for f in findings
            ],
        }
        json.dump(payload, out, indent=2)
        out.write("\n")
        return errors, warnings
    for f in findings:
        out.write((_github(f) if fmt == "github" else f.format()) + "\n")
    summary = (
        f"{_plural(files, 'file')} checked: {_plural(errors, 'error')}, "
        f"{_plural(warnings, 'warning')}"
    )
    if fmt == "github":
        print(summary, file=sys.stderr)
    else:
        out.write(("\n" if findings else "") + summary + "\n")
    return errors, warnings


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _github(f: Finding) -> str:
    """A GitHub Actions workflow command, escaped as the runner expects."""
    command = "error" if f.level == "error" else "warning"
    props = (
        f"file={_escape_property(f.path)},line={f.line},col={f.col},"
        f"title={_escape_property(f.code)}"
    )
    return f"::{command} {props}::{_escape_data(f.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def run_overdue(args: argparse.Namespace, settings: Settings) -> int:
    now = _now(args)
    kb = load(settings)
    result = deadlines.report(kb.indexed, settings, now)
    if args.format == "json":
        json.dump(_report_json(result, settings), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_report(result, settings)
    return 1 if result.anything_overdue else 0


def _report_json(result: deadlines.Report, settings: Settings) -> dict[str, Any]:
    def ref(pm: Any) -> dict[str, Any]:
        return {
            "id": pm.id,
            "path": pm.display,
            "title": pm.title,
            "severity": pm.severity,
            "status": pm.status,
            "authors": pm.authors,
        }

    return {
        "now": result.now.isoformat(),
        "overdue": result.anything_overdue,
        "writeups": [
            {**ref(w.postmortem), "deadline": w.deadline.isoformat(), "days_late": w.late_by.days}
            for w in result.writeups
        ],
        "action_items": [
            {
                "postmortem": ref(a.postmortem),
                "action": a.item.action,
                "owner": a.item.owner,
                "due": a.item.due.isoformat() if a.item.due else None,
                "priority": a.item.priority,
                "status": a.item.status,
                "ticket": a.item.ticket,
                "line": a.item.pos.line,
                "days_late": a.days_late,
            }
            for a in result.action_items
        ],
        "reviews_due": [{**ref(r.postmortem), "due": r.due.isoformat()} for r in result.reviews],
        "published_late": [
            {**ref(p.postmortem), "deadline": p.deadline.isoformat(), "days_late": p.days_late}
            for p in result.published_late
        ],
    }


def _print_report(result: deadlines.Report, settings: Settings) -> None:
    tz = settings.tz
    out = sys.stdout
    out.write(f"As of {result.now.astimezone(tz):%Y-%m-%d %H:%M} ({settings.timezone}):\n")
    out.write(f"\nOverdue write-ups ({len(result.writeups)}):\n")
    for w in result.writeups:
        pm = w.postmortem
        out.write(
            f"  {pm.display}: {pm.severity} {pm.status}, due {w.deadline.astimezone(tz):%Y-%m-%d %H:%M}"
            f", {w.late_by.days} days late: {pm.title}\n"
        )
    out.write(f"\nOverdue action items ({len(result.action_items)}):\n")
    for a in result.action_items:
        out.write(
            f"  {a.postmortem.display}:{a.item.pos.line}: {a.item.owner}, due {a.item.due}"
            f" ({a.days_late} days late), {a.item.priority}: {a.item.action}\n"
        )
    out.write(f"\nEffectiveness reviews due ({len(result.reviews)}):\n")
    for r in result.reviews:
        pm = r.postmortem
        out.write(f"  {pm.display}: published {pm.published}, review due {r.due}: {pm.title}\n")
    if result.published_late:
        out.write(f"\nPublished late, for the record ({len(result.published_late)}):\n")
        for p in result.published_late:
            pm = p.postmortem
            out.write(f"  {pm.display}: {pm.severity}, {p.days_late} days late: {pm.title}\n")
    if not result.anything_overdue:
        out.write("\nNothing is overdue.\n")


def run_new(args: argparse.Namespace, settings: Settings) -> int:
    ask = sys.stdin is not None and sys.stdin.isatty()
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
    if args.authors is None:
        authors = tuple(name for name in [git.user_name(settings.root)] if name)
    else:
        authors = _list(args.authors)
    from mkdocs_postmortems.scaffold import Draft, path_for, render_draft, write_new  # Jinja2

    draft = Draft(title, severity, started, services, authors)
    path = path_for(draft, settings)
    shown = display_path(path, os.getcwd())
    try:
        write_new(path, render_draft(draft, settings))
    except FileExistsError:
        print(
            f"postmortems: {shown} already exists and was left untouched; edit it, or give "
            "the new incident a different title",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        raise UsageError(f"cannot write {shown}: {exc.strerror or exc}") from None
    print(shown)
    print(f"Next: edit it, then run `postmortems check {shown}`", file=sys.stderr)
    return 0


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


def run_schema(args: argparse.Namespace, settings: Settings) -> int:
    json.dump(front_matter_schema(settings), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def run_rules(args: argparse.Namespace, settings: Settings) -> int:
    if args.format == "markdown":
        from mkdocs_postmortems.render import rules_reference  # Jinja2 only when needed

        sys.stdout.write(rules_reference())
        return 0
    for rule in all_rules():
        level = settings.level(rule.code, rule.level)
        print(f"{rule.code}  {rule.name:<28} {level:<8} {rule.summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
