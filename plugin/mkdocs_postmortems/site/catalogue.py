"""The site's data files: the catalogue (every incident and action item, for other tools)
and the explorer's data (every incident as the explorer filters it)."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.site.context import Context, formatter, incident_view

#: Where the explorer's data lives, under ``url_prefix`` (next to ``catalog.json``).
EXPLORER_DATA = "explorer.json"


def explorer_data(ctx: Context) -> str:
    """Every incident as the explorer's rows need it, as compact JSON: the incidents page
    lists only the newest, and the explorer filters, sorts and shows the rest from this.

    Keys are short (the file is read by the explorer alone, at 10,000 incidents it is 2 MB):
    see ``record`` in explorer.js. URLs are relative to the site root.
    """
    fmt = formatter(ctx)
    records = []
    for pm in ctx.indexed:
        i = incident_view(pm, ctx)
        records.append(
            {
                "i": i.id,
                "t": i.title,
                "u": ctx.site.postmortem_url(i.id),
                "s": i.severity,
                "r": i.severity_rank,
                "l": i.severity_label,
                "st": i.status,
                "d": i.started.isoformat() if i.started else "",
                "dt": fmt.datetime(i.started),
                "y": str(i.year),
                "m": i.month,
                "q": i.quarter,
                "du": i.duration_minutes,
                "dd": fmt.duration(i.duration) or "ongoing",
                "sv": i.services,
                "tg": i.tags,
                "v": int(i.valid),
                "o": int(i.overdue),
                "oi": i.overdue_items,
                # The team's filterable fields, as the rows' data-x-NAME attributes hold them.
                "x": {f"x-{x.name}": x.values for x in i.extra if x.filterable},
            }
        )
    return json.dumps(records, ensure_ascii=False, separators=(",", ":")) + "\n"


CATALOGUE_VERSION = 1


def catalogue(ctx: Context) -> str:
    """The knowledge base as JSON, for other tools: one record per indexed incident.

    URLs are relative to the site root. The format is documented in docs/catalogue.md and
    versioned by ``version``; fields are only ever added within a version.
    """
    site = ctx.site
    extras = ctx.settings.extra_fields
    incidents = []
    for pm in ctx.indexed:
        incidents.append(
            {
                "id": pm.id,
                "title": pm.title,
                "url": site.postmortem_url(pm.id),
                "path": _project_path(pm, ctx.settings),
                "severity": pm.severity,
                "status": pm.status,
                "started": _iso(pm.started),
                "detected": _iso(pm.detected),
                "resolved": _iso(pm.resolved),
                "published": _iso(pm.published),
                "reviewed": _iso(pm.reviewed),
                "duration_minutes": int(pm.time_to_resolve.total_seconds() // 60)
                if pm.time_to_resolve
                else None,
                "services": pm.services,
                "tags": pm.tags,
                "authors": pm.authors,
                "facilitator": pm.facilitator or None,
                "impact": pm.impact,
                "related": pm.related,
                "extra": {spec.name: json_value(pm.extra.get(spec.name)) for spec in extras},
                "summary": pm.summary,
                "valid": pm.valid,
                "writeup_overdue": pm.id in ctx.overdue_writeups,
                "action_items": [
                    {
                        "action": item.action,
                        "owner": item.owner,
                        "due": _iso(item.due),
                        "priority": item.priority,
                        "status": item.status,
                        "ticket": item.ticket or None,
                        "days_overdue": deadlines.action_days_late(item, ctx.today),
                    }
                    for item in pm.action_items
                ],
            }
        )
    payload = {
        "version": CATALOGUE_VERSION,
        "generated": ctx.day_start.isoformat(),  # the day: the same bytes all day long
        "severities": [s.name for s in ctx.settings.severities],
        "incidents": incidents,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"


def _project_path(pm: PostMortem, settings: Settings) -> str:
    """The file's path from the project root (where mkdocs.yml is), whatever the working
    directory of the build: the same site from ``mkdocs build`` anywhere."""
    root = f"{os.path.abspath(settings.root)}{os.sep}"
    path = os.path.abspath(pm.path)
    return Path(path[len(root) :] if path.startswith(root) else path).as_posix()


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def json_value(value: Any) -> Any:
    """A team field's value in JSON: dates as ISO text, nothing as null."""
    return value.isoformat() if isinstance(value, date) else value
