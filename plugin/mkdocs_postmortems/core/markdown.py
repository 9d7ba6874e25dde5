"""A small, position-keeping reader for the Markdown a post-mortem body needs.

Only what the rules look at is read: second-level sections (ATX and Setext headings, never
inside fenced code or HTML comments) and pipe tables, each cell with its line and column.
Line numbers are those of the whole file, so findings point where the author looks.

What counts as a heading or a table is what Python-Markdown (the site's renderer, with the
``tables`` extension) makes of the text, quirks included, so the checker never passes a table
the site shows as a paragraph of pipes: a table starts a block (after a blank line, a heading
or an HTML comment), its header and delimiter rows have the same number of cells, and it runs
to the next blank line, so a heading written directly under it is one of its rows. An ATX
heading starts at the left margin and needs no space after its hashes; a Setext heading
starts a block. ``tests/test_markdown_truth.py`` renders every example and fixture and
compares.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from mkdocs_postmortems.core.findings import Position

LineKind = Literal["prose", "code", "comment", "heading"]

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_DELIMITER_CHARS = frozenset("|:- ")
_ROOT_CAUSE = re.compile(r"root causes?(\s*\(s\))?")
# "Detailed timeline", "Timeline of events", "Timeline - all times PDT": the Timeline, a zone
# perhaps declared in its heading.
_TIMELINE = re.compile(
    r"(?:(?:detailed|full|complete|incident|outage)\s+)?timeline(?:\s+of\s+(?:events|the\s+incident))?"
    r"(?:\s*[:,\-–—]\s*(?:all\s+)?times?\b.*)?"
)
# "Timeline (UTC)", "Impact (estimated)": a section's name with a note after it.
# Searched from the start of a run of spaces only: from each space of a long run, the rest
# of the run was read again.
_NOTE = re.compile(r"(?<!\s)\s*\([^()]*\)$")
_SPECIAL = frozenset("`~<#=-")
_BORDER_END = re.compile(r"(?<!\\)\|[ \t]*$")


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
    if "<!--" not in text:
        return text  # most lines: no comment to look for
    parts = []
    kept = 0
    for start, end, _ in html_comments(text):
        parts.append(text[kept:start])
        kept = end
    parts.append(text[kept:])
    return "".join(parts)


def _atx(content: str) -> tuple[int, str] | None:
    """An ATX heading's level and title (up to three spaces, one to six ``#``, an optional
    closing run of ``#``), read by hand so a long line costs one pass."""
    stripped = content.lstrip(" ")
    if len(content) - len(stripped) > 3:
        return None
    rest = stripped.lstrip("#")
    level = len(stripped) - len(rest)
    # Python-Markdown, unlike CommonMark, needs no space after the hashes: `##Impact` is a
    # heading on the site, so it is one for the checker too.
    if not 1 <= level <= 6:
        return None
    title = rest.strip(" \t")
    closed = title.rstrip("#")
    if closed and closed[-1] in " \t":
        title = closed.rstrip(" \t")
    return level, title


@lru_cache(maxsize=1024)
def canonical_section(title: str) -> str:
    """The section a heading stands for: case, spacing and ``Root Cause(s)`` folded (cached:
    every post-mortem has the same few headings)."""
    key = " ".join(title.strip().rstrip(":").split()).lower()
    if _ROOT_CAUSE.fullmatch(key):
        return "Root Causes"
    if key in _SECTION_NAMES:
        return _SECTION_NAMES[key]
    bare = _NOTE.sub("", key)
    if _TIMELINE.fullmatch(bare):
        return "Timeline"
    return _SECTION_NAMES.get(bare, title.strip())


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

    def cell_count(self) -> int:
        """How many cells the row has, without splitting it when it has no escapes or code."""
        if self.split is not None or "\\" in self.text or "`" in self.text:
            return len(self.cells)
        return _plain_count(self.text)

    def first_cell(self) -> Cell | None:
        if self.split is not None or "\\" in self.text or "`" in self.text:
            return self.cells[0] if self.cells else None
        return _first_plain_cell(self.text.rstrip(), self.line)


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
    tables: list[Table] = field(default_factory=list)
    # Lines that look like a table's header but sit directly under text, so the renderer
    # shows them (and the rows below) as a paragraph of pipes.
    glued: list[int] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when nothing but blank lines and HTML comments (template guidance) is here."""
        # A plain loop, not any() over a generator: every required section is asked, and
        # the first line of text usually answers.
        for line in self.lines:
            kind = line.kind
            if kind == "code" or (kind == "prose" and without_comments(line.text).strip()):
                return False
        return True

    def table(self) -> Table | None:
        """The first table in the section, if any."""
        return self.tables[0] if self.tables else None

    def glued_table(self) -> int | None:
        """The line of the first would-be table that renders as a paragraph, if any."""
        return self.glued[0] if self.glued else None


@dataclass
class Body:
    """The body of a post-mortem: every line, and the second-level sections."""

    lines: list[Line]
    sections: list[Section]
    # The last line of the file (the closing ``---`` of the front matter when the body is
    # empty): where something missing at the end is reported.
    end: int
    tables: list[Table] = field(default_factory=list)
    glued: list[int] = field(default_factory=list)

    def section(self, name: str) -> Section | None:
        # A plain loop: the checks ask a dozen times per file, and a generator costs more
        # to set up than the few sections cost to look through.
        for section in self.sections:
            if section.name == name:
                return section
        return None


def split_row(text: str, number: int) -> Row:
    """Split a table row into cells, honouring ``\\|`` escapes and code spans."""
    row = Row(text, number)
    row.split = _split_cells(text, number)
    return row


def cell_spans(text: str) -> list[tuple[int, int]]:
    """Where each cell of a table line is (between its pipes), as the renderer splits it."""
    return _cell_bounds(text.rstrip())


def _split_cells(text: str, number: int) -> list[Cell]:
    stripped = text.rstrip()
    if "\\" in stripped or "`" in stripped:
        return [_cell(stripped[a:b], number, a) for a, b in _cell_bounds(stripped)]
    return _plain_cells(stripped.split("|"), number)


def _plain_cells(parts: list[str], number: int) -> list[Cell]:
    """Cells from the parts between pipes."""
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
        start += len(raw) + 1
    return cells


def _first_plain_cell(text: str, number: int) -> Cell | None:
    """The first cell of a row without escapes or code spans, as :func:`_plain_cells` finds
    it, without splitting the rest (a timeline reads only its time)."""
    head, pipe, rest = text.partition("|")
    if head.strip():
        return _cell(head, number, 0)
    if not pipe:
        return None
    # A leading pipe opens no cell: the first cell is the next part, if a pipe closes it
    # or it holds text.
    raw, closed, _ = rest.partition("|")
    if not (raw.strip() or closed):
        return None
    return _cell(raw, number, len(head) + 1)


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
    tables: list[Table] = []
    glued: list[int] = []
    table: Table | None = None
    fence: str | None = None
    in_comment = False
    # Whether the next line opens a block: only there can a table or a Setext heading start.
    block_start = True
    last_opened = False
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
            block_start = not in_comment
            continue
        stripped = content.strip()
        if not stripped:
            lines.append(Line(number, content, "prose"))
            table, block_start = None, True
            continue
        if table is not None and not (
            stripped[0] in "`~<" and (_FENCE.match(content) or _comment_line(stripped))
        ):
            # Python-Markdown makes every line up to the next blank one a row, headings too.
            lines.append(Line(number, content, "prose"))
            if number != table.line + 1:  # the delimiter row is no row of the table
                table.rows.append(Row(content, number))
            continue
        opens, above_opened = block_start, last_opened
        block_start, last_opened = False, opens
        first = stripped[:1]
        if "|" in content and offset + 1 < len(raw):
            header = _table_header(content, raw[offset + 1], number)
            if header is not None and opens:
                table = Table(header, [], number)
                tables.append(table)
                lines.append(Line(number, content, "prose"))
                continue
            if header is not None:
                glued.append(number)
        if first not in _SPECIAL:
            # Most lines are prose: no pattern can match, so none is tried.
            lines.append(Line(number, content, "prose"))
            continue
        opening = _FENCE.match(content) if first in "`~" else None
        if opening and not (opening.group(1)[0] == "`" and "`" in content[opening.end() :]):
            fence = opening.group(1)
            lines.append(Line(number, content, "code"))
            continue
        if first == "<" and _comment_line(stripped):
            # A comment alone on its line (or opening one that goes on) is raw HTML to the
            # renderer: a table may start right under it, and one above it ends there.
            table = None
            in_comment = "-->" not in stripped
            lines.append(Line(number, content, "comment"))
            block_start = not in_comment
            continue
        # Read by hand, not with a regular expression: a long line costs one pass.
        atx = _atx(content) if content[:1] == "#" else None
        setext = _SETEXT.match(content) if first in "=-" and content[:1] in "=-" else None
        above = lines[-1] if lines else None
        if atx:
            level, title = atx
            if level <= 2:
                headings.append(Section(_heading_name(level, title), title, _at(number)))
            lines.append(Line(number, content, "heading"))
            block_start = True
        elif (
            setext
            and above is not None
            and above.kind == "prose"
            and above.text.strip()
            and above_opened
        ):
            above.kind = "heading"
            title = above.text.strip()
            level = 1 if setext.group(1)[0] == "=" else 2
            headings.append(Section(_heading_name(level, title), title, _at(above.number)))
            lines.append(Line(number, content, "heading"))
            block_start = True
        else:
            lines.append(Line(number, content, "prose"))
    _assign_lines(headings, lines, tables, glued)
    end = first_line + len(raw) - 1 if raw else first_line - 1
    return Body(lines, [s for s in headings if s.name], end, tables, glued)


def _comment_line(stripped: str) -> bool:
    """An HTML comment alone on its line, or the opening of one that goes on."""
    return stripped.startswith("<!--") and (
        "-->" not in stripped or not without_comments(stripped).strip()
    )


def _table_header(head: str, delimiter: str, number: int) -> list[Cell] | None:
    """The header cells when ``head`` and ``delimiter`` open a table as Python-Markdown
    sees it: the delimiter holds only pipes, colons, hyphens and spaces (no hyphen needed),
    with as many cells as the header; a one-column table needs border pipes."""
    if not set(delimiter.strip()) <= _DELIMITER_CHARS:
        return None
    header = _split_cells(head, number)
    bordered = head.strip().startswith("|") or _BORDER_END.search(head) is not None
    if len(header) != _plain_count(delimiter) or (len(header) == 1 and not bordered):
        return None
    return header


def _plain_count(text: str) -> int:
    """How many cells a row without escapes or code spans has (a delimiter row, say),
    counted without making them; a blank line has none."""
    text = text.strip()
    if not text:
        return 0
    return text.count("|") + 1 - text.startswith("|") - text.endswith("|")


def _heading_name(level: int, title: str) -> str:
    """The section name of a second-level heading; a first-level one only ends a section."""
    return canonical_section(title) if level == 2 else ""


def _at(number: int) -> Position:
    return Position(number, 1)


def _assign_lines(
    headings: list[Section], lines: list[Line], tables: list[Table], glued: list[int]
) -> None:
    """Give each second-level section its lines, tables and glued tables, up to the next
    heading of level 1 or 2.

    The body has one line per line of text, numbered without a gap, and headings, tables
    and glued tables are listed in the order of their lines: a section's share of each is
    a slice, cut in C rather than looked up line by line (a fifth of reading a body).
    """
    if not lines:
        return
    first = lines[0].number
    table_lines = [table.line for table in tables]
    for index, heading in enumerate(headings):
        start = heading.pos.line + 1
        stop = headings[index + 1].pos.line if index + 1 < len(headings) else first + len(lines)
        if not heading.name:
            continue  # a first-level heading only ends the section above
        heading.lines = lines[start - first : stop - first]
        heading.tables = tables[bisect_left(table_lines, start) : bisect_left(table_lines, stop)]
        heading.glued = glued[bisect_left(glued, start) : bisect_left(glued, stop)]
