"""The moments of write-ups in shapes a fourth set of real ones showed (importers/moments.py,
importers/stated.py): which words tell a moment and which only look like it, which day a
sentence belongs to, and what a source's own keys leave to the text. Every fixture is
invented, in the shape of what was met."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from import_shapes import at, context
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.times import TimeContext
from mkdocs_postmortems.importers.moments import infer

UTC = timezone.utc


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - postmortems:\n      folder: postmortems\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _import(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, name: str = "ledger.md"
) -> tuple[dict, str]:
    source = project / name
    source.write_text(text, encoding="utf-8")
    assert main(["import", str(source), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)["files"][0]
    return report, Path(report["target"]).read_text(encoding="utf-8")


def _front(text: str) -> str:
    return text.split("---")[1]


# --- a day is no time ------------------------------------------------------------------------


def test_a_day_given_as_the_start_is_no_time(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A page dated with its day alone: 00:00 holds the place and the line says so, as when
    # the day comes from the title; it is not the source's time.
    source = "---\ndate: 2024-05-20\n---\n\n# Mirror sync stalled\n\nIndexes went stale.\n"
    _, text = _import(project, capsys, source)
    assert (
        "started: 2024-05-20T00:00:00Z  # only the day is known: complete the time (source: "
        "2024-05-20)\n"
    ) in text


def test_a_day_given_as_the_start_takes_the_time_the_text_states(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Feed outage\n\n**Date:** 2024-05-20\n\n"
        "**Summary:** For 50 minutes (10:10 UTC - 11:00 UTC) the price feed was down.\n"
    )
    _, text = _import(project, capsys, source)
    front = _front(text)
    assert "started: 2024-05-20T10:10:00Z  # inferred" in front
    assert "resolved: 2024-05-20T11:00:00Z  # inferred" in front


# --- what only looks like a detection --------------------------------------------------------


def test_an_html_comment_states_no_moment(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A comment is hidden from the page's readers: the author's note, not the account.
    source = (
        "# Relay backlog\n\nAll times are UTC.\n\nRelays fell behind on 2024-05-03.\n\n"
        "<!--\nchecked again at 2024-05-03 07:00 UTC, the on-call noticed nothing new\n-->\n"
    )
    report, text = _import(project, capsys, source)
    assert "detected: TBD" in _front(text)
    assert report["inferred"] == []


@pytest.mark.parametrize(
    "event",
    [
        "A notice to customers is posted on the status page",
        "This notice was last revised",
        "The public notice goes out by mail",
        "We sent notices to every customer",
        "Maintenance notices posted on the forum",
    ],
)
def test_a_notice_is_a_message_not_a_sighting(event: str) -> None:
    rows = [(at(9, 0), "Queue stalled"), (at(9, 30), event), (at(10, 0), "Queue restored")]
    assert infer(rows, "", context()).detected is None


def test_a_person_who_notices_is_a_detection() -> None:
    rows = [(at(9, 0), "Queue stalled"), (at(9, 20), "Dana notices the backlog on the graph")]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(9, 20)


def test_a_value_reported_by_others_is_no_detection() -> None:
    rows = [
        (at(9, 0), "The node panics on a state mismatch"),
        (at(9, 30), "Node rebuilt from a binary whose checksum matches the one reported by peers"),
        (at(10, 0), "The node is signing again"),
    ]
    assert infer(rows, "", context()).detected is None


def test_a_fault_reported_by_someone_is_a_detection() -> None:
    rows = [(at(9, 0), "Deploy of the cache"), (at(9, 12), "Errors reported by two customers")]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(9, 12)


def test_the_first_signs_are_the_start_not_the_detection() -> None:
    # Symptoms "detected" with nobody who saw them: the logs read afterwards date the start.
    rows = [
        (at(1, 58), "Validator signing normally"),
        (at(2, 0), "Initial symptoms detected: proposals rejected, rounds timing out"),
        (at(2, 8), "Consensus back to normal without any intervention"),
    ]
    moments = infer(rows, "", context())
    assert moments.started is not None
    assert moments.started.at == at(2, 0)
    assert moments.detected is None


def test_a_sighting_the_row_denies_is_no_detection() -> None:
    rows = [
        (
            at(19, 45),
            "Earliest sign of trouble: a relay stops logging (found in the logs later, "
            "not noticed at the time)",
        ),
        (at(20, 0), "The ledger-age alert fires on the history nodes"),
        (at(21, 30), "Relays recovered after the filter went out"),
    ]
    moments = infer(rows, "", context())
    assert moments.started is not None
    assert moments.started.at == at(19, 45)
    assert moments.detected is not None
    assert moments.detected.at == at(20, 0)


# --- what only looks like a start ------------------------------------------------------------


def test_the_team_starting_its_response_is_no_start() -> None:
    rows = [
        (at(15, 0), "Ledger halts at height 88120"),
        (at(15, 10), "An operator spots the halt and escalates to the core team"),
        (at(18, 0), "The core team acknowledges the problem and starts the investigation"),
        (at(9, 0, day=4), "The upgrade is applied and the ledger resumes"),
    ]
    moments = infer(rows, "", context())
    assert moments.started is not None
    assert moments.started.at == at(15, 0)
    assert moments.detected is not None
    assert moments.detected.at == at(15, 10)


# --- the day and the time in two columns -----------------------------------------------------


def test_a_table_with_the_day_and_the_time_in_two_columns(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "---\ndate: 2024-03-20\n---\n\n# Gossip flood\n\nOn March 4, 2024 peers were flooded."
        "\n\n## Timeline\n\n| Date | Time (PT) | Event |\n|---|---|---|\n"
        "| Mon, Mar 4 | 9:15 PM | First signs of the flood: a relay stops logging |\n"
        "| Mon, Mar 4 | 9:40 PM | The peer-count alert fires on every relay |\n"
        "| Tue, Mar 5 | 1:05 AM | Relays recovered after the message cap went out |\n"
    )
    report, text = _import(project, capsys, source)
    # Pacific Time kept UTC-8 on March 4: each row eight hours later in UTC.
    assert "| 2024-03-05 05:15 | (Mon, Mar 4 9:15 PM) First signs of the flood" in text
    assert "imported from a table headed: Date | Time (PT) | Event" in text
    front = _front(text)
    assert "started: 2024-03-05T05:15:00Z  # inferred" in front
    assert "detected: 2024-03-05T05:40:00Z  # inferred" in front
    assert "resolved: 2024-03-05T09:05:00Z  # inferred" in front
    assert report["words"] == report["words_kept"]


# --- who tells of it, and what finding the cause is -----------------------------------------


def test_a_user_who_notifies_is_a_detection() -> None:
    rows = [
        (at(10, 30), "The price oracle stops updating"),
        (at(11, 7), "A user notifies odd quotes in the community chat"),
        (at(14, 49), "The engine is pointed at the new oracle and quotes are back to normal"),
    ]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(11, 7)


def test_finding_the_cause_is_no_detection() -> None:
    rows = [
        (at(9, 0), "The database locks up and the API returns errors"),
        (at(12, 0), "We discovered the real cause: the nightly vacuum job"),
        (at(12, 30), "Service restored"),
    ]
    assert infer(rows, "", context()).detected is None


# --- windows and statuses --------------------------------------------------------------------


def test_a_window_of_problems_in_brackets() -> None:
    summary = "For 2 hours 5 minutes (10:30 UTC - 12:35 UTC) the feed had problems."
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.resolved is not None
    assert (moments.started.at, moments.resolved.at) == (at(10, 30), at(12, 35))


def test_a_service_that_blocked_is_the_impact() -> None:
    summary = "From 10:30 UTC until 12:35 UTC the oracle blocked every conversion."
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.started.at == at(10, 30)


def test_a_window_of_several_periods_ends_with_the_last() -> None:
    summary = (
        "Downloads had problems from about 7:08 UTC until 10:40 UTC, and again from 19:03 UTC "
        "until 19:19 UTC."
    )
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.resolved is not None
    assert (moments.started.at, moments.resolved.at) == (at(7, 8), at(19, 19))


def test_two_ranges_of_different_things_keep_the_first_window() -> None:
    summary = "Uploads failed from 09:00 UTC to 09:40 UTC; backups ran from 10:00 UTC to 11:00 UTC."
    moments = infer([], summary, context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(9, 40)


@pytest.mark.parametrize(
    "line",
    [
        "- Resolution status: resolved @ 15:22 ICT, May 3 2024",
        "- Status: Closed at 08:22 UTC",
    ],
)
def test_a_status_that_says_when_it_ended(line: str) -> None:
    moments = infer([], "The relayer was offline.", context(), f"## Details\n\n{line}\n")
    assert moments.resolved is not None
    assert moments.resolved.at == at(8, 22)


def test_a_status_without_an_end_states_none() -> None:
    document = "- Status: investigating since 08:22 UTC\n"
    assert infer([], "The relayer was offline.", context(), document).resolved is None


def test_a_source_key_that_tells_how_not_when_leaves_the_time_to_the_text(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Quote engine halt\n\n**Date:** 2024-05-20\n\n"
        "**Detection:** A trader in the chat said quotes were frozen.\n\n## Timeline\n\n"
        "2024-05-20 (all times UTC)\n\n- 10:30 the quote engine halts\n"
        "- 11:07 a user notifies frozen quotes in the chat\n"
        "- 12:49 the engine is back to normal\n"
    )
    report, text = _import(project, capsys, source)
    front = _front(text)
    assert (
        'detected: 2024-05-20T11:07:00Z  # inferred, please confirm: "a user notifies frozen '
        'quotes in the chat" (source: A trader in the chat said quotes were frozen.)'
    ) in front
    assert report["words"] == report["words_kept"]


# --- which day a sentence's time belongs to --------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("At around 2am UTC of the following night the vote passed", datetime(2024, 5, 4, 2, 0)),
        ("The next morning at 09:10 UTC we restarted the nodes", datetime(2024, 5, 4, 9, 10)),
        ("Service resumed at 18:00 UTC the next day", datetime(2024, 5, 4, 18, 0)),
        ("The evening before, at 21:00 UTC, the flag was set", datetime(2024, 5, 2, 21, 0)),
        ("At 21:00 UTC on the previous day the flag was set", datetime(2024, 5, 2, 21, 0)),
        ("At 09:00 UTC we deployed, and the next day was quiet", datetime(2024, 5, 3, 9, 0)),
        ("We rolled back at 10:00 UTC, the next day we shipped a fix", datetime(2024, 5, 3, 10, 0)),
    ],
)
def test_a_day_told_relative_to_the_one_carried(sentence: str, expected: datetime) -> None:
    readings = context().find(sentence)
    assert [r.at for r in readings] == [expected.replace(tzinfo=UTC)]


def test_a_sentence_on_the_following_night_starts_the_next_day() -> None:
    summary = (
        "- On 3 May 2024, around 9pm UTC, a parameter proposal was submitted.\n"
        "- At around 3am UTC of the following night the proposal passed, and the chain halted."
    )
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.started.at == at(3, 0, day=4)


# --- a disclosure's report and a release's end ------------------------------------------------


def test_a_reporter_who_reports_a_named_bug_is_the_detection() -> None:
    rows = [
        (at(14, 57), "An outside researcher reports parser crash bug to three maintainers"),
        (at(20, 15), "Two reviewers are informed so they can help with the advisory"),
    ]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(14, 57)


@pytest.mark.parametrize(
    "event",
    [
        "Release binaries and the announcement were available on the site",
        "The patched packages are now available from the mirrors",
        "The app set to Removed From Sale in the store console",
        "The compromised versions were unpublished from the registry",
    ],
)
def test_the_fixed_release_out_or_the_bad_one_withdrawn_ends_the_harm(event: str) -> None:
    rows = [
        (at(9, 0), "A researcher reports a signing bug to the security inbox"),
        (at(11, 0), "Version 4.1.0rc2 tagged"),
        (at(13, 30), event),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(13, 30)


@pytest.mark.parametrize(
    "event", ["The release notes are available on the blog", "Build logs are now available"]
)
def test_notes_and_logs_made_available_end_nothing(event: str) -> None:
    rows = [(at(9, 0), "A researcher reports a signing bug"), (at(13, 30), event)]
    assert infer(rows, "", context()).resolved is None


def test_a_service_that_became_unavailable_is_no_end() -> None:
    rows = [
        (at(9, 0), "Customers report failed logins"),
        (at(9, 30), "The login page became unavailable for every region"),
    ]
    assert infer(rows, "", context()).resolved is None


def test_a_first_row_that_tells_the_detection_is_the_start_to_confirm(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The harm began before anyone was told of it, at a time this text does not give: the
    # first thing known is the start a reader writes down, and the person is asked to confirm.
    source = (
        "# Package compromise\n\nAll times are UTC.\n\n## Timeline\n\n"
        "| Time | Event |\n|---|---|\n"
        "| 2024-05-20 08:14 | A researcher alerted the maintainers to a tampered release |\n"
        "| 2024-05-20 12:34 | Tampered versions unpublished; the incident is resolved |\n"
    )
    _, text = _import(project, capsys, source)
    front = _front(text)
    assert (
        'started: 2024-05-20T08:14:00Z  # inferred, please confirm: "A researcher alerted' in front
    )
    assert "detected: 2024-05-20T08:14:00Z  # inferred" in front
    assert "resolved: 2024-05-20T12:34:00Z  # inferred" in front


@pytest.mark.parametrize(
    "event",
    ["Initial discovery: issue identified and reported.", "Issue identified and reported"],
)
def test_a_discovery_named_as_an_event_is_the_detection(event: str) -> None:
    rows = [(at(13, 39), event), (at(13, 49), "The network resumed normal behavior")]
    moments = infer(rows, "Nodes crashed at 13:39 UTC.", context())
    assert moments.detected is not None
    assert moments.detected.at == at(13, 39)


# --- a day named from the day of writing, and a window open at its start ---------------------


def _written_on(day: date) -> TimeContext:
    return TimeContext(UTC, day=day, year=day.year, today=day)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The date in brackets is the start's; "this morning" is the day of writing.
        ("From late on (May 2nd) until 10:45 UTC this morning", datetime(2024, 5, 3, 10, 45)),
        ("Yesterday at 22:10 UTC the disk filled", datetime(2024, 5, 2, 22, 10)),
        ("Earlier today, at 06:30 UTC, the queue stalled", datetime(2024, 5, 3, 6, 30)),
    ],
)
def test_a_day_named_from_the_day_of_writing(sentence: str, expected: datetime) -> None:
    readings = _written_on(date(2024, 5, 3)).find(sentence)
    assert [r.at for r in readings] == [expected.replace(tzinfo=UTC)]


def test_this_morning_without_a_day_of_writing_keeps_the_day_carried() -> None:
    readings = context().find("On May 1st the disk filled, and 10:45 UTC this morning it emptied")
    assert [r.at for r in readings] == [at(10, 45, day=1)]


def test_a_window_open_at_its_start_gives_its_end(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "---\ntitle: Post-mortem of today's upload outage\n---\n\n"
        "For about ten hours, from late last night (May 19th) US Eastern time until roughly "
        "9:40am this morning, gem uploads failed.\n"
    )
    _, text = _import(project, capsys, source, name="2024-05-20-upload-outage.md")
    front = _front(text)
    # 9:40 EDT on the day of writing (the file's day) is 13:40 UTC.
    assert "resolved: 2024-05-20T13:40:00Z  # inferred" in front
    assert "started: 2024-05-20T00:00:00Z  # only the day is known" in front


def test_a_window_open_at_its_start_in_a_sentence_without_impact_gives_nothing() -> None:
    summary = "From early on until 10:45 UTC the team reviewed the dashboards."
    assert infer([], summary, context()).resolved is None


# --- a zone written once, with the first time of the prose ----------------------------------


def test_a_zone_written_with_the_first_time_holds_for_the_bare_times_after_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Checkout latency\n\nTime of Incident: 10:15 AM PST, January 9, 2024\n\n"
        "## What happened\n\nAt 10:15 AM PST checkout latency rose after a cache node failed. "
        "At 10:31 AM the on-call engineer was paged. By 11:40 AM the node was replaced and "
        "latency had returned to normal.\n"
    )
    _, text = _import(project, capsys, source)
    front = _front(text)
    assert "detected: 2024-01-09T18:31:00Z  # inferred" in front
    assert "resolved: 2024-01-09T19:40:00Z  # inferred" in front


def test_a_zone_carried_only_where_asked() -> None:
    # The checker's timeline rules read a bare time in the declared or the file's zone.
    plain = TimeContext(UTC, day=date(2024, 1, 9), year=2024)
    assert [r.at for r in plain.find("At 10:15 PST it failed; at 10:31 we were paged")] == [
        datetime(2024, 1, 9, 18, 15, tzinfo=UTC),
        datetime(2024, 1, 9, 10, 31, tzinfo=UTC),
    ]
    carried = TimeContext(UTC, day=date(2024, 1, 9), year=2024, carry_zone=True)
    readings = carried.find("At 10:15 PST it failed; at 10:31 we were paged")
    assert [r.at for r in readings][1] == datetime(2024, 1, 9, 18, 31, tzinfo=UTC)


def test_a_post_dated_later_the_same_day_is_its_publication(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "---\ntitle: Login outage\ndate: 2024-03-04 18:30:00 -0800\n---\n\n"
        "On Monday, March 4th, from 11:13 AM to 11:48 AM PST, users could not log in.\n\n"
        "## Timeline\n\nAll timestamps are in PST.\n\n"
        "- 11:13 AM: login errors climb to 40%\n"
        "- 11:19 AM: on-call paged by the error-rate monitor\n"
        "- 11:48 AM: login success rate back to normal\n"
    )
    _, text = _import(project, capsys, source)
    front = _front(text)
    assert "started: 2024-03-04T19:13:00Z  # inferred" in front
    assert "detected: 2024-03-04T19:19:00Z  # inferred" in front
    assert "resolved: 2024-03-04T19:48:00Z  # inferred" in front
    assert "published: 2024-03-04  # source: 2024-03-04 18:30:00 -0800" in front


def test_a_sentence_after_yesterday_is_of_yesterday_too() -> None:
    summary = (
        "Yesterday between 21:40 and 23:05 CEST the search index was unavailable. "
        "Our uptime monitor alerted the team at 21:46 CEST."
    )
    moments = infer([], summary, _written_on(date(2024, 6, 12)))
    assert moments.detected is not None
    assert moments.detected.at == datetime(2024, 6, 11, 19, 46, tzinfo=UTC)


def test_a_narrative_end_told_as_the_state_back_again() -> None:
    summary = (
        "At 10:47 PST the feed stopped answering and quotes went stale. At 10:58 PST a "
        "customer reported stale prices to support. By 14:15 PST prices were current again."
    )
    moments = infer([], summary, context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(22, 15)


def test_a_window_of_delays() -> None:
    summary = "Between 01:30 and 03:10 UTC webhook deliveries were delayed by up to 40 minutes."
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.resolved is not None
    assert (moments.started.at, moments.resolved.at) == (at(1, 30), at(3, 10))


def test_two_zones_in_the_prose_leave_the_bare_times_to_the_default() -> None:
    carried = TimeContext(UTC, day=date(2024, 1, 9), year=2024, carry_zone=True)
    readings = carried.find("At 10:00 UTC (3:00 AM PDT) it failed; at 10:20 we were paged")
    assert readings[-1].at == datetime(2024, 1, 9, 10, 20, tzinfo=UTC)


def test_a_declared_zone_is_not_replaced_by_a_time_written_in_another() -> None:
    pacific = TimeContext(UTC, day=date(2024, 1, 9), year=2024, carry_zone=True)
    pacific.declare("All times are in PST.")
    readings = pacific.find("At 10:00 (18:00 UTC) it failed; at 10:20 we were paged")
    assert readings[-1].at == datetime(2024, 1, 9, 18, 20, tzinfo=UTC)


def test_the_first_signs_of_recovery_are_no_start() -> None:
    rows = [
        (at(9, 0), "Checkout errors began for every region"),
        (at(9, 40), "First signs of recovery as the cache warms"),
    ]
    moments = infer(rows[1:], "", context())
    assert moments.started is None
    assert infer(rows, "", context()).started == infer(rows[:1], "", context()).started


def test_labels_that_name_the_alert_and_the_mitigation() -> None:
    document = "- Start: 09:02 UTC\n- Alerted at: 09:14 UTC\n- Mitigated at: 10:02 UTC\n"
    moments = infer([], "Uploads failed.", context(), document)
    assert moments.detected is not None
    assert moments.resolved is not None
    assert (moments.detected.at, moments.resolved.at) == (at(9, 14), at(10, 2))


@pytest.mark.parametrize(
    "event", ["Ana receives a page storm from every cluster", "We got an alert from the probe"]
)
def test_a_page_or_an_alert_received_is_the_detection(event: str) -> None:
    rows = [
        (at(13, 6), "Outage begins: search backends start failing under load"),
        (at(13, 7), event),
        (at(13, 12), "Ana declares an incident"),
    ]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(13, 7)


def test_a_post_read_as_published_still_names_the_zone_of_its_text(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The post's offset is the zone of the text's bare times, once its date is read as the
    # day it was published.
    source = (
        "---\ntitle: Login outage\ndate: 2024-03-04 18:30:00 -0800\n---\n\n"
        "On Monday, March 4th, from 11:13 AM to 11:48 AM, users could not log in.\n"
    )
    report, text = _import(project, capsys, source)
    front = _front(text)
    assert "started: 2024-03-04T19:13:00Z  # inferred" in front
    assert "resolved: 2024-03-04T19:48:00Z  # inferred" in front
    assert not [line for line in report["to_complete"] if "names no time zone" in line]
