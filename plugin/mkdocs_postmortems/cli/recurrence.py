"""``check --changed`` asks "has this happened before?": notices naming the most similar
earlier incidents of each changed post-mortem and their open action items. A notice never
fails the check; it is there while the write-up can still say what is different this time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs_postmortems.core.checks import Ruleset
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.core.model import ActionItem, PostMortem
from mkdocs_postmortems.rules import RULES, action_items
from mkdocs_postmortems.site.related import RelatedIndex
from mkdocs_postmortems.site.review import past_incidents

#: What the notices read of every file: the front matter (always read) and the action items.
#: The other checks (the blameless language above all) are the check's own work, done on
#: the changed files alone: running them on the whole knowledge base cost most of the time.
READING = Ruleset(rules=RULES, file_checks=action_items.CHECKS, knowledge_base_checks=())
#: Earlier incidents named per changed post-mortem, and open items named per incident.
NAMED = 2
ITEMS = 3


@dataclass(frozen=True)
class Notice:
    path: str
    line: int
    message: str


def notices(settings: Settings, changed: list[Path]) -> list[Notice]:
    """One notice per earlier incident like a changed post-mortem, best first. The whole
    knowledge base is read for its front matter and action items (see :data:`READING`)."""
    if not changed:
        return []
    wanted = {path.resolve() for path in changed}
    kb = load(settings, READING, for_pages=True)
    index = RelatedIndex(kb.indexed)
    found = []
    for pm in kb.indexed:
        if pm.path.resolve() not in wanted or not pm.readable:
            continue
        for past in past_incidents(pm, index, limit=NAMED):
            message = _message(past.postmortem, past.why, past.open_items)
            found.append(Notice(pm.display, 1, message))
    return found


def _message(other: PostMortem, why: str, open_items: list[ActionItem]) -> str:
    day = other.started.date().isoformat() if other.started else "undated"
    text = f"has this happened before? {other.id} ({other.severity}, {day}; {why})"
    if not open_items:
        return text + " has no open action items"
    shown = "; ".join(
        f"'{item.action}' ({item.owner or 'no owner'})" for item in open_items[:ITEMS]
    )
    more = f" and {len(open_items) - ITEMS} more" if len(open_items) > ITEMS else ""
    count = len(open_items)
    return f"{text} has {count} open action item{'s' if count != 1 else ''}: {shown}{more}"
