"""Markup in the body that the published page will not show.

The body is Markdown, and Markdown passes raw HTML through. The site sanitizes what an
author writes with an allowlist (:mod:`mkdocs_postmortems.core.sanitize`) before it reaches
a page, so a `<script>`, an `onerror=` or a `javascript:` link never runs; this rule reads
the same allowlist and tells the author, at the place it is written, what the page will
leave out.
"""

from __future__ import annotations

from collections.abc import Iterator

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Hit, Position, define
from mkdocs_postmortems.core.markdown import Line
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.sanitize import removals

MARKUP_NOT_ALLOWED = define(
    "PM210",
    "markup-not-allowed",
    "The body holds markup that the published page leaves out: an element, an attribute or "
    "a URL scheme outside the allowlist (`<script>`, `<iframe>`, `<base>`, `<style>`, an "
    "`on...=` attribute, a `javascript:` or `data:` link, ...).",
    why="Markdown passes raw HTML through, and raw HTML can run script in the browser of "
    "everyone who reads the page. The site keeps only the markup a post-mortem needs "
    "(docs/security.md lists it) and takes the rest out, so what the page shows is not what "
    "the author wrote.",
    fix="Put the markup in a code span or code block if it is part of the story "
    "(`` `<script>` ``), or write it with Markdown or the allowed elements.",
)


_MARKS = ("<", "](", "]:", "{")


def check_markup(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    # A tag needs a "<", a link "](" or "]:", an attribute list "{": most bodies have none
    # of them, or only links, and cost a look or two.
    text = pm.body_text
    if pm.body is None or not any(mark in text for mark in _MARKS):
        return
    lines = pm.body.lines
    found = sorted(removals("\n".join(_shown_as_markup(line) for line in lines)))
    for removal in found:
        number = lines[removal.line - 1].number if removal.line <= len(lines) else pm.body_line
        yield Hit(
            MARKUP_NOT_ALLOWED.code,
            Position(number, removal.offset + 1),
            f"{removal.what} is not allowed and is left out of the published page",
        )


def _shown_as_markup(line: Line) -> str:
    """The line as the Markdown processor reads it for markup: code blanked (offsets kept),
    since code is shown, never run."""
    if line.kind == "code":
        return ""
    return _without_code_spans(line.text)


def _without_code_spans(text: str) -> str:
    """``text`` with what lies between backticks blanked (offsets kept): code is shown, not run.

    Backtick runs are paired in order, which is what a reader sees for the plain spans this
    is about; an unpaired run keeps the rest of the line.
    """
    if "`" not in text:
        return text
    parts = text.split("`")
    if len(parts) % 2 == 0:
        unpaired = parts.pop()
        parts[-1] = f"{parts[-1]}`{unpaired}"
    return "`".join(part if index % 2 == 0 else " " * len(part) for index, part in enumerate(parts))


CHECKS = (check_markup,)
