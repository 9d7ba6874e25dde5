"""Where each row of a source's timeline goes in time: the day it carries from the row above
or the heading, a bare time after midnight read as the next day (or the afternoon, on a
12-hour clock), a day the text states elsewhere for the same time, and a row with no
readable time kept beside its neighbours. Split from :mod:`.timeline`, which finds the rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from mkdocs_postmortems.core.times import TimeContext
from mkdocs_postmortems.importers.markdown import code_mask
from mkdocs_postmortems.importers.report import Report
from mkdocs_postmortems.importers.times import Clock, nearest_day, relative_offset

# A time written on a 12-hour clock ("9:43 AM", "1:42pm").
MERIDIEM = re.compile(r"\d\s*[ap]\.?m\b", re.IGNORECASE)


@dataclass
class Row:
    clock: Clock | None
    wording: str
    event: str
    cells: list[str]
    #: The day a cell such as ``2022-05-25 HH:mm`` names, when its time is a placeholder.
    day_only: date | None = None
    #: The zone declared above the row ("All times in PDT", a ``Time (PST)`` header).
    zone: tzinfo | None = None
    #: The name of the part of the timeline the row opens ("Second period", a day).
    label: str = ""
    #: A marker between entries (``<START OF OUTAGE>``): a moment, at the row above's time.
    marker: bool = False
    #: What a time that reads more than one way leaves to ask ("'GST' may mean ..."): the
    #: row keeps its wording, and its time is left for a person to complete.
    question: str = ""
    #: The day an entry names without its year ("Jan 5: ..."), as (month, day).
    month_day: tuple[int, int] | None = None
    #: An entry of a timed list that gives no time: kept in its place, its time left blank.
    untimed: bool = False


@dataclass
class Placed:
    """A row on its way into the table: when it happened, as far as the source says."""

    at: datetime | None
    dated: bool
    seconds: bool
    timed: bool
    cells: list[str]


_DAY = 86400


# A row dated this far before the one above it, its clock running on, is no note about an
# earlier day: a digit of its date was mistyped ("2021-06-11 14:15" after "2021-06-28 14:09").
_SLIP = timedelta(days=7)


def _slipped(written: date, clock: time, previous: datetime) -> date | None:
    """The day of the row above, for a row whose written date goes back more than a week
    from it in one part only (its year, month or day) while its time of day runs on from
    the row above's: one part of the date mistyped, as people do. None otherwise."""
    day = previous.date()
    if written >= day - _SLIP or clock < previous.time().replace(tzinfo=None):
        return None
    parts = sum(
        a != b
        for a, b in zip(
            (written.year, written.month, written.day), (day.year, day.month, day.day), strict=True
        )
    )
    return day if parts == 1 else None


def newest_first(rows: Sequence[Row]) -> bool:
    """Whether a run of entries is written newest first, as status pages list their updates:
    of the neighbouring stamps that compare (both with their day, both with a day without
    its year, or both bare times), more run backwards than forwards. A timeline that crosses
    midnight runs forwards everywhere but once, so it is not taken for one written backwards."""
    backwards = forwards = 0
    last: tuple[int, int] | None = None
    # On a 12-hour clock a bare "1:17" after "11:50" is the afternoon: bare times go round
    # in twelve hours.
    clock_round = _DAY // 2 if any(row.clock and row.clock.meridiem for row in rows) else _DAY
    for row in rows:
        clock = row.clock
        if clock is None:
            continue
        seconds = clock.at.hour * 3600 + clock.at.minute * 60 + clock.at.second
        if clock.day is not None:
            key = (0, clock.day.toordinal() * _DAY + seconds)
        elif clock.month_day is not None:
            month, day = clock.month_day
            key = (1, date(2000, month, day).timetuple().tm_yday * _DAY + seconds)
        else:
            key = (2, seconds % clock_round)
        if last is not None and last[0] == key[0]:
            step = key[1] - last[1]
            # Without the year or the day, the shorter way round: "23:50" then "00:15" runs
            # forwards over midnight, "Dec 31" then "Jan 1" over the new year.
            round_trip = {1: 366 * _DAY, 2: clock_round}.get(key[0])
            if round_trip and abs(step) > round_trip // 2:
                step = -step
            backwards += step < 0
            forwards += step > 0
        last = key
    return backwards > forwards


def latest_before(placed: list[Placed], k: int) -> datetime | None:
    """Where a row without any time stays: with the row above it."""
    return next((placed[j].at for j in range(k - 1, -1, -1) if placed[j].at), None)


def place_rows(
    rows: list[Row],
    days: list[date | None],
    tz: tzinfo,
    report: Report,
    stated: Sequence[datetime] = (),
    fallback: tzinfo | None = None,
) -> list[Placed]:
    out: list[Placed] = []
    # A row that writes no day of its own carries the day of the row above or of the file,
    # when no heading dates the rows; a date and time the text states elsewhere ("At
    # 2019-10-21 01:38 UTC the site went down") dates the row of that time, and the rows
    # after it follow.
    undated = len(set(days)) <= 1
    previous: datetime | None = None
    # A timeline that writes "9:43 AM" and "1:42 PM" writes its bare "1:17" on a 12-hour
    # clock too: after "11:57", the afternoon, not the next night.
    # A timeline told as prose keeps no wording of its own: its clocks say it.
    twelve_hour = any(
        MERIDIEM.search(row.wording) or (row.clock is not None and row.clock.meridiem)
        for row in rows
    )
    # The entries of a timed list that give no time, told once.
    blank: list[str] = []
    # The rows whose day is written without its year, by the year they are read in.
    years: dict[int, list[str]] = {}
    # The rows each question leaves without a time, told once per question.
    asked: dict[str, list[str]] = {}
    # The timeline's first time: what stamps such as "[+1 hrs]" count from.
    first: datetime | None = None
    # The zone the rows above wrote with their times holds for a bare time below them, as
    # it does for a reader: "16:22 PST", "16:59 PST", "17:07", "17:21 PST".
    written: tzinfo | None = None
    for number, (row, day) in enumerate(zip(rows, days, strict=True), start=1):
        clock = row.clock
        # The page's own clock (``fallback``) only where nothing closer names a zone.
        default_tz: tzinfo = row.zone or written or fallback or tz
        if clock is not None and clock.tz is not None:
            written = clock.tz
        at: datetime | None = None
        impossible = False
        if clock is not None:
            when = clock.day
            known = (previous.date() if previous else None) or day
            if when is None and clock.month_day is not None and known is not None:
                # "Jan 14, 10:18 AM": the year of the incident, as the source states it.
                when = nearest_day(clock.month_day, known)
                if when is not None:
                    years.setdefault(when.year, []).append(str(number))
                # "Feb 29" in a year without it: no day, so no time either.
                impossible = when is None
        if clock is not None and clock.day is not None and previous is not None:
            local = previous.astimezone(clock.tz or default_tz)
            slipped = _slipped(clock.day, clock.at, local)
            if slipped is not None:
                report.to_complete.append(
                    f"Timeline row {number}: written on {clock.day}, read on {slipped} as "
                    "the rows above it (its time runs on from theirs; a slip of one part of "
                    "the date?); check it"
                )
                when = slipped
        if clock is not None and not impossible:
            if when is None and day is not None and previous is not None:
                # A day named above the row (a heading, a label) wins over the row above's.
                previous_local = previous.astimezone(clock.tz or default_tz).date()
                when = day if day > previous_local else previous_local
            when = when or (previous.astimezone(clock.tz or default_tz).date() if previous else day)
            if when is not None:
                at = datetime.combine(when, clock.at, clock.tz or default_tz).astimezone(tz)
                afternoon = at + timedelta(hours=12)
                # A time whose day is written ("4:00 ET, June 16") is on that day, in the
                # half of it the order gives.
                bare = clock.day is None and clock.month_day is None
                if previous is not None and at < previous and (bare or twelve_hour):
                    if (
                        twelve_hour
                        and clock.at.hour < 12
                        and not clock.meridiem
                        and not MERIDIEM.search(row.wording)
                        and previous <= afternoon
                    ):
                        at = afternoon
                        report.mapped.append(
                            f"Timeline row {number}: '{row.wording}' read as the afternoon "
                            "(the timeline writes a 12-hour clock)"
                        )
                    elif bare:
                        at += timedelta(days=1)
                        report.mapped.append(
                            f"Timeline row {number}: '{row.wording}' read as the next day"
                        )
        own_day = clock is not None and (clock.day or clock.month_day)
        if undated and at is not None and not own_day:
            stated_at = _as_stated(at, stated)
            if stated_at != at:
                report.mapped.append(
                    f"Timeline row {number}: '{row.wording}' on {stated_at:%Y-%m-%d}, "
                    "as the text dates that time"
                )
                at = stated_at
        offset = relative_offset(row.wording) if clock is None and row.wording else None
        if row.question:
            asked.setdefault(row.question, []).append(str(number))
        elif at is None and offset is not None and first is not None:
            # "[+1 hrs]": counted from the timeline's first time, its T+0.
            at = first + offset[0]
            report.mapped.append(
                f"Timeline row {number}: '{row.wording}' read as {at:%Y-%m-%d %H:%M}, counted "
                "from the first time"
            )
        elif row.untimed:
            blank.append(str(number))
        elif at is None and row.marker:
            at = previous
            report.mapped.append(f"Timeline row {number}: the marker kept as a row")
        elif at is None:
            at = _placed(row, previous, day, tz)
            where = "kept without a time" if at is None else f"placed at {at:%Y-%m-%d %H:%M}"
            what = (
                f"the time '{row.wording}' is not a time"
                if clock is None
                else f"'{row.wording}' names no day of the incident's year"
                if impossible
                else "no day the text settles (a date that reads two ways, as 11-01-2026)"
            )
            report.to_complete.append(f"Timeline row {number}: {what}; {where}")
        event = row.event
        moved = (
            at is not None
            and clock is not None
            and (
                at.time().replace(second=0) != clock.at.replace(second=0)
                or (clock.day is not None and at.date() != clock.day)
            )
        )
        if row.wording and (clock is None or not clock.plain or moved):
            event = f"({row.wording}) {event}".strip()
        event = f"{row.label} {event}".strip()
        if at is not None:
            previous = at
            first = first or (at if clock is not None and not impossible else None)
        dated = clock is not None and clock.day is not None
        seconds = clock is not None and clock.seconds
        timed = clock is not None and not impossible
        out.append(Placed(at, dated, seconds, timed, [event, *row.cells]))
    for year, numbers in years.items():
        # An assumption, said as one: the year is the incident's, not the text's.
        which = f"row {numbers[0]}" if len(numbers) == 1 else f"rows {', '.join(numbers)}"
        report.to_complete.append(
            f"Timeline {which}: a day written without its year, read in {year} (the "
            "incident's year); check it"
        )
    if blank:
        report.to_complete.append(
            f"Timeline rows {', '.join(blank)}: entries of the timeline without a time; kept "
            "in their place, marked TBD"
        )
    for question, numbers in asked.items():
        # The question itself is told once above the rows (``timeline_doubts``).
        which = f"row {numbers[0]}" if len(numbers) == 1 else f"rows {', '.join(numbers)}"
        report.to_complete.append(f"Timeline {which}: {question.split(';')[0]}; marked TBD")
    # A marker above the first time marks that time.
    for k, (row, placed) in enumerate(zip(rows, out, strict=True)):
        if row.marker and placed.at is None:
            placed.at = next((later.at for later in out[k + 1 :] if later.at), None)
    return out


def _as_stated(at: datetime, stated: Sequence[datetime]) -> datetime:
    """``at`` moved to the later day the text states for the same time of day, if any."""
    for moment in stated:
        gap = moment - at
        whole_days = gap.seconds == 0 and gap.microseconds == 0
        if timedelta(0) < gap <= timedelta(days=14) and whole_days:
            return moment
    return at


def stated_times(lines: list[str], tz: tzinfo) -> list[datetime]:
    """The times the text writes with their date and zone ("At 2019-10-21 01:38 UTC"),
    outside code: what a row's bare time is matched against."""
    mask = code_mask(lines)
    found: list[datetime] = []
    for i, line in enumerate(lines):
        if mask[i] or not any(c.isdigit() for c in line):
            continue
        context = TimeContext(tz)
        for reading in context.find(line):
            expression = reading.expression
            if reading.at is not None and expression.day is not None and expression.zone:
                found.append(reading.at)
    return found


def _placed(row: Row, previous: datetime | None, day: date | None, tz: tzinfo) -> datetime | None:
    """Where a row without a readable time goes: after the row above when that is on its
    day, else at the start of the day it names (or the incident's day)."""
    own_day = row.day_only or (None if previous else day)
    if previous is not None and (own_day is None or previous.date() == own_day):
        return previous
    if own_day is not None:
        return datetime.combine(own_day, time(0), tz)
    return None
