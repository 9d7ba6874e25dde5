"""Blameless review rules (BL001-BL007): the facilitation guide's anti-patterns, checked on
every line.

Each rule is one record in the module of its family, with its definition, its message and,
for a phrase rule, its pattern: :mod:`.people` (BL001), :mod:`.human_error` (BL002),
:mod:`.hindsight` (BL003), :mod:`.judgment` (BL004), :mod:`.actions` (BL005-BL007). Their
word lists are data in :mod:`.words`; what they share is in :mod:`.engine`, the gate that
finds where a phrase may stand in :mod:`.gate`, the scan of a line in :mod:`.prose`, and
the list of every rule in :mod:`.records`. All of that is pure text analysis. This module
decides which lines are prose, which section a line is in, and who counts as a person, and
turns matches into findings. All of these rules are warnings by default: they ask a
question of the writer rather than block a merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Final

from mkdocs_postmortems.core.checks import Entry, KnowledgeBaseCheck
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.fields import TO_COMPLETE_MARKER
from mkdocs_postmortems.core.findings import Hit, Position
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.rules.blameless.actions import (
    MAX_ACTION_ITEMS,
    TOO_MANY_ACTIONS,
    is_placeholder_owner,
    scan_action,
    scan_owner,
)
from mkdocs_postmortems.rules.blameless.engine import BlameMatch
from mkdocs_postmortems.rules.blameless.people import is_group_name, looks_like_person
from mkdocs_postmortems.rules.blameless.prose import may_blame, may_name, scan_prose
from mkdocs_postmortems.rules.blameless.records import RECORDS

__all__ = [
    "CHECKS",
    "KNOWLEDGE_BASE_CHECKS",
    "RECORDS",
    "RULE",
    "BlameMatch",
    "configured_people",
    "is_group_name",
    "is_placeholder_owner",
    "looks_like_person",
    "may_blame",
    "may_name",
    "people_of",
    "scan_action",
    "scan_owner",
    "scan_prose",
]

RULE: Final = {record.code: record.rule for record in RECORDS}
ROOT_CAUSES = "Root Causes"


def people_of(pm: PostMortem, settings: Settings) -> frozenset[str]:
    """The people this post-mortem names in its front matter and action items.

    Authors, the facilitator and owners are often teams ("Platform team"), a company (an
    imported write-up's author) or a service: those are not people, and treating them as
    such flags every sentence that mentions the product. A name counts when it has the
    shape of a person's name (:func:`looks_like_person`), is not a configured team, a
    service (the post-mortem's own or the catalog's) or a tag, and, for a one-word name, does
    not appear in the title: a write-up's title names the system or company it is about
    ("Globex's checkout outage"), not the person who wrote it.
    """
    names = {*pm.authors, *(item.owner for item in pm.action_items)}
    if pm.facilitator:
        names.add(pm.facilitator)
    shaped = [
        name
        for name in {n.strip() for n in names}
        # The marker of an owner still to be found is nobody's name.
        if name
        and name != TO_COMPLETE_MARKER
        and looks_like_person(name)
        and not is_group_name(name, settings.teams)
    ]
    if not shaped:
        return frozenset()
    services = {_fold(s) for s in (*pm.services, *pm.tags)} | _catalog(settings.services)
    title: set[str] | None = None
    people = []
    for name in shaped:
        folded = _fold(name)
        if folded in services:
            continue
        if len(name.split()) == 1:
            if title is None:
                title = set(_TITLE_WORD.findall(_POSSESSIVE.sub("", pm.title.lower())))
            if folded in title:
                continue
        people.append(name)
    return frozenset(people)


@lru_cache(maxsize=8)
def _catalog(services: tuple[str, ...] | None) -> frozenset[str]:
    """The configured service catalog, folded once per run rather than once per file."""
    return frozenset(_fold(s) for s in services or ())


def configured_people(settings: Settings) -> frozenset[str]:
    """The configured ``people``, less any that are configured teams or look like a group."""
    return frozenset(
        name.strip()
        for name in settings.people
        if name.strip() and not is_group_name(name, settings.teams)
    )


_POSSESSIVE = re.compile(r"['\u2019]s\b")
_TITLE_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Compare names the way people write them: any case, any of ``-``, ``_`` or space."""
    return " ".join(text.replace("-", " ").replace("_", " ").lower().split())


def check_prose(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Human error, hindsight and judgment words on every prose line (names: see below)."""
    if pm.body is None:
        return
    # Action items have rules of their own; Root Causes is scanned once the whole knowledge
    # base's names are known (check_root_causes).
    skipped = [pm.body.section(name) for name in ("Action Items", ROOT_CAUSES)]
    skip = {line.number for section in skipped if section for line in section.lines}
    lines = [line for line in pm.body.lines if line.kind == "prose" and line.number not in skip]
    # The gate reads only the lines scanned below (a third of a typical body is not).
    if not may_blame("\n".join([line.text for line in lines])):
        return
    people = people_of(pm, settings) | configured_people(settings)
    for line in lines:
        if line.text.strip():
            for match in scan_prose(line.text, people):
                yield _hit(match, Position(line.number, 1))


def check_action_items(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Vague actions, placeholder owners, and too many items to do well.

    History's action items are a record, not a plan: an owner marked ``TBD`` is reported
    once (PM013), and their number is what it was."""
    history = any(item.history for item in pm.action_items)
    for item in pm.action_items:
        for match in scan_action(item.action):
            yield _hit(match, item.pos)
        if item.owner and not (history and item.owner == TO_COMPLETE_MARKER):
            for match in scan_owner(item.owner):
                yield _hit(match, item.owner_pos)
    if len(pm.action_items) > MAX_ACTION_ITEMS and pm.body is not None and not history:
        section = pm.body.section("Action Items")
        yield Hit(
            TOO_MANY_ACTIONS.code,
            section.pos if section else Position(1),
            TOO_MANY_ACTIONS.message(len(pm.action_items)),
        )


# The post-mortem's people (a tuple: a quarter of a set's size), the numbers of the prose
# lines of its Root Causes, those lines joined by line breaks, and whether a phrase rule may
# match in them.
RootCauses = tuple[tuple[str, ...], tuple[int, ...], str, bool]


def _root_causes(pm: PostMortem, settings: Settings) -> RootCauses:
    """What :func:`check_root_causes` needs of ``pm``. The lines are kept as one string (a
    check of 10,000 files holds every file's until the last is read, or receives them from
    the processes that read them), and the phrase rules' look at them is taken here, with
    the file: only the names need the whole knowledge base."""
    if pm.body is None:
        return (), (), "", False
    section = pm.body.section(ROOT_CAUSES)
    lines = [
        line
        for line in (section.lines if section else ())
        if line.kind == "prose" and line.text.strip()
    ]
    # A line holds no line break: joined, the lines are split back exactly.
    text = "\n".join([line.text for line in lines])
    numbers = tuple(line.number for line in lines)
    return tuple(people_of(pm, settings)), numbers, text, may_blame(text)


def check_root_causes(
    entries: Sequence[tuple[Entry, RootCauses]], settings: Settings
) -> Iterator[tuple[Entry, Hit]]:
    """Every prose rule on Root Causes, where names count too: any @handle, the post-mortem's
    own people (full names and first names), and every other person the knowledge base knows
    (other post-mortems' people, the configured people) by their whole name only."""
    known = configured_people(settings).union(*(people for _, (people, *_) in entries))
    for pm, (names, numbers, text, blames) in entries:
        people = frozenset(names)
        # One look at the whole section first: most name nobody and blame nobody.
        if not (blames or may_name(text, people, known)):
            continue
        for number, line in zip(numbers, text.split("\n") if numbers else (), strict=True):
            for match in scan_prose(line, people, names_people=True, known=known):
                yield pm, _hit(match, Position(number, 1))


def _hit(match: BlameMatch, at: Position) -> Hit:
    """A match in a string that starts at ``at``."""
    return Hit(match.code, Position(at.line, at.col + match.start), match.message)


CHECKS = (check_prose, check_action_items)
KNOWLEDGE_BASE_CHECKS = (KnowledgeBaseCheck(_root_causes, check_root_causes),)
