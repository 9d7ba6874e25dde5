"""BL004: judgment words about a person.

Careless, sloppy, to blame: words that describe a person's character instead of the event.
"Lazy", "fault" and "blame" are mostly technical (lazy loading, fault tolerance, git blame),
so their matches are judged by what is around them (:func:`_span`).
"""

from __future__ import annotations

import re
from typing import Final

from mkdocs_postmortems.core.findings import define
from mkdocs_postmortems.rules.blameless import words
from mkdocs_postmortems.rules.blameless.engine import (
    APOS,
    CLAUSE_BREAK,
    WORD,
    PhraseRule,
    Verdict,
    classify,
    kind_before,
    negated_or_quoted,
    next_content_kind,
    next_words,
    norm,
)

_PATTERN: Final = re.compile(
    r"(?:"
    r"(?P<plain>careless(?:ly|ness)?|negligen(?:t|tly|ce)|incompeten(?:t|tly|ce|cy)"
    r"|stupid(?:ly|ity)?|slopp(?:y|ily|iness)|reckless(?:ly|ness)?"
    r"|irresponsib(?:le|ly|ility)|idiot(?:s|ic|ically)?|clueless|bone-?headed|inexcusabl[ey]"
    r"|unprofessional(?:ly)?|amateurish|(?:rookie|dumb|silly|amateur)\s+"
    r"(?:mistakes?|errors?|moves?)"
    r"|(?:dropp(?:ed|ing)|drops?)\s+the\s+ball|asleep\s+at\s+the\s+wheel|blameworthy)"
    r"|(?P<lazy>lazy|laziness)"
    r"|(?P<blame>blam(?:e|ed|es|ing))"
    r"|(?P<fault>fault)"
    r")(?![\w-])",
    re.IGNORECASE,
)
# What may stand right before "fault" or "blame"; searched in a short window ending at it.
_BEFORE_FAULT: Final = re.compile(
    # A possessive is searched from the start of its word ((?<![\w-])): from each letter of
    # a long word, the rest of the word was read again.
    r"(?:\b(?P<at>at)|(?P<poss>\b(?:his|her|their|our|my|your)|(?<![\w-])[\w-]+"
    + APOS
    + r"s?))\s+$",
    re.IGNORECASE,
)
_FAULT_OF: Final = re.compile(r"\s+of\b", re.IGNORECASE)
_BEFORE_BLAME: Final = re.compile(
    r"(?P<git>\bgit\s+)$|\b(?P<to>(?:(?:is|was|were|are|be)\s+)?to\s+)$", re.IGNORECASE
)
_NOBODYS: Final = re.compile(r"(?:nobody|no-one|noone)" + APOS, re.IGNORECASE)


def _span(m: re.Match[str], masked: str, person_tokens: frozenset[str]) -> tuple[int, int] | None:
    """Return the span to flag if a judgment-word match judges a person, else None.

    "lazy" is mostly technical (lazy loading, a lazy parser), so it needs a copula or a
    person around it and must not describe a thing;
    "laziness of the iterator" is technical too. "fault" is only a judgment in "at fault",
    "fault of" and "X's fault" (so "fault tolerance" and "page fault" pass), and not when
    the one at fault is a thing ("the disk was at fault"). "blame" aimed at a thing ("we
    blamed the CDN at first") is a diagnosis, not a judgment; "git blame" is a command.
    """
    start, end = m.span()
    window = masked[max(0, start - 30) : start]
    if m.group("lazy"):
        if m.group("lazy").lower() == "laziness":
            return None if next_words(masked, end, 1) == ["of"] else (start, end)
        before = WORD.findall(CLAUSE_BREAK.split(masked[max(0, start - 80) : start])[-1])
        after = next_words(masked, end, 1)
        if after and after[0] in words.LAZY_TECH:
            return None
        if any(norm(w) in words.LAZY_CAUSATIVE for w in before[-3:]):
            return None
        anyone = any(classify(norm(w), person_tokens, w) == "person" for w in before)
        if not anyone and kind_before(masked, start, person_tokens) == "system":
            return None  # "the parser is lazy about ...": evaluation strategy, not a person
        if before and norm(before[-1]) in words.LAZY_BEFORE:
            return start, end
        if (
            not after
            or after[0] in words.LAZY_AFTER
            or classify(after[0], person_tokens) == "person"
        ):
            return start, end
        return None
    if m.group("blame"):
        b = _BEFORE_BLAME.search(window)
        if b is not None and b.group("git"):
            return None
        if b is not None and b.group("to"):
            start -= len(b.group("to"))
        obj = next_content_kind(masked, end, person_tokens)
        if obj == "system":
            return None
        if obj != "person" and kind_before(masked, start, person_tokens) == "system":
            return None
        return start, end
    if m.group("fault"):
        f = _BEFORE_FAULT.search(window)
        if f is not None and f.group("at"):
            start -= len(window) - f.start()
            ok = kind_before(masked, start, person_tokens) != "system"
            return (start, end) if ok else None
        if f is not None and f.group("poss"):
            owner = f.group("poss")
            if _NOBODYS.match(owner):
                return None
            plain = owner.replace("\u2019", "'").split("'")[0]
            if classify(norm(plain), person_tokens, plain) == "system":
                return None
            return start - (len(window) - f.start()), end
        of = _FAULT_OF.match(masked, end)
        if of is not None:
            if next_content_kind(masked, of.end(), person_tokens) == "system":
                return None
            return start, of.end()
        return None
    return start, end


def _message(phrase: str) -> str:
    return (
        f'judgment word: "{phrase}" judges a person instead of describing what happened; '
        "describe the action and the conditions that made it reasonable at the time"
    )


def _judge(
    m: re.Match[str], masked: str, line: str, person_tokens: frozenset[str]
) -> Verdict | None:
    span = _span(m, masked, person_tokens)
    if span is None or negated_or_quoted(masked, *span):
        return None
    return span[0], span[1], _message(line[span[0] : span[1]])


JUDGMENT_WORD: Final = PhraseRule(
    define(
        "BL004",
        "judgment-word",
        "A judgment word (careless, negligent, to blame) describes a person.",
        why="Words like careless, sloppy or to blame describe a person's character instead of "
        "the event, and turn a review into a trial.",
        fix="Replace the judgment with a description of what happened and the conditions that "
        "made it likely.",
        level="warning",
        example="Before: `A careless config change took down checkout.`  \n"
        "After: `A config change with a zero pool size passed validation and reached checkout.`",
    ),
    _message,
    _PATTERN,
    _judge,
)
