"""The moments of write-ups in shapes nobody had studied (importers/moments.py,
importers/front_matter.py), read by class: the day "yesterday" counts from, the words that
only look like a detection, and the times whose zone the source never names. Every fixture
is invented, in the shapes real write-ups take and in others they could take."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from import_shapes import at, context, front, import_project, imported
from mkdocs_postmortems.core.times import TimeContext
from mkdocs_postmortems.importers.moments import infer

UTC = timezone.utc


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return import_project(tmp_path, monkeypatch)


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


# --- a front-matter time in no zone --------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("resolvedWhen", "2024-09-03T09:10:00"),
        ("resolvedWhen", "2024-09-03 09:10"),
        ("ended", "2024-09-03 09:10:00"),
        ("detected", "2024-09-03T08:30:00"),
    ],
)
def test_a_front_matter_time_in_no_zone_of_a_source_in_none_is_not_placed(
    project: Path, capsys: pytest.CaptureFixture[str], key: str, value: str
) -> None:
    # Nothing in the source says where 09:10 is: the author's local time, which no reader
    # can place. The value stays beside a TBD for a person, never written as UTC.
    source = (
        f"---\ntitle: Kernnetz gestört\ndate: 2024-09-03T08:00:01\n{key}: {value}\n---\n\n"
        "### 09:10\n\nDienste kommen wieder online.\n\n### 08:10\n\nAlle Dienste gestört.\n"
    )
    written = front(imported(project, capsys, source))
    moment = "resolved" if key != "detected" else "detected"
    assert f"{moment}: TBD  # source: {value}" in written


def test_a_front_matter_time_with_its_zone_is_kept(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "---\ntitle: Core network down\ndate: 2024-09-03T08:00:01Z\n"
        "resolvedWhen: 2024-09-03T09:10:00+02:00\n---\n\nAll services down.\n"
    )
    written = front(imported(project, capsys, source))
    assert "resolved: 2024-09-03T07:10:00Z" in written


def test_a_front_matter_time_hours_off_the_texts_zoned_one_gives_way(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The key's 12:20 is the text's 14:20 UTC written a zone away (the sentence names CEST):
    # the sentence that names its zone is the reading, the key's value stays beside it.
    source = (
        "---\ntitle: Network problem\nstarted: 2022-10-06 13:00:00Z\n"
        "resolvedWhen: 2022-10-06 12:20:00\n---\n\n"
        "## Summary\n\nThe outage lasted from 15:00 until 16:20 CEST on 2022-10-06.\n"
    )
    written = front(imported(project, capsys, source))
    assert "resolved: 2022-10-06T14:20:00Z  # inferred" in written
    assert "(source: 2022-10-06 12:20:00)" in written


def test_a_front_matter_time_minutes_off_the_text_is_kept(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 16:35 and the text's 16:20: no zone's offset apart, two readings of the end; the key
    # the source set is kept, as before.
    source = (
        "---\ntitle: Network problem\nstarted: 2022-10-06 13:00:00Z\n"
        "resolvedWhen: 2022-10-06 14:35:00\n---\n\n"
        "## Summary\n\nThe outage lasted from 15:00 until 16:20 CEST on 2022-10-06.\n"
    )
    written = front(imported(project, capsys, source))
    assert "resolved: 2022-10-06T14:35:00Z" in written


# --- a window is of the impact when its sentence names a harm ----------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The network instability occurred between 15:48:40 and 16:20:40 CEST.",
        "Intermittent packet loss was seen from 13:48 to 14:20 UTC.",
        "Between 13:48 and 14:20 UTC the scheduler was unresponsive.",
        "The database hung from 13:48 UTC until 14:20 UTC.",
        "Queues were saturated between 13:48 UTC and 14:20 UTC.",
    ],
)
def test_a_window_whose_sentence_names_a_harm(sentence: str) -> None:
    moments = infer([], sentence, TimeContext(UTC, day=date(2022, 10, 6), year=2022))
    assert moments.started is not None
    assert moments.resolved is not None
    assert moments.started.at.astimezone(UTC).strftime("%H:%M") == "13:48"
    assert moments.resolved.at.astimezone(UTC).strftime("%H:%M") == "14:20"


# --- sightings hoped for, and labels that only look like one ------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        "We are putting in monitoring systems to detect these issues before users do",
        "A new check will alert the on-call when the queue grows",
        "Better dashboards would have detected the leak an hour earlier",
        "Notice: resynchronization of the metadata pair finished after 23 hours",
        "We added probes in order to quickly notice a stalled replica",
    ],
)
def test_a_sighting_hoped_for_or_a_label_is_no_detection(event: str) -> None:
    rows = [(at(9, 0), "The file system went down"), (at(10, 0), event)]
    moments = infer(rows, "", context())
    assert moments.detected is None


def test_an_alert_responded_to_is_still_a_detection() -> None:
    rows = [(at(9, 0), "The file system went down"), (at(9, 12), "The on-call responded to alerts")]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(9, 12)


def test_a_change_told_as_the_outcome_is_no_start() -> None:
    # "Resolved: the patch was deployed by 14:30": the remedy, not the change that set the
    # incident off, though the paragraph goes on to tell the impact.
    summary = (
        "Resolved: The patch of the storage servers was deployed by 14:30 UTC. Since the "
        "troubleshooting started we kept the impact of the bugs to one hour of stall."
    )
    moments = infer([], summary, context())
    assert moments.started is None


# --- an HTML list is a list of statements -------------------------------------------------------


def test_each_html_list_item_is_a_statement_of_its_own() -> None:
    # The stamp of the next item is not the time of this one: "investigating" at 17:32.
    summary = (
        "<ul><li><strong>2018-07-16 17:32:53</strong> - We are investigating reports of "
        "elevated error rates.</li><li><strong>2018-07-16 17:34:27</strong> - We are "
        "investigating reports of unavailability.</li></ul>"
    )
    moments = infer([], summary, TimeContext(UTC, day=date(2018, 7, 16), year=2018))
    assert moments.detected is not None
    assert moments.detected.at == datetime(2018, 7, 16, 17, 32, 53, tzinfo=UTC)


# --- an end still under way -------------------------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        "We're monitoring the site as systems recover",
        "Traffic is drained to the west region while the primary is restoring",
        "Writes stay paused until replication recovers",
        "We keep watching the queues as the backlog returns to zero",
    ],
)
def test_an_end_under_way_is_not_the_end(event: str) -> None:
    rows = [(at(9, 0), "The API went down"), (at(9, 30), event)]
    moments = infer(rows, "", context())
    assert moments.resolved is None


def test_a_state_reached_is_the_end() -> None:
    rows = [(at(9, 0), "The API went down"), (at(9, 30), "The incident was marked as resolved")]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(9, 30)


# --- the range grammar of a summary sentence --------------------------------------------------

# Each sentence states the window of the impact on 2024-05-03 (its start and its end in UTC,
# "+1" for the next day): from/between, to/until/through/-/–/and, one zone for both ends or
# one each, a day on one end or both, hedges, across midnight, 12- and 24-hour clocks.
RANGES = [
    ("Between 06:59 UTC to 13:18 UTC customers experienced increased latency.", "06:59", "13:18"),
    ("From 17:39-18:12 UTC the site was down in parts of the continent.", "17:39", "18:12"),
    ("From 11:13 AM to 11:48 AM PDT users could not log in.", "18:13", "18:48"),
    ("Between 16:35 and 17:02 UTC the API returned errors.", "16:35", "17:02"),
    ("Users could not log in from 23:40 UTC on May 3 until 00:25 UTC on May 4.", "23:40", "+00:25"),
    ("The outage lasted from 10:05 PM PDT on May 2 to 1:10 AM PDT on May 3.", "05:05", "08:10"),
    (
        "Between 2024-05-03 09:10 and 2024-05-03 10:40 UTC the API returned errors.",
        "09:10",
        "10:40",
    ),
    ("Errors occurred 09:10–10:40 UTC for all customers.", "09:10", "10:40"),
    ("From 9:10am until 10:40am (EDT), checkout failed.", "13:10", "14:40"),
    ("From 09:10 UTC through 10:40 UTC, the API was degraded.", "09:10", "10:40"),
    ("Between 9.10 and 10.40 UTC the API was down.", "09:10", "10:40"),
    ("From 23:50 to 00:20 UTC the service was unavailable.", "23:50", "+00:20"),
    ("From 10:00 UTC (May 3) to 02:00 UTC (May 4) builds failed.", "10:00", "+02:00"),
    ("Between 9:10 and 10:40 a.m. PT the API was down.", "16:10", "17:40"),
    ("Between 1:46pm - 5:30pm EST jobs failed.", "18:46", "22:30"),
    ("From 9 AM to 11 AM UTC uploads failed.", "09:00", "11:00"),
    ("On May 3, from 09:10 until 10:40 UTC, uploads were failing.", "09:10", "10:40"),
    ("Users saw errors from approximately 09:10 to roughly 10:40 UTC.", "09:10", "10:40"),
    ("From 09:10 to 10:40 UTC (90 minutes), users saw errors.", "09:10", "10:40"),
    ("The service was degraded between 09:10 UTC and 10:40 UTC on 2024-05-03.", "09:10", "10:40"),
    ("Between 09:10 and 10:40 (all times UTC) the API was down.", "09:10", "10:40"),
    ("From 2024-05-03T09:10Z to 2024-05-03T10:40Z the API was down.", "09:10", "10:40"),
    ("Between 11:10 and 12:40 CEST the API was down.", "09:10", "10:40"),
    ("Between 05:10 and 06:40 ET the API was down.", "09:10", "10:40"),
    ("The network instability occurred between 11:48:40 and 12:20:40 CEST.", "09:48", "10:20"),
]


def _utc(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return ("+" if moment.day == 4 else "") + moment.strftime("%H:%M")


@pytest.mark.parametrize(("sentence", "start", "end"), RANGES)
def test_the_range_grammar_of_a_summary_sentence(sentence: str, start: str, end: str) -> None:
    moments = infer([], sentence, context())
    assert moments.started is not None
    assert moments.resolved is not None
    assert (_utc(moments.started.at), _utc(moments.resolved.at)) == (start, end)
    assert moments.started.source == sentence


@pytest.mark.parametrize(
    "summary",
    [
        "We had a period from 09:10 to 10:40 UTC in which a bad build was live. This caused "
        "uploads to stop working.",
        "There was a window between 09:10 and 10:40 UTC when the new router took traffic. "
        "During that time, about a third of requests timed out.",
        "A config push ran from 09:10 to 10:40 UTC. It meant that repositories became read-only.",
        "From 09:10 to 10:40 UTC the primary was replaced. Throughout this period writes failed.",
    ],
)
def test_the_harm_told_by_the_next_sentence_makes_the_window_the_impacts(summary: str) -> None:
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.resolved is not None
    assert (_utc(moments.started.at), _utc(moments.resolved.at)) == ("09:10", "10:40")


def test_a_window_followed_by_no_harm_is_not_the_impacts() -> None:
    summary = "A maintenance ran from 09:10 to 10:40 UTC. This was announced a week before."
    moments = infer([], summary, context())
    assert moments.resolved is None


# --- planned work, one time told in several zones, and a post's markup ------------------------


@pytest.mark.parametrize(
    ("summary", "start", "end"),
    [
        (
            "Update: This maintenance window has concluded at 10:40 AM PDT.\n\n"
            "On Friday, May 3 at 9:00am PDT (12:00pm EDT, 16:00 UTC), the dashboard will be "
            "having a scheduled downtime of about two hours.",
            "16:00",
            "17:40",
        ),
        (
            "A planned maintenance of the database starts at 16:00 UTC (18:00 CEST). "
            "The upgrade was completed at 17:40 UTC.",
            "16:00",
            "17:40",
        ),
        (
            "The scheduled downtime began at 9:00 AM PT (16:00 UTC). The migration finished "
            "at 17:40 UTC.",
            "16:00",
            "17:40",
        ),
    ],
)
def test_planned_work_starts_when_announced_and_ends_when_concluded(
    summary: str, start: str, end: str
) -> None:
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.resolved is not None
    assert (_utc(moments.started.at), _utc(moments.resolved.at)) == (start, end)


def test_a_posts_directive_date_does_not_date_the_account(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # ".. post:: Apr 20, 2024" is when the notice was posted; the window is on May 3 (title).
    source = (
        ".. post:: Apr 20, 2024\n   :tags: downtime\n\n\n"
        "Dashboard Maintenance Window - May 3, 2024\n==========================================\n\n"
        "**Update: This maintenance window has concluded at 10:40 AM PDT.**\n\n"
        "On Friday, May 3 at 9:00am PDT the dashboard will be having a scheduled downtime.\n"
    )
    written = front(imported(project, capsys, source))
    assert "started: 2024-05-03T16:00:00Z  # inferred" in written
    assert "resolved: 2024-05-03T17:40:00Z  # inferred" in written


# --- detection told as someone reaching someone ------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        "Sheriffs reported issue with update tasks on the release branch",
        "The build cop pings Maria about decision tasks not starting",
        "Support paged @oncall-db about failing writes",
        "Cloud Engineering member informed",
        "The on-call engineer was notified by the help desk",
        "Operators were alerted by a customer call",
    ],
)
def test_someone_reaching_someone_is_a_detection(event: str) -> None:
    rows = [(at(9, 0), "The workers went down"), (at(9, 20), event)]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(9, 20)


def test_pinging_a_lowercase_word_names_no_person() -> None:
    rows = [(at(9, 0), "The workers went down"), (at(9, 20), "The health check pings localhost")]
    assert infer(rows, "", context()).detected is None


# --- a title that gives the window ------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Retrospective: 2024-05-03 worker outage 2024-05-03 23:01 - 2024-05-04 02:40 UTC",
        "Worker outage, May 3 2024, 23:01 to 02:40 UTC",
        "Postmortem: workers down between 23:01 and 02:40 UTC (May 3, 2024)",
    ],
)
def test_a_title_that_gives_the_window(
    project: Path, capsys: pytest.CaptureFixture[str], title: str
) -> None:
    source = f"# {title}\n\n## Background\n\nThe provisioner stopped creating instances.\n"
    written = front(imported(project, capsys, source))
    assert "started: 2024-05-03T23:01:00Z" in written
    assert "resolved: 2024-05-04T02:40:00Z  # inferred" in written


# --- the end in other words --------------------------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        "Team starts a call and successfully restarts the hub",
        "Tasks started greening up afterwards",
        "All systems operational",
        "Users can log in again",
        "Traffic is flowing normally",
        "Builds are green again",
        "Confirmed expected behaviour resumed",
        "We confirmed the outage was over",
        "No more errors after the rollback",
        "Logins succeed again",
        "Successfully rolled back the release",
    ],
)
def test_the_end_in_other_words(event: str) -> None:
    rows = [(at(9, 0), "The API went down"), (at(9, 10), "We were paged"), (at(10, 0), event)]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(10, 0)


@pytest.mark.parametrize(
    "event",
    [
        "We could not log in to the console again",
        "The restart did not succeed; we tried again",
        "New errors after the rollback",
    ],
)
def test_words_near_an_end_that_are_not_one(event: str) -> None:
    rows = [(at(9, 0), "The API went down"), (at(9, 10), "We were paged"), (at(10, 0), event)]
    assert infer(rows, "", context()).resolved is None


# --- a security harm is the start ------------------------------------------------------------


@pytest.mark.parametrize(
    "summary",
    [
        "At 4:11 AM UTC on May 3rd, a number of our SDK packages were compromised with a worm.",
        "At 04:11 UTC the publishing token was leaked in a public build log.",
        "Our download mirror was defaced at 04:11 UTC.",
        "At 04:11 UTC the signing key got exposed through a misconfigured bucket.",
    ],
)
def test_a_security_harm_told_in_the_summary_is_the_start(summary: str) -> None:
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.started.at == at(4, 11)


def test_a_harm_denied_is_no_start() -> None:
    summary = "At 04:11 UTC we rotated the keys; no customer data was exposed."
    moments = infer([], summary, context())
    assert moments.started is None


def test_a_harm_said_not_to_have_happened_is_no_start() -> None:
    summary = "At 04:11 UTC we checked the packages: they were not compromised."
    assert infer([], summary, context()).started is None


@pytest.mark.parametrize(
    "sentence",
    [
        "By 9:30 AM UTC, we had deleted the malicious packages and revoked the tokens.",
        "At 09:30 UTC the leaked keys were rotated.",
        "The compromised release was pulled from the registry at 09:30 UTC.",
    ],
)
def test_without_a_timeline_the_harm_contained_ends_it(sentence: str) -> None:
    summary = f"At 04:11 UTC a number of our packages were compromised. {sentence}"
    moments = infer([], summary, context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(9, 30)


def test_with_a_timeline_the_harm_contained_waits_for_its_rows() -> None:
    # The rows tell the end; the summary's containment is one step of them.
    rows = [(at(4, 11), "Packages were compromised"), (at(11, 0), "All installs restored")]
    summary = "By 9:30 AM UTC, we had revoked the tokens."
    moments = infer(rows, summary, context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(11, 0)
