"""Rules that need every post-mortem at once: unique ids and links that resolve."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from mkdocs_postmortems.core.checks import Entry, KnowledgeBaseCheck
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Hit, Position, define
from mkdocs_postmortems.core.knowledge_base import reserved_ids
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.suggestions import HINTS_PER_FILE, Suggestions

DUPLICATE_ID = define(
    "PM500",
    "duplicate-id",
    "Two post-mortems have the same id.",
    why="The id is the page address and the target of `related` links; two files cannot share one.",
    fix="Rename one file, or give one an explicit, different `id`. Ids are compared "
    "without letter case.",
    locked=True,
)
RELATED_NOT_FOUND = define(
    "PM501",
    "related-not-found",
    "A `related` id names no post-mortem in the knowledge base.",
    why="A broken link between incidents hides the recurrence it was meant to show.",
    fix="Use the id of an existing post-mortem (its file name without `.md`, unless it sets `id`).",
)


RESERVED_ID = define(
    "PM502",
    "reserved-id",
    "A post-mortem's id is a name the site uses for a file of its own.",
    why="Its page would overwrite, or be overwritten by, a generated file such as "
    "`catalog.json` or an index page; the build would fail or lose one of them.",
    fix="Give the post-mortem another `id` (or rename the file).",
    locked=True,
)


def _id_position(pm: PostMortem, settings: Settings) -> Position | None:
    """Where the front matter sets the id; None when the file name gives it."""
    return pm.front.value_pos("id") if pm.front and "id" in pm.front.data else None


def check_unique_ids(
    entries: Sequence[tuple[Entry, Position | None]], settings: Settings
) -> Iterator[tuple[Entry, Hit]]:
    """Ids are compared without letter case: ``Same`` and ``same`` are one file name on the
    file systems of macOS and Windows, so one page would silently replace the other."""
    first: dict[str, Entry] = {}
    reserved = reserved_ids(settings)
    for pm, at in entries:
        key = pm.id.casefold()
        pos = at or Position(1)
        if key in reserved:
            message = f"id '{pm.id}' is reserved for a file the site generates; it gets no page"
            yield pm, Hit(RESERVED_ID.code, pos, message)
        elif key in first:
            other = first[key]
            case = "" if other.id == pm.id else f" (as '{other.id}'; ids ignore letter case)"
            message = f"id '{pm.id}' is already used by {other.display}{case}; it gets no page"
            yield pm, Hit(DUPLICATE_ID.code, pos, message)
        else:
            first[key] = pm


Links = tuple[tuple[str, Position], ...]


def _links(pm: PostMortem, settings: Settings) -> Links:
    """Each ``related`` id with where it is written."""
    if pm.front is None or not pm.related:
        return ()
    front = pm.front
    return tuple((target, front.value_pos("related", i)) for i, target in enumerate(pm.related))


def check_related(
    entries: Sequence[tuple[Entry, Links]], settings: Settings
) -> Iterator[tuple[Entry, Hit]]:
    ids = {pm.id for pm, _ in entries}
    # Built at the first id that resolves nowhere: over 10,000 ids, the index is megabytes.
    suggestions: Suggestions | None = None
    for pm, links in entries:
        hinted: set[str] = set()
        for related, pos in links:
            if related not in ids:
                if related not in hinted and len(hinted) < HINTS_PER_FILE:
                    hinted.add(related)
                hint = ""
                if related in hinted:
                    suggestions = suggestions or Suggestions(ids)
                    hint = suggestions.hint(related)
                message = f"related id '{related}' does not exist{hint}"
                yield pm, Hit(RELATED_NOT_FOUND.code, pos, message)


CHECKS = (
    KnowledgeBaseCheck(_id_position, check_unique_ids),
    KnowledgeBaseCheck(_links, check_related),
)
