"""BL002: "human error" and its cousins given as a cause.

"Human error", "by mistake", "accidentally" and "an oversight" are where an investigation
stops. The pattern holds the wordings; :func:`_flag` drops their technical look-alikes (a
migration that "messed up" a table, an API's "user error" status).
"""

from __future__ import annotations

import re
from typing import Final

from mkdocs_postmortems.core.findings import define
from mkdocs_postmortems.rules.blameless import words
from mkdocs_postmortems.rules.blameless.engine import (
    CLAUSE_BREAK,
    WORD,
    PhraseRule,
    Verdict,
    is_adverb,
    kind_before,
    negated_or_quoted,
    next_words,
    norm,
)

_ROLE_TAIL = r"(?:\s+(?:engineer|operator|developer|admin|lead|team|reviewer|responder|member)s?)?"
_PATTERN: Final = re.compile(
    r"(?:"
    r"(?:(?:human|operator|pilot|personnel|staff)[\s-]+(?:errors?|mistakes?|failures?)"
    r"|(?:user|developer|engineer|engineering|manual)[\s-]+(?:errors?|mistakes?))"
    r"(?![\s-]+(?:rates?|counts?|logs?|messages?|codes?|responses?|metrics?|budgets?|"
    r"handling|pages?|spikes?|types?|class(?:es)?|spiked|rose|increased|dropped|returned|"
    r"were\s+returned|dashboards?|panels?|ratios?|percent(?:age)?s?)\b)"
    r"|pebkac|pebcak|id-?10-?t(?:\s+error)?|layer[\s-]*8\s+(?:issues?|problems?|errors?)"
    r"|fat[\s-]?finger(?:ed|s|ing)?|finger[\s-]trouble"
    r"|(?:made|make|makes|making)\s+(?:(?:an?|the|one|some|several|two|a\s+few|"
    r"simple|silly|small|big|careless|honest|human|critical|costly|typo|stupid|dumb)\s+){0,3}"
    r"(?:mistakes?|blunders?)"
    r"|mistakes?\s+(?:(?:was|were)\s+made|(?:made\s+)?by\s+(?:(?:the|an?|our|their|one|of)"
    r"\s+){0,3}[\w'\u2019-]+" + _ROLE_TAIL + r"|on\s+the\s+part\s+of\s+(?:(?:the|an?|our)"
    r"\s+){0,2}[\w'\u2019-]+" + _ROLE_TAIL + r")"
    r"|(?P<messed>(?:messed|screwed|mucked|goofed|fouled|cocked)\s+up)"
    # A slip named by an adverb or "by mistake": "was mistakenly shut down", "removed by
    # mistake", "inadvertently deleted", "an accidental execution of the command".
    r"|(?P<slip>mistakenly|accident(?:al)?ly|accidently|inadvertently)"
    r"|accidental\s+(?:execution|deletion|removal|run|push|merge|commit|deploy(?:ment)?|"
    r"change|shut-?down|restart|reboot|termination|trigger(?:ing)?|overwrite|drop|revert|"
    r"rollback|click|keystroke)s?"
    r"|(?P<by>by\s+(?:mistake|accident))"
    # Input gone wrong: "entered incorrectly", "typed the wrong host", "mistyped". Not
    # "handles input incorrectly" or "entered a wrong state": systems do those.
    r"|(?:entered|typed|keyed|inputted|copied|pasted|copy-pasted|filled\s+in)\s+"
    r"(?:incorrectly|wrongly|erroneously)"
    r"|(?:incorrectly|wrongly|erroneously)\s+(?:entered|typed|keyed|inputted|copied|"
    r"pasted|copy-pasted|filled\s+in)"
    r"|(?:typed|keyed)(?:\s+in)?\s+(?:the\s+|an?\s+)?wrong"
    r"|mis-?typ(?:ed|ing|es?)|mis-?key(?:ed|ing|s)?"
    r"|(?P<oversight>oversights?)"
    r")(?![\w-])",
    re.IGNORECASE,
)


_HTTP_BEFORE: Final = re.compile(
    r"(?:\b[1-5](?:\d\d|xx)|\bhttp|\bstatus|\breturn(?:s|ed|ing)?|\brespon(?:d|ds|ded|se))"
    r"(?:\s+(?:an?|the|with))?\s+$",
    re.IGNORECASE,
)


def _flag(m: re.Match[str], masked: str, person_tokens: frozenset[str]) -> bool:
    """Drop the two technical look-alikes of human-error phrases.

    "Messed up" is only human error when a person messed up, not a migration; and "user
    error" right after a status code or "returned" is an error class an API reports
    ("returned a 400 user error"), not a judgment of a user.
    """
    if m.group("messed"):
        return kind_before(masked, m.start(), person_tokens) == "person"
    if m.group("slip"):
        return _slip_flag(m, masked, person_tokens)
    if m.group("by"):
        before = [norm(w) for w in WORD.findall(masked[max(0, m.start() - 40) : m.start()])]
        return not any(w in words.SLIP_NOT_AFTER for w in before[-3:])
    if m.group("oversight"):
        before = WORD.findall(CLAUSE_BREAK.split(masked[max(0, m.start() - 40) : m.start()])[-1])
        after = next_words(masked, m.end(), 1)
        return (
            bool(before)
            and norm(before[-1]) in words.OVERSIGHT_BEFORE
            and not (after and after[0] in words.OVERSIGHT_NOT_AFTER)
        )
    if m.group(0)[:4].lower() == "user":
        return _HTTP_BEFORE.search(masked, max(0, m.start() - 30), m.start()) is None
    return True


def _slip_flag(m: re.Match[str], masked: str, person_tokens: frozenset[str]) -> bool:
    """Whether "mistakenly", "accidentally" or "inadvertently" frames a person's slip.

    "Mistakenly" says someone made a mistake whatever the grammatical subject ("the command
    was mistakenly run", "the command mistakenly executed"). The other two also describe a
    change's side effect ("the patch inadvertently disabled the probe"), so a thing as the
    subject passes, unless a passive hides the person ("the route was accidentally
    removed"). A belief or a lucky find ("mistakenly thought", "accidentally found") is
    what people knew at the time, which is what a blameless write-up asks for.
    """
    after = next_words(masked, m.end(), 1)
    if after and after[0] in words.SLIP_NOT_AFTER:
        return False
    if m.group("slip").lower().startswith("mistaken"):
        return True
    before = WORD.findall(CLAUSE_BREAK.split(masked[max(0, m.start() - 60) : m.start()])[-1])
    while before and is_adverb(norm(before[-1])):
        before.pop()
    if before and norm(before[-1]) in words.PASSIVE_AUX:
        return True
    return kind_before(masked, m.start(), person_tokens) != "system"


def _message(phrase: str) -> str:
    return (
        f'human error: "{phrase}" ends the inquiry at a person; ask why the error was '
        "possible and what safeguard did not catch it"
    )


def _judge(
    m: re.Match[str], masked: str, line: str, person_tokens: frozenset[str]
) -> Verdict | None:
    if not _flag(m, masked, person_tokens) or negated_or_quoted(masked, m.start(), m.end()):
        return None
    return m.start(), m.end(), _message(line[m.start() : m.end()])


HUMAN_ERROR: Final = PhraseRule(
    define(
        "BL002",
        "human-error",
        '"Human error" or one of its cousins ("by mistake", "accidentally", "an '
        'oversight") is given as a cause.',
        why='"Human error", "by mistake", "accidentally" and "an oversight" are where an '
        "investigation stops, not where it should end: people make mistakes every day, and "
        "the interesting question is why this one could reach production.",
        fix="Ask why the error was possible and which safeguard did not catch it, and write "
        "that down as the cause.",
        level="warning",
        example="Before: `The replica pool was removed by mistake.`  \n"
        "After: `The cleanup script matched pools by prefix, and the replica pool shared it.`",
    ),
    _message,
    _PATTERN,
    _judge,
)
