"""What the importer's shape tests share: one import through the CLI that must keep every
word, and the parts of the written file the tests read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mkdocs_postmortems.cli.main import main


def imported(project: Path, capsys: pytest.CaptureFixture[str], text: str) -> str:
    source = project / "source.md"
    source.write_text(text, encoding="utf-8")
    code = main(["import", str(source), "--format", "json"])
    report = json.loads(capsys.readouterr().out)["files"][0]
    assert code == 0, report
    assert report["outcome"] == "imported", report
    assert report["words_kept"] == report["words"], report
    return Path(report["target"]).read_text(encoding="utf-8")


def section(text: str, name: str) -> str:
    return text.split(f"## {name}", 1)[1].split("\n## ", 1)[0]


def rows(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^\| ([0-9: -]+|TBD) \| (.*) \|$", section(text, "Timeline"), re.MULTILINE)


def front(text: str) -> str:
    return text.split("---")[1]
