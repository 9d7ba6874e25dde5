"""A list written in HTML inside the Markdown (``<ul><li><strong>2018-07-16 17:32:53</strong>
- ...</li>...</ul>``, as status pages that migrated old incidents keep them) as the Markdown
list it shows: each ``<li>`` an item, its emphasis as Markdown's, every tag kept in a comment
beside the words it marked, so that the items are entries the conversion reads like any
other list (a timeline, action items) and no word is lost.
"""

from __future__ import annotations

import re

from mkdocs_postmortems.importers.markdown import read_blocks
from mkdocs_postmortems.importers.report import Report

_OPEN = re.compile(r"<(?:ul|ol)\b[^<>]{0,200}>", re.IGNORECASE)
_CLOSE = re.compile(r"</(?:ul|ol)\s*>", re.IGNORECASE)
# An item's words run to its closing tag, never past another item's tag: each item is read
# once, in linear time, however many items are left open.
_ITEM = re.compile(
    r"<li\b[^<>]{0,200}>(?P<inner>[^<]*(?:<(?!/?li\b)[^<]*)*)</li\s*>", re.IGNORECASE
)
# Inline emphasis Markdown writes with marks, each tag with the mark it becomes.
_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}
_INLINE = re.compile(r"</?(?P<name>strong|b|em|i|code)\s*>", re.IGNORECASE)
# How many lines one HTML list may run over before it is left as it is.
_MOST_LINES = 200
# A list of one item is no list to read.
_FEWEST_ITEMS = 2


def html_lists(lines: list[str], report: Report) -> list[str]:
    """The text with each flat HTML list outside code written as a Markdown list; a list
    that nests another, holds text between its items or does not close is left as it is."""
    code = read_blocks(lines).code
    # The first line at or after each line that holds a closing tag, found in one pass.
    closes = [len(lines)] * (len(lines) + 1)
    for k in range(len(lines) - 1, -1, -1):
        closes[k] = k if _CLOSE.search(lines[k]) else closes[k + 1]
    out: list[str] = []
    count = 0
    i = 0
    while i < len(lines):
        found = None if code[i] else _OPEN.search(lines[i])
        listed = _listed(lines, i, found, closes) if found is not None else None
        if listed is None:
            out.append(lines[i])
            i += 1
            continue
        end, items = listed
        count += len(items)
        out += ["", *items, ""]
        i = end + 1
    if count:
        report.mapped.append(f"{count} items of lists written in HTML -> Markdown list items")
    return out


def _listed(
    lines: list[str], start: int, opening: re.Match[str], closes: list[int]
) -> tuple[int, list[str]] | None:
    """The HTML list that opens at ``opening`` on line ``start``: the index of the line
    that closes it and the lines that replace those lines (the text before and after the
    list on them kept as paragraphs of their own). ``closes``: the next line with a
    closing tag from each line on."""
    same = _CLOSE.search(lines[start], opening.end())
    end = start if same is not None else closes[start + 1]
    closing = same or (_CLOSE.search(lines[end]) if end < len(lines) else None)
    if closing is None or end - start >= _MOST_LINES:
        return None
    block = "\n".join(lines[start : end + 1])
    begin = opening.start()
    # Where the closing tag ends, counted in the joined block.
    stop = sum(len(line) + 1 for line in lines[start:end]) + closing.end()
    inside = block[opening.end() : stop - len(closing.group(0))]
    items = list(_ITEM.finditer(inside))
    between = _ITEM.sub("", inside)
    if len(items) < _FEWEST_ITEMS or between.strip() or _OPEN.search(inside):
        return None
    written = [
        f"<!-- {_comment(opening.group(0))} -->",
        *(_item(item) for item in items),
        f"<!-- {_comment(closing.group(0))} -->",
    ]
    before, after = block[:begin].strip(), block[stop:].strip()
    return end, [*([before, ""] if before else []), *written, *(["", after] if after else [])]


def _item(item: re.Match[str]) -> str:
    """One ``<li>`` as a list item: its emphasis as Markdown's marks, its words on one line,
    its tags in a comment after them."""
    tags = [_open_tag(item.group(0))]
    inner = item["inner"]

    def mark(tag: re.Match[str]) -> str:
        tags.append(tag.group(0))
        return _MARKS[tag["name"].lower()]

    words = " ".join(_INLINE.sub(mark, inner).split())
    tags.append(item.group(0)[item.end("inner") - item.start() :])
    return f"- {words} <!-- {_comment(''.join(tags))} -->"


def _open_tag(element: str) -> str:
    return element[: element.index(">") + 1]


def _comment(text: str) -> str:
    """Text as a comment's content: a comment holds no ``--``."""
    return text.replace("--", "- -")
