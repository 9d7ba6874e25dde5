"""The Timeline section: a table whose first column is a time, in order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import parse_date
from mkdocs_postmortems.core.findings import Hit, define
from mkdocs_postmortems.core.model import PostMortem, TimelineEntry

NO_TABLE = define(
    "PM300",
    "timeline-table",
    "The Timeline section has no table.",
    why="A table with a time in the first column is what lets the site compute and show the "
    "sequence of events; prose cannot be checked for order.",
    fix="Write the timeline as `| Time | Event |` rows; the first row may carry a full date "
    "(`2026-03-04 14:05`), later rows a bare `HH:MM`.",
)
BAD_TIME = define(
    "PM301",
    "timeline-time",
    "A timeline row's first cell is not a time.",
    why="Rows without a readable time cannot be placed in the sequence.",
    fix="Use `HH:MM`, `HH:MM:SS` or `YYYY-MM-DD HH:MM`. A bare time takes the date of the row "
    "above (the first row: the date of `started`).",
)
OUT_OF_ORDER = define(
    "PM302",
    "timeline-order",
    "A timeline row is earlier than the row above it.",
    why="Out-of-order rows usually hide a wrong date or a midnight crossing.",
    fix="Sort the rows; when the incident crosses midnight, give the first row of the new day "
    "its full date (`2026-03-05 00:10`).",
)

_TIME = re.compile(
    r"(?:(?P<date>\d{4}-\d{2}-\d{2})[ T])?(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\s*(?:Z|UTC))?"
)


def read_timeline(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Fill ``pm.timeline`` from the table, reporting unreadable and out-of-order times."""
    section = pm.body.section("Timeline") if pm.body and pm.front else None
    if section is None:
        return
    table = section.table()
    if table is None:
        if pm.status in ("in-review", "published") and not section.is_empty:
            yield Hit(NO_TABLE.code, section.pos, "the timeline must be a table: | Time | Event |")
        return
    tz = settings.tz
    day: date | None = pm.started.astimezone(tz).date() if pm.started else None
    previous: datetime | None = None
    for row in table.rows:
        cell = row.first_cell()
        if cell is None:
            continue
        text = cell.text.strip("*_ ")
        match = _TIME.fullmatch(text)
        at: datetime | None = None
        if match:
            try:
                if match["date"]:
                    day = parse_date(match["date"])
                if day is not None:
                    at = datetime(
                        day.year,
                        day.month,
                        day.day,
                        int(match["h"]),
                        int(match["m"]),
                        int(match["s"] or 0),
                        tzinfo=tz,
                    )
                else:
                    time(int(match["h"]), int(match["m"]), int(match["s"] or 0))
            except ValueError:
                match = None
        if match is None:
            yield Hit(
                BAD_TIME.code,
                cell.pos,
                f"cannot read time '{cell.text}'; use HH:MM, HH:MM:SS or YYYY-MM-DD HH:MM",
            )
            continue
        if at is None:
            continue
        if previous is not None and at < previous:
            yield Hit(
                OUT_OF_ORDER.code,
                cell.pos,
                f"'{cell.text}' is earlier than the row above ({previous:%Y-%m-%d %H:%M})",
            )
        else:
            previous = at
        pm.timeline.append(TimelineEntry(at, row.text, cell.pos))


CHECKS = (read_timeline,)
