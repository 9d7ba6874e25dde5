"""Timeline rows drafted from events, and merged into a post-mortem's Timeline table.

Pure functions of text: the caller reads and writes the file. Every value that goes into a
cell passes through :func:`safe_cell`, the one place that makes exported text safe for a
Markdown table and for the page. A merge only ever adds lines: the author's rows keep their
text, their order and their meaning (a bare ``HH:MM`` keeps the day it had), a row already
there (same minute, same text) is not added again, so running it twice changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo

from mkdocs_postmortems.core.dates import parse_clock
from mkdocs_postmortems.core.markdown import Row, Section, Table
from mkdocs_postmortems.core.synonyms import timeline_column_for
from mkdocs_postmortems.core.timeline_events import Event

MAX_CELL = 300
"""Characters of exported text in one cell: a timeline row is a line, not a message."""
HEADER = ("Time", "Event", "Actor")

# Characters that would end a cell, open a code span or a link, or become markup on the
# page; each is written as an escape or an entity the page shows as the character itself.
_ESCAPES = {
    "\\": "\\\\",
    "|": "\\|",
    "`": "\\`",
    "[": "\\[",
    "]": "\\]",
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
}
_ESCAPE = re.compile("|".join(re.escape(c) for c in _ESCAPES))
_UNESCAPE = re.compile(r"\\(.)|&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
# From the start of a run of spaces only, or each space of a long run reads the rest again.
_TAG = re.compile(r"(?<!\s)\s*_\(([a-z][a-z0-9.-]{0,19})\)_\s*$")


def one_line(text: str, limit: int = MAX_CELL) -> str:
    """``text`` on one line, without control or format characters (bidi overrides,
    zero-width), at most ``limit`` characters. Allowlist: letters, marks, numbers,
    punctuation, symbols and spaces pass; every other category is dropped."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] == "Z" or char in "\t\n\r\v\f":
            kept.append(" ")
        elif category[0] in "LMNPS":
            kept.append(char)
    flat = " ".join("".join(kept).split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return flat


def safe_cell(text: str, limit: int = MAX_CELL) -> str:
    """``text`` as one table cell: :func:`one_line`, with every character that could break
    the table or become HTML escaped."""
    escaped = _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], one_line(text, limit))
    # ``](`` opens a link's target even after an escaped bracket, to the checker's eye too.
    return escaped.replace("\\](", "\\]\\(")


def event_cell(event: Event) -> str:
    """The Event cell of a drafted row: the text and the tag of the source it came from."""
    return f"{safe_cell(event.text)} _({event.source})_"


def same_text(cell: str) -> str:
    """What two Event cells share when they say the same thing: escapes read, the source
    tag, case and spacing left out."""
    plain = _UNESCAPE.sub(lambda m: m.group(1) or _ENTITIES[m.group(2)], _TAG.sub("", cell))
    return " ".join(plain.split()).casefold()


def time_cell(at: datetime, tz: tzinfo, day: date | None) -> str:
    """A time as ``postmortems check`` reads it: ``HH:MM`` on ``day``, ``YYYY-MM-DD HH:MM``
    on another. A wall time that occurs twice (the hour the clocks go back) carries its
    offset, so the second ``02:30`` is not read as the first."""
    local = at.astimezone(tz)
    text = f"{local:%H:%M}" if local.date() == day else f"{local:%Y-%m-%d %H:%M}"
    if _ambiguous(local, tz):
        offset = local.strftime("%z")
        text += f" {offset[:3]}:{offset[3:]}"
    return text


def _ambiguous(local: datetime, tz: tzinfo) -> bool:
    naive = local.replace(tzinfo=None)
    first = naive.replace(tzinfo=tz, fold=0).utcoffset()
    second = naive.replace(tzinfo=tz, fold=1).utcoffset()
    return first != second


def draft_table(events: Sequence[Event], tz: tzinfo) -> list[str]:
    """A new Timeline table of ``events`` (``| Time | Event | Actor |``), each row's time
    written as :func:`time_cell` writes it after the row above."""
    lines = ["| " + " | ".join(HEADER) + " |", "|------|-------|-------|"]
    day: date | None = None
    for event in events:
        cells = (time_cell(event.at, tz, day), event_cell(event), safe_cell(event.actor, 80))
        lines.append("| " + " | ".join(cells) + " |")
        day = event.at.astimezone(tz).date()
    return lines


@dataclass
class Merge:
    """The outcome of a merge: the new lines, the rows added and what was left out."""

    lines: list[str]
    added: list[str] = field(default_factory=list)
    duplicates: int = 0
    refused: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added)


@dataclass
class _Slot:
    """A row of the merged table: the author's (with its line) or a drafted one."""

    text: str
    at: datetime | None
    bare: bool
    line: int | None = None


def merge_rows(
    lines: Sequence[str],
    table: Table,
    times: Mapping[int, datetime],
    events: Sequence[Event],
    tz: tzinfo,
) -> Merge:
    """``lines`` (the file, LF-split) with ``events`` added to ``table`` in time order.

    ``times`` holds the time the checker read in each author row, by file line; a row
    without one stays glued to the row above it; a drafted first row carries its date. A
    drafted row never goes directly above an author
    row whose bare ``HH:MM`` would then take another day: it is refused with a reason.
    """
    slots = [_author_slot(row, times.get(row.line)) for row in table.rows]
    known = _known_texts(table, times)
    event_col = _column(table, "Event", 1)
    actor_col = _column(table, "Actor", None)
    merge = Merge(list(lines))
    if event_col is None:
        merge.refused.append("the Timeline table has one column; add an Event column")
        return merge
    for event in sorted(events, key=lambda e: e.at):
        minute = _minute(event.at)
        if same_text(event_cell(event)) in known.get(minute, set()):
            merge.duplicates += 1
            continue
        index = _position(slots, event.at)
        day = _day_above(slots, index, tz)
        below = slots[index] if index < len(slots) else None
        local_day = event.at.astimezone(tz).date()
        if (
            below is not None
            and below.bare
            and below.at is not None
            and below.at.astimezone(tz).date() != local_day
        ):
            merge.refused.append(
                f"{time_cell(event.at, tz, None)} {event.text[:60]!r}: it would go above "
                f"the row at line {below.line}, whose bare time would then read on "
                f"{local_day}; give that row its full date to add it"
            )
            continue
        cells = [""] * len(table.header)
        cells[0] = time_cell(event.at, tz, day)
        cells[event_col] = event_cell(event)
        if actor_col is not None:
            cells[actor_col] = safe_cell(event.actor, 80)
        text = "| " + " | ".join(cells) + " |"
        slots.insert(index, _Slot(text, event.at, False))
        known.setdefault(minute, set()).add(same_text(event_cell(event)))
        merge.added.append(text)
    if merge.added:
        merge.lines = _rebuilt(lines, table, slots)
    return merge


def _author_slot(row: Row, at: datetime | None) -> _Slot:
    cell = row.first_cell()
    bare = True
    if cell is not None:
        try:
            clock = parse_clock(cell.text.strip("*_ "))
        except ValueError:
            clock = None
        bare = clock is None or clock[0] is None
    return _Slot(row.text, at, bare, row.line)


def _known_texts(table: Table, times: Mapping[int, datetime]) -> dict[datetime, set[str]]:
    """The texts of the rows already there, by minute: each row's Event cell, and the row's
    other cells too, so a row whose columns are ordered differently still matches."""
    known: dict[datetime, set[str]] = {}
    for row in table.rows:
        at = times.get(row.line)
        if at is None:
            continue
        texts = known.setdefault(_minute(at), set())
        texts.update(same_text(cell.text) for cell in row.cells[1:])
    return known


def _column(table: Table, name: str, default: int | None) -> int | None:
    """The column of ``name`` (or one of its synonyms), or ``default`` if the table has it."""
    for index, cell in enumerate(table.header[1:], start=1):
        if timeline_column_for(cell.text) == name:
            return index
    if default is not None and default < len(table.header):
        return default
    return None


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0).astimezone(timezone.utc)


def _position(slots: list[_Slot], at: datetime) -> int:
    """Where a row at ``at`` goes: after the last row at or before it, and after the untimed
    rows glued to that one; before every row when none is earlier."""
    last = -1
    for index, slot in enumerate(slots):
        if slot.at is not None and slot.at <= at:
            last = index
    if last == -1:
        first_timed = next((i for i, s in enumerate(slots) if s.at is not None), len(slots))
        return first_timed
    index = last + 1
    while index < len(slots) and slots[index].at is None:
        index += 1
    return index


def _day_above(slots: list[_Slot], index: int, tz: tzinfo) -> date | None:
    for slot in reversed(slots[:index]):
        if slot.at is not None:
            return slot.at.astimezone(tz).date()
    return None


def _rebuilt(lines: Sequence[str], table: Table, slots: list[_Slot]) -> list[str]:
    """The file's lines with the table's rows replaced by the slots, in order. The author's
    rows are written from their own text, untouched."""
    start = table.line + 1  # the delimiter row; its line number is 1-based
    end = table.rows[-1].line if table.rows else start
    rows = [slot.text for slot in slots]
    return [*lines[:start], *rows, *lines[end:]]


def new_table_lines(lines: Sequence[str], section: Section, table_lines: list[str]) -> list[str]:
    """``lines`` with a new table put at the end of ``section`` (after its last text)."""
    filled = [line for line in section.lines if line.text.strip()]
    after = filled[-1].number if filled else section.pos.line
    # A table runs to the next blank line: one keeps the next heading out of it.
    below = [""] if after < len(lines) and lines[after].strip() else []
    return [*lines[:after], "", *table_lines, *below, *lines[after:]]
