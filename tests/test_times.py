"""The one reader of times (core/times.py): a table of expressions as write-ups write them,
and timelines read row by row (declared zones, days carried, midnight, ambiguity)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_postmortems.core.times import TimeContext, find, numeric_order, read_date
from mkdocs_postmortems.core.zones import declared_zone
from mkdocs_postmortems.importers.times import ZONES, read_clock, zone_hint

TABLE = Path(__file__).parent / "data" / "times" / "expressions.tsv"
_HOUR = timedelta(hours=1)


def _rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, expected, *rest = line.split("\t")
        zone = rest[0] if rest else "UTC"
        day = rest[1] if len(rest) > 1 else "2024-01-15"
        rows.append((text, expected, zone, day))
    return rows


ROWS = _rows()


def _utc(moment: datetime | None) -> str:
    assert moment is not None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M") + (
        f":{moment.second:02d}Z" if moment.second else "Z"
    )


def test_the_table_is_wide() -> None:
    assert len(ROWS) >= 150
    assert len({row[0] for row in ROWS}) >= 140


@pytest.mark.parametrize(("text", "expected", "zone", "day"), ROWS, ids=[r[0] for r in ROWS])
def test_expression(text: str, expected: str, zone: str, day: str) -> None:
    context = TimeContext(ZoneInfo(zone), day=date.fromisoformat(day), year=2024)
    reading = context.read(text)
    assert reading is not None, f"{text!r} not read"
    assert reading.text == text, "the whole expression is read"
    if expected == "?":
        assert reading.at is None
        assert reading.question
        assert context.questions == [reading.question]
        return
    assert reading.question is None, reading.question
    assert context.questions == []
    contradiction = expected.startswith("!")
    assert bool(reading.note) is contradiction, reading.note
    assert context.notes == ([reading.note] if contradiction else [])
    start, _, end = expected.lstrip("!").partition("/")
    assert _utc(reading.at) == start
    if end:
        assert _utc(reading.until) == end
    else:
        assert reading.until is None


def test_a_contradiction_names_both_offsets() -> None:
    context = TimeContext(timezone.utc, day=date(2024, 6, 10))
    reading = context.read("10:00 PST")
    assert reading is not None
    assert reading.note == (
        "'PST' is UTC-08:00, but on 2024-06-10 America/Los_Angeles kept UTC-07:00 (PDT); "
        "read as written"
    )


@pytest.mark.parametrize(
    "text",
    [
        "next morning",
        "25:09",
        "13pm",
        "13:06AM",
        "00:30 PM",
        "v1.2",
        "3/4 of requests",
        "HH:MM",
        "16 engineers",
        # A date alone: its year is no 4-digit time ("2021" is not 20:21).
        "2021-12-10",
        "2024-03-13 HH:mm",
        # A year before a placeholder date, as a template leaves it.
        "2023-MM-DD",
        "December 4, 2024",
        "4 December 2024",
        # A year with a zone after it is still a year ("Feb 8 0117 UTC" is a time).
        "December 4, 2024 UTC",
        # Dashes make a day only with the year: this is a span of minutes.
        "10-15 minutes",
        "01-10-2024",
    ],
)
def test_not_a_time(text: str) -> None:
    assert TimeContext(timezone.utc, day=date(2024, 1, 15)).read(text) is None


@pytest.mark.parametrize(
    ("line", "zone"),
    [
        ("All timestamps are in PDT.", "PDT"),
        ("_All times are in PDT._", "PDT"),
        ("Times in CET", "CET"),
        ("Timeline (UTC)", "UTC"),
        ("Time (PST)", "PST"),
        ("Timeline (all times are UTC, which is also local for the team)", "UTC"),
        ("All times below are Pacific Time.", "Pacific Time"),
        ("Timestamps are in UTC+2", "UTC+2"),
        ("Times are given in Europe/Berlin", "Europe/Berlin"),
        ("Time (IST)", "IST"),
        ("All times are Denver time", "Denver time"),
    ],
)
def test_declared_zone(line: str, zone: str) -> None:
    found = declared_zone(line)
    assert found is not None
    assert found.written == zone


@pytest.mark.parametrize(
    "line",
    [
        "We deployed at 10:00 PST and rolled back.",
        "The team in Dublin paged the database owners.",
        # A city is a clock only right after a time, or followed by "time".
        "Timeline (we spent hours in Berlin)",
        "Timeline",
        "Z-axis of the dashboard",
        "A time to reflect",
    ],
)
def test_no_declared_zone(line: str) -> None:
    assert declared_zone(line) is None


def _timeline(context: TimeContext, lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if context.declare(line) or (line.startswith("#") and context.see_day(line)):
            continue
        reading = context.read(line)
        assert reading is not None, line
        out.append("?" if reading.at is None else _utc(reading.at))
    return out


def test_a_declared_zone_applies_to_the_rows_below() -> None:
    context = TimeContext(timezone.utc, day=date(2024, 6, 10))
    rows = ["All timestamps are in PDT.", "11:13 paged", "11:20 UTC noted", "11:48 resolved"]
    assert _timeline(context, rows) == [
        "2024-06-10T18:13Z",
        "2024-06-10T11:20Z",
        "2024-06-10T18:48Z",
    ]


def test_a_timeline_crossing_midnight() -> None:
    context = TimeContext(timezone.utc, day=date(2024, 1, 15))
    rows = ["23:40 alert", "23:55 paged", "00:10 rollback", "01:02 resolved"]
    assert _timeline(context, rows) == [
        "2024-01-15T23:40Z",
        "2024-01-15T23:55Z",
        "2024-01-16T00:10Z",
        "2024-01-16T01:02Z",
    ]
    assert context.read("00:50") is not None  # a few minutes back is disorder, not a new day
    assert context.day == date(2024, 1, 16)


def test_an_incident_running_for_days() -> None:
    context = TimeContext(ZoneInfo("America/New_York"), year=2023)
    rows = [
        "### November 7",
        "9:10 PM first alert",
        "11:58 PM declared",
        "### November 8",
        "2:00 AM mitigated",
        "### 2023-11-09",
        "10:00 AM resolved",
    ]
    assert _timeline(context, rows) == [
        "2023-11-08T02:10Z",
        "2023-11-08T04:58Z",
        "2023-11-08T07:00Z",
        "2023-11-09T15:00Z",
    ]


def test_dates_in_the_rows_carry_and_the_year_comes_from_the_context() -> None:
    context = TimeContext(timezone.utc, year=2025)
    rows = ["Dec 31, 23:50 alert", "23:58 paged", "Jan 1, 00:20 resolved"]
    assert _timeline(context, rows) == [
        "2025-12-31T23:50Z",
        "2025-12-31T23:58Z",
        "2026-01-01T00:20Z",
    ]


def test_a_numeric_date_that_can_only_be_month_first_decides_the_others() -> None:
    context = TimeContext(timezone.utc)
    rows = ["10/21/2023 14:05 paged", "11/03/2023 09:00 follow-up"]
    assert _timeline(context, rows) == ["2023-10-21T14:05Z", "2023-11-03T09:00Z"]
    undecided = TimeContext(timezone.utc)
    assert _timeline(undecided, ["11/03/2023 09:00 follow-up"]) == ["?"]
    assert undecided.questions == [
        "'11/03/2023' is 3 November or 11 March; write the date as year-month-day "
        "(2023-11-03) or name the month"
    ]


def test_an_ambiguous_declared_zone_is_a_question_for_every_row() -> None:
    context = TimeContext(timezone.utc, day=date(2024, 1, 15))
    assert _timeline(context, ["All times are in IST", "10:00 paged", "10:05 UTC noted"]) == [
        "?",
        "2024-01-15T10:05Z",
    ]
    assert "may mean Asia/Kolkata, Europe/Dublin, Asia/Jerusalem" in context.questions[0]


def test_a_month_and_day_without_any_year_is_a_question() -> None:
    context = TimeContext(timezone.utc)
    reading = context.read("Jan 14, 10:18 AM")
    assert reading is not None
    assert reading.at is None
    assert reading.question == "'Jan 14' names no year; write the date in full"


def test_a_date_in_prose_dates_the_times_after_it() -> None:
    context = TimeContext(timezone.utc, day=date(2024, 11, 19), year=2024)
    text = (
        "On November 5th, 2024 the relay was slow from around 11:00 GMT; release 1.16 shipped "
        "at 12:00 GMT."
    )
    assert [_utc(r.at) for r in context.find(text)] == ["2024-11-05T11:00Z", "2024-11-05T12:00Z"]


def test_a_region_after_an_unknown_area_is_that_regions_clock() -> None:
    # Not a zone database name, but a reader knows the clock it means.
    zone = declared_zone("All times in UC/Pacific")
    assert zone is not None
    assert str(zone.tz) == "America/Los_Angeles"
    assert declared_zone("All times in CI/CD logs") is None


def test_a_day_label_ending_in_a_colon_keeps_its_year() -> None:
    assert read_date("### March 5, 2025: the testnet timeline") == date(2025, 3, 5)
    assert read_date("5 March 2025: the testnet timeline") == date(2025, 3, 5)


def test_noon_inside_a_word_is_no_time() -> None:
    # A part of the day names no minute: "afternoon" is not noon.
    assert find("went back to normal in the early afternoon, and by the forenoon") == []


def test_times_in_a_summary_sentence() -> None:
    context = TimeContext(timezone.utc, year=2024)
    text = (
        "On May 3, 2024, from 11:13 AM to 11:48 AM PDT, checkout failed; version 1.2 of the "
        "client retried 3/4 of requests, and between 16:35 and 17:02 UTC the queue backed up."
    )
    assert [e.text for e in find(text)] == [
        "May 3, 2024, from 11:13 AM to 11:48 AM PDT",
        "between 16:35 and 17:02 UTC",
    ]
    readings = context.find(text)
    assert [(_utc(r.at), _utc(r.until)) for r in readings] == [
        ("2024-05-03T18:13Z", "2024-05-03T18:48Z"),
        ("2024-05-03T16:35Z", "2024-05-03T17:02Z"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Incident report: October 21, 2025", date(2025, 10, 21)),
        ("2019-11-14-lb-outage.md", date(2019, 11, 14)),
        ("21 Oct 2025", date(2025, 10, 21)),
        ("October 29-30, 2025 - CPU", date(2025, 10, 29)),
        ("21.10.2025", date(2025, 10, 21)),
        ("10/21/2025", date(2025, 10, 21)),
        ("10/11/2025", None),
        ("27-05-2025 - All instances unavailable", date(2025, 5, 27)),
        ("01-10-2024", None),
        ("20202-01-16 12:00", None),
    ],
)
def test_read_date(text: str, expected: date | None) -> None:
    assert read_date(text) == expected


@pytest.mark.parametrize(
    ("lines", "order"),
    [
        (["01-10-2024", "01-31-2024 - the fix merged"], "mdy"),
        (["**28-09-2023 (All times CEST)**", "03-10-2023"], "dmy"),
        (["10/21/2023 14:05 deploy"], "mdy"),
        (["01-10-2024", "02-03-2024"], None),
        # Dates that disagree decide nothing.
        (["10/21/2023", "21/10/2023"], None),
    ],
)
def test_numeric_order(lines: list[str], order: str | None) -> None:
    assert numeric_order(lines) == order


def test_read_date_in_the_documents_order() -> None:
    assert read_date("03-10-2023", "dmy") == date(2023, 10, 3)
    assert read_date("03-10-2023", "mdy") == date(2023, 3, 10)
    assert read_date("03-10-2023") is None


# --- the importer's view (importers/times.py), a thin layer over the reader ------------------


def test_the_importers_clock_keeps_its_shape() -> None:
    clock = read_clock("6:45am PST Pricing service deployed")
    assert clock is not None
    assert (clock.at.isoformat(), clock.offset, clock.end, clock.plain) == (
        "06:45:00",
        -8 * _HOUR,
        10,
        False,
    )
    summer = read_clock("2024-06-10 10:00 Pacific Time")
    assert summer is not None
    assert summer.tz is not None
    assert datetime.combine(summer.day or date.min, summer.at, summer.tz).utcoffset() == -7 * _HOUR
    plain = read_clock("2024-06-10 10:00")
    assert plain is not None
    assert plain.plain
    # A range whose end is unknown keeps its wording with the time, as a row shows it.
    unknown = read_clock("2022-08-03 12:26-12:?? Fix deployed")
    assert unknown is not None
    assert (unknown.end, unknown.plain) == (len("2022-08-03 12:26-12:??"), False)
    assert read_clock("10:00 IST") is None  # a question, not a clock
    assert read_clock("At 10:47 PST the feed stopped answering") is None  # prose
    assert read_clock("10/11/2023 14:05") is None
    assert (ZONES["PDT"], ZONES["PT"], ZONES["UTC"]) == (-7 * _HOUR, -8 * _HOUR, 0 * _HOUR)
    assert zone_hint("Time (PST)") == -8 * _HOUR
    assert zone_hint("Timeline (UTC)") == 0 * _HOUR
    assert zone_hint("All times are Pacific Time") == -8 * _HOUR
    assert zone_hint("Times in IST") is None
    assert zone_hint("Deployed at 10:00 UTC") is None


_PIECES = st.sampled_from(
    ["10", ":", "30", " ", "PM", "PST", "IST", "/", "2024", "-", "Jan", "21", "T", "Z", "~",
     "to", "between", "and", "noon", "+05:30", "UTC-5", "(", ")", ".", ",", "Mon", "@", "0"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join) | st.text(max_size=40))
def test_any_text_is_read_or_refused_never_raises(text: str) -> None:
    context = TimeContext(ZoneInfo("America/New_York"), day=date(2024, 11, 3), year=2024)
    reading = context.read(text)
    if reading is not None:
        # With the day known, a time is either placed or asked about, never both or neither.
        assert (reading.at is None) == (reading.question is not None)
        assert reading.expression.end <= len(text)
    context.find(text)
    declared_zone(text)
    read_date(text)
