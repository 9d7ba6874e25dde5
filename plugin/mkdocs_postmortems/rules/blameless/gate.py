"""The gate: the few places in a line where a phrase rule may match, found in one scan.

The blameless rules run on every line of every post-mortem in CI, and most lines hold no
blaming phrase. One expression (a trie of every trigger phrase of every rule) finds the
word starts where a rule could match; only there is the rule's own pattern tried, anchored.
A line without a trigger costs one regex scan, about 3 microseconds per 100 characters.

The triggers are read from the rules' patterns (:func:`literal_starts`), never kept by
hand, so a phrase added to a pattern is reached through the gate the day it is added.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Final

# The parser the re module compiles with: the triggers are read from the very tree the
# patterns are matched by. Its 3.11 name is private (sre_parse, its old name, warns), and
# the tests read every pattern through it on each supported Python.
if sys.version_info >= (3, 11):
    from re import _parser as sre_parse
else:
    import sre_parse

# Past this many beginnings, a pattern's triggers stop growing: a shorter trigger lets a
# few more places through the gate, never fewer.
_MAX_STARTS: Final = 256

Start = tuple[str, bool]
"""A literal beginning, and whether it is the whole of what its part of the pattern matches
(then what follows the part may lengthen it)."""


def literal_starts(pattern: re.Pattern[str]) -> frozenset[str]:
    """The literal beginnings of ``pattern``, in lower case: every match begins with one.

    Read from the parsed pattern: a literal character lengthens every beginning; a group or
    an alternation gives each of its own; an optional part (``-?``, ``(?:al)?``) gives the
    beginnings with and without it; a lookahead matches nothing and is passed over; anything
    else (a class such as ``\\s``, a repeat) ends the beginning there. ``id-?10-?t`` gives
    ``id10t``, ``id-10t``, ``id10-t`` and ``id-10-t``; ``fail(?:ed|ing)\\s+to`` gives
    ``failed`` and ``failing``. Raises ValueError when a match may begin with no literal
    character: such a pattern cannot be gated.
    """
    found = frozenset(start.lower() for start, _ in _sequence(sre_parse.parse(pattern.pattern)))
    if "" in found:
        raise ValueError(f"a match of {pattern.pattern[:40]!r} may begin with no literal")
    return found


def _sequence(items: sre_parse.SubPattern) -> set[Start]:
    """The beginnings of a sequence of parsed elements."""
    ended: set[str] = set()
    growing: set[str] = {""}
    for op, av in items.data:
        following = _element(op, av)
        longer: set[str] = set()
        for prefix in growing:
            for part, whole in following:
                (longer if whole else ended).add(prefix + part)
        growing = longer
        if len(growing) > _MAX_STARTS:
            ended |= growing
            growing = set()
        if not growing:
            break
    return {(start, False) for start in ended} | {(start, True) for start in growing}


def _element(op: object, av: object) -> set[Start]:
    """The beginnings of one parsed element (its opcode and argument)."""
    if op is sre_parse.LITERAL and isinstance(av, int):
        return {(chr(av), True)}
    if op is sre_parse.SUBPATTERN and isinstance(av, tuple):
        return _sequence(av[-1])
    if op is sre_parse.BRANCH and isinstance(av, tuple):
        return set().union(*(_sequence(branch) for branch in av[1]))
    if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and isinstance(av, tuple):
        low, high, body = av
        inner = _sequence(body)
        if high == 1:
            return inner | {("", True)} if low == 0 else inner
        if low == 0:
            return {("", False)}
        return {(start, False) for start, _ in inner}
    if op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT, sre_parse.AT):
        return {("", True)}
    return {("", False)}


def trie_regex(words: Collection[str]) -> str:
    """An alternation of literal words, factored as a trie.

    Python's regex engine tries alternatives one after another at every position; a trie
    shares prefixes, so a position that cannot start any trigger word fails on its first
    character. This keeps the gate around 2-3 microseconds on a 100-character line. At a
    position, the trie matches the longest of the words that stand there.
    """
    root: dict[str, object] = {}
    for word in words:
        node = root
        for ch in word:
            child = node.setdefault(ch, {})
            assert isinstance(child, dict)
            node = child
        node[""] = {}

    def build(node: dict[str, object]) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            child = node[ch]
            assert isinstance(child, dict)
            alts.append(re.escape(ch) + build(child))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


# The gate over a whole document looks for its candidates in a copy where every character
# that is no ASCII word character is a space: a word then starts right after a space, and
# the regex engine searches for a space in C. A pattern that starts with ``\b`` is tried
# at every position instead, which cost a third more on a typical body.
SPACED: Final = bytes(
    c if c < 128 and (chr(c).isalnum() or chr(c) == "_") else ord(" ") for c in range(256)
)


@dataclass(frozen=True)
class Gate:
    """Where in a text the trigger phrases of some rules stand.

    ``pattern`` finds a trigger at a word start of a lowercased line (``anycase`` of a line
    whose length lowercasing changes); ``codes`` says which rules to try where it found
    one; ``word_starts`` finds every word start of the spaced copy of a text (see
    :data:`SPACED`) where a trigger may stand, overlapping ones too.
    """

    codes: Mapping[str, tuple[str, ...]]
    pattern: re.Pattern[str]
    anycase: re.Pattern[str]
    word_starts: re.Pattern[bytes]


def build_gate(triggers: Mapping[str, frozenset[str]]) -> Gate:
    """The gate of the rules whose trigger phrases are given by code."""
    stems = frozenset().union(*triggers.values())
    # At a position the gate matches the longest trigger; every trigger it begins with
    # stands there too, and so may the match of that trigger's rule.
    owners: dict[str, set[str]] = {}
    for code, own in triggers.items():
        for trigger in own:
            owners.setdefault(trigger, set()).add(code)
    codes = {
        stem: tuple(
            sorted(set().union(*(owners.get(stem[:end], ()) for end in range(1, len(stem) + 1))))
        )
        for stem in stems
    }
    pattern = re.compile(r"\b" + trie_regex(stems))
    # A trigger spelt with a hyphen is spelt with a space in the copy, as everything else is.
    spaced = {stem.encode().translate(SPACED).decode() for stem in stems}
    return Gate(
        codes=codes,
        pattern=pattern,
        anycase=re.compile(pattern.pattern, re.IGNORECASE),
        word_starts=re.compile(b" (?=" + trie_regex(spaced).encode() + b")"),
    )
