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
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mkdocs_postmortems.core.times import Reading, TimeContext, written_days
from mkdocs_postmortems.importers.stated import (
    SPAN,
    Moment,
    by_spans,
    fresh,
    open_window_end,
    property_lines,
    stated_moments,
    summary_window,
)
from mkdocs_postmortems.importers.wording import (
    ADDENDUM,
    AT_ONCE,
    CHANGE,
    CONTAINED,
    DETECTED,
    ELSEWHERE,
    FIRST_SIGNS,
    FORMALLY,
    HEALTHY,
    HEDGED,
    IMPACT,
    LIST_ITEM,
    MITIGATED,
    NOT_YET,
    ONSET,
    POSTED,
    RELAPSE,
    REPEAT,
    RESOLVED,
    STARTED,
    TELLING,
    WATCHER,
    WHOLE_END,
    says,
    sentences,
    tells,
)

# Numbers written as words, as durations are told ("for almost four hours").
_NUMBERS = {
    word: value
    for value, word in enumerate(
        (
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ),
        1,
    )
} | {"a": 1, "an": 1}
_COUNT = r"\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True))
# "Duration: 2h 15m", "for approximately 47 minutes", "Downtime for ~4 hours and 38 minutes".
_DURATION = re.compile(
    r"(?:\bduration\b[^:\n]{0,20}:\s*|\b(?:for|lasted|lasting|took|of)\s+)"
    r"(?:(?:approximately|approx\.?|about|around|roughly|almost|nearly|just\s+(?:under|over)|"
    r"an?\s+estimated|~)\s*)?"
    rf"(?:(?P<h>{_COUNT})\s*(?:h\b|hrs?\b|hours?\b)(?:\s*(?:,|and)?\s*)?)?"
    rf"(?:(?P<m>{_COUNT})\s*(?:m\b|mins?\b|minutes?\b))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Moments:
    started: Moment | None = None
    detected: Moment | None = None
    resolved: Moment | None = None


def infer(
    rows: Sequence[tuple[datetime, str]],
    summary: str,
    context: TimeContext,
    properties: str = "",
    impact: str = "",
    title: str = "",
) -> Moments:
    """The moments the timeline's rows (time, event) and the summary's text state.

    ``context`` places the summary's times (its zone, the incident's day and year).
    ``properties`` is the text to look for property lines in ("Time of incident: 10:15 AM
    PST", "| Resolved | 11:40 UTC |", "Duration: 1h 25m"; the summary when not given): what
    they state wins over what the words suggest. ``impact`` is the Impact section's text,
    whose window ("Between 1:46pm - 5:30pm") counts when the summary states none, and so does
    the ``title``'s. The moments must keep their order: a
    detection before the start is dropped rather than guessed around, and so is an end
    before the start. An end before the detection stays: an outage that healed itself was
    often noticed afterwards.
    """
    listed = property_lines(properties or summary)
    stated = _unless_slipped(stated_moments(listed, context), rows)
    # The window the text states for the impact, in the summary or in the section that
    # tells the impact ("(Between 1:46pm - 5:30pm)"): the author's own account of it.
    window = (
        summary_window(summary, context)
        or summary_window(impact, context, of_impact=True)
        # "Retrospective: worker outage 2021-10-08 23:01 - 2021-10-09 02:40 UTC": a title
        # that gives the window of the outage it names.
        or summary_window(title, context)
    )
    started = (
        stated.get("started")
        or (window[0] if window else None)
        or _started(rows)
        or _summary_moment(summary, context, STARTED, nearest=True)
        or (_onset(rows) if rows else _first_change(summary, context))
        # Without a timeline, the summary's own sentence of the failure ("At 19:55 UTC all
        # services became unresponsive").
        or (None if rows else _summary_moment(summary, context, ONSET, nearest=True))
        or (_summary_moment(properties, context, STARTED, nearest=True) if properties else None)
    )
    detected = (
        stated.get("detected")
        or _first(rows, DETECTED, after=started)
        or _first(rows, POSTED, after=started)
        or _summary_moment(summary, context, DETECTED, nearest=True)
        # A detection told in another section ("## The chain split"), once the start is known.
        or (
            _summary_moment(properties, context, DETECTED, nearest=True)
            if started and properties
            else None
        )
        or _at_once(summary, started)
    )
    resolved = (
        stated.get("resolved")
        or (window[1] if window else None)
        or open_window_end(summary, context)
        or _same_sentence_end(started, summary, context)
        or _before_divider(rows)
        or _resolved(rows, started, detected)
        or _summary_moment(summary, context, RESOLVED, nearest=True)
        or _later(summary, context, rows)
        # Without a timeline, the summary's sentence of the harm contained ("By 9:30 AM UTC
        # we had deleted the packages and revoked the tokens"), as a row would tell it.
        or (None if rows else _summary_moment(summary, context, CONTAINED, nearest=True))
        or (
            _summary_moment(properties, context, RESOLVED, nearest=True)
            if started and properties
            else None
        )
    )
    told = "\n\n".join([summary, *(f"{label}: {value}" for label, value in listed)])
    started, detected, resolved = by_spans(
        listed, rows, started, detected, resolved, outright="resolved" in stated or bool(window)
    )
    if resolved is None and started is not None:
        resolved = _by_duration(told, context, started, rows, 1)
    if started is None and resolved is not None:
        started = _by_duration(told, context, resolved, rows, -1)
    last_day = _runs_past(told, resolved) if resolved is not None else None
    if last_day is not None:
        # The end of one part of it (the first of several outages, the first day's
        # recovery): the incident's end is the last one told on the last day it spans, or
        # for a person to give.
        resolved = _last_end(rows, summary, context, last_day)
    return _in_order(started, detected, resolved)


# A span of days ("Between October 21 and October 30", "from May 5 to May 27") or a list
# of the incident's periods ("three periods of degradation: Nov 26, Nov 27, and Dec 4").
_DAYS_SPAN = re.compile(
    r"\b(?:between|from)\b|\b(?:periods?|incidents|outages|episodes|waves|occurrences)\b",
    re.IGNORECASE,
)


def _runs_past(told: str, resolved: Moment) -> date | None:
    """The last day of the incident when the summary says it ran over days that reach past
    the end found: a sentence that gives the span of days or lists its periods, whose last
    day is after the end's."""
    # Each list item is a statement of its own ("- Date: 2025-12-05" above "- Summary: ...").
    items = LIST_ITEM.split(told)
    for sentence in (s for item in items for s in sentences(item)):
        days = written_days(sentence, resolved.at.year)
        if len(days) >= 2 and _DAYS_SPAN.search(sentence) and max(days) > resolved.at.date():
            return max(days)
    return None


def _last_end(
    rows: Sequence[tuple[datetime, str]], summary: str, context: TimeContext, day: date
) -> Moment | None:
    """The last end told on the incident's last day: a timeline row or a summary sentence
    that says the impact ended ("Incident resolved", "By May 7, 6:20 AM UTC ingestion had
    fully recovered"). Several parts each end; the incident ends with the last."""
    ends = [
        Moment(at, text)
        for at, text in rows
        if at.date() == day and says(text, RESOLVED) and not TELLING.search(text)
    ]
    context = fresh(context)
    for sentence in sentences(summary):
        readings = [r for r in context.find(sentence) if r.at is not None and r.until is None]
        if len(readings) != 1 or readings[0].at is None or readings[0].at.date() != day:
            continue
        if says(sentence, RESOLVED):
            ends.append(Moment(readings[0].at, sentence))
    return max(ends, key=lambda end: end.at, default=None)


def _in_order(started: Moment | None, detected: Moment | None, resolved: Moment | None) -> Moments:
    """The moments that keep their order and stay within a plausible span: a fault may lie
    unnoticed for weeks (a bug deployed on the 24th, found on the 9th), but an end weeks
    after the detection is a follow-up."""
    if started and detected and not timedelta(0) <= detected.at - started.at <= _LATENT:
        detected = None
    first = started or detected
    known = detected or started
    late = resolved and known and resolved.at - known.at > SPAN
    if resolved and first and (resolved.at < first.at or late):
        resolved = None
    return Moments(started, detected, resolved)


# The longest a fault lies unnoticed between the start and its detection.
_LATENT = timedelta(days=31)


def _onset(rows: Sequence[tuple[datetime, str]]) -> Moment | None:
    """The first row that says the service failed, up to the first detection: a failure
    told after the team knew of it is the incident's course, not its start."""
    for at, text in rows:
        # "Site is hard down, engineers respond to alarms": the failure told in a clause of
        # its own, beside the detection, is the start; "We are informed that the booking
        # system is down" tells the failure inside the detection, which is no start.
        told = any(ONSET.search(c) and not DETECTED.search(c) for c in _parts(text))
        if told and not _team_acts(text):
            return Moment(at, text)
        if DETECTED.search(text):
            return None
    return None


def _parts(text: str) -> list[str]:
    """A row's clauses: its sentences cut at commas and semicolons."""
    return [p for s in sentences(text) for p in re.split(r"[,;]\s+", s) if p.strip()]


def _team_acts(text: str) -> bool:
    """ "Team halts the pool", "We shut down the workers": the team is the subject."""
    return CONTAINED.search(text) is not None


def _first_change(summary: str, context: TimeContext) -> Moment | None:
    """A summary told as a story starts with the change that set it off ("On 2024-05-03 at
    09:15 UTC we deployed ..."): its first timed sentence is the start when it names a
    change and the paragraph goes on to what failed."""
    context = fresh(context)
    for paragraph in re.split(r"\n\s*\n", summary):
        told = sentences(paragraph)
        for number, sentence in enumerate(told):
            readings = [r for r in context.find(sentence) if r.at is not None]
            if not readings:
                continue
            rest = " ".join(told[number:])
            # "Resolved: the patch was deployed by 14:30": a change told as the outcome is
            # the remedy, not what set the incident off.
            if says(sentence, RESOLVED) or says(sentence, MITIGATED):
                return None
            if CHANGE.search(sentence) and IMPACT.search(rest) and readings[0].at:
                return Moment(readings[0].at, sentence)
            return None
    return None


def _by_duration(
    text: str,
    context: TimeContext,
    anchor: Moment,
    rows: Sequence[tuple[datetime, str]],
    sign: int,
) -> Moment | None:
    """The end (``sign`` 1, from the start) or the start (-1, from the end) a duration gives
    ("for approximately 47 minutes"): the written time it lands on, within a few minutes as
    durations are rounded; for a "Duration: 2h 15m" line, the anchor plus the duration."""
    told = sentences(text)
    context = fresh(context)
    written = sorted([at for at, _ in rows] + [r.at for t in told for r in context.find(t) if r.at])
    for sentence in told:
        for match in _DURATION.finditer(sentence):
            if not (match["h"] or match["m"]):
                continue
            span = timedelta(hours=_count(match["h"]), minutes=_count(match["m"]))
            if span <= timedelta(0) or span > SPAN:
                continue
            target = anchor.at + sign * span
            slack = max(timedelta(minutes=3), span / 20)
            # The written times on either side of the target: sorted, so one look each.
            place = bisect_left(written, target)
            near = [
                at for at in written[max(place - 1, 0) : place + 1] if abs(at - target) <= slack
            ]
            if near:
                return Moment(min(near, key=lambda at: abs(at - target)), sentence)
            if match[0].lower().startswith("duration"):
                return Moment(target, sentence)
    return None


def _count(written: str | None) -> int:
    """A count written in digits or in words ("4", "four", "an")."""
    if written is None:
        return 0
    return int(written) if written.isdigit() else _NUMBERS[written.lower()]


# "... is mitigated 11 minutes later", "restored two hours later": after the time before it.
_LATER = re.compile(
    r"\b(?P<n>\d{1,3}|an?)\s+(?P<unit>minutes?|mins?|hours?|hrs?)\s+later\b", re.IGNORECASE
)


def _later(
    summary: str, context: TimeContext, rows: Sequence[tuple[datetime, str]]
) -> Moment | None:
    """An end the summary tells as a span after the time of the sentence before it ("At
    21:45 the team becomes aware ... . The exploit is mitigated 11 minutes later."): that
    time plus the span, when a row or the summary writes a time there (spans are rounded)."""
    context = fresh(context)
    last: datetime | None = None
    written: list[datetime] = [at for at, _ in rows]
    told = []
    for sentence in sentences(summary):
        readings = [r.at for r in context.find(sentence) if r.at is not None]
        written += readings
        told.append((sentence, readings, last))
        last = readings[-1] if readings else last
    for sentence, readings, before in told:
        match = _LATER.search(sentence)
        if match is None or readings or before is None:
            continue
        if not (says(sentence, RESOLVED) or says(sentence, MITIGATED)):
            continue
        count = 1 if match["n"].lower() in ("a", "an") else int(match["n"])
        unit = timedelta(hours=1) if match["unit"].lower().startswith("h") else timedelta(minutes=1)
        target = before + count * unit
        near = [at for at in written if abs(at - target) <= timedelta(minutes=2)]
        if near:
            return Moment(min(near, key=lambda at: abs(at - target)), sentence)
    return None


def _same_sentence_end(started: Moment | None, summary: str, context: TimeContext) -> Moment | None:
    """The end told in the summary's sentence that tells the start ("was unavailable from
    17:45 UTC and full service resumed at 18:00 UTC the next day"): the author's own
    account of the whole window, which outranks a step the timeline calls "restored"."""
    if started is None or started.source not in sentences(summary):
        return None
    end = _summary_moment(started.source, context, RESOLVED, nearest=True)
    return end if end is not None and end.at > started.at else None


def _summary_moment(
    summary: str, context: TimeContext, family: re.Pattern[str], nearest: bool = False
) -> Moment | None:
    """A single time in a summary clause whose words name the moment ("we were paged at
    10:05 UTC"; "around 9:30 the record came back, and by 9:40 traffic had returned to
    normal": the second clause holds the end, the first does not). ``nearest``: in a
    sentence of several times, the time right after the words ("was discovered by 22:50
    GMT and resolved at 23:01 GMT")."""
    context = fresh(context)
    for sentence in sentences(summary):
        # "A second wave of errors began at ...": a later part's start is not the incident's,
        # nor is "another spike ... was observed" its detection.
        later = (family is STARTED and FORMALLY.search(sentence)) or (
            family in (STARTED, DETECTED) and REPEAT.search(sentence)
        )
        if not _tells(sentence, family) or later:
            # Its date still dates the sentences after it ("On November 5th we had an
            # outage ... . It was discovered by 22:50 GMT"); an addendum's date ("Update 2nd
            # February:") is the day it was written, not a day of the incident.
            # A date in brackets is an aside ("other recent incidents (eg, October 13th
            # service issue)"): it names another day, and dates nothing after it.
            if not ADDENDUM.match(sentence):
                context.see_dates(_ASIDE.sub(" ", sentence))
            continue
        # The sentence is read whole (a date stated once places every time in it); which
        # time a clause's words name is decided clause by clause.
        written = context.find(sentence)
        if any(r.at is None and _CLOCKED.search(r.expression.text) for r in written):
            # A time that could not be placed ("Sunday, 2023-10-14" on a Saturday) may be
            # the one the words name: the others are no answer.
            continue
        readings = [r for r in written if r.at is not None and r.until is None]
        # A part of the day ("in the early afternoon") names no minute: no moment.
        readings = [r for r in readings if _CLOCKED.search(r.expression.text)]
        # One time given in several zones ("5:00pm PST (8:00pm EST, Saturday 01:00 UTC)")
        # is one time: the first as written.
        readings = _restated(readings)
        for start, clause in _clauses(sentence):
            if not family.search(clause) or (family is RESOLVED and NOT_YET.search(clause)):
                continue
            end = start + len(clause)
            inside = [r for r in readings if start <= r.expression.start < end]
            if len(inside) == 1 and inside[0].at is not None:
                return Moment(inside[0].at, sentence)
        if len(readings) == 1 and readings[0].at is not None and _whole(sentence, family):
            return Moment(readings[0].at, sentence)
        found = _right_after(sentence, readings, family) if nearest else None
        if found is not None:
            return Moment(found, sentence)
    return None


_ASIDE = re.compile(r"\([^()]*\)")


def _restated(readings: list[Reading]) -> list[Reading]:
    """The readings, without those that restate the instant of the one before in another
    zone ("8:00pm EST" after "5:00pm PST")."""
    kept: list[Reading] = []
    for reading in readings:
        if kept and reading.at == kept[-1].at and reading.expression.zone is not None:
            continue
        kept.append(reading)
    return kept


def _right_after(
    sentence: str, readings: list[Reading], family: re.Pattern[str]
) -> datetime | None:
    """The time that follows the family's words closely, with no other moment's words and
    no other time between ("the outage started ... around 11:00 GMT and became a full
    outage by 17:00": 11:00 is the start)."""
    for match in family.finditer(sentence):
        following = [r for r in readings if r.expression.start >= match.end()]
        if not following or following[0].at is None:
            continue
        gap = sentence[match.end() : following[0].expression.start]
        others = [f for f in (STARTED, DETECTED, RESOLVED) if f is not family]
        if len(gap) > _NEAR or any(f.search(gap) for f in others):
            continue
        if family is RESOLVED and NOT_YET.search(sentence):
            # "errors began to recover, and by 9:20 some still failed": no end in it.
            continue
        return following[0].at
    return None


_CLOCKED = re.compile(r"\d|\bnoon\b|\bmidnight\b", re.IGNORECASE)
# How far after the words naming a moment its time may be: a clause, not the next one.
_NEAR = 80


def _whole(sentence: str, family: re.Pattern[str]) -> bool:
    """A sentence whose one time the family's words name, though not in the same clause
    ("At 10:05 UTC, the on-call engineer was paged")."""
    return family is not RESOLVED or not NOT_YET.search(sentence)


# Where a sentence's clauses meet: a semicolon, or a comma or "and"/"but" before a word that
# opens a new statement of time ("..., and by 9:40 traffic had returned").
# Spaces read from the start of their run only ((?<!\s)): from each space of a long run,
# the rest of the run was read again.
_CLAUSE = re.compile(
    r";\s*|,?(?<!\s)\s+(?:and|but|then|while)\s+(?=(?:by|at|around|after|until)\b)"
)


def _clauses(sentence: str) -> list[tuple[int, str]]:
    """The clauses of a sentence, each with where it starts."""
    out, start = [], 0
    for match in _CLAUSE.finditer(sentence):
        out.append((start, sentence[start : match.start()]))
        start = match.end()
    out.append((start, sentence[start:]))
    return out


def _at_once(summary: str, started: Moment | None) -> Moment | None:
    """The detection at the start, when the summary says the team saw it at once."""
    if started is None:
        return None
    told = next((s for s in sentences(summary) if AT_ONCE.search(s)), None)
    return Moment(started.at, told) if told is not None else None


def _started(rows: Sequence[tuple[datetime, str]]) -> Moment | None:
    for at, text in rows:
        if _tells(text, STARTED) and not REPEAT.search(text) and not FORMALLY.search(text):
            return Moment(at, text)
    return None


def _first(
    rows: Sequence[tuple[datetime, str]], family: re.Pattern[str], after: Moment | None
) -> Moment | None:
    for at, text in rows:
        if (after is None or at >= after.at) and _tells(text, family):
            return Moment(at, text)
    return None


def _tells(text: str, family: re.Pattern[str]) -> bool:
    """Whether a row tells the family's moment: for a detection, someone or something seeing
    the fault, not a sighting denied ("not noticed in real time", "never detected") nor the
    first signs told with nobody who saw them ("Initial symptoms detected": the start)."""
    if family is not DETECTED:
        return any(tells(sentence, family) for sentence in sentences(text))
    if FIRST_SIGNS.search(text) and not WATCHER.search(text):
        return False
    return any(
        not _DENIED.search(text[: m.start()])
        and not _CAUSE.match(text, m.end())
        and not _SILENCED.match(text, m.end())
        and not _LAST.search(text[: m.start()])
        and not _UNDONE.search(text[: m.start()])
        and not (_PURPOSE.search(text[: m.start()]) and _BARE_VERB.match(text, m.start()))
        for m in family.finditer(text)
    )


# "not noticed", "never detected", "wasn't spotted", "no alert": a sighting the row denies.
_DENIED = re.compile(r"\b(?:not|never|no|without)\s+(?:\w+\s+)?$|n't\s+(?:\w+\s+)?$", re.I)
# "the last alert stopped", "alarms cleared", "the page auto-resolved": an alert that ends
# tells the end of the harm, never its sighting.
_SILENCED = re.compile(
    r"\w*\s+(?:(?:has|have|had|was|were|is|are|finally|all|auto-?)\s*)*"
    r"(?:stop|clear|resolv|ceas|recover|clos|went\s+(?:quiet|away|green)|subsid)",
    re.IGNORECASE,
)
# "monitoring that will alert us", "would have detected it", "could notice": a sighting
# hoped for or missed, not one that happened.
_UNDONE = re.compile(
    r"\b(?:will|would|could|should|might|may|can|shall)\s+(?:(?:not|have|be|also|now)\s+)*$",
    re.IGNORECASE,
)
# "putting in monitoring systems to detect these issues": what the work is for.
_PURPOSE = re.compile(r"\b(?:to|order\s+to)\s+(?:(?:better|quickly|automatically)\s+)?$", re.I)
_BARE_VERB = re.compile(r"(?:detect|alert|notice|discover|spot|page|observe|flag)\b", re.I)

# "the last alert", "the final page": the end of a run of them.
_LAST = re.compile(r"\b(?:last|final|remaining)\s+$", re.IGNORECASE)
# "discovered the true cause", "identified the reason": the diagnosis, not the sighting.
_CAUSE = re.compile(
    r"\w*\s+(?:that\s+)?(?:the\s+|a\s+|its\s+)?(?:[\w-]+\s+)?(?:cause|reason|culprit|why)\b",
    re.IGNORECASE,
)


def _resolved(
    rows: Sequence[tuple[datetime, str]], started: Moment | None, detected: Moment | None
) -> Moment | None:
    """The row that says the impact ended: after the detection, or else between the start
    and the detection (an outage that healed itself before anyone looked)."""
    later = [(at, text) for at, text in rows if detected is None or at >= detected.at]
    # The healthy state counts after the detection, or after the start, or else after the
    # timeline's first row, where the trouble it tells begins.
    begun = detected or started or (Moment(*rows[0]) if rows else None)
    found = _end_row(later) or _last_healthy(later, begun)
    if found is not None and detected is not None and found.source == detected.source:
        # The row that tells the detection and, in passing, how it ended ("detected the
        # stall; the restart resolved it"): a later row that says the end is the moment.
        found = _end_row([(at, t) for at, t in later if at > found.at]) or found
    if found is not None and not says(found.source, WHOLE_END):
        # A part back ("gateways back online", "async operations restored") before a row
        # that says the whole incident ended ("Incident resolved", "fully restored").
        whole = next(
            (Moment(at, t) for at, t in later if at > found.at and says(t, WHOLE_END)), None
        )
        found = whole or found
    while found is not None:
        # An incident of several periods ends with the last: after a relapse ("errors began
        # again", "second period of degradation"), the end is the next one.
        relapse = next((at for at, t in later if at > found.at and _relapses(t)), None)
        after = _end_row([(at, t) for at, t in later if relapse and at > relapse])
        if after is None:
            break
        found = after
    if found is None and detected is not None:
        healed = [(at, t) for at, t in rows if started is not None and started.at <= at]
        found = _end_row([(at, t) for at, t in healed if at < detected.at], strict=True)
    return found


def _last_healthy(rows: Sequence[tuple[datetime, str]], since: Moment | None) -> Moment | None:
    """With no row that ends the impact, the last one after ``since`` that sees the
    service healthy: the weakest wording, so the latest of its kind (a
    team checks health several times on the way back)."""
    if since is None:
        return None
    seen = [Moment(at, t) for at, t in rows if at > since.at and says(t, HEALTHY)]
    return seen[-1] if seen else None


def _relapses(text: str) -> bool:
    """A row that says the impact came back."""
    return (
        RELAPSE.search(text) is not None
        and (STARTED.search(text) or ONSET.search(text) or IMPACT.search(text)) is not None
        and not says(text, RESOLVED)
    )


def _unless_slipped(
    stated: dict[str, Moment], rows: Sequence[tuple[datetime, str]]
) -> dict[str, Moment]:
    """The moments a property line states, unless its start is a timeline row's time in the
    other half of the day ("Duration: 12:22am PST to 3:00pm" over "[12:22PM] Report from
    customer"): the line contradicts the timeline, and what it states is left out."""
    started = stated.get("started")
    if started is None or not any(_other_half(at, started.at) for at, _ in rows):
        return stated
    return {key: moment for key, moment in stated.items() if moment.source != started.source}


def _other_half(one: datetime, other: datetime) -> bool:
    """The same minute in the other half of the day, give or take the hour of a zone named
    loosely ("PST" for Pacific time in July)."""
    apart = abs(one - other)
    near = timedelta(hours=11) <= apart <= timedelta(hours=13)
    return near and one.minute == other.minute


# A divider the author sets in the timeline after its end: "Post-resolution:", "After the
# incident:" (at the end of a row, where a label line below the row's text lands).
_AFTER_END = re.compile(
    r"(?:^|\s)(?:post[- ]?(?:resolution|incident|recovery)|after\s+(?:the\s+)?"
    r"(?:resolution|incident|outage))\s*:\s*$",
    re.IGNORECASE,
)


def _before_divider(rows: Sequence[tuple[datetime, str]]) -> Moment | None:
    """The row that ends the incident as the author divides the timeline: the last one
    before a divider that names what follows as after the resolution."""
    for at, text in rows:
        if _AFTER_END.search(text):
            return Moment(at, text)
    return None


# What a monitor sends: its own end ("an alert resolving it 3 minutes later") is the alert's.
_ALERT = re.compile(r"\b(?:alert|alarm|notification)s?\b", re.IGNORECASE)
# The alert raised, in the same row: "Sentry posts alerts", "an alarm fired".
_RAISED = re.compile(r"\b(?:post|fire|trigger|raise|sen[dt]|open)\w*\b", re.IGNORECASE)


def _alert_ends(text: str) -> bool:
    """Whether a row tells an alert raised and, in the same breath, its own end ("Sentry
    posts alerts about a high error rate, and then an alert resolving it 3 minutes later"):
    a blip of the monitor, not the end of the incident. An alert that resolves in a row of
    its own ("Chain slowdown alert is resolved") still tells the end."""
    ends = [
        m
        for sentence in sentences(text)
        for m in [RESOLVED.search(sentence)]
        if m is not None and not NOT_YET.search(sentence)
    ]
    return bool(ends) and all(
        _ALERT.search(m.string, max(0, m.start() - 60), m.start())
        and _RAISED.search(m.string, 0, m.start())
        for m in ends
    )


def _end_row(rows: Sequence[tuple[datetime, str]], strict: bool = False) -> Moment | None:
    """The first row whose words end the impact, the strongest wording first: an end
    ("restored", "resolved"), then a mitigation, then a fix in production or the harm
    stopped, then an end a third party tells of its own service. ``strict``: the end alone."""
    tiers = [RESOLVED] if strict else [RESOLVED, MITIGATED, CONTAINED, RESOLVED]
    for number, family in enumerate(tiers):
        telling = number == len(tiers) - 1 and not strict
        for at, text in rows:
            if bool(TELLING.search(text)) is not telling and family is RESOLVED:
                continue
            if family is RESOLVED and HEDGED.search(text):
                continue
            if family is RESOLVED and _alert_ends(text):
                continue
            if says(text, family) and not (family is CONTAINED and ELSEWHERE.search(text)):
                return Moment(at, text)
    return None
