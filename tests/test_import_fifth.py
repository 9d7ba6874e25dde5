"""Shapes and moments of a fifth set of real write-ups: status pages kept in git (a
front-matter list of dated updates, elements that carry their date in an attribute), and
the words that say a repair is still going on. Every fixture is an invented incident
written in the shape of a published one."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from import_shapes import front, import_project, imported, rows
from mkdocs_postmortems.core.times import TimeContext
from mkdocs_postmortems.importers.moments import infer

UTC = timezone.utc


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return import_project(tmp_path, monkeypatch)


# A Jekyll status page: the whole incident in its front matter, the first and the last
# state without a date of their own.
LISTED = """\
---
layout: post
title: Slow uploads for accounts in the north region
date: 2024-03-11 08:10 UTC
resolvedDate: 2024-03-11 12:45 UTC
incident_states:
- status: investigating
  content: "We are looking into slow uploads for accounts in the north region."
- status: update
  content: "A storage node in the north region is overloaded; traffic is being moved away from it."
  date: 2024-03-11 10:20 UTC
- status: resolved
  content: "Uploads are back to normal speed for every account."
---
"""


def test_a_front_matter_list_of_dated_updates_is_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, LISTED)
    got = rows(text)
    assert [time for time, _ in got] == ["2024-03-11 08:10", "2024-03-11 10:20", "2024-03-11 12:45"]
    assert "**investigating**: We are looking into slow uploads" in got[0][1]
    assert "**resolved**: Uploads are back to normal speed" in got[2][1]
    # The list moved to the timeline is not repeated in the details of the front matter.
    assert "incident_states" not in text
    assert "resolved: 2024-03-11T12:45:00Z" in front(text)


def test_a_status_page_post_is_no_detection(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first post says when the public was told; when the team knew is not in it."""
    assert "detected: TBD" in front(imported(project, capsys, LISTED))


def test_a_list_of_mappings_without_dates_is_left_as_it_is(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(
        project,
        capsys,
        "---\ntitle: Stale cache\ndate: 2024-03-11\nregions:\n"
        "- name: North\n  note: holds the upload path end to end\n"
        "- name: South\n  note: holds the upload page and its retries\n---\n\nText.\n",
    )
    assert rows(text) == []
    assert "regions: name: North" in text


# An Astro status page: the opening post at the page's date, updates as elements with a
# date attribute, one of them over several lines.
ELEMENTS = """\
---
title: Print service outage
date: '2023-09-04T13:02:10.000Z'
resolved: true
---

import Note from '@components/status/Note.astro';

The print service returns errors for every job. We are looking into it.

<Note date="2023-09-04T14:15:00.000Z">
  The print queue's disk is full; older jobs are being
  archived to make room.
</Note>

<Note date="2023-09-04T15:40:00.000Z">Printing works again for every office.</Note>
"""


@pytest.mark.parametrize("attribute", ["date", "datetime", "timestamp"])
def test_elements_with_a_date_attribute_are_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str], attribute: str
) -> None:
    text = imported(project, capsys, ELEMENTS.replace("<Note date=", f"<Note {attribute}="))
    got = rows(text)
    assert [time for time, _ in got] == [
        "2023-09-04 13:02:10",
        "2023-09-04 14:15:00",
        "2023-09-04 15:40:00",
    ]
    assert "The print service returns errors for every job." in got[0][1]
    assert "older jobs are being archived to make room." in got[1][1]
    assert "resolved: 2023-09-04T15:40:00Z" in front(text)
    assert "detected: TBD" in front(text)


def test_an_element_that_never_closes_is_left_as_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(
        project,
        capsys,
        "---\ntitle: Print outage\ndate: 2023-09-04\n---\n\nOpening.\n\n"
        '<Note date="2023-09-04T14:15:00Z">never closed\n',
    )
    assert rows(text) == []
    assert "## Timeline\n\nTBD" in text
    assert "never closed" in text.split("## Timeline")[0]


def _resolved(event: str) -> datetime | None:
    rows = [
        (datetime(2024, 5, 3, 9, 0, tzinfo=UTC), "The file server stops answering."),
        (datetime(2024, 5, 3, 10, 0, tzinfo=UTC), event),
    ]
    moments = infer(rows, "", TimeContext(UTC, day=date(2024, 5, 3), year=2024))
    return moments.resolved.at if moments.resolved else None


@pytest.mark.parametrize(
    "event",
    [
        "The vendor has found the faulty card. We are working to replace it and continue "
        "restoring connections.",
        "Engineers continue to restore the remaining shares.",
    ],
)
def test_work_still_going_on_ends_nothing(event: str) -> None:
    assert _resolved(event) is None


def test_a_service_back_ends_the_incident() -> None:
    assert _resolved("The file server answers again and every share is restored.") is not None


# Most of the body's lines are the components: an MDX page, not HTML.
COMPONENTS = """\
---
title: Badge printer outage
date: '2023-09-04T13:02:10.000Z'
---
import Note from '@components/status/Note.astro';

The badge printers at the north gate reject every card.

<Note date="2023-09-04T13:40:00.000Z">A driver update is suspected; it is being rolled back.</Note>

<Note date="2023-09-04T14:05:00.000Z">The rollback is done on half of the printers.</Note>

<Note date="2023-09-04T14:30:00.000Z">Every printer has the old driver; cards print again.</Note>
"""


def test_a_page_of_components_is_no_html_page(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    got = rows(imported(project, capsys, COMPONENTS))
    assert [time[11:16] for time, _ in got] == ["13:02", "13:40", "14:05", "14:30"]
    assert "<!-- <Note date=" in got[1][1]


# Heading stamps that write their zone on some entries only; a reader keeps the zone.
ZONE_WRITTEN_ABOVE = """\
# Thumbnail service outage

## Timeline

### 2024-01-10 16:40 PST
The thumbnail workers run out of disk.

### 16:55 PST
The on-call engineer is paged by the error-rate alert.

### 17:05
Old thumbnails are cleared from the workers' disks.

### 17:20 PST
Thumbnails are back online for every page.
"""


def test_a_zone_written_on_the_rows_above_holds_for_a_bare_time(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, ZONE_WRITTEN_ABOVE)
    times = [time for time, _ in rows(text)]
    # 17:05 PST is 01:05 UTC on the next day, between 00:55 and 01:20.
    assert times == ["2024-01-11 00:40", "00:55", "01:05", "01:20"]
    assert "resolved: 2024-01-11T01:20:00Z" in front(text)


# The Impact section states the window, in brackets after the sentence it qualifies; the
# timeline's later confirmation is not the end.
IMPACT_WINDOW = """\
# Build queue outage

All times in UTC, on 2024-02-06.

## Timeline

- [13:10] A configuration change for the build scheduler is merged
- [15:02] @pat notices that builds are not starting
- [15:40] The change is reverted
- [16:45] Confirmed the build queue is healthy

## Impact

Builds were not able to start because their volumes were missing. (Between
1:20pm - 3:45pm)

Other bots answered slowly (Between 3:02pm (first notice) - 3:45pm)
"""


def test_the_impact_sections_window_gives_start_and_end(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = front(imported(project, capsys, IMPACT_WINDOW))
    assert "started: 2024-02-06T13:20:00Z" in meta
    assert "resolved: 2024-02-06T15:45:00Z" in meta
    assert "detected: 2024-02-06T15:02:00Z" in meta


def test_an_end_hedged_in_its_row_waits_for_the_confirmation() -> None:
    rows = [
        (datetime(2024, 5, 3, 9, 0, tzinfo=UTC), "The file server stops answering."),
        (
            datetime(2024, 5, 3, 9, 40, tzinfo=UTC),
            "The share is working again. The service appears to be restored.",
        ),
        (datetime(2024, 5, 3, 9, 45, tzinfo=UTC), "Service is restored for every office."),
    ]
    moments = infer(rows, "", TimeContext(UTC, day=date(2024, 5, 3), year=2024))
    assert moments.resolved is not None
    assert moments.resolved.at == datetime(2024, 5, 3, 9, 45, tzinfo=UTC)


def test_the_service_coming_back_ends_the_last_outage() -> None:
    rows = [
        (datetime(2024, 5, 3, 9, 0, tzinfo=UTC), "The database cluster crashes"),
        (datetime(2024, 5, 3, 9, 30, tzinfo=UTC), "The wiki comes back from downtime"),
        (datetime(2024, 5, 3, 11, 0, tzinfo=UTC), "The database cluster crashes again"),
        (datetime(2024, 5, 3, 12, 10, tzinfo=UTC), "The wiki comes back up after the checks"),
    ]
    moments = infer(rows, "", TimeContext(UTC, day=date(2024, 5, 3), year=2024))
    assert moments.resolved is not None
    assert moments.resolved.at == datetime(2024, 5, 3, 12, 10, tzinfo=UTC)


# The author divides the timeline: what follows the rule happened after the resolution.
DIVIDED = """\
# Nightly export stuck

## Timeline

*(All times UTC.)*

### 2024-04-02 21:10

The nightly export stops writing files; the mirror serves yesterday's data.

### 2024-04-02 22:05

A replacement export job is started by hand and its files are published, though the
scheduler is still broken.

---

Post-resolution:

### 2024-04-03 08:30

The scheduler is repaired and the nightly jobs run on their own again.
"""


def test_a_post_resolution_divider_ends_the_incident_at_the_row_above(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = front(imported(project, capsys, DIVIDED))
    assert "resolved: 2024-04-02T22:05:00Z" in meta


# A timeline told in sentences on a 12-hour clock; its last time gives its day and no half.
TWELVE_HOUR_PROSE = """\
# Appointment finder outage

## Timeline (all times ET)

- The help desk was told of the outage at 11:05 ET on May 7, 2024.
- The clinic managers were told at approximately 1:30 PM ET.
- The appointment finder issue was resolved at approximately 3:10 ET, May 7.
"""


def test_a_time_with_its_day_and_no_half_takes_the_half_the_order_gives(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, TWELVE_HOUR_PROSE)
    # 3:10 PM EDT, after 1:30 PM: 19:10 UTC.
    assert "resolved: 2024-05-07T19:10:00Z" in front(text)


# A property line whose start is the timeline's first time in the other half of the day
# (and in the winter zone's name in July): it contradicts the timeline.
SLIPPED = """\
# Gateway restarts

**Date:** 2025-07-09
**Duration:** 9:05am PST to 4:00pm PST

## Timeline

_All times in Pacific Time (PT)_

- **[9:05PM]**: The gateway pods start restarting in a loop
- **[9:40PM]**: The liveness probe's timeout is raised
- **[10:10PM]**: The gateway serves every request again
"""


def test_a_property_window_the_timeline_contradicts_is_left_out(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = front(imported(project, capsys, SLIPPED))
    # As written, "4:00pm PST" would be 00:00 UTC on the 10th.
    assert "2025-07-10T00:00:00Z" not in meta
    # 9:05 PM PDT on the 9th is 04:05 UTC on the 10th.
    assert "started: 2025-07-10T04:05:00Z" in meta


def test_a_community_reporting_is_the_detection_before_a_team_member_notices() -> None:
    rows = [
        (datetime(2024, 5, 3, 0, 0, tzinfo=UTC), "The database node restarts"),
        (datetime(2024, 5, 3, 2, 0, tzinfo=UTC), "The forum community began reporting errors"),
        (datetime(2024, 5, 3, 7, 30, tzinfo=UTC), "Sam noticed the forum posts"),
        (datetime(2024, 5, 3, 8, 30, tzinfo=UTC), "The service is fully restored"),
    ]
    moments = infer(rows, "", TimeContext(UTC, day=date(2024, 5, 3), year=2024))
    assert moments.detected is not None
    assert moments.detected.at == datetime(2024, 5, 3, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "event",
    [
        "A user emails Example Security about a suspicious message",
        "A maintainer messages the on-call about failing builds",
        "A customer writes to support about missing invoices",
    ],
)
def test_telling_the_team_in_the_present_is_the_detection(event: str) -> None:
    rows = [
        (datetime(2024, 5, 3, 9, 0, tzinfo=UTC), event),
        (datetime(2024, 5, 3, 9, 45, tzinfo=UTC), "An admin sees the message and escalates"),
    ]
    moments = infer(rows, "", TimeContext(UTC, day=date(2024, 5, 3), year=2024))
    assert moments.detected is not None
    assert moments.detected.at == datetime(2024, 5, 3, 9, 0, tzinfo=UTC)


TAKEN_DOWN = """\
# Tampered package

## Timeline

All times UTC.

* **2024-05-03 9:00 UTC**: The attacker published a tampered package.
* **2024-05-03 10:15 UTC**: A user opened an issue, notifying the Example team of the
  problem.
* **2024-05-03 11:00 UTC**: The page hosting the payload was taken down.
* **2024-05-03 11:20 UTC**: The registry unpublished the tampered package.
"""


def test_a_thing_taken_down_is_no_failure_and_a_team_notified_of_it_is_the_detection(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = front(imported(project, capsys, TAKEN_DOWN))
    assert "started: 2024-05-03T09:00:00Z" in meta
    assert "detected: 2024-05-03T10:15:00Z" in meta


# A window under a label that names a span, its two ends written with their days.
DAYS_WINDOW = """\
# Archived deployments

**Date:** 2025-03-14
**Duration:** 2025-03-10 12:24 to 2025-03-12 09:30

## Timeline

_All times in Pacific Time (PT)_

- **2025-03-10 12:24**: The cleanup job archives live deployments by mistake
- **2025-03-10 14:05**: First report of a user whose site is archived
- **2025-03-12 09:30**: Rebuilds are triggered for every affected project
"""


def test_a_duration_line_with_two_dated_ends_gives_the_window(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = front(imported(project, capsys, DAYS_WINDOW))
    # 09:30 PDT on the 12th is 16:30 UTC.
    assert "resolved: 2025-03-12T16:30:00Z" in meta
    assert "started: 2025-03-10T19:24:00Z" in meta


# A Hugo status page: one update stamped with the shortcode, the last one not, parted by
# hard breaks; the page's front matter says when it was resolved.
ONE_STAMP = """\
---
title: Mail relay failure
date: 2021-04-02 07:40:00
resolved_on: 2021-04-02 11:05:00
---
**Investigating:** The mail relay rejects outgoing messages. {{< track "2021-04-02 07:40:00" >}}
\\
**Resolved:** Outgoing mail flows again, and the queue is empty.
\\
"""


def test_a_last_update_without_a_stamp_is_at_the_pages_date_of_resolution(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    got = rows(imported(project, capsys, ONE_STAMP))
    assert [time for time, _ in got] == ["2021-04-02 07:40:00", "2021-04-02 11:05:00"]
    assert got[1][1].startswith("**Resolved:** Outgoing mail flows again")


# Action items under subheadings: some a paragraph each, one a numbered list.
SUBSECTION_ACTIONS = """\
# 2024-02-20 Cache eviction storm

## Summary

The cache evicted every key at once.

## Action items

### Cache client

Cap the eviction rate per node. (https://example.org/cache/pull/12)

### Dashboards

Add a panel for evictions per second (https://example.org/dash/issues/4)

### Process

1. Name one person to drive changes during an incident.
2. Alert on a rise in cache misses.

## Notes

Written a week later.
"""


def test_a_subsection_of_one_paragraph_is_an_action_beside_listed_ones(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, SUBSECTION_ACTIONS)
    actions = re.findall(r"^\| (\*\*[^|]*) \| TBD", text, re.MULTILINE)
    assert [a.split(":**")[0] for a in actions] == [
        "**Cache client",
        "**Dashboards",
        "**Process",
        "**Process",
    ]
    assert "Cap the eviction rate per node." in actions[0]


# Times in another zone than the site's: each row keeps its stamp in brackets before its
# words, which must not hide what the words say.
STAMP_KEPT = """\
# 2025-07-09 Dashboard errors

## Timeline

_All times in Pacific Time (PT)_

- **[9:05AM]**: The dashboard's API calls begin failing after a node rebalance
- **[9:40AM]**: Report from customer that the dashboard shows errors
- **[10:10AM]**: The dashboard is fully restored
"""


def test_the_stamp_kept_in_brackets_does_not_hide_a_report_from_a_customer(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = front(imported(project, capsys, STAMP_KEPT))
    assert "detected: 2025-07-09T16:40:00Z" in meta


def test_an_update_whose_date_is_longer_than_its_words_keeps_its_words(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(
        project,
        capsys,
        "---\ntitle: Short updates\ndate: 2024-03-11 08:10 UTC\nupdates:\n"
        "- status: investigating\n  body: Looking into it\n  at: 2024-03-11 09:10 UTC\n"
        "- status: resolved\n  body: All fixed\n  at: 2024-03-11 10:10 UTC\n---\n",
    )
    got = rows(text)
    assert [time for time, _ in got] == ["2024-03-11 09:10", "2024-03-11 10:10"]
    assert got[1][1].endswith("**resolved**: All fixed")


def test_one_dated_element_alone_is_no_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(
        project,
        capsys,
        "---\ntitle: Note\ndate: 2024-03-11\n---\n\n## Summary\n\nThe export queue.\n\n"
        '<time datetime="2024-03-11T08:00:00Z">Monday morning</time> the queue stalled.\n'
        "\nIt was restarted by hand.\n",
    )
    assert "## Timeline\n\nTBD" in text
    assert "Monday morning" in text.split("## Timeline")[0]


def test_a_cause_hedged_beside_a_plain_end_does_not_hedge_the_end() -> None:
    rows = [
        (datetime(2024, 5, 3, 9, 0, tzinfo=UTC), "The file server stops answering."),
        (
            datetime(2024, 5, 3, 9, 40, tzinfo=UTC),
            "Service is restored. Apparently the disk controller had reset.",
        ),
    ]
    moments = infer(rows, "", TimeContext(UTC, day=date(2024, 5, 3), year=2024))
    assert moments.resolved is not None
    assert moments.resolved.at == datetime(2024, 5, 3, 9, 40, tzinfo=UTC)
