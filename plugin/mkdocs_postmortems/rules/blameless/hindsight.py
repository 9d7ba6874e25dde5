"""BL003: hindsight and counterfactuals about people.

"Should have" and "failed to" judge a decision with knowledge nobody had at the time. Most
uses in technical prose are about systems ("the job failed to start"), so a match is
judged by its subject (:func:`_flag`).
"""

from __future__ import annotations

import re
from typing import Final, Literal

from mkdocs_postmortems.core.findings import define
from mkdocs_postmortems.rules.blameless import words
from mkdocs_postmortems.rules.blameless.engine import (
    APOS,
    CLAUSE_BREAK,
    Kind,
    PhraseRule,
    Verdict,
    classify,
    is_adverb,
    kind_before,
    next_words,
    norm,
)

Framing = Literal["hindsight", "omission", "counterfactual"]
_QUESTIONS: Final[dict[Framing, str]] = {
    "hindsight": "judges a past decision with today's knowledge; ask what made sense at the "
    "time, with the information then at hand",
    "omission": "frames an omission as a personal failing; ask what information would have "
    "helped at that moment, and what made the step easy to miss",
    "counterfactual": "is a counterfactual about people; describe what happened, then ask "
    "what is the smallest change to the system that would have prevented it",
}


def _message(phrase: str, framing: Framing = "hindsight") -> str:
    return f'hindsight: "{phrase}" {_QUESTIONS[framing]}'


_ADV = r"(?:\s+(?:\w+ly|not|never|also|just|all|both|still|at\s+least))?"
_PATTERN: Final = re.compile(
    r"(?:"
    r"(?P<should>(?:should|ought\s+to)" + _ADV + r"\s+have"
    r"|should" + APOS + r"ve|shouldn" + APOS + r"t(?:\s+have|" + APOS + r"ve)"
    r"|ought\s+not\s+(?:to\s+)?have)"
    r"|(?P<could>(?:could|might)(?:\s+have|" + APOS + r"ve)" + _ADV + r"(?P<been>\s+been)?"
    r"(?:\s+\w+ly)?\s+(?:prevented|avoided|caught|stopped|averted|mitigated|detected|"
    r"spotted|noticed))"
    r"|(?P<failed>fail(?:ed|ing)\s+to)"
    r"|(?P<forgot>(?:forgot|forgotten|neglect(?:ed|ing)|omitted)\s+(?:to|about)"
    r"|didn" + APOS + r"t\s+bother|did\s+not\s+bother|never\s+bothered)"
    r"|(?P<despite>despite\s+(?:(?:being|having\s+been)\s+(?:aware|warned|told)|knowing|"
    r"having\s+known))"
    r")(?![\w'\u2019-])",
    re.IGNORECASE,
)
_PASSIVE_AGENT: Final = re.compile(
    r"(?:[\s,]+[\w'\u2019-]+){0,6}?\s+by\s+(?:(?:the|a|an|our|their|his|her|its)\s+)?"
    r"([\w'\u2019-]+)",
    re.IGNORECASE,
)


def _is_participle(word: str) -> bool:
    return word in words.IRREGULAR_PP or (len(word) > 3 and word.endswith(("ed", "en")))


def _agent_kind(masked: str, pos: int, person_tokens: frozenset[str]) -> Kind:
    """Kind of the agent of a passive ("...been caught by the reviewer"), if any."""
    clause = CLAUSE_BREAK.split(masked[pos : pos + 80], maxsplit=1)[0]
    m = _PASSIVE_AGENT.match(clause)
    if m is None:
        return "none"
    return classify(norm(m.group(1)), person_tokens, m.group(1))


def _flag(m: re.Match[str], masked: str, person_tokens: frozenset[str]) -> str | None:
    """Return a message if this hindsight phrase is about people, else None.

    The decision table, by subject kind (see :func:`kind_before`):

    * "failed to": only people ("we failed to notice"), and not when the verb is something
      systems do ("the engineer failed to connect" is a fact, not a judgment).
    * "forgot to", "neglected to": people and unknown subjects; not systems
      ("the client forgot to send the header" is developer slang for a bug).
    * "should have": needs a past participle after it ("every service should have an owner"
      is about the future). Flagged for people and missing subjects; for things only when a
      person is the agent of a passive ("should have been caught by the reviewer") or the
      passive verb is human work ("the PR should have been reviewed"); unknown subjects are
      flagged unless the verb is system behaviour ("Kafka should have rebalanced").
    * "could have prevented": flagged unless a thing is the subject ("a canary could have
      caught this" is the smallest-change question answered, not a judgment).
    """
    phrase = m.group(0)
    start, end = m.span()
    subject = kind_before(masked, start, person_tokens)
    after = next_words(masked, end)
    if m.group("failed"):
        verb = after[0] if after else ""
        if subject == "person" and verb not in words.ACCESS_VERBS:
            return _message(phrase, "omission")
        if subject == "ambiguous" and verb and verb not in words.SYSTEM_VERBS:
            return _message(phrase, "omission")
        return None
    if m.group("despite"):
        # "despite being aware of the risk": only people are aware or warned, and the phrase
        # is a verdict on what they knew; the word before it is often the verb's object.
        return _message(phrase)
    if m.group("forgot"):
        if subject == "system" or (phrase[:4].lower() == "omit" and subject != "person"):
            return None  # "may be omitted to set the context" is API documentation
        return _message(phrase, "omission")
    if m.group("could"):
        if m.group("been"):
            agent = _agent_kind(masked, end, person_tokens)
            return None if agent == "system" else _message(phrase, "counterfactual")
        return None if subject == "system" else _message(phrase, "counterfactual")
    # should have / ought to have
    content = [w for w in after if not (is_adverb(w) or w in ("just", "also", "already"))]
    if content and not _is_participle(content[0]):
        return None  # "should have a runbook": a wish about the future, not hindsight
    verb = content[0] if content else ""
    if "automatically" in after[:3] and subject != "person":
        return None  # "should have been automatically corrected": specified behaviour
    if verb == "known":
        return _message(phrase)
    if subject in ("person", "none"):
        return _message(phrase)
    if verb == "been":
        agent = _agent_kind(masked, end, person_tokens)
        if agent in ("person", "ambiguous"):
            return _message(phrase)
        if agent == "system":
            return None
        passive = content[1] if len(content) > 1 else ""
        if passive in words.HUMAN_PASSIVE:
            return _message(phrase)
        return None if subject == "system" or passive in words.SYSTEM_VERBS else (_message(phrase))
    if subject == "system":
        return None
    if verb in words.SYSTEM_VERBS:
        return None
    return _message(phrase)


def _judge(
    m: re.Match[str], masked: str, line: str, person_tokens: frozenset[str]
) -> Verdict | None:
    message = _flag(m, masked, person_tokens)
    return None if message is None else (m.start(), m.end(), message)


HINDSIGHT: Final = PhraseRule(
    define(
        "BL003",
        "hindsight",
        'Hindsight or a counterfactual ("should have", "failed to", "despite being '
        'aware") judges a past decision.',
        why='"Should have" and "failed to" judge a decision with knowledge nobody had at the '
        "time, and hide why the decision looked reasonable then.",
        fix="Describe what people knew and saw at that moment and why their action made sense; "
        "ask what information would have helped.",
        level="warning",
        example="Before: `The on-call engineer should have checked the dashboard.`  \n"
        "After: `The dashboard that showed the backlog was not linked from the alert.`",
    ),
    _message,
    _PATTERN,
    _judge,
)
