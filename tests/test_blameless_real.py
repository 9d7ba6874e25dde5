"""Precision and recall of the prose rules (BL001-BL004) on real post-mortems.

tests/data/blameless_real.yaml holds sentences from two public, MIT-licensed collections of
post-mortems, labelled by what a blameless facilitator would flag. Our own corpus
(test_blameless_corpus.py) shows the rules can tell the cases apart; this one shows how
they fare on prose nobody wrote for them: company and product names, teams as authors,
long technical sentences. Run with ``pytest -s`` to see the table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Position
from mkdocs_postmortems.core.model import ActionItem, PostMortem
from mkdocs_postmortems.rules.blameless import configured_people, people_of, scan_prose

CORPUS = Path(__file__).parent / "data" / "blameless_real.yaml"
CODES = ("BL001", "BL002", "BL003", "BL004")
MIN_PRECISION = 0.9
MIN_RECALL = 0.8
Counts = dict[str, tuple[int, int, int]]


def _load() -> dict[str, Any]:
    with CORPUS.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def _postmortem(name: str, front: dict[str, Any]) -> PostMortem:
    """The post-mortem a minimal conversion of one collection would give."""
    owners = [
        ActionItem("", owner, None, "P2", "open", "", Position(1), Position(1))
        for owner in front.get("owners", [])
    ]
    return PostMortem(
        path=Path(name),
        display=name,
        id=name,
        title=front["title"],
        authors=list(front["authors"]),
        facilitator=front.get("facilitator", ""),
        services=list(front["services"]),
        action_items=owners,
    )


def _scores(settings: Settings) -> tuple[Counts, list[str]]:
    """Per rule: true positives, false positives, false negatives; and the misses."""
    data = _load()
    own = {
        name: people_of(_postmortem(name, front), settings)
        for name, front in data["sources"].items()
    }
    configured = configured_people(settings)
    known = configured.union(*own.values())
    counts = {code: [0, 0, 0] for code in CODES}
    misses: list[str] = []
    for item in data["items"]:
        people = own[item["source"]]
        if item["kind"] == "root_cause":
            found = scan_prose(item["text"], people, names_people=True, known=known)
        else:
            found = scan_prose(item["text"], people | configured)
        got = {m.code for m in found}
        expected = set(item["expect"])
        for code in CODES:
            if code in got and code in expected:
                counts[code][0] += 1
            elif code in got:
                counts[code][1] += 1
                misses.append(f"FP {code}: {item['text']}")
            elif code in expected:
                counts[code][2] += 1
                misses.append(f"FN {code}: {item['text']}")
    return {code: (tp, fp, fn) for code, (tp, fp, fn) in counts.items()}, misses


def test_corpus_is_well_formed() -> None:
    data = _load()
    items = data["items"]
    assert len(items) >= 200
    assert {i["source"] for i in items} == set(data["sources"]) == {"dfds", "posthog"}
    for item in items:
        assert item["kind"] in {"prose", "root_cause"}, item
        assert set(item["expect"]) <= set(CODES), item
        assert len(item["text"]) <= 230, "keep excerpts short"
    assert len({i["text"] for i in items}) == len(items), "duplicate sentences"
    negatives = [i for i in items if not i["expect"]]
    assert len(negatives) >= 10 * (len(items) - len(negatives)), "too small a sample of the rest"


def test_precision_and_recall_on_real_prose() -> None:
    scores, misses = _scores(Settings())
    print()
    print(f"{'rule':6} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    failing = []
    for code, (tp, fp, fn) in scores.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"{code:6} {tp:4} {fp:4} {fn:4} {precision:10.2f} {recall:8.2f}")
        if tp + fn == 0 and fp:
            # Nothing to find: any finding is a false alarm.
            failing.append(f"{code}: {fp} false alarms and nothing to find")
        elif tp + fn and (precision < MIN_PRECISION or recall < MIN_RECALL):
            failing.append(f"{code}: precision {precision:.2f}, recall {recall:.2f}")
    for miss in misses:
        print("  " + miss)
    assert not failing, "; ".join(failing) + "\n" + "\n".join(misses)


def test_human_error_and_hindsight_have_positives() -> None:
    """The table is only worth reading if the corpus holds what the rules look for."""
    scores, _ = _scores(Settings())
    for code in ("BL002", "BL003"):
        tp, _, fn = scores[code]
        assert tp + fn >= 5, code


@pytest.mark.parametrize("team", ["Cloud Engineering", "PostHog"])
def test_configured_teams_stay_teams_even_in_people(team: str) -> None:
    """A name listed both as a team and as a person is a team: BL001 must stay quiet."""
    settings = Settings(people=(team,), teams=(team,))
    scores, _ = _scores(settings)
    assert scores["BL001"][1] == 0
