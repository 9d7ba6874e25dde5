"""The converted post-mortem written out: front matter, our sections in our order, and
text that Python-Markdown shows as the author meant it.
"""

from __future__ import annotations

import re

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.markdown import SECTIONS
from mkdocs_postmortems.core.sanitize import TAGS
from mkdocs_postmortems.importers.markdown import (
    code_mask,
)


def render(front: list[str], sections: dict[str, list[str]], settings: Settings) -> str:
    out = ["---", *front, "---", ""]
    order = {name: i for i, name in enumerate(SECTIONS)}
    for name, lines in sorted(sections.items(), key=lambda kv: order.get(kv[0], len(order))):
        out += [f"## {name}", ""]
        body = _trim(lines)
        out += [*body, ""] if body else []
    mask = code_mask(out)
    out = [line if mask[i] else _as_text(line) for i, line in enumerate(out)]
    # Runs of blank lines left by moved text are one blank line; inside code they stay.
    tidy = [
        line
        for i, line in enumerate(out)
        if mask[i] or line.strip() or i == 0 or out[i - 1].strip() or mask[i - 1]
    ]
    return "\n".join(tidy).rstrip("\n") + "\n"


# CommonMark's escapes of "<" and "&", which Python-Markdown reads as a backslash and markup.
_TEXT_ESCAPE = re.compile(r"(?<!\\)\\([<&])")
# "<START OF OUTAGE>": words in capitals between angle brackets, a marker in a timeline.
_CAPITALS = re.compile(r"\\?<(\s*([A-Z][A-Z0-9]*)(?:[ ,'-]+[A-Z0-9]+)*\s*)>")


def _as_text(line: str) -> str:
    """A line with what its author meant as text written as text for Python-Markdown, code
    spans left alone: ``\\<`` and ``\\&`` (CommonMark's escapes, which Python-Markdown does
    not read), and a bracketed marker in capitals whose first word is no element a page
    keeps (a browser would read ``<START OF OUTAGE>`` as an unknown element and show
    nothing)."""
    if "<" not in line and "&" not in line:
        return line
    parts = line.split("`")
    for index in range(0, len(parts), 2):  # outside code spans
        text = _CAPITALS.sub(
            lambda m: m[0] if m[2].lower() in TAGS else f"&lt;{m[1]}&gt;", parts[index]
        )
        parts[index] = _TEXT_ESCAPE.sub(lambda m: "&lt;" if m[1] == "<" else "&amp;", text)
    return "`".join(parts)


def _trim(lines: list[str]) -> list[str]:
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = len(lines)
    while end > start and not lines[end - 1].strip():
        end -= 1
    return [line.rstrip() for line in lines[start:end]]
