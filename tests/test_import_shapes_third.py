"""Shapes of real write-ups the importer had not met: a zone declared once under the title,
stamps written in square brackets, a chat log pasted below the timeline. Every fixture is
an invented incident written in the shape of a published one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from import_shapes import import_project
from mkdocs_postmortems.cli.main import main


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return import_project(tmp_path, monkeypatch)


def imported(project: Path, capsys: pytest.CaptureFixture[str], text: str) -> str:
    source = project / "source.md"
    source.write_text(text, encoding="utf-8")
    code = main(["import", str(source), "--format", "json"])
    report = json.loads(capsys.readouterr().out)["files"][0]
    assert code == 0, report
    assert report["outcome"] == "imported", report
    return Path(report["target"]).read_text(encoding="utf-8")


def rows(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^\| ([0-9: -]+) \| (.*) \|$", text, re.MULTILINE)


# A zone declared once, as a line of its own under the title, far above the timeline.
ZONE_UNDER_TITLE = """\
# June 4th, 2024 Build Queue Stall

All times PDT.

## Summary

The build queue stopped dispatching jobs for most of an afternoon.

## Timeline

* [13:10] A maintainer reports in chat that no builds have started for an hour
* [13:40] The dispatcher's lease table is found full
* [14:05] The lease table is cleared and builds start again
"""


def test_a_zone_declared_under_the_title_holds_for_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, ZONE_UNDER_TITLE)
    assert rows(text) == [
        (
            "2024-06-04 20:10",
            "(13:10) A maintainer reports in chat that no builds have started for an hour",
        ),
        ("20:40", "(13:40) The dispatcher's lease table is found full"),
        ("21:05", "(14:05) The lease table is cleared and builds start again"),
    ]


def test_a_declaration_inside_the_timeline_wins_over_the_one_above(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ZONE_UNDER_TITLE.replace("## Timeline\n", "## Timeline\n\nAll times in UTC.\n")
    assert rows(imported(project, capsys, text))[0] == (
        "2024-06-04 13:10",
        "A maintainer reports in chat that no builds have started for an hour",
    )


def test_a_zone_in_a_sentence_of_prose_declares_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sentence = (
        "Our users, who mostly work in PDT and in CET, told us about it on the forum "
        "long after it began, which is why times are given below."
    )
    text = ZONE_UNDER_TITLE.replace("All times PDT.", sentence)
    assert rows(imported(project, capsys, text))[0][0] == "2024-06-04 13:10"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- [09:12] Disk alert fires", ("2024-06-04 09:12", "Disk alert fires")),
        ("- **[09:12]** Disk alert fires", ("2024-06-04 09:12", "Disk alert fires")),
        ("- [2024-06-04 09:12] Disk alert fires", ("2024-06-04 09:12", "Disk alert fires")),
    ],
)
def test_a_stamp_in_square_brackets_opens_an_entry(
    project: Path, capsys: pytest.CaptureFixture[str], line: str, expected: tuple[str, str]
) -> None:
    source = f"# Disk full on 2024-06-04\n\n## Timeline\n\n{line}\n- [09:30] Old logs removed\n"
    assert rows(imported(project, capsys, source))[0] == expected


def test_a_link_whose_text_is_a_time_is_the_stamp_and_stays_a_link(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Disk full on 2024-06-04\n\n## Timeline\n\n"
        "- [09:12](https://chat.example.org/p/1) Disk alert fires\n"
        "- 09:30 Old logs removed\n"
    )
    text = imported(project, capsys, source)
    assert rows(text)[0] == (
        "2024-06-04 09:12",
        "([09:12](https://chat.example.org/p/1)) Disk alert fires",
    )


# A status page's incident as Hugo status themes write it: each update stamped at its end.
STATUS_PAGE = """\
+++
title = "Image uploads degraded"
date = 2024-03-05T08:10:00.000Z
resolved = true
+++

Our image provider is currently experiencing issues. Uploads might fail.

**Update**: The provider is still working on resolving the issue. {{< track "2024-03-05T08:40:00.000Z" >}}

**Update**: Uploads are recovering. {{< track "2024-03-05T09:05:00.000Z" >}}

**Resolved**: All uploads are recovered now. {{< track "2024-03-05T09:30:00.000Z" >}}
"""


def test_status_updates_stamped_at_their_end_are_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, STATUS_PAGE)
    found = rows(text)
    assert [time for time, _ in found] == [
        "2024-03-05 08:10:00",
        "2024-03-05 08:40:00",
        "2024-03-05 09:05:00",
        "2024-03-05 09:30:00",
    ]
    # The update's own emphasis stays whole; the shortcode's name is kept out of sight.
    assert "**Update**: Uploads are recovering. <!-- track -->" in found[2][1]
    assert "detected: 2024-03-05T08:10:00Z  # inferred" in text
    assert "resolved: 2024-03-05T09:30:00Z  # inferred" in text


def test_a_single_stamped_update_is_no_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = STATUS_PAGE.split("**Update**: Uploads")[0]
    text = imported(project, capsys, one)
    assert '{{< track "2024-03-05T08:40:00.000Z" >}}' in text
    assert rows(text) == []


# A timeline whose stamps the importer cannot read as rows, told again by a chat log pasted
# below it: the log is evidence, and its times are no moments.
CHAT_LOG_BELOW = """\
# Queue Outage on 2024-06-04

All times in PDT (UTC-7).

## Summary

The job queue refused new work after a schema change.

## Timeline

The schema change went out at 09:05 and the queue refused new work from 09:12 on.

### Apendix

#### #infra chat log

> robin [8:40 AM]
> is the queue stuck for anyone else?
>
> sam [8:41 AM]
> looking
"""


def test_a_chat_log_quoted_below_the_timeline_names_no_moment(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, CHAT_LOG_BELOW)
    # The prose's two times, in the zone declared under the title; not the log's.
    assert [time for time, _ in rows(text)] == ["2024-06-04 16:05", "16:12"]
    assert "> robin [8:40 AM]" in text


def test_a_quoted_log_line_in_the_summary_is_no_start(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Hook outage on 2024-06-04\n\nAll times in UTC.\n\n## Summary\n\n"
        "The hook failed to load its configuration with errors like:\n\n"
        '> {"level":"fatal","msg":"Error starting config agent.","time":"2024-06-04T16:08:30Z"}\n\n'
        "## Timeline\n\n- 15:10 first report of the hook ignoring events\n"
        "- 16:27 fixed configuration deployed, the outage ends\n"
    )
    text = imported(project, capsys, source)
    assert "16:08" not in text.split("---")[1]


# A runbook's incident log: properties as bold-lead bullets, the timeline and the follow-ups
# nested under bullets of their own.
LABELLED_LISTS = """\
# Incident on 2024-06-04 - Queue workers evicted

- **Key events**
  - First detected: 2024-06-04 10:26
  - Resolved 2024-06-04 11:21

- **Impact**: Jobs were delayed for half an hour

- **Context**:
  - 2024-06-04 10:20 - Node pool resized, every worker evicted at once
  - 2024-06-04 10:26 - A user reported that their jobs were stuck
  - 2024-06-04 11:00 - Incident declared
  - 2024-06-04 11:21 - Workers rescheduled, incident resolved

- **Review actions**:
  - Add a disruption budget to the queue workers
  - Document node pool resizes in the runbook
"""


def test_a_timeline_and_follow_ups_nested_under_bold_lead_bullets(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, LABELLED_LISTS)
    assert [time for time, _ in rows(text)] == [
        "2024-06-04 10:20",
        "2024-06-04 10:26",
        "2024-06-04 11:00",
        "2024-06-04 11:21",
    ]
    actions = text.split("## Action Items")[1]
    assert "| Add a disruption budget to the queue workers | TBD |" in actions
    assert "| Document node pool resizes in the runbook | TBD |" in actions
    # A labelled item that names none of our sections stays as written.
    assert "- **Key events**\n  - First detected: 2024-06-04 10:26" in text


# A blog post moved from an older engine: metadata lines on top (Pelican, MultiMarkdown),
# the body still the HTML the old engine stored.
HTML_POST = """\
title: Build farm outage - PostMortem
date: '2024-06-10T09:58:37+00:00'
layout: post

<p> <span style="font-family: Arial;"><strong>Summary</strong></span><br /> <span>On June 4th \
the build farm's storage failed.</span></p>
<p><span style="font-family: Arial;"><strong>Timeline</strong></span></p>
<p><span>0208 UTC 2024-06-04 - Builds started failing</span><br />
<span>0756 UTC 2024-06-04 - A contributor discovers that no build has finished</span><br />
<span>1457 UTC 2024-06-04 - Builds start working again</span></p>
<p><span><strong>To Do</strong></span></p>
<ul>
  <li style="margin: 0px;"><span>Monitor the storage array's disks</span></li>
  <li style="margin: 0px;"><span>Keep a spare array on site</span></li>
</ul>
"""


def test_html_inside_markdown_is_read_as_html(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, HTML_POST)
    assert 'title: "Build farm outage - PostMortem"' in text
    assert [time for time, _ in rows(text)] == [
        "2024-06-04 02:08",
        "2024-06-04 07:56",
        "2024-06-04 14:57",
    ]
    actions = text.split("## Action Items")[1]
    assert "| Monitor the storage array's disks | TBD |" in actions
    assert "published: 2024-06-10  # source: 2024-06-10T09:58:37+00:00" in text
    assert "font-family" not in text


def test_markdown_with_a_little_html_is_left_as_it_is(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Disk full on 2024-06-04\n\nThe disk filled.<br>It was cleaned.\n\n"
        "## Timeline\n\n- 09:12 Disk alert fires\n- 09:30 Old logs removed\n\n"
        '<span style="color: red">Kept as written.</span>\n'
    )
    text = imported(project, capsys, source)
    assert '<span style="color: red">Kept as written.</span>' in text


def test_a_first_line_that_reads_as_a_key_is_prose_without_a_title(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = "Summary: the disk filled on 2024-06-04.\n\nWe cleaned it.\n"
    text = imported(project, capsys, source)
    assert "Summary: the disk filled on 2024-06-04." in text


# Updates posted below the write-up as it went on, each opening with its label and time.
POSTED_UPDATES = """\
---
title: Mail outage
date: 2024-05-07
---

Mail delivery has been slow since yesterday afternoon; we disabled it to repair the array.

**UPDATE 7 May 19:27 UTC** - Drives replaced, the array is rebuilding.

**UPDATE 8 May 05:00 UTC** - More work remains before service is restored.

**UPDATE 8 May 15:45 UTC** - Mail service is back online.
"""


def test_updates_posted_with_their_label_and_time_are_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, POSTED_UPDATES)
    assert rows(text) == [
        ("2024-05-07 19:27", "(7 May 19:27 UTC) UPDATE Drives replaced, the array is rebuilding."),
        (
            "2024-05-08 05:00",
            "(8 May 05:00 UTC) UPDATE More work remains before service is restored.",
        ),
        ("15:45", "(8 May 15:45 UTC) UPDATE Mail service is back online."),
    ]
    assert "resolved: 2024-05-08T15:45:00Z  # inferred" in text


TICKETS_AFTER_A_SENTENCE = """\
# Docs site 404s on 2024-06-04

All times in UTC.

## Summary

The docs site served cached 404 pages for four hours.

The changes made to the cache rules during the incident are:

- https://tracker.example.org/infra/pull/101

We learned where our deploy process has gaps. We have created tickets in the infra \
repository to track the work needed to fill those gaps:

- https://tracker.example.org/infra/issues/205
- https://tracker.example.org/infra/issues/206
"""


def test_ticket_links_after_a_sentence_that_opens_them_are_the_action_items(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, TICKETS_AFTER_A_SENTENCE)
    actions = text.split("## Action Items")[1]
    assert "| https://tracker.example.org/infra/issues/205 | TBD |" in actions
    assert "| https://tracker.example.org/infra/issues/206 | TBD |" in actions
    # The changes already made are what was done, not what is to do.
    assert "pull/101" not in actions


# A security post-mortem's timeline: a line per day, the day's entries below it, most
# without a time of day.
DAY_LINES = """\
# Security post-mortem for a parser crash

All times in UTC.

## Timeline

2024-07-25:
* An issue is opened reporting crashes on very long request paths

2024-08-09:
* A fuzzer reports a second crash
  under embargo.

2024-10-08:
* 11:20 AM v2.4.1 pushed
* Advisory published
"""


def test_entries_under_a_line_that_names_their_day(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, DAY_LINES)
    assert rows(text) == [
        (
            "2024-07-25 00:00",
            "(2024-07-25) An issue is opened reporting crashes on very long request paths",
        ),
        ("2024-08-09 00:00", "(2024-08-09) A fuzzer reports a second crash under embargo."),
        ("2024-10-08 11:20", "**2024-10-08** (11:20 AM) v2.4.1 pushed"),
        ("11:20", "(2024-10-08) Advisory published"),
    ]
    # The day's line is in each of its entries, not written again below the table.
    assert "\n2024-08-09:\n" not in text
    assert "resolved: 2024-10-08T11:20:00Z  # inferred" in text


def test_a_closing_paragraph_that_opens_with_what_it_prevents_holds_the_follow_ups(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Search outage on 2024-06-04\n\nAll times in UTC.\n\n## Summary\n\n"
        "Search returned errors for an hour after an index migration.\n\n"
        "## What happened\n\nThe migration held a lock longer than planned.\n\n"
        "To make sure this won't happen again we have added a lock timeout to the "
        "migration tool. Also the index is now rebuilt on a replica first.\n"
    )
    text = imported(project, capsys, source)
    actions = text.split("## Action Items")[1]
    assert "| To make sure this won't happen again we have added a lock timeout" in actions
    assert "| Also the index is now rebuilt on a replica first. |" in actions


def test_a_paragraph_without_that_opening_is_no_follow_up(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Search outage on 2024-06-04\n\nAll times in UTC.\n\n## Summary\n\n"
        "We added a lock timeout to the migration tool. The index is rebuilt on a replica.\n"
    )
    text = imported(project, capsys, source)
    assert "## Action Items\n\nTBD" in text
