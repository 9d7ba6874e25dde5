"""Deploys and changes: ``git log``, GitHub deployments, and any CSV or JSON Lines file
(CI logs, audit logs) whose time, text and actor fields are named.

``git log`` is read in its default layout (``commit``, ``Author:``, ``Date:``, an indented
message), with the dates of ``--date=iso-strict`` or git's default ``Mon Jan 21 14:02:11
2024 +0100``. GitHub deployments are the REST API's "List deployments" objects (``sha``,
``ref``, ``environment``, ``description``, ``creator.login``, ``created_at``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from mkdocs_postmortems.core.timeline_events import Event
from mkdocs_postmortems.integrations.timeline.exports import (
    ExportError,
    field,
    load_json,
    short,
    when,
)

_COMMIT = re.compile(r"commit ([0-9a-f]{7,64})\b")
_AUTHOR = re.compile(r"Author:\s*(.*?)\s*(?:<[^>]*>)?\s*$")
_DATE = re.compile(r"(?:Author)?Date:\s*(.+?)\s*$")
MAX_ROWS = 200_000
"""Rows of a CSV or JSON Lines file; an audit log of one incident is far shorter."""

TIME_FIELDS = ("time", "timestamp", "@timestamp", "created_at", "date", "ts")
TEXT_FIELDS = ("text", "message", "msg", "event", "summary", "description")
ACTOR_FIELDS = ("actor", "user", "author", "who", "owner", "login")


def is_git_log(text: str) -> bool:
    return _COMMIT.match(text.lstrip()) is not None


def git_log(text: str, tz: tzinfo) -> list[Event]:
    """Events from the text of ``git log``: one per commit, at its author date."""
    events = []
    for block in re.split(r"^(?=commit [0-9a-f]{7,64}\b)", text, flags=re.M):
        lines = block.splitlines()
        if not lines or not (head := _COMMIT.match(lines[0])):
            continue
        sha = head.group(1)
        author = ""
        at: datetime | None = None
        message = []
        for line in lines[1:]:
            if line.startswith("    "):
                message.append(line.strip())
            elif (found := _AUTHOR.match(line)) and not author:
                author = found.group(1)
            elif (stamp := _DATE.match(line)) and at is None:
                at = _git_date(stamp.group(1), f"commit {sha[:12]}", tz)
        if at is None:
            raise ExportError(f"commit {sha[:12]}: no Date: line (use git log's default layout)")
        subject = next((m for m in message if m), "")
        events.append(Event(at, f"Commit {sha[:7]}: {subject}", author, "git", "change", sha))
    return events


def _git_date(text: str, where: str, tz: tzinfo) -> datetime:
    try:
        return datetime.strptime(text, "%a %b %d %H:%M:%S %Y %z")
    except ValueError:
        return when(text, where, tz)


def is_deployments(data: Any) -> bool:
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(d, dict) and "environment" in d and "sha" in d for d in data[:5])
    )


def deployments(data: Any, tz: tzinfo) -> list[Event]:
    events = []
    for index, deployment in enumerate(data):
        if not isinstance(deployment, dict):
            raise ExportError(f"deployment {index}: not an object")
        at = when(deployment.get("created_at"), f"[{index}].created_at", tz)
        ref = short(deployment.get("ref"), 200)
        sha = short(deployment.get("sha"), 64)[:7]
        environment = short(deployment.get("environment"), 200)
        text = f"Deployment of {ref or sha}" + (f" ({sha})" if ref and sha else "")
        text += f" to {environment}" if environment else ""
        description = short(deployment.get("description"))
        if description:
            text += f": {description}"
        actor = short(field(deployment, "creator", "login"), 200)
        key = short(deployment.get("id"), 64) or str(index)
        events.append(Event(at, text, actor, "github", "deploy", key, bot=True))
    return events


@dataclass(frozen=True)
class Fields:
    """The fields of a CSV or JSON Lines record that hold the time, the text and the actor;
    empty to take the first of the usual names present."""

    time: str = ""
    text: str = ""
    actor: str = ""


def csv_rows(text: str, fields: Fields, tz: tzinfo, source: str = "csv") -> list[Event]:
    # A cell may be as long as the file (the file is bounded); its text is cut later.
    limit = csv.field_size_limit(len(text) + 1)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        chosen = _chosen(reader.fieldnames or [], fields)
        events = []
        for index, row in enumerate(reader, start=2):
            if index > MAX_ROWS:
                raise ExportError(f"more than {MAX_ROWS:,} rows; not read")
            events.append(_record(row, chosen, f"line {index}", tz, source, str(index)))
    except csv.Error as exc:
        raise ExportError(f"not a CSV file: {exc}") from None
    finally:
        csv.field_size_limit(limit)
    return events


def json_lines(text: str, fields: Fields, tz: tzinfo, source: str = "jsonl") -> list[Event]:
    events = []
    chosen: tuple[str, str, str] | None = None
    for index, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if index > MAX_ROWS:
            raise ExportError(f"more than {MAX_ROWS:,} lines; not read")
        try:
            record = load_json(line.encode())
        except ExportError as exc:
            raise ExportError(f"line {index}: {exc}") from None
        if not isinstance(record, dict):
            raise ExportError(f"line {index}: not a JSON object")
        chosen = chosen or _chosen(list(record), fields)
        events.append(_record(record, chosen, f"line {index}", tz, source, str(index)))
    return events


def _chosen(names: Sequence[str], fields: Fields) -> tuple[str, str, str]:
    time_name = _pick(names, fields.time, TIME_FIELDS, "time")
    text_name = _pick(names, fields.text, TEXT_FIELDS, "text")
    actor_name = _pick(names, fields.actor, ACTOR_FIELDS, "actor", required=False)
    return time_name, text_name, actor_name


def _pick(
    names: Sequence[str], given: str, usual: Sequence[str], role: str, required: bool = True
) -> str:
    if given:
        if given not in names:
            raise ExportError(f"no field '{given}' (--{role}-field); fields: {_listed(names)}")
        return given
    folded = {name.casefold(): name for name in names}
    found = next((folded[name] for name in usual if name in folded), "")
    if not found and required:
        raise ExportError(
            f"no {role} field; name it with --{role}-field (fields: {_listed(names)})"
        )
    return found


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(short(name, 40) for name in names[:20])
    return shown + (", ..." if len(names) > 20 else "") if shown else "none"


def _record(
    record: dict[str, Any],
    chosen: tuple[str, str, str],
    where: str,
    tz: tzinfo,
    source: str,
    key: str,
) -> Event:
    time_name, text_name, actor_name = chosen
    at = when(record.get(time_name), f"{where}, {time_name}", tz)
    text = _plain(record.get(text_name))
    actor = _plain(record.get(actor_name), 200) if actor_name else ""
    return Event(at, text, actor, source, "note", key, bot=True)


def _plain(value: Any, limit: int = 20_000) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)[:limit]
    return short(value, limit)
