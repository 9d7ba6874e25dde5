"""Timeline events from the exports a team already has: chat, pages, alerts, deploys.

:func:`read_source` tells a source's format by its shape (a Slack export's
``channels.json``, PagerDuty's ``log_entries``, an Alertmanager payload's ``alerts``...)
and reads it with the module of its family: ``slack``, ``chat``, ``paging``, ``alerts``,
``changes``. Every read is bounded (``exports``); a source that cannot be read raises
:class:`ExportError` with a one-line reason.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, tzinfo
from pathlib import Path
from typing import Any

from mkdocs_postmortems.core.timeline_events import Event
from mkdocs_postmortems.integrations.timeline import alerts, changes, chat, paging, slack
from mkdocs_postmortems.integrations.timeline.exports import (
    MAX_JSON_BYTES,
    Archive,
    ExportError,
    Folder,
    load_json,
    read_bytes,
    text_of,
)

__all__ = ["ExportError", "Options", "read_source"]


@dataclass(frozen=True)
class Options:
    """How to read the sources: the zone of times written without one, the channel of a
    Slack export, the reactions that mark a message, the day of a log without dates, the
    fields of a CSV or JSON Lines file, the days of the window (a Slack export's other days
    are not read), and the reader of times in chat logs."""

    tz: tzinfo
    read_time: chat.ReadTime
    channel: str | None = None
    reactions: Collection[str] = slack.DEFAULT_REACTIONS
    day: date | None = None
    window: tuple[date | None, date | None] = (None, None)
    fields: changes.Fields = field(default_factory=changes.Fields)


def read_source(path: Path, options: Options) -> list[Event]:
    """The events of one export, whatever its format."""
    if path.is_dir():
        return slack.read_export(Folder(path), options.channel, options.reactions, options.window)
    suffix = path.suffix.lower()
    if suffix == ".zip" or (suffix not in (".json", ".csv", ".jsonl", ".ndjson") and _is_zip(path)):
        return slack.read_export(Archive(path), options.channel, options.reactions, options.window)
    data = read_bytes(path)
    if suffix == ".csv":
        return changes.csv_rows(text_of(data), options.fields, options.tz)
    if suffix in (".jsonl", ".ndjson"):
        return _json_lines(text_of(data), options)
    if suffix == ".json":
        return _json(load_json(data, MAX_JSON_BYTES), options)
    return _text(text_of(data), path.name, options)


def _is_zip(path: Path) -> bool:
    try:
        return path.is_file() and zipfile.is_zipfile(path)
    except OSError:
        return False


def _json(data: Any, options: Options) -> list[Event]:
    tz = options.tz
    if paging.is_pagerduty(data):
        return paging.pagerduty(data, tz)
    if paging.is_incident_io(data):
        return paging.incident_io(data, tz)
    if paging.is_opsgenie(data):
        return paging.opsgenie(data, tz)
    if alerts.is_alert_payload(data):
        return alerts.alerts(data, tz)
    if changes.is_deployments(data):
        return changes.deployments(data, tz)
    raise ExportError(
        "not a known export: expected PagerDuty log entries ('log_entries'), incident.io "
        "updates ('incident_updates'), Opsgenie alert logs ('data'), an Alertmanager or "
        "Grafana webhook payload ('alerts'), or a list of GitHub deployments"
    )


def _json_lines(text: str, options: Options) -> list[Event]:
    """Webhook payloads logged one per line are alerts; any other records are rows."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        head = load_json(first.encode()) if first else None
    except ExportError:
        head = None
    if alerts.is_alert_payload(head):
        payloads = [load_json(line.encode()) for line in text.splitlines() if line.strip()]
        return alerts.alerts(payloads, options.tz)
    return changes.json_lines(text, options.fields, options.tz)


def _text(text: str, name: str, options: Options) -> list[Event]:
    if changes.is_git_log(text):
        return changes.git_log(text, options.tz)
    if chat.is_chat_log(text, options.read_time):
        return chat.read_log(text, name, options.read_time, options.tz, options.day)
    raise ExportError(
        "not a known export: a text file must be `git log` output or a chat log "
        "('[14:02] <alice> text' or '2024-01-21 14:02:11 alice: text')"
    )
