"""What every blameless rule is made of: the rule record, the match, and the reading of prose.

A post-mortem exists so that a team learns how its systems let an incident happen. Language
that puts a person at the centre ("human error", "should have", "careless", a name in the
root cause) ends that inquiry early and teaches people to hide their next mistake. The
blameless rules (BL001-BL007) point at such phrases while the write-up is still a pull
request, and each message suggests the question that would unlock the learning instead.

Each rule is one record (:class:`BlamelessRule`, or :class:`PhraseRule` for a rule that
matches phrases in prose) in the module of its family: its definition (code, name, level,
documentation), its message, and for a phrase rule its pattern and the judgment of a match.
This module holds what the families share: masking code spans, links and comments out of a
line, and the small subject heuristic (:func:`kind_before`) that tells a person from a
system. Precision matters more than recall: a check that cries wolf gets silenced
wholesale. Words such as "failed to", "should have", "fault" and "blame" are mostly used
about systems in technical prose, so those matches look at the noun phrase in front of the
phrase and only flag people, roles and teams.

Everything here is pure text analysis: the checker owns files, sections, line numbers and
silence comments. No pattern nests unbounded quantifiers, so there is no catastrophic
backtracking.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Final, Literal

from mkdocs_postmortems.core.findings import Rule
from mkdocs_postmortems.rules.blameless import words
from mkdocs_postmortems.rules.blameless.gate import literal_starts


@dataclass(frozen=True)
class BlameMatch:
    """One flagged phrase; offsets index the exact string the caller passed in.

    ``line[start:end] == phrase`` always holds, so the caller can turn ``start`` into a
    1-based column and editors can underline the phrase. ``message`` is one line, without
    the rule code (the caller prints the code in its own column).
    """

    code: str
    start: int
    end: int
    phrase: str
    message: str


@dataclass(frozen=True)
class BlamelessRule:
    """One blameless rule in one place: its definition and the message it reports.

    ``rule`` is what the registry and the documentation read (code, name, default level,
    why and how to fix, an example); ``message`` builds the one-line message from what was
    flagged (its arguments are the rule's own: the phrase, a count).
    """

    rule: Rule
    message: Callable[..., str]

    @property
    def code(self) -> str:
        return self.rule.code


Kind = Literal["person", "ambiguous", "system", "unknown", "none"]
Verdict = tuple[int, int, str]
"""What a phrase rule reports of a match: the span to flag (it may reach before the match,
"at fault") and the message."""
Judge = Callable[[re.Match[str], str, str, frozenset[str]], Verdict | None]
"""A phrase rule's reading of a match: given the match, the masked line, the line and the
words that name people, what to report, if anything."""


@dataclass(frozen=True)
class PhraseRule(BlamelessRule):
    """A rule that flags phrases in prose (BL002-BL004).

    ``pattern`` is tried, anchored, only at a word start where one of its trigger phrases
    stands, so it carries no leading ``\\b``. The triggers are never listed by hand: they
    are the literal beginnings of the pattern (:func:`gate.literal_starts`), so a phrase
    added to the pattern is found. ``judge`` decides what a match reports (:data:`Judge`).
    """

    pattern: re.Pattern[str]
    judge: Judge

    @cached_property
    def triggers(self) -> frozenset[str]:
        """The phrases a match of the pattern begins with, read from the pattern."""
        return literal_starts(self.pattern)


APOS = r"['\u2019]"
"""Straight or curly apostrophe: editors and chat tools turn one into the other."""

# Inline code spans (any backtick-run length, per CommonMark), HTML comments and URLs are
# never prose. They are replaced by same-length filler so that offsets stay valid.
_BACKTICKS: Final = re.compile(r"`+")
_COMMENT: Final = re.compile(r"<!--.*?(?:-->|$)")
_URL: Final = re.compile(r"<?(?:https?|ftp)://[^\s<>]*>?|\bwww\.[^\s<>]+", re.IGNORECASE)

# A "clause" ends at sentence punctuation, brackets, table pipes, quotes and spaced dashes;
# the subject of a verb is looked for only inside its own clause.
CLAUSE_BREAK: Final = re.compile(r"[.;:!?,()\[\]{}|\"\u201c\u201d]|\s[-\u2013\u2014]+\s")
WORD: Final = re.compile(r"[A-Za-z0-9_][\w'\u2019-]*")


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Inline code spans per CommonMark: a run of N backticks up to the next run of exactly N.

    Done by pairing backtick runs rather than with one regex, which would need a lazy
    ``.*?`` and backreferences and costs several times more per line.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    # The next run of the same width, for each run: found in one pass from the right, so a
    # line of many unmatched runs is not searched again from every run.
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        width = runs[index][1] - runs[index][0]
        following[index] = last.get(width)
        last[width] = index
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(runs):
        j = following[i]
        if j is not None:
            spans.append((runs[i][0], runs[j][1]))
            i = j
        i += 1
    return spans


def mask(line: str) -> str:
    """Blank out code spans, URLs and HTML comments, keeping every other offset unchanged.

    Code spans and URLs become runs of ``0``: a numeric token that the subject heuristic
    reads as a thing (a code span followed by "failed to" is about code, not a person).
    Comments become spaces because they carry no meaning for the sentence around them.
    """
    if "`" in line:
        parts: list[str] = []
        kept = 0
        for start, end in _code_spans(line):
            parts.extend((line[kept:start], "0" * (end - start)))
            kept = end
        line = "".join([*parts, line[kept:]])
    if "<!--" in line:
        line = _COMMENT.sub(lambda m: " " * len(m.group(0)), line)
    if "://" in line or "www." in line:
        line = _URL.sub(lambda m: "0" * len(m.group(0)), line)
    return line


def norm(token: str) -> str:
    return token.lower().replace("\u2019", "'").strip("'-")


def _variants(word: str) -> tuple[str, ...]:
    """The word and its likely singulars, so word lists need only list one form."""
    if word.endswith("ies") and len(word) > 4:
        return (word, word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        return (word, word[:-1], word[:-2])
    if word.endswith("s") and len(word) > 2:
        return (word, word[:-1])
    return (word,)


_IDENTIFIER: Final = re.compile(r"_|\d|\w[./]\w")


def is_adverb(word: str) -> bool:
    return len(word) > 4 and word.endswith("ly") and word not in words.NOT_ADVERBS


def classify(word: str, person_tokens: frozenset[str], original: str = "") -> Kind:
    """Person, system or unknown, for one already-normalised head noun."""
    if original and original in person_tokens:
        return "person"
    if word.strip("0") == "" or word[0].isdigit() or _IDENTIFIER.search(word):
        return "system"  # masked code span or URL, a number, or an identifier like stream_wrap
    forms = _variants(word)
    if any(v in words.PERSON_WORDS for v in forms):
        return "person"
    if any(v in words.AMBIGUOUS_WORDS for v in forms):
        return "ambiguous"
    if any(v in words.SYSTEM_WORDS for v in forms):
        return "system"
    return "unknown"


def kind_before(masked: str, pos: int, person_tokens: frozenset[str]) -> Kind:
    """Classify the subject of the phrase starting at ``pos`` from the words just before it.

    The head of an English noun phrase is its last word, so "the on-call engineer" is a
    person and "the engineer's script" is a thing. Adverbs and auxiliaries between subject
    and verb are skipped ("we then also failed to"); "who/that/which" defer to the noun they
    refer to. Only the current clause is considered, guessing across a comma does more harm
    than good, except after "but", "and" or "yet" with no subject of its own (see
    :func:`_shared_subject`).
    """
    window = masked[max(0, pos - 160) : pos]
    tokens = WORD.findall(CLAUSE_BREAK.split(window)[-1])
    while tokens:
        low = norm(tokens[-1])
        if low in words.SKIP_BEFORE or is_adverb(low):
            tokens.pop()
            continue
        break
    if tokens and norm(tokens[-1]) in words.CONJUNCTIONS:
        # "The author set X but failed to ...": the subject is the first clause's.
        return _shared_subject(tokens[:-1], window, person_tokens)
    return _head_kind(tokens, person_tokens)


def _head_kind(tokens: list[str], person_tokens: frozenset[str]) -> Kind:
    """Kind of the noun phrase that ends with ``tokens[-1]``."""
    if not tokens:
        return "none"
    low = norm(tokens[-1])
    if low == "who":
        return "person"
    if low in ("that", "which") and len(tokens) > 1:
        tokens.pop()
        low = norm(tokens[-1])
    if low == "call" and len(tokens) > 1 and norm(tokens[-2]) == "on":
        return "person"
    return classify(low, person_tokens, tokens[-1])


def _shared_subject(tokens: list[str], window: str, person_tokens: frozenset[str]) -> Kind:
    """The subject a verb shares with the clause before "but"/"and"/"yet".

    The subject of "The author correctly set X but failed to ..." is "author": the head
    noun right before the first verb-like word (an adverb, an auxiliary, a past tense) of
    the clause. When the conjunction starts its clause ("..., but failed to"), the clause
    before the comma is read; a period or any other break ends the search.
    """
    if not tokens:
        breaks = list(CLAUSE_BREAK.finditer(window))
        if not breaks or breaks[-1].group(0) != ",":
            return "none"
        begin = breaks[-2].end() if len(breaks) > 1 else 0
        tokens = WORD.findall(window[begin : breaks[-1].start()])
    # Only the nearest clause: "X was removed and the author set Y but ..." -> "the author".
    cuts = [i for i, word in enumerate(tokens) if norm(word) in words.CLAUSE_WORDS]
    if cuts:
        tokens = tokens[cuts[-1] + 1 :]
    for i, word in enumerate(tokens):
        low = norm(word)
        if i > 0 and (low in words.VERB_LIKE or is_adverb(low) or low.endswith("ed")):
            return _head_kind(tokens[:i], person_tokens)
    return "none"


def next_words(masked: str, pos: int, limit: int = 6) -> list[str]:
    """Up to ``limit`` normalised words after ``pos`` within the same clause."""
    clause = CLAUSE_BREAK.split(masked[pos : pos + 80], maxsplit=1)[0]
    return [norm(w) for w in WORD.findall(clause)[:limit]]


def next_content_kind(masked: str, pos: int, person_tokens: frozenset[str]) -> Kind:
    """Kind of the first noun after ``pos`` (skipping articles), e.g. the object of "blame"."""
    clause = CLAUSE_BREAK.split(masked[pos : pos + 80], maxsplit=1)[0]
    for tok in WORD.findall(clause)[:5]:
        low = norm(tok)
        if low in words.DETERMINERS or low in ("it", "for", "with", "to", "onto", "upon"):
            if low == "it":
                return "system"
            continue
        return classify(low, person_tokens, tok)
    return "none"


# "not human error", "without blaming anyone", "rather than 'careless'": the writer is
# rejecting the framing, which is exactly what a blameless review wants.
_NEGATION_BEFORE: Final = re.compile(
    r"\b(?:no|not|never|without|nobody|neither|nor|avoid(?:s|ed|ing)?|instead\s+of|"
    r"rather\s+than|free\s+(?:of|from)|beyond|against|refus(?:e|ed|es|ing)|no[\s-]one|"
    r"isn" + APOS + r"t|wasn" + APOS + r"t|don" + APOS + r"t|doesn" + APOS + r"t|"
    r"didn" + APOS + r"t|aren" + APOS + r"t|weren" + APOS + r"t|won" + APOS + r"t|"
    r"cannot|can" + APOS + r"t)\b",
    re.IGNORECASE,
)
_NEGATION_AFTER: Final = re.compile(
    r"[\"'\u201d\u2019*_]*\s+(?:is|was|are|were)\s+(?:never|not|rarely|seldom)\b|"
    r"[\"'\u201d\u2019*_]*\s+(?:isn|wasn|aren|weren)" + APOS + r"t\b",
    re.IGNORECASE,
)
_QUOTES: Final = {
    '"': '"',
    "\u201c": "\u201d",
    "'": "'",
    "\u2018": "\u2019",
}


def negated_or_quoted(masked: str, start: int, end: int) -> bool:
    """True when the phrase is rejected ("not human error") or mentioned in quotes."""
    clause = CLAUSE_BREAK.split(masked[max(0, start - 60) : start])[-1]
    if _NEGATION_BEFORE.search(clause):
        return True
    if _NEGATION_AFTER.match(masked, end):
        return True
    if start > 0 and end < len(masked):
        closing = _QUOTES.get(masked[start - 1])
        if closing is not None and masked[end] == closing:
            return True
    return False
