"""A small, position-keeping reader for the Markdown a post-mortem body needs.

Only what the rules look at is read: second-level sections (ATX and Setext headings, never
inside fenced code or HTML comments) and pipe tables, each cell with its line and column.
Line numbers are those of the whole file, so findings point where the author looks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from mkdocs_postmortems.core.findings import Position

LineKind = Literal["prose", "code", "comment", "heading"]

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
# Matched against the stripped line, with no two neighbouring parts that can take the same
# characters: every pattern that sees an author's line must run in time linear in its length.
_DELIMITER = re.compile(r"\|?\s*:?-+:?(?:\s*\|\s*:?-+:?)*\s*\|?")
_ROOT_CAUSE = re.compile(r"root causes?(\s*\(s\))?")
_SPECIAL = frozenset("`~<#=-")


def html_comments(text: str) -> Iterator[tuple[int, int, str]]:
    """Each complete ``<!-- ... -->`` in ``text``: its start, its end and what it holds.

    Found with ``str.find``, never a backtracking pattern: a line of 100 KB that opens a
    comment and never closes it is read once, not once per position.
    """
    start = text.find("<!--")
    while start != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            return
        yield start, end + 3, text[start + 4 : end]
        start = text.find("<!--", end + 3)


def without_comments(text: str) -> str:
    """``text`` with its complete HTML comments taken out."""
    parts = []
    kept = 0
    for start, end, _ in html_comments(text):
        parts.append(text[kept:start])
        kept = end
    parts.append(text[kept:])
    return "".join(parts)


def _atx(content: str) -> tuple[int, str] | None:
    """An ATX heading's level and title (CommonMark: up to three spaces, one to six ``#``,
    an optional closing run of ``#``), read by hand so a long line costs one pass."""
    stripped = content.lstrip(" ")
    if len(content) - len(stripped) > 3:
        return None
    rest = stripped.lstrip("#")
    level = len(stripped) - len(rest)
    if not 1 <= level <= 6 or (rest and rest[0] not in " \t"):
        return None
    title = rest.strip(" \t")
    closed = title.rstrip("#")
    if closed and closed[-1] in " \t":
        title = closed.rstrip(" \t")
    return level, title


def canonical_section(title: str) -> str:
    """The section a heading stands for: case, spacing and ``Root Cause(s)`` folded."""
    key = " ".join(title.strip().rstrip(":").split()).lower()
    if _ROOT_CAUSE.fullmatch(key):
        return "Root Causes"
    return _SECTION_NAMES.get(key, title.strip())


SECTIONS = (
    "Summary",
    "Timeline",
    "Impact",
    "Root Causes",
    "What Went Well",
    "What Could Be Improved",
    "Action Items",
)
_SECTION_NAMES = {name.lower(): name for name in SECTIONS}


@dataclass(slots=True)
class Line:
    """One line of the body with its file line number and what kind of line it is."""

    number: int
    text: str
    kind: LineKind = "prose"


@dataclass(slots=True)
class Cell:
    """A table cell; its position is built only when a finding needs it."""

    text: str
    line: int
    col: int

    @property
    def pos(self) -> Position:
        return Position(self.line, self.col)


@dataclass(slots=True)
class Row:
    """A table row; its cells are split on first use (a timeline needs only the first)."""

    text: str
    line: int
    split: list[Cell] | None = None

    @property
    def end_col(self) -> int:
        return len(self.text.rstrip()) + 1

    @property
    def cells(self) -> list[Cell]:
        if self.split is None:
            self.split = _split_cells(self.text, self.line)
        return self.split

    def first_cell(self) -> Cell | None:
        if self.split is not None or "\\" in self.text or "`" in self.text:
            return self.cells[0] if self.cells else None
        cells = _plain_cells(self.text.rstrip().split("|", 2), self.line, first_only=True)
        return cells[0] if cells else None


@dataclass
class Table:
    header: list[Cell]
    rows: list[Row]
    line: int

    def column(self, *names: str) -> int | None:
        """Index of the first header cell matching one of the names, case-insensitively."""
        headers = [cell.text.lower() for cell in self.header]
        found = [headers.index(name) for name in names if name in headers]
        return min(found) if found else None


@dataclass
class Section:
    """A second-level section: its heading and the lines up to the next one."""

    name: str
    title: str
    pos: Position
    lines: list[Line] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when nothing but blank lines and HTML comments (template guidance) is here."""
        return not any(
            line.kind == "code" or (line.kind == "prose" and without_comments(line.text).strip())
            for line in self.lines
        )

    def table(self) -> Table | None:
        """The first pipe table in the section, if any."""
        lines = self.lines
        for i in range(len(lines) - 1):
            head, delimiter = lines[i], lines[i + 1]
            if (
                head.kind == "prose"
                and "|" in head.text
                and "|" in delimiter.text
                and _DELIMITER.fullmatch(delimiter.text.strip())
            ):
                rows = []
                for line in lines[i + 2 :]:
                    if line.kind != "prose" or "|" not in line.text:
                        break
                    rows.append(Row(line.text, line.number))
                return Table(split_row(head.text, head.number).cells, rows, head.number)
        return None


@dataclass
class Body:
    """The body of a post-mortem: every line, and the second-level sections."""

    lines: list[Line]
    sections: list[Section]
    end: int

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)


def split_row(text: str, number: int) -> Row:
    """Split a table row into cells, honouring ``\\|`` escapes and code spans."""
    row = Row(text, number)
    row.split = _split_cells(text, number)
    return row


def _split_cells(text: str, number: int) -> list[Cell]:
    stripped = text.rstrip()
    if "\\" in stripped or "`" in stripped:
        return [_cell(stripped[a:b], number, a) for a, b in _cell_bounds(stripped)]
    return _plain_cells(stripped.split("|"), number)


def _plain_cells(parts: list[str], number: int, *, first_only: bool = False) -> list[Cell]:
    """Cells from the parts between pipes (the last part may be an unsplit remainder)."""
    last = len(parts) - 1
    cells = []
    start = 0
    for index, raw in enumerate(parts):
        content = raw.strip()
        # Leading and trailing pipes are optional and do not open a cell.
        if content or (0 < index < last):
            # An empty cell points where its content belongs: after "| ".
            lead = len(raw) - len(raw.lstrip()) if content else min(len(raw), 1)
            cells.append(Cell(content, number, start + lead + 1))
            if first_only:
                break
        start += len(raw) + 1
    return cells


def _cell(raw: str, number: int, start: int) -> Cell:
    content = raw.strip()
    lead = len(raw) - len(raw.lstrip()) if content else min(len(raw), 1)
    return Cell(content.replace("\\|", "|"), number, start + lead + 1)


def _cell_bounds(text: str) -> list[tuple[int, int]]:
    """Cell boundaries, skipping pipes that are escaped or inside a code span."""
    pipes = []
    i = 0
    in_code = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            in_code = run if in_code == 0 else (0 if in_code == run else in_code)
            i += run
            continue
        if ch == "|" and not in_code:
            pipes.append(i)
        i += 1
    return _bounds_from_pipes(text, pipes)


def _bounds_from_pipes(text: str, pipes: list[int]) -> list[tuple[int, int]]:
    """The spans between pipes; a leading and a trailing pipe do not open a cell."""
    lead = len(text) - len(text.lstrip())
    if pipes and pipes[0] == lead:
        previous, rest = pipes[0], pipes[1:]
    else:
        previous, rest = lead - 1, pipes
    bounds = []
    for pipe in rest:
        bounds.append((previous + 1, pipe))
        previous = pipe
    if previous + 1 < len(text):
        bounds.append((previous + 1, len(text)))
    return bounds


def read_body(text: str, first_line: int) -> Body:
    """Read the lines and sections of ``text``, whose first line is file line ``first_line``."""
    raw = text.split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    lines: list[Line] = []
    headings: list[Section] = []
    fence: str | None = None
    in_comment = False
    for offset, content in enumerate(raw):
        number = first_line + offset
        if fence is not None:
            lines.append(Line(number, content, "code"))
            closing = _FENCE.match(content)
            if (
                closing
                and closing.group(1)[0] == fence[0]
                and len(closing.group(1)) >= len(fence)
                and not content[closing.end() :].strip()
            ):
                fence = None
            continue
        if in_comment:
            lines.append(Line(number, content, "comment"))
            in_comment = "-->" not in content
            continue
        stripped = content.strip()
        first = stripped[:1]
        if first not in _SPECIAL:
            # Most lines are prose: no pattern can match, so none is tried.
            lines.append(Line(number, content, "prose"))
            continue
        opening = _FENCE.match(content) if first in "`~" else None
        if opening and not (opening.group(1)[0] == "`" and "`" in content[opening.end() :]):
            fence = opening.group(1)
            lines.append(Line(number, content, "code"))
            continue
        if first == "<" and stripped.startswith("<!--") and "-->" not in stripped:
            in_comment = True
            lines.append(Line(number, content, "comment"))
            continue
        atx = _atx(content) if first == "#" else None
        setext = _SETEXT.match(content) if first in "=-" else None
        above = lines[-1] if lines else None
        if atx:
            level, title = atx
            if level <= 2:
                headings.append(Section(_heading_name(level, title), title, _at(number, content)))
            lines.append(Line(number, content, "heading"))
        elif (
            setext
            and above is not None
            and above.kind == "prose"
            and above.text.strip()
            and "|" not in above.text
        ):
            above.kind = "heading"
            title = above.text.strip()
            level = 1 if setext.group(1)[0] == "=" else 2
            headings.append(
                Section(_heading_name(level, title), title, _at(above.number, above.text))
            )
            lines.append(Line(number, content, "heading"))
        else:
            lines.append(Line(number, content, "prose"))
    _assign_lines(headings, lines)
    return Body(lines, [s for s in headings if s.name], first_line + len(raw))


def _heading_name(level: int, title: str) -> str:
    """The section name of a second-level heading; a first-level one only ends a section."""
    return canonical_section(title) if level == 2 else ""


def _at(number: int, text: str) -> Position:
    return Position(number, len(text) - len(text.lstrip()) + 1)


def _assign_lines(headings: list[Section], lines: list[Line]) -> None:
    """Give each second-level section its lines, up to the next heading of level 1 or 2."""
    current: Section | None = None
    starts = {h.pos.line: h for h in headings}
    for line in lines:
        heading = starts.get(line.number)
        if heading is not None:
            current = heading if heading.name else None
            continue
        if current is not None:
            current.lines.append(line)
