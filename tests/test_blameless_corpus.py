"""Precision and recall of the blameless-review rules on a labelled corpus, plus unit tests.

The corpus (tests/data/blameless_corpus.yaml) pairs sentences with the rule codes they
should raise. Rules that cry wolf get switched off by the teams they are meant to help, so
precision is gated as hard as recall: both must stay at or above 0.9 for every rule.
Run with ``pytest -s`` to see the table.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_postmortems.rules.blameless import (
    RULE,
    BlameMatch,
    is_placeholder_owner,
    scan_action,
    scan_owner,
    scan_prose,
)

CORPUS = Path(__file__).parent / "data" / "blameless_corpus.yaml"
CODES = ("BL001", "BL002", "BL003", "BL004", "BL005", "BL006")
THRESHOLD = 0.9


def _load() -> dict[str, Any]:
    with CORPUS.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _predict(item: dict[str, Any], people: list[str]) -> set[str]:
    kind, text = item["kind"], item["text"]
    if kind == "prose":
        return {m.code for m in scan_prose(text, people)}
    if kind == "root_cause":
        return {m.code for m in scan_prose(text, people, names_people=True)}
    if kind == "action":
        return {m.code for m in scan_action(text)}
    if kind == "owner":
        return {"BL006"} if is_placeholder_owner(text) else set()
    raise AssertionError(f"unknown kind {kind!r}")


def _scores() -> tuple[dict[str, tuple[int, int, int]], list[str]]:
    data = _load()
    people = list(data.get("people", []))
    counts = {code: [0, 0, 0] for code in CODES}  # tp, fp, fn
    misses: list[str] = []
    for item in data["items"]:
        expected = set(item["expect"])
        got = _predict(item, people)
        for code in CODES:
            if code in got and code in expected:
                counts[code][0] += 1
            elif code in got:
                counts[code][1] += 1
                misses.append(f"FP {code}: {item['text']}")
            elif code in expected:
                counts[code][2] += 1
                misses.append(f"FN {code}: {item['text']}")
    return {c: (v[0], v[1], v[2]) for c, v in counts.items()}, misses


def test_corpus_is_well_formed() -> None:
    data = _load()
    items = data["items"]
    assert len(items) >= 90
    kinds = {"prose", "root_cause", "action", "owner"}
    for item in items:
        assert item["kind"] in kinds, item
        assert isinstance(item["text"], str), item
        assert set(item["expect"]) <= set(CODES), item
    for code in CODES:
        positives = [i for i in items if code in i["expect"]]
        assert len(positives) >= 8, f"{code} needs more positive examples"
    assert len({i["text"] for i in items}) == len(items), "duplicate sentences"


def test_precision_and_recall_per_rule() -> None:
    scores, misses = _scores()
    print()
    print(f"{'rule':6} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    failing = []
    for code, (tp, fp, fn) in scores.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"{code:6} {tp:4} {fp:4} {fn:4} {precision:10.2f} {recall:8.2f}")
        if precision < THRESHOLD or recall < THRESHOLD:
            failing.append(f"{code}: precision {precision:.2f}, recall {recall:.2f}")
    for miss in misses:
        print("  " + miss)
    assert not failing, "; ".join(failing) + "\n" + "\n".join(misses)


# ------------------------------------------------------------------------------ unit tests


def _codes(matches: list[BlameMatch]) -> list[str]:
    return [m.code for m in matches]


def test_inline_code_is_never_flagged() -> None:
    assert scan_prose("Set `should_have_retried = true` and read `human error` docs.") == []
    assert scan_prose("The log said ``we should have `retried` here`` twice.") == []
    # ...but prose around a code span still is, with offsets into the original line.
    line = "After `kubectl drain`, we should have waited for the PDB."
    (m,) = scan_prose(line)
    assert m.code == "BL003"
    assert line[m.start : m.end] == "should have"


def test_offsets_point_at_the_phrase_as_written() -> None:
    line = "| 10:02 | On-call FAILED TO escalate; it was Human Error and Sloppy work |"
    found = scan_prose(line)
    assert _codes(found) == ["BL003", "BL002", "BL004"]
    for m in found:
        assert line[m.start : m.end] == m.phrase
    assert [m.phrase for m in found] == ["FAILED TO", "Human Error", "Sloppy"]
    text = "  **Be more careful** next time"
    (a,) = scan_action(text)
    assert text[a.start : a.end] == a.phrase == "Be more careful"


def test_curly_apostrophes() -> None:
    assert _codes(scan_prose("We should\u2019ve checked the lag.")) == ["BL003"]
    assert _codes(scan_prose("We shouldn\u2019t have merged it.")) == ["BL003"]
    assert _codes(scan_prose("We didn\u2019t bother with a canary.")) == ["BL003"]
    assert _codes(scan_action("Don\u2019t let it happen again")) == ["BL005"]


def test_block_quote_lines_are_ignored() -> None:
    assert scan_prose("> We should have known better, this was human error.") == []
    assert scan_prose("   > careless") == []
    assert scan_prose("Not a quote: careless") != []


def test_emails_and_package_scopes_are_not_people() -> None:
    line = "Mail ops@example.com; the lockfile pinned `@babel/core` and `@types/node`."
    assert scan_prose(line, names_people=True) == []
    assert scan_prose("We bumped @babel/core in the lockfile.", names_people=True) == []
    assert _codes(scan_prose("@jdoe applied the change.", names_people=True)) == ["BL001"]
    # Handles only count in the Root Causes section (names_people=True).
    assert scan_prose("@jdoe applied the change.") == []


def test_people_matching_is_whole_word_and_case_aware() -> None:
    people = ["Rose Tran", "kim"]
    assert _codes(scan_prose("Rose ran the script.", people, names_people=True)) == ["BL001"]
    assert scan_prose("Latency rose to 2 s.", people, names_people=True) == []
    assert scan_prose("The Roseville DC was fine.", people, names_people=True) == []
    # Names given in lower case match in any case.
    assert _codes(scan_prose("KIM approved it.", people, names_people=True)) == ["BL001"]


def test_urls_and_comments_are_not_prose() -> None:
    assert scan_prose("See https://git.example.com/org/repo/blame/main/app.py#L10") == []
    assert scan_prose("Fine. <!-- postmortems: ignore BL004 the blame is quoted -->") == []


def test_messages_are_one_line_quote_the_phrase_and_omit_the_code() -> None:
    samples = [
        *scan_prose("We should have rolled back; it was human error and careless."),
        *scan_prose("@jdoe merged it.", names_people=True),
        *scan_action("Investigate"),
        *scan_owner("TBD"),
    ]
    assert {m.code for m in samples} == {"BL001", "BL002", "BL003", "BL004", "BL005", "BL006"}
    for m in samples:
        assert "\n" not in m.message
        assert f'"{m.phrase}"' in m.message
        assert m.code not in m.message


def test_scan_owner_and_placeholder_decisions() -> None:
    assert _codes(scan_owner("  TBD ")) == ["BL006"]
    (m,) = scan_owner("  TBD ")
    assert (m.start, m.end, m.phrase) == (2, 5, "TBD")
    assert scan_owner("Dana") == []
    assert is_placeholder_owner("")
    assert is_placeholder_owner("`<owner>`")
    assert not is_placeholder_owner("ops")  # a named team is a real owner
    assert not is_placeholder_owner("Site Reliability")


def test_rules_table_documents_every_code() -> None:
    assert set(RULE) == {f"BL00{i}" for i in range(1, 8)}
    for rule in RULE.values():
        assert rule.name
        assert rule.why
        assert rule.fix
        assert rule.level == "warning"


@pytest.mark.parametrize(
    "line",
    [
        "failed to " * 200,
        "should have " * 200,
        "a" * 5000 + " human error",
        "`" * 3000,
        "@" * 3000 + "x",
        "the " * 2000 + "blame",
    ],
)
def test_pathological_lines_stay_fast(line: str) -> None:
    start = time.perf_counter()
    scan_prose(line, ["Alice"], names_people=True)
    scan_action(line)
    assert time.perf_counter() - start < 0.5
