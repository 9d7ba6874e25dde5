"""The incident page's visual timeline: the moments of the incident and the rows of its
timeline on one time axis, as plain numbers for ``timeline_chart.html`` to draw as SVG.

Positions are fractions of the axis times 1,000 (the SVG's ``viewBox`` width), so the
drawing stretches to any screen; every word is HTML beside it, never SVG text, so it stays
readable on a phone. The author's table stays below it for screen readers and copying.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from mkdocs_postmortems.core.dates import parse_clock
from mkdocs_postmortems.core.markdown import Table
from mkdocs_postmortems.site.views import Formatter

#: The SVG's width in user units: a position is its share of the axis in thousandths.
SPAN = 1000
#: Room at each end of the axis, so that the lines at the first and last moment show whole.
PAD = 8
#: A row that says the impact was mitigated, in the words timelines use for it: mitigated,
#: rolled back, reverted, restored, recovered. The first one between detection and
#: resolution is the moment of mitigation.
_MITIGATED = re.compile(
    r"\b(?:mitigat\w*|roll(?:ed|ing)?[ -]?back|revert\w*|restor\w*|recover\w*)",
    re.IGNORECASE,
)
#: Markdown marks in an event, which the drawing's hover text shows as plain words.
_MARKS = re.compile(r"[`*_]+")


@dataclass(frozen=True, slots=True)
class Moment:
    name: str  # started, detected, mitigated, resolved: also its CSS class
    label: str
    #: The moment in ISO 8601, for the legend's ``<time datetime>``, made here: a method
    #: call in the template costs Jinja several times what the call itself does.
    iso: str
    x: float
    time: str  # as the legend shows it


@dataclass(frozen=True, slots=True)
class Span:
    """A drawn stretch of time: time to detect, time to resolve."""

    kind: str
    label: str
    x: float
    width: float
    length: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    title: str  # the row's time and event, shown on hover


@dataclass
class TimelineChart:
    moments: list[Moment]
    spans: list[Span]
    ticks: list[Tick] = field(default_factory=list)
    start: str = ""
    end: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    at: datetime
    event: str


def timeline_rows(table: Table | None, started: datetime | None, tz: tzinfo) -> list[Row]:
    """The timeline's rows with their times, read as the checker reads them: a bare time
    takes the date of the row above (the first row: the day of ``started``). Rows whose
    time cannot be read are left out (the checker reports them)."""
    if table is None:
        return []
    rows = []
    day: date | None = None
    for row in table.rows:
        cells = row.cells
        if not cells:
            continue
        try:
            clock = parse_clock(cells[0].text.strip("*_ "))
        except ValueError:
            continue
        if clock is None:
            continue
        written_day, hour, minute, second, zone = clock
        zone = zone or tz
        if written_day is not None:
            day = written_day
        elif day is None and started is not None:
            day = started.astimezone(zone).date()
        if day is None:
            continue
        at = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
        rows.append(Row(at, _MARKS.sub("", " ".join(cell.text for cell in cells[1:]))))
    return rows


def timeline_chart(
    started: datetime | None,
    detected: datetime | None,
    resolved: datetime | None,
    rows: list[Row],
    fmt: Formatter,
) -> TimelineChart | None:
    """The chart of an incident, or None when there is no stretch of time to draw."""
    if started is None:
        return None
    after = detected or started
    mitigated = next(
        (
            row.at
            for row in rows
            if after <= row.at
            and (resolved is None or row.at < resolved)
            and _MITIGATED.search(row.event)
        ),
        None,
    )
    times = [started, *(t for t in (detected, mitigated, resolved) if t), *(r.at for r in rows)]
    first, last = min(times), max(times)
    if last <= first:
        return None
    tz = fmt.settings.tz
    one_day = first.astimezone(tz).date() == last.astimezone(tz).date()
    whole = last - first

    def x(at: datetime) -> float:
        return round(PAD + (SPAN - 2 * PAD) * ((at - first) / whole), 1)

    def time(at: datetime) -> str:
        # The fields by hand: strftime costs several times as much, once a row on every page.
        shown = at.astimezone(tz)
        clock = f"{shown.hour:02}:{shown.minute:02}"
        return clock if one_day else f"{shown.month:02}-{shown.day:02} {clock}"

    named = (
        ("started", "Started", started),
        ("detected", "Detected", detected),
        ("mitigated", "Mitigated", mitigated),
        ("resolved", "Resolved", resolved),
    )
    moments = [
        Moment(name, label, at.isoformat(), x(at), time(at)) for name, label, at in named if at
    ]
    spans = []
    if detected is not None:
        spans.append(_span("detect", "Time to detect", started, detected, x, fmt))
    if resolved is not None:
        spans.append(_span("resolve", "Time to resolve", started, resolved, x, fmt))
    ticks = [Tick(x(row.at), f"{time(row.at)} {row.event}".strip()) for row in rows]
    return TimelineChart(moments, spans, ticks, fmt.datetime(first), fmt.datetime(last))


def _span(
    kind: str,
    label: str,
    start: datetime,
    end: datetime,
    x: Callable[[datetime], float],
    fmt: Formatter,
) -> Span:
    left = x(start)
    return Span(kind, label, left, round(x(end) - left, 1), fmt.duration(end - start))


__all__ = ["SPAN", "TimelineChart", "timeline_chart", "timeline_rows"]
