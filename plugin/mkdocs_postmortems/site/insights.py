"""The insights page and the home page's summary: figures from :mod:`~mkdocs_postmortems.core.
stats` drawn as static SVG charts, each with a data table.

Python computes the geometry (plain numbers in small dataclasses); the templates
``_charts.html`` and ``index_insights.html`` hold all the markup. No charting library:
the ones that write SVG without a browser either embed scripts and styles of their own
(pygal) or cost seconds to import and draw (matplotlib), where this costs milliseconds and
lets every bar be a link and every colour come from the theme's stylesheet.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import plural
from mkdocs_postmortems.core.stats import Stats, quarter

WIDTH = 720
HEIGHT = 260
LEFT = 56  # room for the value axis, also in the larger labels of a narrow screen
RIGHT = 12
TOP = 12
BOTTOM = 36  # room for the category labels
#: On a narrow screen the axis labels are drawn this many times larger (the stylesheet), so
#: one in this many of the labels shown on a wide screen is kept.
NARROW = 2
#: A quarter with fewer incidents of a level than this shows its point, hollow and unjoined:
#: one incident in a quarter makes a rate of 0% or 100%, and lines through them zigzag.
FEW = 3
ROW = 44  # a horizontal bar and the name above it
AGE_BUCKETS = ((30, "up to 30 days"), (90, "31 to 90 days"), (180, "91 to 180 days"))


@dataclass(frozen=True, slots=True)
class Mark:
    """A bar (or one segment of a stacked bar), or a point when ``radius`` is set."""

    x: float
    y: float
    width: float
    height: float
    kind: str
    label: str
    href: str
    radius: float = 0
    #: A point drawn from too few incidents to join into a line (:data:`FEW`).
    few: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    kind: str
    points: str


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    #: Shown on a narrow screen too, where the labels are drawn larger and fewer fit.
    narrow: bool = True


@dataclass
class Table:
    columns: list[str]
    rows: list[list[tuple[str, str]]] = field(default_factory=list)  # (text, href)


@dataclass
class Chart:
    id: str
    title: str
    description: str
    table: Table
    marks: list[Mark] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    grid: list[Text] = field(default_factory=list)  # value axis: a gridline and its label
    labels: list[Text] = field(default_factory=list)  # category axis
    legend: list[tuple[str, str]] = field(default_factory=list)  # (label, kind)
    width: int = WIDTH
    height: int = HEIGHT
    empty: bool = False

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return self.width - RIGHT

    @property
    def baseline(self) -> int:
        return self.height - BOTTOM


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten at or above ``value``."""
    if value <= 0:
        return 1
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1.0, 2.0, 2.5, 5.0, 10.0) if step * power >= value)


def count_axis(largest: int) -> tuple[int, int]:
    """The top and the step of an axis of counts: whole numbers only (no "12.5 incidents"),
    in steps of 1, 2 or 5 times a power of ten, at most five of them."""
    step = 1
    while math.ceil(largest / step) > 5:
        power = 10 ** (len(str(step)) - 1)
        step = {1: 2, 2: 5, 5: 10}[step // power] * power
    return max(1, math.ceil(largest / step)) * step, step


def _count_grid(largest: int, chart: Chart) -> int:
    """Gridlines of whole counts; the axis' top."""
    top, step = count_axis(largest)
    for value in range(0, top + 1, step):
        chart.grid.append(Text(chart.left, _y(value, top, chart), str(value)))
    return top


def _grid(top: float, chart: Chart, show: Callable[[float], str]) -> None:
    for index in range(5):
        value = top * index / 4
        chart.grid.append(Text(chart.left, _y(value, top, chart), show(value)))


def _y(value: float, top: float, chart: Chart) -> float:
    return round(chart.baseline - (chart.baseline - TOP) * value / top, 1)


def _bands(count: int, chart: Chart) -> tuple[float, float]:
    """The width of each category's band, and of the bar inside it."""
    band = (chart.right - chart.left) / max(count, 1)
    return band, max(band * 0.7, 1.0)


def _label_every(count: int, room: float = 44) -> int:
    """Label every n-th category so that labels do not overlap."""
    band = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return max(1, math.ceil(room / band))


class Builder:
    """Turns the figures into charts, with links relative to the page they appear on."""

    def __init__(self, stats: Stats, settings: Settings, explorer: str, action_items: str):
        self.stats = stats
        self.settings = settings
        self.explorer = explorer
        self.action_items = action_items
        self.rank = {s.name: index for index, s in enumerate(settings.severities)}

    def kind(self, severity: str) -> str:
        return f"sev-{self.rank.get(severity, len(self.rank))}"

    def filtered(self, **filters: str) -> str:
        """The incidents explorer with filters in its URL (empty when there is no explorer)."""
        if not self.explorer:
            return ""
        return f"{self.explorer}?{urlencode(filters)}"

    def levels(self) -> list[str]:
        return [name for name, group in self.stats.by_severity.items() if group]

    def charts(self) -> list[Chart]:
        return [
            self.per_month(),
            self.durations("resolve", "Time to resolve"),
            self.durations("detect", "Time to detect"),
            self.on_time(),
            self.action_item_states(),
            self.action_item_ages(),
            self.action_item_kinds(),
            self.services(),
        ]

    def per_month(self) -> Chart:
        months = _months_between(list(self.stats.months))
        levels = self.levels()
        chart = Chart(
            "per-month",
            "Incidents per month",
            "Incidents that started in each month, stacked by severity, most severe at the "
            "bottom. Each segment links to those incidents in the explorer.",
            Table(["Month", *levels, "Total"]),
            legend=[(name, self.kind(name)) for name in levels],
        )
        counts = [self.stats.months.get(month, {}) for month in months]
        top = _count_grid(max((sum(c.values()) for c in counts), default=0), chart)
        band, bar = _bands(len(months), chart)
        every = _label_every(len(months))
        for index, (month, count) in enumerate(zip(months, counts, strict=True)):
            x = chart.left + index * band + (band - bar) / 2
            stacked = 0
            for name in levels:
                n = count.get(name, 0)
                if not n:
                    continue
                y = _y(stacked + n, top, chart)
                chart.marks.append(
                    Mark(
                        round(x, 1),
                        y,
                        round(bar, 1),
                        round(_y(stacked, top, chart) - y, 1),
                        self.kind(name),
                        f"{month}: {n} {name}",
                        self.filtered(severity=name, period=month),
                    )
                )
                stacked += n
            if index % every == 0:
                chart.labels.append(
                    Text(
                        round(x + bar / 2, 1),
                        chart.baseline + 14,
                        month,
                        narrow=index % (every * NARROW) == 0,
                    )
                )
            chart.table.rows.append(
                [
                    (month, self.filtered(period=month)),
                    *[(str(count.get(name, 0)), "") for name in levels],
                    (str(sum(count.values())), ""),
                ]
            )
        chart.empty = not chart.marks
        return chart

    def _quarters(self) -> list[str]:
        found = {period for groups in self.stats.quarters.values() for period in groups}
        return _quarters_between(sorted(found))

    def durations(self, which: str, title: str) -> Chart:
        figures = self.stats.quarter_figures()
        quarters = self._quarters()
        levels = self.levels()
        median_key, p90_key = f"median_minutes_to_{which}", f"p90_minutes_to_{which}"
        values = [
            row[median_key]
            for name in levels
            for row in figures.get(name, {}).values()
            if row[median_key] is not None
        ]
        hours = max(values, default=0) >= 120
        unit, scale = ("hours", 60.0) if hours else ("minutes", 1.0)
        chart = Chart(
            f"time-to-{which}",
            f"{title} per quarter ({unit})",
            f"{title}, from the start of impact, per quarter and severity: the median, one line "
            f"per severity; a quarter with fewer than {FEW} incidents of a severity is a hollow "
            "point, not joined. The data table also holds the 90th percentile. Each point links "
            "to the quarter's incidents of that severity.",
            Table(
                ["Quarter", *[f"{name} {kind}" for name in levels for kind in ("median", "p90")]]
            ),
            legend=[(name, self.kind(name)) for name in levels],
        )
        top = nice_ceiling(max(values, default=0) / scale)
        _grid(top, chart, lambda v: f"{v:g}")
        # One line per level, the median: with the 90th percentile too, four levels made
        # eight crossing lines. The percentile is in the data table.
        for name in levels:
            self._quarter_line(
                chart,
                name,
                quarters,
                figures.get(name, {}),
                median_key,
                lambda value: _y(value / scale, top, chart),
                lambda value: f"median {_show(value, scale, unit)}",
            )
        _quarter_labels(chart, quarters)
        for period in quarters:
            cells: list[tuple[str, str]] = [(period, self.filtered(period=period))]
            for name in levels:
                row = figures.get(name, {}).get(period, {})
                for key in (median_key, p90_key):
                    value = row.get(key)
                    cells.append(("" if value is None else _show(value, scale, unit), ""))
            chart.table.rows.append(cells)
        chart.empty = not chart.marks
        return chart

    def on_time(self) -> Chart:
        figures = self.stats.quarter_figures()
        quarters = self._quarters()
        levels = [name for name in self.levels() if self.stats.has_deadline(name)]
        chart = Chart(
            "on-time",
            "Write-ups on time per quarter (%)",
            "The share of write-ups published by their deadline, per quarter of the incident "
            "and severity; unpublished write-ups past their deadline count as late, those still "
            f"within it are not counted. Levels without a deadline are not shown; a quarter with "
            f"fewer than {FEW} incidents of a level is a hollow point, not joined.",
            Table(["Quarter", *levels]),
            legend=[(name, self.kind(name)) for name in levels],
        )
        _grid(100, chart, lambda v: f"{v:g}%")
        for name in levels:
            rows = figures.get(name, {})
            self._quarter_line(
                chart,
                name,
                quarters,
                rows,
                "write_ups_on_time",
                lambda rate: _y(rate * 100, 100, chart),
                lambda rate: f"{rate:.0%} on time",
            )
        _quarter_labels(chart, quarters)
        for period in quarters:
            cells: list[tuple[str, str]] = [(period, self.filtered(period=period))]
            for name in levels:
                rate = figures.get(name, {}).get(period, {}).get("write_ups_on_time")
                cells.append(("" if rate is None else f"{rate:.0%}", ""))
            chart.table.rows.append(cells)
        chart.empty = not chart.marks
        return chart

    def _quarter_line(
        self,
        chart: Chart,
        name: str,
        quarters: list[str],
        rows: dict[str, dict[str, Any]],
        key: str,
        y_of: Callable[[float], float],
        describe: Callable[[float], str],
    ) -> None:
        """One level's line of ``key`` over the quarters (``rows`` holds its figures by
        quarter), broken where a quarter has no value, with a point linking to each quarter's
        incidents; a point of fewer than :data:`FEW` incidents is left out of the line."""
        band, _ = _bands(len(quarters), chart)
        points: list[tuple[float, float]] = []
        for index, period in enumerate(quarters):
            row = rows.get(period, {})
            value = row.get(key)
            count = row.get("incidents", 0)
            few = count < FEW
            if value is None or few:
                chart.lines.extend(_segment(points, self.kind(name)))
                points = []
            if value is None:
                continue
            point = (round(chart.left + index * band + band / 2, 1), y_of(value))
            if not few:
                points.append(point)
            chart.marks.append(
                Mark(
                    *point,
                    0,
                    0,
                    self.kind(name),
                    f"{period} {name}: {describe(value)} ({plural(count, 'incident')})",
                    self.filtered(severity=name, period=period),
                    radius=4,
                    few=few,
                )
            )
        chart.lines.extend(_segment(points, self.kind(name)))

    def _bars(self, chart: Chart, bars: Sequence[tuple[str, int, str, str]]) -> Chart:
        """A plain bar chart: (label, value, kind, link) per bar, and its data table."""
        top = _count_grid(max((value for _, value, _, _ in bars), default=0), chart)
        band, bar = _bands(len(bars), chart)
        for index, (label, value, kind, href) in enumerate(bars):
            x = chart.left + index * band + (band - bar) / 2
            y = _y(value, top, chart)
            chart.marks.append(
                Mark(
                    round(x, 1),
                    y,
                    round(bar, 1),
                    round(chart.baseline - y, 1),
                    kind,
                    f"{label}: {value}",
                    href,
                )
            )
            chart.labels.append(Text(round(x + bar / 2, 1), chart.baseline + 14, label))
            chart.table.rows.append([(label, href), (str(value), "")])
        chart.empty = not any(value for _, value, _, _ in bars)
        return chart

    def action_item_states(self) -> Chart:
        items = self.stats.items
        chart = Chart(
            "action-item-states",
            "Action items by state",
            "Action items of these incidents: done, open and not yet due, open past their due "
            "date, and dropped (won't do). Each bar links to the action-items page.",
            Table(["State", "Action items"]),
        )
        return self._bars(
            chart,
            [
                ("done", items.done, "done", self.action_items),
                ("open, not yet due", items.open - items.overdue, "open", self.action_items),
                ("overdue", items.overdue, "overdue", self.action_items),
                ("won't do", items.wont_do, "wont-do", self.action_items),
            ],
        )

    def action_item_ages(self) -> Chart:
        ages = self.stats.items.open_age_days
        buckets = []
        lower = 0
        for upper, label in AGE_BUCKETS:
            buckets.append((label, sum(lower <= a <= upper for a in ages)))
            lower = upper + 1
        buckets.append((f"over {AGE_BUCKETS[-1][0]} days", sum(a >= lower for a in ages)))
        chart = Chart(
            "action-item-ages",
            "Age of open action items",
            "Open and in-progress action items by the days since their incident started. Each "
            "bar links to the action-items page.",
            Table(["Age", "Open action items"]),
        )
        return self._bars(chart, [(label, n, "open", self.action_items) for label, n in buckets])

    def action_item_kinds(self) -> Chart:
        chart = Chart(
            "action-item-kinds",
            "Action items by kind",
            "Action items of these incidents by what they improve (their Kind column), done "
            "and not yet done; items without a kind are not counted. Each bar links to the "
            "action-items page.",
            Table(["Kind", "Action items", "Done"]),
        )
        figures = self.stats.kind_figures()
        chart = self._bars(
            chart,
            [
                (name, sum(states.values()), "done", self.action_items)
                for name, states in figures.items()
            ],
        )
        for row, states in zip(chart.table.rows, figures.values(), strict=True):
            row.append((str(states["done"]), ""))
        return chart

    def services(self, limit: int = 10) -> Chart:
        rows = list(self.stats.service_figures().items())[:limit]
        chart = Chart(
            "services",
            "Services with most serious incidents",
            f"The {limit} services with the most incidents of the levels that have a write-up "
            f"deadline ({', '.join(self.stats.serious) or 'none'}), then the most incidents. "
            "Each bar links to the service's incidents in the explorer; the words after it "
            "count its serious incidents of all.",
            Table(["Service", "Serious incidents", "Incidents", "Last incident"]),
        )
        # Horizontal bars, each with its name above it: every name shows, however long
        # and however narrow the screen.
        chart.height = TOP + len(rows) * ROW + 4
        most = max((row["serious"] for _, row in rows), default=0) or 1
        room = chart.right - chart.left - 90  # the count's words after the longest bar
        for index, (name, row) in enumerate(rows):
            y = TOP + index * ROW
            href = self.filtered(service=name)
            width = round(room * row["serious"] / most, 1)
            chart.labels.append(Text(chart.left, y + 14, name, anchor="start"))
            chart.marks.append(
                Mark(
                    chart.left,
                    y + 20,
                    width,
                    12,
                    "sev-0",
                    f"{name}: {row['serious']} serious of {row['incidents']}",
                    href,
                )
            )
            count = f"{row['serious']} of {row['incidents']}"
            chart.labels.append(Text(chart.left + width + 6, y + 31, count, anchor="start"))
            chart.table.rows.append(
                [
                    (name, href),
                    (str(row["serious"]), ""),
                    (str(row["incidents"]), ""),
                    (row["last"], ""),
                ]
            )
        chart.empty = not any(row["serious"] for _, row in rows)
        return chart


def _quarter_labels(chart: Chart, quarters: list[str]) -> None:
    """The quarters under a chart, as many as fit without overlapping."""
    band, _ = _bands(len(quarters), chart)
    every = _label_every(len(quarters))
    for index, period in enumerate(quarters):
        if index % every == 0:
            x = round(chart.left + index * band + band / 2, 1)
            narrow = index % (every * NARROW) == 0
            chart.labels.append(Text(x, chart.baseline + 14, period, narrow=narrow))


def _segment(points: list[tuple[float, float]], kind: str) -> list[Line]:
    if len(points) < 2:
        return []
    return [Line(kind, " ".join(f"{x:g},{y:g}" for x, y in points))]


def _show(minutes: float, scale: float, unit: str) -> str:
    return f"{minutes / scale:.1f} h" if unit == "hours" else f"{minutes:.0f} min"


def _months_between(months: list[str]) -> list[str]:
    """Every month from the first to the last, so that a quiet month shows as a gap."""
    if not months:
        return []
    year, month = map(int, months[0].split("-"))
    end = months[-1]
    result = []
    while True:
        label = f"{year:04d}-{month:02d}"
        result.append(label)
        if label >= end:
            return result
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _quarters_between(quarters: list[str]) -> list[str]:
    if not quarters:
        return []
    year, q = int(quarters[0][:4]), int(quarters[0][-1])
    result = []
    while True:
        label = f"{year:04d}-Q{q}"
        result.append(label)
        if label >= quarters[-1]:
            return result
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)


def periods(day: date | None) -> tuple[str, str]:
    """The month and the quarter an incident belongs to, as the explorer filters them."""
    if day is None:
        return "", ""
    return f"{day:%Y-%m}", quarter(day)


def minutes(value: float | None) -> str:
    """A duration in minutes as people read it: minutes up to two hours, then hours."""
    if value is None:
        return "–"
    return f"{value:.0f} min" if value < 120 else f"{value / 60:.1f} h"


def rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def summary_rows(recent: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The home page's comparison as rows: (figure, last period, period before)."""
    now, before = recent["current"], recent["previous"]
    return [
        (
            "Serious incidents",
            str(now["serious_incidents"]),
            str(before["serious_incidents"]),
        ),
        (
            "Median time to resolve (serious)",
            minutes(now["median_minutes_to_resolve"]),
            minutes(before["median_minutes_to_resolve"]),
        ),
        (
            "Write-ups on time (serious)",
            rate(now["write_ups_on_time"]),
            rate(before["write_ups_on_time"]),
        ),
    ]
