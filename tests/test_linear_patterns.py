"""Every regular expression of the package reads a long run of one character in linear time,
so that no line of a file, however hostile, makes ``check`` or ``import`` hang.

The walk is tests/benchmarks/regex_pumps.py's: every pattern the package's modules hold or
write as a literal, tried as the code uses it (``search`` or ``match``) on runs of spaces,
tabs, digits, letters and punctuation after prefixes read from the pattern itself. Here at
a thousand characters, each case against its own time at an eighth of that: a pattern that
is slow but linear (a date reader tries a dozen shapes at each place) grows eight times,
a quadratic one sixty-four. A time limit alone could not tell them apart at a size the
suite can afford. The whole walk is under the hang guard.

Then, end to end, the lines that took minutes before (a time or a date followed by a long
run of spaces, an action-point label before one) through ``postmortems import`` and
``postmortems check``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import VALID
from mkdocs_postmortems.cli.main import main
from test_hostile import finishes

SCRIPT = Path(__file__).parent / "benchmarks" / "regex_pumps.py"
CONFIG = "plugins:\n  - postmortems:\n      folder: postmortems\n"


@pytest.fixture(scope="module")
def pumps() -> ModuleType:
    """tests/benchmarks/regex_pumps.py, loaded once for the module."""
    spec = importlib.util.spec_from_file_location("regex_pumps", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["regex_pumps"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def flagged(module: ModuleType, found: list[Any]) -> list[str]:
    # The first six prefixes of each pattern, where all but one of the quadratic cases found
    # so far were met (and that one with the empty prefix too), at a sixth of the cost.
    cases = module.audit(found, 1_000, 8_000, most=6)
    return [each.case.describe() for each in cases]


@pytest.fixture(scope="module")
def every(pumps: ModuleType) -> list[Any]:
    """Every pattern of the package, found once for the module."""
    return list(pumps.patterns())


def test_the_walk_reaches_patterns_held_and_written_inside_functions(every: list[Any]) -> None:
    found = {each.where: each for each in every}
    # Held by a module, imported by others, and used only with match.
    assert found["mkdocs_postmortems.importers.stated._LEADING_SPAN"].methods == ("match",)
    # Written as a literal inside a function.
    assert any(where.startswith("mkdocs_postmortems.cli.main:") for where in found)
    # Held in a record: a blameless rule's phrase pattern, and the gate's patterns (one of
    # them of bytes) in a record another module defines.
    assert any(where.startswith("mkdocs_postmortems.rules.blameless.") for where in found)
    assert found["mkdocs_postmortems.rules.blameless.prose.GATE.word_starts"].methods == ("search",)
    assert len(found) > 300


def test_the_walk_flags_a_quadratic_pattern_and_passes_its_linear_form(pumps: ModuleType) -> None:
    quadratic = pumps.Found("spaces before a note", re.compile(r"\s*\(x\)$"), ("search",))
    linear = pumps.Found("from the run's start", re.compile(r"(?<!\s)\s*\(x\)$"), ("search",))
    out = finishes(lambda: flagged(pumps, [quadratic, linear]), seconds=30)
    assert out == ["spaces before a note: search('' + ' ' * n)"]


@pytest.mark.slow(seconds=5)  # for the order of the parallel run (conftest.py)
def test_every_pattern_of_the_package_reads_a_long_run_in_linear_time(
    pumps: ModuleType, every: list[Any]
) -> None:
    assert finishes(lambda: flagged(pumps, every), seconds=120) == []


# --- end to end ----------------------------------------------------------------------------

# 20,000 spaces: before, 5,000 after a time took over a minute to import and 24 s to check;
# now the whole file is read in about a second. After an action-point label, 100,000: the
# label's two runs of spaces side by side took some minutes there, and a second now.
SPACES = " " * 20_000
SOURCES = {
    "a time then spaces": "## Timeline\n\n- 10:00" + SPACES + "x\n",
    "a date then spaces": "## Timeline\n\n- 2024-01-02" + SPACES + "x\n",
    "an action-point label then spaces": "## Action Items\n\n**Action point"
    + " " * 100_000
    + "x\n",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """The command's exit code and what it printed, read in the process that ran it."""
    code = main(list(args))
    return code, capsys.readouterr().out


@pytest.mark.slow(seconds=3)  # for the order of the parallel run (conftest.py)
@pytest.mark.parametrize("section", SOURCES.values(), ids=SOURCES.keys())
def test_a_hostile_line_imports_in_linear_time(
    section: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "old.md").write_text("# Outage 2024-01-02\n\n" + section, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out = finishes(lambda: run(capsys, "import", "old.md", "--format", "json"), seconds=30)
    assert code == 0
    (report,) = json.loads(out)["files"]
    assert report["outcome"] == "imported"
    assert report["lost_words"] == []


ROWS = {
    "a time then spaces": "| 14:05" + SPACES + "x | The pool emptied |",
    "a date then spaces": "| 2026-03-04" + SPACES + "x | The pool emptied |",
}


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_a_hostile_timeline_row_is_checked_in_linear_time(
    row: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "postmortems").mkdir()
    path = tmp_path / "postmortems" / "2026-03-04-pool.md"
    path.write_text(VALID.replace("| 14:09 |", row + "\n| 14:09 |"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out = finishes(lambda: run(capsys, "check", "postmortems/2026-03-04-pool.md"), 30)
    out = out.splitlines()
    # The row's time cannot be read: one finding, at its line.
    assert code == 1
    assert out[0].startswith("postmortems/2026-03-04-pool.md:29:3: error PM301 cannot read time")
    assert out[-1] == "1 file checked: 1 error, 0 warnings"
