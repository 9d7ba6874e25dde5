"""Shapes of real write-ups the importer had not met: a zone declared once under the title,
stamps written in square brackets, a chat log pasted below the timeline. Every fixture is
an invented incident written in the shape of a published one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mkdocs_postmortems.cli.main import main

CONFIG = "plugins:\n  - postmortems:\n      folder: postmortems\n      timezone: UTC\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


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


def test_a_link_whose_text_is_a_time_is_no_stamp(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Disk full on 2024-06-04\n\n## Timeline\n\n"
        "- [09:12](https://chat.example.org/p/1) Disk alert fires\n"
        "- 09:30 Old logs removed\n"
    )
    text = imported(project, capsys, source)
    assert "[09:12](https://chat.example.org/p/1)" in text


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
