"""A status page's updates as a timeline's entries: updates that are sections of their
own, stamped anywhere in them; paragraphs stamped after their text; updates that open with
their state ("*Update* - ..."); a cState page's `track` stamps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mkdocs_postmortems.core.synonyms import section_for
from mkdocs_postmortems.importers.markdown import (
    ATX,
    EMPHASIS,
    ITEM,
    read_blocks,
    strip_row,
)
from mkdocs_postmortems.importers.report import Report
from mkdocs_postmortems.importers.sections import our_section
from mkdocs_postmortems.importers.status_page import resolution_date, stamp_line
from mkdocs_postmortems.importers.times import (
    read_clock,
)

# A status page's update stamped at its end with Hugo's shortcode (cState, Hugo status
# themes): ``... {{< track "2021-02-10T21:00:00.000Z" >}}``.
_TRACK = re.compile(r"\{\{<\s*track\s+\"(?P<at>[^\"]{8,40})\"\s*>\}\}\s*$")


def stamped_updates(lines: list[str], meta: dict[str, Any], report: Report) -> list[str]:
    """A status page's updates, each stamped at its end, as entries that begin with their
    time (the stamp moved to the front, the shortcode's name kept in a comment), under a
    Timeline heading when the source has none. The opening post before the first stamped
    update is at the page's own ``date``, when that gives the time; a last update without a
    stamp is at the page's date of resolution (``resolved_on``), when it has one. Fewer than
    two stamped updates are no timeline: the text is left as it is."""
    code = read_blocks(lines).code
    paragraphs: list[tuple[int, int]] = []
    start: int | None = None
    for i, line in enumerate([*lines, ""]):
        # A line that is only a hard break ("\\") parts updates as a blank line does.
        plain = (
            i < len(lines)
            and not code[i]
            and line.strip() not in ("", "\\")
            and not ATX.match(line)
        )
        if plain and start is None:
            start = i
        elif not plain and start is not None:
            paragraphs.append((start, i - 1))
            start = None
    # A stamp after the text on its line is an update's only where no heading names the
    # timeline: elsewhere it is a sentence's time ("... was restored (10:40 UTC).").
    stamps = {p: found for p in paragraphs if (found := _stamp(lines, p, False))}
    if not _names_timeline(lines):
        stamps.update(_stamped_after_text(lines, paragraphs, stamps))
    closing = resolution_date(meta)
    if stamps and closing is not None and paragraphs[-1] not in stamps:
        stamps[paragraphs[-1]] = (closing, lines[paragraphs[-1][1]])
    stamped = sorted(stamps)
    if len(stamped) < 2:
        posted = _posted_updates(lines, paragraphs, report)
        labelled = (
            None if posted is not lines else _labelled_updates(lines, paragraphs, meta, report)
        )
        return labelled if labelled is not None else posted
    out = list(lines)
    for (first, last), (stamp, kept) in sorted(stamps.items()):
        out[last] = kept
        out[first] = f"{stamp} {out[first].lstrip()}"
    opening = next((p for p in paragraphs if p[0] < stamped[0][0]), None)
    dated = _moment_text(meta.get("date"))
    if opening is not None and dated is not None and _stamp_of_lead(lines[opening[0]]) is None:
        out[opening[0]] = f"{dated} {out[opening[0]].lstrip()}"
    if not _names_timeline(lines):
        where = (opening or stamped[0])[0]
        out[where:where] = ["## Timeline", ""]
        report.mapped.append("status updates stamped at their end -> '## Timeline'")
    return out


def _names_timeline(lines: list[str]) -> bool:
    return any(section_for(h[2].strip()) == "Timeline" for h in map(ATX.match, lines) if h)


@dataclass(frozen=True)
class _Update:
    """A heading's section that is one status update: where it runs, its heading's level
    and title, and the line of its stamp with what that line says."""

    start: int
    end: int
    level: int
    title: str
    at: int
    stamp: tuple[str, str]


def sectioned_updates(lines: list[str], report: Report) -> list[str]:
    """Status updates that are each a heading's section ("## Investigating", its text, a
    line "Posted Jun 29, 2023 - 18:36 UTC", what it affected), two or more in a row: each
    one entry beginning with its stamp, its heading as its label, every part kept in its
    order (the stamp's own line as a comment where it stood), under a Timeline heading. The
    text as it is when it holds no such run, or names its timeline already."""
    if _names_timeline(lines):
        return lines
    blocks = read_blocks(lines)
    code = blocks.code
    # What an update cannot be one entry of: code, a table, a subheading to flatten.
    structured = [bool(c) for c in code]
    for first, last in blocks.tables.items():
        structured[first:last] = [True] * (last - first)
    headings = [
        (i, len(heading[1]), heading[2].strip())
        for i, line in enumerate(lines)
        if not code[i] and (heading := ATX.match(line))
    ]
    runs: list[list[_Update]] = [[]]
    for k, (start, level, title) in enumerate(headings):
        after = (headings[j] for j in range(k + 1, len(headings)))
        end = next((j for j, deeper, _ in after if deeper <= level), len(lines))
        found = [(i, stamp) for i in range(start + 1, end) if (stamp := _alone_stamp(lines, i))]
        nested = k + 1 < len(headings) and headings[k + 1][0] < end
        # A heading that names a part of a post-mortem ("## Impact" with a "Last updated"
        # line) is that part, not an update.
        ours = our_section(title) is not None
        if len(found) != 1 or nested or ours or any(structured[start + 1 : end]):
            runs.append([])
            continue
        update = _Update(start, end, level, title, *found[0])
        if runs[-1] and (runs[-1][-1].end != start or runs[-1][-1].level != level):
            runs.append([])
        runs[-1].append(update)
    run = max(runs, key=len)
    if len(run) < 2:
        return lines
    out = [*lines[: run[0].start], "#" * run[0].level + " Timeline", ""]
    for update in run:
        written, kept = update.stamp
        parts = [
            kept if k == update.at else lines[k].strip()
            for k in range(update.start + 1, update.end)
        ]
        out += [f"{written} **{update.title}**: {' '.join(part for part in parts if part)}", ""]
    report.mapped.append(
        f"{len(run)} status updates, each a section stamped in its text -> '## Timeline'"
    )
    return [*out, *lines[run[-1].end :]]


def _alone_stamp(lines: list[str], i: int) -> tuple[str, str] | None:
    """A stamp on a line of its own between blank lines (not a list item, a row, a heading,
    code), with what its line says besides."""
    line = lines[i]
    if not line.strip() or ITEM.match(line) or line.lstrip().startswith(("|", "#", "`", "~")):
        return None
    before = i == 0 or not lines[i - 1].strip()
    after = i + 1 == len(lines) or not lines[i + 1].strip()
    return stamp_line(line) if before and after else None


# A post that opens with its label and stamp: "**UPDATE 7 May 19:27 UTC** - ...".
_POSTED_UPDATE = re.compile(r"(?:\*\*|__)?(?:update[sd]?|edit(?:ed)?)\b:?\s+", re.IGNORECASE)


def _posted_updates(
    lines: list[str], paragraphs: list[tuple[int, int]], report: Report
) -> list[str]:
    """Updates posted below a write-up, each opening with its label and time ("UPDATE 7 May
    19:27 UTC - ..."), are its timeline: a Timeline heading goes above the first, when the
    source has no timeline heading and at least two such updates follow one another."""
    posted = []
    for first, _ in paragraphs:
        label = _POSTED_UPDATE.match(lines[first].strip())
        if label and read_clock(EMPHASIS.sub("", lines[first].strip()[label.end() :])):
            posted.append(first)
    named = any(section_for(h[2].strip()) == "Timeline" for h in map(ATX.match, lines) if h)
    if len(posted) < 2 or named:
        return lines
    report.mapped.append("updates posted with their time -> '## Timeline'")
    return [*lines[: posted[0]], "## Timeline", "", *lines[posted[0] :]]


# A status update's state opening its paragraph, emphasised or not, before a dash or a colon
# ("*Investigating* - ", "**Update**: ", "*Post Mortem -* ", "Resolved: ").
_STATE = re.compile(
    r"(?P<label>(?P<mark>\*\*|__|\*|_)?(?P<state>investigating|identified|updated?|monitoring"
    r"|recovering|recovered|mitigated|resolved|completed|scheduled|in progress|verifying"
    r"|post[- ]?mortem)\s*(?:[-–—:]\s*)?(?(mark)(?P=mark))\s*(?:[-–—:]\s*)?)(?P<rest>.*)$",
    re.IGNORECASE,
)


# A stamp right after the state, in brackets or not: "*Update* - (4:27 PM PST) We ...".
_BRACKETED_STAMP = re.compile(r"\((?P<stamp>[^()]{3,40})\)\s*")


# A run of updates is three of them at least: two labelled paragraphs are just two.
_FEWEST_UPDATES = 3


def _labelled_updates(
    lines: list[str], paragraphs: list[tuple[int, int]], meta: dict[str, Any], report: Report
) -> list[str] | None:
    """A status page's updates told as paragraphs that open with their state ("*Update* -
    ..."), three or more in a row, as the entries of a Timeline list: each stamped where it
    carries a stamp after its state (moved to the front), the first at the page's date and
    the Resolved one at the page's date of resolution when the front matter gives them, the
    others left for a person to time. None when the text holds no such run."""
    if _names_timeline(lines):
        return None
    run: list[tuple[int, int]] = []
    best: list[tuple[int, int]] = []
    for first, last in paragraphs:
        labelled = _STATE.match(lines[first].strip())
        if labelled and labelled["label"].strip() != labelled["state"] and labelled["rest"]:
            run.append((first, last))
            best = max(best, run, key=len)
        else:
            run = []
    if len(best) < _FEWEST_UPDATES:
        return None
    stamps = [_state_stamp(lines[first].strip()) for first, _ in best]
    states = [_STATE.match(lines[first].strip()) for first, _ in best]
    resolved = [k for k, found in enumerate(states) if found and _ended(found["state"])]
    # Newest first when the Resolved update comes first: the page's date is then the last.
    opening, closing = (len(best) - 1, 0) if resolved[:1] == [0] else (0, (resolved or [-1])[-1])
    dated = _moment_text(meta.get("date"))
    if stamps[opening] is None and dated is not None:
        stamps[opening] = (dated, lines[best[opening][0]].strip())
    ended = resolution_date(meta)
    if stamps[closing] is None and ended is not None:
        stamps[closing] = (ended, lines[best[closing][0]].strip())
    out = list(lines)
    for (first, last), stamp in zip(best, stamps, strict=True):
        said = " ".join(
            stamp[1] if k == first and stamp else lines[k].strip() for k in range(first, last + 1)
        )
        out[first] = f"- {stamp[0]} {said}" if stamp else f"- {said}"
        out[first + 1 : last + 1] = [""] * (last - first)
    where = best[0][0]
    out[where:where] = ["## Timeline", ""]
    report.mapped.append(f"{len(best)} status updates opening with their state -> '## Timeline'")
    return out


def _ended(state: str) -> bool:
    return state.lower() in ("resolved", "completed")


def _state_stamp(paragraph: str) -> tuple[str, str] | None:
    """The stamp an update writes right after its state, and the update without it (the
    state kept first): "*Update* - (4:27 PM PST) We ..." gives "4:27 PM PST"."""
    found = _STATE.match(paragraph)
    if found is None:
        return None
    rest = found["rest"]
    bracketed = _BRACKETED_STAMP.match(rest)
    written = bracketed["stamp"].strip() if bracketed else rest
    clock = read_clock(written)
    if clock is None or (bracketed and clock.end != len(written)):
        return None
    stamp = written[: clock.end]
    after = rest[bracketed.end() :] if bracketed else rest[clock.end :].lstrip(" -–—:,")
    return stamp, f"{found['label']}{after}"


def _stamped_after_text(
    lines: list[str], paragraphs: list[tuple[int, int]], stamped: dict[tuple[int, int], Any]
) -> dict[tuple[int, int], tuple[str, str]]:
    """Paragraphs whose line ends in its stamp after the text, three or more in a row: a
    timeline written so. Fewer are sentences that give their time."""
    found: dict[tuple[int, int], tuple[str, str]] = {}
    run: dict[tuple[int, int], tuple[str, str]] = {}
    for paragraph in [*paragraphs, (-1, -1)]:
        stamp = None if paragraph in stamped or paragraph[0] < 0 else _stamp(lines, paragraph, True)
        if stamp is not None:
            run[paragraph] = stamp
            continue
        if len(run) >= _FEWEST_UPDATES:
            found.update(run)
        run = {}
    return found


_TRAILING_REACH = 60


# A stamp at the end of a line after a dash, or in brackets: "... recovered. — 10:40 UTC".
_TRAILING_STAMP = re.compile(
    # Runs of spaces bounded by the reach the line's end is read in (_TRAILING_REACH): from
    # every space of a longer run, the rest of the run was read again.
    r"\s{1,60}(?:[—–-]\s{0,60}(?P<stamp>[^()—–]{4,40}?)|\((?P<bracketed>[^()]{4,40})\))\s*$"
)


def _stamp(
    lines: list[str], paragraph: tuple[int, int], after_text: bool
) -> tuple[str, str] | None:
    """The stamp at the end of a paragraph, and what stays where it was written: a Hugo
    shortcode's name, the markup and label of a last line that is only a stamp, or (when
    ``after_text``) the text before a stamp that ends the line after a dash or in brackets."""
    first, last = paragraph
    line = lines[last]
    found = _TRACK.search(line)
    if found and read_clock(found["at"]) is not None:
        return found["at"], _TRACK.sub("<!-- track -->", line).rstrip()
    if read_clock(strip_row(lines[first])) is not None:
        return None
    # Only a line's end is read: a stamp is short, and a search over a long run of spaces
    # from every position would be quadratic.
    tail = max(0, len(line) - _TRAILING_REACH)
    trailing = _TRAILING_STAMP.search(line, tail) if after_text else None
    written = (trailing["stamp"] or trailing["bracketed"]) if trailing else ""
    if trailing is not None and (said := stamp_line(written)) and not said[1]:
        # "Search fully recovered. — 10:40 UTC": the stamp after a dash or in brackets at
        # the end of the update's line, its text before it.
        return said[0], line[: trailing.start()]
    return None if last == first else stamp_line(line)


def _stamp_of_lead(line: str) -> object:
    return read_clock(line.strip())


def _moment_text(value: Any) -> str | None:
    """A front-matter date with its time, as the stamp of the post it dates."""
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value or "").strip()
    clock = read_clock(text)
    return text if clock is not None and clock.day is not None else None
