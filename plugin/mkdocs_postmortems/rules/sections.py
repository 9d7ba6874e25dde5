"""The body's second-level sections: present, not empty, not repeated."""

from __future__ import annotations

from collections.abc import Iterator

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.fields import (
    TO_COMPLETE,
    TO_COMPLETE_MARKER,
    is_history,
    marked_section,
)
from mkdocs_postmortems.core.findings import Hit, Position, define
from mkdocs_postmortems.core.model import PostMortem

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
            yield Hit(
                MISSING_SECTION.code,
                _where_missing(pm, name, settings),
                f"missing section '## {name}'" + _for_status(pm),
            )
        elif found.is_empty:
            yield Hit(EMPTY_SECTION.code, found.pos, f"section '{found.title}' is empty")
        elif marked_section(found) and is_history(pm, settings):
            yield Hit(
                TO_COMPLETE.code,
                found.pos,
                f"section '{found.title}' is marked {TO_COMPLETE_MARKER}: write it",
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


CHECKS = (check_sections,)
