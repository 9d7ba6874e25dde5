"""The Timeline section: a table whose first column is a time, in order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, tzinfo

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import parse_clock
from mkdocs_postmortems.core.fields import is_history, marked_section
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
    fix="Use `HH:MM` (`9:40` too), `HH:MM:SS` or `YYYY-MM-DD HH:MM`, optionally followed by "
    "`Z`, `UTC` or an offset such as `+02:00`. A bare time takes the date of the row above "
    "(the first row: the date of `started`). A time without a zone is read in the file's "
    "`timezone` key, or else the configured `timezone` option.",
)
OUT_OF_ORDER = define(
    "PM302",
    "timeline-order",
    "A timeline row is earlier than the row above it.",
    why="Out-of-order rows usually hide a wrong date or a midnight crossing.",
    fix="Sort the rows; when the incident crosses midnight, give the first row of the new day "
    "its full date (`2026-03-05 00:10`).",
)


ROW_CELLS = define(
    "PM303",
    "timeline-cells",
    "A timeline row has more cells than the header.",
    why="The site drops a cell beyond the header's last column without a word (a missing "
    "cell is only shown empty).",
    fix="Add the column to the header, or merge the cells; escape a pipe inside a cell as `\\|`.",
    example="| 14:05 | Rollback started | ops | extra |",
)


def read_timeline(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Fill ``pm.timeline`` from the table, reporting unreadable and out-of-order times.

    A time with a zone (``Z``, ``UTC``, ``+02:00``) is read in it; one without is read in the
    file's ``timezone`` key, or else the configured ``timezone`` option.
    """
    section = pm.body.section("Timeline") if pm.body and pm.front else None
    if section is None:
        return
    table = section.table()
    if table is None:
        # A history write-up's "TBD" section is reported once, as left to write (PM013).
        marked = is_history(pm, settings) and marked_section(section)
        if (
            pm.status in ("in-review", "published")
            and not section.is_empty
            and not marked
            and section.glued_table() is None
        ):
            yield Hit(NO_TABLE.code, section.pos, "the timeline must be a table: | Time | Event |")
        return
    day: date | None = None
    previous: datetime | None = None
    for row in table.rows:
        if row.cell_count() > len(table.header):
            yield Hit(
                ROW_CELLS.code,
                row.cells[len(table.header)].pos,
                f"row has {len(row.cells)} cells, the header has {len(table.header)}; the "
                "site drops the extra ones (escape a | in a cell as \\|)",
            )
        cell = row.first_cell()
        if cell is None:
            continue
        try:
            clock = parse_clock(cell.text.strip("*_ "))
        except ValueError:
            clock = None
        if clock is None:
            yield Hit(
                BAD_TIME.code,
                cell.pos,
                f"cannot read time '{cell.text}'; use HH:MM, HH:MM:SS or YYYY-MM-DD HH:MM, "
                f"optionally with Z, UTC or +HH:MM (without one, {_zone_source(pm, settings)})",
            )
            continue
        written_day, hour, minute, second, zone = clock
        tz = zone or pm.tz
        if written_day is not None:
            day = written_day
        elif day is None and pm.started is not None:
            day = pm.started.astimezone(tz).date()
        if day is None:
            continue
        at = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)
        if previous is not None and at < previous:
            yield Hit(
                OUT_OF_ORDER.code,
                cell.pos,
                f"'{cell.text}' is earlier than the row above "
                f"({previous.astimezone(tz):%Y-%m-%d %H:%M} {_zone_name(tz, pm)})",
            )
        else:
            previous = at
        pm.timeline.append(TimelineEntry(at, row.text, cell.pos))


def _zone_source(pm: PostMortem, settings: Settings) -> str:
    """Where a zone-less time's zone comes from, for the message."""
    if pm.front is not None and pm.timezone != settings.timezone:
        return f"times are in {pm.timezone}, the file's 'timezone' key"
    return f"times are in {pm.timezone}, the 'timezone' option or a file's 'timezone' key"


def _zone_name(tz: tzinfo, pm: PostMortem) -> str:
    return pm.timezone if tz is pm.tz else (datetime(2000, 1, 1, tzinfo=tz).tzname() or "")


CHECKS = (read_timeline,)
