"""incident.io: the JSON of its public API's incident list, read as a register.

The fields read, from incident.io's API reference, "List incidents V2"
(https://api-docs.incident.io/tag/Incidents-V2), are listed in docs/register.md.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from mkdocs_postmortems.core.config import RegisterSettings
from mkdocs_postmortems.core.register import Incident, Problem
from mkdocs_postmortems.integrations.records import (
    Entries,
    Entry,
    json_incidents,
    nested_text,
    text_field,
)

EXPECTED = 'incident.io\'s incident list ({"incidents": [...], "pagination_meta": {...}})'
#: Status categories of things that turned out not to be incidents of their own.
NOT_INCIDENTS = ("declined", "merged", "canceled")
#: Modes other than a real incident (``standard``) or one recorded afterwards (``retrospective``).
NOT_REAL = ("test", "tutorial")
#: Timestamps are configured per organisation; these are incident.io's default names.
STARTED = ("impact started", "reported at")
RESOLVED = ("resolved at", "closed at")


def read(text: str, config: RegisterSettings, tz: tzinfo) -> Entries:
    for found in json_incidents(
        text, EXPECTED, (("incident_number", "title", "urgency"), "PagerDuty", "pagerduty")
    ):
        if isinstance(found, Problem):
            yield found
            continue
        pos, where, item = found
        if nested_text(item, "incident_status", "category") in NOT_INCIDENTS:
            continue
        if text_field(item, "mode") in NOT_REAL:
            continue
        entry = Entry(pos, where, tz)
        ident = entry.required(text_field(item, "id"), "'id'")
        title = entry.required(text_field(item, "name"), "'name'")
        stamps = _timestamps(item)
        started_at = next((stamps[n] for n in STARTED if n in stamps), item.get("created_at"))
        started = entry.time(started_at, "start ('Impact started' or 'created_at')", required=True)
        resolved_at = next((stamps[n] for n in RESOLVED if n in stamps), None)
        resolved = entry.time(resolved_at, "'Resolved at'", required=False)
        yield from entry.problems
        if entry.problems or started is None:
            continue
        yield Incident(
            id=ident,
            title=title,
            started=started,
            resolved=resolved,
            level=nested_text(item, "severity", "name"),
            number=text_field(item, "reference"),
            services=_services(item),
            url=text_field(item, "permalink"),
            pos=entry.pos,
            where=where,
        )


def _timestamps(item: dict[str, Any]) -> dict[str, Any]:
    """``incident_timestamp_values`` by lower-cased name: ``{"resolved at": "2026-..."}``."""
    found: dict[str, Any] = {}
    values = item.get("incident_timestamp_values")
    for stamp in values if isinstance(values, list) else []:
        if not isinstance(stamp, dict):
            continue
        name = nested_text(stamp, "incident_timestamp", "name").casefold()
        value = stamp.get("value")
        if name and isinstance(value, dict) and value.get("value"):
            found.setdefault(name, value["value"])
    return found


def _services(item: dict[str, Any]) -> tuple[str, ...]:
    """The values of custom fields whose name mentions a service ("Affected services"):
    incident.io has no built-in service field, and teams model it as a custom field."""
    names: list[str] = []
    entries = item.get("custom_field_entries")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        if "service" not in nested_text(entry, "custom_field", "name").casefold():
            continue
        values = entry.get("values")
        for value in values if isinstance(values, list) else []:
            if not isinstance(value, dict):
                continue
            name = (
                nested_text(value, "value_catalog_entry", "name")
                or nested_text(value, "value_option", "value")
                or text_field(value, "value_text")
            )
            if name:
                names.append(name)
    return tuple(dict.fromkeys(names))
