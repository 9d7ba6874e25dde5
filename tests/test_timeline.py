"""``postmortems timeline``: rows drafted from each export format, checked row by row, and
merged into a post-mortem without touching the author's rows.

The fixtures in tests/data/timeline/ were written for these tests from each tool's public
documentation (no real chat); the Slack export is made by ``make_slack.py``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import VALID, VALID_NAME, write
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.cli.timeline import read_chat_time
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.reader import read_text
from mkdocs_postmortems.core.timeline_events import Event
from mkdocs_postmortems.core.timeline_merge import merge_rows, safe_cell, time_cell
from mkdocs_postmortems.integrations.timeline import Options, read_source
from mkdocs_postmortems.rules import RULESET

DATA = Path(__file__).parent / "data" / "timeline"
BERLIN = "plugins:\n  - postmortems:\n      timezone: Europe/Berlin\n"


def _slack_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_slack", DATA / "make_slack.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_slack"] = module
    spec.loader.exec_module(module)
    return module


SLACK = _slack_module()


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _rows(output: str) -> list[tuple[str, ...]]:
    """The body rows of a printed table, as cells."""
    rows = [line for line in output.splitlines() if line.startswith("| ")][1:]
    return [tuple(cell.strip() for cell in row.strip("|").split(" | ")) for row in rows]


def run(*args: str) -> int:
    return main(["timeline", *args])


# --- Slack ----------------------------------------------------------------------------


def test_slack_export_gives_the_signal_row_by_row_across_the_dst_change(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (kb / "mkdocs.yml").write_text(BERLIN)
    SLACK.write_export(kb / "export")
    assert len(SLACK.messages()) >= 300
    assert run("export", "--channel", "inc-checkout-errors") == 0
    assert _rows(capsys.readouterr().out) == SLACK.EXPECTED


def test_slack_zip_reads_as_its_folder(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (kb / "mkdocs.yml").write_text(BERLIN)
    folder = SLACK.write_export(kb / "export")
    with zipfile.ZipFile(kb / "export.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*.json")):
            archive.write(path, path.relative_to(folder).as_posix())
    assert run("export.zip", "--channel", "#inc-checkout-errors") == 0
    assert _rows(capsys.readouterr().out) == SLACK.EXPECTED


def test_all_keeps_every_message_but_joins_topics_and_edit_events(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    SLACK.write_export(kb / "export")
    assert run("export", "--channel", "inc-checkout-errors", "--all") == 0
    rows = _rows(capsys.readouterr().out)
    assert len(rows) == len(SLACK.KEY) + 300
    assert not any("has joined" in row[1] or "channel topic" in row[1] for row in rows)
    assert sum(row[1].startswith("Rollback started") for row in rows) == 1


def test_a_slack_export_of_several_channels_needs_one_chosen(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    SLACK.write_export(kb / "export")
    assert run("export") == 1
    err = capsys.readouterr().err
    assert err.startswith("export: error the export has 2 channels; choose one with --channel")
    assert run("export", "--channel", "nope") == 1
    assert "no channel #nope" in capsys.readouterr().err


def test_the_drafted_rows_read_back_in_check_at_the_exact_minute(kb: Path) -> None:
    """Merged into a post-mortem in Europe/Berlin, every row reads back (check's own reader)
    at the instant of its message, the repeated hour of the DST change included."""
    (kb / "mkdocs.yml").write_text(BERLIN)
    SLACK.write_export(kb / "export")
    text = VALID.replace("2026-03-04T14:02:00Z", "2026-10-25T01:52:00+02:00")
    text = text.replace("detected: 2026-03-04T14:09:00Z", "detected: 2026-10-25T01:55:00+02:00")
    text = text.replace("resolved: 2026-03-04T15:30:00Z", "resolved: 2026-10-25T03:10:00+01:00")
    start = text.index("| Time |")
    end = text.index("## Impact")
    text = text[:start] + "| Time | Event | Actor |\n|---|---|---|\n\n" + text[end:]
    path = write(kb, "2026-10-25-checkout-errors.md", text)
    assert run("export", "--channel", "inc-checkout-errors", "--into", str(path)) == 0
    settings = Settings(root=kb, timezone="Europe/Berlin")
    pm = next(iter(load(settings, RULESET).postmortems))
    assert not [f for f in pm.findings if f.code.startswith("PM30")]
    wanted = [
        datetime.fromtimestamp(float(m["ts"]), timezone.utc).replace(second=0) for m in SLACK.KEY
    ]
    assert [entry.at for entry in pm.timeline] == wanted


# --- paging, alerts, deploys, chat logs, CSV -------------------------------------------

EXPECTED_SOURCES = [
    (
        "2026-03-04 13:30",
        "Commit 5e6f708: Merge pull request #977 from example/pool-size _(git)_",
        "Priya Nair",
    ),
    ("13:40", "Commit 9f2c4e1: Shrink the default connection pool to 8 _(git)_", "Sam Ortiz"),
    ("13:58", "Deployment of v42 (9f2c4e1) to production: Release v42 _(github)_", "release-bot"),
    (
        "14:03",
        "Alert CheckoutLatencyHigh firing: Checkout p99 latency above 2s _(alertmanager)_",
        "Alertmanager",
    ),
    (
        "14:04",
        "Alert Checkout error budget burn firing: Error budget burning 14x _(grafana)_",
        "Grafana",
    ),
    (
        "14:05",
        "Triggered through the API. (\\[#812\\] Checkout p99 latency above 2s) _(pagerduty)_",
        "Prometheus",
    ),
    ("14:05", "Alert created via Prometheus _(opsgenie)_", "System"),
    ("14:05", "Notified Priya Nair by SMS. _(pagerduty)_", "Prometheus"),
    ("14:06", "paged, looking at checkout _(chat)_", "priya"),
    ("14:06", "paged by the latency alert _(chat)_", "priya"),
    ("14:07", "here _(chat)_", "tomas"),
    ("14:08", "Acknowledged by Priya Nair. _(pagerduty)_", "Priya Nair"),
    ("14:08", "Alert acknowledged via Android _(opsgenie)_", "priya@example.com"),
    (
        "14:10",
        "Status: Investigating. Checkout is slow for most customers; investigating. _(incident.io)_",
        "Priya Nair",
    ),
    ("14:12", "Escalated to Level 2 by Priya Nair. _(pagerduty)_", "Priya Nair"),
    ("14:18", "Cause identified: Connection pool shrank in v42 _(incident.io)_", ""),
    ("14:20", "Note added: Rolled back checkout-api to v41 _(pagerduty)_", "Tomas Lind"),
    ("14:21", "rolled back to v41 and watching the pool _(chat)_", "tomas"),
    ("14:22", "Deployment of v41 (1a2b3c4) to production: Rollback to v41 _(github)_", "tlind"),
    ("14:25", 'Pipeline 5521 passed: rollback build, "v41" _(csv)_', "ci"),
    ("14:30", "Feature flag checkout_fast_path disabled _(csv)_", "audit"),
    ("14:31", "Cache warmed _(jsonl)_", '{"name": "ci"}'),
    ("14:32", "Canary healthy _(jsonl)_", "ci"),
    (
        "14:49",
        "Alert CheckoutLatencyHigh resolved: Checkout p99 latency above 2s _(alertmanager)_",
        "Alertmanager",
    ),
    ("14:50", "latency recovered, resolved _(chat)_", "tomas"),
    ("14:51", "Resolved by Tomas Lind. _(pagerduty)_", "Tomas Lind"),
    ("14:51", "Alert closed by Tomas Lind _(opsgenie)_", "tomas@example.com"),
    (
        "14:52",
        "Status: Closed. Latency back to normal after the rollback. _(incident.io)_",
        "Status bot",
    ),
]
SOURCES = [
    "pagerduty.json",
    "incident_io.json",
    "opsgenie.json",
    "alertmanager.json",
    "grafana.json",
    "deployments.json",
    "git.log",
    "audit.csv",
    "ci.jsonl",
    "mattermost-2026-03-04.txt",
]


def test_every_format_row_by_row_with_the_moments(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Times without a zone (the CSV's second row, the chat logs) are in --zone; the
    IRC log's day comes from its "Day changed" line, Mattermost's from the file name."""
    (kb / "irc.log").write_text((DATA / "irc.log").read_text().replace("[14:", "[15:"))
    (kb / "audit.csv").write_text(
        (DATA / "audit.csv").read_text().replace("2026-03-04 14:30", "2026-03-04 15:30")
    )
    sources = [str(DATA / name) for name in SOURCES if name != "audit.csv"]
    assert run(*sources, "irc.log", "audit.csv", "--zone", "Europe/Berlin") == 0
    out, err = capsys.readouterr()
    assert _rows(out) == EXPECTED_SOURCES
    assert "started:  2026-03-04T13:58:00Z  from github: Deployment of v42" in err
    assert "detected: 2026-03-04T14:03:30Z  from alertmanager" in err
    assert "resolved: 2026-03-04T14:52:00Z  from incident.io" in err


def test_chat_log_times_go_through_one_reader() -> None:
    said = read_chat_time("2026-03-04 15:06:02 priya: paged")
    assert said is not None
    assert said.at is not None
    assert said.day is not None
    assert (said.at.hour, said.at.minute, said.day.isoformat()) == (15, 6, "2026-03-04")
    day_line = read_chat_time("Day changed Wed Mar 04 2026")
    assert day_line is not None
    assert day_line.at is None
    assert str(day_line.day) == "2026-03-04"
    assert read_chat_time("hello there") is None


def test_a_chat_log_in_a_zone_with_daylight_saving_reads_at_that_day_s_offset(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "Pacific Time" on a July night is UTC-7 and on a January night UTC-8: a zone named
    once in the log's header follows its daylight saving rules, never one fixed offset."""
    for day, utc in (("2026-07-14", "21:02"), ("2026-01-14", "22:02")):
        (kb / "bridge.log").write_text(
            f"--- Log opened {day} (times in Pacific Time)\n"
            "[14:02] <priya> paged the database on-call\n"
            "[14:05] <omar> rolled back the deploy\n",
            encoding="utf-8",
        )
        assert run("bridge.log", "--all", "--zone", "UTC") == 0
        rows = _rows(capsys.readouterr().out)
        assert rows[0][0] == f"{day} {utc}", rows


def test_csv_fields_are_named_or_the_error_lists_them(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (kb / "ci.csv").write_text("when,what\n2026-03-04T14:00:00Z,build\n")
    assert run("ci.csv") == 1
    assert "ci.csv: error no time field; name it with --time-field (fields: when, what)" in (
        capsys.readouterr().err
    )
    assert run("ci.csv", "--time-field", "when", "--text-field", "what") == 0
    assert _rows(capsys.readouterr().out) == [("2026-03-04 14:00", "build _(csv)_", "")]


@pytest.mark.subprocess
def test_git_repository_commits_in_a_range(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = kb / "repo"
    repo.mkdir()
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2026-03-04T13:57:00Z",
        "GIT_COMMITTER_DATE": "2026-03-04T13:57:00Z",
    }
    for args in (
        ["init", "-q"],
        [
            "-c",
            "user.name=Sam Ortiz",
            "-c",
            "user.email=s@example.com",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "Raise the pool timeout",
        ],
    ):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    assert run("--git", "repo", "--since", "2026-03-04") == 0
    rows = _rows(capsys.readouterr().out)
    assert [(r[0], r[1].split(": ", 1)[1], r[2]) for r in rows] == [
        ("2026-03-04 13:57", "Raise the pool timeout _(git)_", "Sam Ortiz")
    ]
    assert run("--git", "repo", "--since", "2026-03-05") == 0
    assert _rows(capsys.readouterr().out) == []


# --- merging into a post-mortem --------------------------------------------------------


def test_merge_adds_rows_in_order_and_never_touches_the_authors(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(kb, VALID_NAME, VALID)
    before = path.read_text()
    assert (
        run(str(DATA / "deployments.json"), str(DATA / "pagerduty.json"), "--into", str(path)) == 0
    )
    after = path.read_text()
    table = after[after.index("| Time |") : after.index("## Impact")].strip().splitlines()
    assert table == [
        "| Time | Event |",
        "|------|-------|",
        "| 2026-03-04 13:58 | Deployment of v42 (9f2c4e1) to production: Release v42 _(github)_ |",
        "| 2026-03-04 14:02 | Config change rolled out to all regions |",
        "| 14:05 | Triggered through the API. (\\[#812\\] Checkout p99 latency above 2s) _(pagerduty)_ |",
        "| 14:05 | Notified Priya Nair by SMS. _(pagerduty)_ |",
        "| 14:08 | Acknowledged by Priya Nair. _(pagerduty)_ |",
        "| 14:09 | Error-rate alert paged the on-call engineer |",
        "| 14:12 | Escalated to Level 2 by Priya Nair. _(pagerduty)_ |",
        "| 14:20 | Note added: Rolled back checkout-api to v41 _(pagerduty)_ |",
        "| 14:22 | Deployment of v41 (1a2b3c4) to production: Rollback to v41 _(github)_ |",
        "| 14:51 | Resolved by Tomas Lind. _(pagerduty)_ |",
        "| 15:30 | Previous config restored, errors back to baseline |",
    ]
    added = [row for row in table if "_(" in row]
    assert [line for line in after.splitlines() if line not in added] == before.splitlines()
    out = capsys.readouterr().out
    assert f"postmortems/{VALID_NAME}: added 8 rows; 0 already there" in out
    assert "started:  2026-03-04T13:58:00Z" in out
    assert "(front matter: 2026-03-04T14:02:00Z)" in out
    assert "resolved: 2026-03-04T14:51:09Z" in out
    stamp = path.stat().st_mtime_ns
    assert (
        run(str(DATA / "deployments.json"), str(DATA / "pagerduty.json"), "--into", str(path)) == 0
    )
    assert "added 0 rows; 8 already there" in capsys.readouterr().out
    assert path.read_text() == after
    assert path.stat().st_mtime_ns == stamp


def test_merge_writes_rows_in_the_zone_the_table_declares(kb: Path) -> None:
    path = write(kb, VALID_NAME, VALID.replace("| Time | Event |", "| Time (CET) | Event |"))
    assert run(str(DATA / "pagerduty.json"), "--into", str(path)) == 0
    after = path.read_text()
    table = after[after.index("| Time (CET) |") : after.index("## Impact")].strip().splitlines()
    # PagerDuty's 14:05 UTC is 15:05 in the table's CET, after the author's 14:09 CET.
    assert [row.split(" | ")[0] for row in table[2:]] == [
        "| 2026-03-04 14:02",
        "| 14:09",
        "| 15:05",
        "| 15:05",
        "| 15:08",
        "| 15:12",
        "| 15:20",
        "| 15:30",
        "| 15:51",
    ]
    findings = load(Settings(root=kb), RULESET).findings
    assert not [f for f in findings if f.code in ("PM301", "PM302")]


def test_an_author_row_with_the_same_minute_and_text_is_a_duplicate(kb: Path) -> None:
    text = VALID.replace(
        "| 14:09 | Error-rate alert paged the on-call engineer |",
        "| 14:09 | Error-rate alert paged the on-call engineer |\n"
        "| 14:12 | escalated to level 2 by Priya Nair. |",
    )
    path = write(kb, VALID_NAME, text)
    assert run(str(DATA / "pagerduty.json"), "--into", str(path)) == 0
    assert "Escalated to Level 2" not in path.read_text()


def test_dry_run_prints_and_writes_nothing(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(kb, VALID_NAME, VALID)
    assert run(str(DATA / "pagerduty.json"), "--into", str(path), "--dry-run") == 0
    assert path.read_text() == VALID
    out = capsys.readouterr().out
    assert "would add 6 rows" in out
    assert "| 14:51 | Resolved by Tomas Lind." in out


def test_merge_keeps_crlf_and_the_byte_order_mark(kb: Path) -> None:
    data = b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode()
    path = write(kb, VALID_NAME, data)
    assert run(str(DATA / "deployments.json"), "--into", str(path)) == 0
    written = path.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in written.replace(b"\r\n", b"")
    assert b"| 2026-03-04 13:58 | Deployment of v42" in written


def test_into_a_symbolic_link_is_refused(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(kb, VALID_NAME, VALID)
    link = kb / "postmortems" / "2026-03-04-link.md"
    link.symlink_to(path)
    assert run(str(DATA / "pagerduty.json"), "--into", str(link)) == 2
    assert "a symbolic link; only a regular file is written" in capsys.readouterr().err
    assert path.read_text() == VALID


def test_a_timeline_without_a_table_gets_one(kb: Path) -> None:
    start = VALID.index("| Time |")
    text = VALID[:start] + "Notes to come.\n\n" + VALID[VALID.index("## Impact") :]
    path = write(kb, VALID_NAME, text)
    assert run(str(DATA / "deployments.json"), "--into", str(path)) == 0
    after = path.read_text()
    assert "Notes to come.\n\n| Time | Event | Actor |\n|------|-------|-------|\n" in after
    assert "| 2026-03-04 13:58 | Deployment of v42" in after


def test_a_timeline_heading_right_above_the_next_gets_a_table_of_its_own(kb: Path) -> None:
    start = VALID.index("| Time |")
    text = VALID[:start].rstrip("\n") + "\n" + VALID[VALID.index("## Impact") :]
    assert "## Timeline\n## Impact" in text
    path = write(kb, VALID_NAME, text)
    assert run(str(DATA / "deployments.json"), "--into", str(path)) == 0
    after = path.read_text()
    assert "_(github)_ | tlind |\n\n## Impact" in after
    assert main(["check", str(path)]) == 0


def test_a_row_that_would_change_the_day_of_an_authors_bare_time_is_refused(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = VALID.replace("| 2026-03-04 14:02 |", "| 14:02 |")
    path = write(kb, VALID_NAME, text)
    (kb / "late.csv").write_text("time,text\n2026-03-03T23:00:00Z,the evening before\n")
    assert run("late.csv", "--into", str(path)) == 0
    assert path.read_text() == text
    assert "give that row its full date" in capsys.readouterr().out


# --- the example knowledge base ----------------------------------------------------------


def test_the_example_incident_rebuilt_from_synthetic_exports_gives_its_moments(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2026-10-14-checkout-network-policy-outage: an Argo CD sync at 16:37, a page at
    16:41, resolved at 18:12 (its hand-written timeline); exports made up to match."""
    source = Path(__file__).parent.parent / "postmortems" / "2026"
    path = write(
        kb,
        "2026/2026-10-14-checkout-network-policy-outage.md",
        (source / "2026-10-14-checkout-network-policy-outage.md").read_text(),
    )
    (kb / "deploys.json").write_text(
        '[{"id": 7, "sha": "0a1b2c3d4e5f", "ref": "netpol-checkout", "environment": "production",'
        ' "description": "Argo CD sync", "creator": {"login": "argocd"},'
        ' "created_at": "2026-10-14T16:37:00Z"}]'
    )
    (kb / "pd.json").write_text(
        '{"log_entries": ['
        '{"id": "A", "type": "trigger_log_entry", "summary": "Triggered through the API.",'
        ' "created_at": "2026-10-14T16:41:00Z", "agent": {"summary": "checkout-payment-intent-errors"}},'
        '{"id": "B", "type": "annotate_log_entry", "summary": "Note added",'
        ' "created_at": "2026-10-14T16:49:00Z", "channel": {"type": "note", "summary": "SEV1 declared"}},'
        '{"id": "C", "type": "resolve_log_entry", "summary": "Resolved.",'
        ' "created_at": "2026-10-14T18:12:00Z", "agent": {"summary": "Theo Brandt"}}]}'
    )
    assert run("deploys.json", "pd.json", "--into", str(path)) == 0
    out = capsys.readouterr().out
    for name, value in (
        ("started", "2026-10-14T16:37:00Z"),
        ("detected", "2026-10-14T16:41:00Z"),
        ("resolved", "2026-10-14T18:12:00Z"),
    ):
        assert f"{name + ':':<10}{value}" in out
        assert f"{value}  from" in out
        assert "(as in the front matter)" in out.split(f"{name}:")[1].splitlines()[0]
    original = (source / "2026-10-14-checkout-network-policy-outage.md").read_text()
    for line in original.splitlines():
        assert line in path.read_text().splitlines()


# --- hostile input -----------------------------------------------------------------------


def test_markup_script_and_huge_messages_make_a_safe_table(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = [
        "<script>alert(1)</script> | broken | cells",
        "[click](javascript:alert(1)) `code | pipe` \\| & <img src=x onerror=alert(1)>",
        "line one\nline two\r\n\x00\x1b[31mred\u202eevil\u200b",
        "x" * 1_000_000,
    ]
    lines = ["time,text"] + [f'2026-03-04T14:1{i}:00Z,"{t}"' for i, t in enumerate(hostile)]
    (kb / "hostile.csv").write_text("\n".join(lines))
    path = write(kb, VALID_NAME, VALID)
    assert run("hostile.csv", "--into", str(path)) == 0
    capsys.readouterr()
    text = path.read_text()
    added = [line for line in text.splitlines() if "_(csv)_" in line]
    assert len(added) == 4
    for line in added:
        assert "<" not in line
        assert "\x00" not in line
        assert "\u202e" not in line
        assert len(line) < 400
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\| broken \\| cells" in added[0]
    assert "\\[click\\]\\(javascript:alert(1)) \\`code \\| pipe\\` \\\\\\| &amp;" in added[1]
    assert "line one line two \\[31mredevil" in added[2]
    assert added[3].count("x") == 299
    assert "…" in added[3]
    assert main(["check", str(path)]) == 0, capsys.readouterr().out
    html = _render_timeline(text)
    assert "<script" not in html
    assert "<img" not in html
    assert "<a " not in html
    assert html.count("<tr>") == 1 + 3 + 4


def _render_timeline(text: str) -> str:
    import markdown

    table = text[text.index("| Time |") : text.index("## Impact")]
    return markdown.markdown(table, extensions=["tables"])


def test_zip_members_outside_the_archive_are_refused(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("../evil.json", "/etc/passwd", "C:/x.json", "a/../../b.json"):
        with zipfile.ZipFile(kb / "bad.zip", "w") as archive:
            archive.writestr("channels.json", "[]")
            archive.writestr(name, "[]")
        assert run("bad.zip") == 1
        assert "points outside the archive; not read" in capsys.readouterr().err
    assert not (kb.parent / "evil.json").exists()


def test_a_slack_folder_with_links_out_of_it_is_refused(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = SLACK.write_export(kb / "export")
    (kb / "elsewhere.json").write_text("[]")
    (folder / "users.json").unlink()
    (folder / "users.json").symlink_to(kb / "elsewhere.json")
    assert run("export", "--channel", "inc-checkout-errors") == 1
    err = capsys.readouterr().err
    assert "users.json: a symbolic link to a place outside the export; not read" in err


def test_json_output_of_a_merge(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(kb, VALID_NAME, VALID)
    assert run(str(DATA / "deployments.json"), "--into", str(path), "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["written"] is True
    assert data["duplicates"] == 0
    assert data["refused"] == []
    assert [row.split(" | ")[0] for row in data["added"]] == ["| 2026-03-04 13:58", "| 14:22"]
    assert data["moments"] == {}


def declare_sizes(path: Path, size: int) -> None:
    """Set the unpacked size every header of the zip declares to ``size``: what a zip bomb
    declares, without compressing hundreds of megabytes of zeros to make one."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        at = archive.start_dir
    for member in members:
        # The local header (size at byte 22) and the central directory entry (at byte 24).
        data[member.header_offset + 22 : member.header_offset + 26] = size.to_bytes(4, "little")
        assert data[at : at + 4] == b"PK\x01\x02"
        data[at + 24 : at + 28] = size.to_bytes(4, "little")
        name, extra, comment = (
            int.from_bytes(data[at + i : at + i + 2], "little") for i in (28, 30, 32)
        )
        at += 46 + name + extra + comment
    path.write_bytes(bytes(data))


def test_a_zip_bomb_is_refused_by_its_sizes(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with zipfile.ZipFile(kb / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("channels.json", '[{"id": "C1", "name": "inc"}]')
        for index in range(6):
            archive.writestr(f"inc/2026-01-0{index + 1}.json", b"\0" * (1 << 20))
    # Six members of 100 MiB each: 600 MiB from an archive of a few kilobytes.
    declare_sizes(kb / "bomb.zip", 100 << 20)
    with zipfile.ZipFile(kb / "bomb.zip") as archive:
        assert sum(member.file_size for member in archive.infolist()) > 512 << 20
    assert (kb / "bomb.zip").stat().st_size < 2 << 20
    assert run("bomb.zip") == 1
    assert "bytes, over the limit of 536,870,912 (a zip bomb?)" in capsys.readouterr().err


def test_a_zip_member_larger_than_it_says_is_cut_off(
    kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs_postmortems.integrations.timeline import exports

    with zipfile.ZipFile(kb / "big.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.json", b"[" + b" " * 5000 + b"]")
    archive = exports.Archive(kb / "big.zip")
    archive.members["a.json"].file_size = 10  # what a forged header would say
    with pytest.raises(exports.ExportError, match=r"a\.json: (unpacks to more than|cannot unpack)"):
        archive.read("a.json", limit=100)


def test_encrypted_or_strangely_packed_members_are_refused(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An encrypted member, and one packed with a method Python does not know."""
    for flags, method in ((0x1, 0), (0, 99)):
        with zipfile.ZipFile(kb / "odd.zip", "w") as archive:
            archive.writestr("channels.json", '[{"id": "C1", "name": "inc"}]')
        data = bytearray((kb / "odd.zip").read_bytes())
        # The general-purpose flags and the method, in the local and the central header.
        for header, at_flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            start = data.find(header) + at_flags
            data[start : start + 4] = flags.to_bytes(2, "little") + method.to_bytes(2, "little")
        (kb / "odd.zip").write_bytes(bytes(data))
        assert run("odd.zip") == 1
        assert "odd.zip: error channels.json: cannot unpack" in capsys.readouterr().err


def test_a_slack_channel_over_its_bound_is_refused(
    kb: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs_postmortems.integrations.timeline import slack

    monkeypatch.setattr(slack, "MAX_CHANNEL_BYTES", 10_000)
    SLACK.write_export(kb / "export")
    assert run("export", "--channel", "inc-checkout-errors") == 1
    assert "bytes of messages; export a shorter period" in capsys.readouterr().err


def test_a_git_range_cannot_be_an_option(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--git", ".", "--git-range=--output=/tmp/x") == 1
    assert "'--output=/tmp/x' is not a revision range" in capsys.readouterr().err
    assert run("--git", "nowhere") == 2
    assert "--git nowhere: no such folder" in capsys.readouterr().err


def test_100_mb_of_json_is_refused_before_it_is_read(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (kb / "huge.json").open("wb") as out:
        out.write(b"[")
        out.truncate(100 << 20)
    assert run("huge.json") == 1
    assert "over the limit of" in capsys.readouterr().err


def test_deep_json_and_other_junk_give_one_line_errors(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (kb / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    (kb / "bad.json").write_text('{"log_entries": [{"created_at": "yesterday"}]}')
    (kb / "other.json").write_text('{"hello": 1}')
    deep = "[" * 65 + "]" * 65
    (kb / "deep.jsonl").write_text(f'{{"time": "2026-03-04T14:00:00Z", "text": {deep}}}\n')
    (kb / "bin.log").write_bytes(b"\xff\xfe\x00")
    os.mkfifo(kb / "fifo.log")
    for name, message in (
        ("deep.json", "nested deeper than 64 levels"),
        ("bad.json", "log_entries[0].created_at: 'yesterday' is not a time"),
        ("other.json", "not a known export"),
        ("bin.log", "is not UTF-8"),
        ("fifo.log", "not a regular file"),
    ):
        assert run(name) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"{name}: error ")
        assert message in err
        assert "Traceback" not in err
    assert run("deep.jsonl") == 1
    assert "deep.jsonl: error line 1: JSON nested deeper than 64 levels" in capsys.readouterr().err
    assert run("missing.json") == 2


def test_the_reader_reads_each_format_without_the_command() -> None:
    options = Options(tz=timezone.utc, read_time=read_chat_time)
    events = read_source(DATA / "opsgenie.json", options)
    assert [(e.kind, e.actor) for e in events] == [
        ("page", "System"),
        ("note", "priya@example.com"),
        ("resolve", "tomas@example.com"),
    ]


# --- properties of the merge -------------------------------------------------------------

_WORDS = st.text(alphabet="ab |<&`\\[](x\n", min_size=1, max_size=12)
_AUTHOR_ROWS = st.lists(
    st.tuples(st.integers(0, 600), st.booleans(), _WORDS), min_size=0, max_size=8
)
_EVENTS = st.lists(st.tuples(st.integers(-120, 1800), _WORDS), min_size=0, max_size=12)
# Two hours before the clocks go back in Europe: merged rows cross the repeated hour.
_START = datetime(2026, 10, 24, 23, 0, tzinfo=timezone.utc)


def _merged(text: str, events: list[Event], zone: str) -> tuple[str, int]:
    pm = PostMortem(path=Path(VALID_NAME), display=VALID_NAME, id="x")
    read_text(pm, text, Settings(timezone=zone), RULESET)
    assert pm.body is not None
    section = pm.body.section("Timeline")
    assert section is not None
    table = section.table()
    assert table is not None
    times = {entry.pos.line: entry.at for entry in pm.timeline}
    merge = merge_rows(text.split("\n"), table, times, events, pm.tz)
    return "\n".join(merge.lines), len(merge.added)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=_AUTHOR_ROWS, drafted=_EVENTS)
def test_merging_twice_is_merging_once_and_the_authors_rows_stay(
    zone: str, rows: list[tuple[int, bool, str]], drafted: list[tuple[int, str]]
) -> None:
    """Whatever the author wrote (bare times, odd text) and whatever the exports say, a
    second merge adds nothing, the first only added lines, and every row reads back in
    order, in the hour the clocks go back too."""
    tz = ZoneInfo(zone)
    table = ["| Time | Event |", "|------|-------|"]
    day = None
    for minutes, dated, words in sorted(rows, key=lambda r: r[0]):
        at = _START + timedelta(minutes=minutes)
        table.append(f"| {time_cell(at, tz, None if dated else day)} | {safe_cell(words)} |")
        day = at.astimezone(tz).date()
    text = VALID.replace("2026-03-04T14:02:00Z", "2026-10-25T00:30:00+02:00")
    text = text[: text.index("| Time |")] + "\n".join(table) + text[text.index("\n\n## Impact") :]
    events = [
        Event(_START + timedelta(minutes=m), words, "bot", "csv", key=str(i))
        for i, (m, words) in enumerate(drafted)
    ]
    once, added = _merged(text, events, zone)
    twice, again = _merged(once, events, zone)
    assert again == 0
    assert twice == once
    before = text.split("\n")
    kept = iter(once.split("\n"))
    assert all(any(line == other for other in kept) for line in before)
    assert len(once.split("\n")) == len(before) + added
    pm = PostMortem(path=Path(VALID_NAME), display=VALID_NAME, id="x")
    read_text(pm, once, Settings(timezone=zone), RULESET)
    assert not [hit for hit in pm.hits if hit.code in ("PM301", "PM302")]
    assert len(pm.timeline) == len(rows) + added


# --- selection, windows, columns, JSON ---------------------------------------------------


def test_two_thousand_messages_give_tens_of_rows(
    kb: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SLACK, "noise", lambda count=2000, noise=SLACK.noise: noise(count))
    SLACK.write_export(kb / "export")
    assert run("export", "--channel", "inc-checkout-errors") == 0
    assert len(_rows(capsys.readouterr().out)) == len(SLACK.EXPECTED)
    assert run("export", "--channel", "inc-checkout-errors", "--all") == 0
    assert len(_rows(capsys.readouterr().out)) == len(SLACK.KEY) + 2000


def test_reactions_are_chosen_and_since_until_cut_the_window(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    SLACK.write_export(kb / "export")
    args = ["export", "--channel", "inc-checkout-errors", "--reaction", "fire"]
    assert run(*args, "--since", "2026-10-25T01:00:00Z", "--until", "2026-10-25T02:06Z") == 0
    rows = _rows(capsys.readouterr().out)
    texts = [row[1] for row in rows]
    assert "Rollback finished, error rate dropping _(slack)_" in texts
    assert "Resolved #4521 by Alice Jensen _(slack)_" in texts
    assert "Support says checkouts work again 🎉 _(slack)_" not in texts  # its reaction is 📌
    assert "Incident resolved, thanks all _(slack)_" not in texts  # after --until
    assert rows[0][0].startswith("2026-10-25 01:")  # the configured zone here is UTC
    assert all("01:00" <= row[0][-5:] <= "02:06" for row in rows)
    (kb / "export" / "inc-checkout-errors" / "2026-01-05.json").write_text("not JSON")
    assert run("export", "--channel", "inc-checkout-errors") == 1
    assert "not valid JSON" in capsys.readouterr().err
    assert run(*args, "--since", "2026-10-24") == 0  # a day outside the window is not read
    capsys.readouterr()
    assert run("export", "--since", "yesterday") == 2
    assert "--since: 'yesterday' is not a date and time" in capsys.readouterr().err


def test_columns_are_found_by_name_and_a_one_column_table_is_left_alone(kb: Path) -> None:
    text = VALID.replace(
        "| Time | Event |\n|------|-------|", "| When | Who | What happened |\n|---|---|---|"
    )
    for old in ("Config change", "Error-rate", "Previous config"):
        text = text.replace(f"| {old}", f"| someone | {old}")
    path = write(kb, VALID_NAME, text)
    assert run(str(DATA / "deployments.json"), "--into", str(path)) == 0
    assert (
        "| 14:22 | tlind | Deployment of v41 (1a2b3c4) to production: Rollback to v41 _(github)_ |"
        in path.read_text()
    )
    single = VALID.replace("| Time | Event |\n|------|-------|", "| Time |\n|------|")
    for old in (
        "Config change rolled out to all regions |",
        "Error-rate alert paged the on-call engineer |",
        "Previous config restored, errors back to baseline |",
    ):
        single = single.replace(old, "")
    path.write_text(single)
    assert run(str(DATA / "deployments.json"), "--into", str(path)) == 0
    assert path.read_text() == single


def test_json_output_lists_rows_events_and_moments(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(str(DATA / "alertmanager.json"), "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows"][0].startswith("| 2026-03-04 14:03 | Alert CheckoutLatencyHigh firing")
    assert [e["kind"] for e in data["events"]] == ["alert", "resolve"]
    assert data["moments"] == {
        "started": {"at": "2026-03-04T14:03:30Z", "source": "alertmanager"},
        "detected": {"at": "2026-03-04T14:03:30Z", "source": "alertmanager"},
        "resolved": {"at": "2026-03-04T14:49:30Z", "source": "alertmanager"},
    }


def test_hostile_slack_messages_make_a_safe_table(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = kb / "export"
    (folder / "inc").mkdir(parents=True)
    (folder / "channels.json").write_text('[{"id": "C1", "name": "inc"}]')
    messages = [
        {"type": "message", "user": "U1", "ts": "1772632800.000100", "text": "x" * 5_000_000},
        {
            "type": "message",
            "user": "U1",
            "ts": "1772632860.000100",
            "text": "resolved &lt;script&gt;alert(1)&lt;/script&gt; <script>x</script> |||\n---|---",
            "pinned_to": ["C1"],
        },
        {"type": "message", "user": "U1", "ts": "not a time", "text": "dropped"},
        {"type": "message", "user": {"id": "U1"}, "ts": 1e300, "text": "dropped"},
        "not a message",
    ]
    (folder / "inc" / "2026-03-04.json").write_text(json.dumps(messages))
    path = write(kb, VALID_NAME, VALID)
    assert run("export", "--into", str(path)) == 0
    capsys.readouterr()
    added = [line for line in path.read_text().splitlines() if "_(slack)_" in line]
    assert len(added) == 2
    assert len(added[0]) < 400
    assert added[1] == (
        "| 14:01 | resolved &lt;script&gt;alert(1)&lt;/script&gt; scriptx/script \\|\\|\\| ---\\|--- _(slack)_ |"
    )
    assert main(["check", str(path)]) == 0


def test_sources_and_options_mix_and_no_control_character_reaches_the_terminal(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = kb / "export"
    (folder / "inc").mkdir(parents=True)
    (folder / "channels.json").write_text('[{"id": "C1", "name": "inc\\u001b[2J"}, {"name": "b"}]')
    assert run("export", "--channel", "x", str(DATA / "pagerduty.json")) == 1
    out, err = capsys.readouterr()
    assert "\x1b" not in err
    assert "no channel #x in export (#inc[2J, #b)" in err
    assert "Resolved by Tomas Lind. _(pagerduty)_" in out
