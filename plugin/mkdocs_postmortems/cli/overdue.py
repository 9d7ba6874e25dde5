"""``postmortems overdue``: overdue write-ups, overdue action items and reviews due."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from mkdocs_postmortems.cli.common import day, now
from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.config import Settings, no_postmortems, require_folder
from mkdocs_postmortems.core.dates import how_late, plural
from mkdocs_postmortems.core.findings import printable
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.core.register import MissingWriteup
from mkdocs_postmortems.integrations.register import load_register
from mkdocs_postmortems.rules import RULESET


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    overdue = commands.add_parser(
        "overdue",
        parents=[common],
        help="list overdue write-ups, overdue action items and reviews due",
    )
    overdue.add_argument("--format", choices=("text", "json"), default="text")
    overdue.add_argument("--today", type=day, metavar="YYYY-MM-DD", help="report as of that day")
    overdue.set_defaults(run=run_overdue)


def run_overdue(args: argparse.Namespace, settings: Settings) -> int:
    moment = now(args)
    require_folder(settings)
    register = load_register(settings)
    kb = load(settings, RULESET)
    if not kb.postmortems and register is None:
        # A daily job over an empty folder would report "nothing is overdue" forever.
        raise no_postmortems(settings)
    result = deadlines.report(kb.indexed, settings, moment, register)
    if args.format == "json":
        json.dump(_report_json(result, settings), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_report(result, settings)
    return 1 if result.anything_overdue else 0


def _report_json(result: deadlines.Report, settings: Settings) -> dict[str, Any]:
    def ref(pm: Any) -> dict[str, Any]:
        return {
            "id": pm.id,
            "path": pm.display,
            "title": pm.title,
            "severity": pm.severity,
            "status": pm.status,
            "authors": pm.authors,
        }

    return {
        "now": result.now.isoformat(),
        "overdue": result.anything_overdue,
        "writeups": [
            {
                **ref(w.postmortem),
                "deadline": w.deadline.isoformat(),
                "days_late": w.late_by.days,
                "late": how_late(w.late_by),
            }
            for w in result.writeups
        ],
        "missing_writeups": [_missing_json(m) for m in result.missing],
        "due_writeups": [_missing_json(m) for m in result.due],
        "action_items": [
            {
                "postmortem": ref(a.postmortem),
                "action": a.item.action,
                "owner": a.item.owner,
                "due": a.item.due.isoformat() if a.item.due else None,
                "priority": a.item.priority,
                "status": a.item.status,
                "ticket": a.item.ticket,
                "line": a.item.pos.line,
                "days_late": a.days_late,
                "late": plural(a.days_late, "day"),
            }
            for a in result.action_items
        ],
        "reviews_due": [{**ref(r.postmortem), "due": r.due.isoformat()} for r in result.reviews],
        "published_late": [
            {**ref(p.postmortem), "deadline": p.deadline.isoformat(), "days_late": p.days_late}
            for p in result.published_late
        ],
    }


def _missing_json(entry: MissingWriteup) -> dict[str, Any]:
    incident = entry.incident
    return {
        "incident": incident.id,
        "number": incident.number or None,
        "title": incident.title,
        "severity": incident.severity,
        "started": incident.started.isoformat(),
        "resolved": incident.resolved.isoformat() if incident.resolved else None,
        "services": list(incident.services),
        "url": incident.url or None,
        "deadline": entry.deadline.isoformat(),
        "days_late": entry.late_by.days if entry.late_by.total_seconds() > 0 else 0,
        "late": how_late(entry.late_by) if entry.late_by.total_seconds() > 0 else "",
        "hours_left": int(entry.left.total_seconds() // 3600)
        if entry.left.total_seconds() > 0
        else 0,
    }


def _print_report(result: deadlines.Report, settings: Settings) -> None:
    tz = settings.tz
    out = sys.stdout

    def item(text: str) -> None:
        # Titles, owners and actions come from the files and the register: one item stays on
        # one line, and no escape sequence reaches the terminal.
        out.write(f"  {printable(text)}\n")

    out.write(f"As of {result.now.astimezone(tz):%Y-%m-%d %H:%M} ({settings.timezone}):\n")
    out.write(f"\nOverdue write-ups ({len(result.writeups)}):\n")
    for w in result.writeups:
        pm = w.postmortem
        item(
            f"{pm.display}: {pm.severity} {pm.status}, due {w.deadline.astimezone(tz):%Y-%m-%d %H:%M}"
            f", {how_late(w.late_by)} late: {pm.title}"
        )
    if settings.register is not None:
        out.write(f"\nIncidents with no write-up, past the deadline ({len(result.missing)}):\n")
        for m in result.missing:
            item(f"{_incident_line(m, settings)}, {how_late(m.late_by)} late")
        out.write(f"\nIncidents with no write-up yet, still due ({len(result.due)}):\n")
        for m in result.due:
            item(f"{_incident_line(m, settings)}, {_left(m)} left")
    out.write(f"\nOverdue action items ({len(result.action_items)}):\n")
    for a in result.action_items:
        item(
            f"{a.postmortem.display}:{a.item.pos.line}: {a.item.owner}, due {a.item.due}"
            f" ({plural(a.days_late, 'day')} late), {a.item.priority}: {a.item.action}"
        )
    out.write(f"\nEffectiveness reviews due ({len(result.reviews)}):\n")
    for r in result.reviews:
        pm = r.postmortem
        item(f"{pm.display}: published {pm.published}, review due {r.due}: {pm.title}")
    if result.published_late:
        out.write(f"\nPublished late, for the record ({len(result.published_late)}):\n")
        for p in result.published_late:
            pm = p.postmortem
            item(f"{pm.display}: {pm.severity}, {plural(p.days_late, 'day')} late: {pm.title}")
    if not result.anything_overdue:
        out.write("\nNothing is overdue.\n")


def _incident_line(entry: MissingWriteup, settings: Settings) -> str:
    incident = entry.incident
    name = f"{incident.id} ({incident.number})" if incident.number else incident.id
    due = entry.deadline.astimezone(settings.tz)
    return f"{name}: {incident.severity} {incident.title}, write-up due {due:%Y-%m-%d %H:%M}"


def _left(entry: MissingWriteup) -> str:
    hours = int(entry.left.total_seconds() // 3600)
    if hours < 24:
        return plural(hours, "hour")
    return f"{plural(hours // 24, 'day')} {plural(hours % 24, 'hour')}"
