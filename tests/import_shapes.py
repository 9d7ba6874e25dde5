"""What the importer's shape tests share: one import through the CLI that must keep every
word, and the parts of the written file the tests read."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.times import TimeContext


def at(hour: int, minute: int, day: int = 3) -> datetime:
    """A moment of the moments tests' day (May 2024, UTC)."""
    return datetime(2024, 5, day, hour, minute, tzinfo=timezone.utc)


def context() -> TimeContext:
    """The time context the moments tests read in: UTC, written on 3 May 2024."""
    return TimeContext(timezone.utc, day=date(2024, 5, 3), year=2024)


#: A project that imports into ``postmortems/`` with times read in UTC.
CONFIG = "plugins:\n  - postmortems:\n      folder: postmortems\n      timezone: UTC\n"


def import_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path`` as the project the shape tests import into (:data:`CONFIG`), and the
    working folder."""
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def import_report(
    project: Path, capsys: pytest.CaptureFixture[str], text: str
) -> tuple[dict[str, Any], str]:
    """The import's report and the written file: imported, every word kept."""
    source = project / "source.md"
    source.write_text(text, encoding="utf-8")
    code = main(["import", str(source), "--format", "json"])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)["files"][0]
    assert code == 0, report
    assert report["outcome"] == "imported", report
    assert report["words_kept"] == report["words"], report
    return report, Path(report["target"]).read_text(encoding="utf-8")


def imported(project: Path, capsys: pytest.CaptureFixture[str], text: str) -> str:
    return import_report(project, capsys, text)[1]


def section(text: str, name: str) -> str:
    return text.split(f"## {name}", 1)[1].split("\n## ", 1)[0]


def rows(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^\| ([0-9: -]+|TBD) \| (.*) \|$", section(text, "Timeline"), re.MULTILINE)


def front(text: str) -> str:
    return text.split("---")[1]
