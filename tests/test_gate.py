"""The gate on real write-ups: dates that read the same on every Python, timeline zones,
placeholders, hints close to what the author meant, and findings that point into the file."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import DRAFT, VALID, Checker
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import parse_clock, parse_date, parse_datetime
from mkdocs_postmortems.core.suggestions import did_you_mean

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")


# Inputs that datetime.fromisoformat reads differently on Python 3.10 and 3.11+.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-09-14T10:00+0200", datetime(2026, 9, 14, 10, tzinfo=timezone(timedelta(hours=2)))),
        ("2026-09-14T10:00+02", datetime(2026, 9, 14, 10, tzinfo=timezone(timedelta(hours=2)))),
        ("2026-09-14T10:00Z", datetime(2026, 9, 14, 10, tzinfo=UTC)),
        ("2026-09-14T10:00:05.5Z", datetime(2026, 9, 14, 10, 0, 5, 500000, tzinfo=UTC)),
        ("2026-09-14T10:00:05,25+00:00", datetime(2026, 9, 14, 10, 0, 5, 250000, tzinfo=UTC)),
        ("2026-09-14 10:00 UTC", datetime(2026, 9, 14, 10, tzinfo=UTC)),
        ("2026-09-14t10:00z", datetime(2026, 9, 14, 10, tzinfo=UTC)),
        (
            "2026-09-14T10:00-0330",
            datetime(2026, 9, 14, 10, tzinfo=timezone(-timedelta(hours=3, minutes=30))),
        ),
        ("2026-09-14T10:00", datetime(2026, 9, 14, 10, tzinfo=BERLIN)),
    ],
)
def test_datetimes_read_the_same_on_every_python(text: str, expected: datetime) -> None:
    value = parse_datetime(text, BERLIN)
    assert value == expected
    assert value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text",
    ["20260914T1000", "2026-09-14T10", "2026-W37-1T10:00", "2026-09-14T10:00+25:00", "2026-09-14"],
)
def test_forms_outside_the_format_are_refused_everywhere(text: str) -> None:
    with pytest.raises(ValueError, match="not"):
        parse_datetime(text, UTC)


@pytest.mark.parametrize("text", ["20260914", "2026-W37-1", "2026-257"])
def test_dates_in_other_iso_forms_are_refused_everywhere(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date(text)


def test_cli_today_refuses_what_python_3_11_alone_would_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["overdue", "--today", "20260914"])
    assert "is not a date in the form YYYY-MM-DD" in capsys.readouterr().err


def test_front_matter_offset_without_colon_is_read(check: Checker) -> None:
    text = VALID.replace("started: 2026-03-04T14:02:00Z", "started: 2026-03-04T15:02+0100")
    assert check(text) == []


# Timeline times with zones.
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("14:00 UTC", (None, 14, 0, 0, UTC)),
        ("14:00Z", (None, 14, 0, 0, UTC)),
        ("9:40", (None, 9, 40, 0, None)),
        ("09:40:05 +02:00", (None, 9, 40, 5, timezone(timedelta(hours=2)))),
        ("2026-03-04 23:10 UTC", (date(2026, 3, 4), 23, 10, 0, UTC)),
    ],
)
def test_timeline_clock_reads_zones(cell: str, expected: tuple[object, ...]) -> None:
    assert parse_clock(cell) == expected


def test_timeline_utc_times_are_read_in_utc_not_the_configured_zone(
    check: Checker, tmp_path: Path
) -> None:
    text = VALID.replace("| 14:09 |", "| 14:09 UTC |").replace("| 15:30 |", "| 15:30Z |")
    text = text.replace("| 2026-03-04 14:02 |", "| 2026-03-04 15:02 +01:00 |")
    settings = Settings(root=tmp_path, timezone="Europe/Berlin")
    # started 14:02Z is 15:02 in Berlin and so is the timeline's 15:02 +01:00; read in
    # Berlin, 14:09 UTC would be 13:09Z, before the first row (PM302), and the timeline
    # would sit an hour off started and resolved (PM304).
    findings = check(text, settings=settings)
    assert findings == []
    misread = text.replace("| 14:09 UTC |", "| 14:09 |").replace("| 15:30Z |", "| 15:30 |")
    assert {f.code for f in check(misread, settings=settings)} >= {"PM302"}


def test_timeline_one_digit_hour_is_a_time(check: Checker) -> None:
    text = VALID.replace("| 2026-03-04 14:02 |", "| 2026-03-04 9:02 |")
    text = text.replace("| 14:09 |", "| 9:40 |").replace("| 15:30 |", "| 10:05 |")
    text = text.replace("T14:02:00Z", "T09:02:00Z").replace("T14:09:00Z", "T09:40:00Z")
    text = text.replace("T15:30:00Z", "T10:05:00Z")
    assert check(text) == []


def test_unreadable_time_names_the_timezone_option(check: Checker) -> None:
    findings = check(VALID.replace("| 14:09 |", "| at nine |"))
    assert [f.code for f in findings] == ["PM301"]
    assert "'timezone'" in findings[0].message


def test_file_timezone_key_reads_zone_less_times(check: Checker) -> None:
    # 15:02 in Berlin is 14:02 UTC; the timeline is in Berlin time too.
    text = VALID.replace(
        "tags: [config, deploy]", "tags: [config, deploy]\ntimezone: Europe/Berlin"
    )
    text = text.replace("T14:02:00Z", "T15:02:00").replace("T14:09:00Z", "T15:09:00")
    text = text.replace("T15:30:00Z", "T16:30:00")
    text = text.replace("| 2026-03-04 14:02 |", "| 2026-03-04 15:02 |")
    text = text.replace("| 14:09 |", "| 15:09 |").replace("| 15:30 |", "| 16:30 |")
    assert check(text) == []
    # Without the key the same zone-less times are UTC: started is an hour later than
    # written, and the first timeline row (zone-less too) agrees, so check the value.
    assert check(text.replace("timezone: Europe/Berlin\n", "")) == []


def test_file_timezone_key_decides_the_date_of_an_offset_time(check: Checker) -> None:
    text = VALID.replace("started: 2026-03-04T14:02:00Z", "started: 2026-03-04T23:30:00Z")
    text = text.replace("T14:09:00Z", "T23:40:00Z").replace("T15:30:00Z", "T23:50:00Z")
    text = text.replace("| 2026-03-04 14:02 |", "| 2026-03-04 23:30 UTC |")
    text = text.replace("| 14:09 |", "| 23:40 UTC |").replace("| 15:30 |", "| 23:50 UTC |")
    name = "2026-03-05-checkout-config-push.md"
    assert [f.code for f in check(text, name=name)] == ["PM002"]
    berlin = text.replace(
        "tags: [config, deploy]", "tags: [config, deploy]\ntimezone: Europe/Berlin"
    )
    assert check(berlin, name=name) == []


def test_file_timezone_decides_the_file_name_date(check: Checker) -> None:
    text = VALID.replace("tags: [config, deploy]", "tags: [config]\ntimezone: Asia/Tokyo")
    text = text.replace("T14:02:00Z", "T23:30:00Z", 1)
    findings = check(text)
    assert "PM002" in [f.code for f in findings]
    assert "Asia/Tokyo" in next(f.message for f in findings if f.code == "PM002")


# Placeholders.
def _reviewed_draft(folder: Path) -> str:
    assert (
        main(
            [
                "new",
                "Search stalled",
                "--severity",
                "SEV3",
                "--services",
                "search",
                "--started",
                "2026-03-04T10:00Z",
                "--authors",
                "Dana",
            ]
        )
        == 0
    )
    path = next((folder / "postmortems").rglob("*.md"))
    return path.read_text(encoding="utf-8")


def test_template_lines_are_placeholders_once_in_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "none"))
    text = _reviewed_draft(tmp_path)
    path = next((tmp_path / "postmortems").rglob("*.md"))
    assert main(["check", "--strict"]) == 0
    text = (
        text.replace("status: draft", "status: in-review")
        .replace("# detected:", "detected: 2026-03-04T10:05Z\n#")
        .replace("# resolved:", "resolved: 2026-03-04T11:00Z\n#")
    )
    for name in ("Impact", "Root Causes", "What Went Well", "What Could Be Improved"):
        text = text.replace(f"## {name}\n", f"## {name}\n\nWritten.\n")
    text = text.replace(
        "|--------|-------|-----|----------|--------|--------|\n",
        "|--------|-------|-----|----------|--------|--------|\n"
        "| Add a check | Dana | 2026-04-01 | P2 | open | OPS-1 |\n",
    )
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert out.count("PM203") == 2, out
    assert "write the Summary" in out
    assert "'First sign of impact' is a placeholder" in out


@pytest.mark.parametrize(
    "stand_in", ["TODO", "TBD", "tbc", "To be written.", "N/A", "_TODO: fill in_", "-", "?"]
)
def test_a_section_saying_only_todo_is_a_placeholder(check: Checker, stand_in: str) -> None:
    text = VALID.replace("The alert fired within seven minutes.", stand_in)
    assert [f.code for f in check(text)] == ["PM203"]
    assert [f.code for f in check(text.replace("status: published", "status: draft"))] == []


def test_placeholder_owner_and_action_cells(check: Checker) -> None:
    text = VALID.replace("| Omar Haddad | 2026-04-15 |", "| TBD | 2026-04-15 |")
    text = text.replace("| Add a minimum of 1 to the pool size schema |", "| TODO |")
    codes = [f.code for f in check(text)]
    assert codes.count("PM203") == 2


def test_real_sentences_that_mention_todo_are_not_placeholders(check: Checker) -> None:
    text = VALID.replace(
        "The alert fired within seven minutes.", "The runbook's TODO list was up to date."
    )
    assert check(text) == []


# One Markdown truth.
def test_table_under_text_is_reported_with_the_fix(check: Checker) -> None:
    text = VALID.replace("## Timeline\n\n| Time", "## Timeline\nTimes in UTC.\n| Time")
    findings = check(text)
    assert [f.code for f in findings] == ["PM204"]
    assert "add a blank line" in findings[0].message


def test_heading_directly_under_a_table_is_one_of_its_rows(check: Checker) -> None:
    text = VALID.replace(
        "| 15:30 | Previous config restored, errors back to baseline |\n\n",
        "| 15:30 | Previous config restored, errors back to baseline |\n",
    )
    codes = [f.code for f in check(text)]
    assert "PM200" in codes  # ## Impact renders as a table row, so the section is missing
    assert "PM301" in codes  # and its heading is an unreadable time


def test_heading_without_a_space_is_a_heading(check: Checker) -> None:
    assert check(VALID.replace("## Impact", "##Impact")) == []


def test_action_columns_unknown_and_swapped(check: Checker) -> None:
    swapped = check(VALID.replace("| Action | Owner |", "| Owner | Action |"))
    assert [f.code for f in swapped] == ["PM408"]
    assert "out of order" in swapped[0].message
    unknown = check(VALID.replace("| Ticket |", "| Tikcet |"))
    assert [(f.code, f.message) for f in unknown] == [
        ("PM408", "unknown column 'Tikcet' (did you mean 'Ticket'?)")
    ]
    assignee = check(VALID.replace("| Owner |", "| Assignee |"))
    assert "unknown column 'Assignee' (did you mean 'Owner'?)" in [f.message for f in assignee]


# Did you mean.
@pytest.mark.parametrize(
    ("value", "hint"), [("sev1", "SEV1"), ("sev 1", "SEV1"), ("1", "SEV1"), ("Sev-2", "SEV2")]
)
def test_severity_hints(check: Checker, value: str, hint: str) -> None:
    findings = check(VALID.replace("severity: SEV2", f"severity: {value}"))
    assert [f.code for f in findings] == ["PM104"]
    assert f"(did you mean '{hint}'?)" in findings[0].message


@pytest.mark.parametrize(
    ("value", "hint"),
    [("In Review", "in-review"), ("Published", "published"), ("in_review", "in-review")],
)
def test_status_hints(check: Checker, value: str, hint: str) -> None:
    findings = check(VALID.replace("status: published", f"status: {value}"))
    assert f"(did you mean '{hint}'?)" in findings[0].message


def test_did_you_mean_folds_before_spelling() -> None:
    assert did_you_mean("wont do", ["open", "wont-do"]) == " (did you mean 'wont-do'?)"
    assert did_you_mean("zzz", ["open"]) == ""


def test_section_synonym_hint_points_at_the_heading(check: Checker) -> None:
    findings = check(VALID.replace("## Impact", "## Customer impact"))
    assert [(f.code, f.line) for f in findings] == [("PM200", 32)]
    assert "did you mean '## Customer impact'? Rename it to '## Impact'" in findings[0].message


def test_key_synonym_hint(check: Checker) -> None:
    findings = check(VALID.replace("tags: [config, deploy]", "tags: [config]\ndate: 2026-03-04"))
    assert [f.code for f in findings] == ["PM101"]
    assert "did you mean 'started'?" in findings[0].message


def test_unquoted_colon_gets_a_quote_it_tip(check: Checker) -> None:
    findings = check(VALID.replace("title: Checkout API", "title: Checkout: API"))
    assert [f.code for f in findings] == ["PM006"]
    assert "must be quoted" in findings[0].message


def test_missing_section_points_at_a_line_of_the_file(check: Checker) -> None:
    text = VALID.split("## Action Items")[0]
    lines = text.count("\n")
    findings = [f for f in check(text) if f.code in ("PM200", "PM407")]
    assert findings
    assert all(1 <= f.line <= lines for f in findings), findings
    draft = DRAFT.split("## Summary")[0]
    found = check(draft, name="2026-05-02-search.md")
    assert [(f.code, f.line) for f in found] == [("PM200", draft.count("\n"))]
