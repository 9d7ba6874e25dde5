"""``check`` reads a timeline in the zone its section declares (a line above the table, the
time column's header, the heading), places rows across midnight and over several days, reads
times as people write them, and reports a timeline hours off the front matter (PM304)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import VALID, VALID_NAME, Checker
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config_file import load_settings
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase, load
from mkdocs_postmortems.rules import RULES, RULESET

UTC = timezone.utc
TABLE = """\
| Time | Event |
|------|-------|
| 2026-03-04 14:02 | Config change rolled out to all regions |
| 14:09 | Error-rate alert paged the on-call engineer |
| 15:30 | Previous config restored, errors back to baseline |
"""
# The same incident, its front matter in UTC and its timeline as written in Pacific time.
PACIFIC = VALID.replace("T14:02:00Z", "T22:02:00Z").replace("T14:09:00Z", "T22:09:00Z")
PACIFIC = PACIFIC.replace("T15:30:00Z", "T23:30:00Z")


def timeline(kb_of: Callable[..., KnowledgeBase], text: str) -> list[str]:
    kb = kb_of({VALID_NAME: text})
    assert [f.format() for f in kb.findings] == []
    (pm,) = kb.postmortems
    return [entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M") for entry in pm.timeline]


def test_a_line_above_the_table_declares_the_zone(kb_of: Callable[..., KnowledgeBase]) -> None:
    text = PACIFIC.replace(TABLE, "All timestamps are in PST.\n\n" + TABLE)
    assert timeline(kb_of, text) == ["2026-03-04 22:02", "2026-03-04 22:09", "2026-03-04 23:30"]


def test_the_time_column_declares_the_zone(kb_of: Callable[..., KnowledgeBase]) -> None:
    text = PACIFIC.replace("| Time | Event |", "| Time (PST) | Event |")
    assert timeline(kb_of, text) == ["2026-03-04 22:02", "2026-03-04 22:09", "2026-03-04 23:30"]


def test_a_zone_that_follows_daylight_saving(kb_of: Callable[..., KnowledgeBase]) -> None:
    text = PACIFIC.replace(TABLE, "Times in Pacific Time.\n\n" + TABLE)
    assert timeline(kb_of, text)[0] == "2026-03-04 22:02"


def test_the_heading_declares_the_zone_and_is_the_timeline(
    kb_of: Callable[..., KnowledgeBase],
) -> None:
    berlin = VALID.replace(
        "tags: [config, deploy]", "tags: [config, deploy]\ntimezone: Europe/Berlin"
    )
    text = berlin.replace("## Timeline\n", "## Timeline (UTC)\n")
    assert timeline(kb_of, text) == ["2026-03-04 14:02", "2026-03-04 14:09", "2026-03-04 15:30"]


@pytest.mark.parametrize("heading", ["Detailed timeline", "Timeline of events", "Timeline (UTC)"])
def test_headings_that_are_the_timeline(check: Checker, heading: str) -> None:
    assert check(VALID.replace("## Timeline\n", f"## {heading}\n")) == []


def test_an_explicit_zone_wins_over_the_declared_one(kb_of: Callable[..., KnowledgeBase]) -> None:
    text = PACIFIC.replace(TABLE, "All times are in PST.\n\n" + TABLE)
    text = text.replace("| 15:30 |", "| 22:20 UTC | Status page updated |\n| 15:30 |")
    assert timeline(kb_of, text)[2:] == ["2026-03-04 22:20", "2026-03-04 23:30"]


def test_a_timeline_crossing_midnight(kb_of: Callable[..., KnowledgeBase]) -> None:
    text = VALID.replace("T14:02:00Z", "T23:40:00Z").replace("T14:09:00Z", "T23:52:00Z")
    text = text.replace("resolved: 2026-03-04T15:30:00Z", "resolved: 2026-03-05T00:45:00Z")
    text = text.replace("| 2026-03-04 14:02 |", "| 2026-03-04 23:40 |")
    text = text.replace("| 14:09 |", "| 23:52 |").replace("| 15:30 |", "| 00:45 |")
    assert timeline(kb_of, text) == ["2026-03-04 23:40", "2026-03-04 23:52", "2026-03-05 00:45"]


def test_a_small_step_back_is_still_out_of_order(check: Checker) -> None:
    findings = check(VALID.replace("| 15:30 |", "| 14:00 |"))
    assert [(f.code, f.line) for f in findings] == [("PM302", 30)]


def test_an_incident_running_for_days(kb_of: Callable[..., KnowledgeBase]) -> None:
    text = VALID.replace("resolved: 2026-03-04T15:30:00Z", "resolved: 2026-03-06T09:15:00Z")
    text = text.replace(
        "| 15:30 | Previous config restored, errors back to baseline |",
        "| 2026-03-05 08:00 | Second region failed over |\n| 17:45 | Vendor fix deployed |\n"
        "| March 6, 2026 9:15 AM | Previous config restored, errors back to baseline |",
    )
    assert timeline(kb_of, text) == [
        "2026-03-04 14:02",
        "2026-03-04 14:09",
        "2026-03-05 08:00",
        "2026-03-05 17:45",
        "2026-03-06 09:15",
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2:09 PM", "2026-03-04 14:09"),
        ("14:09 UTC", "2026-03-04 14:09"),
        ("1409Z", "2026-03-04 14:09"),
    ],
)
def test_times_as_people_write_them(
    kb_of: Callable[..., KnowledgeBase], cell: str, expected: str
) -> None:
    assert timeline(kb_of, VALID.replace("| 14:09 |", f"| {cell} |"))[1] == expected


def test_an_ambiguous_time_is_reported_with_its_question(check: Checker) -> None:
    findings = check(VALID.replace("| 14:09 |", "| 14:09 IST |"))
    assert [(f.code, f.line, f.col) for f in findings] == [("PM301", 29, 3)]
    assert "'IST' may mean Asia/Kolkata, Europe/Dublin, Asia/Jerusalem" in findings[0].message


def test_a_zone_named_out_of_its_season_is_read_as_written_and_reported(
    check: Checker,
) -> None:
    # 2026-03-04: Los Angeles keeps PST (UTC-8); "PDT" says UTC-7.
    text = PACIFIC.replace(TABLE, "All times are in PST.\n\n" + TABLE)
    findings = check(text.replace("| 14:09 |", "| 15:09 PDT |"))
    assert [(f.code, f.line, f.col, f.level) for f in findings] == [("PM305", 31, 3, "warning")]
    assert findings[0].message == (
        "'PDT' is UTC-07:00, but on 2026-03-04 America/Los_Angeles kept UTC-08:00 (PST); "
        "read as written"
    )


def test_a_declared_zone_out_of_its_season_is_reported_once(check: Checker) -> None:
    text = PACIFIC.replace("| Time | Event |", "| Time (PDT) | Event |")
    text = text.replace("| 2026-03-04 14:02 |", "| 2026-03-04 15:02 |")
    text = text.replace("| 14:09 |", "| 15:09 |").replace("| 15:30 |", "| 16:30 |")
    assert [(f.code, f.line) for f in check(text)] == [("PM305", 28)]


@pytest.mark.parametrize(
    ("cell", "question"),
    [
        ("2026-10-25 02:30", "02:30 happened twice on 2026-10-25 in Europe/Berlin"),
        ("2026-03-29 02:30", "02:30 does not exist on 2026-03-29 in Europe/Berlin"),
    ],
)
def test_a_local_time_the_clocks_changed_over_is_asked_about(
    check: Checker, cell: str, question: str
) -> None:
    berlin = VALID.replace(
        "tags: [config, deploy]", "tags: [config, deploy]\ntimezone: Europe/Berlin"
    )
    findings = check(berlin.replace("| 14:09 |", f"| {cell} |"))
    assert ("PM301", 30) in [(f.code, f.line) for f in findings]
    assert question in next(f.message for f in findings if f.code == "PM301")
    # Its offset written, it is one instant.
    offset = "+01:00" if cell.startswith("2026-10") else "+02:00"
    assert "PM301" not in [
        f.code for f in check(berlin.replace("| 14:09 |", f"| {cell}{offset} |"))
    ]


def test_a_timeline_hours_off_the_front_matter_is_reported(check: Checker) -> None:
    # A Jekyll post's offset kept in `started`, its timeline rows as written locally but
    # read in the configured zone (UTC): every row five hours early.
    text = VALID.replace("2026-03-04T14:02:00Z", "2026-03-04T14:02:00-05:00")
    text = text.replace("2026-03-04T14:09:00Z", "2026-03-04T14:09:00-05:00")
    text = text.replace("2026-03-04T15:30:00Z", "2026-03-04T15:30:00-05:00")
    findings = check(text)
    assert [(f.code, f.level) for f in findings] == [("PM304", "warning")]
    assert findings[0].message == (
        "every timeline row is before started (2026-03-04 19:02 UTC): the last is 3.5 hours "
        "earlier; a timeline in another zone?"
    )
    # Declared, the same rows agree with the front matter.
    assert check(text.replace("| Time | Event |", "| Time (UTC-5) | Event |")) == []


def test_a_timeline_shifted_by_whole_hours_is_reported(check: Checker) -> None:
    text = VALID.replace("T14:02:00Z", "T16:02:00Z").replace("T14:09:00Z", "T16:09:00Z")
    text = text.replace("T15:30:00Z", "T17:30:00Z")
    findings = check(text)
    assert [(f.code, f.line) for f in findings] == [("PM304", 28)]
    assert findings[0].message == (
        "no row at started (2026-03-04 16:02 UTC), but this one is exactly 2 hours earlier, "
        "and so is resolved's; a timeline in another zone?"
    )


def test_rows_before_the_start_alone_are_not_reported(check: Checker) -> None:
    # The trigger an hour before the impact is history, not a wrong zone.
    text = VALID.replace("| 2026-03-04 14:02 |", "| 2026-03-04 13:02 | Deploy |\n| 14:02 |")
    assert check(text) == []


def test_entries_are_aware(kb_of: Callable[..., KnowledgeBase]) -> None:
    kb = kb_of({VALID_NAME: VALID.replace("| Time | Event |", "| Time (CET) | Event |")})
    (pm,) = kb.postmortems
    assert pm.timeline[0].at == datetime(2026, 3, 4, 13, 2, tzinfo=UTC)


# --- the same declarations through `postmortems import`, then `check` -----------------------

IMPORTED = """\
---
title: Search indexing stalled
date: 2025-06-10
---

## Summary

New products did not appear in search.

## {heading}

{declaration}

{rows}

## Action items

- Alert on indexing lag
"""
BULLETS = "- 09:12 Indexer queue stopped draining\n- 09:40 Alert paged the on-call\n- 10:05 Queue restored"
TABLE_ROWS = (
    "| {time} | Event |\n|---|---|\n| 09:12 | Indexer queue stopped draining |\n"
    "| 09:40 | Alert paged the on-call |\n| 10:05 | Queue restored |"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - postmortems:\n      folder: postmortems\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("heading", "declaration", "rows", "first"),
    [
        ("Timeline", "_All timestamps are in PDT._", BULLETS, "16:12"),
        # A name that follows daylight saving: UTC-7 on a June day, not its standard UTC-8.
        ("Timeline", "All times below are Pacific Time.", BULLETS, "16:12"),
        ("Timeline (UTC)", "", BULLETS, "09:12"),
        ("Timeline", "", TABLE_ROWS.format(time="Time (PST)"), "17:12"),
        ("Detailed timeline", "Times in CEST.", BULLETS, "07:12"),
    ],
)
def test_import_reads_the_declared_zone_and_check_agrees(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    heading: str,
    declaration: str,
    rows: str,
    first: str,
) -> None:
    source = project / "search.md"
    source.write_text(
        IMPORTED.format(heading=heading, declaration=declaration, rows=rows), encoding="utf-8"
    )
    assert main(["import", str(source), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)["files"][0]
    text = Path(report["target"]).read_text(encoding="utf-8")
    assert f"| 2025-06-10 {first} |" in text
    assert f"started: 2025-06-10T{first}:00Z" in text
    # The rows now in UTC, the column says so, and check reads them so: no PM304, no PM302.
    kb = load(load_settings(None, RULES), RULESET)
    assert {f.code for f in kb.findings} <= {"PM013", "PM117"}
    (pm,) = kb.postmortems
    assert pm.timeline[0].at.strftime("%H:%M") == first
