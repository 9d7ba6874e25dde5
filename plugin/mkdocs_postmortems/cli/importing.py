"""``postmortems import``: existing write-ups brought into the knowledge base, as new files.

Exit codes: 0 every source was imported (or had been already), 1 a source could not be
imported (the report says why), 2 usage: a source that does not exist, ``--to`` outside the
project. A file is never overwritten: a source imported before is reported as such and
skipped, so running the same import twice is safe. A source is known by its path below the
folder named on the command line (a file named directly: by its name), recorded in the
``imported:`` marker of the file it became.

Sources come from outside the project and are read as untrusted: a symbolic link is never
followed (it could lead to a credentials file or ``/proc/self/environ``, whose text would
be copied into the knowledge base), only regular files are read, through the core's one
reading function, and every word of the report is made printable.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs_postmortems.cli.common import UsageError
from mkdocs_postmortems.cli.scaffold import write_new
from mkdocs_postmortems.core import frontmatter
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.files import (
    TOO_LARGE,
    NotWritten,
    Refused,
    is_utf8_name,
    read_file,
    writable,
)
from mkdocs_postmortems.core.findings import printable
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
    """The imported files already in the target folders, by the name of the source file
    they came from (the last part of their ``imported:`` marker)."""

    by_name: dict[str, list[Path]]

    @classmethod
    def scan(cls, settings: Settings, *folders: Path) -> _Existing:
        found: dict[str, list[Path]] = {}
        paths = {p for folder in folders if folder.is_dir() for p in folder.rglob("*.md")}
        for path in sorted(paths):
            try:
                raw = read_file(path, settings.root, settings.max_file_bytes)
                marker = imported_from(raw.decode("utf-8"))
            except (Refused, UnicodeDecodeError):
                continue  # not ours to judge here; check reports it
            if marker and not path.is_symlink():
                found.setdefault(PurePosixPath(marker).name, []).append(path)
        return cls(found)

    def match(self, found: _Found, conversion: Conversion, settings: Settings) -> Path | None:
        """The file this source became in an earlier run: one whose marker names a source
        of the same name, and whose own name says the same day and title (``-2`` aside).

        The name alone is not enough (``2019/postmortem.md`` and ``2020/postmortem.md``), nor
        is the path below the folder named (``import old`` after ``import old/2019``); the
        day and title also keep markers written before the path was recorded working.
        """
        day = conversion.started.astimezone(settings.tz).date()
        stem = postmortem_path(Path(), day, conversion.title).stem
        for path in self.by_name.get(PurePosixPath(found.key).name, []):
            if path.stem == stem or re.fullmatch(re.escape(stem) + r"-\d+", path.stem):
                return path
        return None


@dataclass(frozen=True)
class _Found:
    """A source file to import, and the key it is known by (its path below the folder
    named, or its name when named directly)."""

    path: Path
    key: str


@dataclass
class _Walk:
    """What the sources named on the command line hold."""

    files: list[_Found]
    skipped: list[Path]
    refused: list[tuple[Path, str]]


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    target = _target(args.to, settings)
    walk = _sources(args.sources)
    taken = {found.path for found in walk.files}
    skipped = [path for path in walk.skipped if path not in taken]
    # Both: an earlier import may have gone to the post-mortem folder or to another --to.
    existing = _Existing.scan(settings, target, settings.path)
    cwd = os.getcwd()
    reports = [Report(display_path(path, cwd), outcome="skipped") for path in skipped]
    for report in reports:
        report.kept.append("not a .md, .markdown, .html or .htm file; name it to import it")
    for path, why in walk.refused:
        reports.append(Report(display_path(path, cwd), outcome="failed", to_complete=[why]))
    written: set[Path] = set()
    planned = [
        (found, *_import_one(found, target, existing, written, settings)) for found in walk.files
    ]
    _check_writable(planned, settings)  # a dry run says so too
    for found, report, text in planned:
        if text is not None and not args.dry_run:
            _write(report, text, settings)
        report.source = display_path(found.path, cwd)
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
        raise UsageError(printable(f"import: --to {to} is outside the project ({root})"))
    return target


_LINK = "a symbolic link: links are not followed; name the file it points to"
_FOLDER_LINK = "a symbolic link to a folder: links are not followed; name the folder it points to"


def _sources(given: list[Path]) -> _Walk:
    """The files to import, those found in folders that are not write-ups, and the paths
    refused unread (links, FIFOs and devices, folders that cannot be listed)."""
    walk = _Walk([], [], [])
    for path in given:
        try:
            info = path.lstat()
        except OSError:
            raise UsageError(f"import: {printable(str(path))}: no such file or folder") from None
        if stat.S_ISLNK(info.st_mode):
            walk.refused.append((path, _FOLDER_LINK if path.is_dir() else _LINK))
        elif stat.S_ISDIR(info.st_mode):
            _walk_folder(path, walk)
        elif stat.S_ISREG(info.st_mode):
            walk.files.append(_Found(path, path.name))
        else:
            walk.refused.append((path, _not_regular(info.st_mode)))
    return walk


def _walk_folder(root: Path, walk: _Walk) -> None:
    def unreadable(error: OSError) -> None:
        reason = (error.strerror or str(error)).lower()
        walk.refused.append((Path(error.filename or root), f"folder not read: {reason}"))

    for folder, dirs, names in os.walk(root, onerror=unreadable):
        kept = []
        for name in sorted(dirs):
            if name.startswith("."):
                continue
            if os.path.islink(os.path.join(folder, name)):
                walk.refused.append((Path(folder, name), _FOLDER_LINK))
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(folder, name)
            if not name.lower().endswith(SUFFIXES) or name == "README.md":
                walk.skipped.append(path)
                continue
            try:
                mode = path.lstat().st_mode
            except OSError as exc:
                walk.refused.append((path, f"cannot read it: {(exc.strerror or str(exc)).lower()}"))
                continue
            if stat.S_ISLNK(mode):
                walk.refused.append((path, _LINK))
            elif not stat.S_ISREG(mode):
                walk.refused.append((path, _not_regular(mode)))
            else:
                walk.files.append(_Found(path, path.relative_to(root).as_posix()))


def _not_regular(mode: int) -> str:
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
    return f"not a regular file ({kind}); not read"


def _import_one(
    found: _Found,
    target: Path,
    existing: _Existing,
    written: set[Path],
    settings: Settings,
) -> tuple[Report, str | None]:
    """The report on one source and the text to write, None when nothing is to be written."""
    path = found.path
    try:
        if not is_utf8_name(found.key):
            # It would be the imported: marker, and YAML holds only text.
            raise SourceError("the file name is not UTF-8; rename it to import it")
        text = _read(path)
        conversion = convert(read_source(found.key, text), settings)
        _parses_back(conversion.text, found.key)
    except SourceError as exc:
        return Report(str(path), outcome="failed", to_complete=[str(exc)]), None
    except (RecursionError, OverflowError) as exc:
        # Every known shape of this is refused with its own reason above; this is the net
        # under them, so one source never stops the run after others were written.
        why = f"the importer cannot read it ({type(exc).__name__}: {exc})"
        return Report(str(path), outcome="failed", to_complete=[why]), None
    report = conversion.report
    before = existing.match(found, conversion, settings)
    if before is not None:
        report.target = str(before)
        report.outcome = "already-imported"
        return report, None
    try:
        destination = _free_path(conversion, target, written, settings)
    except SourceError as exc:
        report.outcome = "failed"
        report.to_complete.append(str(exc))
        return report, None
    report.target = str(destination)
    written.add(destination)
    report.outcome = "would-import"
    return report, conversion.text


def _check_writable(planned: list[tuple[_Found, Report, str | None]], settings: Settings) -> None:
    """Every file is checked before the first is written: a year folder that is a link out
    of the project stops the import with nothing written."""
    for _, report, text in planned:
        if text is not None:
            try:
                writable(report.target, settings.root)
            except NotWritten as exc:
                raise UsageError(printable(f"import: nothing written: {exc}")) from None


def _write(report: Report, text: str, settings: Settings) -> None:
    destination = Path(report.target)
    try:
        write_new(destination, text, settings.root)
    except FileExistsError:
        report.outcome = "failed"
        report.to_complete.append(f"{destination} appeared while importing; left untouched")
        return
    except NotWritten as exc:
        raise UsageError(printable(f"import: not written: {exc}")) from None
    except OSError as exc:
        reason = exc.strerror or exc
        raise UsageError(f"cannot write {printable(str(destination))}: {reason}") from None
    report.outcome = "imported"


def _read(path: Path) -> str:
    """The text of a regular file, at most MAX_BYTES of it, read without following links
    and without blocking (the core's one reading function)."""
    try:
        if path.is_symlink():
            raise SourceError(_LINK)
        raw = read_file(path, path.parent, MAX_BYTES)
        return raw.decode("utf-8")
    except Refused as exc:
        if exc.code == TOO_LARGE.code:
            raise SourceError(f"larger than {MAX_BYTES // 1_000_000} MB; not a write-up") from None
        raise SourceError(exc.message) from None
    except UnicodeDecodeError:
        raise SourceError("not UTF-8 text; convert it first (iconv -t utf-8)") from None


def _parses_back(text: str, key: str) -> None:
    """The converted file's front matter reads back with the checker's reader, and its
    ``imported:`` marker names the source exactly (what tells a later run it was imported);
    a file that would not is never written."""
    cut, problem = frontmatter.split(text)
    if problem is not None or cut.yaml_text is None:
        raise SourceError("the converted file has no front matter; not written")
    front, hits = frontmatter.parse(cut.yaml_text, cut.closing_line)
    if front is None:
        why = hits[0].message if hits else "not a mapping"
        raise SourceError(f"the converted front matter does not read back ({why}); not written")
    if front.data.get("imported") != key:
        raise SourceError("the converted imported: marker does not read back; not written")


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
    """The text report. Titles, paths and messages carry the sources' text: each line is
    made printable, so no escape sequence or line break of theirs reaches the terminal."""
    out = sys.stdout

    def line(text: str) -> None:
        out.write(printable(text) + "\n")

    for report in reports:
        arrow = f" -> {report.target}" if report.target else ""
        line(f"{report.source}: {_VERBS[report.outcome]}{arrow}")
        if report.outcome in ("imported", "would-import"):
            line(
                f"  words kept: {report.words_kept} of {report.words}; timeline rows: "
                f"{report.timeline_rows}; action items: {report.action_items}"
            )
            if report.lost:
                line(f"  words not found in the result: {' '.join(report.lost)}")
        for title, items in (("mapped", report.mapped), ("kept as written", report.kept)):
            if items and report.outcome != "already-imported":
                line(f"  {title}:")
                for item in items:
                    line(f"    - {item}")
        if report.to_complete and report.outcome != "already-imported":
            label = "why" if report.outcome == "failed" else "to complete by hand (marked TBD)"
            line(f"  {label}:")
            for item in report.to_complete:
                line(f"    - {item}")
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.outcome] = counts.get(report.outcome, 0) + 1
    summary = ", ".join(f"{n} {_VERBS[k]}" for k, n in counts.items())
    out.write(f"\n{summary or 'nothing to import'}.")
    if dry_run:
        out.write(" Dry run: nothing was written.")
    out.write(" Next: `postmortems check` lists what is marked TBD.\n")
