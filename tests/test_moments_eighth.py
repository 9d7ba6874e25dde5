"""The moments of write-ups nobody had studied, by the stage of the reading that failed
(importers/sections.py, importers/moments.py, importers/updates.py): the zone the text's
own times name, the row whose words tell the moment, the status update's own words over
its position. Every fixture is invented, in the shapes real write-ups take and in others
they could take."""

from __future__ import annotations

import json
from datetime import date, timezone
from pathlib import Path

import pytest

from import_shapes import front, import_project, import_report, rows
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.synonyms import key_for
from mkdocs_postmortems.core.times import TimeContext


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return import_project(tmp_path, monkeypatch)


# --- the zone: named once, with the first time the text gives --------------------------------

# A summary that gives its window in one zone, and a timeline of bare times below it. The
# page's stamp is its publication, in another clock (a blog's +0000).
_NAMED_ONCE = """---
title: Queue outage
date: 2023-02-10 18:54:16 +0000
---

## Summary

{summary}

## {heading}

{timeline}
"""

_BARE_ROWS = (
    "09:05 Alerts fired for the queue's depth.\n\n09:20 Workers restarted.\n\n09:40 Queue drained."
)
_BARE_LIST = "- 09:05 - alerts fired\n- 09:20 - workers restarted\n- 09:40 - queue drained"
_BARE_TABLE = (
    "| When | What |\n|---|---|\n| 09:05 | Pager alert on queue depth |\n"
    "| 09:20 | Workers restarted |\n| 09:40 | Queue drained after the restart |"
)


@pytest.mark.parametrize(
    ("summary", "heading", "timeline", "first", "last"),
    [
        # PST in winter, told in the window; bare lines under "Play by Play".
        (
            "On February 9th the queue stalled from ~09:05 PST to ~09:40 PST.",
            "Play by Play",
            _BARE_ROWS,
            "2023-02-09 17:05",
            "17:40",
        ),
        # A zone after a 12-hour clock in one sentence; a bulleted timeline.
        (
            "The queue stalled on February 9 at 9:05 a.m. CET and was drained soon after.",
            "Timeline",
            _BARE_LIST,
            "2023-02-09 08:05",
            "08:40",
        ),
        # An offset written as "UTC+9", a table without a zone in its header.
        (
            "Between 09:05 and 09:40 (UTC+9) on 9 February the queue did not drain.",
            "What happened",
            _BARE_TABLE,
            "2023-02-09 00:05",
            "00:40",
        ),
    ],
)
def test_a_zone_the_text_names_with_its_times_is_the_bare_timelines(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    summary: str,
    heading: str,
    timeline: str,
    first: str,
    last: str,
) -> None:
    report, text = import_report(
        project, capsys, _NAMED_ONCE.format(summary=summary, heading=heading, timeline=timeline)
    )
    times = [when for when, _ in rows(text)]
    assert times[0] == first, text
    assert times[-1] == last, text
    assert any("the zone of the text's times above it" in line for line in report["mapped"])


@pytest.mark.parametrize(
    "summary",
    [
        # Two zones: ours and a provider's. Which one the rows follow is a question.
        "Our provider's incident began at 08:50 EST; our queue stalled at 14:05 UTC.",
        # One time restated in two zones.
        "The queue stalled at 09:05 PST (17:05 UTC) on February 9.",
    ],
)
def test_two_zones_named_above_the_timeline_leave_it_in_its_own(
    project: Path, capsys: pytest.CaptureFixture[str], summary: str
) -> None:
    report, _ = import_report(
        project,
        capsys,
        _NAMED_ONCE.format(summary=summary, heading="Timeline", timeline=_BARE_ROWS),
    )
    assert not any("the zone of the text's times" in line for line in report["mapped"])


def test_times_that_carry_their_zone_keep_it_for_the_bare_ones_below(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The summary's zone is another clock's ("CET" of a colleague abroad); the timeline
    # writes its own on its first rows, and the bare rows below follow those.
    timeline = (
        "### 16:22 PST\n\nNode out of memory.\n\n### 16:59 PST\n\nPaged.\n\n### 17:07\n\nFixed."
    )
    _, text = import_report(
        project,
        capsys,
        _NAMED_ONCE.format(
            summary="Noticed at 0:59 CET by a colleague on February 10.",
            heading="Timeline",
            timeline=timeline,
        ),
    )
    assert [when for when, _ in rows(text)][-1] == "01:07", text


def test_a_time_in_a_link_names_no_zone_of_the_text(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = "The queue stalled ([logs](https://logs.example/?at=2023-02-09T09:05:00Z))."
    report, text = import_report(
        project,
        capsys,
        _NAMED_ONCE.format(summary=summary, heading="Timeline", timeline=_BARE_ROWS),
    )
    assert not any("the zone of the text's times" in line for line in report["mapped"])
    assert "started:" in front(text)


# --- a status page's updates: the end they tell, not the end a tool copied -------------------

# A status page kept in git: the tool wrote the end from the start when the incident opened,
# and the updates below tell the real end.
_STATUS_PAGE = """---
title: Mail delays
date: {start}
resolved: true
resolvedWhen: {end}
---

We are aware of delays delivering mail and are investigating.

**Update 10:35:** {middle}

**Update 11:05:** {last}
"""


@pytest.mark.parametrize(
    ("start", "end", "middle", "last", "resolved"),
    [
        # The end copied from the start to the second; "believe ... resolved" is a hope,
        # and the last update's "if you are still seeing issues" asks the reader, not tells.
        (
            "2024-05-03T09:50:00+00:00",
            "2024-05-03T09:50:00+00:00",
            "We believe the queue is resolved and keep monitoring it closely.",
            "Mail has flowed normally for 30 minutes and this is resolved. If you are still "
            "experiencing issues, please write to us.",
            "resolved: 2024-05-03T11:05:00Z  # inferred, please confirm",
        ),
        # The same copy written with a space and an offset name; a hope in other words.
        (
            "2024-05-03 09:50:00 +0000",
            "2024-05-03 09:50:00 +0000",
            "We think the fix has resolved it.",
            "Delivery is fully restored. Should you see any delays, contact support.",
            "resolved: 2024-05-03T11:05:00Z  # inferred, please confirm",
        ),
    ],
)
def test_an_end_copied_from_the_start_yields_to_the_updates(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    start: str,
    end: str,
    middle: str,
    last: str,
    resolved: str,
) -> None:
    report, text = import_report(
        project, capsys, _STATUS_PAGE.format(start=start, end=end, middle=middle, last=last)
    )
    assert resolved in front(text), text
    assert "started: 2024-05-03T09:50:00Z" in front(text)
    assert any("a copy rather than an end" in line for line in report["to_complete"])


def test_an_end_of_its_own_stays_the_sources(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An end one second after the start is the source's own: kept as written.
    text = _STATUS_PAGE.format(
        start="2024-05-03T09:50:00+00:00",
        end="2024-05-03T12:00:00+00:00",
        middle="Still delayed.",
        last="Resolved.",
    )
    _, written = import_report(project, capsys, text)
    assert "resolved: 2024-05-03T12:00:00Z" in front(written)


@pytest.mark.parametrize(
    "row",
    [
        "If you are still experiencing errors, clear your cache.",
        "Customers who see failures should retry; in case your builds began failing, open a ticket.",
        "Unless your jobs started failing after 10:00, no action is needed.",
    ],
)
def test_a_condition_put_to_the_reader_starts_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], row: str
) -> None:
    text = (
        "---\ntitle: Build outage\ndate: 2024-05-03\n---\n\n## Summary\n\nAll times UTC.\n\n"
        "## Timeline\n\n- 09:50 - builds queue up\n- 10:20 - paged the on-call engineer\n"
        f"- 10:40 - {row}\n- 11:05 - builds resolved\n"
    )
    _, written = import_report(project, capsys, text)
    assert "10:40" not in front(written).split("started:")[1].split("\n")[0], written


# --- the timeline: a heading that is a time holds the list below it ---------------------------

_HEADINGS = """---
title: Cache outage
date: 2024-05-03
---

## Timeline

All times in UTC.

{body}
"""


def test_a_list_under_a_time_heading_is_that_entrys(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (
        "### 2024-05-03 09:47\n\nCache misses climb.\n\n- hit rate drops\n- p99 latency x4\n\n"
        "### 10:11\n\n* evictions in the logs\n\n#### 10:21\n\n+ scaled the cache to six nodes\n\n"
        "### 10:30\n\n1. hit rate back to normal\n2. service restored for all users\n"
    )
    _, text = import_report(project, capsys, _HEADINGS.format(body=body))
    found = rows(text)
    assert [when for when, _ in found] == ["2024-05-03 09:47", "10:11", "10:21", "10:30"], text
    assert "hit rate drops" in found[0][1]
    assert "evictions in the logs" in found[1][1]
    assert "resolved: 2024-05-03T10:30:00Z" in front(text)


def test_a_time_heading_over_timed_items_leaves_them_rows(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "### 09:47\n\n- 09:50 hit rate drops\n- 10:05 paged\n\n### 10:30\n\nRestored.\n"
    _, text = import_report(project, capsys, _HEADINGS.format(body=body))
    assert [when for when, _ in rows(text)][:3] == ["2024-05-03 09:47", "09:50", "10:05"], text


def test_a_day_heading_over_an_untimed_list_dates_and_starts_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (
        "### 2024-05-03\n\n- 09:47 cache misses climb\n- 10:30 restored\n\n"
        "### Notes\n\n- the dashboards lagged\n"
    )
    _, text = import_report(project, capsys, _HEADINGS.format(body=body))
    assert [when for when, _ in rows(text)] == ["2024-05-03 09:47", "10:30"], text


# --- an end denied, doubted or still planned ends nothing --------------------------------------

_UPDATES = """---
title: Storage outage
date: 2024-05-03
---

## Timeline

All times in UTC.

- 09:00 - the file system hangs; users cannot log in
- 09:10 - paged the storage team
- 12:00 - {words}
- 18:45 - users can log in again
"""


@pytest.mark.parametrize(
    "words",
    [
        "It looks increasingly unlikely that we will be able to bring the cluster back online "
        "today.",
        "We are unable to restore the volumes so far.",
        "No recovery yet; the vendor is on site.",
        "There is no sign of improvement.",
        "We will proceed with another restore overnight.",
        "We plan to open the login nodes so files are available again tomorrow.",
        "The goal is to have every queue back by the evening.",
        "The storage will not come back up before the disks are swapped.",
    ],
)
def test_an_end_denied_doubted_or_planned_ends_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], words: str
) -> None:
    _, text = import_report(project, capsys, _UPDATES.format(words=words))
    assert "resolved: 2024-05-03T18:45:00Z" in front(text), text


def test_an_end_that_happened_still_ends_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same words' neighbours, saying the end plainly, beside a plan for afterwards.
    words = "Service restored; we will publish a full report next week."
    _, text = import_report(project, capsys, _UPDATES.format(words=words))
    assert "resolved: 2024-05-03T12:00:00Z" in front(text), text


# --- the service seen whole again, in a verdict, with or without a detection -------------------

_VERDICT = """---
title: Disk space low
date: 2024-05-03
---

## Timeline

All times in UTC.

- 09:00 - disk usage on the primary passes 90%
- {second}
- 13:30 - resized the volume and repacked the table
- 13:40 - {verdict}
"""


@pytest.mark.parametrize(
    "verdict",
    ["All good!", "Everything looks green again.", "all systems OK", "Everything is fine."],
)
@pytest.mark.parametrize(
    "second", ["09:05 - the disk alert pages the on-call", "11:15 - decided on the repack"]
)
def test_a_verdict_on_the_whole_is_the_end(
    project: Path, capsys: pytest.CaptureFixture[str], verdict: str, second: str
) -> None:
    _, text = import_report(project, capsys, _VERDICT.format(second=second, verdict=verdict))
    assert "resolved: 2024-05-03T13:40:00Z" in front(text), text


def test_a_verdict_denied_is_no_end(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _VERDICT.format(second="09:05 - paged", verdict="Not all good yet: the replica lags.")
    _, written = import_report(project, capsys, text)
    assert "resolved: TBD" in front(written), written


# --- the day: one part of a row's date mistyped ------------------------------------------------

_SLIPPED = """---
title: Export failures
date: 2024-06-28
---

## Timeline

All times in UTC.

### 2024-06-28 13:59

The error tracker posts alerts about a high error rate.

### 2024-06-28 14:09

On-call confirms the errors on the dashboard.

### {third} 14:24

A revert is deployed; error rates drop back to zero.
"""


@pytest.mark.parametrize(
    "third",
    [
        "2024-06-11",  # the day mistyped
        "2024-03-28",  # the month
        "2023-06-28",  # the year
        "June 11, 2024",  # the day, in words
    ],
)
def test_a_date_slipped_in_one_part_is_read_on_the_rows_day(
    project: Path, capsys: pytest.CaptureFixture[str], third: str
) -> None:
    report, text = import_report(project, capsys, _SLIPPED.format(third=third))
    assert [when for when, _ in rows(text)][-1] == "2024-06-28 14:24", text
    assert any("a slip of one part of the date" in line for line in report["to_complete"])
    assert "started: 2024-06-28T13:59:00Z" in front(text)


@pytest.mark.parametrize(
    "third",
    [
        "2024-06-25",  # three days back: a note about an earlier day, as written
        "2024-05-11",  # two parts differ: no slip of one part
    ],
)
def test_a_date_that_is_no_slip_stays_as_written(
    project: Path, capsys: pytest.CaptureFixture[str], third: str
) -> None:
    report, text = import_report(project, capsys, _SLIPPED.format(third=third))
    assert not any("a slip of one part" in line for line in report["to_complete"])
    assert any(when.startswith(third) for when, _ in rows(text)), text


def test_a_time_that_goes_back_is_no_slip_of_the_date(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "2024-06-11 09:00" after 14:09: its clock does not run on; an earlier event, as written.
    text = _SLIPPED.format(third="2024-06-11").replace("14:24", "09:00")
    report, _ = import_report(project, capsys, text)
    assert not any("a slip of one part" in line for line in report["to_complete"])


# --- an alert raised and resolved in one row is a blip, not the end ----------------------------

_BLIPS = """---
title: Export failures
date: 2024-06-28
---

## Timeline

All times in UTC.

- 13:59 - {blip}
- 14:09 - on-call confirms the errors
- 14:24 - {end}
"""


@pytest.mark.parametrize(
    "blip",
    [
        "The error tracker posts alerts about a high error rate, then an alert resolving it "
        "3 minutes later.",
        "A latency alarm fired and auto-resolved after two minutes.",
    ],
)
def test_an_alert_raised_and_resolved_in_one_row_ends_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], blip: str
) -> None:
    text = _BLIPS.format(blip=blip, end="the revert is out and the incident is resolved")
    _, written = import_report(project, capsys, text)
    assert "resolved: 2024-06-28T14:24:00Z" in front(written), written


def test_an_alert_resolved_in_a_row_of_its_own_still_ends_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _BLIPS.format(
        blip="High failure rate alert fires", end="High failure rate alert is resolved"
    )
    _, written = import_report(project, capsys, text)
    assert "resolved: 2024-06-28T14:24:00Z" in front(written), written


# --- a window of data is not the outage's; a timeline in the present tense ---------------------

_DATA_WINDOW = """---
title: Database outage
date: 2024-02-01
---

## Summary

{sentence} The site was down for hours.

## Timeline

All times in UTC.

- {stamp}13:10 - a snapshot is taken before the maintenance
- {stamp}15:00 - the site starts returning errors to most users
- {stamp}18:20 - the primary's data directory is removed by mistake
- {stamp}23:40 - the restore completes and the site is fully restored
"""


@pytest.mark.parametrize(
    "sentence",
    [
        "We could not recover the data created on the service between 13:10 UTC and 18:20 UTC.",
        "Any data between 13:10 UTC and 18:20 UTC is lost.",
        "Records written from 13:10 to 18:20 UTC were lost for good.",
    ],
)
@pytest.mark.parametrize("stamp", ["", "± ", "±"])
def test_a_window_of_data_lost_is_not_the_outages(
    project: Path, capsys: pytest.CaptureFixture[str], sentence: str, stamp: str
) -> None:
    text = _DATA_WINDOW.format(sentence=sentence, stamp=stamp)
    _, written = import_report(project, capsys, text)
    assert "started: 2024-02-01T15:00:00Z" in front(written), written
    assert "resolved: 2024-02-01T23:40:00Z" in front(written), written
    assert len(rows(written)) == 4


def test_a_window_of_harm_to_data_is_the_outages(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Data ingestion delayed is the harm itself: its window is the incident's.
    sentence = "Data ingestion was delayed between 15:00 UTC and 23:40 UTC."
    text = _DATA_WINDOW.format(sentence=sentence, stamp="")
    _, written = import_report(project, capsys, text)
    assert 'started: 2024-02-01T15:00:00Z  # inferred, please confirm: "Data' in front(written)


# --- a front-matter key that names a moment in words of its own --------------------------------


@pytest.mark.parametrize(
    ("key", "ours"),
    [
        ("start_date", "started"),
        ("startDate", "started"),
        ("outage_began_at", "started"),
        ("Incident Start Time", "started"),
        ("detection_datetime", "detected"),
        ("end_date", "resolved"),
        ("incidentEndTime", "resolved"),
        ("recovery-timestamp", "resolved"),
        # Words of other things beside a moment's: not a moment.
        ("endpoint", None),
        ("start_page", None),
        ("end-user", None),
        ("time_to_recovery", None),
        ("recovery_time_objective", None),
    ],
)
def test_a_key_that_names_a_moment_is_ours(key: str, ours: str | None) -> None:
    assert key_for(key) == ours


def test_an_alerts_start_and_end_keys_are_its_moments(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "---\nstatus: Resolved\ntype: Service alert\nstart_date: 2023-01-23 11:30 GMT\n"
        "endDate: 2023-01-23 15:15 GMT\nscope: the scratch file system\n---\n"
    )
    _, written = import_report(project, capsys, text)
    assert "started: 2023-01-23T11:30:00Z" in front(written), written
    assert "resolved: 2023-01-23T15:15:00Z" in front(written), written


# --- a date in brackets is an aside: it dates nothing after it ----------------------------------

_ASIDE = """---
title: Platform outage
---

## Summary

On November 10th we fell short of our standard. This, with other recent incidents
({aside}), made for a poor year.

At 3:30 PM PST, monitoring alerts fired and the on-call engineers were paged. A mitigation
brought systems back online by 4:58 PM PST.
"""


@pytest.mark.parametrize(
    "aside", ["eg, October 13th service issue", "see the post of 2021-10-13", "Oct 13"]
)
def test_a_date_in_brackets_dates_nothing_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], aside: str
) -> None:
    project = import_project(tmp_path, monkeypatch)
    source = project / "2021-11-10-platform-outage.md"
    source.write_text(_ASIDE.format(aside=aside), encoding="utf-8")
    assert main(["import", str(source), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)["files"][0]
    written = Path(report["target"]).read_text(encoding="utf-8")
    assert "detected: 2021-11-10T23:30:00Z" in front(written), written
    assert "resolved: 2021-11-11T00:58:00Z" in front(written), written


# --- the fault put right stops the harm -----------------------------------------------------

_PUT_RIGHT = """---
title: Mail leak
date: 2024-11-28
---

## Timeline

| Time (UTC) | Event |
|---|---|
| 06:06 | The first support email with personal data is sent |
| 06:08 | An engineer notices unusual email activity and starts investigating |
| 06:15 | {words} |
"""


@pytest.mark.parametrize(
    ("words", "resolved"),
    [
        ("The engineer identifies the misconfiguration and corrects it", "2024-11-28T06:15:00Z"),
        ("We fixed the bad routing rule", "2024-11-28T06:15:00Z"),
        ("Corrected the mail relay configuration", "2024-11-28T06:15:00Z"),
        # A fix still ahead is none.
        ("We will correct the configuration after the review", "TBD"),
        ("The team plans to fix the bug tomorrow", "TBD"),
    ],
)
def test_the_fault_put_right_stops_the_harm(
    project: Path, capsys: pytest.CaptureFixture[str], words: str, resolved: str
) -> None:
    _, text = import_report(project, capsys, _PUT_RIGHT.format(words=words))
    assert f"resolved: {resolved}" in front(text), text


# --- what starts the response is not the harm's start ------------------------------------------

_RESPONSE = """---
title: Media failures
date: 2024-12-16
---

## Summary

On December 17th at 12:43 UTC we received a first report of media failures, {clause}.

## Timeline

All times in UTC.

- Dec 16th 12:43 - a user's first report of media cache misses
- Dec 17th 08:21 - a second report, and first confirmation
- Dec 18th 20:32 - discovered the misconfiguration on two cache nodes
- Dec 18th 22:10 - queues drained, media served normally
"""


@pytest.mark.parametrize(
    "clause",
    [
        "which started a 2-day-long investigation",
        "that began our incident response",
        "which started the search for a cause",
    ],
)
def test_what_starts_the_response_is_not_the_start(
    project: Path, capsys: pytest.CaptureFixture[str], clause: str
) -> None:
    _, text = import_report(project, capsys, _RESPONSE.format(clause=clause))
    assert "detected: 2024-12-16T12:43:00Z" in front(text), text


def test_what_starts_the_harm_still_starts_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # (The summary's day is a slip of the author's; its words still tell the start.)
    clause = "which started a long period of failed uploads"
    _, text = import_report(project, capsys, _RESPONSE.format(clause=clause))
    assert "started: 2024-12-17T12:43:00Z" in front(text), text


# --- a date written after its time belongs to it -----------------------------------------------


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("23:00 UTC (April 5)", "2022-04-05"),
        ("23:00 UTC (*April 5*)", "2022-04-05"),
        ("23:00 UTC (_5 April_)", "2022-04-05"),
        ("23:00 UTC on April 5", "2022-04-05"),
        ("23:00 UTC, 5 April 2022", "2022-04-05"),
    ],
)
def test_a_date_after_its_time_is_that_times(written: str, day: str) -> None:
    context = TimeContext(timezone.utc, day=date(2022, 4, 6), year=2022)
    (reading,) = context.find(f"At {written} the first build failed.")
    assert reading.at is not None
    assert f"{reading.at:%Y-%m-%d %H:%M}" == f"{day} 23:00"


def test_a_bracket_that_is_no_date_stays_out_of_the_time() -> None:
    context = TimeContext(timezone.utc, day=date(2022, 4, 6), year=2022)
    (reading,) = context.find("At 23:00 UTC (approx.) the first build failed.")
    assert reading.text.endswith("23:00 UTC")
