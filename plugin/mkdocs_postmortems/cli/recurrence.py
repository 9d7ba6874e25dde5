"""``check --changed`` asks "has this happened before?": notices naming the most similar
earlier incidents of each changed post-mortem and their open action items. A notice never
fails the check; it is there while the write-up can still say what is different this time."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mkdocs_postmortems.core.checks import Ruleset
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.files import Refused, read_file
from mkdocs_postmortems.core.knowledge_base import display_path, find_files
from mkdocs_postmortems.core.model import ActionItem, PostMortem
from mkdocs_postmortems.core.reader import read_postmortem
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
    """One notice per earlier incident like a changed post-mortem, best first."""
    cwd = os.path.abspath(os.getcwd())
    mine = [
        pm
        for pm in (
            read_postmortem(path, display_path(path, cwd), settings, READING) for path in changed
        )
        if pm.readable
    ]
    if not mine:
        return []
    index = RelatedIndex([*mine, *_candidates(settings, mine, changed)])
    found = []
    for pm in mine:
        for past in past_incidents(pm, index, limit=NAMED):
            message = _message(past.postmortem, past.why, past.open_items)
            found.append(Notice(pm.display, 1, message))
    return found


def _candidates(
    settings: Settings, mine: list[PostMortem], changed: list[Path]
) -> list[PostMortem]:
    """The other post-mortems that can repeat the changed ones: those whose file names one
    of their services or ids, or is named by their ``related`` (an incident of the same kind
    on another system is related on the site, but is not "this happened before"). Reading
    only those keeps ``check --changed`` fast: a file's bytes are searched, not parsed; a
    name spelled with YAML escapes is missed, and its notice with it, never a finding."""
    words = {word.encode("utf-8") for pm in mine for word in (*pm.services, pm.id) if word}
    linked = {ident for pm in mine for ident in pm.related}
    words.update(ident.encode("utf-8") for ident in linked)  # an ``id:`` key names it too
    skip = {os.path.abspath(path) for path in changed}
    cwd = os.path.abspath(os.getcwd())
    found = []
    for path in find_files([settings.path]) if settings.path.exists() else []:
        if os.path.abspath(path) in skip:
            continue
        try:
            raw = read_file(path, settings.root, settings.max_file_bytes)
        except Refused:
            continue  # reported by the check itself
        if path.stem in linked or any(word in raw for word in words):
            pm = read_postmortem(path, display_path(path, cwd), settings, READING)
            if pm.readable:
                pm.keep_for_listing()
                found.append(pm)
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
