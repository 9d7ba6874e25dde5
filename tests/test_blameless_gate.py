"""The gate of the phrase rules (BL002-BL004) is read from their patterns: every phrase a
pattern matches is reached through the gate, the way a line is scanned and the way a whole
document is, and a phrase added to a pattern is reached the day it is added."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mkdocs_postmortems.rules.blameless import prose
from mkdocs_postmortems.rules.blameless.gate import SPACED, build_gate, literal_starts

ASCII = st.characters(codec="ascii")


def _reached(text: str, code: str) -> bool:
    """Whether the gate, at the start of ``text``, sends it to the rule ``code``: as a line
    is scanned (the gate on the lowercased line) and as a document is (a candidate word
    start of the spaced copy)."""
    low = text.lower()
    found = prose.GATE.pattern.match(low)
    if found is None or code not in prose.GATE.codes.get(found.group(0), ()):
        return False
    spaced = b" " + low.encode("ascii", "replace").translate(SPACED)
    return any(m.start() == 0 for m in prose.GATE.word_starts.finditer(spaced))


@pytest.mark.parametrize("code", sorted(prose.PHRASE_RULES))
def test_every_phrase_a_rule_matches_is_reached_through_the_gate(code: str) -> None:
    """Strings drawn from each rule's own pattern (every alternative, any case, any
    spacing) all open the gate for that rule where they start."""
    rule = prose.PHRASE_RULES[code]

    @settings(max_examples=150, deadline=None, database=None)
    @given(st.from_regex(rule.pattern, fullmatch=True, alphabet=ASCII))
    def reached(phrase: str) -> None:
        assert _reached(phrase, code), phrase

    reached()


@pytest.mark.parametrize("code", sorted(prose.PHRASE_RULES))
def test_every_trigger_sends_its_position_to_its_rule(code: str) -> None:
    for trigger in prose.PHRASE_RULES[code].triggers:
        assert _reached(trigger, code), trigger


def test_the_spellings_of_id10t_are_all_triggers() -> None:
    """The hand-kept list of triggers had drifted from the pattern: two spellings the
    pattern holds were never tried."""
    assert {"id10t", "id-10t", "id10-t", "id-10-t"} <= prose.PHRASE_RULES["BL002"].triggers


@given(st.sampled_from(["id-10t", "id10-t"]), st.text(alphabet=" \t", min_size=1, max_size=3))
@example("id-10t", " ")
@settings(max_examples=20, deadline=None, database=None)
def test_id10t_is_found_by_the_whole_document_gate(spelling: str, space: str) -> None:
    assert prose.may_blame(f"It was an{space}{spelling}{space}error.\nNext line.")


@pytest.mark.parametrize(
    ("pattern", "starts"),
    [
        (r"id-?10-?t(?:\s+error)?", {"id10t", "id-10t", "id10-t", "id-10-t"}),
        (r"fail(?:ed|ing)\s+to", {"failed", "failing"}),
        (r"fat[\s-]?finger(?:ed|s)?", {"fat", "fatfinger", "fatfingered", "fatfingers"}),
        (r"(?:blam(?:e|ed)|fault)(?![\w-])", {"blame", "blamed", "fault"}),
        (r"Should(?:\s+have)?", {"should"}),
        (r"mis\w+", {"mis"}),
    ],
)
def test_the_literal_starts_of_a_pattern(pattern: str, starts: set[str]) -> None:
    assert literal_starts(re.compile(pattern, re.IGNORECASE)) == starts


@pytest.mark.parametrize("pattern", [r"\w+ly", r"(?:human|\s+error)", r"(?:x)?y*"])
def test_a_pattern_that_may_start_with_no_literal_cannot_be_gated(pattern: str) -> None:
    with pytest.raises(ValueError, match="no literal"):
        literal_starts(re.compile(pattern))


def test_a_trigger_standing_in_a_longer_one_sends_both_rules() -> None:
    """At "failed to" the gate matches the longest trigger, "failed"; a rule whose trigger
    is "fail" may match there too and is tried."""
    gate = build_gate({"A": frozenset({"fail"}), "B": frozenset({"failed"})})
    found = gate.pattern.match("failed to")
    assert found is not None
    assert gate.codes[found.group(0)] == ("A", "B")
    found = gate.pattern.match("failure")
    assert found is not None
    assert gate.codes[found.group(0)] == ("A",)
