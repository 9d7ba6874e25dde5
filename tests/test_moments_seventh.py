"""The moments of write-ups in shapes nobody had studied (importers/moments.py,
importers/front_matter.py), read by class: the day "yesterday" counts from, the words that
only look like a detection, and the times whose zone the source never names. Every fixture
is invented, in the shapes real write-ups take and in others they could take."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from import_shapes import front, imported
from mkdocs_postmortems.core.times import TimeContext
from mkdocs_postmortems.importers.moments import infer

UTC = timezone.utc


def at(hour: int, minute: int, day: int = 3) -> datetime:
    return datetime(2024, 5, day, hour, minute, tzinfo=UTC)


def context() -> TimeContext:
    return TimeContext(UTC, day=date(2024, 5, 3), year=2024)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - postmortems:\n      folder: postmortems\n      timezone: UTC\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- "yesterday" counts from the day the author wrote ------------------------------------------

# A post stamped in UTC just after midnight, written the evening before where its author is:
# the title names the incident's day, "yesterday" the day before the writing.
_YESTERDAY = """---
title: {title}
date: 2024-03-{posted}
---

Yesterday, the upload service was unavailable from {span} ({zone}) for all customers.
"""


@pytest.mark.parametrize(
    ("title", "posted", "span", "zone", "start", "end"),
    [
        # Written on the 12th in Pacific Time (the stamp is the 13th in UTC).
        (
            "March 11 upload outage",
            "13T01:15:00Z",
            "09:10 to 10:40",
            "Pacific Time",
            "2024-03-11T16:10:00Z",
            "2024-03-11T17:40:00Z",
        ),
        # Written on the 12th in Berlin at 23:30 (22:30 UTC): the same day in both.
        (
            "Upload outage",
            "12T22:30:00Z",
            "14:00 until 15:20",
            "CET",
            "2024-03-11T13:00:00Z",
            "2024-03-11T14:20:00Z",
        ),
        # Written on the 13th in Tokyo at 08:00 (the 12th at 23:00 UTC).
        (
            "Upload outage on March 12",
            "12T23:00:00+00:00",
            "10:00-11:30",
            "JST",
            "2024-03-12T01:00:00Z",
            "2024-03-12T02:30:00Z",
        ),
    ],
)
def test_yesterday_counts_from_the_day_the_author_wrote(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    title: str,
    posted: str,
    span: str,
    zone: str,
    start: str,
    end: str,
) -> None:
    source = _YESTERDAY.format(title=title, posted=posted, span=span, zone=zone)
    written = front(imported(project, capsys, source))
    assert f"started: {start}  # inferred" in written
    assert f"resolved: {end}  # inferred" in written


def test_yesterday_in_a_post_dated_by_its_day_alone(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A day with no time of its own is the day the author wrote, as written.
    source = (
        "---\ntitle: Upload outage\ndate: 2024-03-12\n---\n\n"
        "Yesterday the upload service was unavailable from 09:10 to 10:40 UTC.\n"
    )
    written = front(imported(project, capsys, source))
    assert "started: 2024-03-11T09:10:00Z  # inferred" in written


# --- words that only look like a detection -----------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        "We started getting pages for widespread failures",
        "The on-call was getting alerts about the queue",
        "Got alarms from the storage cluster",
    ],
)
def test_pages_being_received_are_a_detection(event: str) -> None:
    rows = [(at(9, 0), "Config pushed"), (at(9, 20), event), (at(10, 0), "Service restored")]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(9, 20)


@pytest.mark.parametrize(
    "event",
    [
        "The last alert stopped, and the system had fully recovered",
        "All alarms cleared",
        "The page auto-resolved once traffic drained",
        "Final alert resolved; error rates back to baseline",
        "Alerts went quiet after the failover",
    ],
)
def test_an_alert_that_ends_is_no_detection(event: str) -> None:
    # Only the end of the alerts is told: nothing says when anyone first saw the fault.
    rows = [(at(9, 0), "The cluster went down"), (at(10, 0), event)]
    moments = infer(rows, "", context())
    assert moments.detected is None
