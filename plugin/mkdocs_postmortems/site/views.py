"""What the pages show of an incident and how they show dates: plain values, computed once
per build (:func:`build_incident`, cached by :func:`~.context.incident_view`) and read by
the templates and filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import how_late, plural
from mkdocs_postmortems.core.extra_fields import as_texts
from mkdocs_postmortems.core.model import ActionItem, PostMortem
from mkdocs_postmortems.site.insights import periods


@dataclass(frozen=True)
class Formatter:
    """Dates and durations as the site shows them, in the configured timezone."""

    settings: Settings

    def day(self, value: datetime) -> str:
        """The local day of a moment: what a page built from "now" says it is as of, so
        that it reads the same all day."""
        return f"{value.astimezone(self.settings.tz):%Y-%m-%d}"

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return ""
        local = value.astimezone(self.settings.tz)
        return f"{local:%Y-%m-%d %H:%M} {local.tzname() or self.settings.timezone}"

    def duration(self, value: timedelta | None) -> str:
        if value is None:
            return ""
        minutes = int(value.total_seconds() // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        parts = [f"{days} d"] if days else []
        if hours:
            parts.append(f"{hours} h")
        if minutes or not parts:
            parts.append(f"{minutes} min")
        return " ".join(parts)

    def deadline(self, value: timedelta) -> str:
        """A policy period as people say it: "48 hours", "7 days"."""
        hours = value.total_seconds() / 3600
        if hours < 72 or hours % 24:
            return f"{hours:g} hours"
        return self.days(int(hours // 24))

    def days(self, count: int) -> str:
        return plural(count, "day")

    def late(self, late_by: timedelta) -> str:
        """How late, in hours under a day: "3 hours", not "0 days"."""
        return how_late(late_by)


@dataclass(frozen=True, slots=True)
class Part:
    """A piece of the incident page's one-line header, and its kind (a CSS class)."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class ExtraValue:
    """A team-defined field (``extra_fields``) as the header card and the explorer show it."""

    name: str
    label: str
    values: list[str]
    filterable: bool


@dataclass(frozen=True, slots=True)
class Incident:
    """Everything the pages show of an incident, computed once per build.

    An object rather than a dict: templates read ``incident.title``, and Jinja tries an
    attribute before an item, so a dict paid for a failed lookup on every field of every row.
    Links differ per page, so templates build them with ``incident | incident_link(links)``.
    """

    id: str
    title: str
    severity: str
    severity_rank: int
    severity_label: str
    status: str
    started: datetime | None
    day: date | None  # the day it started, in the configured timezone
    detected: datetime | None
    resolved: datetime | None
    published: date | None
    year: int | str
    month: str  # YYYY-MM, for the explorer's period filter
    quarter: str  # YYYY-Qn
    duration: timedelta | None
    duration_minutes: int | str
    time_to_detect: timedelta | None
    services: list[str]
    tags: list[str]
    authors: list[str]
    facilitator: str
    impact: dict[str, Any]
    valid: bool
    overdue: bool
    summary: str
    action_items: list[ActionItem]
    open_items: int
    overdue_items: int
    imported: str  # the source file of an imported write-up, "" otherwise
    extra: tuple[ExtraValue, ...] = ()
    reviewed: date | None = None  # the effectiveness review's date


def oneline(view: Incident, fmt: Formatter) -> list[Part]:
    """How long and how many, for the one-line header: "5 h 48 min · 61,000 users"."""
    parts = []
    if view.duration is not None:
        parts.append(Part("duration", fmt.duration(view.duration)))
    elif view.started is not None:
        parts.append(Part("duration", "ongoing"))
    if impact := impact_in_one(view.impact):
        parts.append(Part("impact", impact))
    return parts


def impact_in_one(impact: dict[str, Any]) -> str:
    """The impact in one number or phrase: users affected, else revenue, else data loss."""
    users = impact.get("users_affected")
    if isinstance(users, int) and not isinstance(users, bool):
        return f"{users:,} user{'s' if users != 1 else ''}"
    if revenue := impact.get("revenue"):
        return str(revenue)
    if impact.get("data_loss") is True:
        return "data lost"
    return ""


def build_incident(pm: PostMortem, settings: Settings, today: date, overdue: bool) -> Incident:
    """What the pages show of ``pm`` (``overdue``: its write-up is past its deadline)."""
    severity = settings.severity(pm.severity)
    duration = pm.time_to_resolve
    local = pm.started.astimezone(settings.tz) if pm.started else None
    month, quarter = periods(local.date() if local else None)
    return Incident(
        id=pm.id,
        title=pm.title or pm.path.name,
        severity=pm.severity,
        severity_rank=settings.severity_names.index(pm.severity)
        if severity
        else len(settings.severities),
        severity_label=severity.label if severity else pm.severity,
        status=pm.status,
        started=pm.started,
        day=local.date() if local else None,
        detected=pm.detected,
        resolved=pm.resolved,
        published=pm.published,
        year=local.year if local else "",
        month=month,
        quarter=quarter,
        duration=duration,
        duration_minutes=int(duration.total_seconds() // 60) if duration else "",
        time_to_detect=pm.time_to_detect,
        services=pm.services,
        tags=pm.tags,
        authors=pm.authors,
        facilitator=pm.facilitator,
        impact=pm.impact,
        valid=pm.valid,
        overdue=overdue,
        summary=pm.summary,
        action_items=pm.action_items,
        open_items=sum(item.is_open for item in pm.action_items),
        overdue_items=sum(
            bool(deadlines.action_days_late(item, today)) for item in pm.action_items
        ),
        imported=pm.imported,
        reviewed=pm.reviewed,
        extra=tuple(
            ExtraValue(spec.name, spec.title, as_texts(pm.extra[spec.name]), spec.filterable)
            for spec in settings.extra_fields
            if spec.name in pm.extra
        ),
    )
