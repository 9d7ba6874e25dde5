"""``postmortems import``: existing write-ups brought into the knowledge base, as new files.

Exit codes: 0 every source was imported (or had been already), 1 a source could not be
imported (the report says why), 2 usage: a source that does not exist, ``--to`` outside the
project. A file is never overwritten: a source imported before is reported as such and
skipped, so running the same import twice is safe.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs_postmortems.cli.common import UsageError
from mkdocs_postmortems.cli.scaffold import write_new
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.files import NotWritten, writable
from mkdocs_postmortems.core.knowledge_base import display_path, postmortem_path
from mkdocs_postmortems.importers.convert import Conversion, Report, convert
from mkdocs_postmortems.importers.sources import SourceError, imported_from, read_source

SUFFIXES = (".md", ".markdown", ".html", ".htm")
# Larger than any write-up; a bigger file is an attachment or a data dump, not prose.
MAX_BYTES = 2_000_000
# A title and day shared by several sources get -2, -3...; past this, something is wrong.
MAX_NAMESAKES = 20


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "import",
        parents=[common],
        help="bring existing write-ups (Markdown, Confluence or Google Docs HTML) into the format",
    )
    parser.add_argument(
        "sources",
        nargs="+",
        type=Path,
        metavar="SOURCE",
        help="files, or folders whose .md, .markdown, .html and .htm files are imported",
    )
    parser.add_argument(
        "--to",
        type=Path,
        metavar="DIR",
        help="where to write, inside the project (default: the configured folder); files go "
        "in a folder per year, as `postmortems new` writes them",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would be written; write nothing"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run_import)


@dataclass
class _Existing:
    """The imported files already in the target folder, by the source they came from."""

    by_source: dict[str, Path]

    @classmethod
    def scan(cls, *folders: Path) -> _Existing:
        found: dict[str, Path] = {}
        for path in sorted(
            {p for folder in folders if folder.is_dir() for p in folder.rglob("*.md")}
        ):
            if path.is_file():
                try:
                    name = imported_from(path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    continue
                if name:
                    found.setdefault(name, path)
        return cls(found)


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    target = _target(args.to, settings)
    files, skipped = _sources(args.sources)
    skipped = [path for path in skipped if path not in files]
    # Both: an earlier import may have gone to the post-mortem folder or to another --to.
    existing = _Existing.scan(target, settings.path)
    cwd = os.getcwd()
    reports = [Report(display_path(path, cwd), outcome="skipped") for path in skipped]
    for report in reports:
        report.kept.append("not a .md, .markdown, .html or .htm file; name it to import it")
    written: set[Path] = set()
    planned = [(path, *_import_one(path, target, existing, written, settings)) for path in files]
    _check_writable(planned, settings)  # a dry run says so too
    for path, report, text in planned:
        if text is not None and not args.dry_run:
            _write(report, text, settings)
        report.source = display_path(path, cwd)
        if report.target:
            report.target = display_path(Path(report.target), cwd)
        reports.append(report)
    if args.format == "json":
        json.dump(_as_json(reports, args.dry_run), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print(reports, args.dry_run)
    return 1 if any(r.outcome == "failed" for r in reports) else 0


def _target(to: Path | None, settings: Settings) -> Path:
    root = settings.root.resolve()
    target = (to if to is not None else settings.path).resolve()
    if target != root and root not in target.parents:
        raise UsageError(f"import: --to {to} is outside the project ({root})")
    return target


def _sources(given: list[Path]) -> tuple[list[Path], list[Path]]:
    """The files to import, and those found in folders that are not write-ups."""
    files: list[Path] = []
    skipped: list[Path] = []
    for path in given:
        if path.is_dir():
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    if name.lower().endswith(SUFFIXES) and name != "README.md":
                        files.append(Path(folder, name))
                    else:
                        skipped.append(Path(folder, name))
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"import: {path}: no such file or folder")
    return files, skipped


def _import_one(
    path: Path,
    target: Path,
    existing: _Existing,
    written: set[Path],
    settings: Settings,
) -> tuple[Report, str | None]:
    """The report on one source and the text to write, None when nothing is to be written."""
    try:
        text = _read(path)
        conversion = convert(read_source(path.name, text), settings)
    except SourceError as exc:
        return Report(str(path), outcome="failed", to_complete=[str(exc)]), None
    report = conversion.report
    before = existing.by_source.get(path.name)
    if before is not None:
        report.target = str(before)
        report.outcome = "already-imported"
        return report, None
    destination = _free_path(conversion, target, written, settings)
    report.target = str(destination)
    written.add(destination)
    report.outcome = "would-import"
    return report, conversion.text


def _check_writable(planned: list[tuple[Path, Report, str | None]], settings: Settings) -> None:
    """Every file is checked before the first is written: a year folder that is a link out
    of the project stops the import with nothing written."""
    for _, report, text in planned:
        if text is not None:
            try:
                writable(report.target, settings.root)
            except NotWritten as exc:
                raise UsageError(f"import: nothing written: {exc}") from None


def _write(report: Report, text: str, settings: Settings) -> None:
    destination = Path(report.target)
    try:
        write_new(destination, text, settings.root)
    except FileExistsError:
        report.outcome = "failed"
        report.to_complete.append(f"{destination} appeared while importing; left untouched")
        return
    except NotWritten as exc:
        raise UsageError(f"import: not written: {exc}") from None
    except OSError as exc:
        raise UsageError(f"cannot write {destination}: {exc.strerror or exc}") from None
    report.outcome = "imported"


def _read(path: Path) -> str:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SourceError("not a regular file")
        if info.st_size > MAX_BYTES:
            raise SourceError(f"larger than {MAX_BYTES // 1_000_000} MB; not a write-up")
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise SourceError("not UTF-8 text; convert it first (iconv -t utf-8)") from None
    except OSError as exc:
        raise SourceError(f"cannot read it: {exc.strerror or exc}") from None


def _free_path(
    conversion: Conversion, target: Path, written: set[Path], settings: Settings
) -> Path:
    """The file name the write-up gets; a taken name gets ``-2``, ``-3``...: never overwrite."""
    day = conversion.started.astimezone(settings.tz).date()
    for number in range(1, MAX_NAMESAKES + 1):
        suffix = f"-{number}" if number > 1 else ""
        path = postmortem_path(target, day, conversion.title, suffix)
        if not path.exists() and path not in written:
            if suffix:
                conversion.report.mapped.append(
                    f"file name: '{path.name}' (the plain name was taken)"
                )
            return path
    raise SourceError(f"{MAX_NAMESAKES} files already have this day and title")


def _as_json(reports: list[Report], dry_run: bool) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.outcome] = counts.get(report.outcome, 0) + 1
    total = sum(r.words for r in reports)
    return {
        "dry_run": dry_run,
        "counts": counts,
        "words": total,
        "words_kept": sum(r.words_kept for r in reports),
        "files": [r.as_json() for r in reports],
    }


_VERBS = {
    "imported": "imported",
    "would-import": "would import",
    "already-imported": "already imported, skipped",
    "failed": "NOT imported",
    "skipped": "skipped",
}


def _print(reports: list[Report], dry_run: bool) -> None:
    out = sys.stdout
    for report in reports:
        arrow = f" -> {report.target}" if report.target else ""
        out.write(f"{report.source}: {_VERBS[report.outcome]}{arrow}\n")
        if report.outcome in ("imported", "would-import"):
            out.write(
                f"  words kept: {report.words_kept} of {report.words}; timeline rows: "
                f"{report.timeline_rows}; action items: {report.action_items}\n"
            )
            if report.lost:
                out.write(f"  words not found in the result: {' '.join(report.lost)}\n")
        for title, lines in (("mapped", report.mapped), ("kept as written", report.kept)):
            if lines and report.outcome != "already-imported":
                out.write(f"  {title}:\n" + "".join(f"    - {line}\n" for line in lines))
        if report.to_complete and report.outcome != "already-imported":
            label = "why" if report.outcome == "failed" else "to complete by hand (marked TBD)"
            out.write(f"  {label}:\n" + "".join(f"    - {line}\n" for line in report.to_complete))
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.outcome] = counts.get(report.outcome, 0) + 1
    summary = ", ".join(f"{n} {_VERBS[k]}" for k, n in counts.items())
    out.write(f"\n{summary or 'nothing to import'}.")
    if dry_run:
        out.write(" Dry run: nothing was written.")
    out.write(" Next: `postmortems check` lists what is marked TBD.\n")
