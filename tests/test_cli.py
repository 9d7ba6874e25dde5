"""The command line: every exit code and output format."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DRAFT, VALID, VALID_NAME, write
from mkdocs_postmortems.cli.main import main

# Reviewed, every action item done: nothing is ever overdue in it.
REVIEWED = VALID.replace("tags:", "reviewed: 2026-03-20\nreview_outcome: effective\ntags:").replace(
    "| open |", "| done |"
)
GITHUB_LINE = re.compile(
    r"^::(error|warning) file=[^,:]+,line=\d+,col=\d+,title=[A-Z]{2}\d{3}::[^\r\n]+$"
)


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    write(tmp_path, VALID_NAME, REVIEWED)
    return tmp_path


def test_check_clean_exits_0(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert capsys.readouterr().out.strip() == "1 file checked: 0 errors, 0 warnings"


def test_check_errors_exit_1_with_counts(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(kb, "2026-03-04-bad.md", VALID.replace("severity: SEV2", "severity: SEV7"))
    assert main(["check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("postmortems/2026-03-04-bad.md:3:11: error PM104 unknown severity")
    assert out[-1] == "2 files checked: 1 error, 0 warnings"


def test_warnings_fail_only_with_strict(kb: Path, tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - postmortems:\n      rules:\n        PM405: warning\n"
    )
    write(kb, VALID_NAME, REVIEWED.replace("| P2 | done |", "| P2 | blocked |"))
    assert main(["check"]) == 0
    assert main(["check", "--strict"]) == 1


def test_check_paths_limits_the_report_but_not_the_cross_file_rules(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(kb, "2026-03-04-bad.md", VALID.replace("severity: SEV2", "severity: SEV7"))
    linked = VALID.replace("tags: [config, deploy]", f"related: [{Path(VALID_NAME).stem}]")
    good = write(kb, "2026-03-04-linked.md", linked)
    assert main(["check", str(good)]) == 0
    assert "1 file checked" in capsys.readouterr().out
    assert main(["check", str(bad)]) == 1


def test_check_missing_path_exits_2(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "nope/"]) == 2
    assert "no such file or folder: nope" in capsys.readouterr().err


def test_usage_error_exits_2(kb: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml"])
    assert exc.value.code == 2


def test_config_error_exits_2_naming_the_option(
    kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - search\n  - postmortems:\n      timezon: UTC\n"
    )
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "unknown option 'postmortems.timezon' (did you mean 'timezone'?)" in err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("timezone: Mars/Olympus", "unknown timezone"),
        ("rules: {PM999: error}", "unknown rule 'PM999'"),
        ("rules: {PM405: loud}", "must be one of error, warning, info, off"),
        ("severities: []", "non-empty list"),
        ("service_catalog: missing.yml", "cannot read"),
        ("priorities: P0", "list of non-empty strings"),
    ],
)
def test_bad_options_exit_2(
    kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], options: str, message: str
) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: x\nplugins:\n  - postmortems:\n      {options}\n"
    )
    assert main(["check"]) == 2
    assert message in capsys.readouterr().err


def test_mkdocs_yml_with_python_tags_is_read_safely(kb: Path, tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  token: !ENV GITHUB_TOKEN\n"
        "plugins:\n  - postmortems:\n      timezone: Europe/Berlin\n"
    )
    assert main(["check"]) == 0


def test_json_format_parses(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(kb, "2026-03-04-bad.md", VALID.replace("status: published", "status: done"))
    assert main(["check", "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["files"] == 2
    assert payload["errors"] == 1
    assert payload["findings"][0] == {
        "path": "postmortems/2026-03-04-bad.md",
        "line": 4,
        "col": 9,
        "level": "error",
        "code": "PM105",
        "message": "unknown status 'done'; use draft, in-review or published",
    }


def test_github_format_is_workflow_commands(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(kb, "2026-03-04-bad.md", VALID.replace("status: published", "status: done"))
    write(kb, "2026-03-06-odd, name.md", "no front matter: 100%\n")
    assert main(["check", "--format", "github"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines
    assert all(GITHUB_LINE.match(line) for line in lines), lines
    assert "file=postmortems/2026-03-06-odd%2C name.md" in captured.out
    assert "3 files checked" in captured.err


def test_overdue_lists_a_late_sev1_draft_and_exits_1(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(kb, "2026-05-02-search-index-stalled.md", DRAFT)
    assert main(["overdue", "--today", "2026-05-03"]) == 0
    capsys.readouterr()
    assert main(["overdue", "--today", "2026-05-05"]) == 1
    out = capsys.readouterr().out
    assert "Overdue write-ups (1):" in out
    assert "2026-05-02-search-index-stalled.md: SEV1 draft" in out


def test_overdue_json_and_action_items(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        kb,
        VALID_NAME,
        VALID.replace("tags:", "reviewed: 2026-03-20\nreview_outcome: effective\ntags:"),
    )
    assert main(["overdue", "--format", "json", "--today", "2026-04-16"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["writeups"] == []
    assert [(a["owner"], a["days_late"]) for a in payload["action_items"]] == [("Omar Haddad", 1)]
    assert main(["overdue", "--format", "json", "--today", "2026-04-15"]) == 0


def test_overdue_reviews_due(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    done = VALID.replace("| P2 | open |", "| P2 | done |")
    write(kb, VALID_NAME, done)
    assert main(["overdue", "--today", "2026-04-05"]) == 0
    assert main(["overdue", "--today", "2026-04-06"]) == 1
    assert "review due 2026-04-05" in capsys.readouterr().out
    write(
        kb,
        VALID_NAME,
        done.replace("tags:", "reviewed: 2026-04-01\nreview_outcome: effective\ntags:"),
    )
    assert main(["overdue", "--today", "2026-04-06"]) == 0


def test_source_date_epoch_sets_now(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(kb, "2026-05-02-search-index-stalled.md", DRAFT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1777680000")  # 2026-05-02T00:00:00Z
    assert main(["overdue"]) == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1778112000")  # 2026-05-07
    assert main(["overdue"]) == 1
    # --today wins over SOURCE_DATE_EPOCH.
    assert main(["overdue", "--today", "2026-05-03"]) == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    assert main(["overdue"]) == 2


def test_schema_is_json_schema(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["required"] == ["title", "severity", "status", "started", "services"]
    assert [s["const"] for s in schema["properties"]["severity"]["oneOf"]] == [
        "SEV1",
        "SEV2",
        "SEV3",
        "SEV4",
    ]


def test_rules_lists_every_code(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    assert "PM104  unknown-severity" in capsys.readouterr().out


def test_no_command_exits_2(kb: Path) -> None:
    assert main([]) == 2


@pytest.mark.subprocess
def test_console_script_runs_as_a_process(kb: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_postmortems.cli", "check", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["files"] == 1
