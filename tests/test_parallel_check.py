"""`postmortems check --jobs N`: worker processes read the files, and the run prints, byte
for byte, what one process prints (`--jobs 1`), on every kind of folder."""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from conftest import VALID, VALID_NAME, write
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core import knowledge_base, pool
from mkdocs_postmortems.core.checks import Ruleset
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Hit
from mkdocs_postmortems.core.knowledge_base import check_folder, path_order
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.rules import RULESET
from test_lean_check import messy

TESTS = Path(__file__).parent
REPOSITORY = TESTS.parent
# Twice the size from which the check reads in parts (PARALLEL_FROM): eight parts of 125 for
# two workers, as 2,000 gives eight of 250.
SYNTHETIC = 1_000


@pytest.fixture
def parts_spy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every folder goes to the workers, cut into parts of two files (a part boundary
    between almost any two files); the list records each run's number of parts."""
    monkeypatch.setattr(knowledge_base, "PARALLEL_FROM", 1)
    monkeypatch.setattr(knowledge_base, "PART_LIMIT", 2)
    runs: list[int] = []
    real = knowledge_base.ordered_map

    def spy(work: Any, shared: Any, parts: Sequence[Any], workers: int) -> Iterator[Any]:
        runs.append(len(parts))
        return real(work, shared, parts, workers)

    monkeypatch.setattr(knowledge_base, "ordered_map", spy)
    return runs


def run(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(arguments)
    out, err = capsys.readouterr()
    return code, out, err


def same_output(
    arguments: list[str], capsys: pytest.CaptureFixture[str], parts: list[int]
) -> tuple[int, str, str]:
    """Run ``check`` with one process and with two workers; both print the same."""
    alone = run(["check", "--jobs", "1", *arguments], capsys)
    assert parts == []
    side_by_side = run(["check", "--jobs", "2", *arguments], capsys)
    assert side_by_side == alone
    assert len(parts) == 1
    assert parts[0] > 1
    return alone


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_the_example_knowledge_base(
    fmt: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    parts_spy: list[int],
) -> None:
    monkeypatch.chdir(REPOSITORY)
    code, out, err = same_output(["--format", fmt], capsys, parts_spy)
    assert code == 0
    assert re.search(r"\b18 files checked|\"files\": 18\b", out + err)


def hostile(root: Path) -> None:
    """Everything the checks across files report, and every path a check refuses."""
    messy(root)
    folder = root / "postmortems"
    os.mkfifo(folder / "2026-04-01-fifo.md")
    os.symlink("/dev/zero", folder / "2026-04-02-zero.md")
    os.symlink(folder, folder / "loop")
    write(root, "2026-04-03-huge.md", VALID + "x" * (1 << 20))
    write(root, "2026-04-04-shouting.MD", VALID)
    write(root, "2026-04-05-latin1.md", VALID.replace("Omar", "Ómar").encode("latin-1"))
    (folder / os.fsdecode(b"2026-04-06-\xff.md")).write_text(VALID, encoding="utf-8")
    unreadable = write(root, "2026-04-07-unreadable.md", VALID)
    unreadable.chmod(0)
    hidden = folder / "locked"
    hidden.mkdir()
    (hidden / VALID_NAME).write_text(VALID, encoding="utf-8")
    hidden.chmod(0)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_hostile_folder(
    fmt: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    parts_spy: list[int],
) -> None:
    hostile(tmp_path)
    monkeypatch.chdir(tmp_path)
    try:
        code, out, _ = same_output(["--format", fmt], capsys, parts_spy)
    finally:
        (tmp_path / "postmortems" / "locked").chmod(0o755)
    assert code == 1
    for found in ("PM500", "PM501", "PM502", "PM003", "PM020", "PM021", "PM022", "PM024"):
        assert found in out


def test_given_paths(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    parts_spy: list[int],
) -> None:
    """`check PATH...` spreads the files it is given too."""
    messy(tmp_path)
    monkeypatch.chdir(tmp_path)
    folder = Path("postmortems")
    given = [str(folder / "2025"), str(folder / "2026-03-07-blames.md"), str(folder / VALID_NAME)]
    code, out, _ = same_output(given, capsys, parts_spy)
    assert code == 1
    assert "BL001" in out
    assert "PM500" in out


def writeups_in_other_shapes() -> list[Path]:
    """The importer's test sources (Markdown of other tools: no front matter, other
    sections), and, when POSTMORTEMS_REAL_WRITEUPS names a folder, real post-mortems."""
    real = os.environ.get("POSTMORTEMS_REAL_WRITEUPS")
    return [TESTS / "data" / "import", *([Path(real)] if real else [])]


@pytest.mark.parametrize("source", writeups_in_other_shapes(), ids=lambda path: path.name)
def test_writeups_in_other_shapes(
    source: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    parts_spy: list[int],
) -> None:
    folder = tmp_path / "postmortems"
    folder.mkdir()
    for path in sorted(source.rglob("*")):
        if path.is_file():
            target = folder / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, out, _ = same_output([], capsys, parts_spy)
    assert code == 1
    assert "PM004" in out


def synthetic(root: Path, count: int) -> list[Path]:
    """``count`` generated post-mortems (the benchmarks' generator), in the order the check
    reads them, with ids taken twice, in the same and in another letter case, links that
    resolve and links that do not, and the same person named in another file's Root Causes,
    each far apart in that order (in other workers' parts)."""
    sys.path.insert(0, str(TESTS / "benchmarks"))
    try:
        from synthetic import write_knowledge_base
    finally:
        sys.path.remove(str(TESTS / "benchmarks"))
    write_knowledge_base(root, count)
    paths = sorted((root / "postmortems").rglob("*.md"), key=lambda p: path_order(str(p)))
    rng = random.Random(33)
    for index in rng.sample(range(count), count // 20):
        other = paths[rng.randrange(count)].stem
        ident = other if index % 2 else other.upper()
        links = f"[{paths[rng.randrange(count)].stem}, {other}-gone]"
        text = paths[index].read_text(encoding="utf-8")
        text = text.replace("---\n", f"---\nid: {ident}\nrelated: {links}\n", 1)
        text = text.replace("## Root Causes\n", "## Root Causes\n\nDana Whitfield forgot it.\n")
        paths[index].write_text(text, encoding="utf-8")
    return paths


@pytest.mark.slow(seconds=4)  # for the order of the parallel run (conftest.py)
def test_a_large_knowledge_base_with_duplicates_across_the_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    synthetic(tmp_path, SYNTHETIC)
    monkeypatch.chdir(tmp_path)
    alone = run(["check", "--jobs", "1", "--format", "json"], capsys)
    parts: list[int] = []
    real = knowledge_base.ordered_map

    def spy(work: Any, shared: Any, cut: Sequence[Any], workers: int) -> Iterator[Any]:
        parts.append(len(cut))
        return real(work, shared, cut, workers)

    monkeypatch.setattr(knowledge_base, "ordered_map", spy)
    side_by_side = run(["check", "--jobs", "2", "--format", "json"], capsys)
    assert side_by_side == alone
    assert len(parts) == 1
    assert parts[0] >= 8  # at the default sizes: several parts a worker
    assert alone[0] == 1
    for code in ("PM500", "PM501", "BL001"):
        assert f'"code": "{code}"' in alone[1]


# --- A worker that fails ----------------------------------------------------------------


def _dies_on(name: str) -> Callable[[PostMortem, Settings], Iterable[Hit]]:
    def check(pm: PostMortem, settings: Settings) -> Iterable[Hit]:
        if pm.path.name == name:
            os._exit(9)  # as the kernel's out-of-memory killer would end it
        return ()

    return check


def _raises_on(name: str) -> Callable[[PostMortem, Settings], Iterable[Hit]]:
    def check(pm: PostMortem, settings: Settings) -> Iterable[Hit]:
        if pm.path.name == name:
            raise LookupError(f"a defect met in {name}")
        return ()

    return check


def with_check(check: Callable[[PostMortem, Settings], Iterable[Hit]]) -> Ruleset:
    return Ruleset(RULESET.rules, (*RULESET.file_checks, check), RULESET.knowledge_base_checks)


CRASHING_RUN = """
import sys
from mkdocs_postmortems.cli import check
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core import knowledge_base
from test_parallel_check import _dies_on, with_check

knowledge_base.PARALLEL_FROM = 1
knowledge_base.PART_LIMIT = 2
check.RULESET = with_check(_dies_on(sys.argv[1]))
sys.exit(main(["check", "--jobs", "2"]))
"""


@pytest.mark.subprocess
def test_a_worker_that_dies_is_a_clear_error_not_a_hang(tmp_path: Path) -> None:
    messy(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_RUN, "2026-03-07-blames.md"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert re.fullmatch(
        r"postmortems: a worker process stopped before it finished .*--jobs 1.*\n", done.stderr
    )


def test_a_defect_in_a_worker_is_raised_as_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    messy(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(knowledge_base, "PARALLEL_FROM", 1)
    ruleset = with_check(_raises_on("2026-03-07-blames.md"))
    for jobs in (1, 2):
        with pytest.raises(LookupError, match=r"a defect met in 2026-03-07-blames\.md"):
            check_folder(Settings(root=tmp_path), ruleset, jobs)


def test_workers_started_by_spawn_give_the_same_outlines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where fork is not used (macOS, Windows), workers start afresh and are handed the
    settings and the rules by pickling: they must find the same."""
    messy(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(knowledge_base, "PARALLEL_FROM", 1)
    monkeypatch.setattr(knowledge_base, "PART_LIMIT", 3)
    monkeypatch.setattr(pool, "_context", lambda: multiprocessing.get_context("spawn"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(sys.path))
    settings = Settings(root=tmp_path)
    assert check_folder(settings, RULESET, 2) == check_folder(settings, RULESET, 1)


# --- The option ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-1", "two", ""])
def test_jobs_must_be_a_number_of_processes(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--jobs", value])
    assert exit_.value.code == 2
    assert f"argument -j/--jobs: '{value}' is not a number of processes" in capsys.readouterr().err


def test_by_default_one_process_a_cpu_this_process_may_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    messy(tmp_path)
    monkeypatch.chdir(tmp_path)
    asked: list[int] = []
    real = knowledge_base._outlines_of

    def spy(names: Sequence[str], settings: Settings, ruleset: Ruleset, jobs: int) -> Any:
        asked.append(jobs)
        return real(names, settings, ruleset, jobs)

    monkeypatch.setattr(knowledge_base, "_outlines_of", spy)
    from mkdocs_postmortems.cli import check

    monkeypatch.setattr(check, "available_cpus", lambda: 3)
    main(["check"])
    main(["check", "-j", "1"])
    capsys.readouterr()
    assert asked == [3, 1]
    cpus = pool.available_cpus()
    assert 1 <= cpus <= (os.cpu_count() or 1)
    if hasattr(os, "sched_getaffinity"):
        assert cpus == len(os.sched_getaffinity(0))


def test_parts_keep_the_order_and_give_every_worker_several() -> None:
    items = list(range(1003))
    parts = pool.chunks(items, 2, 250)
    assert [x for part in parts for x in part] == items
    assert len(parts) >= 8
    assert max(len(part) for part in parts) <= 250
    assert pool.chunks(items[:3], 4, 250) == [[0], [1], [2]]


@pytest.mark.subprocess
def test_a_small_check_does_not_load_the_workers_machinery(tmp_path: Path) -> None:
    """A commit hook's check of a few files runs in one process: multiprocessing,
    concurrent.futures and the logging they bring are not even imported."""
    messy(tmp_path)
    probe = (
        "import sys\n"
        "from mkdocs_postmortems.cli.main import main\n"
        "code = main(['check'])\n"
        "print(sorted(n for n in ('multiprocessing', 'concurrent.futures', 'logging')"
        " if n in sys.modules), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == "[]"
