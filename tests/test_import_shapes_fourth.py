"""Timeline shapes of real write-ups the importer had not met: stamps written as code under
headings that name their day, tables whose times are not in the first column or whose day
and time sit in columns of their own. Every fixture is an invented incident written in the
shape of a published one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from import_shapes import import_project, imported, rows
from mkdocs_postmortems.cli.main import main


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return import_project(tmp_path, monkeypatch)


# Day sub-headings, the first days' entries without a time, the stamps written as code.
CODE_STAMPS = """\
# 2023-06-02 Label printer queue

## Summary

Shipping labels were printed twice for a morning's orders.

## Timeline

### 2023-05-30
* The printer driver update is merged

### 2023-06-02
* `07:15` - The first duplicate label is reported by the warehouse
* ~`07:40` - The queue is paused by the on-call engineer
* `08:05` - The driver update is rolled back and the queue resumed

## Root Causes

The new driver acknowledged each job twice.
"""


def test_stamps_written_as_code_open_entries(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = rows(imported(project, capsys, CODE_STAMPS))
    assert found[1:] == [
        (
            "2023-06-02 07:15",
            "**2023-06-02** The first duplicate label is reported by the warehouse",
        ),
        ("07:40", "(~07:40) The queue is paused by the on-call engineer"),
        ("08:05", "The driver update is rolled back and the queue resumed"),
    ]


def test_an_entry_without_a_time_under_a_heading_that_names_its_day(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = rows(imported(project, capsys, CODE_STAMPS))
    assert found[0] == ("2023-05-30 00:00", "(2023-05-30) The printer driver update is merged")


# The day and the time in columns of their own, a 12-hour clock in the zone the header
# names, days written without their year, the night crossing midnight.
DAY_AND_TIME_COLUMNS = """\
---
title: Search index rebuild overran
date: 2024-03-20
---

## Timeline

| Date | Time (PT) | Event |
| :--- | :--- | :--- |
| Tue, Mar 12 | 10:50 PM | The nightly index rebuild starts |
| Tue, Mar 12 | 11:40 PM | Search latency alerts fire |
| Wed, Mar 13 | 12:25 AM | The rebuild is stopped and the old index restored |
"""


def test_a_day_column_and_a_time_column_are_read_together(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, DAY_AND_TIME_COLUMNS)
    assert rows(text) == [
        ("2024-03-13 05:50", "(Tue, Mar 12 10:50 PM) The nightly index rebuild starts"),
        ("06:40", "(Tue, Mar 12 11:40 PM) Search latency alerts fire"),
        ("07:25", "(Wed, Mar 13 12:25 AM) The rebuild is stopped and the old index restored"),
    ]
    assert "| Time (UTC) | Event |" in text
    assert "started: 2024-03-13T05:50:00Z" in text


# The stamp in the second column, after the name of the step; some rows name only a day.
STAMP_IN_SECOND_COLUMN = """\
# 2024-03-04 Payment webhook signatures rejected

## Summary

Webhooks from the payment provider were rejected for ten minutes.

## Response timeline

| Step | Timestamp | Notes |
|:-----|:----------|:------|
| Detection | March 4 2024 09:12 UTC | Rejections reported by the provider. |
| Mitigation | March 4 2024 09:22 UTC | The previous signing key was accepted again. |
| Disclosure | March 6, 2024 | A notice was sent to merchants. |
"""


def test_a_table_whose_times_are_in_its_second_column(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, STAMP_IN_SECOND_COLUMN)
    assert "| Time | Step | Notes |" in text
    assert rows(text) == [
        (
            "2024-03-04 09:12",
            "(March 4 2024 09:12 UTC) Detection | Rejections reported by the provider.",
        ),
        (
            "2024-03-04 09:22",
            "(March 4 2024 09:22 UTC) Mitigation | The previous signing key was accepted again.",
        ),
        ("2024-03-06 00:00", "(March 6, 2024) Disclosure | A notice was sent to merchants."),
    ]


def test_a_table_without_a_column_of_times_is_no_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    versions = STAMP_IN_SECOND_COLUMN.replace("March 4 2024 09:12 UTC", "2.4.1")
    versions = versions.replace("March 4 2024 09:22 UTC", "2.4.2")
    versions = versions.replace("March 6, 2024", "2.5.0")
    text = imported(project, capsys, versions)
    assert "| Detection | 2.4.1 | Rejections reported by the provider. |" in text
    assert rows(text) == []


# A timeline that gives the order of events only: no time, no day, one entry with links
# nested below it.
ORDER_ONLY = """\
# Disclosure 2023-02-14: Reward claim replay

## Summary

A claim could be replayed once per epoch.

## Timeline

- A researcher notices that a claim signature carries no nonce.
- They replay one of their own claims on the test network:
  - [first replay](https://example.org/tx/1)
  - [second replay](https://example.org/tx/2)
- The researcher reports the replay to the security address.
- The maintainers add a nonce and ship a fixed release.

## Links

- [the fixed release](https://example.org/release)
"""


def test_a_timeline_that_gives_only_the_order_of_events(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, ORDER_ONLY)
    assert rows(text) == [
        ("TBD", "A researcher notices that a claim signature carries no nonce."),
        (
            "TBD",
            "They replay one of their own claims on the test network: "
            "[first replay](https://example.org/tx/1) [second replay](https://example.org/tx/2)",
        ),
        ("TBD", "The researcher reports the replay to the security address."),
        ("TBD", "The maintainers add a nonce and ship a fixed release."),
    ]
    assert "- [the fixed release](https://example.org/release)" in text
    assert "Timeline as written" not in text


# Entries stamped with a month only, under a note that the dates are approximate.
MONTHS_ONLY = """\
# 2019-05-02 Cluster migration abandoned

## Timeline

*Dates are from memory and approximate.*

* 2018-09: The new cluster's machines are racked
* 2018-11: The storage layer is chosen
* 2019-01: The storage layer cannot share volumes between hosts
* __2019-03: PROJECT STOPPED__
"""


def test_entries_stamped_with_a_month_only_keep_it_in_their_words(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, MONTHS_ONLY)
    assert [event for _, event in rows(text)] == [
        "2018-09: The new cluster's machines are racked",
        "2018-11: The storage layer is chosen",
        "2019-01: The storage layer cannot share volumes between hosts",
        "__2019-03: PROJECT STOPPED__",
    ]
    assert text.index("*Dates are from memory and approximate.*") < text.index("| Time |")


def test_prose_under_a_timeline_heading_stays_prose(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prose = MONTHS_ONLY.replace(
        "*Dates are from memory and approximate.*",
        "The project ran for most of a year. Nobody kept notes while it ran, so what follows "
        "is told from memory by the two people who did the work, and the order of the "
        "middle steps is uncertain. The cluster was never put in front of users, and the "
        "hardware went back to the pool when the room was emptied in the summer.",
    )
    text = imported(project, capsys, prose)
    assert "| TBD |" not in text
    assert "* 2018-09: The new cluster's machines are racked" in text


# Stamps in a zone whose abbreviation names more than one ("GST": the Gulf's or South
# Georgia's), under a line that names the day.
AMBIGUOUS_ZONE = "# Validator upgrade halt\n\n## Timeline\n\n" + "  \n".join(
    # Lines ended by a hard break (two spaces), as the source writes them.
    [
        "2023-04-18:",
        "09:10 GST: Validators report a consensus failure at the upgrade height",
        "09:25 GST: The team confirms two binaries disagree",
        "11:40 GST: Blocks are produced again\n",
    ]
)


def test_stamps_in_a_zone_that_reads_two_ways_are_rows_with_a_question(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project / "source.md"
    source.write_text(AMBIGUOUS_ZONE, encoding="utf-8")
    assert main(["import", str(source), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)["files"][0]
    text = Path(report["target"]).read_text(encoding="utf-8")
    assert [time for time, _ in rows(text)] == ["TBD", "TBD", "TBD"]
    assert "(09:10 GST) Validators report a consensus failure at the upgrade height" in text
    assert "Timeline rows 1, 2, 3: 'GST' may mean Asia/Dubai, Atlantic/South_Georgia;" in (
        "\n".join(report["to_complete"])
    )
    assert "started: 2023-04-18T00:00:00Z" in text


def test_an_imported_row_without_a_time_is_left_to_complete_not_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported(project, capsys, ORDER_ONLY)
    main(["check"])
    out = capsys.readouterr().out
    assert "PM301" not in out
    assert out.count("PM013 timeline row's time is marked TBD: complete it") == 4


HISTORY = """\
---
title: Reward claim replay
severity: SEV3
status: published
started: 2023-02-14T09:00:00Z
detected: 2023-02-14T09:30:00Z
resolved: 2023-02-14T12:00:00Z
published: 2023-02-20
authors: [ana]
services: [rewards]
{imported}---

## Summary

A claim could be replayed once per epoch.

## Timeline

| Time | Event |
|---|---|
| 2023-02-14 09:00 | A replay is noticed |
| TBD | The maintainers ship a fixed release |
"""


@pytest.mark.parametrize(
    ("imported_key", "finding"),
    [
        ('imported: "claims.md"\n', "info PM013 timeline row's time is marked TBD"),
        ("", "error PM301 cannot read time 'TBD'"),
    ],
)
def test_a_time_marked_tbd_is_left_to_complete_in_history_only(
    project: Path, capsys: pytest.CaptureFixture[str], imported_key: str, finding: str
) -> None:
    folder = project / "postmortems" / "2023"
    folder.mkdir(parents=True)
    (folder / "2023-02-14-claims.md").write_text(
        HISTORY.format(imported=imported_key), encoding="utf-8"
    )
    main(["check"])
    out = capsys.readouterr().out
    # The row's line, at its first cell.
    assert re.search(rf"2023-02-14-claims\.md:\d+:3: {re.escape(finding)}", out), out


# The whole timeline written inside a quote.
QUOTED_TIMELINE = """\
# 2024-05-02 Queue stall

## Summary

Jobs stalled for half an hour.

## Timeline

> 10:02 UTC - The queue depth alert fires
> 10:15 UTC - The on-call engineer restarts the consumer
> 10:31 UTC - The queue drains
"""


def test_a_timeline_written_inside_a_quote(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rows(imported(project, capsys, QUOTED_TIMELINE)) == [
        ("2024-05-02 10:02", "(10:02 UTC) The queue depth alert fires"),
        ("10:15", "(10:15 UTC) The on-call engineer restarts the consumer"),
        ("10:31", "(10:31 UTC) The queue drains"),
    ]


def test_a_quote_beside_a_timeline_stays_a_quote(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = QUOTED_TIMELINE.replace(
        "## Timeline\n\n",
        "## Timeline\n\n- 09:58 UTC - A deploy of the consumer starts\n\n",
    )
    found = imported(project, capsys, text)
    assert rows(found) == [("2024-05-02 09:58", "(09:58 UTC) A deploy of the consumer starts")]
    assert "> 10:15 UTC - The on-call engineer restarts the consumer" in found


def test_a_section_whose_table_has_its_times_in_the_second_column_is_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = STAMP_IN_SECOND_COLUMN.replace("## Response timeline", "## How we responded")
    text = text.replace("| Disclosure | March 6, 2024 |", "| Fix | March 4 2024 11:00 UTC |")
    found = imported(project, capsys, text)
    assert "<!-- imported from: ## How we responded -->" in found
    assert len(rows(found)) == 3


# A record of payouts, each with its time in the last column: a table of things that
# happened at times, not the account of the incident.
PAYOUTS = """\
# 2024-03-04 Liquidation engine paid out too little

## Summary

Five vaults were liquidated without their remaining collateral being returned.

## Compensation

| Vault | Amount | Time of liquidation |
|---|---|---|
| vault-a | 4.41 | 04/03/2024 00:50:10 |
| vault-b | 23.39 | 04/03/2024 02:59:44 |
| vault-c | 8.73 | 04/03/2024 13:31:17 |
"""


def test_a_record_with_its_times_in_the_last_column_is_no_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, PAYOUTS)
    assert "| vault-a | 4.41 | 04/03/2024 00:50:10 |" in text
    assert "## Timeline\n\nTBD" in text


# Days named with their weekday and without their year, above the entries of each day;
# the year is the incident's, from the summary.
WEEKDAY_LABELS = """\
# Queue stall

## Summary

Jobs stalled for two hours after the deploy of 2024-04-30.

## Timeline

{mark}Thursday, May 2{end}

- 22:02 UTC: The queue depth alert fires
- 23:15 UTC: The on-call engineer restarts the consumer

{mark}Friday, May 3{end}

- 00:31 UTC: The queue drains
"""


@pytest.mark.parametrize(("mark", "end"), [("**", "**"), ("### ", "")])
def test_a_day_named_with_its_weekday_dates_the_entries_below_it(
    project: Path, capsys: pytest.CaptureFixture[str], mark: str, end: str
) -> None:
    text = imported(project, capsys, WEEKDAY_LABELS.format(mark=mark, end=end))
    assert [time for time, _ in rows(text)] == ["2024-05-02 22:02", "23:15", "2024-05-03 00:31"]


# A blog post whose front-matter date, with its time and offset, is the day it was
# published; its opening names the day of the incident, its timeline only times.
PUBLISHED_LATER = """\
---
layout: post
title: "Post-mortem: queue stall"
date: 2024-05-06 10:00:00 -0500
---

On Thursday, May 2nd, jobs stalled for half an hour.

## Timeline

- 10:02 UTC: Jobs stop leaving the queue
- 10:15 UTC: The on-call engineer restarts the consumer
- 10:31 UTC: The queue drains
"""


def test_the_day_the_opening_names_dates_a_post_published_later(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, PUBLISHED_LATER)
    assert [time for time, _ in rows(text)] == ["2024-05-02 10:02", "10:15", "10:31"]
    assert "started: 2024-05-02T10:02:00Z  # inferred, please confirm: " in text
    assert "published: 2024-05-06  # source: 2024-05-06 10:00:00 -0500" in text


def test_a_post_without_times_is_on_the_day_its_title_names(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = PUBLISHED_LATER.replace("queue stall", "queue stall of May 2nd")
    text = text.split("## Timeline")[0].replace("On Thursday, May 2nd, jobs", "Jobs")
    found = imported(project, capsys, text)
    assert "started: 2024-05-02T00:00:00Z  # only the day is known: complete the time" in found
    assert "published: 2024-05-06" in found


def test_a_day_long_before_the_publication_is_not_the_incidents(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = PUBLISHED_LATER.replace("On Thursday, May 2nd,", "As on 2023-11-02,")
    assert rows(imported(project, capsys, text))[0][0] == "2024-05-06 10:02"


# Entries that name their day without its year, in a disclosure about the new year.
DAYS_WITHOUT_YEAR = """\
# 2024-01-09 Token replay disclosure

## Timeline

- Dec 28: A researcher reports that tokens can be replayed
- Jan 5: A fix is merged
- Jan 9: The fixed release is published
"""


def test_entries_that_name_their_day_without_its_year(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rows(imported(project, capsys, DAYS_WITHOUT_YEAR)) == [
        ("2023-12-28 00:00", "(Dec 28) A researcher reports that tokens can be replayed"),
        ("2024-01-05 00:00", "(Jan 5) A fix is merged"),
        ("2024-01-09 00:00", "(Jan 9) The fixed release is published"),
    ]


def test_a_word_that_only_looks_like_a_month_names_no_day(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DAYS_WITHOUT_YEAR.replace("Dec 28:", "Step 1:").replace("Jan 5:", "Step 2:")
    text = text.replace("Jan 9:", "Step 3:")
    assert [time for time, _ in rows(imported(project, capsys, text))] == ["TBD"] * 3


def test_a_second_column_of_durations_makes_no_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = STAMP_IN_SECOND_COLUMN.replace("## Response timeline", "## Replicas")
    text = text.replace("| Step | Timestamp | Notes |", "| Replica | Lag | Notes |")
    for stamp, lag in (
        ("March 4 2024 09:12 UTC", "0:45"),
        ("March 4 2024 09:22 UTC", "1:10"),
        ("March 6, 2024", "2:30"),
    ):
        text = text.replace(stamp, lag)
    found = imported(project, capsys, text)
    assert "| Detection | 0:45 | Rejections reported by the provider. |" in found
    assert "## Timeline\n\nTBD" in found


def test_a_list_in_a_section_kept_under_the_timeline_is_not_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "# 2024-02-01 Cache poisoning disclosure\n\n## Timeline\n\n"
        "No notes kept.\n\n## Affected versions\n\n"
        "- 1.2.0 and every patch release of it\n- 1.2.1\n- 1.3.0 before its second build\n"
    )
    found = imported(project, capsys, text)
    assert "| TBD |" not in found
    assert "- 1.3.0 before its second build" in found


# Stamps that count from the first time ("[+1 hrs]"), in a list and in a table.
RELATIVE_STAMPS = """\
# 2024-05-02 Upgrade halt

## Timeline

- 22:30 UTC: The upgrade height is reached and the network halts
- [+1 hrs] The cause is confirmed
- [+2.5 hrs] A patched binary is published
- T+30m: Too early a row, written out of order
"""


def test_stamps_that_count_from_the_first_time(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rows(imported(project, capsys, RELATIVE_STAMPS)) == [
        ("2024-05-02 22:30", "(22:30 UTC) The upgrade height is reached and the network halts"),
        ("23:00", "(T+30m) Too early a row, written out of order"),
        ("23:30", "([+1 hrs]) The cause is confirmed"),
        ("2024-05-03 01:00", "([+2.5 hrs]) A patched binary is published"),
    ]


def test_relative_stamps_in_a_table(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = (
        "# 2024-05-02 Upgrade halt\n\n## Timeline\n\n| When | What |\n|---|---|\n"
        "| 10:00 UTC | Upgrade starts |\n| +10 minutes | Migrations finish |\n"
        "| +45 minutes | Blocks are produced again |\n"
    )
    assert [time for time, _ in rows(imported(project, capsys, table))] == [
        "2024-05-02 10:00",
        "10:10",
        "10:45",
    ]


# An incident that runs for days, its timeline's parts named by their number.
NUMBERED_DAYS = """\
# 2024-05-02 Queue stall

## Timeline

### Day 1

- 22:02 UTC: The queue depth alert fires

### Day 2

- 09:15 UTC: The consumer is restarted

### Day 3{named}

- 10:31 UTC: The queue drains
"""


@pytest.mark.parametrize("named", ["", " (May 5)"])
def test_parts_of_a_timeline_named_day_1_day_2(
    project: Path, capsys: pytest.CaptureFixture[str], named: str
) -> None:
    text = imported(project, capsys, NUMBERED_DAYS.format(named=named))
    last = "2024-05-05 10:31" if named else "2024-05-04 10:31"
    assert [time for time, _ in rows(text)] == ["2024-05-02 22:02", "2024-05-03 09:15", last]


def test_a_changelog_table_of_days_makes_no_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "# 2024-03-04 Signature check regression\n\n## Summary\n\nWebhooks were rejected.\n\n"
        "## Releases since\n\n| Version | Date | Changes |\n|---|---|---|\n"
        "| 2.4.1 | 2024-03-04 | Signature check rewritten |\n"
        "| 2.4.2 | 2024-03-05 | Previous key accepted again |\n"
        "| 2.5.0 | 2024-03-12 | Key rotation script fixed |\n"
    )
    found = imported(project, capsys, text)
    assert "| 2.4.2 | 2024-03-05 | Previous key accepted again |" in found
    assert "## Timeline\n\nTBD" in found


def test_a_label_that_only_starts_with_day_and_a_number_names_no_day(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = NUMBERED_DAYS.format(named="").replace("### Day 3", "### Day 10 minutes later")
    text = text.replace("10:31 UTC", "09:31 UTC")
    assert [time for time, _ in rows(imported(project, capsys, text))][-1] == "09:31"


def test_a_day_without_its_year_in_the_year_nearest_the_row_above(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "# 2023-12-31 Queue stall\n\n## Timeline\n\n- Dec 31, 23:50 UTC: The alert fires\n"
        "- Jan 1, 00:15 UTC: The consumer is restarted\n- 00:31 UTC: The queue drains\n"
    )
    assert [time for time, _ in rows(imported(project, capsys, text))] == [
        "2023-12-31 23:50",
        "2024-01-01 00:15",
        "00:31",
    ]


def test_a_day_the_year_does_not_have_is_no_time_and_no_traceback(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "# 2023-03-01 Queue stall\n\n## Timeline\n\n- Feb 29, 10:02 UTC: The alert fires\n"
    found = imported(project, capsys, text)
    assert "(Feb 29, 10:02 UTC) The alert fires" in found
    assert "started: 2023-03-01T00:00:00Z  # only the day is known" in found


# A write-up in plain text: a "Timeline:" line over lines that begin with their time.
PLAIN_TEXT = """\
# 2024-05-02 Queue stall

Jobs stalled for half an hour.

Timeline:

10:02 UTC the queue depth alert fires
10:15 UTC the on-call engineer restarts the consumer
10:31 UTC the queue drains

Cause: a consumer leaked connections.
"""


def test_a_plain_timeline_label_over_lines_that_begin_with_a_time(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, PLAIN_TEXT)
    assert [time for time, _ in rows(text)] == ["2024-05-02 10:02", "10:15", "10:31"]


def test_a_table_that_is_no_timeline_is_not_read_as_sentences(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "# 2024-05-02 Queue stall\n\n## Timeline\n\n"
        "<table><tr><th>Time</th><th>Event</th></tr>"
        "<tr><td>10:02</td><td>The alert fires</td></tr></table>\n"
    )
    found = imported(project, capsys, text)
    assert "| 2024-05-02 10:02 | <table>" not in found
    assert "<tr><td>10:02</td><td>The alert fires</td></tr></table>" in found


def test_the_zone_the_times_header_names_wins_over_the_days(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DAY_AND_TIME_COLUMNS.replace("| Date | Time (PT) |", "| Date (UTC) | Time (PT) |")
    assert rows(imported(project, capsys, text))[0][0] == "2024-03-13 05:50"


def test_an_empty_row_of_an_action_table_is_no_action_item(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "# 2024-05-02 Queue stall\n\n## Action Items\n\n| Description | Assignee |\n"
        "| --- | --- |\n| Alert on consumer connection count | |\n| | |\n"
        "| Document the restart procedure | |\n"
    )
    found = imported(project, capsys, text)
    assert "| Alert on consumer connection count | TBD |" in found
    assert "|  | TBD |" not in found
    assert "\n|  |" not in found
