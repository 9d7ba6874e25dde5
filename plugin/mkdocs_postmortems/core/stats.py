"""What the knowledge base says about reliability, as numbers: a pure function of the
post-mortems, the settings and the moment (``now``).

The figures are defined in docs/insights.md; the names here are the JSON contract of
``postmortems stats``. Durations are in minutes, rates are shares between 0 and 1, and a
figure that has nothing to be computed from is ``None`` (JSON ``null``), never zero.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.fields import is_history
from mkdocs_postmortems.core.model import ACTION_STATUSES, PostMortem
from mkdocs_postmortems.core.register import MissingWriteup, Register, match, missing_writeups

#: The home page compares the last this-many days with the same span before them.
RECENT_DAYS = 90


def median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def p90(values: list[float]) -> float | None:
    """The 90th percentile, interpolated between the closest ranks (as spreadsheets and
    numpy's default do); a single value is its own percentile."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    return float(statistics.quantiles(values, n=10, method="inclusive")[8])


def _minutes(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 60


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Durations:
    """Minutes to detect and to resolve of a group of incidents, and how many lacked them."""

    detect: list[float] = field(default_factory=list)
    resolve: list[float] = field(default_factory=list)
    without_detected: int = 0
    without_resolved: int = 0

    def add(self, pm: PostMortem) -> None:
        detect = _minutes(pm.time_to_detect)
        resolve = _minutes(pm.time_to_resolve)
        if detect is None:
            self.without_detected += 1
        else:
            self.detect.append(detect)
        if resolve is None:
            self.without_resolved += 1
        else:
            self.resolve.append(resolve)


@dataclass
class WriteUps:
    """Write-ups of levels with a deadline: how many were due, and how many made it."""

    due: int = 0
    on_time: int = 0
    pending: int = 0

    def add(self, on_time: bool | None) -> None:
        if on_time is None:
            self.pending += 1
            return
        self.due += 1
        self.on_time += on_time

    @property
    def rate(self) -> float | None:
        return share(self.on_time, self.due)


def on_time(pm: PostMortem, settings: Settings, now: datetime) -> bool | None:
    """Whether a write-up met its deadline: published by the deadline's day (in the
    configured timezone, as "published late" counts it). A write-up not yet published is
    late once the deadline has passed, and not counted before (``None``), nor is a level
    without a deadline."""
    deadline = deadlines.writeup_deadline(pm, settings)
    if deadline is None:
        return None
    if pm.status == "published" and pm.published is not None:
        return pm.published <= deadline.astimezone(settings.tz).date()
    return False if now > deadline else None


@dataclass
class Items:
    """Action items by state, and the ages and lateness of the open ones."""

    open: int = 0
    overdue: int = 0
    done: int = 0
    wont_do: int = 0
    days_overdue: list[float] = field(default_factory=list)
    open_age_days: list[float] = field(default_factory=list)
    #: Items by what they improve (the ``Kind`` column), then by state; "" is no kind.
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, pm: PostMortem, today: date, settings: Settings) -> None:
        started = pm.started.astimezone(settings.tz).date() if pm.started else None
        for item in pm.action_items:
            states = self.by_kind.setdefault(item.kind, dict.fromkeys(KIND_STATES, 0))
            state = item.status.replace("-", "_")
            if state in states:  # an unknown status is a finding (PM405), maybe a warning
                states[state] += 1
            if item.status == "done":
                self.done += 1
            elif item.status == "wont-do":
                self.wont_do += 1
            elif item.is_open:
                self.open += 1
                if started is not None:
                    self.open_age_days.append(float((today - started).days))
                late = deadlines.action_days_late(item, today)
                if late:
                    self.overdue += 1
                    self.days_overdue.append(float(late))

    @property
    def done_rate(self) -> float | None:
        return share(self.done, self.done + self.open)


# The states an item of a kind is counted in: every action status (``wont-do`` as ``wont_do``).
KIND_STATES = tuple(status.replace("-", "_") for status in ACTION_STATUSES)


def quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass
class Stats:
    """Every figure, computed once; :meth:`as_json` is the documented contract."""

    as_of: date
    since: date | None
    until: date | None
    settings: Settings
    incidents: list[PostMortem]
    serious: tuple[str, ...]
    by_severity: dict[str, list[PostMortem]]
    months: dict[str, dict[str, int]]
    quarters: dict[str, dict[str, list[PostMortem]]]
    services: dict[str, list[PostMortem]]
    items: Items
    items_by_severity: dict[str, Items]
    now: datetime
    history: int  # write-ups from before the tool among the incidents counted
    #: Serious incidents of the register that no post-mortem covers, by our severity: past
    #: their write-up deadline. They count as write-ups that were due and are late.
    missing: dict[str, list[MissingWriteup]] = field(default_factory=dict)
    missing_due: int = 0  # the same, still within their deadline
    register: bool = False
    # The insights page asks for the quarters' figures once per chart and once for its JSON.
    _quarter_figures: dict[str, dict[str, dict[str, Any]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def has_deadline(self, name: str) -> bool:
        level = self.settings.severity(name)
        return level is not None and level.deadline is not None

    def day(self, pm: PostMortem) -> date:
        assert pm.started is not None
        return pm.started.astimezone(self.settings.tz).date()

    def durations(self, postmortems: Iterable[PostMortem]) -> Durations:
        result = Durations()
        for pm in postmortems:
            result.add(pm)
        return result

    def write_ups(self, postmortems: Iterable[PostMortem]) -> WriteUps:
        result = WriteUps()
        for pm in postmortems:
            result.add(on_time(pm, self.settings, self.now))
        return result

    def severity_figures(self, name: str) -> dict[str, Any]:
        group = self.by_severity.get(name, [])
        times = self.durations(group)
        has_deadline = self.has_deadline(name)
        writeups = self.write_ups(group)
        missing = len(self.missing.get(name, []))
        writeups.due += missing
        items = self.items_by_severity.get(name, Items())
        return {
            "incidents": len(group),
            "median_minutes_to_detect": median(times.detect),
            "median_minutes_to_resolve": median(times.resolve),
            "p90_minutes_to_detect": p90(times.detect),
            "p90_minutes_to_resolve": p90(times.resolve),
            "without_detected": times.without_detected,
            "without_resolved": times.without_resolved,
            "write_ups_on_time": writeups.rate if has_deadline else None,
            "write_ups_due": writeups.due if has_deadline else None,
            "write_ups_pending": writeups.pending if has_deadline else None,
            "action_items_done": items.done_rate,
            "missing_write_ups": missing if self.register and has_deadline else None,
        }

    def quarter_figures(self) -> dict[str, dict[str, dict[str, Any]]]:
        if self._quarter_figures is None:
            self._quarter_figures = self._compute_quarter_figures()
        return self._quarter_figures

    def _compute_quarter_figures(self) -> dict[str, dict[str, dict[str, Any]]]:
        result: dict[str, dict[str, dict[str, Any]]] = {}
        for name, groups in self.quarters.items():
            result[name] = {}
            has_deadline = self.has_deadline(name)
            for period, group in groups.items():
                times = self.durations(group)
                writeups = self.write_ups(group)
                result[name][period] = {
                    "incidents": len(group),
                    "median_minutes_to_detect": median(times.detect),
                    "p90_minutes_to_detect": p90(times.detect),
                    "median_minutes_to_resolve": median(times.resolve),
                    "p90_minutes_to_resolve": p90(times.resolve),
                    "write_ups_on_time": writeups.rate if has_deadline else None,
                }
        return result

    def service_figures(self) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        for name, group in self.services.items():
            rows[name] = {
                "incidents": len(group),
                "serious": sum(pm.severity in self.serious for pm in group),
                "last": max(self.day(pm) for pm in group).isoformat(),
            }
        return dict(
            sorted(rows.items(), key=lambda row: (-row[1]["serious"], -row[1]["incidents"], row[0]))
        )

    def kind_figures(self) -> dict[str, dict[str, int]]:
        """Every configured kind, zeros included, in the configured order (an unknown kind is
        a finding and read as no kind, so none other appears)."""
        empty = dict.fromkeys(KIND_STATES, 0)
        return {
            name: dict(self.items.by_kind.get(name, empty)) for name in self.settings.action_kinds
        }

    def as_json(self) -> dict[str, Any]:
        items = self.items
        return {
            "as_of": self.as_of.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "incidents": len(self.incidents),
            "history": self.history,
            "serious_levels": list(self.serious),
            "severities": {name: self.severity_figures(name) for name in self.by_severity},
            "months": self.months,
            "quarters": self.quarter_figures(),
            "services": self.service_figures(),
            "action_items": {
                "open": items.open,
                "overdue": items.overdue,
                "done": items.done,
                "wont_do": items.wont_do,
                "median_days_overdue": median(items.days_overdue),
                "median_open_age_days": median(items.open_age_days),
                "by_kind": self.kind_figures(),
                "without_kind": sum(self.items.by_kind.get("", {}).values()),
            },
            "register": {
                "missing_write_ups": sum(len(m) for m in self.missing.values()),
                "write_ups_due_later": self.missing_due,
            }
            if self.register
            else None,
        }


def compute(
    postmortems: Iterable[PostMortem],
    settings: Settings,
    now: datetime,
    *,
    since: date | None = None,
    until: date | None = None,
    history: bool = True,
    register: Register | None = None,
) -> Stats:
    """The figures for the post-mortems that started between ``since`` and ``until``
    (inclusive, in the configured timezone) and could be read (they have ``started``);
    without ``history``, write-ups from before the tool are left out. With the incident
    register, its serious incidents that nobody wrote up count as late write-ups."""
    tz = settings.tz
    today = now.astimezone(tz).date()
    chosen = []
    readable = [pm for pm in postmortems if pm.readable and pm.started is not None]
    for pm in readable:
        assert pm.started is not None
        day = pm.started.astimezone(tz).date()
        if (since and day < since) or (until and day > until):
            continue
        if not history and is_history(pm, settings):
            continue
        chosen.append(pm)
    chosen.sort(key=lambda pm: (pm.started, pm.id))
    levels = [s.name for s in settings.severities]
    by_severity: dict[str, list[PostMortem]] = {name: [] for name in levels}
    months: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(levels, 0))
    quarters: dict[str, dict[str, list[PostMortem]]] = {name: {} for name in levels}
    services: dict[str, list[PostMortem]] = defaultdict(list)
    items = Items()
    items_by_severity: dict[str, Items] = defaultdict(Items)
    for pm in chosen:
        assert pm.started is not None
        day = pm.started.astimezone(tz).date()
        # A severity the settings do not know is still an incident: it gets its own column.
        by_severity.setdefault(pm.severity, []).append(pm)
        quarters.setdefault(pm.severity, {}).setdefault(quarter(day), []).append(pm)
        month = months[f"{day:%Y-%m}"]
        month[pm.severity] = month.get(pm.severity, 0) + 1
        for service in dict.fromkeys(pm.services):
            services[service].append(pm)
        items.add(pm, today, settings)
        items_by_severity[pm.severity].add(pm, today, settings)
    serious = tuple(s.name for s in settings.severities if s.deadline is not None)
    missing: dict[str, list[MissingWriteup]] = defaultdict(list)
    missing_due = 0
    if register is not None:
        # Any post-mortem covers its incident, whichever span or history filter is asked for.
        overdue, due = missing_writeups(register, match(register, readable), settings, now)
        for entry in overdue:
            day = entry.incident.started.astimezone(tz).date()
            if not ((since and day < since) or (until and day > until)):
                missing[entry.incident.severity].append(entry)
        missing_due = len(due)
    return Stats(
        as_of=today,
        since=since,
        until=until,
        settings=settings,
        incidents=chosen,
        serious=serious,
        by_severity=by_severity,
        months=dict(sorted(months.items())),
        quarters={name: dict(sorted(q.items())) for name, q in quarters.items()},
        services=dict(services),
        items=items,
        items_by_severity=dict(items_by_severity),
        now=now,
        history=sum(is_history(pm, settings) for pm in chosen),
        missing=dict(missing),
        missing_due=missing_due,
        register=register is not None,
    )


def recent(
    postmortems: list[PostMortem],
    settings: Settings,
    now: datetime,
    *,
    whole: Stats | None = None,
) -> dict[str, Any]:
    """The home page's comparison: the last :data:`RECENT_DAYS` days against the span before.

    Serious incidents, the median time to resolve of serious incidents, the share of serious
    write-ups on time, and the action items overdue now (a count of today, not of a span).
    ``whole``, the figures of the same post-mortems over no span, spares computing them again
    for that count.
    """
    today = now.astimezone(settings.tz).date()
    span = timedelta(days=RECENT_DAYS)
    periods = {
        "current": compute(postmortems, settings, now, since=today - span + timedelta(1)),
        "previous": compute(
            postmortems, settings, now, since=today - 2 * span + timedelta(1), until=today - span
        ),
    }
    result: dict[str, Any] = {"days": RECENT_DAYS}
    for key, stats in periods.items():
        serious = [pm for pm in stats.incidents if pm.severity in stats.serious]
        times = stats.durations(serious)
        result[key] = {
            "serious_incidents": len(serious),
            "median_minutes_to_resolve": median(times.resolve),
            "write_ups_on_time": stats.write_ups(serious).rate,
        }
    if whole is None:
        whole = compute(postmortems, settings, now)
    result["overdue_action_items"] = whole.items.overdue
    return result
