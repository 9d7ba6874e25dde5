"""Reading one file into a :class:`PostMortem`: decoding, naming, front matter, body, and the
file checks of the :class:`~mkdocs_postmortems.core.checks.Ruleset` it is given."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from pathlib import Path

from mkdocs_postmortems.core import frontmatter
from mkdocs_postmortems.core.checks import Ruleset
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.fields import ignore_problem, read_fields
from mkdocs_postmortems.core.files import (
    FOLDER_NOT_READ,
    MARKDOWN_NAME,
    MARKDOWN_SUFFIXES,
    NAME_NOT_UTF8,
    OUTSIDE_PROJECT,
    Refused,
    inside,
    is_utf8_name,
    read_file,
)
from mkdocs_postmortems.core.findings import Hit, Position, define
from mkdocs_postmortems.core.markdown import html_comments, read_body
from mkdocs_postmortems.core.model import PostMortem

FILE_NAME = define(
    "PM001",
    "file-name",
    "The file name is not `YYYY-MM-DD-slug.md`.",
    why="The name is the post-mortem's default id and URL, and the date in it sorts the folder "
    "the way the incidents happened.",
    fix="Rename the file to the incident's start date and a lowercase slug of letters, digits "
    "and single hyphens, e.g. `2026-03-04-checkout-config-push.md`.",
)
FILE_DATE = define(
    "PM002",
    "file-name-date",
    "The date in the file name is not the date of `started`.",
    why="Someone browsing the folder trusts the date in the name.",
    fix="Rename the file, or correct `started`. The date is taken in the file's `timezone` key, "
    "or else in the configured `timezone` option.",
)
NOT_UTF8 = define(
    "PM003",
    "not-utf8",
    "The file is not valid UTF-8.",
    why="Every tool in the chain (git, MkDocs, search) expects UTF-8; other encodings render as "
    "garbage.",
    fix="Re-save the file as UTF-8 (a byte-order mark is tolerated).",
)

_BOM = b"\xef\xbb\xbf"
_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md")
_SILENCE = re.compile(
    r"\s*postmortems:\s*ignore(?P<file>-file)?\s+"
    r"(?P<codes>[A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)(?![A-Za-z0-9])(?P<reason>.*)",
    re.DOTALL,
)


def is_postmortem_file(path: Path) -> bool:
    """Every ``.md`` file is a post-mortem, except ``README.md`` and names starting with ``_``."""
    return path.suffix == ".md" and path.name != "README.md" and not path.name.startswith("_")


def is_ignored_name(name: str) -> bool:
    """Names the folder may hold that are not post-mortems: ``README.md`` and ``_*`` files.

    Every other Markdown-looking name is a post-mortem, or a finding (:data:`MARKDOWN_NAME`);
    files of other kinds (images, attachments) are assets.
    """
    return name.startswith("_") or name == "README.md"


def is_candidate(name: str) -> bool:
    """Whether a file name in the folder must become a post-mortem or a finding."""
    if is_ignored_name(name):
        return False
    return name.lower().endswith(MARKDOWN_SUFFIXES) or not is_utf8_name(name)


def read_postmortem(path: Path, display: str, settings: Settings, ruleset: Ruleset) -> PostMortem:
    """Read and check one file; every problem becomes a hit, never an exception.

    A path that cannot be a post-mortem (a folder the walk could not enter, a name that is
    not UTF-8 or not ``.md``, a link out of the project, a FIFO, a huge file) is *refused*:
    it gets one finding and no page, and its bytes are never read.
    """
    pm = PostMortem(path=path, display=display, id=path.stem)
    refusal = _refusal(path, settings)
    raw = b""
    if refusal is None:
        try:
            raw = read_file(path, settings.root, settings.max_file_bytes)
        except Refused as exc:
            # A folder is no regular file to read_file; it has findings of its own.
            refusal = _folder_refusal(path, settings) or Hit(exc.code, Position(1), exc.message)
    if refusal is not None:
        pm.hits.append(refusal)
        pm.refused = True
        return pm
    name_hit = _check_name(path)
    if name_hit:
        pm.hits.append(name_hit)
    raw = without_bom(raw)
    try:
        text = raw.decode()
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        pm.hits.append(
            Hit(NOT_UTF8.code, Position(line, col), f"byte 0x{raw[exc.start]:02x} is not UTF-8")
        )
        return pm
    read_text(pm, text.replace("\r\n", "\n"), settings, ruleset)
    if name_hit is None and pm.started is not None:
        day = pm.started.astimezone(pm.tz).date()
        named = date.fromisoformat(path.name[:10])
        if day != named:
            pos = pm.front.value_pos("started") if pm.front else Position(1)
            pm.hits.append(
                Hit(
                    FILE_DATE.code,
                    pos,
                    f"file name says {named} but started is on {day} ({pm.timezone})",
                )
            )
    return pm


def without_bom(raw: bytes) -> bytes:
    """A file's bytes without a leading byte-order mark: tolerated and not counted, since an
    editor shows no column for it. Taken off here rather than by the "utf-8-sig" codec,
    whose error offsets skip it (a finding pointed three bytes past the bad one) and which
    costs a Python call per file."""
    return raw[len(_BOM) :] if raw.startswith(_BOM) else raw


def read_text(pm: PostMortem, text: str, settings: Settings, ruleset: Ruleset) -> None:
    """Parse and check the text of a post-mortem (already decoded, LF line endings)."""
    # Kept whole: the source view and the report formats' fingerprints read lines from it.
    pm.raw_text = text
    cut, hit = frontmatter.split(text)
    if hit is not None:
        pm.hits.append(hit)
        return
    assert cut.yaml_text is not None
    front, hits = frontmatter.parse(cut.yaml_text, cut.closing_line)
    pm.hits.extend(hits)
    if front is None:
        return
    pm.front = front
    pm.body_text = cut.body
    pm.body_line = cut.body_line
    pm.body = read_body(cut.body, cut.body_line)
    pm.summary = _summary(pm)
    _read_silences(pm, ruleset.rules)
    pm.hits.extend(read_fields(pm, settings, ruleset.rules))
    for check in ruleset.file_checks:
        pm.hits.extend(check(pm, settings))


def _summary(pm: PostMortem, limit: int = 300) -> str:
    """The first paragraph of the Summary section, as one line (for listings and search)."""
    section = pm.body.section("Summary") if pm.body else None
    words: list[str] = []
    for line in section.lines if section else []:
        text = line.text.strip()
        if line.kind != "prose" or text.startswith(("<!--", "!!!", "|")):
            if words:
                break
            continue
        if not text:
            if words:
                break
            continue
        words.append(text)
    summary = " ".join(words)
    return summary if len(summary) <= limit else summary[: limit - 1].rsplit(" ", 1)[0] + "…"


def _refusal(path: Path, settings: Settings) -> Hit | None:
    """Why ``path`` is not read at all, judged by its name and kind (before any byte).

    Whether a ``.md`` path is a folder is asked only when :func:`read_file` refuses it: a
    file it reads is regular, and asking first cost a ``stat`` of every file.
    """
    if not is_utf8_name(path.name):
        return Hit(NAME_NOT_UTF8.code, Position(1), "the name is not UTF-8; not read")
    if not path.name.endswith(".md"):
        message = (
            f"'{path.name}' looks like Markdown but does not end in lowercase .md, so it is "
            "neither checked nor published"
        )
        return _folder_refusal(path, settings) or Hit(MARKDOWN_NAME.code, Position(1), message)
    return None


def _folder_refusal(path: Path, settings: Settings) -> Hit | None:
    """Why ``path`` is not read when it is a folder (one the walk did not enter: a link, or
    one it could not list)."""
    if not path.is_dir():
        return None
    if not inside(path, settings.root):
        message = "a symbolic link to a folder outside the project; not followed"
        return Hit(OUTSIDE_PROJECT.code, Position(1), message)
    if path.is_symlink():
        message = "a symbolic link to a folder; not followed (move the files here instead)"
        return Hit(FOLDER_NOT_READ.code, Position(1), message)
    return Hit(FOLDER_NOT_READ.code, Position(1), "this folder cannot be listed; not read")


def _check_name(path: Path) -> Hit | None:
    match = _NAME.fullmatch(path.name)
    if match:
        try:
            date.fromisoformat(match[1])
            return None
        except ValueError:
            return Hit(FILE_NAME.code, Position(1), f"'{match[1]}' in the file name is not a date")
    return Hit(
        FILE_NAME.code,
        Position(1),
        f"file name '{path.name}' does not match YYYY-MM-DD-slug.md (lowercase, hyphens)",
    )


def _read_silences(pm: PostMortem, known: Collection[str]) -> None:
    """Collect ``<!-- postmortems: ignore CODE reason -->`` comments from the body.

    A comment alone on its line silences the next non-blank line; beside text it silences its
    own line; ``ignore-file`` silences the whole file.
    """
    assert pm.body is not None
    if "postmortems:" not in pm.body_text:
        return  # most files silence nothing: one look at the text, not one per line
    lines = pm.body.lines
    for index, line in enumerate(lines):
        if "postmortems:" not in line.text:
            continue
        silences = [
            (start, end, match)
            for start, end, inner in html_comments(line.text)
            if (match := _SILENCE.fullmatch(inner))
        ]
        rest = line.text
        for start, end, _ in reversed(silences):
            rest = rest[:start] + rest[end:]
        target = line.number
        if silences and not rest.strip():
            target = next((ln.number for ln in lines[index + 1 :] if ln.text.strip()), line.number)
        for start, _, match in silences:
            reason = match["reason"].strip()
            codes = [c.strip() for c in match["codes"].split(",")]
            pos = Position(line.number, start + 1)
            for code in codes:
                problem = ignore_problem(code, reason, pos, known)
                if problem:
                    pm.hits.append(problem)
                elif match["file"]:
                    pm.ignored[code] = reason
                else:
                    pm.line_ignored.setdefault(target, {})[code] = reason
