"""Raw HTML in the body that would run script on the published site.

The body is Markdown, and Markdown passes raw HTML through: MkDocs publishes a `<script>`
or an `onerror=` attribute as written. The plugin escapes every value it takes from the
front matter, but the body is the author's, so this rule makes the CI gate say so before a
reviewer has to spot it, and the page shows such a body as plain text (see
``PostMortem.scripted``), so not even a build that ignores the finding publishes the script.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Hit, Position, define
from mkdocs_postmortems.core.model import PostMortem

SCRIPT_IN_BODY = define(
    "PM210",
    "script-in-body",
    "The body holds raw HTML that runs script: a `<script>`, `<iframe>`, `<object>` or "
    "`<embed>` element, an `on...=` event attribute, or a `javascript:` link.",
    why="Markdown publishes raw HTML as written, so the script would run in the browser of "
    "everyone who reads the page; a post-mortem never needs it.",
    fix="Put the markup in a code span or code block if it is part of the story "
    "(`` `<script>` ``), or remove it.",
)

# Each alternative starts at a fixed character and runs over one class of characters, so the
# search is linear in the line's length.
_SCRIPT = re.compile(
    r"<\s*(?:script|iframe|object|embed)\b|\bon[a-z]{3,20}\s*=|(?:\]\(|=[\"'\s]*)javascript:",
    re.IGNORECASE,
)


def check_script(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    # Every pattern needs a tag or a link around it: one look at the whole body (whose
    # lines are those of pm.body) spares most files a look at each line.
    if pm.body is None or ("<" not in pm.body_text and "](" not in pm.body_text):
        return
    for line in pm.body.lines:
        # Every pattern needs a tag or a link around it.
        if line.kind not in ("prose", "heading") or (
            "<" not in line.text and "](" not in line.text
        ):
            continue
        text = _without_code_spans(line.text)
        match = _SCRIPT.search(text)
        if match:
            pm.scripted = True
            yield Hit(
                SCRIPT_IN_BODY.code,
                Position(line.number, match.start() + 1),
                f"raw HTML '{match[0]}' would run script on the published page",
            )


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


CHECKS = (check_script,)
