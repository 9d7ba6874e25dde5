"""The Timeline section: a table whose first column is a time, in order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import parse_clock
from mkdocs_postmortems.core.fields import (
    TO_COMPLETE,
    TO_COMPLETE_MARKER,
    is_history,
    marked_section,
)
from mkdocs_postmortems.core.findings import Hit, define
from mkdocs_postmortems.core.markdown import Section, Table
from mkdocs_postmortems.core.model import PostMortem, TimelineEntry
from mkdocs_postmortems.core.times import Reading, TimeContext, place
from mkdocs_postmortems.core.zones import Zone, declared_zone

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
    "`Z`, `UTC` or an offset such as `+02:00`; times as people write them are read too "
    "(`2:57 PM`, `14:05 PDT`, `Jan 14, 10:18 AM`, `7:09 AM Eastern`). A bare time takes the "
    "date of the row above (the first row: the date of `started`). A time without a zone is "
    "read in the zone the section declares (a heading `Timeline (UTC)`, a line `All times are "
    "in PDT` above the table, a column `Time (PST)`), else in the file's `timezone` key, or "
    "else the configured `timezone` option. A time that can be read two ways (`10:00 IST`, "
    "`10/11/2023 14:05`, a time the clocks passed twice) is reported with the question: write "
    "it so that only one reading is left.",
)
OUT_OF_ORDER = define(
    "PM302",
    "timeline-order",
    "A timeline row is earlier than the row above it.",
    why="Out-of-order rows usually hide a wrong date or a wrong zone.",
    fix="Sort the rows. A bare time more than twelve hours before the row above is read as "
    "the next day (`23:50`, then `00:10`); for anything else, give the first row of the new "
    "day its full date (`2026-03-05 00:10`).",
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
OFF_BY_HOURS = define(
    "PM304",
    "timeline-off-by-hours",
    "The timeline disagrees with `started` or `resolved` by hours.",
    why="When every row sits a whole number of hours away from `started` and `resolved`, the "
    "timeline and the front matter are written in different zones (a post exported with its "
    "`-0500` offset, times copied from a dashboard in UTC), and one of them is wrong: the "
    "durations, the order of events and the time to detect all follow the wrong one.",
    fix="Declare the zone the timeline is written in (`All times are in PDT.` above the "
    "table, a `Time (PST)` column, a heading `Timeline (UTC)`), or correct `started` and "
    "`resolved`.",
    level="warning",
    example="started: 2024-08-19T10:00:00-05:00\n...\n| 10:00 | export job started |",
)
ZONE_SEASON = define(
    "PM305",
    "timeline-zone-season",
    "A timeline time names a zone's standard or summer offset on a day the zone kept the other.",
    why="`10:00 PST` in June is UTC-8 as written, but Los Angeles kept PDT (UTC-7) that day: "
    "either the author meant local time and wrote the wrong abbreviation (the row is an hour "
    "off), or the time was copied from a tool that prints standard time all year. The "
    "checker reads it as written and asks.",
    fix="Write the abbreviation of the day (`PDT` in summer), a name that follows the "
    "season (`Pacific Time`, `America/Los_Angeles`), or an offset (`-07:00`).",
    level="warning",
    example="| Time (PST) | Event |\n|---|---|\n| 2026-06-10 10:00 | deploy |",
)
_H = timedelta(hours=1)
_PLAIN_HEADERS = frozenset(("time", "when", "date", "timestamp"))


def read_timeline(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Fill ``pm.timeline`` from the table, reporting unreadable and out-of-order times.

    A time with a zone (``Z``, ``UTC``, ``+02:00``, ``PDT``) is read in it; one without is read
    in the zone the section declares, else the file's ``timezone`` key, or else the
    configured ``timezone`` option.
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
    declared = _declared(section, table)
    tz = _fixed(declared) if declared is not None else pm.tz
    day: date | None = None
    previous: datetime | None = None
    season_told = False
    # A zone that keeps one offset all year (UTC, the default) never asks about its clocks.
    changing = isinstance(tz, ZoneInfo) and not _steady(tz)
    history = is_history(pm, settings)
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
        text = cell.text.strip("*_ ")
        if history and text == TO_COMPLETE_MARKER:
            # An imported row whose source gives no time (its order only): left to complete.
            yield Hit(TO_COMPLETE.code, cell.pos, "timeline row's time is marked TBD: complete it")
            continue
        try:
            clock = parse_clock(text)
        except ValueError:
            clock = None
        if day is None and pm.started is not None:
            day = pm.started.astimezone(tz).date()
        if clock is None:
            # Not the plain form: the one reader of times, in the section's context.
            reading = _read(text, tz, declared, day, previous, pm)
            if reading is None or reading.at is None:
                question = f" ({reading.question})" if reading and reading.question else ""
                yield Hit(
                    BAD_TIME.code,
                    cell.pos,
                    f"cannot read time '{cell.text}'{question}; use HH:MM, HH:MM:SS or "
                    f"YYYY-MM-DD HH:MM, optionally with Z, UTC or +HH:MM (without one, "
                    f"{_zone_source(pm, settings, declared)})",
                )
                continue
            at = reading.at
            note = reading.note
            if reading.expression.day is not None or reading.next_day:
                day = at.astimezone(tz).date()
        else:
            written_day, hour, minute, second, zone = clock
            if written_day is not None:
                day = written_day
            if day is None:
                continue
            at = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone or tz)
            if not written_day and previous is not None and previous - at > 12 * _H:
                # A bare time half a day before the row above is past midnight.
                day += timedelta(days=1)
                at = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone or tz)
            doubt = _changed_clocks(at) if zone is None and changing else None
            if doubt is not None:
                yield Hit(BAD_TIME.code, cell.pos, f"cannot read time '{cell.text}' ({doubt})")
                continue
            note = declared.contradiction(at) if declared is not None and zone is None else None
        if note and not season_told:
            # Once a file: a declared zone contradicts every row of its other season alike.
            season_told = True
            yield Hit(ZONE_SEASON.code, cell.pos, note)
        if previous is not None and at < previous:
            yield Hit(
                OUT_OF_ORDER.code,
                cell.pos,
                f"'{cell.text}' is earlier than the row above "
                f"({previous.astimezone(tz):%Y-%m-%d %H:%M} {_zone_name(tz, pm, declared)})",
            )
        else:
            previous = at
        pm.timeline.append(TimelineEntry(at, row.text, cell.pos))


@lru_cache(maxsize=64)
def _steady(zone: ZoneInfo) -> bool:
    """Whether ``zone`` kept one offset in winter and summer of every fifth year since 1970."""
    offsets = {
        datetime(year, month, 1, tzinfo=zone).utcoffset()
        for year in range(1970, 2101, 5)
        for month in (1, 7)
    }
    return len(offsets) == 1


def _changed_clocks(at: datetime) -> str | None:
    """The question a local time asks on the night the clocks change (it happened twice, or
    never); None for any other time."""
    # Both readings of the wall time agree on every other night: one look, no more.
    zone = at.tzinfo
    if zone is None or at.utcoffset() == at.replace(fold=1).utcoffset():
        return None
    return place(at.date(), at.time(), None, zone)[1]


def timeline_zone(pm: PostMortem) -> tzinfo:
    """The zone the Timeline table's bare times are in: the one its section declares, else
    the file's (what a row drafted into the table is written in)."""
    section = pm.body.section("Timeline") if pm.body else None
    table = section.table() if section is not None else None
    declared = _declared(section, table) if section is not None and table is not None else None
    return _fixed(declared) if declared is not None else pm.tz


def _declared(section: Section, table: Table) -> Zone | None:
    """The zone the section declares for its rows: in its heading ("Timeline (UTC)"), in a
    line above the table ("All times are in PDT"), or in the time column's header."""
    head = table.header[0].text if table.header else ""
    # Most tables say just "Time": nothing to look for.
    zone = declared_zone(head) if head.strip().casefold() not in _PLAIN_HEADERS else None
    if zone is None:
        for line in section.lines:
            if line.number >= table.line:
                break
            if line.kind == "prose" and line.text.strip():
                zone = declared_zone(line.text) or zone
    if zone is None and section.title != section.name:
        zone = declared_zone(section.title)
    return zone


def _fixed(zone: Zone) -> tzinfo:
    """The zone a declaration names: its stated offset ("PDT" is UTC-7), or its rules."""
    if zone.offset is not None:
        return timezone(zone.offset, zone.written)
    return zone.tz or timezone.utc


def _read(
    text: str,
    tz: tzinfo,
    declared: Zone | None,
    day: date | None,
    previous: datetime | None,
    pm: PostMortem,
) -> Reading | None:
    """A cell in a form other than the plain one, read whole, or None."""
    year = pm.started.year if pm.started else None
    context = TimeContext(tz, zone=declared, day=day, year=year, previous=previous)
    reading = context.read(text)
    if reading is None or reading.expression.end < len(text.rstrip(" .")):
        return None
    return reading


def check_off_by_hours(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Every row a whole number of hours away from ``started`` (and ``resolved``)."""
    rows = pm.timeline
    if not rows or pm.started is None:
        return
    if rows[-1].at < pm.started - _H:
        yield Hit(
            OFF_BY_HOURS.code,
            rows[-1].pos,
            f"every timeline row is before started ({_clock(pm.started, pm)}): the last is "
            f"{_span(pm.started - rows[-1].at)} earlier; a timeline in another zone?",
        )
        return
    if pm.resolved is not None and rows[0].at > pm.resolved + _H:
        yield Hit(
            OFF_BY_HOURS.code,
            rows[0].pos,
            f"every timeline row is after resolved ({_clock(pm.resolved, pm)}): the first is "
            f"{_span(rows[0].at - pm.resolved)} later; a timeline in another zone?",
        )
        return
    shift = _shift(rows, pm.started)
    if shift is None:
        return
    # Both ends moved alike; without an end, the first row is the start moved.
    if pm.resolved is not None and _shift(rows, pm.resolved) != shift:
        return
    if pm.resolved is None and rows[0].at != pm.started + shift:
        return
    row = next(r for r in rows if r.at == pm.started + shift)
    yield Hit(
        OFF_BY_HOURS.code,
        row.pos,
        f"no row at started ({_clock(pm.started, pm)}), but this one is exactly "
        f"{_span(abs(shift))} {'earlier' if shift < timedelta(0) else 'later'}"
        + (", and so is resolved's" if pm.resolved is not None else "")
        + "; a timeline in another zone?",
    )


def _shift(rows: list[TimelineEntry], moment: datetime) -> timedelta | None:
    """The whole number of hours between ``moment`` and a row, when no row is at it."""
    times = {row.at for row in rows}
    if moment in times:
        return None
    for hours in range(1, 15):
        for sign in (-1, 1):
            if moment + sign * hours * _H in times:
                return sign * hours * _H
    return None


def _clock(moment: datetime, pm: PostMortem) -> str:
    return f"{moment.astimezone(pm.tz):%Y-%m-%d %H:%M} {_zone_name(pm.tz, pm, None)}"


def _span(delta: timedelta) -> str:
    hours = delta / _H
    if hours == 1:
        return "1 hour"
    return f"{hours:g} hours" if hours == int(hours) else f"{hours:.1f} hours"


def _zone_source(pm: PostMortem, settings: Settings, declared: Zone | None) -> str:
    """Where a zone-less time's zone comes from, for the message."""
    if declared is not None:
        return f"times are in {declared.written}, as the section declares"
    if pm.front is not None and pm.timezone != settings.timezone:
        return f"times are in {pm.timezone}, the file's 'timezone' key"
    return f"times are in {pm.timezone}, the 'timezone' option or a file's 'timezone' key"


def _zone_name(tz: tzinfo, pm: PostMortem, declared: Zone | None) -> str:
    if declared is not None:
        return declared.written
    return pm.timezone if tz is pm.tz else (datetime(2000, 1, 1, tzinfo=tz).tzname() or "")


CHECKS = (read_timeline, check_off_by_hours)
