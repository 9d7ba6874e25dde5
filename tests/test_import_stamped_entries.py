"""Timelines found by what their entries carry: an entry is a block (a heading's section, a
paragraph, a list item) that carries one time stamp, at its start, in its first words, in its
heading, as a link's text, or on a line of its own after its text; a run of such blocks, in
time order either way, is the timeline. Every fixture is an invented incident written in
the shape of a published one."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from import_shapes import front, import_project, import_report, imported, rows, section
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.importers.html_lists import html_lists
from mkdocs_postmortems.importers.placing import Row, newest_first
from mkdocs_postmortems.importers.report import Report
from mkdocs_postmortems.importers.status_page import stamp_line
from mkdocs_postmortems.importers.times import Clock


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return import_project(tmp_path, monkeypatch)


# A hosted status page's incident: each update a section under its state's name, its text,
# then the line that says when it was posted and what it affected; newest first.
SECTIONED = """\
# Elevated errors on the package registry

Incident report for Example Registry

## Resolved

Between 09:02 and 09:48 UTC, package downloads failed for about a third of requests.

The cause was a cache node that ran out of disk.

Posted May 14, 2024 - 10:15 UTC

This incident affected: Downloads, API.

## Monitoring

A fix has been applied and downloads are recovering.

Posted May 14, 2024 - 09:50 UTC

This incident affected: Downloads, API.

## Investigating

We are looking into failed package downloads.

Posted May 14, 2024 - 09:20 UTC

This incident affected: Downloads, API.
"""


def test_status_updates_each_a_section_are_the_timeline_oldest_first(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, SECTIONED)
    found = rows(text)
    assert [at for at, _ in found] == ["2024-05-14 09:20", "2024-05-14 09:50", "2024-05-14 10:15"]
    # The state stays as the entry's label; the words of the stamp's line and what the
    # update affected stay in the entry, in the order the update wrote them.
    assert found[0][1] == (
        "(May 14, 2024 - 09:20 UTC) **Investigating**: We are looking into failed package "
        "downloads. <!-- Posted --> This incident affected: Downloads, API."
    )
    assert "**Resolved**: Between 09:02 and 09:48 UTC" in found[2][1]
    # The last update sums the incident up: its window is the start and the end.
    assert "started: 2024-05-14T09:02:00Z  # inferred" in text
    assert "resolved: 2024-05-14T09:48:00Z  # inferred" in text
    # A post says when the public was told, not when the team knew.
    assert "detected: TBD" in front(text)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Updated on 2024-05-14 09:05 UTC", "Updated on 2024-05-14 09:20 UTC"),
        ("*Posted: 14 May 2024, 11:05 CEST*", "*Posted: 14 May 2024, 11:20 CEST*"),
        ("— May 14, 2024 5:05 AM EDT", "— May 14, 2024 5:20 AM EDT"),
    ],
)
def test_a_section_stamped_before_its_text_or_in_other_words_is_an_update(
    project: Path, capsys: pytest.CaptureFixture[str], first: str, second: str
) -> None:
    source = (
        "# Registry errors\n\n## Identified\n\n"
        f"{second}\n\nA cache node is out of disk.\n\n"
        f"## Investigating\n\n{first}\n\nDownloads fail.\n"
    )
    found = rows(imported(project, capsys, source))
    assert [at for at, _ in found] == ["2024-05-14 09:05", "2024-05-14 09:20"]
    assert "**Identified**:" in found[1][1]


def test_sections_without_one_stamp_each_stay_sections(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # One stamped section is no run of updates; a section that holds two is no update.
    source = (
        "# Registry errors on 2024-05-14\n\n## Background\n\nThe registry runs on three "
        "cache nodes.\n\nPosted May 14, 2024 - 09:20 UTC\n\n## Analysis\n\nThe first node "
        "filled up.\n\nPosted May 14, 2024 - 09:30 UTC\n\nPosted May 14, 2024 - 09:40 UTC\n"
    )
    text = imported(project, capsys, source)
    assert rows(text) == []
    assert "Posted May 14, 2024 - 09:20 UTC" in text


# A university status page: each update a labelled paragraph, its stamp on the paragraph's
# last line in markup, a day without its year and "PT"; the year in the heading above.
STAMPED_AFTER = """\
### June 15-25, 2024

#### <span class="incident-title">Scratch storage unreliable</span>

**Resolved**: All compute nodes are back in the queue.
<br><span class="timestamp">June 25, 00:30 PT</span>

**Update**: The replacement controller is in and the
array is rebuilding.
<br><span class="timestamp">June 20, 23:30 PT</span>

**Notice**: Scratch storage hangs for minutes at a time.
<br><span class="timestamp">June 15, 23:15 PT</span>
"""


def test_updates_stamped_on_their_last_line_are_the_timeline_in_their_zone(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, text = import_report(project, capsys, STAMPED_AFTER)
    assert "Timeline: written newest first; the table is oldest first" in report["mapped"]
    # The year comes from the heading's day, not from the stamps: an assumption, told.
    assert (
        "Timeline rows 1, 2, 3: a day written without its year, read in 2024 (the incident's "
        "year); check it"
    ) in report["to_complete"]
    found = rows(text)
    # PT in June is Pacific daylight time; 23:15 PT is the next day in UTC.
    assert [at for at, _ in found] == ["2024-06-16 06:15", "2024-06-21 06:30", "2024-06-25 07:30"]
    assert found[0][1] == (
        "(June 15, 23:15 PT) **Notice**: Scratch storage hangs for minutes at a time. "
        '<!-- <br><span class="timestamp"> </span> -->'
    )


@pytest.mark.parametrize(
    "last_line",
    ["_Posted 2024-03-04 10:05 UTC_", "(updated 4 March 2024, 10:05 UTC)", "— 2024-03-04 10:05Z"],
)
def test_a_paragraph_ending_in_its_stamp_in_other_markup(
    project: Path, capsys: pytest.CaptureFixture[str], last_line: str
) -> None:
    later = last_line.replace("10:05", "10:40")
    source = (
        "# Mail delays\n\n"
        f"We are looking into delayed mail.\n{last_line}\n\n"
        f"Mail flows again.\n{later}\n"
    )
    found = rows(imported(project, capsys, source))
    assert [at for at, _ in found] == ["2024-03-04 10:05", "2024-03-04 10:40"]
    assert found[1][1].startswith("Mail flows again.") or "Mail flows again." in found[1][1]


# A status page whose updates are headings that are bare times, newest first, the day in
# the front matter only.
TIME_HEADINGS = """\
---
title: "Login gateway down"
date: 2024-09-03T08:00:00
---

## 10:40

Everything works again; we keep watching the gateway.

## 09:55

The gateway answers again, slowly.

## 09:05

Nobody can log in. The gateway's upstream network is down.
"""


def test_headings_that_are_times_are_one_timeline_read_oldest_first(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = imported(project, capsys, TIME_HEADINGS)
    # Newest first with bare times: 09:55 below 10:40 is the same morning, not the next day.
    assert rows(text) == [
        ("2024-09-03 09:05", "Nobody can log in. The gateway's upstream network is down."),
        ("09:55", "The gateway answers again, slowly."),
        ("10:40", "Everything works again; we keep watching the gateway."),
    ]


def test_update_headings_with_their_paragraphs_under_another_heading(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each update a sub-heading "Update <date> <time>:" over several paragraphs: one entry
    # each, however many paragraphs it holds.
    source = (
        "---\ntitle: Learning platform unavailable\ndate: 2022-08-25T08:00:00\n---\n\n"
        "## News from the platform team\n\n"
        "### Update 26.08.2022 18:00 Uhr:\n\nThe restore runs through the night.\n\n"
        "Mail sent meanwhile is kept.\n\nWe test everything on Saturday.\n\n"
        "### Update 26.08.2022 09:30 Uhr:\n\nThe hosting provider is restoring the cluster.\n\n"
        "### Update 25.08.2022 08:00 Uhr:\n\nNobody can log in.\n"
    )
    found = rows(imported(project, capsys, source))
    assert [at for at, _ in found] == [
        "2022-08-25 08:00",
        "2022-08-26 09:30",
        "2022-08-26 18:00",
    ]
    assert "Mail sent meanwhile is kept." in found[2][1]


# An incident folder's report: a day sub-heading, then paragraphs that open with a 4-digit
# time, several of them as the text of a link to the chat message.
LINKED = """\
# 2019-03-12 -- Thumbnails broken

## Summary

Thumbnails failed to render for about two hours.

## How it was fixed

### 12 Mar 2019

1402: The thumbnail provider reported elevated errors.

[1417](https://chat.example.com/archives/ops/p1552399020): Dana noticed broken thumbnails.

~1430: We agreed to serve the original images instead.

**[1505](https://git.example.com/cdn/pull/77)**: The switch to original images was merged.

1611: The provider recovered and the switch was reverted.
"""


def test_a_time_written_as_a_link_opens_its_entry_and_keeps_the_link(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = rows(imported(project, capsys, LINKED))
    assert [at for at, _ in found] == ["2019-03-12 14:02", "14:17", "14:30", "15:05", "16:11"]
    assert found[1][1] == (
        "([1417](https://chat.example.com/archives/ops/p1552399020)) Dana noticed broken "
        "thumbnails."
    )
    assert found[3][1] == (
        "([1505](https://git.example.com/cdn/pull/77)) The switch to original images was merged."
    )


# A blog post's timeline: a sentence that names it, a numbered list of sentences opening
# with their time, some items without one, one item going on below it against the margin.
SENTENCES = """\
# Read-only workspaces on 2024-05-03

On May 3 workspaces became read-only for about two hours.

## What happened

This is the sequence of events, all times in Eastern Time:

1. On April 30 we shipped a new write path behind a flag.
2. At 10:47 the flag was turned on for every region by mistake.
Writes began to fail almost at once.
3. Around 10:55, the on-call engineer was paged by the write-error alert.
4. We rolled the flag back region by region.
5. By 12:40 every region was writable again.
"""


def test_a_list_of_sentences_opening_with_their_time_is_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, text = import_report(project, capsys, SENTENCES)
    assert rows(text) == [
        ("TBD", "On April 30 we shipped a new write path behind a flag."),
        (
            "2024-05-03 14:47",
            "At 10:47 the flag was turned on for every region by mistake. Writes began to "
            "fail almost at once.",
        ),
        ("14:55", "(Around 10:55) the on-call engineer was paged by the write-error alert."),
        ("TBD", "We rolled the flag back region by region."),
        ("16:40", "By 12:40 every region was writable again."),
    ]
    assert (
        "Timeline rows 1, 4: entries of the timeline without a time; kept in their place, "
        "marked TBD"
    ) in report["to_complete"]


def test_a_sentence_naming_the_timeline_over_a_list_with_few_times(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Storage incident on 2023-09-29\n\n## Technical details\n\n"
        "Here is the timeline of what happened, all times in UTC:\n\n"
        "* Earlier that month we built a faster commit path.\n"
        "* On Sep 29 at 14:00, the unfinished path reached production.\n"
        "* We began rolling back at once.\n"
        "* The team set up a recovery rotation.\n"
        "* On Sep 30 at 02:30 the first recovery batch ran.\n"
    )
    text = imported(project, capsys, source)
    found = rows(text)
    assert len(found) == 5
    assert found[1] == (
        "2023-09-29 14:00",
        "On Sep 29 at 14:00, the unfinished path reached production.",
    )
    assert found[4][0] == "2023-09-30 02:30"
    assert "Here is the timeline of what happened, all times in UTC:" in section(text, "Timeline")


def test_a_list_with_a_single_time_keeps_its_items_as_text(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Queue stall on 2024-02-01\n\n## Timeline\n\n- 10:02 The queue stalls.\n\n"
        "Contributing factors:\n\n- The consumer had no timeout.\n- Alerts went to an old "
        "channel.\n- Nobody owned the queue.\n"
    )
    text = imported(project, capsys, source)
    assert [at for at, _ in rows(text)] == ["2024-02-01 10:02"]
    assert "- The consumer had no timeout." in section(text, "Timeline")


def _row(at: str, day: date | None = None, month_day: tuple[int, int] | None = None) -> Row:
    hour, minute = map(int, at.split(":"))
    clock = Clock(time(hour, minute), day, month_day, None, False, len(at), True)
    return Row(clock, at, "", [])


@pytest.mark.parametrize(
    ("stamps", "backwards"),
    [
        (["09:25", "09:10", "08:10"], True),
        (["08:10", "09:10", "09:25"], False),
        # Over midnight, oldest first and newest first.
        (["22:40", "23:50", "00:15", "01:30"], False),
        (["01:30", "00:15", "23:50", "22:40"], True),
        (["09:10", "08:10"], True),
        (["10:00", "10:00"], False),
    ],
)
def test_newest_first_reads_the_direction_of_bare_times(stamps: list[str], backwards: bool) -> None:
    assert newest_first([_row(at) for at in stamps]) is backwards


def test_newest_first_goes_the_short_way_round_the_year() -> None:
    oldest_first = [_row("23:50", month_day=(12, 31)), _row("00:15", month_day=(1, 1))]
    assert not newest_first(oldest_first)
    assert newest_first(list(reversed(oldest_first)))
    dated = [_row("10:00", day=date(2024, 5, 2)), _row("09:00", day=date(2024, 5, 1))]
    assert newest_first(dated)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Posted Jun 29, 2023 - 18:36 UTC", ("Jun 29, 2023 - 18:36 UTC", "<!-- Posted -->")),
        (
            '<br><span class="timestamp">April 6, 17:00 PT</span>',
            ("April 6, 17:00 PT", '<!-- <br><span class="timestamp"> </span> -->'),
        ),
        ("*Updated on 2024-05-01 10:00 UTC.*", ("2024-05-01 10:00 UTC", "<!-- *Updated on .* -->")),
        (
            "_Posted 2024-05-01 10:00 UTC_",
            ("2024-05-01 10:00 UTC", "<!-- _Posted 2024-05-01 10:00 UTC_ -->"),
        ),
        ("Last updated: 14:05 CET", ("14:05 CET", "<!-- Last updated: -->")),
        ("10:02", ("10:02", "")),
        ("We restarted the service at 10:00", None),
        ("- 10:02 paged", None),
        ("The outage lasted 2 hours", None),
        ("Posted by the infrastructure team", None),
    ],
)
def test_a_stamp_line_is_a_stamp_and_nothing_else(
    line: str, expected: tuple[str, str] | None
) -> None:
    assert stamp_line(line) == expected


# A status page kept in git whose updates open with their state and mostly carry no stamp:
# the page's date for the first, its date of resolution for the Resolved one, a local time
# after the state for a few.
LABELLED = """\
---
title: Mail relay degraded
date: 2023-02-07T21:10:00.000Z
resolvedWhen: 2023-02-07T22:40:00.000Z
---
*Investigating* - Some outgoing mail is delayed. We are looking into it.

*Update* - The relay's queue is growing; we are adding capacity.

*Update* - (2:05 PM PST) The new relays are taking traffic.

*Resolved* - The queue is empty and mail flows normally.

*Post Mortem -* A write-up will follow on this page.
"""


def test_updates_opening_with_their_state_are_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, text = import_report(project, capsys, LABELLED)
    found = rows(text)
    assert [at for at, _ in found] == [
        "2023-02-07 21:10:00",
        "TBD",
        "22:05",
        "2023-02-07 22:40:00",
        "TBD",
    ]
    # The local stamp moves to the front, read in its zone; the state stays the entry's lead.
    assert found[2][1] == "(2:05 PM PST) *Update* - The new relays are taking traffic."
    assert found[4][1] == "*Post Mortem -* A write-up will follow on this page."
    assert "5 status updates opening with their state -> '## Timeline'" in report["mapped"]


def test_updates_opening_with_their_state_newest_first(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "---\ntitle: Mail relay degraded\ndate: 2023-02-07T21:10:00Z\n"
        "resolved_on: 2023-02-07T22:40:00Z\n---\n"
        "**Resolved**: Mail flows normally.\n\n**Monitoring**: New relays take traffic.\n\n"
        "**Investigating**: Outgoing mail is delayed.\n"
    )
    found = rows(imported(project, capsys, source))
    assert found == [
        (
            "2023-02-07 21:10:00",
            "(2023-02-07T21:10:00Z) **Investigating**: Outgoing mail is delayed.",
        ),
        ("TBD", "**Monitoring**: New relays take traffic."),
        ("2023-02-07 22:40:00", "(2023-02-07T22:40:00Z) **Resolved**: Mail flows normally."),
    ]


def test_two_paragraphs_opening_with_a_state_are_no_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "---\ntitle: Mail relay degraded\ndate: 2023-02-07T21:10:00Z\n---\n"
        "*Update* - The relay's queue is growing.\n\n*Resolved* - Mail flows normally.\n"
    )
    text = imported(project, capsys, source)
    assert rows(text) == []
    assert "*Update* - The relay's queue is growing." in text


def test_a_timed_list_indented_under_its_heading_keeps_its_untimed_items(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# DNS outage 2018-08-27\n\n## Timeline\n"
        "  - 19:00 UTC - the name servers are moved\n"
        "  - Lookups start to fail as caches expire\n"
        "  - 19:26 UTC - trees closed\n"
        "  - .. much investigation\n"
        "  - 20:40 UTC - records added, trees re-open\n"
    )
    found = rows(imported(project, capsys, source))
    assert [at for at, _ in found] == ["2018-08-27 19:00", "TBD", "19:26", "TBD", "20:40"]
    assert found[3][1] == ".. much investigation"


# A status page's old incident migrated into one update: its stamped entries an HTML list
# written inside the Markdown, on one line.
HTML_LIST = (
    "# Incident on 2018-07-16 17:32:53 UTC\n\n## Resolved\n\n"
    "<ul><li><strong>2018-07-16 17:32:53</strong> - We are investigating elevated error "
    "rates.</li><li><strong>2018-07-16 18:04:38</strong> - We found the cause and are "
    "remediating.</li><li><em>2018-07-16 23:10:17</em> - All systems operational.</li></ul>\n\n"
    "Posted Jul 16, 2018 - 17:32 UTC\n"
)


def test_a_list_written_in_html_is_read_as_a_list(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = rows(imported(project, capsys, HTML_LIST))
    assert [at for at, _ in found] == [
        "2018-07-16 17:32:53",
        "2018-07-16 18:04:38",
        "2018-07-16 23:10:17",
    ]
    assert found[2][1] == "All systems operational. <!-- <li><em></em></li> -->"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<ol class="steps">\n<li>Paged at <b>10:02</b></li>\n<li>Restarted</li>\n</ol>',
            [
                "",
                '<!-- <ol class="steps"> -->',
                "- Paged at **10:02** <!-- <li><b></b></li> -->",
                "- Restarted <!-- <li></li> -->",
                "<!-- </ol> -->",
                "",
            ],
        ),
        # Text before and after the list on its line stays, as paragraphs of its own.
        (
            "Updates: <ul><li>one</li><li>two</li></ul> (end)",
            [
                "",
                "Updates:",
                "",
                "<!-- <ul> -->",
                "- one <!-- <li></li> -->",
                "- two <!-- <li></li> -->",
                "<!-- </ul> -->",
                "",
                "(end)",
                "",
            ],
        ),
    ],
)
def test_an_html_list_becomes_markdown_items_with_its_tags_kept(
    html: str, expected: list[str]
) -> None:
    assert html_lists(html.split("\n"), Report("x.md")) == expected


@pytest.mark.parametrize(
    "html",
    [
        "<ul><li>one<ul><li>nested</li><li>again</li></ul></li><li>two</li></ul>",
        "<ul><li>one</li> loose words <li>two</li></ul>",
        "<ul><li>one</li><li>two</li>",
        "<ul><li>only one</li></ul>",
        "```\n<ul><li>one</li><li>two</li></ul>\n```",
    ],
)
def test_an_html_list_it_cannot_flatten_stays_as_written(html: str) -> None:
    lines = html.split("\n")
    assert html_lists(lines, Report("x.md")) == lines


def test_headings_that_name_the_state_and_the_stamp_are_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Search outage on 2024-04-02\n\n## Updates\n\n"
        "### Resolved - April 2, 10:40 UTC\n\nSearch fully recovered.\n\n"
        "### Identified: April 2, 09:55 UTC\n\nThe index is corrupt; rebuilding.\n\n"
        "### Investigating | April 2, 09:05 UTC\n\nSearch returns errors.\n"
    )
    assert rows(imported(project, capsys, source)) == [
        ("2024-04-02 09:05", "(April 2, 09:05 UTC) Investigating Search returns errors."),
        ("09:55", "(April 2, 09:55 UTC) Identified The index is corrupt; rebuilding."),
        ("10:40", "(April 2, 10:40 UTC) Resolved Search fully recovered."),
    ]


AFTER_THE_TEXT = """\
# Search outage on 2024-04-02

## What happened

Search returns errors. — 09:05 UTC

The on-call engineer is paged (09:12 UTC)

Search fully recovered. - 10:40 UTC
"""


def test_paragraphs_ending_in_their_stamp_three_in_a_row_are_the_timeline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rows(imported(project, capsys, AFTER_THE_TEXT)) == [
        ("2024-04-02 09:05", "(09:05 UTC) Search returns errors."),
        ("09:12", "(09:12 UTC) The on-call engineer is paged"),
        ("10:40", "(10:40 UTC) Search fully recovered."),
    ]


def test_two_sentences_ending_in_a_time_stay_sentences(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two = AFTER_THE_TEXT.split("\n\nSearch fully")[0] + "\n"
    text = imported(project, capsys, two)
    assert rows(text) == []
    assert "The on-call engineer is paged (09:12 UTC)" in text


def test_updates_with_their_stamp_in_brackets_after_the_state(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Search outage on 2024-04-02\n\n## Status updates\n\n"
        "**Update (11:05 UTC):** Search fully recovered.\n\n"
        "**Update (10:15 UTC):** The index is being rebuilt.\n\n"
        "**Investigating (09:20 UTC):** Search returns errors for some users.\n"
    )
    assert rows(imported(project, capsys, source)) == [
        ("2024-04-02 09:20", "(09:20 UTC) Investigating Search returns errors for some users."),
        ("10:15", "(10:15 UTC) Update The index is being rebuilt."),
        ("11:05", "(11:05 UTC) Update Search fully recovered."),
    ]


def test_the_days_of_a_timeline_written_newest_first_lead_their_oldest_row(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Search outage\n\n## Timeline\n\n**April 3, 2024**\n\n- 00:40 Search recovered\n"
        "- 00:05 Index rebuilt\n\n**April 2, 2024**\n\n- 23:50 Errors spread\n"
        "- 23:20 Search returns errors\n"
    )
    assert rows(imported(project, capsys, source)) == [
        ("2024-04-02 23:20", "**April 2, 2024** Search returns errors"),
        ("23:50", "Errors spread"),
        ("2024-04-03 00:05", "**April 3, 2024** Index rebuilt"),
        ("00:40", "Search recovered"),
    ]


def test_an_item_that_comments_on_the_timeline_stays_text_below_the_table(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Queue stall on 2024-02-01\n\n## Timeline\n\n- 10:02 The queue stalls.\n"
        "- The consumers are restarted.\n- 10:30 The queue drains.\n"
        "- **Note:** the status page was not updated.\n"
        "- **Impact**: no messages were lost.\n"
    )
    text = imported(project, capsys, source)
    assert [at for at, _ in rows(text)] == ["2024-02-01 10:02", "TBD", "10:30"]
    assert "- **Note:** the status page was not updated." in section(text, "Timeline")
    assert "- **Impact**: no messages were lost." in section(text, "Timeline")


def test_a_summary_left_with_subheadings_only_is_marked_to_write(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The updates under the page's headings became the timeline: the headings alone are no
    # summary, and the check's first run reports the TBD to complete, not an empty section.
    text = imported(project, capsys, STAMPED_AFTER)
    summary = section(text, "Summary").strip().split("\n")
    assert summary[:3] == ["TBD", "", "### June 15-25, 2024"]
    assert main(["check"]) == 0
    assert "PM201" not in capsys.readouterr().out


def test_sections_of_a_post_mortem_each_with_a_stamp_line_stay_sections(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (
        "# Registry errors on 2024-05-14\n\n## Summary\n\nDownloads failed.\n\n"
        "Last updated: 2024-05-20 10:00 UTC\n\n## Impact\n\nA third of requests failed.\n\n"
        "Last updated: 2024-05-21 10:00 UTC\n"
    )
    text = imported(project, capsys, source)
    assert rows(text) == []
    assert section(text, "Impact").strip().startswith("A third of requests failed.")
