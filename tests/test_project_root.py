"""Where the project is: the commands find mkdocs.yml in the working directory or the
nearest folder above it (stopping at the top of a git work tree), and the reports name
files relative to that project, whatever the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import VALID, VALID_NAME, write
from mkdocs_postmortems.cli.main import main

CONFIG = """\
site_name: Incidents
plugins:
  - postmortems:
      timezone: Europe/Berlin
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    (kb / "docs" / "notes").mkdir(parents=True)
    (kb / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    write(kb, VALID_NAME, VALID.replace("status: published", "status: done"))
    return kb


def test_new_from_a_subfolder_writes_into_the_project_in_its_timezone(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project / "docs" / "notes")
    code = main(
        [
            "new",
            "Search slow",
            "--severity",
            "SEV3",
            "--services",
            "search",
            "--started",
            "2026-03-05T10:00",
            "--authors",
            "Dana",
        ]
    )
    assert code == 0
    assert "postmortems: using ../../mkdocs.yml" in capsys.readouterr().err
    (written,) = (project / "postmortems").rglob("2026-03-05-*.md")
    assert "started: 2026-03-05T10:00:00+01:00" in written.read_text(encoding="utf-8")
    assert not (project / "docs" / "postmortems").exists()


def test_check_from_a_subfolder_checks_the_project(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project / "docs")
    assert main(["check"]) == 1
    captured = capsys.readouterr()
    assert f"kb/postmortems/{VALID_NAME}:4:9: error PM105" in captured.out
    assert captured.err == "postmortems: using ../mkdocs.yml\n"


def test_in_the_project_folder_nothing_is_said(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    assert capsys.readouterr().err == ""


def test_the_search_stops_at_the_top_of_a_git_work_tree(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = project / "docs" / "notes"
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "using" not in err
    assert f"the folder 'postmortems' does not exist in {repo}" in err


def test_config_file_still_wins(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "docs" / "other.yml").write_text(
        "plugins:\n  - postmortems:\n      folder: nowhere\n", encoding="utf-8"
    )
    monkeypatch.chdir(project / "docs")
    assert main(["check", "--config-file", "other.yml"]) == 2
    err = capsys.readouterr().err
    assert "the folder 'nowhere' does not exist" in err
    assert "using" not in err


@pytest.mark.parametrize("fmt", ["sarif", "gitlab", "junit"])
def test_reports_name_files_relative_to_the_project_from_anywhere(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
) -> None:
    outputs = {}
    for where, config in (
        (project, []),
        (project / "docs", []),
        (project.parent, ["-f", "kb/mkdocs.yml"]),
        (project / "docs" / "notes", ["-f", str(project / "mkdocs.yml")]),
    ):
        monkeypatch.chdir(where)
        assert main(["check", *config, "--format", fmt, "--today", "2026-05-01"]) == 1
        outputs[where] = capsys.readouterr().out
    assert len(set(outputs.values())) == 1, outputs
    assert f'"postmortems/{VALID_NAME}"' in outputs[project] or (
        f'name="postmortems/{VALID_NAME}"' in outputs[project]
    )
