"""How an entry of a timeline opens: its leading stamp however it is marked (a heading
that is a time, a list marker, emphasis, brackets, a link whose text is the time, a status
post's label), read apart from the words that follow it.
"""

from __future__ import annotations

import re

from mkdocs_postmortems.importers.markdown import (
    ATX,
    ITEM,
    ITEM_TEXT,
    Blocks,
)
from mkdocs_postmortems.importers.times import (
    Clock,
    lead_day,
    read_clock,
    relative_offset,
    undecided_clock,
)

LEAD_EMPHASIS = re.compile(r"^(?:\*\*|__|\*|_)+")


# A stamp in square brackets that opens an entry ("[13:26] paged"), not a link's text, or
# written as code ("`08:51` - paged"), with a "~" before it that says it is approximate.
BRACKETED = re.compile(
    r"(?P<near>~?)(?:\[(?P<stamp>[^\[\]]{3,40})\](?![(\[:])|`(?P<code>[^`]{3,40})`)"
)


def opens_with_time(line: str) -> bool:
    """Whether a line opens an entry with its time: a heading that is a time ("## 09:25",
    "### Update 27.08.2022 10:00"), or a line whose first words are one, however marked
    (a list marker, emphasis, brackets, a link whose text is the time: "[1758](url): ...")."""
    heading = ATX.match(line)
    text = heading[2].strip() if heading else lead_text(line)
    opening = ITEM.match(line) is not None and opening_clock(text) is not None
    return read_clock(text) is not None or opening or post_label(text)[1] is not None


def starts_row(line: str) -> bool:
    heading = ATX.match(line)
    if heading:
        return read_clock(heading[2].strip()) is not None
    text = lead_text(line)
    return (
        read_clock(text) is not None
        or (ITEM.match(line) is not None and opening_clock(text) is not None)
        or lead_day(text) is not None
        or bool(post_label(text)[0])
        or undecided_clock(text) is not None
        or relative_offset(text) is not None
    )


# The word a status post opens with before its stamp: "UPDATE", "Update:", "Edit".
# The spaces after the separator are read only when there is one: two free runs of spaces
# side by side made a label followed by a long run of spaces quadratic.
# "UPDATE", "Update:", "Edit", or a status page's state before its stamp ("### Resolved -
# April 2, 10:40 UTC").
POST_LABEL = re.compile(
    r"(?P<label>update[sd]?|edit(?:ed)?|investigating|identified|monitoring|mitigated"
    r"|recovering|resolved|completed|scheduled|verifying)\b\s*(?:[:–—|-]\s*)?(?=[(\d\w])",
    re.IGNORECASE,
)


def post_label(candidate: str) -> tuple[str, Clock | None, str]:
    """A lead such as "UPDATE 7 May 19:27 UTC": the label, the time after it, and the lead
    from the time on; ("", None, candidate) when the lead is no such post."""
    label = POST_LABEL.match(candidate)
    if label is None:
        return "", None, candidate
    rest = candidate[label.end() :]
    if rest.startswith("("):
        # "Update (11:05 UTC): ...": the brackets are layout around the stamp.
        close = rest.find(")", 1, LEAD_REACH)
        inner = read_clock(rest[1:close]) if close > 0 else None
        if inner is None or inner.end < close - 1:
            return "", None, candidate
        rest = rest[1:close] + rest[close + 1 :]
    clock = read_clock(rest)
    if clock is None:
        return "", None, candidate
    return label["label"], clock, rest


def plain_lead(line: str) -> str:
    """A line without its list marker and the emphasis that opens it."""
    text = line.strip()
    item = ITEM.match(text)
    if item:
        text = item["text"]
    return LEAD_EMPHASIS.sub("", text.strip())


def lead_text(line: str) -> str:
    """A line without its list marker and the emphasis that opens it (``**18:56:**``,
    ``*06:00*``); emphasis that closes the line stays, so nothing is left unbalanced."""
    text = plain_lead(line)
    linked = LINKED.match(text)
    if linked:
        # "[1758](https://...): acknowledged": the link's text is the entry's time.
        return linked_lead(text, linked) or text
    bracketed = BRACKETED.match(text)
    if bracketed:
        # The brackets and backticks are layout around the stamp, as emphasis is: "[13:26] x"
        # is "13:26 x" when all that the brackets hold is a time.
        stamp = (bracketed["stamp"] or bracketed["code"]).strip()
        clock = read_clock(stamp)
        if clock is not None and clock.end == len(stamp):
            return bracketed["near"] + stamp + text[bracketed.end() :]
    return text


# A link at the start of an entry, its text a stamp: "[1758](https://chat.example/p1): ...".
LINKED = re.compile(r"(?P<near>~?)\[(?P<stamp>[^\[\]]{3,40})\]\((?P<target>[^()\s]{1,2000})\)")


def linked_lead(text: str, linked: re.Match[str]) -> str | None:
    """An entry whose time is a link's text, read as the time written plain; None when the
    link's text is no time alone."""
    stamp = linked["stamp"].strip()
    clock = read_clock(stamp)
    if clock is None or clock.end != len(stamp):
        return None
    # The emphasis that closes around the link ("**[1505](url)**: ...") is layout.
    return linked["near"] + stamp + LEAD_EMPHASIS.sub("", text[linked.end() :])


def balanced(event: str, line: str) -> str:
    """An entry whose whole line was emphasised loses the closing mark with the opening."""
    opening = LEAD_EMPHASIS.match(ITEM_TEXT.sub("", line.strip()))
    mark = opening.group(0) if opening else ""
    if mark and event.endswith(mark) and event.count(mark) == 1:
        return event[: -len(mark)].rstrip()
    return event


# A time in an entry's first words, after the word that places it: "At 17:30 we ...",
# "On Sep 29 at 14:00, ...", "By 16:30 ...", "Around 9:30 UTC, ...".
OPENING = re.compile(r"(?:(?:on|at|around|about|approximately|by|circa)\s+|~\s*){1,2}", re.I)


WRITTEN_TIME = re.compile(r"\d:\d{2}|\d\s*[ap]\.?m\b", re.IGNORECASE)


def opening_clock(text: str) -> Clock | None:
    """The time a sentence opens with ("At 17:30 we repaired ..."), written as a time
    (``HH:MM``, a 12-hour clock), not a year or a count; None for any other text."""
    match = OPENING.match(text)
    clock = read_clock(text[match.end() :]) if match else None
    if match is None or clock is None or clock.end > LEAD_REACH:
        return None
    written = text[match.end() : match.end() + clock.end]
    return clock if WRITTEN_TIME.search(written) else None


def unmarked_clock(candidate: str) -> tuple[str, Clock | None]:
    """A lead whose time alone is emphasised after its day ("Feb 28th **01:52** ..."): the
    marks are layout, not words, and the day and time are read as one; else as it was."""
    match = EMPHASISED_CLOCK.search(candidate, 0, LEAD_REACH)
    if match is None:
        return candidate, None
    plain = candidate[: match.start()] + match["clock"] + candidate[match.end() :]
    clock = read_clock(plain)
    return (plain, clock) if clock is not None else (candidate, None)


EMPHASISED_CLOCK = re.compile(
    r"(?P<mark>\*{1,2}|_{1,2})(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)(?P=mark)"
)


# How far into a line its leading day and time may reach.
LEAD_REACH = 40


def heading_text(
    lines: list[str], k: int, blocks: Blocks, pieces: list[str], timed: bool = False
) -> int:
    """The paragraphs under a heading that is a row (``### 09:21 PM``), up to the next
    heading, row, list, table or code. ``timed``: the heading is a time, and a list under
    it tells what happened then ("### 15:47", "- Launch success rate drops"), one entry
    with it, unless its items carry times of their own (rows of their own)."""
    while k < len(lines):
        following = lines[k]
        if blocks.code[k] or ATX.match(following):
            break
        if ITEM.match(following.strip()) and not timed:
            break
        if following.strip() and (starts_row(following) or k in blocks.tables):
            break
        if following.strip():
            pieces.append(following.strip())
        k += 1
    # Blank lines that end the paragraphs stay in the text around the table.
    while k > 0 and not lines[k - 1].strip() and pieces:
        k -= 1
    return k
