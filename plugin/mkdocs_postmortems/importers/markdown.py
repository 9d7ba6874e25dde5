"""The structure of a write-up's Markdown as the importer reads it: fenced code, ATX and
Setext headings, list items, pipe tables, emphasis around a label.

Read line by line, each pattern anchored at the start of its line; what a line says is for
the modules that use these (sections, timeline, action items).
"""

from __future__ import annotations

import re

FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX_OPENING = re.compile(r" {0,3}(#{1,6})[ \t]+")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
BOLD_LABEL = re.compile(
    r"\s{0,3}(?:\*\*|__)(?P<label>[^*_]{2,60}?)(?::\s*)?(?:\*\*|__):?(?P<rest>.*)$"
)
ITEM = re.compile(r"(?P<indent> {0,3})(?:[-*+]|\d{1,3}[.)])\s+(?P<text>.*)$")
ITEM_TEXT = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+")
DELIMITER = re.compile(r"\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
EMPHASIS = re.compile(r"^(?:\*\*|__|\*|_|`)+|(?:\*\*|__|\*|_|`)+$")


class _AtxHeading:
    """ATX headings: ``match(line)`` gives (line, the ``#`` run, the title), or None.

    Read by hand after the opening: a pattern that also strips the closing run of ``#``
    (``(.*?)(?:[ \t]+#+)?[ \t]*$``) tries the rest of the line at every character, which
    is quadratic in a run of spaces (a heading with 40 kB of them took seconds).
    """

    def match(self, line: str) -> tuple[str, str, str] | None:
        opening = _ATX_OPENING.match(line)
        if opening is None:
            return None
        title = line[opening.end() :].rstrip(" \t")
        closed = title.rstrip("#")
        if closed != title and closed and closed[-1] in " \t":
            title = closed.rstrip(" \t")
        return line, opening[1], title


ATX = _AtxHeading()


def code_mask(lines: list[str]) -> list[bool]:
    """Which lines are inside fenced code (or are its fences)."""
    mask = []
    fence = ""
    for line in lines:
        match = FENCE.match(line)
        if fence:
            mask.append(True)
            if match and match[1][0] == fence[0] and len(match[1]) >= len(fence):
                fence = ""
        elif match:
            fence = match[1]
            mask.append(True)
        else:
            mask.append(False)
    return mask


def fence_openings(lines: list[str]) -> set[int]:
    """The lines that open a fenced block (a fence inside one is its text, not a block)."""
    openings: set[int] = set()
    fence = ""
    for i, line in enumerate(lines):
        match = FENCE.match(line)
        if fence:
            if match and match[1][0] == fence[0] and len(match[1]) >= len(fence):
                fence = ""
        elif match:
            fence = match[1]
            openings.add(i)
    return openings


def atx_headings(lines: list[str]) -> list[str]:
    """Setext headings (a line underlined with ``===`` or ``---``) as ATX ones."""
    mask = code_mask(lines)
    out: list[str] = []
    for i, line in enumerate(lines):
        match = _SETEXT.match(line)
        previous = out[-1] if out else ""
        if (
            match
            and not mask[i]
            and i > 0
            and not mask[i - 1]
            and previous.strip()
            and not ITEM.match(previous)
            and not ATX.match(previous)
            and "|" not in previous
        ):
            out[-1] = ("# " if match[1][0] == "=" else "## ") + previous.strip()
            continue
        out.append(line)
    return out


def is_table_start(lines: list[str], i: int) -> bool:
    return (
        "|" in lines[i]
        and i + 1 < len(lines)
        and "|" in lines[i + 1]
        and DELIMITER.match(lines[i + 1]) is not None
    )


def strip_row(text: str) -> str:
    text = text.strip()
    item = ITEM.match(text)
    if item:
        text = item["text"]
    return EMPHASIS.sub("", text.strip().lstrip("|").strip())


def has_text(lines: list[str]) -> bool:
    return any(re.sub(r"<!--.*?-->", "", line).strip() for line in lines)


def as_cell(text: str) -> str:
    """Text as one table cell: a pipe escaped, so it cannot open a column."""
    return re.sub(r"(?<!\\)\|", r"\\|", text)
