"""Rules that need every post-mortem at once: unique ids and links that resolve."""

from __future__ import annotations

from collections.abc import Iterator

from mkdocs_postmortems.core.config import Settings, did_you_mean
from mkdocs_postmortems.core.findings import Hit, Position, define
from mkdocs_postmortems.core.model import PostMortem

DUPLICATE_ID = define(
    "PM500",
    "duplicate-id",
    "Two post-mortems have the same id.",
    why="The id is the page address and the target of `related` links; two files cannot share one.",
    fix="Rename one file, or give one an explicit, different `id`.",
)
RELATED_NOT_FOUND = define(
    "PM501",
    "related-not-found",
    "A `related` id names no post-mortem in the knowledge base.",
    why="A broken link between incidents hides the recurrence it was meant to show.",
    fix="Use the id of an existing post-mortem (its file name without `.md`, unless it sets `id`).",
)


def check_unique_ids(
    postmortems: list[PostMortem], settings: Settings
) -> Iterator[tuple[PostMortem, Hit]]:
    first: dict[str, PostMortem] = {}
    for pm in postmortems:
        if pm.id in first:
            pos = pm.front.value_pos("id") if pm.front and "id" in pm.front.data else Position(1)
            yield (
                pm,
                Hit(
                    DUPLICATE_ID.code,
                    pos,
                    f"id '{pm.id}' is already used by {first[pm.id].display}",
                ),
            )
        else:
            first[pm.id] = pm


def check_related(
    postmortems: list[PostMortem], settings: Settings
) -> Iterator[tuple[PostMortem, Hit]]:
    ids = {pm.id for pm in postmortems}
    for pm in postmortems:
        if pm.front is None:
            continue
        for index, related in enumerate(pm.related):
            if related not in ids:
                yield (
                    pm,
                    Hit(
                        RELATED_NOT_FOUND.code,
                        pm.front.value_pos("related", index),
                        f"related id '{related}' does not exist{did_you_mean(related, ids)}",
                    ),
                )


CHECKS = (check_unique_ids, check_related)
