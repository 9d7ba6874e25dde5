"""The evaluation script for `postmortems import` (tests/benchmarks/score_import.py): it scores
whatever local copies are present, and says so when there are none."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).parent / "benchmarks" / "score_import.py"
FIXTURE = Path(__file__).parent / "data" / "import" / "timeline-narrative.md"
EVAL = Path(__file__).parent / "benchmarks" / "import_eval"


def score(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


def test_without_local_copies_it_says_so_and_succeeds(tmp_path: Path) -> None:
    result = score("--dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no local copies of the write-ups" in result.stdout


def test_it_scores_each_measure_and_names_what_failed(tmp_path: Path) -> None:
    copies = tmp_path / "copies"
    copies.mkdir()
    shutil.copy(FIXTURE, copies / "acme--stale-prices.md")
    facts = {
        "started": "2024-12-04T18:47Z",
        # A reader who read the detection five minutes later than the importer (19:20,
        # "The team noticed at 11:20 PST"): one measure fails, and the script names it.
        "detected": "2024-12-04T19:25Z",
        # "By 14:15 PST ... prices were current again".
        "resolved": "2024-12-04T22:15Z",
        "timeline_entries": 3,
        "action_items": 3,
    }
    expected = tmp_path / "expected.json"
    expected.write_text(json.dumps({"writeups": {"acme--stale-prices.md": facts}}), "utf-8")
    result = score("--dir", str(copies), "--expected", str(expected))
    assert result.returncode == 0, result.stderr
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "1 write-ups from 1 organisations in " + str(copies) in lines
    assert "started right 1 of 1 100%" in lines
    assert "detected right 0 of 1 0%" in lines
    assert "resolved right 1 of 1 100%" in lines
    assert "timeline right 1 of 1 100%" in lines
    assert "action items right 1 of 1 100%" in lines
    assert "detected: 2024-12-04 19:20 (reader: 2024-12-04 19:25)" in lines
    # A time written and wrong is counted apart from a TBD: it costs a person more.
    assert "inferred and wrong 1 (started 0, detected 1, resolved 0)" in lines


@pytest.mark.slow(seconds=3)  # for the order of the parallel run (conftest.py)
def test_each_half_scores_its_own_write_ups(tmp_path: Path) -> None:
    copies = tmp_path / "copies"
    copies.mkdir()
    facts = {"started": None, "detected": None, "resolved": None}
    facts |= {"timeline_entries": 3, "action_items": 3}
    names = ["acme--a.md", "acme--b.md", "beta--c.md"]
    for name in names:
        shutil.copy(FIXTURE, copies / name)
    expected = tmp_path / "expected.json"
    expected.write_text(json.dumps({"writeups": dict.fromkeys(names, facts)}), "utf-8")
    seen = {}
    for half in ("development", "held-out"):
        result = score("--dir", str(copies), "--expected", str(expected), "--half", half)
        assert result.returncode == 0, result.stderr
        seen[half] = result.stdout.splitlines()[0].split(" write-ups")[0]
    # Numbered from 1 in sorted order: the even numbers are the development half.
    assert seen == {"development": "1", "held-out": "2"}


def test_the_committed_set_is_wide_enough() -> None:
    expected = json.loads((EVAL / "expected.json").read_text("utf-8"))["writeups"]
    sources = (EVAL / "sources.tsv").read_text("utf-8").splitlines()[1:]
    assert len(expected) >= 40
    assert sorted(line.split("\t")[0] for line in sources) == sorted(expected)
    assert len({line.split("\t")[1] for line in sources}) >= 25


def test_a_start_known_only_by_its_day_is_a_blank_not_a_wrong_time(tmp_path: Path) -> None:
    copies = tmp_path / "copies"
    copies.mkdir()
    # Invented: the text gives the day of the incident and no time of it.
    (copies / "acme--mirror.md").write_text(
        "# Mirror sync stalled on 2024-05-20\n\nThe mirror served stale indexes.\n", "utf-8"
    )
    facts = {"started": "2024-05-20T06:40Z", "detected": None, "resolved": None}
    facts |= {"timeline_entries": None, "action_items": None}
    expected = tmp_path / "expected.json"
    expected.write_text(json.dumps({"writeups": {"acme--mirror.md": facts}}), "utf-8")
    result = score("--dir", str(copies), "--expected", str(expected))
    assert result.returncode == 0, result.stderr
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "started right 0 of 1 0%" in lines
    assert "inferred and wrong 0 (started 0, detected 0, resolved 0)" in lines
    assert "started: day only (reader: 2024-05-20 06:40)" in lines


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_import", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Its dataclass looks its module up by name while the class is built.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_line_of_inline_code_opens_no_fence_and_hides_nothing() -> None:
    # Invented page. A pasted log line starts with three backticks and closes them on the
    # same line: CommonMark reads inline code there, not a fence (a backtick fence's info
    # string holds no backtick), so the Timeline table after it is counted. A real fenced
    # block still hides the heading and the table written inside it.
    page = "\n".join(
        [
            "## Summary",
            "",
            "The worker logged:",
            "",
            '```{"level":"fatal","msg":"no config"}```',
            "",
            "## Timeline",
            "",
            "| Time | Event |",
            "|---|---|",
            "| 10:02 | Alert fired |",
            "| 10:40 | Rollback done |",
            "",
            "## Notes",
            "",
            "```text",
            "## Action Items",
            "",
            "| Action | Owner |",
            "|---|---|",
            "| not a row | nobody |",
            "```",
        ]
    )
    script = load_script()
    parts = script.sections(page)
    assert script.table_rows(parts["Timeline"], "Time") == 2
    assert "Action Items" not in parts
    assert not any("not a row" in line for line in parts["Notes"])
