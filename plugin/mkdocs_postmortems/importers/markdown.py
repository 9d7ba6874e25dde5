"""The structure of a write-up's Markdown as the importer reads it.

Which lines are code, which open a fenced block, where a table runs and which lines are a
Setext heading's text is read by one CommonMark reader, markdown-it-py (with its GFM table
rule), from the lines as a whole: a fence inside a list item is code, a ``---`` under a table
is no heading. Sources come from GitHub, GitLab and wikis, which read Markdown that way; the
pages we write are read by Python-Markdown, which :mod:`mkdocs_postmortems.core.markdown`
follows, and a source need not be read as Python-Markdown would. Only blocks are read (no
inline parsing), which keeps a hostile line (a megabyte of ``*``, ``[`` or backticks) linear.

The patterns below read one line once the reader has said what it is: a heading's title, a
list item's marker and text, the emphasis around a label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from markdown_it import MarkdownIt

_ATX_OPENING = re.compile(r" {0,3}(#{1,6})[ \t]+")
# An address in a line: a link's target or a URL, whose digits are no time of the text's
# (a log query's link carries its own). A scheme is a short word: unbounded, a long run of
# "a-a-a-" was read to its end from each of its words.
ADDRESS = re.compile(r"\]\([^)\s]*\)|<?\b[a-z][a-z0-9+.-]{0,31}://[^\s>)]+>?", re.IGNORECASE)
BOLD_LABEL = re.compile(
    r"\s{0,3}(?:\*\*|__)(?P<label>[^*_]{2,60}?)(?::\s*)?(?:\*\*|__):?(?P<rest>.*)$"
)
ITEM = re.compile(r"(?P<indent> {0,3})(?:[-*+]|\d{1,3}[.)])\s+(?P<text>.*)$")
ITEM_TEXT = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+")
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


# Blocks only: the inline rules are where Markdown readers have had their quadratic cases,
# and the importer reads a line's inline text with its own bounded patterns. Nesting stops
# 20 deep (the CommonMark preset's own limit), so a list nested a thousand deep stays cheap.
_READER = MarkdownIt("commonmark", {"maxNesting": 20}).enable("table").disable("inline")
_CODE = frozenset(("fence", "code_block"))


@dataclass(frozen=True)
class Fence:
    """A fenced code block: the line after it, whether a closing fence ends it (or its
    container or the text does), its info string (``text``, ``log``), and whether it stands
    inside a list item or a quote."""

    end: int
    closed: bool
    info: str
    nested: bool


@dataclass(frozen=True)
class Blocks:
    """What some lines are, as CommonMark reads them, by line index. Read only: one reading
    is shared by every step that asks about the same lines."""

    #: Lines of fenced or indented code, the fences included.
    code: tuple[bool, ...]
    #: The opening line of each fenced block.
    fences: Mapping[int, Fence]
    #: The header line of each table, and the line after its last row.
    tables: Mapping[int, int]
    #: The underline of each Setext heading outside lists and quotes, and the first line of
    #: its text and its level.
    setext: Mapping[int, tuple[int, int]]
    #: Thematic breaks (``---``, ``***``).
    breaks: frozenset[int]
    #: ATX headings outside lists, quotes and HTML blocks.
    headings: frozenset[int]


def read_blocks(lines: list[str]) -> Blocks:
    """The block structure of ``lines``.

    The last few texts read are remembered: the conversion asks about the same lines from
    several steps, and reading is the costly part.
    """
    # A carriage return is a line break to the reader but not to ``split("\n")``: it would
    # shift every line number after it.
    return _read("\n".join(lines).replace("\r", " "), len(lines))


@lru_cache(maxsize=8)
def _read(text: str, count: int) -> Blocks:
    code = [False] * count
    fences: dict[int, Fence] = {}
    tables: dict[int, int] = {}
    setext: dict[int, tuple[int, int]] = {}
    breaks: set[int] = set()
    headings: set[int] = set()
    for token in _READER.parse(text):
        if token.map is None:
            continue
        start, end = token.map
        end = min(end, count)
        if token.type in _CODE:
            code[start:end] = [True] * (end - start)
        if token.type == "fence":
            # The lines of its text follow the opening fence; a line after them closes it.
            closed = start + 1 + token.content.count("\n") < end
            fences[start] = Fence(end, closed, token.info.strip(), token.level > 0)
        elif token.type == "table_open":
            tables[start] = end
        elif token.type == "heading_open" and token.markup in ("=", "-") and not token.level:
            setext[end - 1] = (start, 1 if token.markup == "=" else 2)
        elif token.type == "hr":
            breaks.add(start)
        if token.type == "heading_open" and token.markup.startswith("#") and not token.level:
            headings.add(start)
    return Blocks(
        tuple(code),
        MappingProxyType(fences),
        MappingProxyType(tables),
        MappingProxyType(setext),
        frozenset(breaks),
        frozenset(headings),
    )


def code_mask(lines: list[str]) -> list[bool]:
    """Which lines are code (or the fences of a fenced block)."""
    return list(read_blocks(lines).code)


def prose_lines(lines: list[str]) -> list[str]:
    """The lines that are not code, each with its addresses blanked: the author's own words,
    whose times are the author's clock (a pasted log's or a link's are another's)."""
    code = read_blocks(lines).code
    return [
        ADDRESS.sub(" ", line) for line, is_code in zip(lines, code, strict=True) if not is_code
    ]


def atx_headings(lines: list[str]) -> list[str]:
    """Setext headings (text underlined with ``===`` or ``---``) as ATX ones, on one line."""
    setext = read_blocks(lines).setext
    out: list[str] = []
    for i, line in enumerate(lines):
        heading = setext.get(i)
        if heading is None:
            out.append(line)
            continue
        first, level = heading
        text = " ".join(part.strip() for part in lines[first:i])
        # The heading's text was appended line by line; it becomes one line.
        del out[len(out) - (i - first) :]
        out.append("#" * level + " " + text)
    return out


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
