"""Events drafted into a timeline: the neutral record every export is read into, which of
them a timeline keeps ("signal, not noise"), and the moments they suggest.

Pure functions of the events: no file is read here. The readers of Slack, chat logs,
paging tools, alerts and deploys live in ``integrations/timeline/``; the command that
prints or merges the rows lives in ``cli/timeline.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Kind = Literal["chat", "page", "alert", "resolve", "deploy", "change", "note"]
"""What an event is. ``page`` and ``alert`` detect an incident, ``resolve`` ends a page or an
alert, ``deploy`` and ``change`` are what may have started it; ``chat`` is what people said,
``note`` anything else a tool recorded (an annotation, an acknowledgement, a CSV row)."""

DETECTING: frozenset[Kind] = frozenset(("page", "alert"))
CHANGING: frozenset[Kind] = frozenset(("deploy", "change"))

# Words that make a chat message part of the story, matched as whole words in any case.
# Documented in docs/timeline.md ("What is kept").
KEY_VERBS = (
    "rolled back",
    "roll back",
    "rollback",
    "reverted",
    "revert",
    "deployed",
    "deploying",
    "paged",
    "paging",
    "escalated",
    "mitigated",
    "mitigation",
    "resolved",
    "recovered",
    "restored",
    "fixed",
    "restarted",
    "failed over",
    "failover",
    "declared",
    "identified",
    "root cause",
    "status page",
    "incident commander",
)
_KEY_VERB = re.compile(r"\b(?:" + "|".join(re.escape(v) for v in KEY_VERBS) + r")\b", re.I)
# A time of day mentioned in a message ("seen since 14:02", "at 9:40").
_MENTIONED_TIME = re.compile(r"(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])")


@dataclass(frozen=True)
class Event:
    """One thing that happened, read from an export.

    ``source`` is the short tag a reviewer sees in the row (``slack``, ``pagerduty``...);
    ``key`` tells events of one source apart (a Slack ``ts``, a log entry's id), so a thread
    reply can name its parent. ``marked`` is a pin or a chosen reaction: someone in the
    channel said "this belongs in the timeline".
    """

    at: datetime
    text: str
    actor: str
    source: str
    kind: Kind = "note"
    key: str = ""
    parent: str = ""
    marked: bool = False
    bot: bool = False

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("an event's time must carry its zone")


@dataclass(frozen=True)
class Moment:
    """A front-matter moment the events suggest, and the event that suggests it."""

    name: Literal["started", "detected", "resolved"]
    at: datetime
    because: Event


def in_window(
    events: Iterable[Event], since: datetime | None, until: datetime | None
) -> list[Event]:
    """The events from ``since`` to ``until`` (both included), in time order."""
    return sorted(
        (
            e
            for e in events
            if (since is None or e.at >= since) and (until is None or e.at <= until)
        ),
        key=_order,
    )


def select(events: Sequence[Event], keep_all: bool = False) -> list[Event]:
    """The events a timeline draft keeps, in time order.

    Every event from a tool (a page, an alert, a deploy, a change, a note) is kept. Of what
    people said: pinned or reacted messages, bot messages, messages that mention a time or a
    key verb, and the first message of each responder; a thread's parent is kept with any
    reply that is kept. ``keep_all`` keeps everything.
    """
    ordered = sorted(events, key=_order)
    if keep_all:
        return ordered
    seen: set[tuple[str, str]] = set()
    kept: list[Event] = []
    for event in ordered:
        first = event.kind == "chat" and (event.source, event.actor) not in seen
        seen.add((event.source, event.actor))
        if first or is_signal(event):
            kept.append(event)
    return _with_parents(kept, ordered)


def is_signal(event: Event) -> bool:
    """Whether an event belongs in a timeline on its own, whoever wrote it."""
    if event.kind != "chat" or event.marked or event.bot:
        return True
    return bool(_KEY_VERB.search(event.text) or _MENTIONED_TIME.search(event.text))


def _with_parents(kept: list[Event], ordered: list[Event]) -> list[Event]:
    """``kept`` with the parent message of every kept thread reply."""
    wanted = {(e.source, e.parent) for e in kept if e.parent}
    have = {(e.source, e.key) for e in kept}
    missing = wanted - have
    if not missing:
        return kept
    parents = [e for e in ordered if (e.source, e.key) in missing]
    return sorted([*kept, *parents], key=_order)


def _order(event: Event) -> tuple[datetime, str, str]:
    return event.at, event.source, event.key


def moments(events: Sequence[Event]) -> list[Moment]:
    """``started``, ``detected`` and ``resolved`` as the events suggest them.

    ``detected`` is the first page or alert. ``started`` is the earlier of the first alert
    (an alert fires when the impact began, a page may come later) and the last deploy or
    change at or before detection: the change that set it off. ``resolved`` is the last
    resolution of a page or an alert after detection. A moment the events do not show is
    left out; all three are proposals for the author to confirm.
    """
    ordered = sorted(events, key=_order)
    detected = next((e for e in ordered if e.kind in DETECTING), None)
    if detected is None:
        return []
    found = [Moment("detected", detected.at, detected)]
    candidates = [e for e in ordered if e.kind == "alert"][:1]
    changes = [e for e in ordered if e.kind in CHANGING and e.at <= detected.at]
    candidates += changes[-1:]
    start = min(candidates, key=_order) if candidates else detected
    found.insert(0, Moment("started", start.at, start))
    resolutions = [e for e in ordered if e.kind == "resolve" and e.at >= detected.at]
    if resolutions:
        found.append(Moment("resolved", resolutions[-1].at, resolutions[-1]))
    return found
