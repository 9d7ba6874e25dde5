"""``postmortems check``: the CI gate, and the formats its findings are printed in."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from mkdocs_postmortems.cli import git
from mkdocs_postmortems.cli.common import UsageError, day, now
from mkdocs_postmortems.core.config import EDITIONS, Settings, no_postmortems, require_folder
from mkdocs_postmortems.core.files import Refused, read_file
from mkdocs_postmortems.core.findings import Finding
from mkdocs_postmortems.core.knowledge_base import (
    check_changed,
    check_folder,
    find_files,
    load,
    load_changed,
    read_id,
    resolve_findings,
)
from mkdocs_postmortems.core.pool import available_cpus
from mkdocs_postmortems.core.reader import is_candidate, is_postmortem_file
from mkdocs_postmortems.core.register import add_link_findings
from mkdocs_postmortems.integrations import reports
from mkdocs_postmortems.integrations.register import load_register
from mkdocs_postmortems.rules import RULES, RULESET

if TYPE_CHECKING:
    from mkdocs_postmortems.cli.recurrence import Notice


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    check = commands.add_parser(
        "check", parents=[common], help="validate post-mortems (the CI gate)"
    )
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    check.add_argument(
        "--format", choices=("text", "github", "json", *reports.FORMATS), default="text"
    )
    check.add_argument(
        "--strict",
        action="store_true",
        help="fail on warnings too (the default when mkdocs.yml says strict: true)",
    )
    check.add_argument("--today", type=day, metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    check.add_argument(
        "--changed",
        nargs="?",
        const="",
        metavar="BASE",
        help="check only the post-mortems changed since the merge base with BASE (default: "
        "origin/HEAD, main or master): committed, staged, unstaged or untracked; the "
        "cross-file rules still see every post-mortem",
    )
    check.add_argument(
        "--edition",
        choices=EDITIONS,
        help="check the public edition too: the leak check (PM701-PM707) reports, in the public post-mortems' public text, what looks like it must stay inside",
    )
    check.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="check in N processes side by side (default: one per CPU this process may use; "
        "1 checks in this process alone). Only a run over many files uses more than one",
    )
    check.set_defaults(run=run_check)


def _jobs(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes (1 or more)")
    return count


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    if args.edition:
        settings = replace(settings, edition=args.edition)
    register = load_register(settings)
    changed: list[Path] = []
    removed: list[str] = []
    if args.changed is not None:
        if args.paths:
            raise UsageError("--changed asks git which files to check; give it no PATH")
        changed, removed = _changes(settings, args.changed or None)
    elif args.paths:
        missing = [str(p) for p in args.paths if not p.exists()]
        if missing:
            raise UsageError("no such file or folder: " + ", ".join(missing))
        changed = find_files(args.paths)
    else:
        # The whole knowledge base is expected: a missing or empty folder is a
        # misconfiguration, not a clean run over nothing.
        require_folder(settings)
    whole = args.changed is None and not args.paths
    # mkdocs.yml's ``strict: true`` fails the build on warnings, so it fails the check too.
    strict = args.strict or settings.strict
    if register is None and args.format not in reports.FORMATS:
        # Only findings to print: each file's parse is let go once its checks have run.
        jobs = args.jobs or available_cpus()
        if whole:
            outlines = check_folder(settings, RULESET, jobs)
            if not outlines:
                raise no_postmortems(settings)
        else:
            outlines = check_changed(settings, RULESET, changed, removed, jobs)
        findings = sorted(
            f for o in outlines for f in resolve_findings(o, o.hits, settings, RULESET)
        )
        told = _notices(args, settings, changed)
        errors, warnings = print_findings(findings, args.format, len(outlines), sys.stdout, told)
        return 1 if errors or (strict and warnings) else 0
    # Matching a register's incidents and a report's fingerprints need the files whole.
    kb = load(settings, RULESET) if whole else load_changed(settings, RULESET, changed, removed)
    # With a register, an empty folder is a real state: every incident lacks a write-up.
    if whole and not kb.postmortems and register is None:
        raise no_postmortems(settings)
    findings = kb.findings
    if register is not None:
        add_link_findings(kb.postmortems, register, settings, RULESET)
        findings = sorted([*kb.findings, *register.findings])
    if args.format in reports.FORMATS:
        sys.stdout.write(reports.render(args.format, kb, RULES, now(args), strict=strict))
        errors = sum(f.level == "error" for f in findings)
        warnings = sum(f.level == "warning" for f in findings)
    else:
        told = _notices(args, settings, changed)
        errors, warnings = print_findings(
            findings, args.format, len(kb.postmortems), sys.stdout, told
        )
    failed = errors or (strict and warnings)
    return 1 if failed else 0


def _changes(settings: Settings, base: str | None) -> tuple[list[Path], list[str]]:
    """The post-mortems git says changed, and the ids the change removed: those the merge
    base's version of a deleted or edited file had (its name, or its explicit ``id:``) that
    no changed file has now. The unchanged files that mention one are checked too."""
    try:
        changes = git.changes(settings.root, settings.path, base, settings.max_file_bytes)
    except git.GitError as exc:
        raise UsageError(f"--changed: {exc}") from None
    # Every file the full check would report, `.MD` and names that are not UTF-8 included.
    present = [path for path in changes.present if is_candidate(path.name)]
    before = {path.stem for path in changes.deleted if is_postmortem_file(path)}
    before.update(
        read_id(raw, path.stem, settings)
        for path, raw in changes.earlier.items()
        if is_postmortem_file(path)
    )
    now = set()
    for path in present:
        try:
            now.add(
                read_id(
                    read_file(path, settings.root, settings.max_file_bytes), path.stem, settings
                )
            )
        except Refused:
            continue  # reported when the file is checked
    return present, sorted(before - now)


def _notices(args: argparse.Namespace, settings: Settings, changed: list[Path]) -> list[Notice]:
    """With ``--changed``, what the changed post-mortems repeat (never a failure). Imported
    here: a check of the whole folder never reads the related-incidents index."""
    if args.changed is None:
        return []
    from mkdocs_postmortems.cli import recurrence

    return recurrence.notices(settings, changed)


def print_findings(
    findings: list[Finding],
    fmt: str,
    files: int,
    out: TextIO,
    notices: list[Notice] | None = None,
) -> tuple[int, int]:
    """Write the findings in ``fmt``, then the notices; return the number of errors and of
    warnings (findings of level ``info`` are listed and counted apart, and a notice is
    neither: no run fails on them)."""
    notices = notices or []
    errors = sum(f.level == "error" for f in findings)
    warnings = sum(f.level == "warning" for f in findings)
    notes = len(findings) - errors - warnings
    if fmt == "json":
        payload = {
            "files": files,
            "errors": errors,
            "warnings": warnings,
            "info": notes,
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
        if notices:
            payload["notices"] = [
                {"path": n.path, "line": n.line, "message": n.message} for n in notices
            ]
        json.dump(payload, out, indent=2)
        out.write("\n")
        return errors, warnings
    for f in findings:
        out.write((_github(f) if fmt == "github" else f.format()) + "\n")
    for n in notices:
        if fmt == "github":
            props = f"file={_escape_property(n.path)},line={n.line},title=Similar incident"
            out.write(f"::notice {props}::{_escape_data(n.message)}\n")
        else:
            out.write(f"{n.path}:{n.line}:1: notice {n.message}\n")
    summary = (
        f"{_plural(files, 'file')} checked: {_plural(errors, 'error')}, "
        f"{_plural(warnings, 'warning')}" + (f", {notes} for information" if notes else "")
    )
    if fmt == "github":
        print(summary, file=sys.stderr)
    else:
        out.write(("\n" if findings or notices else "") + summary + "\n")
    return errors, warnings


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _github(f: Finding) -> str:
    """A GitHub Actions workflow command, escaped as the runner expects."""
    command = {"error": "error", "warning": "warning"}.get(f.level, "notice")
    props = (
        f"file={_escape_property(f.path)},line={f.line},col={f.col},"
        f"title={_escape_property(f.code)}"
    )
    return f"::{command} {props}::{_escape_data(f.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
