"""The three moments inferred from a write-up (importers/moments.py), written by
``postmortems import`` with a marker comment, listed in its report, and reported by ``check``
(PM117) until a person removes the marker."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from import_shapes import at, context
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config_file import load_settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.importers.moments import Moments, infer
from mkdocs_postmortems.rules import RULES, RULESET

UTC = timezone.utc


ROWS = [
    (at(10, 58), "Deploy of the pricing service started"),
    (at(11, 2), "Checkout errors began for customers in the EU"),
    (at(11, 9), "The error-rate alert paged the on-call engineer"),
    (at(11, 15), "Incident declared; rollback started"),
    (at(11, 30), "Error rate partially restored"),
    (at(11, 41), "Checkout fully recovered"),
    (at(12, 30), "Incident closed"),
]


def test_moments_from_the_timeline_events() -> None:
    moments = infer(ROWS, "", context())
    assert moments.started is not None
    assert (moments.started.at, moments.started.source) == (ROWS[1][0], ROWS[1][1])
    assert moments.detected is not None
    assert moments.detected.at == at(11, 9)
    assert moments.resolved is not None
    # "partially restored" is not the end; "fully recovered" is.
    assert (moments.resolved.at, moments.resolved.source) == (at(11, 41), ROWS[5][1])


@pytest.mark.parametrize(
    "event",
    [
        "PagerDuty paged the database on-call",
        "We were alerted by a latency monitor",
        "An alert fired for queue depth",
        "Customers reported slow checkouts on social media",
        "Support escalated tickets about failed logins",
        "SRE declared an incident",
        "Incident was opened in the tracker",
        "Monitoring triggered on the error budget burn",
        "The on-call engineer acknowledged the page",
        "Engineers noticed the dashboards were empty",
        "A community member pings the maintainer to inform them of the outage",
        "The vendor notified us about the incident",
        "A package author reports the issue to the help desk",
        "A researcher submits a vulnerability report to the bounty platform",
        "We received a report that downloads were failing",
        "Ticket https://desk.example.org/t/118 is opened about slow logins",
        "A researcher at a scanning firm reports their finding to the security inbox",
        "A node operator notified the core-devs channel in the chat",
        "First validator reports an app hash mismatch on the new release",
    ],
)
def test_detection_in_other_words(event: str) -> None:
    rows = [(at(9, 0), "Config pushed"), (at(9, 20), event), (at(10, 0), "Service restored")]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(9, 20), event


@pytest.mark.parametrize(
    "event",
    [
        "Service restored",
        "All regions recovered",
        "Error rates returned to normal",
        "Latency back to normal",
        "The cluster heals itself and everything returns to normal",
        "Launch success back to 100%",
        "Incident resolved",
        "Services are healthy again",
        "Impact ended after the cache warmed",
        "Mitigated by failing over to the secondary",
        "Incident declared resolved on the status page, but investigations continued",
        # The end said in one sentence, what is left in the next.
        "OUTAGE MITIGATED, a new database host deployed. Its backups are still missing.",
        "Fix deployed to production",
        "Rollback to 4.2 completed on every region",
        "Leaked deploy token revoked",
        "Team pauses the lending market",
        "New blocks being produced again at the usual pace",
    ],
)
def test_resolution_in_other_words(event: str) -> None:
    rows = [(at(9, 0), "Alert fired"), (at(9, 40), event)]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(9, 40), event


@pytest.mark.parametrize(
    "event",
    [
        "Errors began to recover",
        "Service partially restored",
        "Not yet resolved: the backlog keeps growing",
        "Recovering slowly",
        "Still mitigating, more nodes needed",
        "Pipeline triggered to resolve the dashboard issue",
        "Rolled back; errors mostly subsided but latencies persist",
        "A customer wrote that disabling the SDK caused the issues to resolve",
        # A hedged end is no end.
        "Node cordoned, though it appears to have recovered",
        "A first fix is being deployed, mitigating most but not all of the slow queries",
        "Most deployments are up and running again",
    ],
)
def test_no_resolution_before_the_end(event: str) -> None:
    rows = [(at(9, 0), "Alert fired"), (at(9, 40), event)]
    assert infer(rows, "", context()).resolved is None


def test_a_summary_window_states_start_and_end() -> None:
    summary = (
        "Checkout was unavailable for some customers.\n\nOn May 3, 2024, from 11:13 AM to "
        "11:48 AM PDT, payments failed for about a third of requests."
    )
    moments = infer(ROWS, summary, context())
    assert moments.started is not None
    assert moments.resolved is not None
    assert moments.started.at == datetime(2024, 5, 3, 18, 13, tzinfo=UTC)
    assert moments.resolved.at == datetime(2024, 5, 3, 18, 48, tzinfo=UTC)
    assert moments.started.source.startswith("On May 3, 2024, from 11:13 AM")
    # Detection still comes from the timeline, and must not precede the start.
    assert moments.detected is None


def test_between_in_a_summary_and_a_detection_sentence() -> None:
    summary = (
        "Between 16:35 and 17:02 UTC, API requests timed out. We were paged at 16:41 UTC "
        "by the latency alert."
    )
    moments = infer([], summary, context())
    assert [m.at if m else None for m in (moments.started, moments.detected, moments.resolved)] == [
        at(16, 35),
        at(16, 41),
        at(17, 2),
    ]


def test_the_clause_that_names_the_end_gives_its_time() -> None:
    # Two times in one sentence: the first is a step towards recovery, the second the end.
    summary = (
        "On Friday, 2024-05-03 at 08:50 UTC, a DNS change went out and the record stopped "
        "resolving. Around 9:05 UTC the record started to propagate again, and by 9:20 UTC "
        "traffic had returned to normal levels."
    )
    moments = infer([], summary, context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(9, 20)


def test_a_clause_that_is_not_the_end_gives_no_time() -> None:
    summary = "Around 9:05 UTC errors began to recover, and by 9:20 UTC some were still failing."
    assert infer([], summary, context()).resolved is None


def test_a_summary_sentence_states_the_start_when_no_row_does() -> None:
    # The first row is the attacker's preparation hours earlier, not the start of impact.
    rows = [(at(6, 0), "Attacker wallet funded through a bridge"), (at(9, 5), "Second drain")]
    summary = "On May 3, 2024 at 08:41 UTC, an attacker exploited the lending pool's price feed."
    moments = infer(rows, summary, context())
    assert moments.started is not None
    assert moments.started.at == at(8, 41)


def test_a_run_of_text_longer_than_any_sentence_states_no_moment() -> None:
    # A pasted log without a full stop: its times are not the incident's moments, and
    # reading every one of them would cost seconds on a large file.
    run = "Errors began at 09:10 UTC, " + "worker restarted, " * 200
    assert infer([], run, context()).started is None
    assert infer([], "Errors began at 09:10 UTC.", context()).started is not None


def test_a_window_without_impact_words_is_not_the_incident() -> None:
    summary = "The maintenance window runs from 02:00 to 04:00 UTC every Sunday."
    assert infer([], summary, context()).started is None


def test_a_story_summary_starts_with_the_change_that_set_it_off() -> None:
    summary = (
        "On Friday, 2024-05-03 at 09:15 UTC, we rolled out a new proxy configuration. "
        "During the rollout, image downloads failed for most users. By 9:40 UTC traffic "
        "was back to normal."
    )
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.started.at == at(9, 15)
    assert moments.started.source.startswith("On Friday, 2024-05-03 at 09:15 UTC")
    assert moments.resolved is not None
    assert moments.resolved.at == at(9, 40)


def test_a_change_that_broke_nothing_is_no_start() -> None:
    summary = "At 09:15 UTC we rolled out the new proxy configuration as planned."
    assert infer([], summary, context()).started is None


def test_a_duration_lands_the_end_on_a_written_time() -> None:
    summary = (
        "At 14:02 UTC we published version 3.1 of the command-line tool. At 14:20 UTC a user "
        "reported that installs broke. We pulled the release back, an action completed by "
        "14:51 UTC.\n\nFor approximately 48 minutes, installs of the tool failed."
    )
    moments = infer([], summary, context())
    assert [m.at if m else None for m in (moments.started, moments.detected, moments.resolved)] == [
        at(14, 2),
        at(14, 20),
        at(14, 51),
    ]
    assert moments.resolved is not None
    assert moments.resolved.source == "For approximately 48 minutes, installs of the tool failed."


def test_a_duration_line_gives_the_end_from_the_start() -> None:
    rows = [(at(7, 5), "The upload service went down"), (at(7, 12), "On-call paged")]
    moments = infer(rows, "Duration: 1h 25m\n\nUploads failed for everyone.", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(8, 30)
    assert moments.resolved.source == "Duration: 1h 25m"


def test_a_rounded_duration_with_no_time_near_it_gives_no_end() -> None:
    rows = [(at(7, 5), "The upload service went down"), (at(7, 12), "On-call paged")]
    assert infer(rows, "Uploads failed for about 2 hours.", context()).resolved is None


def test_two_times_joined_as_a_range_around_a_bracket() -> None:
    summary = "Date of incident: 3 May 2024 between 10.12UTC (block 88121) and 11.40UTC."
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.resolved is not None
    assert (moments.started.at, moments.resolved.at) == (at(10, 12), at(11, 40))


def test_the_service_failing_is_the_start_when_no_row_says_start() -> None:
    rows = [
        (at(8, 0), "Nightly batch job scheduled"),
        (at(8, 10), "The ledger chain halted at height 5521"),
        (at(8, 14), "Validators reported the halt in the chat"),
        (at(9, 2), "Team restarts the validators; blocks produced again and the chain is back up"),
    ]
    moments = infer(rows, "", context())
    assert moments.started is not None
    assert moments.started.at == at(8, 10)


def test_a_failure_told_after_the_detection_is_not_the_start() -> None:
    rows = [(at(8, 14), "Alert fired on latency"), (at(8, 30), "The cache node crashed")]
    assert infer(rows, "", context()).started is None
    told = [(at(8, 14), "We are informed that the booking site is down")]
    assert infer(told, "", context()).started is None


def test_the_detection_row_that_tells_the_end_in_passing_gives_way_to_the_end() -> None:
    rows = [
        (at(3, 32), "The ledger stalled at height 88121"),
        (at(3, 38), "Monitoring detected the stall; restarting the sequencers resolved it."),
        (at(3, 42), "Blocks being produced again"),
    ]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(3, 38)
    assert moments.resolved is not None
    assert moments.resolved.at == at(3, 42)
    # Alone, the row is both.
    alone = infer(rows[:2], "", context())
    assert alone.resolved is not None
    assert alone.resolved.at == at(3, 38)


def test_an_outage_that_healed_itself_before_anyone_looked() -> None:
    rows = [
        (at(8, 10), "Upload success rate dropped to 0%"),
        (at(8, 31), "The nodes self-heal and uploads return to normal"),
        (at(11, 0), "Engineer noticed the dip on the dashboard; the node seems to have recovered"),
    ]
    moments = infer(rows, "", context())
    assert [m.at if m else None for m in (moments.started, moments.detected, moments.resolved)] == [
        at(8, 10),
        at(11, 0),
        at(8, 31),
    ]


def test_a_third_partys_status_page_gives_way_to_the_fix_in_production() -> None:
    rows = [
        (at(10, 0), "Uploads began failing for package authors"),
        (at(10, 5), "A package author reported the failures to the help desk"),
        (at(10, 40), "The CDN provider updates its status page to say the problem is fixed"),
        (at(11, 5), "Fix deployed to production"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(11, 5)


def test_our_own_status_page_tells_the_end() -> None:
    rows = [
        (at(10, 0), "Alert fired"),
        (at(10, 40), "Incident declared resolved on our status page, investigation goes on"),
        (at(15, 0), "Incident closed"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(10, 40)


def test_a_third_partys_end_is_taken_when_nothing_else_says_it() -> None:
    rows = [
        (at(10, 0), "Alert fired"),
        (at(10, 40), "The vendor posts on its status page: resolved"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(10, 40)


def test_a_fix_in_a_sandbox_is_not_the_end() -> None:
    rows = [(at(10, 0), "Alert fired"), (at(10, 40), "Fix deployed in the staging cluster")]
    assert infer(rows, "", context()).resolved is None


def test_a_properties_table_states_the_moments() -> None:
    # Invented, in the shape of a wiki page's properties table.
    summary = (
        "| Severity | Sev 2 |\n|---|---|\n| Time of incident | May 3, 2024 10:15 AM PDT |\n"
        "| Detected | 10:21 AM PDT |\n| Resolved | 11:40 AM PDT |\n\nThe search API failed."
    )
    moments = infer([], summary, context())
    assert [m.at if m else None for m in (moments.started, moments.detected, moments.resolved)] == [
        at(17, 15),
        at(17, 21),
        at(18, 40),
    ]
    assert moments.started is not None
    assert moments.started.source == "Time of incident: May 3, 2024 10:15 AM PDT"


def test_a_property_line_with_a_range_and_a_duration() -> None:
    summary = "**Time of Incident:** 10:15-11:40 AM PDT\n\nSearch failed for every tenant."
    moments = infer([], summary, context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(18, 40)
    timed = infer([], "Incident start: 10:15 AM PDT\nDuration: 2h 15m\n", context())
    assert timed.resolved is not None
    assert timed.resolved.at == at(19, 30)


@pytest.mark.parametrize(
    "line",
    [
        "Impact: 10:15-11:40 AM PDT, a third of checkouts failed",
        "**Outage window:** between 17:15 and 18:40 UTC",
        "| When | from 10:15 AM to 11:40 AM PDT |",
    ],
)
def test_a_property_with_a_range_is_the_window(line: str) -> None:
    moments = infer([], f"{line}\n\nCheckout was slow.", context())
    assert moments.started is not None
    assert moments.resolved is not None
    assert (moments.started.at, moments.resolved.at) == (at(17, 15), at(18, 40))


def test_a_detection_told_in_another_section_once_the_start_is_known() -> None:
    summary = "On May 3, 2024 at 12:50 UTC, the signing bug was exploited on the main chain."
    document = (
        "## The chain split\n\nA node operator notified the core-devs channel in the chat, "
        "on May 3 at 13:09 UTC. Analysis started soon after.\n"
    )
    moments = infer([], summary, context(), document)
    assert moments.started is not None
    assert moments.detected is not None
    assert (moments.started.at, moments.detected.at) == (at(12, 50), at(13, 9))
    # Without a start, a sentence elsewhere is not enough to date the detection.
    assert infer([], "The chain split.", context(), document).detected is None


def test_each_reading_of_the_text_carries_its_own_days() -> None:
    # A long day: read first, the late property time must not push the morning's start to
    # the next day.
    document = "- Resolution time: 23:55 UTC\n"
    moments = infer([], "Uploads began failing at 09:10 UTC for every user.", context(), document)
    assert moments.started is not None
    assert moments.resolved is not None
    assert (moments.started.at, moments.resolved.at) == (at(9, 10), at(23, 55))


def test_property_lines_elsewhere_in_the_document_count() -> None:
    document = "## Details\n\n- Outage start: 09:02 UTC\n- Outage end: 09:47 UTC\n"
    moments = infer([], "Downloads failed.", context(), document)
    assert moments.started is not None
    assert moments.resolved is not None
    assert (moments.started.at, moments.resolved.at) == (at(9, 2), at(9, 47))


def test_start_and_end_told_in_another_section() -> None:
    document = (
        "## What happened\n\nAt 08:02 UTC errors began for image uploads. The cache was "
        "restored at 08:40 UTC and uploads were back to normal.\n"
    )
    moments = infer([], "Image uploads failed.", context(), document)
    assert moments.started is not None
    assert moments.resolved is not None
    assert (moments.started.at, moments.resolved.at) == (at(8, 2), at(8, 40))
    # An end elsewhere needs a start to hold on to.
    assert infer([], "Image uploads failed.", context(), document[-60:]).resolved is None


def test_property_lines_in_a_code_block_are_not_read() -> None:
    document = "```yaml\nstarted: 09:02 UTC\nresolved: 09:47 UTC\n```\n"
    assert infer([], "Downloads failed.", context(), document) == Moments()


def test_a_label_that_names_no_moment_is_not_read() -> None:
    moments = infer([], "Date: 2024-05-03 09:00 UTC\nImpact: 10:00 UTC onwards", context())
    assert moments == Moments()


def test_an_end_weeks_after_the_start_is_a_follow_up_not_the_end() -> None:
    rows = [
        (at(9, 0), "The build farm went down"),
        (at(9, 10), "Alarm raised in the maintainers' channel"),
        (datetime(2024, 5, 30, 12, 0, tzinfo=UTC), "Fix deployed to production in release 2.3"),
    ]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(9, 10)
    assert moments.resolved is None


def test_an_incident_of_two_periods_ends_with_the_second() -> None:
    rows = [
        (at(10, 0), "**First period of degradation** Errors began for search"),
        (at(10, 5), "The on-call engineer was paged"),
        (at(10, 30), "Search restored after the index rebuild"),
        (at(11, 10), "**Second period of degradation** Search errors began again"),
        (at(11, 50), "Search fully recovered; the old index removed"),
        (at(12, 30), "Traffic back to normal again; incident review planned"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(11, 50)


def test_an_end_said_again_is_no_relapse() -> None:
    rows = [
        (at(10, 0), "Errors began for search"),
        (at(10, 5), "Alert fired"),
        (at(10, 30), "Search restored"),
        (at(11, 10), "Search traffic back to normal again after the cache warmed"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(10, 30)


def test_a_status_pages_updates_give_detection_and_end() -> None:
    # Invented, in the shape of a hosted status page's incident history.
    rows = [
        (at(14, 2), "(07:02) **Investigating** - We are looking into failed card payments."),
        (at(14, 20), "(07:20) **Identified** - A certificate on the payment proxy expired."),
        (at(14, 41), "(07:41) **Monitoring** - A fix has been implemented; we are watching it."),
        (at(15, 5), "(08:05) **Resolved** - This incident has been resolved."),
    ]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(14, 2)
    assert moments.resolved is not None
    assert moments.resolved.at == at(15, 5)


def test_investigating_later_in_a_row_is_no_detection() -> None:
    rows = [(at(9, 0), "Deploy done"), (at(9, 30), "Engineers kept investigating the queue")]
    assert infer(rows, "", context()).detected is None


# --- through `postmortems import` and `check` -----------------------------------------------

SOURCE = """\
---
title: Payment webhooks delayed
date: 2024-08-19 10:00:00 -0500
---

## Summary

Payment webhooks reached merchants late.

## Timeline

* 10:00 Queue consumer deployed with a smaller batch size
* 10:07 Webhook lag alert paged the on-call engineer
* 10:31 Batch size restored; lag back to normal
* 11:00 Follow-up review scheduled

## Action items

- Alert on webhook lag per merchant
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - postmortems:\n      folder: postmortems\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _import(project: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[dict, Path]:
    source = project / "webhooks.md"
    source.write_text(text, encoding="utf-8")
    assert main(["import", str(source), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)["files"][0]
    return report, Path(report["target"])


def test_import_writes_each_inferred_moment_with_its_sentence(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, target = _import(project, capsys, SOURCE)
    text = target.read_text(encoding="utf-8")
    # The post's own offset (-0500) is the zone of its timeline's bare times.
    assert "started: 2024-08-19T15:00:00Z  # source: 2024-08-19 10:00:00 -0500" in text
    assert (
        'detected: 2024-08-19T15:07:00Z  # inferred, please confirm: "(10:07) Webhook lag alert '
        'paged the on-call engineer"'
    ) in text
    assert (
        'resolved: 2024-08-19T15:31:00Z  # inferred, please confirm: "(10:31) Batch size '
        'restored; lag back to normal"'
    ) in text
    assert "| 2024-08-19 15:00 | (10:00) Queue consumer deployed" in text
    assert report["inferred"] == [
        'detected: 2024-08-19T15:07:00Z from "(10:07) Webhook lag alert paged the on-call engineer"',
        'resolved: 2024-08-19T15:31:00Z from "(10:31) Batch size restored; lag back to normal"',
    ]
    assert "detected: the source does not say" not in report["to_complete"]


def test_the_text_report_asks_for_confirmation(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "webhooks.md").write_text(SOURCE, encoding="utf-8")
    assert main(["import", str(project / "webhooks.md")]) == 0
    out = capsys.readouterr().out
    assert "  inferred: please confirm (then remove the '# inferred' comment):\n" in out
    assert '    - detected: 2024-08-19T15:07:00Z from "(10:07) Webhook lag alert paged' in out


def test_check_warns_until_the_marker_is_removed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, target = _import(project, capsys, SOURCE)
    settings = load_settings(None, RULES)
    findings = [f for f in load(settings, RULESET).findings if f.code == "PM117"]
    assert [(f.line, f.col, f.level) for f in findings] == [(6, 11, "info"), (7, 11, "info")]
    assert findings[0].message == (
        "'detected' was inferred from \"(10:07) Webhook lag alert paged the on-call engineer\": "
        "confirm it and remove the '# inferred' comment"
    )
    confirmed = "\n".join(
        line.split("  # inferred")[0] for line in target.read_text(encoding="utf-8").split("\n")
    )
    target.write_text(confirmed, encoding="utf-8")
    assert [f for f in load(settings, RULESET).findings if f.code == "PM117"] == []


def test_a_source_with_its_times_in_the_front_matter_is_not_inferred(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = SOURCE.replace(
        "date: 2024-08-19 10:00:00 -0500",
        "date: 2024-08-19 10:00:00 -0500\ndetected: 2024-08-19 10:05:00 -0500",
    )
    report, target = _import(project, capsys, given)
    text = target.read_text(encoding="utf-8")
    assert "detected: 2024-08-19T15:05:00Z  # source: 2024-08-19 10:05:00 -0500" in text
    assert [line.split(":")[0] for line in report["inferred"]] == ["resolved"]


def test_a_moment_before_the_start_is_not_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = SOURCE.replace("date: 2024-08-19 10:00:00 -0500", "date: 2024-08-19 10:20:00 -0500")
    report, target = _import(project, capsys, given)
    assert [line.split(":")[0] for line in report["inferred"]] == ["resolved"]
    assert "detected: TBD" in target.read_text(encoding="utf-8")


def test_a_first_row_whole_hours_before_the_start_is_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The text declares a zone that disagrees with the post's own offset.
    given = SOURCE.replace("## Timeline\n", "## Timeline\n\nAll times in UTC.\n")
    report, _ = _import(project, capsys, given)
    assert (
        "Timeline: the first row (2024-08-19 10:00) is 5 hours before 'started' "
        "(2024-08-19 15:00); are they in the same zone?"
    ) in report["to_complete"]
    report, _ = _import(project, capsys, SOURCE.replace("webhooks", "hooks"))
    assert not [line for line in report["to_complete"] if line.startswith("Timeline: the first")]


def test_a_zone_out_of_its_season_is_listed_once(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = SOURCE.replace("date: 2024-08-19 10:00:00 -0500", "date: 2024-08-19")
    given = given.replace("## Timeline\n", "## Timeline\n\nAll times are in PST.\n")
    report, target = _import(project, capsys, given)
    notes = [line for line in report["to_complete"] if "read as written" in line]
    assert notes == [
        "Timeline: 'PST' is UTC-08:00, but on 2024-08-19 America/Los_Angeles kept UTC-07:00 "
        "(PDT); read as written"
    ]
    assert "| 2024-08-19 18:00 |" in target.read_text(encoding="utf-8")


def test_an_ambiguous_time_is_a_question_in_the_report(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = SOURCE.replace("* 10:07 Webhook", "* 10:07 IST Webhook")
    report, _ = _import(project, capsys, given)
    assert (
        "Timeline: 'IST' may mean Asia/Kolkata, Europe/Dublin, Asia/Jerusalem; declare the zone "
        "(`timezone:` or a line such as 'All times are in Asia/Kolkata')"
    ) in report["to_complete"]


def test_the_quoted_words_stay_one_printable_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = SOURCE.replace("lag alert paged", "lag alert\x1b[2J\u2028paged")
    _, target = _import(project, capsys, given)
    line = next(
        x for x in target.read_text(encoding="utf-8").split("\n") if x.startswith("detected:")
    )
    assert "\x1b" not in line
    assert "\u2028" not in line
    assert line.endswith('paged the on-call engineer"')
    findings = load(load_settings(None, RULES), RULESET).findings
    assert "PM117" in {f.code for f in findings}
    # The front matter still reads: only the marks left for a person.
    assert {f.code for f in findings} == {"PM013", "PM117"}


def test_a_timeline_in_standard_and_summer_names_is_read_in_that_zone(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "PST/PDT" names the zone with its rules; on an August day that is PDT (UTC-7), and
    # nothing is read as UTC.
    source = (
        "---\ntitle: Docs site unreachable\ndate: 2024-08-10\n---\n\n## Summary\n\n"
        "The docs site answered with errors for most visitors.\n\n"
        "## Timeline (all times in PST/PDT)\n\n"
        "- 20:05 A bad DNS record goes live. Start of outage\n"
        "- 21:40 A reader tells the maintainers about the outage\n"
        "- 22:10 The record is corrected and the site is back to normal\n"
    )
    _, target = _import(project, capsys, source)
    text = target.read_text(encoding="utf-8")
    assert "started: 2024-08-11T03:05:00Z" in text
    assert "detected: 2024-08-11T04:40:00Z  # inferred" in text
    assert "resolved: 2024-08-11T05:10:00Z  # inferred" in text


def test_a_status_page_resolved_flag_gives_way_to_its_time(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Status pages write `resolved: true` and the time in `resolvedWhen`.
    source = (
        "---\ntitle: Artifact mirror down\ndate: 2024-03-02T08:00:00-00:00\nresolved: true\n"
        "resolvedWhen: 2024-03-02T11:30:00-00:00\n---\n\nThe mirror answered 503.\n"
    )
    report, target = _import(project, capsys, source)
    text = target.read_text(encoding="utf-8")
    assert "resolved: 2024-03-02T11:30:00Z  # source: 2024-03-02T11:30:00-00:00" in text
    assert "front matter 'resolvedWhen' -> 'resolved'" in report["mapped"]


def test_a_zone_name_of_two_meanings_is_asked_not_read_as_utc(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "GST" is Gulf (UTC+4) or South Georgia (UTC-2) time: no moment is read from it.
    source = (
        "# Chain halt\n\n## Timeline\n\n### 2024-02-11\n\n"
        "- 14:05 GST: validators report the chain halted\n"
        "- 16:20 GST: blocks are produced again and the chain is back to normal\n"
    )
    report, target = _import(project, capsys, source)
    text = target.read_text(encoding="utf-8")
    assert any("'GST' may mean Asia/Dubai" in doubt for doubt in report["to_complete"])
    assert "14:05:00Z" not in text.split("---")[1]
    assert "resolved: TBD" in text


def test_a_source_that_names_no_zone_gives_no_moment_but_a_question(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Nothing says whether 06:10 is UTC, Berlin or Sydney time: no moment is written from it.
    source = (
        "# 2024-05-20 - shop outage\n\n## Timeline\n\n"
        "*06:10*: the shop being down was noticed by the night shift\n\n"
        "*09:45*: our provider restored the shop server\n"
    )
    report, target = _import(project, capsys, source)
    front = target.read_text(encoding="utf-8").split("---")[1]
    assert "# inferred" not in front
    assert "detected: TBD" in front
    assert "resolved: TBD" in front
    assert report["inferred"] == []
    assert any("the source names no time zone" in item for item in report["to_complete"])


def test_one_time_with_its_zone_is_enough_to_read_the_others(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# 2024-05-20 - shop outage\n\nThe shop was down from the night on.\n\n## Timeline\n\n"
        "- 06:10 UTC: the shop being down was noticed by the night shift\n"
        "- 09:45: our provider restored the shop server\n"
    )
    _, target = _import(project, capsys, source)
    front = target.read_text(encoding="utf-8").split("---")[1]
    assert "detected: 2024-05-20T06:10:00Z  # inferred" in front
    assert "resolved: 2024-05-20T09:45:00Z  # inferred" in front


def test_a_start_known_only_by_its_day_says_so_on_its_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = "# Mirror sync stalled on 2024-05-20\n\nThe mirror served stale indexes.\n"
    report, target = _import(project, capsys, source)
    front = target.read_text(encoding="utf-8").split("---")[1]
    assert "started: 2024-05-20T00:00:00Z  # only the day is known: complete the time\n" in front
    assert "started: only the day is known; the time is set to 00:00" in report["to_complete"]


# --- the importer's hooks: zones, days and cells the moments are read from -------------------


def test_a_city_after_each_time_is_the_timelines_clock(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Invented: a mirror team writing its times as the city it works in.
    source = (
        "# Mirror uploads stuck\n\n## Timeline - June 3, 2024\n\n"
        "* 09:10 Lisbon - Storage quota change applied to the upload volume\n"
        "* 09:40 Lisbon - Uploads started failing, detected by the nightly sync check\n"
        "* 11:02 LIsbon - Outage resolved, quota raised back\n"
    )
    _, target = _import(project, capsys, source)
    text = target.read_text(encoding="utf-8")
    # Lisbon kept UTC+1 in June: every row an hour earlier in UTC, none read as UTC.
    assert "| 2024-06-03 08:10 | (09:10 Lisbon) Storage quota change" in text
    front = text.split("---")[1]
    assert "detected: 2024-06-03T08:40:00Z  # inferred" in front
    assert "resolved: 2024-06-03T10:02:00Z  # inferred" in front


def test_a_long_timeline_heading_declares_the_zone_of_its_rows(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Ledger stalled\n\n## Timeline (all times PST) 01/16/2024 - 02/28/2024. All times "
        "are approximate\n\n01-10-2024\n\n7:32 PM - The ledger stalled at height 88121.\n\n"
        "7:38 PM - Monitoring detected the stall and restarted the sequencers.\n\n"
        "7:42 PM - Blocks produced again; the ledger is back to normal.\n\n"
        "01-31-2024 - The fix was merged for version 2.4.0.\n"
    )
    _, target = _import(project, capsys, source)
    front = target.read_text(encoding="utf-8").split("---")[1]
    # 01-31-2024 shows the dates are month first, so 01-10-2024 is January 10; PST is UTC-8.
    assert "started: 2024-01-11T03:32:00Z  # inferred" in front
    assert "detected: 2024-01-11T03:38:00Z  # inferred" in front
    assert "resolved: 2024-01-11T03:42:00Z  # inferred" in front


def test_day_lines_written_day_first_are_read_in_the_documents_order(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Shop outage\n\n## Timeline\n\n**28-09-2023 (All times CEST)**\n\n"
        "- 15:46 **CAUSE** — storage driver switched on every container\n\n"
        "**03-10-2023 (All times CEST)**\n\n"
        "- 02:17 **OUTAGE BEGINS** — alert in the infrastructure channel about timeouts\n\n"
        "**05-10-2023 (All times CEST)**\n\n"
        "- 14:36 **OUTAGE MITIGATED**, a new machine deployed. Its mounts are still missing.\n"
    )
    _, target = _import(project, capsys, source)
    front = target.read_text(encoding="utf-8").split("---")[1]
    assert "started: 2023-10-03T00:17:00Z  # inferred" in front
    assert "resolved: 2023-10-05T12:36:00Z  # inferred" in front


def test_a_blog_date_after_every_time_of_the_text_is_its_publication_day(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "---\ntitle: Leaked deploy token\ndate: 2024-07-08\n---\n\n## Timeline\n\n"
        "- 2024-06-28 7:09 AM Eastern: a researcher reports their finding to the security "
        "inbox\n- 2024-06-28 7:26 AM Eastern: the deploy token destroyed\n"
    )
    report, target = _import(project, capsys, source)
    front = target.read_text(encoding="utf-8").split("---")[1]
    assert "published: 2024-07-08\n" in front
    assert "detected: 2024-06-28T11:09:00Z  # inferred" in front
    assert "resolved: 2024-06-28T11:26:00Z  # inferred" in front
    assert "'2024-07-08': after the text's first time; read as 'published'" in report["mapped"]


def test_a_timeline_table_tells_its_event_in_a_later_column(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Pool drained\n\nOn May 3, 2024 at 13:38 UTC, an attacker exploited the lending "
        "pool's price feed.\n\n## Timeline (all times UTC)\n\n| Time | Block | Event |\n"
        "|---|---|---|\n| 13:38 | 4509 | First drain |\n| 14:32 | 4518 | Second drain |\n"
        "| 15:23 | 4520 | Team halts the pool and pauses deposits |\n"
    )
    _, target = _import(project, capsys, source)
    front = target.read_text(encoding="utf-8").split("---")[1]
    assert "started: 2024-05-03T13:38:00Z  # inferred" in front
    assert "resolved: 2024-05-03T15:23:00Z  # inferred" in front


def test_a_web_page_is_no_page_to_the_on_call() -> None:
    rows = [
        (at(9, 10), "Docs repository pages settings changed to the new branch"),
        (at(9, 14), "The on-call engineer pages the storage team"),
    ]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(9, 14)


def test_a_failure_told_beside_its_detection_is_the_start() -> None:
    rows = [
        (at(9, 10), "Default branch renamed"),
        (at(9, 12), "Docs site is down, operators respond to the alarms"),
        (at(9, 30), "We are informed that the booking system is down"),
    ]
    moments = infer(rows, "", context())
    assert moments.started is not None
    assert moments.started.at == at(9, 12)
    # A failure told inside a detection ("informed that ... is down") starts nothing.
    assert infer(rows[2:], "", context()).started is None


def test_an_end_beside_other_work_beginning_is_the_end() -> None:
    rows = [
        (at(9, 12), "Docs site is down, operators respond to the alarms"),
        (at(9, 40), "The site begins to recover"),
        (at(9, 55), "Site fully recovered and the vendor's engineers begin their investigation"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(9, 55)


def test_list_items_with_dates_that_read_two_ways_give_no_day_and_no_moment(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Day and month both <= 12 everywhere: the items' days cannot be told, so their times
    # are left for a person rather than placed on the day of some other date in the text.
    source = (
        "# Gateway outage\n\nThe gateway was upgraded on 28 November 2025.\n\n## Timeline\n\n"
        "- **08-01-2026** – the gateway's certificate expired\n"
        "- **11-01-2026 10:00 UTC** – webhook failures began\n"
        "- **12-01-2026 09:52 UTC** – customers reported the outage to support\n"
        "- **12-01-2026 10:40 UTC** – fix deployed, service restored\n"
    )
    report, target = _import(project, capsys, source)
    text = target.read_text(encoding="utf-8")
    front = text.split("---")[1]
    assert "# inferred" not in front
    assert "detected: TBD\nresolved: TBD\n" in front
    assert "| TBD | (12-01-2026 09:52 UTC) customers reported the outage to support |" in text
    assert any("no day the text settles" in line for line in report["to_complete"])


def test_the_time_right_after_the_words_in_a_sentence_of_several_times() -> None:
    summary = (
        "On May 1st, 2024 the search cluster had an outage which started with slow queries "
        "in one region around 08:10 UTC and became a full outage by 12:00 UTC. It was "
        "discovered by the support desk at 15:20 UTC and resolved at 15:45 UTC."
    )
    moments = infer([], summary, context())
    # The summary's own date places its times, not the day the context brings (May 3rd),
    # in the sentence that writes it and in the sentences after it.
    assert moments.started is not None
    assert moments.started.at == at(8, 10, day=1)
    assert moments.detected is not None
    assert moments.detected.at == at(15, 20, day=1)
    assert moments.resolved is not None
    assert moments.resolved.at == at(15, 45, day=1)


def test_a_part_of_the_day_is_no_time_of_an_end() -> None:
    summary = (
        "Reads failed from 09:00 UTC. Connections climbed again, but went back to normal "
        "in the early afternoon."
    )
    assert infer([], summary, context()).resolved is None


def test_a_version_number_dates_nothing() -> None:
    moments = infer([], "We upgraded to 1.16 and the outage began at 10:00 UTC.", context())
    assert moments.started is not None
    assert moments.started.at == at(10, 0)


def test_a_range_of_four_digit_times_with_one_zone() -> None:
    summary = "On May 3, 2024 between the hours of 1900 and 2100 UTC, uploads were degraded."
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.started.at == at(19, 0)
    assert moments.resolved is not None
    assert moments.resolved.at == at(21, 0)


def test_a_range_whose_zone_is_written_at_its_end_only() -> None:
    summary = "On 2024-05-03 from ~12:00 (perhaps earlier) to 17:55 CEST, search failed."
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.started.at == at(10, 0)
    assert moments.resolved is not None
    assert moments.resolved.at == at(15, 55)


@pytest.mark.parametrize(
    "event",
    [
        "After testing by hand, the feeling is things are back to working order",
        "CDN caches refreshed, the docs site back online",
        "Payments back in service",
    ],
)
def test_back_to_working_is_an_end(event: str) -> None:
    rows = [(at(9, 0), "Alert fired for failed launches"), (at(9, 40), event)]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(9, 40)


def test_an_end_told_as_minutes_later_lands_on_a_written_time() -> None:
    rows = [(at(21, 45), "The team becomes aware of odd withdrawals"), (at(21, 56), "Vault paused")]
    summary = (
        "At 21:45 UTC the team becomes aware of odd withdrawals from the vault. What turns out "
        "to be an exploit is mitigated 11 minutes later."
    )
    moments = infer(rows, summary, context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(21, 56)
    # No written time there: a rounded span alone places nothing.
    assert infer(rows[:1], summary, context()).resolved is None


def test_a_hedge_on_something_else_leaves_the_end() -> None:
    rows = [
        (at(9, 0), "Alert fired for failed launches"),
        (at(9, 20), "Launches returned to normal, though extra nodes did not appear to be needed"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(9, 20)
    hedged = [rows[0], (at(9, 20), "Restarted the pods; things seem to return to normal")]
    assert infer(hedged, "", context()).resolved is None


def test_bare_times_of_a_12_hour_timeline_are_the_afternoon(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Registry outage\n\n## Timeline (all times UTC)\n\n### May 3, 2024: the day\n\n"
        "### 9:40 AM: Triage\n\n- 9:41: the on-call engineer is paged\n"
        "- 11:50: a fix is proposed\n- 1:17: the fix passes its tests\n\n"
        "### 1:42 PM: Release\n\n- 1:45: the fix is deployed, the registry recovered\n"
    )
    report, target = _import(project, capsys, source)
    text = target.read_text(encoding="utf-8")
    assert "| 13:17 | (1:17) the fix passes its tests |" in text
    assert "| 13:45 | (1:45) the fix is deployed, the registry recovered |" in text
    assert "2024-05-04" not in text
    assert "resolved: 2024-05-03T13:45:00Z  # inferred" in text
    assert any("read as the afternoon" in line for line in report["mapped"])


def test_a_row_takes_the_day_the_text_states_for_its_time(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Wiki outage\n\nAt 2024-05-04 02:10 UTC the wiki went down because its disk was "
        "full. Page renders had been failing since 2024-05-03 01:40 UTC, a day earlier.\n\n## Timeline\n\n"
        "| Time | Event |\n|---|---|\n| 2024-05-03 01:40 | page renders started failing |\n"
        "| 02:10 | alerts fired for the wiki being down, the on-call got paged |\n"
        "| 02:35 | old renders removed, the wiki back online |\n"
    )
    report, target = _import(project, capsys, source)
    text = target.read_text(encoding="utf-8")
    assert "| 2024-05-04 02:10 | alerts fired" in text
    assert "detected: 2024-05-04T02:10:00Z  # inferred" in text
    assert "resolved: 2024-05-04T02:35:00Z  # inferred" in text
    assert any("as the text dates that time" in line for line in report["mapped"])


def test_a_bug_deployed_weeks_before_its_detection_is_the_start() -> None:
    rows = [
        (datetime(2024, 4, 24, 21, 42, tzinfo=UTC), "Bug deployed to the login service"),
        (datetime(2024, 4, 26, 8, 0, tzinfo=UTC), "Bug deployed to the billing service"),
        (at(7, 45, day=9), "A user alerts the team to logins that succeed with a wrong password"),
        (at(19, 0, day=9), "Fix deployed to production for every affected service"),
    ]
    moments = infer(rows, "", context())
    assert moments.started is not None
    assert moments.started.at == rows[0][0]
    # Found 15 days later: still the incident's detection, and its end the same day.
    assert moments.detected is not None
    assert moments.detected.at == at(7, 45, day=9)
    assert moments.resolved is not None
    assert moments.resolved.at == at(19, 0, day=9)


def test_an_end_before_the_last_day_the_summary_spans_is_left_to_a_person() -> None:
    # Two outages told in one write-up: the first row's recovery is not the incident's end.
    rows = [
        (at(9, 10), "Search errors began after the index rebuild"),
        (at(9, 20), "The latency alert paged the on-call engineer"),
        (at(10, 5), "Search fully recovered"),
        (at(14, 0, day=7), "Search errors began again under the nightly load"),
    ]
    summary = "Between May 3 and May 7, 2024 the search service had two separate outages."
    moments = infer(rows, summary, context())
    assert moments.started is not None
    assert moments.started.at == at(9, 10)
    assert moments.detected is not None
    assert moments.detected.at == at(9, 20)
    assert moments.resolved is None


def test_a_list_of_the_incidents_periods_reaches_past_the_first_end() -> None:
    summary = "The queue had three periods of slow delivery: May 3, May 4, and May 6."
    moments = infer(ROWS, summary, context())
    assert moments.resolved is None


def test_a_span_of_days_that_ends_on_the_day_of_the_end_keeps_it() -> None:
    # The span closes on the day of the end found: nothing reaches past it.
    summary = "Between May 2 and May 3, 2024 a deploy broke checkout for EU customers."
    moments = infer(ROWS, summary, context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(11, 41)


def test_a_row_whose_time_alone_is_emphasised_keeps_its_written_day(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The write-up is dated the evening before; its rows say the night after, in UTC.
    source = (
        "---\ndate: 2024-05-02\n---\n# Thumbnails broken\n\nThumbnails failed to load.\n\n"
        "## Timeline\n\n"
        "- May 3rd **00:40** a user reports thumbnails that fail to load\n"
        "- May 3rd **00:44** the proxy certificate is found to have expired\n"
        "- May 3rd **01:10** a new certificate is installed, thumbnails back online\n"
    )
    _, target = _import(project, capsys, source)
    text = target.read_text(encoding="utf-8")
    assert "| 2024-05-03 00:40 | (May 3rd 00:40) a user reports" in text
    assert "started: 2024-05-03T00:40:00Z" in text
    assert "2024-05-02T" not in text


def test_the_start_of_a_second_wave_is_not_the_incidents_start() -> None:
    rows = [
        (at(9, 0), "Bulk sends land in block 100, delivery slows for everyone"),
        (at(9, 40), "Bulk sends end"),
        (at(8, 10, day=4), "Bulk sends land again"),
        (at(9, 5, day=4), "Bulk sends end"),
    ]
    summary = (
        "On May 3 at 09:00 UTC bulk sends slowed delivery for an hour. A second wave of "
        "bulk sends began at 08:10 UTC on May 4 and lasted just under an hour."
    )
    moments = infer(rows, summary, context())
    # Left to a person rather than taken from the second wave.
    assert moments.started is None
    # "against" is not "again": a start told with it stays the start.
    told = "On May 3 at 09:00 UTC an attacker exploited the pool with a swap against its oracle."
    attacked = infer([], told, context())
    assert attacked.started is not None
    assert attacked.started.at == at(9, 0)


def test_a_hedged_range_of_an_unreachable_service_is_its_window() -> None:
    summary = (
        "Between approximately 2024-05-03 22:05 UTC and 2024-05-04 06:50 UTC the mirrors "
        "served an expired certificate and couldn't be reached over HTTPS."
    )
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.started.at == at(22, 5)
    assert moments.resolved is not None
    assert moments.resolved.at == at(6, 50, day=4)


@pytest.mark.parametrize(
    "summary",
    [
        "At 10:20 UTC on Friday May 3rd we started experiencing timeouts between the proxy and "
        "the cluster.",
        "On May 3rd, 2024 at roughly 10:20 UTC the forum experienced a 9 minute cascading "
        "failure that left pages blank.",
        "At 10:20 UTC, all services became unresponsive. The team was already online.",
    ],
)
def test_a_summary_sentence_that_tells_the_harm_beginning_is_the_start(summary: str) -> None:
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.started.at == at(10, 20)


def test_an_addendums_date_does_not_date_the_text_after_it() -> None:
    summary = (
        "At around 10:20 UTC on Friday May 3rd we started experiencing timeouts at the proxy.\n\n"
        "Update 6th May 2024: the provider moved our proxy to another host.\n\n"
        "At 10:25 we started receiving alerts that services were unreachable."
    )
    moments = infer([], summary, context())
    assert moments.detected is not None
    assert moments.detected.at == at(10, 25)


def test_a_sentence_with_a_time_that_cannot_be_placed_names_no_moment() -> None:
    # May 3rd, 2024 is a Friday: the range's first end is a question, so its other end
    # is no start either.
    summary = "On Sunday, 2024-05-03 from ~10:00 (or so) to 15:55 CEST, search started failing."
    moments = infer([], summary, context())
    assert moments.started is None


def test_an_incident_of_several_days_ends_with_the_last_end_on_its_last_day() -> None:
    rows = [
        (at(9, 10), "First burst of bulk sends lands in a block"),
        (at(9, 14), "The on-call receives an alert for slow blocks"),
        (at(9, 50), "Slow block alert is resolved"),
        (at(8, 0, day=6), "Bulk sends land in a block once more"),
        (at(8, 20, day=6), "Failure rate alert is resolved"),
        (at(8, 45, day=6), "Slow block alert is resolved"),
    ]
    summary = (
        "- Date: 2024-05-07\n"
        "- Summary: The chain had three periods of slow blocks: May 3, May 4, and May 6."
    )
    moments = infer(rows, summary, context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(8, 45, day=6)


def test_the_end_of_a_span_of_days_told_in_the_summary() -> None:
    summary = (
        "Between May 3 and May 7, 2024 we moved the events database to new disks. From May 3, "
        "10:02 AM UTC to May 6, 3:02 PM UTC event processing was badly degraded. By May 7, "
        "6:20 AM UTC the backlog was cleared and processing had fully recovered."
    )
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.started.at == at(10, 2)
    assert moments.resolved is not None
    assert moments.resolved.at == at(6, 20, day=7)


@pytest.mark.parametrize(
    "event",
    [
        "Reports of failed sign-ins to the admin console",
        "Incident reported internally to the security lead",
        "Automated warning from the cloud provider that the balancer has no healthy targets",
    ],
)
def test_reports_and_warnings_are_detections(event: str) -> None:
    rows = [(at(9, 0), "Certificates expire"), (at(9, 20), event), (at(9, 30), "Issue verified")]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(9, 20), event


def test_a_mechanisms_name_is_no_detection() -> None:
    rows = [
        (at(9, 0), "Controller lost its leader lease"),
        (at(9, 5), "Controller logged stale service discovery errors"),
    ]
    assert infer(rows, "", context()).detected is None


@pytest.mark.parametrize(
    "event",
    [
        "Block 1002 is committed and the chain starts moving again",
        "All validators are signing again",
        "All systems verified operational",
        "Script completed for every account; sign-in confirmed working",
        "Block production resumed",
        "The hub resumed block production",
    ],
)
def test_the_service_at_work_again_is_an_end(event: str) -> None:
    rows = [(at(9, 0), "Alert fired for missed blocks"), (at(9, 40), event)]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(9, 40), event


@pytest.mark.parametrize(
    "event",
    [
        "Errors are happening again on the API",
        "The node has restored and is healthy, but volumes will not mount",
        "Confirmed 120 GB of space has been recovered on the primary",
        "Restored quorum metadata on all brokers and reset the offsets",
    ],
)
def test_an_end_with_an_exception_or_of_a_resource_is_no_end(event: str) -> None:
    rows = [(at(9, 0), "Alert fired for slow pages"), (at(9, 40), event)]
    assert infer(rows, "", context()).resolved is None, event


def test_a_templates_time_to_detection_and_recovery_place_the_moments() -> None:
    rows = [
        (at(9, 0), "Maintenance on the autoscaling groups started"),
        (at(9, 20), "Change applied, the balancer's targets removed"),
        (at(9, 25), "Monitoring alert detects a high count of 5XX at the balancer"),
        (at(9, 35), "Issue mitigated by attaching the instances by hand"),
        (at(10, 13), "Issue resolved and permanently fixed"),
    ]
    properties = "## Statistics\n\n- Time to detection: 5 minutes\n- Time to recovery: 15 minutes\n"
    moments = infer(rows, "A maintenance left the balancer without targets.", context(), properties)
    assert moments.started is not None
    assert (moments.started.at, moments.started.source) == (
        at(9, 20),
        "Time to detection: 5 minutes",
    )
    assert moments.detected is not None
    assert moments.detected.at == at(9, 25)
    assert moments.resolved is not None
    assert (moments.resolved.at, moments.resolved.source) == (
        at(9, 35),
        "Time to recovery: 15 minutes",
    )


def test_a_time_to_recovery_adds_to_a_known_start() -> None:
    rows = [(at(9, 0), "Alert fired for failed logins"), (at(9, 30), "Logins confirmed working")]
    summary = "At 08:55 UTC the signing certificates expired and logins started failing."
    moments = infer(rows, summary, context(), summary + "\n\n- Time to recovery: 1h 24m\n")
    assert moments.resolved is not None
    assert moments.resolved.at == at(10, 19)


def test_a_duration_in_words_places_the_start_before_a_known_end() -> None:
    rows = [
        (at(7, 0), "Release announced to the validators"),
        (at(14, 41), "Block 500 is committed"),
        (at(14, 47), "An operator notices a consensus error on block 501"),
        (at(18, 33), "Block 502 is committed and the chain starts moving again"),
    ]
    summary = (
        "The chain halted for almost four hours after validators upgraded at different heights."
    )
    moments = infer(rows, summary, context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(18, 33)
    assert moments.started is not None
    assert moments.started.at == at(14, 41)


def test_the_date_of_the_incident_with_its_time_is_the_start() -> None:
    properties = "**Date of Incident:** Friday 3rd May 2024, 14:32 UTC (block 9001)\n"
    moments = infer([], "The chain halted after an upgrade.", context(), properties)
    assert moments.started is not None
    assert moments.started.at == at(14, 32)
    # A date alone is the day, not the start.
    assert infer([], "", context(), "Date of incident: 2024-05-03\n").started is None


def test_a_fixs_deployment_completed_ends_the_harm() -> None:
    rows = [
        (at(9, 0), "The network's block rate had a marked drop"),
        (at(15, 0), "The cause was diagnosed and a hotfix release was prepared"),
        (at(19, 0), "The hotfix release of the node software deployment completed as 2.5.1"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(19, 0)


def test_a_detection_line_that_gives_a_span_states_no_detection_time() -> None:
    properties = "- Detection time: ~5-6 hours (impact from 09:45 UTC, found by a manual check)\n"
    moments = infer([], "Logins failed after a certificate was lost.", context(), properties)
    assert moments.detected is None


def test_the_last_row_that_sees_the_service_healthy_ends_it_when_none_says_the_end() -> None:
    rows = [
        (at(9, 0), "Brokers began restarting after the operator rollout"),
        (at(9, 30), "A user noticed the comment did not trigger the workflow"),
        (at(9, 35), "The node is no longer healthy"),
        (at(9, 57), "Scaled brokers back up; all three formed a quorum"),
        (at(9, 59), "Re-enabled autosync; the application returned to Synced/Healthy"),
        (at(10, 0), "Confirmed the brokers are ready and the readiness probe passing"),
    ]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(9, 30)
    assert moments.resolved is not None
    assert moments.resolved.at == at(10, 0)


def test_a_detection_told_as_immediate_is_at_the_start() -> None:
    summary = (
        "At 10:20 UTC, all services became unresponsive. The operators were already in a "
        "call, and immediately started to investigate."
    )
    moments = infer([], summary, context())
    assert moments.detected is not None
    assert moments.detected.at == at(10, 20)
    # Acting at once is no detection.
    assert (
        infer([], "At 10:20 UTC the disk filled. We immediately rolled back.", context()).detected
        is None
    )


def test_an_incident_officially_opened_is_not_the_start_of_its_harm() -> None:
    rows = [
        (at(9, 0), "An outside researcher flags a contributor's commits"),
        (at(14, 6), "Incident reported internally to the security team"),
        (at(16, 23), "Incident officially begins"),
        (at(17, 18), "Legacy access revoked"),
    ]
    moments = infer(rows, "", context())
    assert moments.started is None
    assert moments.detected is not None
    assert moments.detected.at == at(14, 6)


def test_each_list_item_of_a_summary_is_a_statement_of_its_own() -> None:
    summary = (
        "- 2024-05-03 09:00 UTC — an outside researcher flags the commits\n"
        "- 2024-05-03 14:06 UTC — incident reported internally to the security team\n"
        "- 2024-05-03 16:23 UTC — incident officially begins"
    )
    moments = infer([], summary, context())
    assert moments.started is None
    assert moments.detected is not None
    assert moments.detected.at == at(14, 6)


def test_a_date_on_the_day_the_incident_ended_is_its_publication_day(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The write-up is dated the day the stuck payments went through, days after the report.
    source = (
        "# Stuck payments\n\nDate: 2024-05-06\n\nTwo payments were stuck.\n\n"
        "## Timeline\n\nAll times are UTC.\n\n"
        "- 2024-05-03 23:21 a user reports a payment not being processed\n"
        "- 2024-05-04 08:00 contributors start investigating\n"
        "- 2024-05-06 13:55 the first payment is mined and succeeds\n"
        "- 2024-05-06 14:44 the second payment is mined and succeeds\n"
    )
    _, target = _import(project, capsys, source)
    front = target.read_text(encoding="utf-8").split("---")[1]
    assert "detected: 2024-05-03T23:21:00Z  # inferred" in front
    assert "resolved: 2024-05-06T14:44:00Z  # inferred" in front
    assert "published: 2024-05-06\n" in front


def test_the_last_time_the_failed_work_goes_through_is_the_end() -> None:
    rows = [
        (at(9, 0), "A user reports a payment not being processed"),
        (at(13, 55), "The first payment is mined and succeeds"),
        (at(14, 44), "The second payment is mined and succeeds"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(14, 44)


def test_a_day_with_a_four_digit_clock_and_its_zone_is_a_timeline_row(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Patch release broke consensus\n\nDate: 2024-05-03\n\nA patch broke consensus.\n\n"
        "## Timeline\n\n"
        "- May 3 1506 UTC: the teams agree to ship a patch the same day\n"
        "- 1936 UTC: the patch is released\n"
        "- 2309 UTC: validators are asked to upgrade\n"
        "- May 4 0117 UTC: first validator reports an app hash mismatch\n"
        "- 0133 UTC: validators are told to roll back\n"
    )
    _, target = _import(project, capsys, source)
    text = target.read_text(encoding="utf-8")
    assert "| 2024-05-03 15:06 | (May 3 1506 UTC) the teams agree" in text
    assert "| 2024-05-04 01:17 | (May 4 0117 UTC) first validator reports" in text
    assert "detected: 2024-05-04T01:17:00Z  # inferred" in text


def test_each_table_row_of_a_text_is_a_statement_of_its_own() -> None:
    summary = (
        "| Time (UTC) | Event |\n|---|---|\n"
        "| May 3 2024, 10:30 AM UTC | Upgrade executed; the network halts |\n"
        "| [+1 hrs] | Consensus failure confirmed; triage begins |\n"
        "| [+2 hrs] | An operator notices the cause |\n"
    )
    moments = infer([], summary, context())
    assert moments.detected is None


def test_front_matter_keys_that_name_a_moment_give_it_to_the_minute(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "---\ntitle: Certificate lost\ndate: 2024-05-04\n"
        "incident_start: 2024-05-03 09:45 UTC\nincident_end: 2024-05-04 07:07 UTC\n---\n\n"
        "## Summary\n\nLogins failed after the proxy lost its certificate.\n"
    )
    report, target = _import(project, capsys, source)
    text = target.read_text(encoding="utf-8")
    front = text.split("---")[1]
    assert "started: 2024-05-03T09:45:00Z" in front
    assert "resolved: 2024-05-04T07:07:00Z" in front
    # The day the source gave is kept, with its other keys.
    assert "- date: 2024-05-04" in text
    assert report["words"] == report["words_kept"]


@pytest.mark.parametrize(
    "event",
    [
        "The maintainer announces resolution is confirmed complete",
        "End of the build farm outage",
        "Fixed runner image deployed (outage ends)",
        "The merge queue is once again merging at its usual rate",
        "Full service resumed for every tenant",
    ],
)
def test_ends_in_other_words(event: str) -> None:
    rows = [(at(9, 0), "Config pushed"), (at(9, 20), "Pager fired"), (at(10, 0), event)]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(10, 0), event


@pytest.mark.parametrize(
    "event",
    [
        "A contributor reports in chat that something is wrong with the merge bot",
        "First [recorded instance] of a user seeing the bot ignore commands",
    ],
)
def test_someone_telling_that_something_is_wrong_is_a_detection(event: str) -> None:
    rows = [(at(9, 0), "Config pushed"), (at(9, 20), event), (at(9, 50), "Oncall pinged")]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(9, 20), event


def test_a_backup_restored_is_a_step_of_the_repair() -> None:
    rows = [
        (at(9, 0), "The database went down"),
        (at(9, 10), "Alert fired"),
        (at(11, 0), "The first incremental backup was restored"),
        (at(12, 0), "Service restored for all users"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(12, 0)


def test_the_summary_window_told_as_a_state_and_its_end() -> None:
    summary = (
        "The chat server was unavailable from 2024-05-03 17:45 UTC and full service resumed "
        "at 2024-05-04 18:00 UTC. No message was lost."
    )
    # A row calls an earlier step "restored"; the summary's own sentence tells the window.
    rows = [(at(9, 35, day=4), "At 09:35 UTC the first snapshot was restored to the node")]
    moments = infer(rows, summary, context())
    assert moments.started is not None
    assert moments.started.at == at(17, 45)
    assert moments.resolved is not None
    assert moments.resolved.at == at(18, 0, day=4)


def test_a_window_whose_end_has_an_article() -> None:
    summary = (
        "The map site was unavailable from 2024-05-03 20:18 (UTC) until the 2024-05-04 03:45 (UTC)."
    )
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.started.at == at(20, 18)
    assert moments.resolved is not None
    assert moments.resolved.at == at(3, 45, day=4)


def test_a_blog_date_with_its_time_after_the_told_start_is_its_publication(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        '+++\ndate = "2024-06-10T10:00:00Z"\ntitle = "Post-mortem of the May outage"\n+++\n\n'
        "The chat server was unavailable from 2024-05-03 17:45 UTC and full service resumed "
        "at 2024-05-04 18:00 UTC.\n\n## What happened\n\nA disk failed during maintenance.\n"
    )
    report, target = _import(project, capsys, source)
    front = target.read_text(encoding="utf-8").split("---")[1]
    assert "started: 2024-05-03T17:45:00Z  # inferred" in front
    assert "resolved: 2024-05-04T18:00:00Z  # inferred" in front
    assert "published: 2024-06-10  # source: 2024-06-10T10:00:00Z\n" in front
    assert report["words_kept"] == report["words"]


def test_a_key_that_names_the_start_is_the_start_whatever_the_text_says(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "---\ntitle: Chat outage\nstarted: 2024-06-10T10:00:00Z\n---\n\n"
        "The chat server was unavailable from 2024-05-03 17:45 UTC.\n"
    )
    _, target = _import(project, capsys, source)
    assert "started: 2024-06-10T10:00:00Z\n" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "event",
    [
        "The provider's team is working on resolving the issue",
        "Progress towards resolution is slow",
        "We hope to have it resolved within the hour",
        "The estimated time of recovery is 14:00",
        "Uploads resume when the storage node is brought back online",
        "Downloads should be back to normal. Uploads are affected.",
    ],
)
def test_an_end_worked_towards_hoped_for_or_expected_names_no_moment(event: str) -> None:
    rows = [
        (at(9, 0), "Investigating elevated errors"),
        (at(9, 30), event),
        (at(10, 0), "Resolved: every upload is recovered now"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(10, 0), event


def test_a_status_post_in_the_present_tense_is_the_detection() -> None:
    rows = [
        (at(9, 0), "Our storage provider is currently experiencing issues with uploads"),
        (at(9, 30), "Update: the provider is still working on it"),
        (at(10, 0), "Resolved: uploads recovered"),
    ]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(9, 0)


def test_the_first_servers_back_begin_the_recovery() -> None:
    rows = [
        (at(9, 0), "Power cut in the data centre"),
        (at(9, 10), "Alert fired for every host"),
        (at(11, 0), "The first servers coming up, the download mirror is available again"),
        (at(13, 0), "Every service is back online"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(13, 0)


@pytest.mark.parametrize(
    "told",
    [
        # A name of several zones: a question, not an answer.
        "All times in IST\n\n",
        # A pasted log's stamps are the log's clock.
        "The pod's log:\n\n```\n2024-05-20T06:09:58.61Z Error occurred during startup\n```\n\n",
        # A link to a log query carries a time of its own.
        "See [the logs](https://logs.example.org/query?from=2024-05-20T06:00Z).\n\n",
    ],
)
def test_what_is_no_statement_of_the_zone_gives_no_moment(
    project: Path, capsys: pytest.CaptureFixture[str], told: str
) -> None:
    source = (
        "# 2024-05-20 - shop outage\n\n## Summary\n\nThe shop was down.\n\n"
        + told
        + "## Timeline\n\n"
        "- 06:10 PM: the shop being down was noticed by the night shift\n"
        "- 09:45 PM: our provider restored the shop server\n"
    )
    report, target = _import(project, capsys, source)
    front = target.read_text(encoding="utf-8").split("---")[1]
    assert "# inferred" not in front
    assert report["inferred"] == []
    assert any("the source names no time zone" in item for item in report["to_complete"])


def test_a_marked_drop_in_the_service_is_its_start() -> None:
    rows = [
        (at(7, 0), "Queue length started slowly increasing"),
        (at(9, 10), "Queue length plateaus"),
        (at(10, 45), "Blocks per minute had a marked drop across the network"),
        (at(19, 0), "The hotfix release's deployment completed as version 2.5.1"),
    ]
    moments = infer(rows, "", context())
    assert moments.started is not None
    assert moments.started.at == at(10, 45)


def test_a_response_that_begins_is_no_start_and_a_host_from_backups_no_end() -> None:
    rows = [
        (at(9, 0), "The service begins to crawl to a halt"),
        (at(9, 30), "Response to issue begins"),
        (at(10, 0), "Restored a host from backups, testing starts"),
        (at(11, 0), "Service restored for every user"),
    ]
    moments = infer(rows, "", context())
    assert moments.started is None or moments.started.at != at(9, 30)
    assert moments.resolved is not None
    assert moments.resolved.at == at(11, 0)


def test_someone_notifying_the_team_of_the_problem_is_the_detection() -> None:
    rows = [
        (at(9, 0), "A publishing token is leaked in a build log"),
        (at(13, 35), "A security firm notified `pkg-forge` of the leaked token"),
        (at(14, 0), "The core team acknowledged receipt of the report"),
        (at(15, 0), "The token was revoked"),
    ]
    moments = infer(rows, "", context())
    assert moments.detected is not None
    assert moments.detected.at == at(13, 35)


def test_a_fixed_version_shipped_contains_the_harm() -> None:
    rows = [
        (at(9, 0), "A crash on long request paths is reported"),
        (at(11, 20), "v2.4.1 pushed"),
        (at(12, 0), "Advisory published"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(11, 20)


def test_a_part_back_before_the_whole_incident_said_to_be_over() -> None:
    rows = [
        (at(9, 0), "Scheduler backlog grows, alert fired"),
        (at(11, 0), "Gateways are back online. New addresses issued."),
        (at(12, 30), "Queued work drained. **Incident resolved.**"),
    ]
    moments = infer(rows, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(12, 30)


def test_the_first_end_stays_when_no_later_row_says_the_whole_is_over() -> None:
    moments = infer(ROWS, "", context())
    assert moments.resolved is not None
    assert moments.resolved.at == at(11, 41)


def test_a_window_of_a_service_that_stopped_working() -> None:
    summary = (
        "From 21:33 UTC on 3 May 2024 until 13:22 UTC on 4 May 2024, the export job "
        "unexpectedly stopped working."
    )
    moments = infer([], summary, context())
    assert moments.started is not None
    assert moments.started.at == at(21, 33)
    assert moments.resolved is not None
    assert moments.resolved.at == at(13, 22, day=4)
