"""A source's timeline, in whatever shape it was written, as one table in the configured
zone: rows read in the source's order, days carried from row to row, zones declared above
them respected, rows out of order put in order and reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone, tzinfo

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.markdown import split_row
from mkdocs_postmortems.core.synonyms import section_for
from mkdocs_postmortems.core.zones import Zone
from mkdocs_postmortems.importers.columns import TIME_HEADER, cell_text, when_columns
from mkdocs_postmortems.importers.leads import (
    LEAD_EMPHASIS,
    LINKED,
    balanced,
    heading_text,
    lead_text,
    opening_clock,
    plain_lead,
    post_label,
    starts_row,
    unmarked_clock,
)
from mkdocs_postmortems.importers.markdown import (
    ATX,
    BOLD_LABEL,
    EMPHASIS,
    ITEM,
    ITEM_TEXT,
    Blocks,
    Fence,
    as_cell,
    code_mask,
    read_blocks,
    strip_row,
)
from mkdocs_postmortems.importers.ordered import untimed_list
from mkdocs_postmortems.importers.placing import (
    Row,
    latest_before,
    newest_first,
    place_rows,
)
from mkdocs_postmortems.importers.report import TBD, Report
from mkdocs_postmortems.importers.times import (
    ISO_DAY,
    MONTH_DAY,
    declared_tz,
    lead_day,
    lead_month_day,
    nearest_day,
    numeric_order,
    read_clock,
    read_day,
    relative_offset,
    undecided_clock,
    undecided_date,
)

_ZONE_SENTENCE = re.compile(r"\btimes?\b|\bin\b", re.IGNORECASE)
# What parts an entry's time from its words: "10:28 - ", "**18:56:** ", "11:45, the ...".
_SEPARATOR = re.compile(r"^\s*(?:\*\*|__|\*|_)?\s*(?:[-–—:|,]+\s*)?")
_PLAIN_SEPARATOR = re.compile(r"^\s*(?:[-–—:|,]+\s*)?")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A marker written between timeline entries: ``<START OF OUTAGE>``, ``[END OF IMPACT]``.
_MARKER = re.compile(r"\\?[<\[]\s*[A-Z][A-Z0-9 ,'-]{2,40}\s*[>\]]")
# Where a time can start inside prose: a digit not glued to a word or another number.
_CLOCK_START = re.compile(r"(?<![\w:./-])(?=~?\d{1,2}(?::\d{2}|\s*[ap]\.?m\b))", re.IGNORECASE)
_AT_TIME = re.compile(r"(?:at|around|about|approximately|by|~)\s*(?P<rest>.*)", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def _leading_day(cell: str) -> date | None:
    match = ISO_DAY.match(cell.strip())
    return read_day(match.group(0)) if match else None


# The day of the week a day's name may open with ("Thursday, May 2", "Thu 2 May").
_WEEKDAY = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}\.?,?\s+", re.IGNORECASE)


def _month_day(text: str, year: int | None) -> date | None:
    """A day written without its year (``May 12``, ``15 May``, ``Thursday, May 2``), in the
    incident's year."""
    clean = EMPHASIS.sub("", text.strip()).rstrip(":").strip()
    weekday = _WEEKDAY.match(clean)
    match = MONTH_DAY.fullmatch(clean[weekday.end() :] if weekday else clean)
    if match is None or year is None:
        return None
    return read_day(f"{match.group(0)} {year}")


@dataclass
class _TimelineParts:
    """What a timeline section holds: rows with a time, and everything else, in order."""

    rows: list[Row] = field(default_factory=list)
    days: list[date | None] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=lambda: ["Time", "Event"])
    headers_seen: list[str] = field(default_factory=list)
    hint: tzinfo | None = None
    #: The zone of the page's own stamp (a blog's ``date: ... -0500``): the clock its
    #: author publishes by, for bare times when neither a declaration nor a zone written
    #: on the rows above says another.
    fallback: tzinfo | None = None
    table_at: int | None = None
    #: The name of a part of the timeline (a period, a day) waiting for its first row, and
    #: the line that named it, written back if no row follows after all.
    label: str = ""
    label_line: str = ""
    #: How the timeline writes numeric dates (``mdy``, ``dmy``), once a date shows it.
    order: str | None = None

    def note(self, line: str) -> None:
        if self.label and line.strip():
            self.notes.append(self.label_line)
            self.label = ""
        self.notes.append(line)

    def add(self, row: Row, day: date | None) -> None:
        if self.table_at is None:
            self.table_at = len(self.notes)
        if row.zone is None:
            row.zone = self.hint
        if self.label:
            # A part's name stays with its first row, where the reader meets it.
            row.label = f"**{self.label}**"
            self.label = ""
        self.rows.append(row)
        self.days.append(day)


def read_timeline(
    lines: list[str],
    day_hint: date | None,
    settings: Settings,
    report: Report,
    written_zone: Zone | None = None,
    stated: Sequence[datetime] = (),
    clock_zone: Zone | None = None,
) -> tuple[list[str], datetime | None, list[str]]:
    """Every run of entries that begin with a time, as one timeline table.

    Entries are list items, lines and paragraphs (``<br>``-separated ones too), headings
    such as ``### 09:21 PM`` with their paragraph below, table rows and the lines of a code
    block. The table goes where the first row was; the rest (prose, images, code) follows it
    in its order. A heading, bold label or line naming a day dates the rows below it; one
    naming a part of the timeline ("Second period") leads the part's first row; a zone
    declared in one ("All times in PDT", ``Time (PST)``) is the zone of the rows below.
    A timeline written as prose keeps it, and gains a table of the moments it names.
    """
    lines = _split_breaks(_unquoted(lines))
    blocks = read_blocks(lines)
    parts = _TimelineParts(
        hint=written_zone.tz if written_zone else None,
        fallback=clock_zone.tz if clock_zone else None,
    )
    parts.order = numeric_order(lines)
    day = day_hint
    # The day a line that names only a day gives the list items below it ("2019-08-09:"
    # over entries without a time of day), and its wording.
    dated: tuple[date, str] | None = None
    untimed = _untimed_items(lines, blocks)
    i = 0
    while i < len(lines):
        line = lines[i]
        if blocks.code[i]:
            fence = blocks.fences.get(i)
            # A log inside a list item belongs to that item: it stays where it is.
            end = _code_rows(lines, i, fence, day, parts) if fence and not fence.nested else None
            if end is None:
                parts.note(line)
                end = i + 1
            i = end
            continue
        if i in blocks.tables:
            end = _timeline_table_rows(lines, i, blocks.tables[i], day, parts)
            if end is not None:
                i = end
                continue
        row, end = _line_row(lines, i, blocks)
        if row is None and dated is not None and ITEM.match(line):
            row, end = _dated_item(lines, i, blocks, dated)
        if row is None and i in untimed:
            row, end = _untimed_item(lines, i, blocks)
        if row is not None:
            if row.month_day is not None and row.day_only is None:
                known = day or day_hint
                row.day_only = nearest_day(row.month_day, known) if known else None
            parts.add(row, row.day_only or day)
            i = end
            continue
        if line.strip() and not line.startswith((" ", "\t")):
            dated = _day_line(line, day or day_hint, parts.order)
        day, label = _marker(line, lines, i, blocks, day, day_hint, parts)
        k = _next_text(lines, i + 1, blocks.code) if dated else None
        if k is not None and ITEM.match(lines[k]) and not starts_row(lines[k]):
            # The day's line over its entries: each entry keeps the day as written.
            label = True
        if not label:
            parts.note(line)
        i += 1
    if parts.label:
        parts.notes.append(parts.label_line)
    if not parts.rows:
        zone = parts.hint or parts.fallback
        told = _narrative(lines, _not_prose(lines, blocks), day_hint, settings, report, zone)
        return told if told[2] else untimed_list(lines, blocks, report)
    if newest_first(parts.rows):
        # Read oldest first, as a reader follows it: a bare time below a later one is then
        # the same day, not the next. A part's name goes with its oldest row, now its first.
        _labels_to_part_ends(parts.rows)
        parts.rows.reverse()
        parts.days.reverse()
        report.mapped.append("Timeline: written newest first; the table is oldest first")
    table, first_at, written = _timeline_table(parts, settings, report, stated)
    at = parts.table_at or 0
    notes = [f"<!-- imported from a table headed: {h} -->" for h in parts.headers_seen]
    out = [*parts.notes[:at], *notes, "", *table, "", *parts.notes[at:]]
    report.mapped.append(f"Timeline: {len(written)} rows as a table in {settings.timezone}")
    return out, first_at, written


def _labels_to_part_ends(rows: list[Row]) -> None:
    """Each part's name ("**April 3, 2024**") moved from the part's first row to its last."""
    starts = [k for k, row in enumerate(rows) if row.label]
    for start, end in zip(starts, [*starts[1:], len(rows)][: len(starts)], strict=True):
        label, rows[start].label = rows[start].label, ""
        rows[end - 1].label = label


_QUOTE = re.compile(r"^ {0,3}> ?")


def _unquoted(lines: list[str]) -> list[str]:
    """A timeline written inside a quote ("> 10:02 UTC - alert fires"), when no entry
    stands outside it, without its quote marks: the quote is the timeline, not evidence
    pasted beside it. Other text is returned as it is."""
    mask = code_mask(lines)
    quoted = [not mask[i] and bool(_QUOTE.match(line)) for i, line in enumerate(lines)]
    if any(starts_row(line) for i, line in enumerate(lines) if not mask[i] and not quoted[i]):
        return lines
    inner = [_QUOTE.sub("", line, count=1) for i, line in enumerate(lines) if quoted[i]]
    said = [line for line in inner if line.strip()]
    timed = [line for line in said if starts_row(line)]
    if len(timed) < 2 or len(timed) * 10 < len(said) * 6:
        return lines
    return [_QUOTE.sub("", line, count=1) if quoted[i] else line for i, line in enumerate(lines)]


def _split_breaks(lines: list[str]) -> list[str]:
    """Entries run together with ``<br>`` each on a line of their own, where the text after
    a break starts an entry (the tag stays with the entry it ends, where a table cell shows
    it as a line break); other breaks stay where they are."""
    mask = code_mask(lines)
    out: list[str] = []
    for i, line in enumerate(lines):
        if mask[i] or not _BREAK.search(line):
            out.append(line)
            continue
        current = ""
        last = 0
        for match in _BREAK.finditer(line):
            # Only the start of what follows is read: a time is at its beginning.
            window = line[match.end() : match.end() + 80]
            current += line[last : match.end()]
            last = match.end()
            if window.strip() and starts_row(window.strip()):
                out.append(current)
                current = ""
                last = match.end() + len(window) - len(window.lstrip())
        out.append(current + line[last:])
    return out


def _marker(
    line: str,
    lines: list[str],
    i: int,
    blocks: Blocks,
    day: date | None,
    day_hint: date | None,
    parts: _TimelineParts,
) -> tuple[date | None, bool]:
    """What a line that is not a row says about the rows below: their day, their zone,
    the name of their part. Returns the day of the rows below, and whether the line is the
    name of the next row's part (kept with that row, so not written again)."""
    text = line.strip()
    if not text:
        return day, False
    heading = ATX.match(line)
    clean = (heading[2] if heading else text).strip()
    # The section's own heading, however long, declares the zone of all its rows.
    short = len(clean.split()) <= 12 or clean.startswith("<!-- imported from:")
    if short and (heading or _ZONE_SENTENCE.search(clean) or clean.startswith(("(", "<!--"))):
        # "All times in UTC.", "### Follow-up timeline (times in BST)"; once a row is
        # written, only a heading or a short line changes the zone of the rows after it.
        found = declared_tz(clean)
        if found is not None and (parts.table_at is None or heading or len(clean) < 60):
            parts.hint = found
    label = EMPHASIS.sub("", BOLD_LABEL.sub(r"\g<label>\g<rest>", clean)).strip()
    is_label = bool(heading or BOLD_LABEL.match(line) or (short and len(clean) <= 40))
    if clean.startswith("<!--"):
        return read_day(clean) or day, False
    if not is_label:
        return day, False
    known = day or day_hint
    year = known.year if known else None
    found_day = (
        read_day(label, parts.order) or _month_day(label, year) or _numbered_day(label, day_hint)
    )
    k = _next_text(lines, i + 1, blocks.code)
    leads = k is not None and (starts_row(lines[k]) or k in blocks.tables)
    if leads and (heading or found_day is not None or BOLD_LABEL.match(line)):
        if parts.label:
            parts.notes.append(parts.label_line)
        parts.label = label.rstrip(":").strip()
        parts.label_line = line
        return found_day or day, True
    return found_day or day, False


# A part of a timeline that runs for days, named by its number ("Day 2", "Day 3 (May 4)").
_NUMBERED_DAY = re.compile(
    r"day\s+(?P<n>\d{1,2})(?:\s*[(,:–—-]\s*(?P<named>[^()]{0,40}?)\)?)?\s*:?", re.IGNORECASE
)


def _numbered_day(label: str, first: date | None) -> date | None:
    """The day a label such as "Day 2" names: the day it writes beside its number ("Day 2
    (May 3)"), else that many days after the incident's first day ``first``, its day 1."""
    match = _NUMBERED_DAY.fullmatch(label.strip())
    if match is None or first is None:
        return None
    named = _month_day(match["named"].strip(" )"), first.year) if match["named"] else None
    return named or first + timedelta(days=int(match["n"]) - 1)


# A line that is only a day: "2019-08-09:", "**2019-08-09**", "May 12".
_DAY_ALONE = re.compile(r"[*_]*(?P<day>[^*_:]{4,40}?)[*_]*:?[*_]*")


def _day_line(line: str, known: date | None, order: str | None) -> tuple[date, str] | None:
    """The day a line or a heading names when it is nothing but that day, with its
    wording."""
    heading = ATX.match(line)
    match = _DAY_ALONE.fullmatch(heading[2].strip() if heading else line.strip())
    if match is None or ITEM.match(line):
        return None
    written = match["day"].strip()
    found = read_day(written, order) or _month_day(written, known.year if known else None)
    if found is None or read_clock(written) is not None:
        return None
    return found, written


def _dated_item(
    lines: list[str], i: int, blocks: Blocks, dated: tuple[date, str]
) -> tuple[Row | None, int]:
    """A list item without a time under a line that names its day: an entry of that day,
    its time unknown (written at the day's start, the day kept as the source wrote it)."""
    item = ITEM.match(lines[i])
    if item is None or item["indent"]:
        return None, i + 1
    pieces = [item["text"].strip()]
    k = i + 1
    while k < len(lines) and not blocks.code[k] and lines[k].strip():
        if not lines[k].startswith((" ", "\t")) or starts_row(lines[k]):
            break
        pieces.append(lines[k].strip())
        k += 1
    return Row(None, dated[1], as_cell(" ".join(pieces)), [], dated[0]), k


def _untimed_items(lines: list[str], blocks: Blocks) -> set[int]:
    """The items without a time of lists where at least two items and a third of them begin
    with one: entries of the timeline all the same ("- Recognizing the severity, we began a
    rotation." between two stamped items), where the list tells them."""
    found: set[int] = set()
    i = 0
    while i < len(lines):
        item = None if blocks.code[i] else ITEM.match(lines[i])
        if item is None:
            i += 1
            continue
        # The list's items stand at its first item's indent (up to three spaces, as
        # CommonMark allows); deeper lines are their continuations and nested lists.
        indent = len(item["indent"])
        starts: list[int] = []
        while i < len(lines):
            line = lines[i]
            item = None if blocks.code[i] else ITEM.match(line)
            depth = len(line) - len(line.lstrip())
            if item is not None and depth == indent:
                starts.append(i)
            elif (
                line.strip()
                and depth <= indent
                and (blocks.code[i] or ATX.match(line) or not lines[i - 1].strip() or item)
            ):
                # Against the list's margin, a paragraph right below an item continues it;
                # after a blank line, or as a heading, code or another list, it ends it.
                break
            i += 1
        timed = {k for k in starts if starts_row(lines[k])}
        if len(timed) >= 2 and len(timed) * 3 >= len(starts):
            # An item that calls itself a note ("**Note:** the status page was not
            # updated") comments on the timeline: it stays text below the table.
            noted = {k for k in starts if _commentary(lines[k])}
            found.update(k for k in starts if k not in timed and k not in noted)
        i = max(i, starts[-1] + 1) if starts else i + 1
    return found


_NOTE = re.compile(r"(?:note|nb|n\.b\.|aside|p\.?s\.?)\b", re.IGNORECASE)


def _commentary(line: str) -> bool:
    """An item that comments on the timeline rather than telling an event: one that calls
    itself a note, or whose bold label names a part of a post-mortem ("**Impact**: ...")."""
    if _NOTE.match(plain_lead(line)):
        return True
    item = ITEM.match(line)
    label = BOLD_LABEL.match(item["text"]) if item else None
    return label is not None and section_for(label["label"].strip()) is not None


def _untimed_item(lines: list[str], i: int, blocks: Blocks) -> tuple[Row, int]:
    """An item of a timed list that gives no time, with the lines that continue it."""
    item = ITEM.match(lines[i])
    pieces = [item["text"].strip()] if item else [lines[i].strip()]
    k = _item_lines(lines, i + 1, blocks, len(item["indent"]) if item else 0, pieces)
    return Row(None, "", as_cell(" ".join(pieces)), [], untimed=True), k


def _next_text(lines: list[str], start: int, mask: tuple[bool, ...]) -> int | None:
    """The next line with text, near enough to belong to the line above (not code)."""
    for k in range(start, min(len(lines), start + 6)):
        if lines[k].strip():
            return None if mask[k] else k
    return None


def _timeline_table_rows(
    lines: list[str], i: int, end: int, day: date | None, parts: _TimelineParts
) -> int | None:
    """The rows of a table with a column of times; None for any other table.

    The times may sit in any column ("Key Actions | Timestamp | Description"), and the day
    in a column of its own before them ("Date | Time (PT) | Event"): the day and the time
    are read together, and the other columns follow in their order. A table whose header
    row is empty and whose column names sit in its first body row (as some exports write
    it) is read with that row as its header."""
    head = [c.text for c in split_row(lines[i], i + 1).cells]
    body: list[list[str]] = []
    for j in range(i + 2, end):
        body.append([c.text for c in split_row(lines[j], j + 1).cells])
    named = body and any(TIME_HEADER.search(cell) for cell in body[0])
    if named and not any(h.strip() for h in head):
        head, body = body[0], body[1:]
    columns = when_columns(head, body)
    if columns is None:
        return None
    day_at, time_at = columns
    used = {time_at} if day_at is None else {day_at, time_at}
    zone = parts.hint
    # The days' column comes first: a zone the times' header names wins over its.
    for k in sorted(used):
        hint = declared_tz(head[k]) if k < len(head) else None
        zone = hint if hint is not None else zone
    others = [h for k, h in enumerate(head) if k not in used]
    if len(others) > 1 and parts.header == ["Time", "Event"]:
        parts.header = ["Time", *others]
    parts.headers_seen.append(" | ".join(head))
    for cells in body:
        first = " ".join(cell_text(cells, k) for k in sorted(used) if cell_text(cells, k))
        rest = [cell for k, cell in enumerate(cells) if k not in used]
        lead = lead_day(first)
        clock = read_clock(first)
        event = rest[0] if rest else ""
        if clock is not None and first[clock.end :].strip():
            # A time cell that says more ("06:00: paged") keeps the rest with the event.
            said = _SEPARATOR.sub("", first[clock.end :], count=1).strip()
            first = first[: clock.end]
            event = f"{said} {event}".strip()
        row = Row(
            clock,
            first,
            event,
            rest[1:],
            _leading_day(first) or (lead[0] if lead else None),
            zone,
        )
        parts.add(row, day)
    return end


def _code_rows(
    lines: list[str], i: int, fence: Fence, day: date | None, parts: _TimelineParts
) -> int | None:
    """A fenced code block whose lines mostly begin with a time, as rows (a log pasted as
    the timeline); None for any other code."""
    end = fence.end - 1 if fence.closed else fence.end
    inner = [line for line in lines[i + 1 : end] if line.strip()]
    timed = [line for line in inner if read_clock(strip_row(line))]
    # The first line starts an entry: nothing of the block is left out of the rows.
    if len(timed) < 2 or len(timed) * 10 < len(inner) * 6 or inner[0] != timed[0]:
        return None
    info = fence.info
    parts.notes.append(f"<!-- imported from a code block{f' ({info})' if info else ''} -->")
    current: Row | None = None
    for line in lines[i + 1 : end]:
        candidate = strip_row(line)
        clock = read_clock(candidate) if candidate else None
        if clock is not None:
            event = _SEPARATOR.sub("", candidate[clock.end :], count=1).strip()
            current = Row(clock, candidate[: clock.end], as_cell(event), [])
            parts.add(current, day)
        elif current is not None and line.strip():
            current.event += " " + as_cell(line.strip())
    return fence.end


def _line_row(lines: list[str], i: int, blocks: Blocks) -> tuple[Row | None, int]:
    """An entry that starts with a time or a day, with what continues it: a list item's
    indented lines, a paragraph's following lines, a heading's paragraphs below it."""
    line = lines[i]
    if line.lstrip().startswith("|"):
        return None, i + 1
    heading = ATX.match(line)
    candidate = heading[2].strip() if heading else lead_text(line)
    clock = read_clock(candidate) if candidate else None
    if clock is None and candidate:
        candidate, clock = unmarked_clock(candidate)
    posted = ""
    if clock is None and candidate:
        # "UPDATE 7 May 19:27 UTC - ...": a post's label before its stamp stays with its words.
        posted, clock, candidate = post_label(candidate)
    # A heading that names only a day ("### 2016-11-07") dates the rows below it.
    lead = None if clock or heading else lead_day(candidate)
    asked = None if clock or lead else undecided_clock(candidate)
    # "Jan 5: bug reported": a day without its year, in the year nearest the incident's day.
    month_day = None if clock or lead or asked or heading else lead_month_day(candidate)
    # "[+1 hrs] ...": counted from the timeline's first time, placed with the rows.
    relative = None if clock or lead or asked or month_day else relative_offset(candidate)
    opening = None
    if clock is None and not (lead or asked or month_day or relative) and ITEM.match(line):
        # A list of sentences ("- At 17:30 we ..."): the sentence stays whole as the event.
        opening = opening_clock(candidate)
        clock = replace(opening, end=0) if opening else None
    if clock is None and lead is None and asked is None and month_day is None and not relative:
        text = EMPHASIS.sub("", candidate).strip()
        if heading is None and _MARKER.fullmatch(text):
            return Row(None, "", as_cell(ITEM_TEXT.sub("", line.strip())), [], marker=True), i + 1
        return None, i + 1
    if clock is None and lead is not None:
        # "2021-08-27: At 12:50 UTC, ...": the day first, its time in the sentence.
        said = _AT_TIME.match(_SEPARATOR.sub("", candidate[lead[1] :], count=1))
        timed = read_clock(said["rest"]) if said else None
        if timed is not None and timed.day is None and timed.month_day is None:
            clock = replace(timed, day=lead[0], end=lead[1])
            lead = None
    # Where the entry's time or day ends in its wording.
    cut = 0
    if clock:
        cut = clock.end
    elif lead:
        cut = lead[1]
    elif asked:
        cut = asked[0]
    elif month_day:
        cut = month_day[1]
    elif relative:
        cut = relative[1]
    wording = candidate[:cut]
    linked = None if heading else LINKED.match(plain_lead(line))
    if (
        linked
        and clock is not None
        and wording.startswith(linked["near"] + linked["stamp"].strip())
    ):
        # The link stays with the time it was written on: its target is the entry's source,
        # shown beside the time however plainly the time is written.
        wording = linked.group(0) + wording[len(linked["near"] + linked["stamp"].strip()) :]
        clock = replace(clock, plain=False)
    if LEAD_EMPHASIS.match(ITEM_TEXT.sub("", line.strip())) or heading:
        # The mark that closes an emphasised stamp ("**18:56:** ..."); a stamp written
        # plain keeps the emphasis its event opens with ("21:00 **Update**: ...").
        event = _SEPARATOR.sub("", candidate[cut:], count=1).strip()
        event = LEAD_EMPHASIS.sub("", event)
    else:
        event = _PLAIN_SEPARATOR.sub("", candidate[cut:], count=1)
    event = balanced(event.strip(), line)
    event = f"{posted} {event}".strip()
    pieces = [event] if EMPHASIS.sub("", event).strip(":").strip() else []
    item = ITEM.match(line)
    mask = blocks.code
    k = i + 1
    if heading:
        k = heading_text(lines, k, blocks, pieces, timed=clock is not None)
    elif item:
        k = _item_lines(lines, k, blocks, len(line) - len(line.lstrip()), pieces)
    else:
        while k < len(lines) and not mask[k] and lines[k].strip():
            following = lines[k]
            if ATX.match(following) or ITEM.match(following) or starts_row(following):
                break
            if k in blocks.tables:
                break
            pieces.append(following.strip())
            k += 1
    if clock is None and not pieces:
        # A line that is only a day ("**19th September 2023:**") dates the rows below it.
        return None, i + 1
    text = as_cell(" ".join(pieces))
    row = Row(clock, wording, text, [], None if clock else lead[0] if lead else None)
    row.question = asked[1] if asked else ""
    row.month_day = month_day[0] if month_day else None
    return row, k


_INTERRUPTS = re.compile(r"\s{0,3}(?:>|<[A-Za-z/!?])")


def _item_lines(lines: list[str], k: int, blocks: Blocks, indent: int, pieces: list[str]) -> int:
    """The lines that continue a list item from line ``k``: deeper ones, and a paragraph
    written against the margin right below it (a lazy continuation, as CommonMark reads
    it), up to a blank line, another item or a row. Returns where the item ends."""
    while k < len(lines) and not blocks.code[k] and lines[k].strip():
        following = lines[k]
        deeper = len(following) - len(following.lstrip()) > indent
        # What can interrupt a paragraph cannot continue one: a list, a heading, a table,
        # a quote, a thematic break, HTML.
        lazy = not (
            ITEM.match(following)
            or ATX.match(following)
            or k in blocks.tables
            or k in blocks.breaks
            or _INTERRUPTS.match(following)
        )
        if not (deeper or lazy) or starts_row(following):
            break
        pieces.append(following.strip())
        k += 1
    return k


def _narrative(
    lines: list[str],
    mask: tuple[bool, ...],
    day_hint: date | None,
    settings: Settings,
    report: Report,
    hint: tzinfo | None = None,
) -> tuple[list[str], datetime | None, list[str]]:
    """A timeline told as prose ("At 10:47 PST the team ..., by 14:15 ..."): the prose stays
    as written, and a table of the moments it names follows it. ``hint``: the zone declared
    above the timeline."""
    rows: list[Row] = []
    days: list[date | None] = []
    day = day_hint
    order = numeric_order(lines)
    for paragraph in _paragraphs(lines, mask):
        if paragraph.startswith(">"):
            # Quoted words (a chat log pasted below the account) are evidence the account
            # draws on, not the account: their times are not the incident's moments.
            continue
        found = declared_tz(paragraph) if _ZONE_SENTENCE.search(paragraph) else None
        hint = found if found is not None and len(paragraph) < 80 else hint
        # A date that reads two ways ("11-01-2026") leaves the day unknown: the day of the
        # paragraph before would place its times weeks off, and look right.
        day = read_day(paragraph, order) or (None if undecided_date(paragraph, order) else day)
        for sentence in _SENTENCE.split(paragraph):
            for match in _CLOCK_START.finditer(sentence):
                rest = sentence[match.start() :]
                clock = read_clock(rest)
                wording = rest[: clock.end] if clock else ""
                # A time in prose says so: HH:MM, or a 12-hour clock ("by 2pm").
                if clock and (":" in wording or re.search(r"[ap]\.?m", wording, re.I)):
                    rows.append(Row(clock, "", as_cell(sentence.strip()), [], None, hint))
                    days.append(day)
    if not rows:
        return lines, None, []
    for row in rows:
        row.wording = ""
    told = _TimelineParts(rows=rows, days=days)
    table, first_at, written = _timeline_table(told, settings, report)
    report.mapped.append(
        f"Timeline: prose kept as written; {len(written)} moments it names as a table "
        f"in {settings.timezone}"
    )
    out = [*lines, "", "<!-- the moments the prose above names -->", "", *table]
    return out, first_at, written


# An HTML table's tag at the start of a line.
_TABLE_TAG = re.compile(r"\s*<(?:table|thead|tbody|tr|td|th)\b", re.IGNORECASE)


def _not_prose(lines: list[str], blocks: Blocks) -> tuple[bool, ...]:
    """The lines a timeline told as prose is not read from: code, and the lines of tables
    (a table that is no timeline is not a sentence, and its times are no moments)."""
    skipped = list(blocks.code)
    for start, end in blocks.tables.items():
        skipped[start:end] = [True] * (end - start)
    return tuple(
        skip or bool(_TABLE_TAG.match(line)) for skip, line in zip(skipped, lines, strict=True)
    )


def _paragraphs(lines: list[str], mask: tuple[bool, ...]) -> list[str]:
    """The prose of ``lines`` as paragraphs, each on one line (code left out)."""
    out: list[str] = []
    current: list[str] = []
    for i, line in enumerate([*lines, ""]):
        if i < len(lines) and not mask[i] and line.strip():
            # A list item is an entry of its own: items run together would make one row of
            # the whole list, its event every item's words.
            if current and ITEM.match(line):
                out.append(" ".join(current))
                current = []
            current.append(strip_row(line))
            continue
        if current:
            out.append(" ".join(current))
            current = []
    return out


def _timeline_table(
    parts: _TimelineParts,
    settings: Settings,
    report: Report,
    stated: Sequence[datetime] = (),
) -> tuple[list[str], datetime | None, list[str]]:
    """The rows as a table in the configured zone, in the order of their times.

    Rows are read in the source's order (a bare time takes the day of the row above, and
    one earlier than it is the next day); rows the source wrote out of order are then put
    in order, and the report names them."""
    rows, header = parts.rows, parts.header
    placed = place_rows(rows, parts.days, settings.tz, report, stated, parts.fallback)
    order = sorted(
        range(len(placed)),
        key=lambda k: (
            placed[k].at or latest_before(placed, k) or datetime.min.replace(tzinfo=timezone.utc),
            k,
        ),
    )
    if order != list(range(len(placed))):
        moved = [str(k + 1) for position, k in enumerate(order) if k != position]
        report.to_complete.append(
            f"Timeline rows {', '.join(moved)}: out of order in the source; put in order, "
            "check them"
        )
    if parts.fallback is not None or any(row.zone is not None for row in rows):
        # The source declared its zone; the rows are now in ours, and the column says so
        # (the checker reads the column's zone before any sentence above the table).
        header = [f"{header[0]} ({settings.timezone})", *header[1:]]
    table = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    written: list[str] = []
    previous_day: date | None = None
    first_at: datetime | None = None
    for k in order:
        row = placed[k]
        at = row.at
        # A row that named its day keeps it; a bare time stays bare unless the day changed.
        stamp = (
            ""
            if at is None
            else (
                f"{at:%Y-%m-%d %H:%M}" if row.dated or at.date() != previous_day else f"{at:%H:%M}"
            )
        )
        if at is not None and row.seconds:
            stamp += f":{at:%S}"
        if at is not None:
            previous_day = at.date()
            if row.timed:
                # A day without its time is placed, not known: it does not start anything.
                first_at = first_at or at
        table.append("| " + " | ".join([stamp or TBD, *row.cells]) + " |")
        written.append(stamp)
    return table, first_at, written
