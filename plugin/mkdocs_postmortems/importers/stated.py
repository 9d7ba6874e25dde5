"""What a write-up states outright about its moments, before any wording is weighed: property
lines ("Time of incident: 10:15 AM PST", "| Resolved | 11:40 UTC |"), a template's spans
("Time to detection: 5 minutes") and a summary's window ("from 11:13 AM to 11:48 AM PDT",
"between 16:35 and 17:02 UTC"). Split from :mod:`.moments`, which weighs the words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import pairwise

from mkdocs_postmortems.core.times import Reading, TimeContext, parse
from mkdocs_postmortems.importers.markdown import code_mask
from mkdocs_postmortems.importers.wording import IMPACT, REPEAT, sentences

# The longest an end lies after the detection: a release weeks later is a follow-up.
SPAN = timedelta(days=14)


@dataclass(frozen=True)
class Moment:
    """One inferred moment and the words it was read from."""

    at: datetime
    source: str


# "Time to detection: 5 minutes", "TTR: 1h 24m": the span from the start of impact to a
# moment, as incident templates ask for it.
_SPAN_LABELS = {
    "detected": re.compile(r"time\s+to\s+(?:detect\w*|acknowledg\w*)|ttd|tta", re.IGNORECASE),
    "resolved": re.compile(
        r"time\s+to\s+(?:recover\w*|resol\w*|restor\w*|repair|mitigat\w*|fix)|ttr|ttm",
        re.IGNORECASE,
    ),
}
_SPAN_VALUE = re.compile(
    r"(?:(?:approximately|approx\.?|about|around|roughly|~)\s*)?"
    r"(?:(?P<h>\d{1,3})\s*(?:h|hrs?|hours?)\b\s*(?:,|and)?\s*)?"
    r"(?:(?P<m>\d{1,4})\s*(?:m|mins?|minutes?)\b)?\.?",
    re.IGNORECASE,
)


def _spans_stated(listed: list[tuple[str, str]]) -> dict[str, tuple[timedelta, str]]:
    """The spans property lines state from the start to the detection and to the end."""
    spans: dict[str, tuple[timedelta, str]] = {}
    for label, value in listed:
        for key, names in _SPAN_LABELS.items():
            match = _SPAN_VALUE.fullmatch(value.strip())
            if key in spans or not names.fullmatch(label) or match is None:
                continue
            if match["h"] is None and match["m"] is None:
                continue
            span = timedelta(hours=int(match["h"] or 0), minutes=int(match["m"] or 0))
            if span <= SPAN:
                spans[key] = (span, f"{label}: {value}")
    return spans


def by_spans(
    listed: list[tuple[str, str]],
    rows: Sequence[tuple[datetime, str]],
    started: Moment | None,
    detected: Moment | None,
    resolved: Moment | None,
    outright: bool,
) -> tuple[Moment | None, Moment | None, Moment | None]:
    """The moments a template's "Time to detection" and "Time to recovery" lines give: the
    start is the detection less its span when a row is written there; the detection and
    the end are the start plus theirs (the row there, or the sum). What the template
    states wins over an end the words suggest, not over one stated outright."""
    spans = _spans_stated(listed)
    written = [at for at, _ in rows]
    if started is None and detected is not None and "detected" in spans:
        span, line = spans["detected"]
        near = _near(written, detected.at - span, span)
        started = Moment(near, line) if near is not None else None
    if started is None:
        return started, detected, resolved
    if detected is None and "detected" in spans:
        span, line = spans["detected"]
        detected = Moment(_near(written, started.at + span, span) or started.at + span, line)
    if not outright and "resolved" in spans:
        span, line = spans["resolved"]
        resolved = Moment(_near(written, started.at + span, span) or started.at + span, line)
    return started, detected, resolved


def _near(written: list[datetime], target: datetime, span: timedelta) -> datetime | None:
    """The written time closest to ``target``, within the rounding of a span that long."""
    slack = max(timedelta(minutes=1), span / 20)
    near = [at for at in written if abs(at - target) <= slack]
    return min(near, key=lambda at: abs(at - target)) if near else None


def fresh(context: TimeContext) -> TimeContext:
    """A copy of the context for one reading of the text: each pass carries days from its
    own sentences, never from another pass's (a late time read first would move an early
    one to the next day)."""
    return replace(context, questions=[], notes=[])


def property_lines(text: str) -> list[tuple[str, str]]:
    """The "label: value" lines and two-cell table rows of ``text``, markup aside; not
    those of a code block (a pasted log or configuration states no moment of the incident)."""
    found = []
    lines = text.split("\n")
    for line, code in zip(lines, code_mask(lines), strict=True):
        if code:
            continue
        plain = re.sub(r"[*_`]+", "", line).strip()
        row = _PROPERTY_ROW.fullmatch(plain)
        match = row or _PROPERTY_LINE.fullmatch(plain)
        if match is not None:
            found.append((" ".join(match["label"].split()), match["value"].strip()))
    return found


_PROPERTY_LINE = re.compile(
    r"(?:[-+]\s+)?(?P<label>[A-Za-z][A-Za-z /-]{1,40}?)\s*:\s*(?P<value>.+)"
)
_PROPERTY_ROW = re.compile(
    r"\|\s*(?P<label>[A-Za-z][A-Za-z /-]{1,40}?)\s*\|\s*(?P<value>[^|]+?)\s*\|?"
)
# What a property's label names, whole: "Time of incident", "Incident start", "Detected at",
# "Resolution time", "Outage ended". Labels that name no moment ("Date", "Impact") are not
# read: a bare date is the day, not the start.
_OF = r"(?:incident|outage|impact|issue|disruption|degradation)"
_LABELS = {
    "started": re.compile(
        rf"(?:(?:start\s+)?(?:time|date\s*/\s*time|start)\s+of\s+(?:the\s+)?{_OF}|{_OF}\s+"
        r"(?:start(?:ed)?|began|begins|start\s+time)(?:\s+at)?|start(?:ed)?(?:\s+(?:time|at))?|"
        r"date\s*/\s*time|began(?:\s+at)?|"
        # "Date of incident: 20th September 2023, 14:32 UTC": read only when it gives a time
        # (a value without one names no reading).
        rf"date\s+of\s+(?:the\s+)?{_OF}|{_OF}\s+date)",
        re.IGNORECASE,
    ),
    "detected": re.compile(
        r"(?:time\s+)?detected(?:\s+at)?|detection(?:\s+time)?|time\s+(?:of\s+)?detection|"
        r"first\s+(?:alert|page|report)(?:ed)?(?:\s+(?:time|at))?|"
        # "Alerted at: 09:14 UTC", "Paged: 09:15 UTC".
        r"(?:alerted|paged|noticed)(?:\s+at)?",
        re.IGNORECASE,
    ),
    "resolved": re.compile(
        rf"(?:time\s+)?resolved(?:\s+at)?|(?:resolution|recovery|end)\s+time|time\s+(?:of\s+)?"
        rf"(?:resolution|recovery)|{_OF}\s+end(?:ed|s)?(?:\s+at)?|end(?:ed)?\s+at|"
        r"recovered(?:\s+at)?|(?:service\s+)?restored(?:\s+at)?|"
        # "Mitigated at: 10:02 UTC", "Mitigation time": an end, as the timeline's rows read it.
        r"mitigated(?:\s+at)?|(?:time\s+of\s+)?mitigation(?:\s+time)?",
        re.IGNORECASE,
    ),
}


def moment_named(label: str) -> str | None:
    """The moment (``started``, ``detected``, ``resolved``) a label names outright, as a
    property line's or a front-matter key's ("Incident start", ``incident_end``)."""
    words = " ".join(label.replace("_", " ").replace("-", " ").split())
    return next((key for key, names in _LABELS.items() if names.fullmatch(words)), None)


def stated_moments(listed: list[tuple[str, str]], context: TimeContext) -> dict[str, Moment]:
    """The moments property lines state outright; a range under the start's label ("Time of
    incident: 10:15-11:40 AM PST") states the end too."""
    context = fresh(context)
    stated: dict[str, Moment] = {}
    for label, value in listed:
        for key, names in _LABELS.items():
            named = names.fullmatch(label) or (key == "resolved" and _ended(label, value))
            if key in stated or not named or _LEADING_SPAN.match(value):
                continue
            readings = [r for r in context.find(value) if r.at is not None]
            if len(readings) != 1 or readings[0].at is None:
                continue
            line = f"{label}: {value}"
            stated[key] = Moment(readings[0].at, line)
            if key == "started" and readings[0].until is not None:
                stated.setdefault("resolved", Moment(readings[0].until, line))
    for label, value in listed:
        # "Impact: 10:15-11:40 AM PDT", "Outage window: between 16:35 and 17:02 UTC".
        if "started" in stated or not (IMPACT.search(label) or _WHEN.fullmatch(label)):
            continue
        # One expression ("10:15-11:40 AM PDT") or two ("2025-06-19 12:24 to 2025-06-22 09:30").
        ranges = _ranges(value, context.find(value), context, opened=True)
        if len(ranges) == 1:
            line = f"{label}: {value}"
            stated["started"] = Moment(ranges[0][0], line)
            stated.setdefault("resolved", Moment(ranges[0][1], line))
    return stated


def _ended(label: str, value: str) -> bool:
    """A status that says the incident ended, with when: "Resolution status: resolved @
    15:22 ICT", "Status: Closed at 11:40 UTC"."""
    return _STATUS.fullmatch(label) is not None and _ENDED.match(value) is not None


_STATUS = re.compile(r"(?:(?:resolution|incident)\s+)?(?:status|state)|resolution", re.IGNORECASE)
_ENDED = re.compile(
    r"\W*(?:resolved|fixed|closed|recovered|restored|mitigated)\b(?!\s+(?:soon|later))",
    re.IGNORECASE,
)


# A value that opens with a span ("Detection time: ~5-6 hours (incident from 09:45 UTC)")
# gives how long it took; a time after it is another moment's.
_LEADING_SPAN = re.compile(
    # "~" and the spaces before the number are in "\W*": beside it, "\s*" read a long run
    # of spaces once for each of its spaces.
    r"\W*(?:(?:approximately|approx\.?|about|around|roughly)\s*)?\d{1,3}(?:\s*[-–]\s*\d{1,3})?"
    r"\s*(?:h|hrs?|hours?|m|mins?|minutes?|days?)\b",
    re.IGNORECASE,
)
_WHEN = re.compile(r"when|time|date\s*/\s*time|window|period|duration", re.IGNORECASE)


def summary_window(
    summary: str, context: TimeContext, of_impact: bool = False
) -> tuple[Moment, Moment] | None:
    """The first range in a summary sentence that speaks of the impact: one expression
    ("from 11:13 AM to 11:48 AM PDT") or two ("between 12.39 UTC (block 8647535) and 17.17
    UTC"). ``of_impact``: the text is the Impact section's, every sentence of it about the
    impact."""
    context = fresh(context)
    previous = ""
    told = sentences(summary)
    for number, sentence in enumerate(told):
        # A range in brackets after a sentence is that sentence's: "Jobs could not start.
        # (Between 1:46pm - 5:30pm)".
        aside = sentence.startswith("(") and IMPACT.search(previous)
        previous = sentence
        # The harm told by the next sentence, pointing back at the window: "we had a period
        # from 14:00 to 16:30 in which a build was pushed. This caused uploads to fail."
        after = told[number + 1] if number + 1 < len(told) else ""
        pointed = _POINTS_BACK.match(after) and IMPACT.search(after)
        if not (of_impact or IMPACT.search(sentence) or aside or pointed):
            continue
        if _DATA_SPAN.search(sentence):
            continue
        readings = context.find(sentence)
        ranges = _ranges(sentence, readings, context)
        if not ranges:
            continue
        (begin, end, _, last), *later = sorted(ranges, key=lambda r: r[2])
        for other_begin, other_end, other_start, _ in later:
            # "from 7:08 until 10:40, and again from 19:03 until 19:19": the incident runs
            # over its periods, to the end of the last one.
            if other_begin > end and REPEAT.search(sentence[last:other_start]):
                end = other_end
        return Moment(begin, sentence), Moment(end, sentence)
    return None


# "the data created on the service between 17:20 and 00:00 is lost": the span of the data
# the harm reached, written before the outage began, not the span of the harm.
_DATA_SPAN = re.compile(
    r"\b(?:data|records|rows|writes|entries|commits|changes)\s+(?:(?:created|written|stored|"
    r"entered|submitted|made|uploaded|changed|added)\s+)?(?:(?:on|in|to|at)\s+(?:the\s+)?"
    r"[\w.-]+\s+)?(?:between|from)\b",
    re.IGNORECASE,
)


# "This caused ...", "During this time ...", "In that window ...": a sentence about the
# one before it.
_POINTS_BACK = re.compile(
    r"\W*(?:this|that|these|it)\s+(?:caused|led|meant|resulted|made|broke)\b|"
    r"\W*(?:during|in|throughout|for|over)\s+(?:this|that|the)\s+(?:time|window|period|"
    r"timeframe|interval|span|hour|minutes)\b",
    re.IGNORECASE,
)


def open_window_end(summary: str, context: TimeContext) -> Moment | None:
    """The end of a window whose start has no time ("from late last night until
    approximately 10:45am this morning there was an outage"): the end alone."""
    context = fresh(context)
    for sentence in sentences(summary):
        if not IMPACT.search(sentence):
            continue
        readings = context.find(sentence)
        if len(readings) != 1 or readings[0].at is None or readings[0].until is not None:
            continue
        if _OPEN_FROM.search(sentence[: readings[0].expression.start]):
            return Moment(readings[0].at, sentence)
    return None


# "from late last night (April 5th) eastern US time until approximately": a start in words,
# then the end's time.
_OPEN_FROM = re.compile(
    r"\b(?:from|since)\s+[^.;]{1,80}?\b(?:until|till|to)\s+"
    r"(?:(?:approximately|approx\.?|about|around|roughly|circa|~)\s*)?$",
    re.IGNORECASE,
)


def _ranges(
    sentence: str, readings: list[Reading], context: TimeContext, opened: bool = False
) -> list[tuple[datetime, datetime, int, int]]:
    """Every range a sentence writes (its start, its end, where it is written), as one
    expression ("from 11:13 AM to 11:48 AM PDT") or two ("between 12.39 UTC (block 8647535)
    and 17.17 UTC"); a 4-digit start only when nothing else is a range. ``opened``: the
    label above the value names a span ("Duration: X to Y"), as "from" would."""
    found = [
        (r.at, r.until, r.expression.start, r.expression.end)
        for r in readings
        if r.at is not None and r.until is not None
    ]
    for first, second in pairwise(readings):
        begin = _in_zone_of(first, second, context) or first.at
        joined = _spans(sentence, first, second, opened)
        end = _forward(begin, second)
        if begin and end and begin < end and joined:
            found.append((begin, end, first.expression.start, second.expression.end))
    if found:
        return found
    for reading in readings:
        begin = _four_digit_start(sentence, reading, context)
        if begin is not None and reading.at is not None:
            return [(begin, reading.at, reading.expression.start, reading.expression.end)]
    return []


def _forward(begin: datetime | None, second: Reading) -> datetime | None:
    """A range's end, which runs forward from its start: an end written with no day of its
    own and earlier than the start is on the next day ("from 23:40 UTC to 00:25 UTC", "from
    10:00 UTC (May 3) to 02:00 UTC (May 4)", the day in brackets after it)."""
    end = second.at
    if begin is None or end is None or end >= begin or second.expression.day is not None:
        return end
    later = end + timedelta(days=1)
    return later if later > begin else end


def _in_zone_of(first: Reading, second: Reading, context: TimeContext) -> datetime | None:
    """A range's first end in the zone written once at its second ("from ~12:00 (maybe
    before) to 17:55 CEST"): one zone for both, as a reader takes it."""
    zone = second.expression.zone
    if first.expression.zone is not None or zone is None:
        return None
    return (
        replace(context, zone=zone, previous=None, questions=[], notes=[])
        .place(first.expression)
        .at
    )


# "between the hours of 1900 and 2100 UTC": a 4-digit clock is a time, not a year, when
# the range's other end is one with its zone.
_FOUR_DIGIT_FROM = re.compile(
    # "between 9.10 and 10.40 UTC": a dotted clock too, which alone could be a version.
    r"\b(?:between|from)\s+(?:the\s+hours?\s+of\s+)?"
    r"(?P<hhmm>(?:[01]\d|2[0-3])[0-5]\d|(?:[01]?\d|2[0-3])\.[0-5]\d)"
    r"\s*(?:and|to|until|till|through|-|–|—)\s*$",
    re.IGNORECASE,
)


def _four_digit_start(sentence: str, reading: Reading, context: TimeContext) -> datetime | None:
    zone = reading.expression.zone
    found = _FOUR_DIGIT_FROM.search(sentence[: reading.expression.start])
    if found is None or zone is None or reading.at is None:
        return None
    expression = parse(f"{found['hhmm']} {zone.written}")
    if expression is None:
        return None
    place = replace(context, day=reading.at.date(), previous=None, questions=[], notes=[])
    begin = place.place(expression).at
    return begin if begin is not None and begin < reading.at else None


def _spans(sentence: str, first: Reading, second: Reading, opened: bool = False) -> bool:
    """Two times a sentence joins as a range: "between X and Y", "from X (...) to Y"."""
    opening = sentence[: first.expression.start]
    between = sentence[first.expression.end : second.expression.start]
    opens = (
        (opened and not opening.strip())
        or _OPENS.search(first.expression.text + " ")
        or _OPENS.search(opening[-30:])
        # "2021-10-08 23:01 - 2021-10-09 02:40 UTC": a dash alone between two times, each
        # with its day, is a range without "from".
        or (first.expression.day and second.expression.day and _DASH.fullmatch(between))
    )
    return bool(opens) and len(between) <= 60 and bool(_JOINS.fullmatch(_without_brackets(between)))


_DASH = re.compile(r"\s*[-–—]\s*")


# "from" or "between" before the first time, or inside it ("2024-05-03 from ~12:00"); a
# hedge may stand between them ("between approximately 21:27 and 07:27").
_OPENS = re.compile(
    r"\b(?:from|between)\s+(?:(?:approximately|approx\.|about|around|roughly|circa|ca\.)\s+)?$|"
    r"\b(?:between|from)\s",
    re.IGNORECASE,
)
# "until the 2022-06-12 03:45": an article before the second end is still a join, and so
# is a hedge ("to roughly 10:40 UTC").
_JOINS = re.compile(
    r"\s*(?:and|to|until|till|through|-|–|—)(?:\s+the)?"
    r"(?:\s+(?:approximately|approx\.|about|around|roughly|circa|ca\.)|\s*~)?\s*",
    re.IGNORECASE,
)


def _without_brackets(text: str) -> str:
    return re.sub(r"\([^()]*\)", " ", text)
