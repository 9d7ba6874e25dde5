"""A source's body cut at its headings and merged into our sections.

Headings are mapped to our sections with the one synonym table
(:mod:`mkdocs_postmortems.core.synonyms`); a block without a match becomes a subsection of
the section before it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from mkdocs_postmortems.core.markdown import SECTIONS, canonical_section, split_row
from mkdocs_postmortems.core.synonyms import means_future_work, section_for
from mkdocs_postmortems.core.times import find as find_times
from mkdocs_postmortems.core.zones import Zone, declared_zone
from mkdocs_postmortems.importers.columns import TIME_HEADER, cell_text, when_columns
from mkdocs_postmortems.importers.leads import opens_with_time
from mkdocs_postmortems.importers.markdown import (
    ADDRESS,
    ATX,
    BOLD_LABEL,
    EMPHASIS,
    ITEM,
    Blocks,
    has_text,
    prose_lines,
    read_blocks,
    strip_row,
)
from mkdocs_postmortems.importers.report import TBD, Report
from mkdocs_postmortems.importers.times import (
    read_clock,
)

_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_LIST_START = re.compile(r"(?<=^\d)[.)]|(?<=^\d\d)[.)]|(?<=^\d\d\d)[.)]|^[-*+](?=\s)")


@dataclass
class Block:
    """A part of the body on its way to becoming one of our sections."""

    name: str | None
    title: str
    origin: str
    lines: list[str] = field(default_factory=list)


def read_title(
    meta: dict[str, Any], lines: list[str], name: str, report: Report
) -> tuple[str, list[str]]:
    atx = read_blocks(lines).headings
    first_h1 = next(
        (i for i, line in enumerate(lines) if i in atx and (m := ATX.match(line)) and m[1] == "#"),
        None,
    )
    given = " ".join(str(meta.get("title", "")).split())
    if first_h1 is not None:
        heading = ATX.match(lines[first_h1])
        assert heading is not None
        text = _shown(heading[2])
        if not given or text.casefold() == given.casefold():
            if not given:
                report.mapped.append("title from the first heading")
            return given or text, lines[:first_h1] + lines[first_h1 + 1 :]
    if given:
        return given, lines
    stem = PurePath(name).name
    for suffix in (".md", ".markdown", ".html", ".htm"):
        stem = stem.removesuffix(suffix)
    report.to_complete.append("title: taken from the file name")
    return stem, lines


def _shown(markdown: str) -> str:
    """A heading's text as a reader sees it: escapes and entities read."""
    return html.unescape(_BACKSLASH.sub("", markdown)).strip()


def our_section(title: str) -> str | None:
    clean = EMPHASIS.sub("", _shown(title)).rstrip(":?").strip()
    canonical = canonical_section(clean)
    if canonical in SECTIONS:
        return canonical
    return section_for(clean) or ("Action Items" if means_future_work(clean) else None)


def _by_meaning(title: str) -> bool:
    """A heading read as the Action Items for what it means, not for a name we know."""
    clean = EMPHASIS.sub("", _shown(title)).rstrip(":?").strip()
    return canonical_section(clean) not in SECTIONS and section_for(clean) is None


# A list item that records what was done ("Suspended autosync", "**Repair:** Rebuilt the
# index"): its first word, after a task box and a bold lead, a verb in the past tense.
_RECORDED = re.compile(
    r"(?:\[[ xX]\]\s*)?(?:(?:\*\*|__)[^*_]{1,60}(?:\*\*|__):?\s*)?(?:[Rr]e-)?[A-Za-z]{2,}ed\b"
)


def _done_not_planned(blocks: list[Block], report: Report) -> None:
    """A heading read as follow-ups by its meaning alone ("Remediation actions") over a list
    of what was done during the incident ("Restarted the brokers", "Verified readiness") is
    not the Action Items: a careful reader counts work still to do, so it stays text."""
    for block in blocks:
        if block.name != "Action Items" or not block.title or not _by_meaning(block.title):
            continue
        mask = read_blocks(block.lines).code
        items = [
            item["text"]
            for i, line in enumerate(block.lines)
            if not mask[i] and (item := ITEM.match(line)) and len(item["indent"]) <= 1
        ]
        done = sum(bool(_RECORDED.match(text.strip())) for text in items)
        if len(items) >= 2 and done * 10 >= len(items) * 6:
            block.name = None
            report.kept.append(f"'{block.title}' lists what was done, not follow-ups: kept as text")


def cut_blocks(lines: list[str], report: Report) -> list[Block]:
    """The body cut at its top-level headings (and bold labels that name a section)."""
    structure = read_blocks(lines)
    mask = structure.code
    atx = structure.headings
    headings = [m for i, line in enumerate(lines) if i in atx and (m := ATX.match(line))]
    top = _top_level(headings)
    blocks = [Block(None, "", "")]
    promoted: tuple[int, Block] | None = None
    parent = blocks[0]
    for i, line in enumerate(lines):
        heading = ATX.match(line) if i in atx else None
        if heading:
            level = len(heading[1])
            title = heading[2].strip()
            name = our_section(title)
            if promoted and level <= promoted[0]:
                promoted = None
            if level <= top:
                parent = Block(name, title, line)
                blocks.append(parent)
                continue
            if name in _PROMOTED and parent.name != name:
                block = Block(name, title, line)
                blocks.append(block)
                promoted = (level, block)
                report.mapped.append(f"'{title}' brought up to '## {name}'")
                continue
            # Levels relative to the section; a block that becomes a subsection is pushed
            # down one more level, all at once, by _demote.
            depth = 2 + level - (promoted[0] if promoted else top)
            target = promoted[1] if promoted else parent
            target.lines.append("#" * min(depth, 6) + " " + title)
            continue
        label = None if mask[i] else BOLD_LABEL.match(line)
        # A bold label opens a section at the top, or after another label; inside a section
        # that a heading opened it is emphasis, kept where it is.
        if (
            label
            and not promoted
            and (parent.name is None or parent.origin.startswith(("**", "__")))
        ):
            name = our_section(label["label"])
            if name:
                parent = Block(name, label["label"].strip(), line[: label.start("rest")].strip())
                blocks.append(parent)
                rest = label["rest"].strip()
                if rest:
                    # Text that followed the label stays text, not a list it never was.
                    parent.lines.append(_LIST_START.sub(r"\\\g<0>", rest, count=1))
                continue
        plain = None if mask[i] or promoted else _plain_label(lines, i)
        if plain:
            parent = Block(plain, line.strip(), line.strip())
            blocks.append(parent)
            continue
        (promoted[1] if promoted else parent).lines.append(line)
    _done_not_planned(blocks, report)
    return blocks


def _plain_label(lines: list[str], i: int) -> str | None:
    """A line that is only a section's name ("Action Items"), on its own between a blank
    line and a list: a heading written without its marks."""
    text = lines[i].strip().rstrip(":").strip()
    if not text or len(text.split()) > 5 or (i > 0 and lines[i - 1].strip()):
        return None
    name = section_for(text)
    if name not in ("Action Items", "Timeline") or ITEM.match(lines[i]):
        return None
    following = next((line for line in lines[i + 1 : i + 4] if line.strip()), "")
    # A list, or (for the timeline) lines that begin with a time: "Timeline:" over
    # "10:02 UTC alert fired" in a write-up of plain text.
    timed = name == "Timeline" and read_clock(strip_row(following)) is not None
    return name if ITEM.match(following) or timed else None


# Sections a subheading is brought up to, wherever the source put it.
_PROMOTED = ("What Went Well", "What Could Be Improved", "Timeline", "Action Items")


def timeline_by_content(blocks: list[Block], report: Report) -> None:
    """A source without a heading that names the timeline: the section whose entries mostly
    begin with a time ("What happened", "Events", a heading of its own) is the timeline; so
    is a run of sections whose headings are each a stamp ("## 09:25", "## 09:10"), an
    update each, merged into one."""
    if any(block.name == "Timeline" for block in blocks):
        return
    for block in blocks:
        if block.title and block.name in (None, "Summary") and _mostly_timed(block.lines):
            report.mapped.append(f"'{block.title}' holds a timeline -> '## Timeline'")
            block.name = "Timeline"
            return
    _stamped_headings(blocks, report)


def _stamped_headings(blocks: list[Block], report: Report) -> None:
    """Two or more sections in a row whose headings begin with a time and name none of our
    sections: one Timeline, each heading a row over its text."""
    run: list[int] = []
    best: list[int] = []
    for k, block in enumerate(blocks):
        if block.title and block.name is None and opens_with_time(f"# {block.title}"):
            run.append(k)
            best = max(best, run, key=len)
        else:
            run = []
    if len(best) < 2:
        return
    merged: list[str] = []
    for k in best:
        merged += ["", f"### {blocks[k].title}", *blocks[k].lines]
    titles = ", ".join(f"'{blocks[k].title}'" for k in best)
    blocks[best[0] : best[-1] + 1] = [Block("Timeline", "Timeline", "", merged)]
    report.mapped.append(f"headings {titles}, each a time -> '## Timeline'")


# A list item that is only a bold label ("- **Review actions**:"), its list nested below it.
_LABEL_ITEM = re.compile(r"[-*+][ \t]+(?:\*\*|__)(?P<label>[^*_\n]{2,60}?):?(?:\*\*|__):?[ \t]*$")


def labelled_lists(lines: list[str], report: Report) -> list[str]:
    """A top-level list item that holds only a bold label, with a list nested below it, is
    a part of the document the label names: a heading with the nested list below it, when
    the label names one of our sections ("**Review actions**:" speaks of work to do) or the
    nested entries mostly begin with a time ("**Context**:" over time-stamped items).
    Other labelled items ("**Key events**") stay as they are."""
    code = read_blocks(lines).code
    out: list[str] = []
    i = 0
    while i < len(lines):
        found = None if code[i] else _LABEL_ITEM.match(lines[i])
        end = _item_end(lines, i, code) if found is not None else i + 1
        depth = _indent(lines[i + 1 : end])
        nested = [line[depth:] for line in lines[i + 1 : end]]
        if found is None or not nested:
            out.append(lines[i])
            i += 1
            continue
        label = found["label"].strip()
        if our_section(label) is None and not _mostly_timed(nested):
            out.append(lines[i])
            i += 1
            continue
        out += ["", f"## {label}", "", *nested, ""]
        report.mapped.append(f"list item '{label}' and its nested list -> '## {label}'")
        i = end
    return out


# A paragraph that is only a label ("Updates:", "**Events**:"), a list below it.
_LABEL_LINE = re.compile(
    r"^\s{0,3}(?:\*\*|__)?(?P<label>[A-Za-z][\w ()/-]{1,40}?)(?:\*\*|__)?:(?:\*\*|__)?\s*$"
)


def labelled_timelines(lines: list[str], report: Report) -> list[str]:
    """A label on a line of its own ("Updates:") over a list whose entries mostly begin
    with a time, the list running to the end of its section, is that list's heading: the
    list becomes the timeline by what it holds. Only when no heading names the timeline."""
    if any(section_for(h[2].strip()) == "Timeline" for h in map(ATX.match, lines) if h):
        return lines
    code = read_blocks(lines).code
    for i, line in enumerate(lines):
        found = None if code[i] else _LABEL_LINE.match(line)
        said = None if code[i] or found else _TIMELINE_SENTENCE.fullmatch(line.strip())
        if (found is None and said is None) or (i and lines[i - 1].strip()):
            continue
        end = i + 1
        while end < len(lines) and not ATX.match(lines[end]):
            end += 1
        below = lines[i + 1 : end]
        listed = [row for row in below if row.strip()]
        if not listed or not ITEM.match(listed[0]) or not _one_list(below):
            continue
        timed, entries = _timed_entries(below)
        if found is not None and timed >= 3 and timed * 2 >= entries:
            label = found["label"].strip()
            report.mapped.append(f"label '{label}:' over a timed list -> '## {label}'")
            return [*lines[:i], f"## {label}", *lines[i + 1 :]]
        if said is not None and timed >= 2:
            # "Here is the timeline of what happened, all times in Pacific Time:" names the
            # list below it, whose entries need not all carry a time; the sentence stays.
            report.mapped.append("a sentence naming the timeline over a list -> '## Timeline'")
            return [*lines[:i], "## Timeline", "", *lines[i:]]
    return lines


# A sentence that names the list below it as the timeline, ending in a colon.
_TIMELINE_SENTENCE = re.compile(
    r"(?=.*\b(?:timeline|chronology|sequence of events)\b)[^:|#<>]{8,200}:", re.IGNORECASE
)


def _one_list(lines: list[str]) -> bool:
    """Whether the text is one list and nothing after it: every line is an item, the
    indented continuation of one, or blank."""
    return all(not row.strip() or ITEM.match(row) or row[:1] in (" ", "\t") for row in lines)


def _item_end(lines: list[str], i: int, code: tuple[bool, ...]) -> int:
    """Where the item at ``i`` ends: after its last indented line (blank lines between its
    lines belong to it, blank lines after it do not). One pass over the item's lines."""
    end = k = i + 1
    while k < len(lines) and not code[k]:
        if lines[k].strip():
            if lines[k][:1] not in (" ", "\t"):
                break
            end = k + 1
        k += 1
    return end


def _indent(lines: list[str]) -> int:
    return min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)


# A declaration is a short line of its own ("All times PDT."), not a sentence of prose.
_DECLARATION_WORDS = 12


def zone_before_timeline(blocks: list[Block]) -> Zone | None:
    """The zone the text declares before its timeline ("All times PDT." under the title, in
    the summary): the last such declaration above it holds for the timeline's times until
    the timeline declares another. None when the text declares none before it."""
    found: Zone | None = None
    for block in blocks:
        if block.name == "Timeline":
            return found
        code = read_blocks(block.lines).code
        for i, line in enumerate([block.title, *block.lines]):
            if i and code[i - 1]:
                continue
            text = EMPHASIS.sub("", line.strip().lstrip("#").strip())
            if text and len(text.split()) <= _DECLARATION_WORDS:
                found = declared_zone(text) or found
    return None


def zone_of_times_before_timeline(blocks: list[Block]) -> Zone | None:
    """The one zone the text's own times are written in before its timeline ("a partial
    outage from ~13:22 PST to ~16:17 PST" in the summary), for a timeline whose times name
    none: people name the zone once, where they first give a time, and write the rest bare.
    None when those times name no zone, or several ("13:14 EDT (17:14 UTC)"; a provider's
    time in its own zone beside ours): which one the timeline follows is then a question."""
    zones: dict[tuple[object, str], Zone] = {}
    for block in blocks:
        named = _zones_named(block)
        if block.name == "Timeline":
            # Times that carry their zone carry it to the bare ones below them.
            return next(iter(zones.values())) if len(zones) == 1 and not named else None
        zones.update(named)
    return None


def _zones_named(block: Block) -> dict[tuple[object, str], Zone]:
    """The zones the times of a block's prose are written in (code is another clock's)."""
    zones: dict[tuple[object, str], Zone] = {}
    for line in [ADDRESS.sub(" ", block.title), *prose_lines(block.lines)]:
        for expression in find_times(line):
            zone = expression.zone
            if zone is not None and zone.tz is not None:
                zones[(zone.offset, str(zone.tz))] = zone
    return zones


def _mostly_timed(lines: list[str]) -> bool:
    """At least three entries (list items, paragraphs, headings, table rows), and at least
    half of them beginning with a time."""
    timed, entries = _timed_entries(lines)
    return timed >= 3 and timed * 2 >= entries


def _timed_entries(lines: list[str]) -> tuple[int, int]:
    """How many entries begin with a time, of how many entries."""
    blocks = read_blocks(lines)
    mask = blocks.code
    # A table's delimiter row and a thematic break are no entries.
    skipped = blocks.breaks | {start + 1 for start in blocks.tables}
    entries = timed = 0
    previous = ""
    stamped = _stamped_rows(lines, blocks)
    # A heading that begins with a time is one entry with the paragraphs under it.
    under_stamp = False
    for i, line in enumerate(lines):
        if mask[i] or not line.strip() or i in skipped:
            previous = line if not mask[i] else ""
            continue
        heading = ATX.match(line)
        if heading:
            under_stamp = opens_with_time(line)
        elif under_stamp and not ITEM.match(line):
            previous = line
            continue
        starts = bool(ITEM.match(line) or heading or line.lstrip().startswith("|"))
        if starts or not previous.strip():
            entries += 1
            timed += opens_with_time(line) or i in stamped
        previous = line
    return timed, entries


def _stamped_rows(lines: list[str], blocks: Blocks) -> set[int]:
    """The body rows of tables that hold a time in the column that says when: the first, or
    the second when its header says so ("Step | Timestamp | Notes") or the first holds the
    days. A table whose times stand further right records things that each have a time
    (payouts, transactions, "Wallet | Amount | Time"), and is not read as a timeline."""
    found: set[int] = set()
    for start, end in blocks.tables.items():
        head = [cell.text for cell in split_row(lines[start], start + 1).cells]
        body = {
            j: [cell.text for cell in split_row(lines[j], j + 1).cells]
            for j in range(start + 2, end)
        }
        columns = when_columns(head, list(body.values()))
        if columns is None or columns[1] > 1:
            continue
        days, times = columns
        named = times < len(head) and TIME_HEADER.search(head[times]) is not None
        if times == 0 or days == 0 or named:
            # A time of day, not a day alone: a changelog's dates make no timeline.
            found.update(j for j, cells in body.items() if read_clock(cell_text(cells, times)))
    return found


def _top_level(headings: list[tuple[str, str, str]]) -> int:
    """The level the source's sections are at: where most headings name one of ours (a
    stray ``# Stats`` at the end does not make every ``##`` a subsection)."""
    if not headings:
        return 2
    named: dict[int, int] = {}
    for match in headings:
        if our_section(match[2]):
            named[len(match[1])] = named.get(len(match[1]), 0) + 1
    if not named:
        return min(len(m[1]) for m in headings)
    return max(sorted(named), key=lambda level: named[level])


def merge_sections(blocks: list[Block], report: Report) -> dict[str, list[str]]:
    """Blocks merged into our sections, in our order.

    A block without a match becomes a subsection of the closest section: the one before it,
    or, above the first, the one after it; after the Action Items, one that does not read as
    follow-ups joins the section before them. A second block for the same section becomes a
    subsection of the first. Subsections follow their section's own text.
    """
    sections: dict[str, list[str]] = {}
    subsections: dict[str, list[str]] = {}
    preamble: list[str] = []
    last: str | None = None
    before_actions: str | None = None
    # The name of the first named block after each block, found in one pass from the end:
    # looking ahead from every unmatched block was quadratic in the number of headings.
    following: list[str | None] = [None] * len(blocks)
    for index in range(len(blocks) - 2, -1, -1):
        following[index] = blocks[index + 1].name or following[index + 1]
    for index, block in enumerate(blocks):
        if block.name is None and not block.title:
            preamble = block.lines
            continue
        if block.name is None or block.name in sections:
            home = block.name or last or following[index] or "Summary"
            if home == "Action Items" and block.name is None and not _follow_ups(block):
                # "Conclusion", "Attendees", an appendix after the action items: text, not
                # items; kept with the section before them, as the source's order has it.
                home = before_actions or "Summary"
            subsections.setdefault(home, []).extend(["", *_demote(block.origin, block.lines)])
            what = "section" if block.name is None else "second"
            report.kept.append(f"{what} '{block.title}' kept as a subsection of '{home}'")
            continue
        if block.name != "Action Items":
            before_actions = block.name
        last = block.name
        note = []
        if block.title.casefold() != block.name.casefold():
            note = [f"<!-- imported from: {block.origin.strip()} -->"]
            report.mapped.append(f"'{block.title}' -> '## {block.name}'")
        sections[block.name] = [*note, *block.lines]
    for name, lines in subsections.items():
        sections.setdefault(name, []).extend(lines)
    if has_text(preamble):
        sections.setdefault("Summary", [])[:0] = [*preamble, ""]
        report.mapped.append("text before the first heading -> Summary")
    order = {name: i for i, name in enumerate(SECTIONS)}
    return dict(sorted(sections.items(), key=lambda kv: order.get(kv[0], len(order))))


def _follow_ups(block: Block) -> bool:
    """An untitled-for-us block that reads as follow-ups: its heading or one of its
    subheadings speaks of work still to do ("For our operations" over "Immediate actions")."""
    titles = [block.title, *(h[2] for line in block.lines if (h := ATX.match(line)))]
    return any(means_future_work(EMPHASIS.sub("", _shown(title)).strip()) for title in titles)


def marked(lines: list[str]) -> bool:
    """A section that holds only the marker ``TBD``."""
    return [line.strip() for line in lines if line.strip()] == [TBD]


def demoted(lines: list[str]) -> list[str]:
    """Lines moved under a ``###`` heading: their own headings one level further down."""
    out = []
    for line in lines:
        sub = ATX.match(line)
        out.append("#" * min(len(sub[1]) + 1, 6) + " " + sub[2] if sub else line)
    return out


def _demote(origin: str, lines: list[str]) -> list[str]:
    """A block as a subsection: its heading one level below ours, its subheadings below it."""
    title = ATX.match(origin)
    heading = title[2].strip() if title else EMPHASIS.sub("", origin.strip())
    out = [f"### {heading}"]
    for line in lines:
        sub = ATX.match(line)
        out.append("#" * min(len(sub[1]) + 1, 6) + " " + sub[2] if sub else line)
    return out
