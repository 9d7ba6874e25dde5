"""The front matter of the converted post-mortem: the source's keys mapped to ours, the
incident's day and moments, and the YAML lines written for them.

A value that had to be rewritten (a time in another zone, a severity name) keeps the
source's wording in a comment beside it; a value the source does not give is ``TBD``.
Strings are written by PyYAML's emitter, so any text a source holds reads back as the
same text.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import PurePath
from typing import Any

import yaml

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import parse_datetime
from mkdocs_postmortems.core.fields import INFERRED_MARKER
from mkdocs_postmortems.core.findings import printable
from mkdocs_postmortems.core.markdown import split_row
from mkdocs_postmortems.core.synonyms import key_for
from mkdocs_postmortems.core.times import TimeContext, written_days
from mkdocs_postmortems.core.times import find as find_times
from mkdocs_postmortems.core.times import parse as parse_time
from mkdocs_postmortems.core.zones import Zone, declared_zone, zone_named
from mkdocs_postmortems.importers.markdown import (
    ATX,
    code_mask,
    prose_lines,
    strip_row,
)
from mkdocs_postmortems.importers.moments import Moments, infer
from mkdocs_postmortems.importers.report import TBD, Report
from mkdocs_postmortems.importers.sources import SourceError
from mkdocs_postmortems.importers.stated import Moment, moment_named
from mkdocs_postmortems.importers.times import (
    PLAUSIBLE_YEARS,
    read_clock,
    read_day,
)

# `started` must be a time; when the source gives only the day, 00:00 holds its place, and
# the line says so, so that nobody reads it as the start of impact.
_DAY_ONLY = "started: only the day is known; the time is set to 00:00"
_YEARS = f"the years {PLAUSIBLE_YEARS[0]}-{PLAUSIBLE_YEARS[1]}"
_KEY_LINE = re.compile(
    r"\s{0,3}(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z _-]{1,30}?)\s*:\s*(?:\*\*|__)?:?\s*(?P<value>.+)$"
)
_SEVERITY_WORDS = {
    "critical": 0,
    "blocker": 0,
    "catastrophic": 0,
    "major": 1,
    "high": 1,
    "medium": 2,
    "moderate": 2,
    "minor": 2,
    "low": 3,
    "trivial": 3,
}
_STATUS_WORDS = {
    "draft": "draft",
    "wip": "draft",
    "in-review": "in-review",
    "review": "in-review",
    "in review": "in-review",
    "published": "published",
    "final": "published",
    "complete": "published",
    "completed": "published",
    "closed": "published",
    "resolved": "published",
    "done": "published",
}


def map_keys(meta: dict[str, Any], report: Report) -> tuple[dict[str, Any], dict[str, Any]]:
    """Our keys for the source's keys; the rest, to be kept in the body."""
    mapped: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    ours = ("title", "severity", "status", "started", "detected", "resolved", "published")
    lists = ("authors", "services", "tags")
    named: dict[str, str] = {}
    for key, value in meta.items():
        target = key if key in (*ours, *lists, "facilitator") else key_for(key)
        # ``incident_start: 2026-10-01 09:45 UTC``: a key that names a moment, as a property
        # line's label does.
        target = target or moment_named(key)
        # ``resolved: true`` says that it ended, not when: the time is elsewhere, if at all.
        if target in ("started", "detected", "resolved") and isinstance(value, bool):
            target = None
        if target is None or value in (None, "", []):
            if value not in (None, "", []):
                extra[key] = value
            continue
        if target in lists:
            mapped.setdefault(target, [])
            mapped[target] += _names(value)
        elif target in mapped and not _finer(mapped[target], value):
            extra[key] = value
            continue
        else:
            if target in mapped:
                # "date: 2026-10-02" beside "incident_start: 2026-10-01 09:45 UTC": the
                # moment to the minute wins; the day stays with the source's other keys.
                extra[named[target]] = mapped[target]
            mapped[target] = value
            named[target] = key
        if target != key:
            report.mapped.append(f"front matter '{key}' -> '{target}'")
    return mapped, extra


def _finer(kept: Any, other: Any) -> bool:
    """Whether ``other`` gives a moment to the minute where ``kept`` gives a day alone."""
    return (
        _moment(kept, timezone.utc) is None
        and read_day(str(kept)) is not None
        and _moment(other, timezone.utc) is not None
    )


# Each separator from the start of its run of spaces: from each space of a long run, the
# rest of the run was read again.
_NAMES_APART = re.compile(r"(?<!\s)\s*[,;]\s*|(?<!\s)\s+and\s+")


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else _NAMES_APART.split(str(value))
    return [str(item).strip() for item in items if str(item).strip()]


def severity_for(value: Any, settings: Settings) -> str | None:
    """The configured level another scheme's severity means, or None when unclear.

    ``SEV 1``, ``sev-1``, ``P1``, ``1`` and ``critical`` all mean the first level; ``P0`` and
    ``SEV0`` too, since the most severe is first either way.
    """
    text = str(value).strip()
    names = settings.severity_names
    if text in names:
        return text
    folded = re.sub(r"[\s_-]+", "", text.casefold())
    for level in settings.severities:
        if folded in (level.name.casefold(), level.label.casefold()):
            return level.name
    number = re.fullmatch(r"(?:sev|severity|s|p|priority|level|l)?(\d)", folded)
    if number:
        index = max(int(number[1]), 1) - 1
        return names[index] if index < len(names) else None
    if folded in _SEVERITY_WORDS:
        return names[min(_SEVERITY_WORDS[folded], len(names) - 1)]
    return None


def read_status(value: Any, report: Report) -> str:
    if value is None:
        return "published"
    status = _STATUS_WORDS.get(str(value).strip().casefold())
    if status is None:
        report.kept.append(f"status '{value}' has no match; written as 'published'")
        return "published"
    return status


def started_at(
    meta: dict[str, Any],
    first_at: datetime | None,
    day_hint: date | None,
    settings: Settings,
    report: Report,
    inferred: Moment | None,
) -> datetime:
    tz = settings.tz
    moment = _moment(meta.get("started"), tz)
    if moment is not None:
        return moment.astimezone(tz)
    if inferred is not None:
        return inferred.at.astimezone(tz)
    if first_at is not None and (day_hint is None or first_at.date() >= day_hint - timedelta(1)):
        report.mapped.append("'started' from the first timeline row")
        return first_at
    if day_hint is not None:
        report.to_complete.append(_DAY_ONLY)
        return datetime.combine(day_hint, time(0), tz)
    given = meta.get("started")
    unread = f" ('{inline(given)}' is not a date in {_YEARS})" if given is not None else ""
    raise SourceError(
        f"no date found (front matter, timeline, title or file name){unread}; add a `date:` "
        "line on top of the source and import it again"
    )


def publication_day(
    meta: dict[str, Any],
    first_at: datetime | None,
    moments: Moments,
    report: Report,
    page_date: bool = False,
    opening: date | None = None,
) -> date | None:
    """A blog post's ``date:`` is the day it was published: a day alone, after the first
    moment the text itself dates (the start cannot come after what the text tells first; a
    write-up dated the day its incident ended is dated when it was written). The text's own
    dates then place the incident (the day returned), and the day is kept as
    ``published``. ``page_date``: the value is a page's ``date`` key, not a key that names
    the start; then a date with its time is the publication too, when the text's start is
    a day or more before it, or when the opening of the text names the incident's day
    (``opening``) before it."""
    given = meta.get("started")
    if given is None:
        return None
    moment = _moment(given, timezone.utc)
    day = read_day(str(given)) if moment is None else moment.date()
    if day is None or (moment is not None and not page_date):
        return None
    told = [m.at for m in (moments.started, moments.detected, moments.resolved) if m]
    told += [first_at] if first_at is not None else []
    named = page_date and opening is not None and opening < day
    if named and opening is not None and not told:
        # The text names the incident's day and no time: the page's date is its publication.
        told = [datetime.combine(opening, time(0), timezone.utc)]
    if not told:
        return None
    # The day the opening names counts when the text's first time agrees with it (a row
    # a year before it is a typing slip, not the start).
    named = named and opening is not None and opening - _PUBLISHED_WITHIN <= min(told).date()
    if moment is not None:
        # A post dated with its time: only the text's own start outranks it, one before
        # the post's time ("from 11:13 AM to 11:48 AM PST" in a post of 18:30 that day),
        # or the incident's day its opening names.
        early_start = moments.started is not None and moments.started.at < moment
        if not early_start and not (named and min(told).date() < day):
            return None
    elif min(told).date() >= day:
        return None
    meta.pop("started")
    meta.setdefault("published", given if moment is not None else day.isoformat())
    report.mapped.append(f"'{inline(given)}': after the text's first time; read as 'published'")
    return min(told).date()


def check_offset(
    first_at: datetime | None, started: datetime, meta: dict[str, Any], report: Report
) -> None:
    """A first timeline row whole hours before the source's own start: the two are likely
    written in different zones, which the text did not say (PM304 asks the same later)."""
    if first_at is None or meta.get("started") is None:
        return
    gap = started - first_at
    if gap >= timedelta(hours=1) and gap % timedelta(hours=1) == timedelta(0):
        report.to_complete.append(
            f"Timeline: the first row ({first_at:%Y-%m-%d %H:%M}) is {gap // timedelta(hours=1)} "
            f"hours before 'started' ({started:%Y-%m-%d %H:%M}); are they in the same zone?"
        )


def preamble_keys(lines: list[str], meta: dict[str, Any], report: Report) -> None:
    """``**Date:** 2025-05-06`` lines above the first heading, as front-matter values (a
    document export has no front matter; its authors write these lines instead). The lines
    stay in the text."""
    for line in lines:
        if ATX.match(line):
            return
        label = _KEY_LINE.match(line)
        if label is None:
            continue
        key = key_for(label["key"].strip())
        value = label["value"].strip()
        if key and value and key not in meta:
            meta[key] = _names(value) if key in ("authors", "services", "tags") else value
            report.mapped.append(f"'{label['key'].strip()}:' line -> '{key}'")


def incident_day(
    meta: dict[str, Any],
    title: str,
    name: str,
    lines: list[str],
    report: Report,
    page_date: bool = False,
) -> date | None:
    """The incident's day as the source states it before any timeline is read.

    ``page_date``: the start is a page's ``date`` key, the day it was published; a day the
    title or the opening of the text names for the incident, in the weeks before it, is
    the incident's (a post about "Thursday, May 2nd" published on the 6th)."""
    value = meta.get("started")
    if value is not None:
        found = read_day(str(value))
        if found and page_date:
            told = _opening_day(title, lines, found)
            if told is not None:
                report.mapped.append(
                    f"the incident's day: {told}, as the opening of the text names it (the "
                    f"page's date, {found}, is when it was published)"
                )
                return told
        if found:
            return found
    for text in (title, PurePath(name).name):
        found = read_day(text)
        if found:
            return found
    for line in lines:
        clock = read_clock(strip_row(line))
        if clock and clock.day:
            return clock.day
    for line in lines:
        found = read_day(line)
        if found:
            report.to_complete.append(
                f"started: the day is the first date in the text ({found}); check it"
            )
            return found
    return None


# How long before its publication a post's incident may be, and how many paragraphs of
# the text's opening are read for its day.
_PUBLISHED_WITHIN = timedelta(days=90)
_OPENING_PARAGRAPHS = 3


def _opening_day(title: str, lines: list[str], published: date) -> date | None:
    """The first day the title or the first paragraphs of prose name that falls in the
    weeks before ``published`` (a day without its year is in the year of publication)."""
    mask = code_mask(lines)
    paragraphs: list[str] = [title]
    current: list[str] = []
    for i, line in enumerate([*lines, ""]):
        prose = i < len(lines) and not mask[i] and line.strip() and not ATX.match(line)
        if prose and not line.lstrip().startswith(("|", ">")):
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
            if len(paragraphs) > _OPENING_PARAGRAPHS:
                break
    for text in paragraphs:
        for day in written_days(text, published.year):
            if published - _PUBLISHED_WITHIN <= day < published:
                return day
    return None


def front_matter_lines(
    meta: dict[str, Any],
    title: str,
    status: str,
    started: datetime,
    name: str,
    settings: Settings,
    report: Report,
    moments: Moments,
    distrusted: frozenset[str] = frozenset(),
) -> list[str]:
    """The front matter's lines. ``distrusted``: the moment keys whose source time names no
    zone a reader can place (see ``unplaced``): kept as the source's words, not as times."""
    tz = settings.tz
    lines = [f"title: {_yaml(_one_line(title))}"]
    severity = meta.get("severity")
    level = severity_for(severity, settings) if severity is not None else None
    if level is None:
        lines.append(f"severity: {TBD}" + (f"  # source: {inline(severity)}" if severity else ""))
        report.to_complete.append(
            "severity: " + ("no match for " + repr(severity) if severity else "the source has none")
        )
    else:
        comment = "" if str(severity) == level else f"  # source: {inline(severity)}"
        if comment:
            report.mapped.append(f"severity '{severity}' -> {level}")
        lines.append(f"severity: {level}{comment}")
    source_status = meta.get("status")
    lines.append(f"status: {status}" + _source(source_status, status))
    written = _iso(started.astimezone(tz))
    # A start the source gives as a day alone ("Date: 2021-10-14") is no time: the time comes
    # from the text, or the line says that only the day is known.
    timed = _moment(meta.get("started"), tz) is not None and "started" not in distrusted
    given = _source(meta.get("started"), written).removeprefix("  # ")
    given = f" ({given})" if given else ""
    if not timed and moments.started is not None:
        inferred = _inferred("started", moments.started, written, report)
        lines.append(f"started: {written}{inferred}{given}")
    elif _DAY_ONLY in report.to_complete and not timed:
        lines.append(f"started: {written}  # only the day is known: complete the time{given}")
    else:
        lines.append(f"started: {written}" + _source(meta.get("started"), written))
    reviewed = status != "draft"
    # An inferred moment before the start would be an error to fix, not a help; an end
    # before the detection stays (an outage that healed itself was noticed afterwards).
    earliest = started
    for key in ("detected", "resolved"):
        earliest = started if key == "resolved" else earliest
        value = meta.get(key)
        moment = _moment(value, tz) if key not in distrusted else None
        guess: Moment | None = getattr(moments, key)
        if moment is not None:
            written = _iso(moment.astimezone(tz))
            lines.append(f"{key}: {written}" + _source(value, written))
            earliest = max(earliest, moment)
        elif guess is not None and guess.at >= earliest:
            # The source's value, if any, is no time ("Detection: a user in the chat
            # complained"): the time comes from the text, and the value stays beside it.
            at = _iso(guess.at.astimezone(tz))
            said = f" (source: {inline(value)})" if value is not None else ""
            lines.append(f"{key}: {at}" + _inferred(key, guess, at, report) + said)
            earliest = guess.at
        elif reviewed:
            lines.append(f"{key}: {TBD}" + (f"  # source: {inline(value)}" if value else ""))
            report.to_complete.append(f"{key}: the source does not say")
    published = meta.get("published")
    if published is not None and read_day(str(published)):
        # A day is what the key holds; the time the source gave stays beside it.
        moment = _moment(published, timezone.utc)
        said = f"  # source: {inline(published)}" if moment is not None else ""
        lines.append(f"published: {read_day(str(published))}{said}")
    elif status == "published":
        lines.append(f"published: {TBD}")
        report.to_complete.append("published: the day the write-up was published")
    for key in ("authors", "services", "tags"):
        values = list(dict.fromkeys(meta.get(key, [])))
        if values:
            lines.append(f"{key}: {_yaml([_one_line(str(v)) for v in values])}")
        elif key == "services" or (key == "authors" and reviewed):
            lines.append(f"{key}: [{TBD}]")
            report.to_complete.append(f"{key}: the source names none")
    if meta.get("facilitator"):
        lines.append(f"facilitator: {_yaml(_one_line(str(meta['facilitator'])))}")
    # The source as the import named it (its path below the folder given), exactly (a run
    # of spaces included): its file name is how a later run knows it was imported already.
    lines.append(f"imported: {_yaml(name)}")
    return lines


def _inferred(key: str, moment: Moment, written: str, report: Report) -> str:
    """The marker comment of a value read from the text, naming the words it came from; the
    check warns (PM117) until a person confirms the value and removes the marker."""
    # One printable line: the words land in a YAML comment (inline).
    words = inline(moment.source)
    words = words if len(words) <= 120 else words[:119] + "…"
    report.inferred.append(f'{key}: {written} from "{words}"')
    return f'  {INFERRED_MARKER}: "{words}"'


def _timeline_rows(
    sections: dict[str, list[str]], context: TimeContext
) -> list[tuple[datetime, str]]:
    """The converted Timeline table's rows that hold a time: the time and what happened."""
    rows: list[tuple[datetime, str]] = []
    for line in sections.get("Timeline", []):
        cells = [c.text for c in split_row(line, 1).cells] if line.startswith("| ") else []
        reading = context.read(cells[0]) if len(cells) > 1 else None
        if reading is not None and reading.at is not None and not _placed_only(cells[1]):
            # Every cell after the time: a "Time | Block | Event" table tells in its last.
            rows.append((reading.at, " ".join(cells[1:])))
    return rows


def first_row_start(
    sections: dict[str, list[str]], first_at: datetime, day_hint: date | None, settings: Settings
) -> Moment | None:
    """The start read from the timeline's first row, as an inferred moment naming the row's
    words: a start the text does not state is a question for the person, like the others."""
    context = TimeContext(settings.tz, day=day_hint, year=day_hint.year if day_hint else None)
    for at, event in _timeline_rows(sections, context):
        if at == first_at:
            return Moment(at, event)
    return None


def read_moments(
    sections: dict[str, list[str]],
    lines: list[str],
    meta: dict[str, Any],
    day_hint: date | None,
    settings: Settings,
    page_date: bool = False,
    title: str = "",
    updates: bool = False,
) -> Moments:
    """The three moments the converted timeline and the summary state (importers.moments).

    ``page_date``: the start is the page's ``date`` key, when it was published: the day
    its author wrote "yesterday" and "this morning" from. ``updates``: the timeline is a
    status page's updates, whose words are the account of the incident its readers were
    given (the last one often its summary: "From 17:39-18:12 UTC GitHub was down"), read as
    the summary is when the summary says nothing of the times."""
    context = TimeContext(settings.tz, day=day_hint, year=day_hint.year if day_hint else None)
    rows = _timeline_rows(sections, context)
    # "10:45am this morning": a write-up dated by its day tells of that day as today.
    summary = TimeContext(
        settings.tz, day=day_hint, year=context.year, today=day_hint, carry_zone=True
    )
    summary.zone = written_zone(meta.get("started"))
    for line in lines:
        if summary.declare(line) is not None:
            break
    if page_date:
        published = meta.get("started")
        summary.today = read_day(str(published)) or day_hint
        summary.written = _stamped(published)
    # Quoted words (a log line, a chat message) are evidence the author draws on: their times
    # and words are not the author's account of the moments.
    text = "\n".join(
        line
        for line in sections.get("Summary", [])
        if not line.startswith(("#", ">")) and not _DIRECTIVE.match(line)
    )
    told = "\n".join(line for line in lines if not line.lstrip().startswith(">"))
    # An HTML comment is hidden from the page's readers ("<!-- notice last updated 06:00
    # UTC -->"): the author's notes to themselves, not the account of the incident.
    if updates:
        # Newest first, as the page lists them: a page's last update is where it sums up.
        events = [event for _, event in reversed(rows)]
        text = "\n".join([text, *events])
    text, told = _COMMENT.sub(" ", text), _COMMENT.sub(" ", told)
    impact = "\n".join(line for line in sections.get("Impact", []) if not line.startswith(">"))
    # Property lines ("Time of incident: ...", "| Resolved | ... |") count wherever they are.
    return infer(rows, text, summary, told, _COMMENT.sub(" ", impact), title)


_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# A reStructuredText directive or field line (".. post:: Jan 25, 2021", "   :date: ..."):
# the post's markup and metadata, whose date is when it was posted, not the account.
_DIRECTIVE = re.compile(r"\.\.\s+[\w:-]+::|\s+:[\w -]+:(?:\s|$)")


def unplaced(meta: dict[str, Any], moments: Moments, zoned: bool) -> frozenset[str]:
    """The moment keys whose front-matter time cannot be placed: written with no zone
    (``resolvedWhen: 2022-08-27 05:00:00``) in a source that names none anywhere, or the
    same moment as the text's zoned one shifted by whole hours (the author's local time, a
    zone away from the sentence that names its zone). ``started`` stays read in the
    configured zone in a source that names none: it is always written, with a question.
    And an end at the very instant of the start (``resolvedWhen`` a status page's tool
    copies from ``date`` when the incident opens): a copy, not an end."""
    keys = {"resolved"} if copied_end(meta) else set()
    for key in ("started", "detected", "resolved"):
        value = meta.get(key)
        moment = _moment(value, timezone.utc)
        if moment is None or _stamped(value) is not None:
            continue
        guess: Moment | None = getattr(moments, key)
        apart = guess is not None and _zone_apart(guess.at - moment)
        if (key != "started") if not zoned else apart:
            keys.add(key)
    return frozenset(keys)


def copied_end(meta: dict[str, Any]) -> bool:
    """Whether the source's end is its start's instant, to the second: no outage ends the
    moment it begins, and a tool that fills the end in from the start writes exactly that."""
    start, end = meta.get("started"), meta.get("resolved")
    if not isinstance(start, (str, datetime)) or not isinstance(end, (str, datetime)):
        return False
    began, ended = _moment(start, timezone.utc), _moment(end, timezone.utc)
    return began is not None and began == ended


def _zone_apart(shift: timedelta) -> bool:
    """Whether two readings of one moment lie a zone's offset apart: whole hours, at most
    14, not none (a half hour apart is as likely two readings of the end as a zone)."""
    return timedelta(0) < abs(shift) <= timedelta(hours=14) and not shift % timedelta(hours=1)


def _stamped(published: Any) -> datetime | None:
    """The page's publication as an instant, when its stamp names its own zone
    (``2023-05-20T00:30:00Z``); None for a day or a time in no zone."""
    moment = _moment(published, timezone.utc)
    return moment if moment is not None and moment == _moment(published, _ELSEWHERE) else None


# A zone no stamp is written in: a stamp read the same in it and in UTC names its own zone.
_ELSEWHERE = timezone(timedelta(hours=13))


def timeline_doubts(
    lines: list[str], day_hint: date | None, settings: Settings, zone: Zone | None
) -> list[str]:
    """What the timeline's times leave for a person, each once: a time that can be read two
    ways (``10:00 IST``, ``10/11/2023``), and a zone named out of its season (``PST`` in
    June, written as the source says)."""
    context = TimeContext(settings.tz, day=day_hint, year=day_hint.year if day_hint else None)
    context.zone = zone
    for line in lines:
        if context.declare(line) is None:
            context.read(strip_row(line))
    doubts = dict.fromkeys([*context.questions, *context.notes])
    return [f"Timeline: {doubt}" for doubt in doubts]


def _placed_only(event: str) -> bool:
    """A row whose source time was no time (``(2022-05-?? HH:mm) ...``): its stamp is where
    the row was placed, not when the event happened, so it names no moment."""
    original = re.match(r"\(([^)]*)\)", event)
    return original is not None and parse_time(original[1]) is None


def names_a_zone(lines: list[str], meta: dict[str, Any]) -> bool:
    """Whether the source says, anywhere, which zone a time of it is in: a declaration
    ("All times in CEST"), a time with its zone ("09:40 UTC") or a front-matter date with
    its offset. Not a name of several zones ("All times in IST": a question, not an
    answer), nor a pasted log's stamps (code: the log's clock, not the write-up's), nor a
    time inside an address (a link to a log query carries its own)."""
    # A post's date read as its publication still says which zone its author writes in.
    if any(written_zone(meta.get(k)) for k in ("started", "detected", "resolved", "published")):
        return True
    return any(
        _one_zone(declared_zone(line)) or any(_one_zone(e.zone) for e in find_times(line))
        for line in prose_lines(lines)
    )


def _one_zone(zone: Zone | None) -> bool:
    return zone is not None and zone.tz is not None


def written_zone(value: Any) -> Zone | None:
    """The zone a source's own date is written in (a Jekyll ``date: ... -0500``), which its
    timeline's bare times share unless the text declares another."""
    if value is None or isinstance(value, (date, datetime)):
        offset = value.utcoffset() if isinstance(value, datetime) else None
        return zone_named(_hours(offset)) if offset is not None else None
    match = re.search(r"(?<=\d)\s*([+-]\d{2}:?\d{2})\s*$", str(value).strip())
    return zone_named(match[1]) if match else None


def _hours(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _moment(value: Any, tz: tzinfo) -> datetime | None:
    """A date and time as blogs and tools write them (``2024-08-19 02:10:00 +0200``)."""
    if value is None:
        return None
    try:
        moment = parse_datetime(str(value).replace(" ", "T", 1), tz)
    except ValueError:
        clock = read_clock(str(value).strip())
        if clock is None or clock.day is None:
            return None
        return datetime.combine(clock.day, clock.at, clock.tz or tz)
    # Years the timeline reader takes too, so a timeline that counts days on from this one
    # stays on the calendar.
    return moment if PLAUSIBLE_YEARS[0] <= moment.year <= PLAUSIBLE_YEARS[1] else None


def _source(value: Any, written: str) -> str:
    """A YAML comment with the source's wording, when the value was rewritten."""
    if value is None or str(value) == written:
        return ""
    return f"  # source: {inline(value)}"


def _iso(moment: datetime) -> str:
    text = moment.isoformat(timespec="seconds")
    return text.removesuffix("+00:00") + "Z" if moment.utcoffset() == timedelta(0) else text


def _yaml(value: str | list[str]) -> str:
    """A one-line double-quoted YAML string or flow list of them, written by PyYAML's
    emitter: source text can be anything, and the emitter escapes what YAML cannot hold
    raw (controls, line breaks)."""
    dumped: str = yaml.safe_dump(
        value, default_style='"', default_flow_style=True, allow_unicode=True, width=_ONE_LINE
    )
    # PyYAML escapes every character past U+FFFF ("\U0001F525") though YAML holds them raw
    # and its reader reads them: written as they are, the title keeps its words.
    return _WIDE_ESCAPE.sub(_unescaped, dumped.rstrip("\n"))


# An escape of a character past U+FFFF, not itself escaped (an even run of backslashes before).
_WIDE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\U([0-9A-Fa-f]{8})")


def _unescaped(match: re.Match[str]) -> str:
    code = int(match[2], 16)
    if not 0x10000 <= code <= 0x10FFFF:
        return match[0]
    return match[1] + chr(code)


_ONE_LINE = 1 << 30


def _one_line(text: str) -> str:
    return " ".join(text.split())


def inline(value: Any) -> str:
    """A value as one line of text; made printable, since it also lands in YAML comments
    (where a control character or a line break would end the comment or the file)."""
    if isinstance(value, list):
        return ", ".join(inline(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{inline(k)}: {inline(v)}" for k, v in value.items())
    return printable(" ".join(str(value).split()))
