"""Blameless review rules: the facilitation guide's anti-patterns, checked on every line.

The phrase matching lives in :mod:`mkdocs_postmortems.rules.blameless_language` (pure text analysis); this
module decides which lines are prose, which section a line is in, and who counts as a person,
and turns matches into findings. All of these rules are warnings by default: they ask a
question of the writer rather than block a merge.
"""

from __future__ import annotations

from collections.abc import Iterator

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.fields import TO_COMPLETE_MARKER
from mkdocs_postmortems.core.findings import Hit, Position, define
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.rules.blameless_language import RULES as TEXTS
from mkdocs_postmortems.rules.blameless_language import (
    BlameMatch,
    may_blame,
    scan_action,
    scan_owner,
    scan_prose,
)

_SUMMARIES = {
    "BL001": "A person is named in the Root Causes section.",
    "BL002": '"Human error" or one of its cousins is given as a cause.',
    "BL003": 'Hindsight or a counterfactual ("should have", "failed to") judges a past decision.',
    "BL004": "A judgment word (careless, negligent, to blame) describes a person.",
    "BL005": "An action item is too vague to be done or verified.",
    "BL006": "An action item's owner is a placeholder (TBD, someone, the team).",
    "BL007": "A post-mortem has more than five action items.",
}
_EXAMPLES = {
    "BL001": "Before: `Root cause: @jdoe ran the migration on the primary.`  \n"
    "After: `The migration tool accepted the primary's DSN; nothing marked it as production.`",
    "BL002": "Before: `The outage was caused by human error.`  \n"
    "After: `The deploy script accepted an empty region list and applied it everywhere.`",
    "BL003": "Before: `The on-call engineer should have checked the dashboard.`  \n"
    "After: `The dashboard that showed the backlog was not linked from the alert.`",
    "BL004": "Before: `A careless config change took down checkout.`  \n"
    "After: `A config change with a zero pool size passed validation and reached checkout.`",
    "BL005": "Before: `Be more careful with deploys.`  \n"
    "After: `Add a canary stage that holds a deploy for 10 minutes at 5% traffic.`",
    "BL006": "Before: `| Add a pool size minimum | TBD | ... |`  \n"
    "After: `| Add a pool size minimum | Dana Whitfield | ... |`",
    "BL007": "Keep the three to five items that would most reduce the chance or impact of a "
    "repeat; move the rest to the team's backlog.",
}

RULE = {
    code: define(
        code,
        name,
        _SUMMARIES[code],
        why=why,
        fix=fix,
        level="warning",
        example=_EXAMPLES[code],
    )
    for code, (name, why, fix) in TEXTS.items()
}
MAX_ACTION_ITEMS = 5
ROOT_CAUSES = "Root Causes"


def people_of(pm: PostMortem, settings: Settings) -> frozenset[str]:
    """The names this post-mortem itself mentions as people, plus the configured ones."""
    names = {*pm.authors, *settings.people, *(item.owner for item in pm.action_items)}
    if pm.facilitator:
        names.add(pm.facilitator)
    # The marker of an owner still to be found is nobody's name.
    return frozenset(n.strip() for n in names if n.strip() and n.strip() != TO_COMPLETE_MARKER)


def check_prose(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Human error, hindsight and judgment words on every prose line (names: see below)."""
    if pm.body is None or not may_blame(pm.body_text):
        return
    people = people_of(pm, settings)
    # Action items have rules of their own; Root Causes is scanned once the whole knowledge
    # base's names are known (check_root_causes).
    skipped = [pm.body.section(name) for name in ("Action Items", ROOT_CAUSES)]
    skip = {line.number for section in skipped if section for line in section.lines}
    for line in pm.body.lines:
        if line.kind != "prose" or line.number in skip or not line.text.strip():
            continue
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
            RULE["BL007"].code,
            section.pos if section else Position(1),
            f"too many actions: {len(pm.action_items)} action items; limit to 3-5 meaningful "
            "ones and move the rest to the backlog",
        )


def check_root_causes(
    postmortems: list[PostMortem], settings: Settings
) -> Iterator[tuple[PostMortem, Hit]]:
    """Every prose rule on Root Causes, where names count too: any person the knowledge base
    knows (authors, facilitators, owners, the configured people) and any @handle."""
    people = frozenset(
        name for pm in postmortems for name in people_of(pm, settings) if pm.body is not None
    )
    for pm in postmortems:
        section = pm.body.section(ROOT_CAUSES) if pm.body else None
        if section is None:
            continue
        for line in section.lines:
            if line.kind != "prose" or not line.text.strip():
                continue
            for match in scan_prose(line.text, people, names_people=True):
                yield pm, _hit(match, Position(line.number, 1))


def _hit(match: BlameMatch, at: Position) -> Hit:
    """A match in a string that starts at ``at``."""
    return Hit(match.code, Position(at.line, at.col + match.start), match.message)


CHECKS = (check_prose, check_action_items)
KNOWLEDGE_BASE_CHECKS = (check_root_causes,)
