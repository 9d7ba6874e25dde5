""" "Did you mean" at any size: a hint compares a bounded number of choices, a file gets hints
for its first few unknown names (and findings for all of them), and the hint is the one the
full check gives whatever subset of the knowledge base a fast path reads.

Cost is counted in difflib comparisons, never in seconds."""

from __future__ import annotations

import difflib
import random
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import VALID, Checker, write
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.suggestions import CANDIDATES, HINTS_PER_FILE, Suggestions

CLEAN = VALID.replace("tags:", "reviewed: 2026-03-20\nreview_outcome: effective\ntags:").replace(
    "| open |", "| done |"
)
WORDS = [
    "checkout",
    "payments",
    "search",
    "index",
    "cache",
    "dns",
    "network",
    "database",
    "replica",
    "queue",
    "auth",
]


def ids(count: int, seed: int = 7) -> list[str]:
    """Ids as a real knowledge base has them: dates and a few words, much alike."""
    rng = random.Random(seed)
    return [
        f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}-{'-'.join(rng.sample(WORDS, 3))}-{n}"
        for n in range(count)
    ]


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of choices each difflib call compared a word with."""
    sizes: list[int] = []
    real = difflib.get_close_matches

    def counting(word: Any, possibilities: Any, *args: Any, **kwargs: Any) -> Any:
        possibilities = list(possibilities)
        sizes.append(len(possibilities))
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    return sizes


def test_a_file_of_many_broken_links_costs_a_bounded_number_of_comparisons(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    compared: list[int],
) -> None:
    known = ids(60)
    for ident in known:
        write(tmp_path, f"{ident}.md", CLEAN.replace("2026-03-04", ident[:10]))
    broken = [f"{ident}-gone" for ident in ids(500, seed=8)]
    related = "".join(f"  - {ident}\n" for ident in broken)
    write(tmp_path, "2026-03-04-linking.md", CLEAN.replace("---\n", f"---\nrelated:\n{related}", 1))
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if "PM501" in line]
    assert len(lines) == 500  # every broken link is reported
    assert sum("did you mean" in line for line in lines) == HINTS_PER_FILE
    assert all("did you mean" in line for line in lines[:HINTS_PER_FILE])
    assert sum(compared) <= 2 * CANDIDATES * HINTS_PER_FILE


def test_one_hint_compares_a_bounded_number_of_choices() -> None:
    known = ids(10_000)
    suggestions = Suggestions(known)
    target = known[4321]
    typo = target.replace("-", "_", 4)[:-1] + "x" + target[-1]
    assert suggestions.closest(typo) == target
    assert suggestions.compared <= 2 * CANDIDATES
    assert len(suggestions.candidates(typo)) == CANDIDATES


@pytest.mark.slow(seconds=4)  # for the order of the parallel run (conftest.py)
def test_the_hint_is_the_same_from_any_subset_that_holds_its_candidates() -> None:
    """What ``check PATH`` and ``check --changed`` rely on: they read only the ids that can
    change a finding (the hint and the candidates it was chosen among)."""
    known = ids(400)
    full = Suggestions(known)
    rng = random.Random(3)
    for word in [*ids(60, seed=9), "2025-01-01", "cache", "7", "2025_03_03_dns"]:
        hint = full.closest(word)
        needed = {*full.candidates(word), *full.numbered(word), *([hint] if hint else [])}
        for _ in range(3):
            subset = needed | set(rng.sample(known, rng.randrange(0, 200)))
            assert Suggestions(subset).closest(word) == hint, word


def test_small_lists_are_compared_whole_as_before() -> None:
    choices = ["SEV1", "SEV2", "SEV3", "SEV4", "open", "wont-do", "in-review"]
    suggestions = Suggestions(choices)
    assert suggestions.candidates("anything") == sorted(choices)
    assert suggestions.closest("sev 1") == "SEV1"
    assert suggestions.closest("2") == "SEV2"
    assert suggestions.closest("In Review") == "in-review"
    assert suggestions.closest("wont do") == "wont-do"
    assert suggestions.closest("zzz") is None


def test_check_path_gives_the_full_checks_hints_on_a_large_knowledge_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    known = ids(80)
    for ident in known:
        write(tmp_path, f"{ident}.md", CLEAN.replace("2026-03-04", ident[:10]))
    typos = [re.sub(r"-(\d+)$", r"_\1x", ident) for ident in known[::7]]
    related = "".join(f"  - {ident}\n" for ident in typos)
    write(tmp_path, "2026-03-04-linking.md", CLEAN.replace("---\n", f"---\nrelated:\n{related}", 1))
    monkeypatch.chdir(tmp_path)

    def hints(*args: str) -> list[str]:
        main(["check", *args])
        return [line for line in capsys.readouterr().out.splitlines() if "PM501" in line]

    full = hints()
    assert len(full) == len(typos)
    assert all("did you mean" in line for line in full)
    assert hints("postmortems/2026-03-04-linking.md") == full


def test_a_large_service_catalog_gives_a_file_few_hints(
    check: Checker, tmp_path: Path, compared: list[int]
) -> None:
    catalog = tuple(f"{word}-{n}" for n in range(2_000) for word in WORDS[:3])
    unknown = [f"{word}-{n}x" for n in range(100) for word in WORDS[:1]]
    text = VALID.replace("services: [checkout-api, config-service]", f"services: {unknown}")
    findings = check(text, settings=Settings(root=tmp_path, services=catalog))
    unknown_services = [f for f in findings if f.code == "PM110"]
    assert len(unknown_services) == 100
    assert sum("did you mean" in f.message for f in unknown_services) == HINTS_PER_FILE
    assert sum(compared) <= 2 * CANDIDATES * HINTS_PER_FILE


def test_a_file_of_many_unknown_keys_gets_few_hints(check: Checker, compared: list[int]) -> None:
    keys = "".join(f"titel{n}: x\n" for n in range(300))
    findings = check(VALID.replace("---\n", f"---\n{keys}", 1))
    unknown = [f for f in findings if f.code == "PM101"]
    assert len(unknown) == 300
    assert sum("did you mean" in f.message for f in unknown) == HINTS_PER_FILE
    assert len(compared) <= 2 * HINTS_PER_FILE
