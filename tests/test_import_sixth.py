"""Shapes of a sixth set of real write-ups: status pages kept in git whose updates carry
their date in a fenced container's opening line, or a local stamp in the text, and action
items written under sub-headings. Every fixture is an invented incident written in the
shape of a published one."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from import_shapes import front, import_project, imported, rows, section
from mkdocs_postmortems.core.times import TimeContext
from mkdocs_postmortems.importers.moments import infer
from mkdocs_postmortems.importers.wording import DETECTED


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return import_project(tmp_path, monkeypatch)


# A StatusKit page: the opening post at the page's date, each update a ":::" container
# whose opening line names its state and its instant after a bar; the last runs into the
# next day.
FENCED = """\
---
title: Builds stuck in the west region
date: '2022-05-02T09:14:00.000Z'
severity: partial-outage
resolved: true
---
We are looking into builds that never leave the queue in the west region.

::: update Update | 2022-05-02T09:40:00.000Z
Queued builds are sent to the east region for now.
:::

::: update Resolved | 2022-05-03T01:05:00.000Z
Builds run in the west region again.
:::
"""


def test_fenced_updates_with_a_date_after_a_bar_are_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, FENCED)
    got = rows(text)
    assert [time for time, _ in got] == [
        "2022-05-02 09:14:00",
        "2022-05-02 09:40:00",
        "2022-05-03 01:05:00",
    ]
    assert "looking into builds that never leave the queue" in got[0][1]
    assert "**Update**: Queued builds are sent to the east region" in got[1][1]
    assert "**Resolved**: Builds run in the west region again." in got[2][1]
    assert "resolved: 2022-05-03T01:05:00Z" in front(text)


def test_a_fenced_update_left_open_ends_with_its_paragraph(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last container is never closed: it holds its paragraph, not the comment below."""
    source = (
        "---\ntitle: Login page slow\ndate: '2022-06-07T07:00:00.000Z'\n---\n"
        "Since this morning's release the login page takes seconds to load.\n\n"
        "::: update Resolved | 2022-06-07T08:30:00.000Z\n"
        "The release is rolled back; the login page is fast again.\n\n"
        "<!-- written by the on-call engineer -->\n"
    )
    text = imported(project, capsys, source)
    got = rows(text)
    assert [time for time, _ in got] == ["2022-06-07 07:00:00", "2022-06-07 08:30:00"]
    assert "the login page is fast again." in got[1][1]
    assert "on-call engineer" not in got[1][1]


def test_a_fenced_block_without_a_date_is_left_as_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "---\ntitle: Cache cold after deploy\ndate: 2022-06-07\n---\n"
        "::: warning Note | read this first\nThe cache warms in an hour.\n:::\n"
    )
    text = imported(project, capsys, source)
    assert "::: warning Note | read this first" in text
    assert "| 2022" not in text.split("## Timeline", 1)[-1][:200]


# A status page whose updates are a list below a label of their own, each stamped as
# ctime writes it, the last on the next day.
LABELLED = """\
---
title: Jobs wait in the queue
date: 2023-02-14T10:05:00+01:00
resolvedWhen: 2023-02-14T12:40:00+01:00
---

Jobs stay queued and are not picked up by any runner.
We are looking into it.

Progress:

- Tue Feb 14 09:50:11 UTC: The runners are restarted one by one.
- Tue Feb 14 11:38:40 UTC: Every queued job has run.
  The cause is not known yet.
- Wed Feb 15 06:02:09 UTC: No job waited overnight.
"""


def test_a_label_over_a_stamped_list_is_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, LABELLED)
    got = rows(text)
    assert [time for time, _ in got] == [
        "2023-02-14 09:50:11",
        "11:38:40",
        "2023-02-15 06:02:09",
    ]
    assert "The cause is not known yet." in got[1][1]
    assert "Jobs stay queued" in section(text, "Summary")


def test_a_label_over_a_list_then_prose_is_left_as_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The list is not all that follows the label: the label heads more than a timeline."""
    text = imported(project, capsys, LABELLED + "\nWe keep watching the queue this week.\n")
    assert rows(text) == []
    assert "Progress:" in text


# A handbook page: commitments under "Looking Forward:", grouped by team and by stage in
# sub-headings that end with a colon of their own.
LOOKING_FORWARD = """\
## What happened:

On 2022-04-05 a schema change locked the orders table for most of the afternoon.

## Looking Forward:

We are changing how schema changes reach production.

### Database team:

#### Before a change

- Run every migration against a copy of production first.
- Time each migration and refuse the ones that lock a table.

### Support:

- Publish a template for telling customers about a locked table.

We will update this page as the work lands.
"""


def test_commitments_under_looking_forward_are_the_action_items(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, LOOKING_FORWARD)
    items = re.findall(r"^\| (.+?) \| TBD \|", section(text, "Action Items"), re.MULTILINE)
    assert items == [
        "**Before a change:** Run every migration against a copy of production first.",
        "**Before a change:** Time each migration and refuse the ones that lock a table.",
        "**Support:** Publish a template for telling customers about a locked table.",
    ]


UTC = timezone.utc


def _resolved(*events: str) -> datetime | None:
    rows = [(datetime(2024, 5, 3, 9, 0, tzinfo=UTC), "The name servers stop answering.")]
    rows += [(datetime(2024, 5, 3, 10 + k, 0, tzinfo=UTC), e) for k, e in enumerate(events)]
    moments = infer(rows, "", TimeContext(UTC, day=date(2024, 5, 3), year=2024))
    return moments.resolved.at if moments.resolved else None


@pytest.mark.parametrize("event", ["trees re-open", "Signups reopened for everyone."])
def test_what_was_closed_to_users_opening_again_ends_the_incident(event: str) -> None:
    assert _resolved("The release trees are closed.", event) == datetime(
        2024, 5, 3, 11, 0, tzinfo=UTC
    )


@pytest.mark.parametrize("event", ["The incident is reopened.", "Ticket reopened by support."])
def test_an_incident_or_a_ticket_reopened_ends_nothing(event: str) -> None:
    assert _resolved("The release trees are closed.", event) is None


def test_an_end_that_did_not_hold_gives_way_to_the_one_after_the_relapse() -> None:
    """The problem comes back ("a recurring issue ... don't work as expected") after a
    first resolution: the incident ends when the systems run normally again."""
    at = _resolved(
        "This issue has been resolved. We keep watching.",
        "There seems to be a recurring issue. Exports don't work as expected.",
        "All systems are running normally again.",
    )
    assert at == datetime(2024, 5, 3, 12, 0, tzinfo=UTC)


# A write-up told in prose: the harm measured in its first sentence, a second bout of it
# observed later, the alerts untimed.
SPIKE = """\
---
title: Slow timelines
date: 2023-03-09
---

On March 9th, 2023 at approximately 08:40 UTC the forum experienced a spike in
response times. The service appeared to settle until about 10:05 UTC when another
spike in response times was observed.

Alerts fired in our chat to tell us about it.
"""


def test_a_spike_experienced_is_the_start_and_another_observed_no_detection(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = front(imported(project, capsys, SPIKE))
    assert "started: 2023-03-09T08:40:00Z" in meta
    assert "detected: TBD" in meta


# A handbook page: the defect found at a stated time, in the summary's prose.
IDENTIFIED = """\
## Summary:

On 2023-06-12 at 14:20 UTC, we identified a bug in our exporter that wrote session tokens
to a debug log. We identified the issue as a leftover logging call and removed it.
"""


def test_a_bug_identified_is_the_detection(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "detected: 2023-06-12T14:20:00Z" in front(imported(project, capsys, IDENTIFIED))


def test_the_issue_identified_as_its_cause_is_no_detection() -> None:
    assert DETECTED.search("we identified a bug in our exporter")
    assert not DETECTED.search("We identified the issue as a leftover logging call.")
