"""The body's second-level sections: present, not empty, not repeated."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.fields import (
    TO_COMPLETE,
    TO_COMPLETE_MARKER,
    is_history,
    marked_section,
)
from mkdocs_postmortems.core.findings import Hit, Position, define
from mkdocs_postmortems.core.markdown import Line, Section, without_comments
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.synonyms import section_for

# The visible text `postmortems new` puts in a draft: the scaffold writes these very strings,
# so the checker recognises them however the template's wording changes.
TEMPLATE_SUMMARY = "Draft: the summary comes once the incident is understood."
TEMPLATE_EVENT = "First sign of impact"
# What authors write for "not written yet"; alone in a section (or a cell), it is a
# placeholder. So is text without a letter or digit: a lone "-", "?" or "...".
PLACEHOLDER_WORDS = re.compile(
    r"(?:todo|tbd|tbc|tba|fixme|xxx|wip)(?:\b.*)?"
    r"|to be (?:written|done|added|completed|determined|confirmed|decided|defined)\W*"
    r"|n/?a|coming soon|placeholder|[^\w]+",
    re.IGNORECASE | re.DOTALL,
)
_MARKUP = re.compile(r"^[ \t]*[-+*][ \t]+|[*_`>#]+|\[|\]", re.MULTILINE)
_STAND_IN_LINES = 2
_STAND_IN_LENGTH = 80
# How a stand-in can begin, markup aside: a cheap first look before the full match.
_STAND_IN_START = re.compile(
    r"[\s*_`>#\[+-]*(?:todo|tbd|tbc|tba|fixme|xxx|wip|to be|n/?a\b|coming|placeholder|[^\w\s]|$)",
    re.IGNORECASE,
)

MISSING_SECTION = define(
    "PM200",
    "missing-section",
    "A section the post-mortem's status requires is missing.",
    why="Readers rely on every write-up having the same sections; a missing Root Causes or "
    "Action Items section is usually a review that never happened.",
    fix="Add the section as a second-level heading (`## Root Causes`). Drafts need only "
    "`## Summary`; `in-review` and `published` need all required sections.",
)
EMPTY_SECTION = define(
    "PM201",
    "empty-section",
    "A required section has a heading but no content.",
    why="An empty section (or one holding only the template's guidance comments) looks done "
    "but says nothing.",
    fix="Write the section, or mark the post-mortem as a `draft` until it is written.",
)
PLACEHOLDER = define(
    "PM203",
    "placeholder",
    "A post-mortem in review or published still holds placeholder text.",
    why="The template's own lines (its draft Summary, its example timeline row) and "
    "`TODO`, `TBD`, `to be written` or `n/a` as all a section says look like content, so the "
    "write-up passes as finished while it is not.",
    fix="Write the section (or the row), or set `status: draft` until it is written. A section "
    'with nothing to say says why in a sentence ("No customer data was affected: ...").',
    example="## Impact\n\nTBD",
)
TABLE_UNDER_TEXT = define(
    "PM204",
    "table-under-text",
    "A table is written directly under a line of text, so the site shows it as text.",
    why="Python-Markdown starts a table only at the start of a block: directly under a line "
    "of text, the header, the delimiter and the rows render as one paragraph full of pipes, "
    "and the timeline or action items are lost from the page and the indexes.",
    fix="Put a blank line between the text and the table.",
    example="Times are in UTC.\n| Time | Event |\n|------|-------|",
)
DUPLICATE_SECTION = define(
    "PM202",
    "duplicate-section",
    "The same section heading appears twice.",
    why="Only the first one is read for tables, so the second one's timeline or action items "
    "would be lost from the indexes.",
    fix="Merge the two sections.",
)


def required_sections(pm: PostMortem, settings: Settings) -> tuple[str, ...]:
    if pm.status in ("in-review", "published"):
        return settings.required_sections
    return ("Summary",)


def check_sections(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    body = pm.body
    if body is None or pm.front is None:
        return
    seen: dict[str, Position] = {}
    for section in body.sections:
        if section.name in seen:
            yield Hit(
                DUPLICATE_SECTION.code,
                section.pos,
                f"section '{section.name}' already started at line {seen[section.name].line}",
            )
        else:
            seen[section.name] = section.pos
    required = required_sections(pm, settings)
    for name in required:
        found = body.section(name)
        if found is None:
            other = _synonym_heading(pm, name)
            if other is not None:
                yield Hit(
                    MISSING_SECTION.code,
                    other.pos,
                    f"missing section '## {name}'{_for_status(pm)}; "
                    f"did you mean '## {other.title}'? Rename it to '## {name}'",
                )
                continue
            yield Hit(
                MISSING_SECTION.code,
                _where_missing(pm, name, settings),
                f"missing section '## {name}'" + _for_status(pm),
            )
        elif found.is_empty:
            yield Hit(EMPTY_SECTION.code, found.pos, f"section '{found.title}' is empty")
        # History first: asking is cheap, reading every line of the section is not.
        elif is_history(pm, settings) and marked_section(found):
            yield Hit(
                TO_COMPLETE.code,
                found.pos,
                f"section '{found.title}' is marked {TO_COMPLETE_MARKER}: write it",
            )


def check_tables_under_text(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Every would-be table the renderer shows as a paragraph, in any section."""
    if pm.body is None or pm.front is None:
        return
    for line in pm.body.glued:
        yield Hit(
            TABLE_UNDER_TEXT.code,
            Position(line, 1),
            "this table is directly under a line of text, so the site shows it as text; "
            "add a blank line above it",
        )


def check_placeholders(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Template text and "TODO"-like stand-ins, once the write-up is meant to be read."""
    if pm.body is None or pm.front is None or pm.status not in ("in-review", "published"):
        return
    history = is_history(pm, settings)
    for section in pm.body.sections:
        table = section.table()
        content = _stand_in_lines(section) if table is None else None
        # A history write-up's "TBD" section is reported once, as left to write (PM013).
        if content and not (history and marked_section(section)):
            text = without_comments("\n".join(line.text for line in content)).strip()
            if is_placeholder(text):
                # The first line with a word in it; a stand-in of markup alone ("- ") has none.
                worded = (ln for ln in content if _plain(without_comments(ln.text)))
                first = next(worded, content[0])
                yield Hit(
                    PLACEHOLDER.code,
                    Position(first.number, 1),
                    f"section '{section.title}' says only '{_short(first.text.strip())}' "
                    f"(status is '{pm.status}'); write it",
                )
        if section.name == "Summary":
            for line in section.lines:
                # A cheap look for the template's words first: most lines are real prose.
                if _SUMMARY_WORDS in line.text.lower() and _plain(line.text) == _SUMMARY:
                    yield Hit(
                        PLACEHOLDER.code,
                        Position(line.number, 1),
                        f"the template's placeholder is still here (status is '{pm.status}'): "
                        "write the Summary",
                    )
        for row in table.rows if table is not None else ():
            if _EVENT_WORDS in row.text.lower():
                for cell in row.cells:
                    if _plain(cell.text) == _EVENT:
                        yield placeholder_hit(pm, cell.text, cell.pos)


def _stand_in_lines(section: Section) -> list[Line] | None:
    """The section's lines of text when there are few enough to be a stand-in: a line or
    two; a longer section is content, whatever it starts with."""
    found: list[Line] = []
    for line in section.lines:
        if line.kind in ("prose", "code") and line.text.strip():
            found.append(line)
            if len(found) > _STAND_IN_LINES:
                return None
    return found


def placeholder_hit(pm: PostMortem, text: str, pos: Position) -> Hit:
    return Hit(
        PLACEHOLDER.code,
        pos,
        f"'{text}' is a placeholder (status is '{pm.status}'); write the row or remove it",
    )


def is_placeholder(text: str) -> bool:
    """Whether a cell or a section says only "TODO", "TBD", "n/a" and the like."""
    if len(text) > _STAND_IN_LENGTH or not _STAND_IN_START.match(text):
        return False
    plain = _plain(text)
    return bool(plain) and PLACEHOLDER_WORDS.fullmatch(plain) is not None


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub("", text).split()).casefold()


_SUMMARY = _plain(TEMPLATE_SUMMARY)
# Words of the template's line that markup cannot split, for a cheap first look.
_SUMMARY_WORDS = " ".join(TEMPLATE_SUMMARY.lower().split()[2:5])
_EVENT = _plain(TEMPLATE_EVENT)
_EVENT_WORDS = TEMPLATE_EVENT.lower()


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _synonym_heading(pm: PostMortem, name: str) -> Section | None:
    """A second-level heading of another name that other templates use for ``name``."""
    assert pm.body is not None
    return next(
        (s for s in pm.body.sections if s.name == s.title.strip() and section_for(s.title) == name),
        None,
    )


def _for_status(pm: PostMortem) -> str:
    return f" (required when status is '{pm.status}')" if pm.status != "draft" else ""


def _where_missing(pm: PostMortem, name: str, settings: Settings) -> Position:
    """The heading of the next section in the usual order, or the end of the file."""
    assert pm.body is not None
    order = list(settings.required_sections)
    later = order[order.index(name) + 1 :] if name in order else []
    for following in later:
        section = pm.body.section(following)
        if section is not None:
            return section.pos
    return Position(pm.body.end, 1)


CHECKS = (check_sections, check_tables_under_text, check_placeholders)
