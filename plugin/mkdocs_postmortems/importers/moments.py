"""The incident's three moments (``started``, ``detected``, ``resolved``) read from what a
write-up says: its timeline's events and its summary's sentences.

Events are matched by meaning, in word families: "paged", "were alerted", "an alert fired",
"declared an incident", "customers reported" are all a detection; "restored", "recovered",
"back to normal", "resolved", "mitigated" an end. A summary that gives the window ("from
11:13 AM to 11:48 AM PDT", "between 16:35 and 17:02 UTC") states the start and the end
outright and wins over the timeline. Every moment keeps the sentence or row it came from, so
a person can confirm it; nothing here is written without that.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from mkdocs_postmortems.core.times import TimeContext

# Word families, matched on whole words at the start of a stem ("alert" finds "alerted",
# "alerting", "alerts"). A family is a meaning, not a list of phrases.
_DETECTED = re.compile(
    r"\b(?:alert|page[ds]?\b|paging|pager|detect|notic|spotted|observ|became aware|"
    r"aware of|declar\w*\s+(?:an?\s+|the\s+)?(?:incident|outage|sev)|incident\s+(?:was\s+)?"
    r"(?:declared|opened|created|raised)|(?:customers?|users?|support|merchants?)\s+"
    r"(?:\w+\s+)?(?:report|complain|contact|escalat)|report(?:ed|s)?\s+(?:by|from)|"
    r"on-?call\s+(?:\w+\s+)?(?:engaged|notified|acknowledg|respond)|acknowledg|"
    r"monitor\w*\s+(?:\w+\s+)?(?:fired|trigger|flag|caught)|first\s+(?:alert|report|page)|"
    r"escalat|ticket\s+(?:\S+\s+)?(?:is\s+|was\s+)?(?:opened|filed|raised|created)|"
    # "the author reports the issue to the help desk", "a researcher submits a disclosure report"
    r"reports?\s+(?:the\s+|an?\s+|this\s+)?(?:issue|problem|bug|outage|incident|vulnerabilit)|"
    r"(?:submit|receiv|got)\w*\s+(?:an?\s+|the\s+|several\s+|many\s+)?(?:\w+\s+)?reports?\b|"
    # "pings the maintainer to inform them of the outage", "we were told about the issue"
    r"(?:inform|notif|told|tell)\w*\s+(?:\w+\s+){0,2}(?:of|about)\s+(?:the\s+|an?\s+)?"
    r"(?:outage|incident|issue|problem|errors?|failures?))",
    re.IGNORECASE,
)
_RESOLVED = re.compile(
    r"\b(?:resolv|restor|recover|back to (?:normal|100\s?%)|"
    r"return(?:s|ed|ing)?\s+to\s+(?:normal|baseline)|"
    r"fully (?:operational|functional|available)|all clear|incident\s+(?:was\s+)?(?:closed|ended|over)|"
    r"(?:outage|impact|incident|errors?)\s+(?:\w+\s+)?(?:ended|ceased|stopped|subsided)|"
    r"end of (?:impact|outage|incident)|service\w*\s+(?:is|are|was|were)\s+(?:back|healthy|up)|"
    r"healthy again|operational again|(?:was|were|is|been|got)\s+fixed)",
    re.IGNORECASE,
)
_MITIGATED = re.compile(r"\bmitigat", re.IGNORECASE)
_STARTED = re.compile(
    r"\b(?:(?:impact|outage|incident|errors?|failures?|degradation|disruption|problems?|issues?)"
    r"\s+(?:\w+\s+)?(?:began|begins|started|starts|start)|"
    r"start(?:ed)?\s+(?:of\s+)?(?:the\s+)?(?:impact|outage|incident|failing|erroring|returning)|"
    r"began\s+(?:to\s+)?(?:fail|return|see|experienc|erroring|failing)|"
    r"first\s+(?:errors?|failures?|timeouts?|signs?|symptoms?)|"
    r"<?\s*start of (?:outage|impact|incident)\s*>?|"
    # A security incident starts when the weakness is used: "an attacker exploited the pool".
    r"(?:attackers?|exploiters?|hackers?)\s+(?:\w+\s+)?exploited|was\s+exploited)",
    re.IGNORECASE,
)
# Wording that says the end is not there yet: "partially restored", "began to recover",
# "triggered to resolve", "errors mostly subsided but latencies persist", "stopped resolving".
_NOT_YET = re.compile(
    r"\b(?:partial(?:ly)?|some|mostly|persist|began|begin|begins|start(?:ed|s)?\s+to|starting|"
    r"recovering|to\s+(?:resolv|restor|recover|mitigat|fix)|"
    # "the record stopped resolving": a name that does not resolve is the failure itself.
    r"(?:stopp(?:ed|ing)|ceased|not|n't)\s+(?:\w+\s+)?(?:resolving|recovering)|"
    r"not\s+(?:yet\s+)?(?:\w+\s+)?(?:resolv|restor|recover)|still|monitor(?:ing)?\s+"
    r"(?:the\s+)?(?:fix|recovery))",
    re.IGNORECASE,
)
# Words that say a summary's window is the incident's (not a maintenance slot, say).
_IMPACT = re.compile(
    r"\b(?:outage|incident|impact|affect|degrad|unavailab|disrupt|error|fail|down|slow|"
    r"latenc|timeout|timed out|could not|unable|elevated|interrupt|broken|lost)",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])|\n\s*\n")


@dataclass(frozen=True)
class Moment:
    """One inferred moment and the words it was read from."""

    at: datetime
    source: str


@dataclass(frozen=True)
class Moments:
    started: Moment | None = None
    detected: Moment | None = None
    resolved: Moment | None = None


def infer(rows: Sequence[tuple[datetime, str]], summary: str, context: TimeContext) -> Moments:
    """The moments the timeline's rows (time, event) and the summary's text state.

    ``context`` places the summary's times (its zone, the incident's day and year). Moments
    out of order (a detection before the start) are dropped rather than guessed around.
    """
    window = _window(summary, context)
    started = window[0] if window else _started(rows)
    if started is None:
        started = _summary_moment(summary, context, _STARTED)
    detected = _first(rows, _DETECTED, after=started) or _summary_moment(
        summary, context, _DETECTED
    )
    resolved = window[1] if window else _resolved(rows, after=detected or started)
    if resolved is None:
        resolved = _summary_moment(summary, context, _RESOLVED)
    if started and detected and detected.at < started.at:
        detected = None
    earliest = detected or started
    if earliest and resolved and resolved.at < earliest.at:
        resolved = None
    return Moments(started, detected, resolved)


def _window(summary: str, context: TimeContext) -> tuple[Moment, Moment] | None:
    """The first range in a summary sentence that speaks of the impact."""
    for sentence in sentences(summary):
        if not _IMPACT.search(sentence):
            continue
        for reading in context.find(sentence):
            if reading.at is not None and reading.until is not None:
                return Moment(reading.at, sentence), Moment(reading.until, sentence)
    return None


def _summary_moment(summary: str, context: TimeContext, family: re.Pattern[str]) -> Moment | None:
    """A single time in a summary clause whose words name the moment ("we were paged at
    10:05 UTC"; "around 9:30 the record came back, and by 9:40 traffic had returned to
    normal": the second clause holds the end, the first does not)."""
    for sentence in sentences(summary):
        if not family.search(sentence):
            continue
        # The sentence is read whole (a date stated once places every time in it); which
        # time a clause's words name is decided clause by clause.
        readings = [r for r in context.find(sentence) if r.at is not None and r.until is None]
        for start, clause in _clauses(sentence):
            if not family.search(clause) or (family is _RESOLVED and _NOT_YET.search(clause)):
                continue
            end = start + len(clause)
            inside = [r for r in readings if start <= r.expression.start < end]
            if len(inside) == 1 and inside[0].at is not None:
                return Moment(inside[0].at, sentence)
        if len(readings) == 1 and readings[0].at is not None and _whole(sentence, family):
            return Moment(readings[0].at, sentence)
    return None


def _whole(sentence: str, family: re.Pattern[str]) -> bool:
    """A sentence whose one time the family's words name, though not in the same clause
    ("At 10:05 UTC, the on-call engineer was paged")."""
    return family is not _RESOLVED or not _NOT_YET.search(sentence)


# Where a sentence's clauses meet: a semicolon, or a comma or "and"/"but" before a word that
# opens a new statement of time ("..., and by 9:40 traffic had returned").
_CLAUSE = re.compile(r";\s*|,?\s+(?:and|but|then|while)\s+(?=(?:by|at|around|after|until)\b)")


def _clauses(sentence: str) -> list[tuple[int, str]]:
    """The clauses of a sentence, each with where it starts."""
    out, start = [], 0
    for match in _CLAUSE.finditer(sentence):
        out.append((start, sentence[start : match.start()]))
        start = match.end()
    out.append((start, sentence[start:]))
    return out


def _started(rows: Sequence[tuple[datetime, str]]) -> Moment | None:
    for at, text in rows:
        if _STARTED.search(text):
            return Moment(at, text)
    return None


def _first(
    rows: Sequence[tuple[datetime, str]], family: re.Pattern[str], after: Moment | None
) -> Moment | None:
    for at, text in rows:
        if (after is None or at >= after.at) and family.search(text):
            return Moment(at, text)
    return None


def _resolved(rows: Sequence[tuple[datetime, str]], after: Moment | None) -> Moment | None:
    """The first row that says the impact ended; "mitigated" when none says more."""
    later = [(at, text) for at, text in rows if after is None or at >= after.at]
    for at, text in later:
        if _RESOLVED.search(text) and not _NOT_YET.search(text):
            return Moment(at, text)
    for at, text in later:
        if _MITIGATED.search(text) and not _NOT_YET.search(text):
            return Moment(at, text)
    return None


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph or several, markup aside, each on one line."""
    plain = re.sub(r"[*_`]+", "", text)
    return [" ".join(s.split()) for s in _SENTENCE.split(plain) if s.strip()]
