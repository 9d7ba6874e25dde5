"""Paging tools: PagerDuty log entries, incident.io updates and timeline items, Opsgenie
alert logs.

The fields read come from each tool's public API reference: PagerDuty REST API v2 "List
log entries" (``log_entries[]``: ``type``, ``created_at``, ``summary``, ``agent.summary``,
``channel``); incident.io API v2 "List incident updates" (``incident_updates[]``:
``created_at``, ``message``, ``new_incident_status``, ``updater``) and its timeline items
(``incident_timeline_items[]``: ``occurred_at``, ``title``, ``description``); Opsgenie
Alert API "List alert logs" (``data[]``: ``createdAt``, ``log``, ``type``, ``owner``).
The actor is the responder, or the integration that acted.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from mkdocs_postmortems.core.timeline_events import Event, Kind
from mkdocs_postmortems.integrations.timeline.exports import field, items, short, when

# PagerDuty's log entry types: a trigger pages, a resolve ends it; the rest are notes.
_PAGERDUTY_KINDS: dict[str, Kind] = {
    "trigger_log_entry": "page",
    "resolve_log_entry": "resolve",
}
# incident.io status categories that mean the incident is over.
_CLOSED = ("post-incident", "closed", "resolved", "learning")


def is_pagerduty(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("log_entries"), list)


def is_incident_io(data: Any) -> bool:
    return isinstance(data, dict) and (
        isinstance(data.get("incident_updates"), list)
        or isinstance(data.get("incident_timeline_items"), list)
    )


def is_opsgenie(data: Any) -> bool:
    entries = data.get("data") if isinstance(data, dict) else None
    return (
        isinstance(entries, list)
        and bool(entries)
        and all(isinstance(e, dict) and "log" in e and "createdAt" in e for e in entries[:5])
    )


def pagerduty(data: Any, tz: tzinfo) -> list[Event]:
    events = []
    for index, entry in enumerate(items(data, "log_entries", "PagerDuty")):
        kind = _PAGERDUTY_KINDS.get(short(entry.get("type")), "note")
        at = when(entry.get("created_at"), f"log_entries[{index}].created_at", tz)
        text = short(entry.get("summary")) or short(entry.get("type")).replace("_", " ")
        note = (
            short(field(entry, "channel", "summary"))
            if "annotate" in short(entry.get("type"))
            else ""
        )
        if note and note not in text:
            text = f"{text}: {note}"
        incident = short(field(entry, "incident", "summary"), 200)
        if kind == "page" and incident and incident not in text:
            text = f"{text} ({incident})"
        actor = short(field(entry, "agent", "summary"), 200)
        key = short(entry.get("id"), 64) or str(index)
        events.append(Event(at, text, actor, "pagerduty", kind, key, bot=True))
    return events


def incident_io(data: Any, tz: tzinfo) -> list[Event]:
    events = []
    if isinstance(data.get("incident_updates"), list):
        for index, update in enumerate(items(data, "incident_updates", "incident.io")):
            at = when(update.get("created_at"), f"incident_updates[{index}].created_at", tz)
            status = short(field(update, "new_incident_status", "name"), 100)
            category = short(field(update, "new_incident_status", "category"), 100)
            message = short(update.get("message"))
            text = f"Status: {status}. {message}".strip() if status else message
            kind: Kind = "resolve" if category.casefold() in _CLOSED else "note"
            actor = _updater(update.get("updater"))
            key = short(update.get("id"), 64) or f"u{index}"
            events.append(
                Event(at, text or "Incident updated", actor, "incident.io", kind, key, bot=True)
            )
    if isinstance(data.get("incident_timeline_items"), list):
        for index, item in enumerate(items(data, "incident_timeline_items", "incident.io")):
            stamp = item.get("occurred_at") or item.get("timestamp") or item.get("created_at")
            at = when(stamp, f"incident_timeline_items[{index}].occurred_at", tz)
            title = short(item.get("title"))
            description = short(item.get("description"))
            text = f"{title}: {description}" if title and description else title or description
            key = short(item.get("id"), 64) or f"t{index}"
            events.append(
                Event(at, text or "Timeline item", "", "incident.io", "note", key, bot=True)
            )
    return events


def _updater(updater: Any) -> str:
    for kind in ("user", "api_key", "workflow"):
        name = short(field(updater, kind, "name"), 200)
        if name:
            return name
    return ""


def opsgenie(data: Any, tz: tzinfo) -> list[Event]:
    events = []
    for index, entry in enumerate(items(data, "data", "Opsgenie")):
        at = when(entry.get("createdAt"), f"data[{index}].createdAt", tz)
        log = short(entry.get("log"))
        # Opsgenie logs its own actions as type "system"; the log line says which.
        said = f"{short(entry.get('type'), 100)} {log[:40]}".casefold()
        kind: Kind = "page" if "creat" in said else "resolve" if "close" in said else "note"
        actor = short(entry.get("owner"), 200)
        key = short(entry.get("offset"), 64) or str(index)
        events.append(Event(at, log or "Alert log entry", actor, "opsgenie", kind, key, bot=True))
    return events
