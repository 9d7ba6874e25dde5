"""Follow-up: the open action items in the order a team lead acts on them, their counts by
owner and by service, and the data the follow-up view filters in the browser.

Pure functions of the incidents' views and ``today``; :mod:`~mkdocs_postmortems.site.indexes`
and :mod:`~mkdocs_postmortems.site.facets` draw them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.model import ActionItem
from mkdocs_postmortems.site.links import Site
from mkdocs_postmortems.site.views import Incident

#: Rows a follow-up page lists at once: at 10,000 incidents a page of every open item was
#: megabytes; the rest is on the next page (owners' pages) or a filter away.
PER_PAGE = 200
#: An item due within this many days is "due soon": it comes right after the overdue ones.
SOON = 14
#: The due windows the follow-up view filters on, in the order of its menu.
WINDOWS = {
    "overdue": "Overdue",
    "week": "Due within 7 days",
    "soon": f"Due within {SOON} days",
    "later": "Due later",
    "none": "No due date",
}
#: Where the follow-up view's data lives, under ``url_prefix`` (next to ``explorer.json``).
FOLLOW_UP_DATA = "follow-up.json"


@dataclass(frozen=True, slots=True)
class ActionRow:
    item: ActionItem
    incident: Incident
    days_late: int
    due_in: int | None  # days until due (negative when late), None without a due date

    @property
    def window(self) -> str:
        if self.days_late:
            return "overdue"
        if self.due_in is None:
            return "none"
        if self.due_in <= 7:
            return "week"
        return "soon" if self.due_in <= SOON else "later"


def all_rows(incidents: Iterable[Incident], today: date) -> list[ActionRow]:
    """Every action item, in the incidents' order."""
    return [
        ActionRow(
            item,
            incident,
            deadlines.action_days_late(item, today),
            (item.due - today).days if item.due else None,
        )
        for incident in incidents
        for item in incident.action_items
    ]


def open_rows(rows: Iterable[ActionRow], settings: Settings) -> list[ActionRow]:
    """The open and in-progress items, most urgent first (:func:`urgency`)."""
    ranks = {name: rank for rank, name in enumerate(settings.priorities)}
    found = [row for row in rows if row.item.is_open]
    found.sort(key=lambda row: urgency(row, ranks))
    return found


def urgency(row: ActionRow, priorities: dict[str, int]) -> tuple[object, ...]:
    """What a team lead acts on first.

    Overdue items, then those due within :data:`SOON` days, then the rest. Within each,
    the higher priority first, then the item from the more serious incident. Among overdue
    items of one priority and severity, the one that slipped most recently comes first: it
    is still fresh in its owner's mind and cheapest to rescue, where an item a thousand days
    late is a decision to take (do it, or mark it ``wont-do``), which the "late" column and
    the counts by owner show at a glance. Among the others, the one due first comes first.
    """
    bucket = 0 if row.days_late else 1 if row.due_in is not None and row.due_in <= SOON else 2
    when = row.days_late if row.days_late else (row.due_in if row.due_in is not None else 10**6)
    return (
        bucket,
        priorities.get(row.item.priority, len(priorities)),
        row.incident.severity_rank,
        when,
        row.item.owner.lower(),
        row.incident.id,
    )


@dataclass(frozen=True, slots=True)
class Count:
    """Open and overdue items of one owner or one service."""

    name: str
    open: int
    overdue: int


def counts(rows: Iterable[ActionRow], by: str) -> list[Count]:
    """Open and overdue items by ``owner`` or by ``service``: most overdue first."""
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        names = [row.item.owner] if by == "owner" else list(dict.fromkeys(row.incident.services))
        for name in names:
            tally[name]["open"] += 1
            tally[name]["overdue"] += bool(row.days_late)
    found = [Count(name, c["open"], c["overdue"]) for name, c in tally.items()]
    found.sort(key=lambda c: (-c.overdue, -c.open, c.name))
    return found


def data(rows: Iterable[ActionRow], site: Site) -> str:
    """The open items as the follow-up view filters them in the browser, as compact JSON
    (keys: see ``build`` of ``followUp`` in explorer.js), with the URLs of the owners',
    services' and severities' pages once rather than on every item; URLs are relative to
    the site root."""
    payload = {
        "owners": {name: site.url_of_src(site.owner_src(name)) for name in site.facets.owners},
        "services": {
            name: site.url_of_src(site.service_src(name)) for name in site.facets.services
        },
        "severity": site.page_url("severity") if site.has_page("severity") else "",
        "items": [
            {
                "a": row.item.action,
                "o": row.item.owner,
                "d": row.item.due.isoformat() if row.item.due else "",
                "l": row.days_late,
                "w": row.window,
                "p": row.item.priority,
                "st": row.item.status,
                "tk": row.item.ticket,
                "t": row.incident.title,
                "u": site.postmortem_url(row.incident.id),
                "s": row.incident.severity,
                "r": row.incident.severity_rank,
                "sl": row.incident.severity_label,
                "sv": row.incident.services,
            }
            for row in rows
        ],
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"


def pages_of(rows: list[ActionRow], size: int = 0) -> list[list[ActionRow]]:
    """``rows`` in pages of ``size`` (:data:`PER_PAGE` by default; one empty page when
    there are none)."""
    size = size or PER_PAGE
    return [rows[start : start + size] for start in range(0, len(rows), size)] or [[]]
