"""A write-up in someone else's shape, rewritten in ours, with nothing left behind.

The conversion moves text, it does not judge it: headings are mapped to our sections with
the one synonym table (:mod:`mkdocs_postmortems.core.synonyms`), sections without a match
become subsections of the section before them, timelines and action items become tables.
Every word of the source stays in the result; where a value had to be rewritten (a time
in another zone, a severity name), the original wording stays next to it. What the source
does not say (an owner, a due date, a severity) is written as the marker ``TBD``, which
``postmortems check`` reports for a person to complete.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import PurePath
from typing import Any

import yaml

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import parse_datetime
from mkdocs_postmortems.core.fields import INFERRED_MARKER, TO_COMPLETE_MARKER
from mkdocs_postmortems.core.findings import printable
from mkdocs_postmortems.core.markdown import SECTIONS, canonical_section, split_row
from mkdocs_postmortems.core.model import ACTION_STATUSES
from mkdocs_postmortems.core.sanitize import TAGS
from mkdocs_postmortems.core.synonyms import column_for, fold, key_for, section_for
from mkdocs_postmortems.core.times import TimeContext, Zone, declared_zone, zone_named
from mkdocs_postmortems.core.times import find as find_times
from mkdocs_postmortems.core.times import parse as parse_time
from mkdocs_postmortems.importers.moments import Moment, Moments, infer
from mkdocs_postmortems.importers.sources import Source, SourceError
from mkdocs_postmortems.importers.times import (
    PLAUSIBLE_YEARS,
    Clock,
    declared_tz,
    numeric_order,
    read_clock,
    read_day,
)
from mkdocs_postmortems.importers.words import missing, value_words, words

TBD = TO_COMPLETE_MARKER
# `started` must be a time; when the source gives only the day, 00:00 holds its place, and
# the line says so, so that nobody reads it as the start of impact.
_DAY_ONLY = "started: only the day is known; the time is set to 00:00"
_YEARS = f"the years {PLAUSIBLE_YEARS[0]}-{PLAUSIBLE_YEARS[1]}"

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX_OPENING = re.compile(r" {0,3}(#{1,6})[ \t]+")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_BOLD_LABEL = re.compile(
    r"\s{0,3}(?:\*\*|__)(?P<label>[^*_]{2,60}?)(?::\s*)?(?:\*\*|__):?(?P<rest>.*)$"
)
_LINK_TARGET = re.compile(
    r"\]\(<?([^)\s>]+)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE
)
_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_ABSOLUTE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|#|/")
_LIST_START = re.compile(r"(?<=^\d)[.)]|(?<=^\d\d)[.)]|(?<=^\d\d\d)[.)]|^[-*+](?=\s)")
_KEY_LINE = re.compile(
    r"\s{0,3}(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z _-]{1,30}?)\s*:\s*(?:\*\*|__)?:?\s*(?P<value>.+)$"
)
_ITEM = re.compile(r"(?P<indent> {0,3})(?:[-*+]|\d{1,3}[.)])\s+(?P<text>.*)$")
_TASK = re.compile(r"\[(?P<done>[ xX])\]\s*")
_DELIMITER = re.compile(r"\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_TICKET = re.compile(
    r"\[(?P<key>[A-Z][A-Z0-9]+-\d+)\]\((?P<url>[^)\s]+)\)|\b(?P<bare>[A-Z][A-Z0-9]+-\d+)\b"
)
_OWNER = re.compile(
    r"\b(?:owner|assignee|assigned to)\s*[:=]\s*(?P<name>[^,;()|\]]+)", re.IGNORECASE
)
_DUE = re.compile(
    r"\b(?:due(?: date)?|by|until|deadline|target(?: date)?|eta|estimated completion(?: date)?)"
    # One run of spaces around the colon: two (``\s*:?\s*``) share a run of spaces out
    # between them, quadratic in its length.
    r"\s*(?::\s*)?(?:on\s+)?(?P<rest>.{0,40})",
    re.IGNORECASE,
)
_STATE = re.compile(
    r"[(\[]\s*(?P<state>completed?|done|fixed|closed|in progress|ongoing|wip|won'?t (?:do|fix)"
    r"|cancell?ed|dropped|not started|open|todo)\s*[)\]:]",
    re.IGNORECASE,
)
_LEAD_OWNER = re.compile(r"^\s*(?:\((?P<name>[^()]{1,40})\)|(?P<handle>@[\w-]{1,39})\s*:)\s+")
# A line that is an action item wherever it stands: "Action point: ...", "**TODO**: ...".
_ACTION_LABELS = r"action (?:point|item)s?|follow[- ]?up|todo|done|doing|in progress"
_ACTION_LINE = re.compile(
    rf"^\s{{0,3}}(?:(?:\*\*|__)(?P<bold>{_ACTION_LABELS})\s*:?\s*(?:\*\*|__)\s*:?\s+\S"
    rf"|(?P<label>{_ACTION_LABELS})\s*:)",
    re.IGNORECASE,
)
_LABEL_STATES = {
    "todo": "open",
    "done": "done",
    "doing": "in-progress",
    "in progress": "in-progress",
}
_NOT_AN_ITEM = re.compile(r"\s*(?:<|!\[|([-*_])(?:\s*\1){2,}\s*$|(?:[-*+]|\d{1,3}[.)])\s*$)")
# A short label ending with a colon, alone on its line: "Completed:", "**In progress:**".
_LIST_LABEL = re.compile(r"(?:\*\*|__)?[A-Za-z][\w' -]{0,30}:(?:\*\*|__)?:?")
# What the team says it will do: an action item written as a promise.
_COMMITMENT = re.compile(
    r"\b(?:we(?:'ll| will| are going to| plan to| intend to)|(?:the )?team will)\b",
    re.IGNORECASE,
)
_ITEM_TEXT = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+")
_PRIORITY = re.compile(r"\b(?P<p>P\d)\b")
_DONE_GROUP = re.compile(r"\b(?:completed|done|finished)\b", re.IGNORECASE)
_ISO_DAY = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
_PLACEHOLDER = re.compile(r"(?:\d{1,2}|[-?hHxX]{2}):(?:\d{2}|[-?mMxX]{2})")
_ZONE_SENTENCE = re.compile(r"\btimes?\b|\bin\b", re.IGNORECASE)
_TIME_HEADER = re.compile(r"\b(?:time|date|when)\b", re.IGNORECASE)
_EMPHASIS = re.compile(r"^(?:\*\*|__|\*|_|`)+|(?:\*\*|__|\*|_|`)+$")
_SEPARATOR = re.compile(r"^\s*(?:\*\*|__|\*|_)?\s*(?:[-–—:|]+\s*)?")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LEAD_EMPHASIS = re.compile(r"^(?:\*\*|__|\*|_)+")
# A marker written between timeline entries: ``<START OF OUTAGE>``, ``[END OF IMPACT]``.
_MARKER = re.compile(r"\\?[<\[]\s*[A-Z][A-Z0-9 ,'-]{2,40}\s*[>\]]")
# A word where a month's name goes; read_day decides whether it is one.
_MONTH = r"[A-Za-z]{3,9}"
_LEAD_DATE = re.compile(
    rf"(?P<date>\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}"
    rf"|(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})\.?,?\s+\d{{4}})"
    # What may follow the day: a separator, a space, the end, a footnote mark ("[^3]:").
    r"(?=\s*(?:\*\*|__|\*|_)?\s*(?:[:–—|,-]|\s|$|\[\^))",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"(?P<mon>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>{_MONTH})\.?",
    re.IGNORECASE,
)
# Where a time can start inside prose: a digit not glued to a word or another number.
_CLOCK_START = re.compile(r"(?<![\w:./-])(?=~?\d{1,2}(?::\d{2}|\s*[ap]\.?m\b))", re.IGNORECASE)
_AT_TIME = re.compile(r"(?:at|around|about|approximately|by|~)\s*(?P<rest>.*)", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
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
_ACTION_STATUS_WORDS = {
    **dict.fromkeys(
        ("done", "completed", "complete", "closed", "fixed", "resolved", "finished", "yes"),
        "done",
    ),
    **dict.fromkeys(("open", "todo", "to do", "not started", "new", "planned", "no"), "open"),
    **dict.fromkeys(("in progress", "wip", "ongoing", "started", "doing"), "in-progress"),
    **dict.fromkeys(
        ("wont do", "won't do", "wontfix", "won't fix", "cancelled", "canceled", "dropped"),
        "wont-do",
    ),
}
_PRIORITY_WORDS = {
    **dict.fromkeys(("critical", "urgent", "highest", "blocker"), 0),
    "high": 1,
    **dict.fromkeys(("medium", "normal", "moderate"), 2),
    **dict.fromkeys(("low", "lowest", "minor", "trivial"), 3),
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


@dataclass
class Report:
    """What the import of one source did: for the person who reviews it."""

    source: str
    flavour: str = ""
    target: str = ""
    outcome: str = ""
    mapped: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    to_complete: list[str] = field(default_factory=list)
    #: Moments read from the text, written with a marker until a person confirms them.
    inferred: list[str] = field(default_factory=list)
    words: int = 0
    words_kept: int = 0
    lost: list[str] = field(default_factory=list)
    timeline_rows: int = 0
    action_items: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "flavour": self.flavour,
            "target": self.target,
            "outcome": self.outcome,
            "mapped": self.mapped,
            "kept": self.kept,
            "to_complete": self.to_complete,
            "inferred": self.inferred,
            "words": self.words,
            "words_kept": self.words_kept,
            "lost_words": self.lost,
            "timeline_rows": self.timeline_rows,
            "action_items": self.action_items,
        }


@dataclass
class Conversion:
    """The new post-mortem: its start (which names the file), its title and its text."""

    started: datetime
    title: str
    text: str
    report: Report


class _AtxHeading:
    """ATX headings: ``match(line)`` gives (line, the ``#`` run, the title), or None.

    Read by hand after the opening: a pattern that also strips the closing run of ``#``
    (``(.*?)(?:[ \t]+#+)?[ \t]*$``) tries the rest of the line at every character, which
    is quadratic in a run of spaces (a heading with 40 kB of them took seconds).
    """

    def match(self, line: str) -> tuple[str, str, str] | None:
        opening = _ATX_OPENING.match(line)
        if opening is None:
            return None
        title = line[opening.end() :].rstrip(" \t")
        closed = title.rstrip("#")
        if closed != title and closed and closed[-1] in " \t":
            title = closed.rstrip(" \t")
        return line, opening[1], title


_ATX = _AtxHeading()


@dataclass
class _Block:
    """A part of the body on its way to becoming one of our sections."""

    name: str | None
    title: str
    origin: str
    lines: list[str] = field(default_factory=list)


def convert(source: Source, settings: Settings) -> Conversion:
    """Rewrite ``source`` in our format; SourceError when it names no day at all."""
    report = Report(source.name, source.flavour, mapped=[], kept=list(source.notes))
    meta, extra = _map_keys(source.meta, report)
    lines = _atx_headings(source.body.split("\n"))
    before = len(lines)
    title, lines = _title(meta, lines, source.name, report)
    duplicate_title = len(lines) < before and "title" in source.meta
    _preamble_keys(lines, meta, report)
    blocks = _blocks(lines, report)
    _timeline_by_content(blocks, report)
    day_hint = _day_hint(meta, title, source.name, lines, report)
    status = _status(meta.get("status"), report)
    timeline_rows: list[str] = []
    first_at: datetime | None = None
    sections: dict[str, list[str]] = {}
    named = _sections(blocks, report)
    _gather_actions(named, report)
    for name, body in named.items():
        if name == "Timeline":
            report.to_complete.extend(_timeline_doubts(body, day_hint, settings, meta))
            body, first_at, timeline_rows = _timeline(
                body, day_hint, settings, report, _written_zone(meta.get("started"))
            )
            if not timeline_rows and _has_text(body) and not _marked(body):
                # Text without a single time is kept with the summary; the timeline is
                # left for a person to write, as when the source has none.
                sections.setdefault("Summary", []).extend(["", "### Timeline as written", ""])
                sections["Summary"].extend(_demoted(body))
                report.kept.append("Timeline: no times found; kept in the Summary as written")
                body = []
        elif name == "Action Items":
            body = _action_items(body, settings, report)
        sections[name] = body
    moments = _moments(sections, lines, meta, day_hint, settings)
    day_hint = _publication_day(meta, first_at, moments, report) or day_hint
    if moments != Moments() and not _names_a_zone(lines, meta):
        # Which zone the times are in is the one thing a reader cannot tell from the
        # words: a moment read in the wrong one is off by hours, and looks right.
        moments = Moments()
        report.to_complete.append(
            "started, detected, resolved: the source names no time zone, so none is read "
            f"from its text (its timeline is read in {settings.timezone}); declare the zone "
            "in the source ('All times are in Europe/Berlin') and import it again, or "
            "complete them"
        )
    started = _started(meta, first_at, day_hint, settings, report, moments.started)
    _check_offset(first_at, started, meta, report)
    if extra:
        details = ["", "### Details from the original front matter", ""]
        details += [f"- {_inline(key)}: {_inline(value)}" for key, value in extra.items()]
        sections.setdefault("Summary", []).extend(details)
        report.kept.append("front-matter keys without a match: " + ", ".join(extra))
    needed = settings.required_sections if status != "draft" else ("Summary",)
    for name in needed:
        if not _has_text(sections.get(name, [])):
            sections.setdefault(name, []).extend(["", TBD])
            report.to_complete.append(f"section '{name}': the source has none")
    front = _front_matter(meta, title, status, started, source.name, settings, report, moments)
    text = _render(front, sections, settings)
    relative = sorted({m[1] or m[2] for m in _LINK_TARGET.finditer(text)} - {""})
    relative = [t for t in relative if not _ABSOLUTE.match(t)]
    if relative:
        report.kept.append(
            "links and images to files next to the source, kept as written (copy the files "
            "or fix the links): " + ", ".join(relative)
        )
    # A first heading that repeats the title is one title, not two.
    counted = {k: v for k, v in source.meta.items() if not (k == "title" and duplicate_title)}
    source_words = words(source.body) + value_words(counted)
    lost = missing(source_words, text)
    report.words = sum(source_words.values())
    report.words_kept = report.words - sum(lost.values())
    report.lost = sorted(lost.elements())
    report.timeline_rows = len(timeline_rows)
    return Conversion(started, title, text, report)


# --- front matter ----------------------------------------------------------------------


def _map_keys(meta: dict[str, Any], report: Report) -> tuple[dict[str, Any], dict[str, Any]]:
    """Our keys for the source's keys; the rest, to be kept in the body."""
    mapped: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    ours = ("title", "severity", "status", "started", "detected", "resolved", "published")
    lists = ("authors", "services", "tags")
    for key, value in meta.items():
        target = key if key in (*ours, *lists, "facilitator") else key_for(key)
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
        elif target in mapped:
            extra[key] = value
            continue
        else:
            mapped[target] = value
        if target != key:
            report.mapped.append(f"front matter '{key}' -> '{target}'")
    return mapped, extra


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else re.split(r"\s*[,;]\s*|\s+and\s+", str(value))
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


def _status(value: Any, report: Report) -> str:
    if value is None:
        return "published"
    status = _STATUS_WORDS.get(str(value).strip().casefold())
    if status is None:
        report.kept.append(f"status '{value}' has no match; written as 'published'")
        return "published"
    return status


def _started(
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
    unread = f" ('{_inline(given)}' is not a date in {_YEARS})" if given is not None else ""
    raise SourceError(
        f"no date found (front matter, timeline, title or file name){unread}; add a `date:` "
        "line on top of the source and import it again"
    )


def _publication_day(
    meta: dict[str, Any], first_at: datetime | None, moments: Moments, report: Report
) -> date | None:
    """A blog post's ``date:`` is the day it was published: a day alone, after every moment
    the text itself dates. The text's own dates then place the incident (the day returned),
    and the day is kept as ``published``."""
    given = meta.get("started")
    if given is None or _moment(given, timezone.utc) is not None:
        return None
    day = read_day(str(given))
    if day is None:
        return None
    told = [m.at for m in (moments.started, moments.detected, moments.resolved) if m]
    told += [first_at] if first_at is not None else []
    if not told or max(told).date() >= day:
        return None
    meta.pop("started")
    meta.setdefault("published", day.isoformat())
    report.mapped.append(f"'{_inline(given)}': after every time of the text; read as 'published'")
    return min(told).date()


def _check_offset(
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


def _preamble_keys(lines: list[str], meta: dict[str, Any], report: Report) -> None:
    """``**Date:** 2025-05-06`` lines above the first heading, as front-matter values (a
    document export has no front matter; its authors write these lines instead). The lines
    stay in the text."""
    for line in lines:
        if _ATX.match(line):
            return
        label = _KEY_LINE.match(line)
        if label is None:
            continue
        key = key_for(label["key"].strip())
        value = label["value"].strip()
        if key and value and key not in meta:
            meta[key] = _names(value) if key in ("authors", "services", "tags") else value
            report.mapped.append(f"'{label['key'].strip()}:' line -> '{key}'")


def _day_hint(
    meta: dict[str, Any], title: str, name: str, lines: list[str], report: Report
) -> date | None:
    """The incident's day as the source states it before any timeline is read."""
    value = meta.get("started")
    if value is not None:
        found = read_day(str(value))
        if found:
            return found
    for text in (title, PurePath(name).name):
        found = read_day(text)
        if found:
            return found
    for line in lines:
        clock = read_clock(_strip_row(line))
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


def _front_matter(
    meta: dict[str, Any],
    title: str,
    status: str,
    started: datetime,
    name: str,
    settings: Settings,
    report: Report,
    moments: Moments,
) -> list[str]:
    tz = settings.tz
    lines = [f"title: {_yaml(_one_line(title))}"]
    severity = meta.get("severity")
    level = severity_for(severity, settings) if severity is not None else None
    if level is None:
        lines.append(f"severity: {TBD}" + (f"  # source: {_inline(severity)}" if severity else ""))
        report.to_complete.append(
            "severity: " + ("no match for " + repr(severity) if severity else "the source has none")
        )
    else:
        comment = "" if str(severity) == level else f"  # source: {_inline(severity)}"
        if comment:
            report.mapped.append(f"severity '{severity}' -> {level}")
        lines.append(f"severity: {level}{comment}")
    source_status = meta.get("status")
    lines.append(f"status: {status}" + _source(source_status, status))
    written = _iso(started.astimezone(tz))
    if meta.get("started") is None and moments.started is not None:
        lines.append(f"started: {written}" + _inferred("started", moments.started, written, report))
    elif _DAY_ONLY in report.to_complete and meta.get("started") is None:
        lines.append(f"started: {written}  # only the day is known: complete the time")
    else:
        lines.append(f"started: {written}" + _source(meta.get("started"), written))
    reviewed = status != "draft"
    # An inferred moment before the start would be an error to fix, not a help; an end
    # before the detection stays (an outage that healed itself was noticed afterwards).
    earliest = started
    for key in ("detected", "resolved"):
        earliest = started if key == "resolved" else earliest
        value = meta.get(key)
        moment = _moment(value, tz)
        guess: Moment | None = getattr(moments, key)
        if moment is not None:
            written = _iso(moment.astimezone(tz))
            lines.append(f"{key}: {written}" + _source(value, written))
            earliest = max(earliest, moment)
        elif value is None and guess is not None and guess.at >= earliest:
            at = _iso(guess.at.astimezone(tz))
            lines.append(f"{key}: {at}" + _inferred(key, guess, at, report))
            earliest = guess.at
        elif reviewed:
            lines.append(f"{key}: {TBD}" + (f"  # source: {_inline(value)}" if value else ""))
            report.to_complete.append(f"{key}: the source does not say")
    published = meta.get("published")
    if published is not None and read_day(str(published)):
        lines.append(f"published: {read_day(str(published))}")
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
    # One printable line: the words land in a YAML comment (_inline).
    words = _inline(moment.source)
    words = words if len(words) <= 120 else words[:119] + "…"
    report.inferred.append(f'{key}: {written} from "{words}"')
    return f'  {INFERRED_MARKER}: "{words}"'


def _moments(
    sections: dict[str, list[str]],
    lines: list[str],
    meta: dict[str, Any],
    day_hint: date | None,
    settings: Settings,
) -> Moments:
    """The three moments the converted timeline and the summary state (importers.moments)."""
    context = TimeContext(settings.tz, day=day_hint, year=day_hint.year if day_hint else None)
    rows: list[tuple[datetime, str]] = []
    for line in sections.get("Timeline", []):
        cells = [c.text for c in split_row(line, 1).cells] if line.startswith("| ") else []
        reading = context.read(cells[0]) if len(cells) > 1 else None
        if reading is not None and reading.at is not None and not _placed_only(cells[1]):
            # Every cell after the time: a "Time | Block | Event" table tells in its last.
            rows.append((reading.at, " ".join(cells[1:])))
    summary = TimeContext(settings.tz, day=day_hint, year=context.year)
    summary.zone = _written_zone(meta.get("started"))
    for line in lines:
        if summary.declare(line) is not None:
            break
    text = "\n".join(line for line in sections.get("Summary", []) if not line.startswith("#"))
    # Property lines ("Time of incident: ...", "| Resolved | ... |") count wherever they are.
    return infer(rows, text, summary, "\n".join(lines))


def _timeline_doubts(
    lines: list[str], day_hint: date | None, settings: Settings, meta: dict[str, Any]
) -> list[str]:
    """What the timeline's times leave for a person, each once: a time that can be read two
    ways (``10:00 IST``, ``10/11/2023``), and a zone named out of its season (``PST`` in
    June, written as the source says)."""
    context = TimeContext(settings.tz, day=day_hint, year=day_hint.year if day_hint else None)
    context.zone = _written_zone(meta.get("started"))
    for line in lines:
        if context.declare(line) is None:
            context.read(_strip_row(line))
    doubts = dict.fromkeys([*context.questions, *context.notes])
    return [f"Timeline: {doubt}" for doubt in doubts]


def _placed_only(event: str) -> bool:
    """A row whose source time was no time (``(2022-05-?? HH:mm) ...``): its stamp is where
    the row was placed, not when the event happened, so it names no moment."""
    original = re.match(r"\(([^)]*)\)", event)
    return original is not None and parse_time(original[1]) is None


def _names_a_zone(lines: list[str], meta: dict[str, Any]) -> bool:
    """Whether the source says, anywhere, which zone a time of it is in: a declaration
    ("All times in CEST"), a time with its zone ("09:40 UTC") or a front-matter date with
    its offset."""
    if any(_written_zone(meta.get(key)) for key in ("started", "detected", "resolved")):
        return True
    return any(
        declared_zone(line) is not None or any(e.zone is not None for e in find_times(line))
        for line in lines
    )


def _written_zone(value: Any) -> Zone | None:
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
    return f"  # source: {_inline(value)}"


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
    return dumped.rstrip("\n")


_ONE_LINE = 1 << 30


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _inline(value: Any) -> str:
    """A value as one line of text; made printable, since it also lands in YAML comments
    (where a control character or a line break would end the comment or the file)."""
    if isinstance(value, list):
        return ", ".join(_inline(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{_inline(k)}: {_inline(v)}" for k, v in value.items())
    return printable(" ".join(str(value).split()))


# --- body: headings and sections -------------------------------------------------------


def _code_mask(lines: list[str]) -> list[bool]:
    """Which lines are inside fenced code (or are its fences)."""
    mask = []
    fence = ""
    for line in lines:
        match = _FENCE.match(line)
        if fence:
            mask.append(True)
            if match and match[1][0] == fence[0] and len(match[1]) >= len(fence):
                fence = ""
        elif match:
            fence = match[1]
            mask.append(True)
        else:
            mask.append(False)
    return mask


def _fence_openings(lines: list[str]) -> set[int]:
    """The lines that open a fenced block (a fence inside one is its text, not a block)."""
    openings: set[int] = set()
    fence = ""
    for i, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence:
            if match and match[1][0] == fence[0] and len(match[1]) >= len(fence):
                fence = ""
        elif match:
            fence = match[1]
            openings.add(i)
    return openings


def _atx_headings(lines: list[str]) -> list[str]:
    """Setext headings (a line underlined with ``===`` or ``---``) as ATX ones."""
    mask = _code_mask(lines)
    out: list[str] = []
    for i, line in enumerate(lines):
        match = _SETEXT.match(line)
        previous = out[-1] if out else ""
        if (
            match
            and not mask[i]
            and i > 0
            and not mask[i - 1]
            and previous.strip()
            and not _ITEM.match(previous)
            and not _ATX.match(previous)
            and "|" not in previous
        ):
            out[-1] = ("# " if match[1][0] == "=" else "## ") + previous.strip()
            continue
        out.append(line)
    return out


def _title(
    meta: dict[str, Any], lines: list[str], name: str, report: Report
) -> tuple[str, list[str]]:
    mask = _code_mask(lines)
    first_h1 = next(
        (
            i
            for i, line in enumerate(lines)
            if not mask[i] and (m := _ATX.match(line)) and m[1] == "#"
        ),
        None,
    )
    given = " ".join(str(meta.get("title", "")).split())
    if first_h1 is not None:
        heading = _ATX.match(lines[first_h1])
        assert heading is not None
        text = _shown(heading[2])
        if not given or text.casefold() == given.casefold():
            if not given:
                report.mapped.append("title from the first heading")
            return given or text, lines[:first_h1] + lines[first_h1 + 1 :]
    if given:
        return given, lines
    stem = PurePath(name).name
    for suffix in (".md", ".markdown", ".html", ".htm"):
        stem = stem.removesuffix(suffix)
    report.to_complete.append("title: taken from the file name")
    return stem, lines


def _shown(markdown: str) -> str:
    """A heading's text as a reader sees it: escapes and entities read."""
    return html.unescape(_BACKSLASH.sub("", markdown)).strip()


def _our_section(title: str) -> str | None:
    clean = _EMPHASIS.sub("", _shown(title)).rstrip(":?").strip()
    canonical = canonical_section(clean)
    if canonical in SECTIONS:
        return canonical
    return section_for(clean)


def _blocks(lines: list[str], report: Report) -> list[_Block]:
    """The body cut at its top-level headings (and bold labels that name a section)."""
    mask = _code_mask(lines)
    headings = [m for i, line in enumerate(lines) if not mask[i] and (m := _ATX.match(line))]
    top = _top_level(headings)
    blocks = [_Block(None, "", "")]
    promoted: tuple[int, _Block] | None = None
    parent = blocks[0]
    for i, line in enumerate(lines):
        heading = None if mask[i] else _ATX.match(line)
        if heading:
            level = len(heading[1])
            title = heading[2].strip()
            name = _our_section(title)
            if promoted and level <= promoted[0]:
                promoted = None
            if level <= top:
                parent = _Block(name, title, line)
                blocks.append(parent)
                continue
            if name in _PROMOTED and parent.name != name:
                block = _Block(name, title, line)
                blocks.append(block)
                promoted = (level, block)
                report.mapped.append(f"'{title}' brought up to '## {name}'")
                continue
            # Levels relative to the section; a block that becomes a subsection is pushed
            # down one more level, all at once, by _demote.
            depth = 2 + level - (promoted[0] if promoted else top)
            target = promoted[1] if promoted else parent
            target.lines.append("#" * min(depth, 6) + " " + title)
            continue
        label = None if mask[i] else _BOLD_LABEL.match(line)
        # A bold label opens a section at the top, or after another label; inside a section
        # that a heading opened it is emphasis, kept where it is.
        if (
            label
            and not promoted
            and (parent.name is None or parent.origin.startswith(("**", "__")))
        ):
            name = _our_section(label["label"])
            if name:
                parent = _Block(name, label["label"].strip(), line[: label.start("rest")].strip())
                blocks.append(parent)
                rest = label["rest"].strip()
                if rest:
                    # Text that followed the label stays text, not a list it never was.
                    parent.lines.append(_LIST_START.sub(r"\\\g<0>", rest, count=1))
                continue
        plain = None if mask[i] or promoted else _plain_label(lines, i)
        if plain:
            parent = _Block(plain, line.strip(), line.strip())
            blocks.append(parent)
            continue
        (promoted[1] if promoted else parent).lines.append(line)
    return blocks


def _plain_label(lines: list[str], i: int) -> str | None:
    """A line that is only a section's name ("Action Items"), on its own between a blank
    line and a list: a heading written without its marks."""
    text = lines[i].strip().rstrip(":").strip()
    if not text or len(text.split()) > 5 or (i > 0 and lines[i - 1].strip()):
        return None
    name = section_for(text)
    if name not in ("Action Items", "Timeline") or _ITEM.match(lines[i]):
        return None
    following = next((line for line in lines[i + 1 : i + 4] if line.strip()), "")
    return name if _ITEM.match(following) else None


# Sections a subheading is brought up to, wherever the source put it.
_PROMOTED = ("What Went Well", "What Could Be Improved", "Timeline", "Action Items")


def _timeline_by_content(blocks: list[_Block], report: Report) -> None:
    """A source without a heading that names the timeline: the section whose entries mostly
    begin with a time ("What happened", "Events", a heading of its own) is the timeline."""
    if any(block.name == "Timeline" for block in blocks):
        return
    for block in blocks:
        if block.title and block.name in (None, "Summary") and _mostly_timed(block.lines):
            report.mapped.append(f"'{block.title}' holds a timeline -> '## Timeline'")
            block.name = "Timeline"
            return


def _mostly_timed(lines: list[str]) -> bool:
    """At least three entries (list items, paragraphs, headings, table rows), and at least
    half of them beginning with a time."""
    mask = _code_mask(lines)
    entries = timed = 0
    previous = ""
    for i, line in enumerate(lines):
        if mask[i] or not line.strip() or _DELIMITER.match(line):
            previous = line if not mask[i] else ""
            continue
        starts = bool(_ITEM.match(line) or _ATX.match(line) or line.lstrip().startswith("|"))
        if starts or not previous.strip():
            entries += 1
            heading = _ATX.match(line)
            text = heading[2] if heading else _strip_row(line)
            timed += read_clock(text) is not None
        previous = line
    return timed >= 3 and timed * 2 >= entries


def _gather_actions(sections: dict[str, list[str]], report: Report) -> None:
    """Action items written elsewhere, brought to the Action Items section: "Action point:"
    lines inside the text, and tables whose columns are an action item's (``Action Item |
    Owner | Status``), wherever the source put them. They move; nothing is copied."""
    found: list[str] = []
    for name, lines in sections.items():
        if name in ("Action Items", "Timeline"):
            continue
        mask = _code_mask(lines)
        kept: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            if not mask[i] and _ACTION_LINE.match(line.strip()) and not _ITEM.match(line):
                found.append(line.strip())
                report.mapped.append(f"'{_short(line.strip())}' ({name}) -> Action Items")
                i += 1
                continue
            if not mask[i] and _is_table_start(lines, i) and _action_table(lines[i]):
                j = i + 2
                while j < len(lines) and "|" in lines[j] and lines[j].strip():
                    j += 1
                found += ["", *lines[i:j], ""]
                report.mapped.append(f"a table of action items ({name}) -> Action Items")
                i = j
                continue
            kept.append(line)
            i += 1
        sections[name] = kept
    if not found and not _has_text(sections.get("Action Items", [])):
        found = _commitments(sections, report)
    if found:
        sections.setdefault("Action Items", []).extend(["", *found])


def _commitments(sections: dict[str, list[str]], report: Report) -> list[str]:
    """A write-up without action items: the first list whose items mostly say what the team
    will do ("We will add monitoring for replica lag") is them, moved to Action Items."""
    for name, lines in sections.items():
        if name in ("Timeline", "Summary"):
            continue
        mask = _code_mask(lines)
        i = 0
        while i < len(lines):
            first = None if mask[i] else _ITEM.match(lines[i])
            if first is None or len(first["indent"]) > 1:
                i += 1
                continue
            j = i
            items = []
            while (
                j < len(lines)
                and not mask[j]
                and (lines[j].strip() or _ITEM.match(_next_line(lines, j)))
            ):
                item = _ITEM.match(lines[j])
                if item is not None and len(item["indent"]) <= 1:
                    items.append(item["text"])
                j += 1
            promised = [text for text in items if _COMMITMENT.search(text)]
            if len(promised) >= 2 and len(promised) * 10 >= len(items) * 6:
                sections[name] = [*lines[:i], *lines[j:]]
                report.mapped.append(f"a list of what the team will do ({name}) -> Action Items")
                return lines[i:j]
            i = j
    return []


def _action_table(header: str) -> bool:
    """A header whose first column is the action and another one an action item's."""
    names = [_column(cell.text) for cell in split_row(header, 1).cells]
    return bool(names) and names[0] == "Action" and any(n and n != "Action" for n in names[1:])


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _top_level(headings: list[tuple[str, str, str]]) -> int:
    """The level the source's sections are at: where most headings name one of ours (a
    stray ``# Stats`` at the end does not make every ``##`` a subsection)."""
    if not headings:
        return 2
    named: dict[int, int] = {}
    for match in headings:
        if _our_section(match[2]):
            named[len(match[1])] = named.get(len(match[1]), 0) + 1
    if not named:
        return min(len(m[1]) for m in headings)
    return max(sorted(named), key=lambda level: named[level])


def _sections(blocks: list[_Block], report: Report) -> dict[str, list[str]]:
    """Blocks merged into our sections, in our order.

    A block without a match becomes a subsection of the closest section: the one before it,
    or, above the first, the one after it. A second block for the same section becomes a
    subsection of the first. Subsections follow their section's own text.
    """
    sections: dict[str, list[str]] = {}
    subsections: dict[str, list[str]] = {}
    preamble: list[str] = []
    last: str | None = None
    # The name of the first named block after each block, found in one pass from the end:
    # looking ahead from every unmatched block was quadratic in the number of headings.
    following: list[str | None] = [None] * len(blocks)
    for index in range(len(blocks) - 2, -1, -1):
        following[index] = blocks[index + 1].name or following[index + 1]
    for index, block in enumerate(blocks):
        if block.name is None and not block.title:
            preamble = block.lines
            continue
        if block.name is None or block.name in sections:
            home = block.name or last or following[index] or "Summary"
            subsections.setdefault(home, []).extend(["", *_demote(block.origin, block.lines)])
            what = "section" if block.name is None else "second"
            report.kept.append(f"{what} '{block.title}' kept as a subsection of '{home}'")
            continue
        last = block.name
        note = []
        if block.title.casefold() != block.name.casefold():
            note = [f"<!-- imported from: {block.origin.strip()} -->"]
            report.mapped.append(f"'{block.title}' -> '## {block.name}'")
        sections[block.name] = [*note, *block.lines]
    for name, lines in subsections.items():
        sections.setdefault(name, []).extend(lines)
    if _has_text(preamble):
        sections.setdefault("Summary", [])[:0] = [*preamble, ""]
        report.mapped.append("text before the first heading -> Summary")
    order = {name: i for i, name in enumerate(SECTIONS)}
    return dict(sorted(sections.items(), key=lambda kv: order.get(kv[0], len(order))))


def _marked(lines: list[str]) -> bool:
    """A section that holds only the marker ``TBD``."""
    return [line.strip() for line in lines if line.strip()] == [TBD]


def _demoted(lines: list[str]) -> list[str]:
    """Lines moved under a ``###`` heading: their own headings one level further down."""
    out = []
    for line in lines:
        sub = _ATX.match(line)
        out.append("#" * min(len(sub[1]) + 1, 6) + " " + sub[2] if sub else line)
    return out


def _demote(origin: str, lines: list[str]) -> list[str]:
    """A block as a subsection: its heading one level below ours, its subheadings below it."""
    title = _ATX.match(origin)
    heading = title[2].strip() if title else _EMPHASIS.sub("", origin.strip())
    out = [f"### {heading}"]
    for line in lines:
        sub = _ATX.match(line)
        out.append("#" * min(len(sub[1]) + 1, 6) + " " + sub[2] if sub else line)
    return out


def _has_text(lines: list[str]) -> bool:
    return any(re.sub(r"<!--.*?-->", "", line).strip() for line in lines)


# --- timeline --------------------------------------------------------------------------


@dataclass
class _Row:
    clock: Clock | None
    wording: str
    event: str
    cells: list[str]
    #: The day a cell such as ``2022-05-25 HH:mm`` names, when its time is a placeholder.
    day_only: date | None = None
    #: The zone declared above the row ("All times in PDT", a ``Time (PST)`` header).
    zone: tzinfo | None = None
    #: The name of the part of the timeline the row opens ("Second period", a day).
    label: str = ""
    #: A marker between entries (``<START OF OUTAGE>``): a moment, at the row above's time.
    marker: bool = False


def _strip_row(text: str) -> str:
    text = text.strip()
    item = _ITEM.match(text)
    if item:
        text = item["text"]
    return _EMPHASIS.sub("", text.strip().lstrip("|").strip())


def _timeish(cell: str) -> bool:
    """A first cell that holds a time, even one written as a placeholder (``HH:mm``)."""
    clean = _EMPHASIS.sub("", cell.strip())
    return bool(read_clock(clean) or _PLACEHOLDER.search(clean) or _lead_day(clean))


def _leading_day(cell: str) -> date | None:
    match = _ISO_DAY.match(cell.strip())
    return read_day(match.group(0)) if match else None


def _lead_day(text: str) -> tuple[date, int] | None:
    """A day at the very start of ``text`` with no time of day (``2021-08-17: ...``,
    ``**April 5th, 2023** ...``), and where its wording ends."""
    match = _LEAD_DATE.match(text)
    if match is None:
        return None
    found = read_day(match["date"])
    return (found, match.end("date")) if found is not None else None


def _month_day(text: str, year: int | None) -> date | None:
    """A day written without its year (``May 12``, ``15 May``), in the incident's year."""
    match = _MONTH_DAY.fullmatch(_EMPHASIS.sub("", text.strip()).rstrip(":").strip())
    if match is None or year is None:
        return None
    return read_day(f"{match.group(0)} {year}")


@dataclass
class _TimelineParts:
    """What a timeline section holds: rows with a time, and everything else, in order."""

    rows: list[_Row] = field(default_factory=list)
    days: list[date | None] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=lambda: ["Time", "Event"])
    headers_seen: list[str] = field(default_factory=list)
    hint: tzinfo | None = None
    table_at: int | None = None
    #: The name of a part of the timeline (a period, a day) waiting for its first row, and
    #: the line that named it, written back if no row follows after all.
    label: str = ""
    label_line: str = ""
    #: How the timeline writes numeric dates (``mdy``, ``dmy``), once a date shows it.
    order: str | None = None

    def note(self, line: str) -> None:
        if self.label and line.strip():
            self.notes.append(self.label_line)
            self.label = ""
        self.notes.append(line)

    def add(self, row: _Row, day: date | None) -> None:
        if self.table_at is None:
            self.table_at = len(self.notes)
        if row.zone is None:
            row.zone = self.hint
        if self.label:
            # A part's name stays with its first row, where the reader meets it.
            row.label = f"**{self.label}**"
            self.label = ""
        self.rows.append(row)
        self.days.append(day)


def _timeline(
    lines: list[str],
    day_hint: date | None,
    settings: Settings,
    report: Report,
    written_zone: Zone | None = None,
) -> tuple[list[str], datetime | None, list[str]]:
    """Every run of entries that begin with a time, as one timeline table.

    Entries are list items, lines and paragraphs (``<br>``-separated ones too), headings
    such as ``### 09:21 PM`` with their paragraph below, table rows and the lines of a code
    block. The table goes where the first row was; the rest (prose, images, code) follows it
    in its order. A heading, bold label or line naming a day dates the rows below it; one
    naming a part of the timeline ("Second period") leads the part's first row; a zone
    declared in one ("All times in PDT", ``Time (PST)``) is the zone of the rows below.
    A timeline written as prose keeps it, and gains a table of the moments it names.
    """
    lines = _split_breaks(lines)
    mask = _code_mask(lines)
    openings = _fence_openings(lines)
    parts = _TimelineParts(hint=written_zone.tz if written_zone else None)
    parts.order = numeric_order(lines)
    day = day_hint
    i = 0
    while i < len(lines):
        line = lines[i]
        if mask[i]:
            end = _code_rows(lines, i, mask, day, parts) if i in openings else None
            if end is None:
                parts.note(line)
                end = i + 1
            i = end
            continue
        if _is_table_start(lines, i):
            end = _timeline_table_rows(lines, i, day, parts)
            if end is not None:
                i = end
                continue
        row, end = _line_row(lines, i, mask)
        if row is not None:
            parts.add(row, row.day_only or day)
            i = end
            continue
        day, label = _marker(line, lines, i, mask, day, day_hint, parts)
        if not label:
            parts.note(line)
        i += 1
    if parts.label:
        parts.notes.append(parts.label_line)
    if not parts.rows:
        return _narrative(lines, mask, day_hint, settings, report)
    table, first_at, written = _timeline_table(
        parts.rows, parts.days, parts.header, settings, report
    )
    at = parts.table_at or 0
    notes = [f"<!-- imported from a table headed: {h} -->" for h in parts.headers_seen]
    out = [*parts.notes[:at], *notes, "", *table, "", *parts.notes[at:]]
    report.mapped.append(f"Timeline: {len(written)} rows as a table in {settings.timezone}")
    return out, first_at, written


def _split_breaks(lines: list[str]) -> list[str]:
    """Entries run together with ``<br>`` each on a line of their own, where the text after
    a break starts an entry (the tag stays with the entry it ends, where a table cell shows
    it as a line break); other breaks stay where they are."""
    mask = _code_mask(lines)
    out: list[str] = []
    for i, line in enumerate(lines):
        if mask[i] or not _BREAK.search(line):
            out.append(line)
            continue
        current = ""
        last = 0
        for match in _BREAK.finditer(line):
            # Only the start of what follows is read: a time is at its beginning.
            window = line[match.end() : match.end() + 80]
            current += line[last : match.end()]
            last = match.end()
            if window.strip() and _starts_row(window.strip()):
                out.append(current)
                current = ""
                last = match.end() + len(window) - len(window.lstrip())
        out.append(current + line[last:])
    return out


def _marker(
    line: str,
    lines: list[str],
    i: int,
    mask: list[bool],
    day: date | None,
    day_hint: date | None,
    parts: _TimelineParts,
) -> tuple[date | None, bool]:
    """What a line that is not a row says about the rows below: their day, their zone,
    the name of their part. Returns the day of the rows below, and whether the line is the
    name of the next row's part (kept with that row, so not written again)."""
    text = line.strip()
    if not text:
        return day, False
    heading = _ATX.match(line)
    clean = (heading[2] if heading else text).strip()
    # The section's own heading, however long, declares the zone of all its rows.
    short = len(clean.split()) <= 12 or clean.startswith("<!-- imported from:")
    if short and (heading or _ZONE_SENTENCE.search(clean) or clean.startswith(("(", "<!--"))):
        # "All times in UTC.", "### Follow-up timeline (times in BST)"; once a row is
        # written, only a heading or a short line changes the zone of the rows after it.
        found = declared_tz(clean)
        if found is not None and (parts.table_at is None or heading or len(clean) < 60):
            parts.hint = found
    label = _EMPHASIS.sub("", _BOLD_LABEL.sub(r"\g<label>\g<rest>", clean)).strip()
    is_label = bool(heading or _BOLD_LABEL.match(line) or (short and len(clean) <= 40))
    if clean.startswith("<!--"):
        return read_day(clean) or day, False
    if not is_label:
        return day, False
    known = day or day_hint
    year = known.year if known else None
    found_day = read_day(label, parts.order) or _month_day(label, year)
    k = _next_text(lines, i + 1, mask)
    leads = k is not None and (_starts_row(lines[k]) or _is_table_start(lines, k))
    if leads and (heading or found_day is not None or _BOLD_LABEL.match(line)):
        if parts.label:
            parts.notes.append(parts.label_line)
        parts.label = label.rstrip(":").strip()
        parts.label_line = line
        return found_day or day, True
    return found_day or day, False


def _next_text(lines: list[str], start: int, mask: list[bool]) -> int | None:
    """The next line with text, near enough to belong to the line above (not code)."""
    for k in range(start, min(len(lines), start + 6)):
        if lines[k].strip():
            return None if mask[k] else k
    return None


def _starts_row(line: str) -> bool:
    heading = _ATX.match(line)
    if heading:
        return read_clock(heading[2].strip()) is not None
    text = _lead_text(line)
    return read_clock(text) is not None or _lead_day(text) is not None


def _lead_text(line: str) -> str:
    """A line without its list marker and the emphasis that opens it (``**18:56:**``,
    ``*06:00*``); emphasis that closes the line stays, so nothing is left unbalanced."""
    text = line.strip()
    item = _ITEM.match(text)
    if item:
        text = item["text"]
    return _LEAD_EMPHASIS.sub("", text.strip())


def _balanced(event: str, line: str) -> str:
    """An entry whose whole line was emphasised loses the closing mark with the opening."""
    opening = _LEAD_EMPHASIS.match(_ITEM_TEXT.sub("", line.strip()))
    mark = opening.group(0) if opening else ""
    if mark and event.endswith(mark) and event.count(mark) == 1:
        return event[: -len(mark)].rstrip()
    return event


def _is_table_start(lines: list[str], i: int) -> bool:
    return (
        "|" in lines[i]
        and i + 1 < len(lines)
        and "|" in lines[i + 1]
        and _DELIMITER.match(lines[i + 1]) is not None
    )


def _timeline_table_rows(
    lines: list[str], i: int, day: date | None, parts: _TimelineParts
) -> int | None:
    """The rows of a table whose first column holds times; None for any other table.

    A table whose header row is empty and whose column names sit in its first body row
    (as some exports write it) is read with that row as its header."""
    head = [c.text for c in split_row(lines[i], i + 1).cells]
    body: list[list[str]] = []
    j = i + 2
    while j < len(lines) and "|" in lines[j] and lines[j].strip():
        body.append([c.text for c in split_row(lines[j], j + 1).cells])
        j += 1
    if body and not any(h.strip() for h in head) and body[0] and _TIME_HEADER.search(body[0][0]):
        head, body = body[0], body[1:]
    readable = [r for r in body if r and _timeish(r[0])]
    timed_header = bool(head and _TIME_HEADER.search(head[0]))
    if not body or (len(readable) * 2 < len(body) and not timed_header):
        return None
    zone = parts.hint
    if head:
        hint = declared_tz(head[0])
        zone = hint if hint is not None else zone
    if len(head) > 2 and parts.header == ["Time", "Event"]:
        parts.header = ["Time", *head[1:]]
    parts.headers_seen.append(" | ".join(head))
    for cells in body:
        first = _EMPHASIS.sub("", cells[0].strip()) if cells else ""
        rest = cells[1:]
        lead = _lead_day(first)
        clock = read_clock(first)
        event = rest[0] if rest else ""
        if clock is not None and first[clock.end :].strip():
            # A time cell that says more ("06:00: paged") keeps the rest with the event.
            said = _SEPARATOR.sub("", first[clock.end :], count=1).strip()
            first = first[: clock.end]
            event = f"{said} {event}".strip()
        row = _Row(
            clock,
            first,
            event,
            rest[1:],
            _leading_day(first) or (lead[0] if lead else None),
            zone,
        )
        parts.add(row, day)
    return j


def _code_rows(
    lines: list[str], i: int, mask: list[bool], day: date | None, parts: _TimelineParts
) -> int | None:
    """A fenced code block whose lines mostly begin with a time, as rows (a log pasted as
    the timeline); None for any other code."""
    opening = _FENCE.match(lines[i])
    assert opening is not None
    end = i + 1
    while end < len(lines) and mask[end]:
        closing = _FENCE.match(lines[end])
        # Closed by a fence of the same character, at least as long (or by the end).
        if closing and closing[1][0] == opening[1][0] and len(closing[1]) >= len(opening[1]):
            break
        end += 1
    inner = [line for line in lines[i + 1 : end] if line.strip()]
    timed = [line for line in inner if read_clock(_strip_row(line))]
    # The first line starts an entry: nothing of the block is left out of the rows.
    if len(timed) < 2 or len(timed) * 10 < len(inner) * 6 or inner[0] != timed[0]:
        return None
    info = lines[i].strip().lstrip("`~").strip()
    parts.notes.append(f"<!-- imported from a code block{f' ({info})' if info else ''} -->")
    current: _Row | None = None
    for line in lines[i + 1 : end]:
        candidate = _strip_row(line)
        clock = read_clock(candidate) if candidate else None
        if clock is not None:
            event = _SEPARATOR.sub("", candidate[clock.end :], count=1).strip()
            current = _Row(clock, candidate[: clock.end], _cell(event), [])
            parts.add(current, day)
        elif current is not None and line.strip():
            current.event += " " + _cell(line.strip())
    return min(end + 1, len(lines))


def _line_row(lines: list[str], i: int, mask: list[bool]) -> tuple[_Row | None, int]:
    """An entry that starts with a time or a day, with what continues it: a list item's
    indented lines, a paragraph's following lines, a heading's paragraphs below it."""
    line = lines[i]
    if line.lstrip().startswith("|"):
        return None, i + 1
    heading = _ATX.match(line)
    candidate = heading[2].strip() if heading else _lead_text(line)
    clock = read_clock(candidate) if candidate else None
    # A heading that names only a day ("### 2016-11-07") dates the rows below it.
    lead = None if clock or heading else _lead_day(candidate)
    if clock is None and lead is None:
        text = _EMPHASIS.sub("", candidate).strip()
        if heading is None and _MARKER.fullmatch(text):
            return _Row(None, "", _cell(_ITEM_TEXT.sub("", line.strip())), [], marker=True), i + 1
        return None, i + 1
    if clock is None and lead is not None:
        # "2021-08-27: At 12:50 UTC, ...": the day first, its time in the sentence.
        said = _AT_TIME.match(_SEPARATOR.sub("", candidate[lead[1] :], count=1))
        timed = read_clock(said["rest"]) if said else None
        if timed is not None and timed.day is None and timed.month_day is None:
            clock = replace(timed, day=lead[0], end=lead[1])
            lead = None
    cut = clock.end if clock else lead[1] if lead else 0
    wording = candidate[:cut]
    event = _SEPARATOR.sub("", candidate[cut:], count=1).strip()
    event = _balanced(_LEAD_EMPHASIS.sub("", event).strip(), line)
    pieces = [event] if _EMPHASIS.sub("", event).strip(":").strip() else []
    item = _ITEM.match(line)
    k = i + 1
    if heading:
        k = _heading_text(lines, k, mask, pieces)
    elif item:
        indent = len(line) - len(line.lstrip())
        while k < len(lines) and not mask[k] and lines[k].strip():
            deeper = len(lines[k]) - len(lines[k].lstrip()) > indent
            if not deeper or _starts_row(lines[k]):
                break
            pieces.append(lines[k].strip())
            k += 1
    else:
        while k < len(lines) and not mask[k] and lines[k].strip():
            following = lines[k]
            if _ATX.match(following) or _ITEM.match(following) or _starts_row(following):
                break
            if "|" in following and _is_table_start(lines, k):
                break
            pieces.append(following.strip())
            k += 1
    if clock is None and not pieces:
        # A line that is only a day ("**19th September 2023:**") dates the rows below it.
        return None, i + 1
    text = _cell(" ".join(pieces))
    return _Row(clock, wording, text, [], None if clock else lead[0] if lead else None), k


def _heading_text(lines: list[str], k: int, mask: list[bool], pieces: list[str]) -> int:
    """The paragraphs under a heading that is a row (``### 09:21 PM``), up to the next
    heading, row, list, table or code."""
    while k < len(lines):
        following = lines[k]
        if mask[k] or _ATX.match(following) or _ITEM.match(following.strip()):
            break
        if following.strip() and (_starts_row(following) or _is_table_start(lines, k)):
            break
        if following.strip():
            pieces.append(following.strip())
        k += 1
    # Blank lines that end the paragraphs stay in the text around the table.
    while k > 0 and not lines[k - 1].strip() and pieces:
        k -= 1
    return k


def _cell(text: str) -> str:
    """Text as one table cell: a pipe escaped, so it cannot open a column."""
    return re.sub(r"(?<!\\)\|", r"\\|", text)


def _narrative(
    lines: list[str], mask: list[bool], day_hint: date | None, settings: Settings, report: Report
) -> tuple[list[str], datetime | None, list[str]]:
    """A timeline told as prose ("At 10:47 PST the team ..., by 14:15 ..."): the prose stays
    as written, and a table of the moments it names follows it."""
    rows: list[_Row] = []
    days: list[date | None] = []
    hint: tzinfo | None = None
    day = day_hint
    for paragraph in _paragraphs(lines, mask):
        found = declared_tz(paragraph) if _ZONE_SENTENCE.search(paragraph) else None
        hint = found if found is not None and len(paragraph) < 80 else hint
        day = read_day(paragraph) or day
        for sentence in _SENTENCE.split(paragraph):
            for match in _CLOCK_START.finditer(sentence):
                rest = sentence[match.start() :]
                clock = read_clock(rest)
                wording = rest[: clock.end] if clock else ""
                # A time in prose says so: HH:MM, or a 12-hour clock ("by 2pm").
                if clock and (":" in wording or re.search(r"[ap]\.?m", wording, re.I)):
                    rows.append(_Row(clock, "", _cell(sentence.strip()), [], None, hint))
                    days.append(day)
    if not rows:
        return lines, None, []
    for row in rows:
        row.wording = ""
    table, first_at, written = _timeline_table(rows, days, ["Time", "Event"], settings, report)
    report.mapped.append(
        f"Timeline: prose kept as written; {len(written)} moments it names as a table "
        f"in {settings.timezone}"
    )
    out = [*lines, "", "<!-- the moments the prose above names -->", "", *table]
    return out, first_at, written


@dataclass
class _Placed:
    """A row on its way into the table: when it happened, as far as the source says."""

    at: datetime | None
    dated: bool
    seconds: bool
    timed: bool
    cells: list[str]


def _paragraphs(lines: list[str], mask: list[bool]) -> list[str]:
    """The prose of ``lines`` as paragraphs, each on one line (code left out)."""
    out: list[str] = []
    current: list[str] = []
    for i, line in enumerate([*lines, ""]):
        if i < len(lines) and not mask[i] and line.strip():
            current.append(_strip_row(line))
            continue
        if current:
            out.append(" ".join(current))
            current = []
    return out


def _timeline_table(
    rows: list[_Row],
    days: list[date | None],
    header: list[str],
    settings: Settings,
    report: Report,
) -> tuple[list[str], datetime | None, list[str]]:
    """The rows as a table in the configured zone, in the order of their times.

    Rows are read in the source's order (a bare time takes the day of the row above, and
    one earlier than it is the next day); rows the source wrote out of order are then put
    in order, and the report names them."""
    placed = _place_rows(rows, days, settings.tz, report)
    order = sorted(
        range(len(placed)),
        key=lambda k: (
            placed[k].at or _latest_before(placed, k) or datetime.min.replace(tzinfo=timezone.utc),
            k,
        ),
    )
    if order != list(range(len(placed))):
        moved = [str(k + 1) for position, k in enumerate(order) if k != position]
        report.to_complete.append(
            f"Timeline rows {', '.join(moved)}: out of order in the source; put in order, "
            "check them"
        )
    if any(row.zone is not None for row in rows):
        # The source declared its zone; the rows are now in ours, and the column says so
        # (the checker reads the column's zone before any sentence above the table).
        header = [f"{header[0]} ({settings.timezone})", *header[1:]]
    table = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    written: list[str] = []
    previous_day: date | None = None
    first_at: datetime | None = None
    for k in order:
        row = placed[k]
        at = row.at
        # A row that named its day keeps it; a bare time stays bare unless the day changed.
        stamp = (
            ""
            if at is None
            else (
                f"{at:%Y-%m-%d %H:%M}" if row.dated or at.date() != previous_day else f"{at:%H:%M}"
            )
        )
        if at is not None and row.seconds:
            stamp += f":{at:%S}"
        if at is not None:
            previous_day = at.date()
            if row.timed:
                # A day without its time is placed, not known: it does not start anything.
                first_at = first_at or at
        table.append("| " + " | ".join([stamp or TBD, *row.cells]) + " |")
        written.append(stamp)
    return table, first_at, written


def _latest_before(placed: list[_Placed], k: int) -> datetime | None:
    """Where a row without any time stays: with the row above it."""
    return next((placed[j].at for j in range(k - 1, -1, -1) if placed[j].at), None)


def _place_rows(
    rows: list[_Row], days: list[date | None], tz: tzinfo, report: Report
) -> list[_Placed]:
    out: list[_Placed] = []
    previous: datetime | None = None
    for number, (row, day) in enumerate(zip(rows, days, strict=True), start=1):
        default_tz: tzinfo = row.zone if row.zone is not None else tz
        clock = row.clock
        at: datetime | None = None
        if clock is not None:
            when = clock.day
            known = day or (previous.date() if previous else None)
            if when is None and clock.month_day is not None and known is not None:
                # "Jan 14, 10:18 AM": the year of the incident, as the source states it.
                when = date(known.year, *clock.month_day)
            if when is None and day is not None and previous is not None:
                # A day named above the row (a heading, a label) wins over the row above's.
                previous_local = previous.astimezone(clock.tz or default_tz).date()
                when = day if day > previous_local else previous_local
            when = when or (previous.astimezone(clock.tz or default_tz).date() if previous else day)
            if when is not None:
                at = datetime.combine(when, clock.at, clock.tz or default_tz).astimezone(tz)
                if (
                    previous is not None
                    and at < previous
                    and clock.day is None
                    and clock.month_day is None
                ):
                    at += timedelta(days=1)
                    report.mapped.append(
                        f"Timeline row {number}: '{row.wording}' read as the next day"
                    )
        if at is None and row.marker:
            at = previous
            report.mapped.append(f"Timeline row {number}: the marker kept as a row")
        elif at is None:
            at = _placed(row, previous, day, tz)
            where = "kept without a time" if at is None else f"placed at {at:%Y-%m-%d %H:%M}"
            report.to_complete.append(
                f"Timeline row {number}: the time '{row.wording}' is not a time; {where}"
            )
        event = row.event
        moved = (
            at is not None
            and clock is not None
            and (
                at.time().replace(second=0) != clock.at.replace(second=0)
                or (clock.day is not None and at.date() != clock.day)
            )
        )
        if row.wording and (clock is None or not clock.plain or moved):
            event = f"({row.wording}) {event}".strip()
        event = f"{row.label} {event}".strip()
        if at is not None:
            previous = at
        dated = clock is not None and clock.day is not None
        seconds = clock is not None and clock.seconds
        out.append(_Placed(at, dated, seconds, clock is not None, [event, *row.cells]))
    # A marker above the first time marks that time.
    for k, (row, placed) in enumerate(zip(rows, out, strict=True)):
        if row.marker and placed.at is None:
            placed.at = next((later.at for later in out[k + 1 :] if later.at), None)
    return out


def _placed(row: _Row, previous: datetime | None, day: date | None, tz: tzinfo) -> datetime | None:
    """Where a row without a readable time goes: after the row above when that is on its
    day, else at the start of the day it names (or the incident's day)."""
    own_day = row.day_only or (None if previous else day)
    if previous is not None and (own_day is None or previous.date() == own_day):
        return previous
    if own_day is not None:
        return datetime.combine(own_day, time(0), tz)
    return None


# --- action items ----------------------------------------------------------------------


@dataclass
class _Item:
    action: str
    owner: str = ""
    due: str = ""
    priority: str = ""
    status: str = ""
    ticket: str = ""
    group: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    #: Which of the section's parts (its text before any subheading is 0) it came from.
    part: int = 0


def _action_items(lines: list[str], settings: Settings, report: Report) -> list[str]:
    """The section's action items, in whatever shape they were written, as one table.

    Items are list items (task boxes give the status), table rows, "Action item:" lines,
    and, in a section with neither list nor table, its paragraphs. A short list item whose
    own items are indented below it ("Testing" with its tests) names their group, as a
    subheading does."""
    mask = _code_mask(lines)
    items: list[_Item] = []
    extra_columns: list[str] = []
    groups: list[tuple[str, list[str]]] = [("", [])]
    group = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if mask[i]:
            groups[-1][1].append(line)
            i += 1
            continue
        heading = _ATX.match(line)
        if heading:
            group = heading[2].strip()
            groups.append((line, []))
            i += 1
            continue
        if (
            "|" in line
            and i + 1 < len(lines)
            and _DELIMITER.match(lines[i + 1])
            and "|" in lines[i + 1]
        ):
            head = [c.text for c in split_row(line, i + 1).cells]
            # A column under no name, or under one of ours already taken, is kept by position.
            named = [h.strip() or f"column {n}" for n, h in enumerate(head, start=1)]
            ours = [_column(h) for h in head]
            ours = [o if o not in ours[:n] else None for n, o in enumerate(ours)]
            if "Action" not in ours and None in ours:
                # A table without an action column: its first unnamed column says what to do.
                ours[ours.index(None)] = "Action"
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                cells = [c.text for c in split_row(lines[j], j + 1).cells]
                item = _Item("", group=_EMPHASIS.sub("", group), part=len(groups) - 1)
                # A row longer than its header keeps its extra cells in the action.
                cells[len(head) - 1 :] = [" ".join(cells[len(head) - 1 :])]
                for name, original, cell in zip(ours, named, cells, strict=False):
                    if name:
                        setattr(item, name.lower(), cell)
                    else:
                        item.extra[original] = cell
                        if original not in extra_columns:
                            extra_columns.append(original)
                items.append(item)
                j += 1
            groups[-1][1].append(f"<!-- imported from a table headed: {' | '.join(head)} -->")
            report.mapped.append(
                "Action Items: table columns "
                + ", ".join(f"{h} -> {o or 'kept'}" for h, o in zip(head, ours, strict=True))
            )
            i = j
            continue
        item_match = _ITEM.match(line)
        if item_match and len(item_match["indent"]) <= 1:
            text, children, k = _list_item(lines, i, mask)
            task = _TASK.match(text)
            status = ""
            if task:
                text = text[task.end() :].strip()
                status = "done" if task["done"] in "xX" else "open"
            if not text and not children:
                report.kept.append("Action Items: an empty list item kept as written")
                groups[-1][1].extend(lines[i:k])
                i = k
                continue
            name = _EMPHASIS.sub("", group)
            if children and not task and _names_a_group(text):
                # "Testing:" above its tests: the group of the items below it.
                name = _EMPHASIS.sub("", text).rstrip(":").strip()
                for child in children:
                    items.append(_action(child, "", name, len(groups) - 1, settings, group))
            else:
                text = " ".join([text, *children]).strip()
                items.append(_action(text, status, name, len(groups) - 1, settings, group))
            i = k
            continue
        if _LIST_LABEL.fullmatch(line.strip()) and _ITEM.match(_next_line(lines, i + 1)):
            # "Completed:" above a list names the items' group, as a subheading does.
            group = _group_name(line)
            groups.append((line, []))
            i += 1
            continue
        said = _ACTION_LINE.match(line)
        if said:
            state = _LABEL_STATES.get((said["bold"] or said["label"]).casefold(), "")
            name = _EMPHASIS.sub("", group)
            items.append(_action(line.strip(), state, name, len(groups) - 1, settings, group))
            i += 1
            continue
        groups[-1][1].append(line)
        i += 1
    if not items:
        items = _paragraph_items(groups, settings)
        if items:
            report.mapped.append("Action Items: each paragraph read as an item")
    if not items:
        if _has_text(lines):
            report.kept.append("Action Items: no list or table found; kept as written")
        return lines
    for item in items:
        _settle(item, settings)
        _fold(item, extra_columns)
    if extra_columns:
        report.mapped.append(
            "Action Items: columns " + ", ".join(extra_columns) + " kept in the action's text"
        )
    columns = ["Action", "Owner", "Due", "Priority", "Status", "Ticket"]
    table = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    blanks: dict[str, list[str]] = {}
    for number, item in enumerate(items, start=1):
        for key in ("owner", "due", "priority"):
            if not getattr(item, key).strip():
                setattr(item, key, TBD)
                blanks.setdefault(key, []).append(str(number))
        cells = [item.action, item.owner, item.due, item.priority, item.status, item.ticket]
        table.append("| " + " | ".join(cells) + " |")
    for key, numbers in blanks.items():
        report.to_complete.append(f"Action items {', '.join(numbers)}: {key}")
    report.action_items = len(items)
    report.mapped.append(f"Action Items: {len(items)} rows as a table")
    # The note naming the source's heading stays above the table, as in other sections.
    lead = groups[0][1]
    notes = lead[: _leading_comments(lead)]
    groups[0] = ("", lead[len(notes) :])
    out = [*notes, "", *table, ""]
    # A subheading stays when text follows it, or when no row carries it in the Group column.
    names = [_group_name(title) for title, _ in groups]
    carried = {item.part for item in items if item.group == names[item.part]}
    for number, (title_line, rest) in enumerate(groups):
        if any(line.strip() for line in rest) or (title_line and number not in carried):
            out += [title_line, *rest] if title_line else rest
    return out


def _fold(item: _Item, extra_columns: list[str]) -> None:
    """What has no column of ours goes into the action's text, where the checker reads it
    as the action's wording: the group first (``**Testing:** add a regression test``), the
    cells of other columns after it (``(Notes: done in the client)``)."""
    extras = [f"{name}: {item.extra[name]}" for name in extra_columns if item.extra.get(name)]
    if extras:
        item.action = f"{item.action} ({'; '.join(extras)})".strip()
    if item.group:
        item.action = f"**{item.group}:** {item.action}".strip()


def _group_name(line: str) -> str:
    """The name a subheading or a "Completed:" label gives the items below it."""
    heading = _ATX.match(line)
    if heading:
        return _EMPHASIS.sub("", heading[2].strip())
    return _EMPHASIS.sub("", line.strip()).rstrip(":").strip()


def _next_line(lines: list[str], start: int) -> str:
    """The next line with text (a blank line may sit between a label and its list)."""
    return next((line for line in lines[start : start + 3] if line.strip()), "")


def _list_item(lines: list[str], i: int, mask: list[bool]) -> tuple[str, list[str], int]:
    """A list item's text, the items of its own list indented below it, and where it ends."""
    item = _ITEM.match(lines[i])
    assert item is not None
    text = item["text"].strip()
    children: list[str] = []
    k = i + 1
    while k < len(lines) and not mask[k] and lines[k].startswith(("  ", "\t")) and lines[k].strip():
        if _ITEM.match(lines[k].strip()):
            children.append(_ITEM_TEXT.sub("", lines[k].strip()))
        elif children:
            children[-1] += " " + lines[k].strip()
        else:
            text += " " + lines[k].strip()
        k += 1
    return text, children, k


def _names_a_group(text: str) -> bool:
    """A short item such as "Testing" or "**QA:**" that heads the items below it."""
    clean = _EMPHASIS.sub("", text.strip()).rstrip(":").strip()
    return 0 < len(clean.split()) <= 4 and not clean.endswith(".")


def _paragraph_items(groups: list[tuple[str, list[str]]], settings: Settings) -> list[_Item]:
    """A section with neither list nor table: each paragraph is an item, taken out of the
    text it was in."""
    items: list[_Item] = []
    for number, (title_line, rest) in enumerate(groups):
        heading = _ATX.match(title_line)
        name = _EMPHASIS.sub("", heading[2].strip()) if heading else ""
        paragraph: list[str] = []
        kept: list[str] = []
        for line in [*rest, ""]:
            # Comments, images, HTML, a rule (``---``) and a list's empty item are not items.
            if line.strip() and not _NOT_AN_ITEM.match(line):
                paragraph.append(line.strip())
                continue
            if paragraph:
                items.append(_action(" ".join(paragraph), "", name, number, settings, name))
                paragraph = []
            kept.append(line)
        groups[number] = (title_line, kept[:-1])
    return items


def _action(
    text: str, status: str, group: str, part: int, settings: Settings, heading: str
) -> _Item:
    """One action item, its state read from its wording and from its group's name."""
    if not status and heading and _DONE_GROUP.search(heading):
        status = "done"
    item = _item(text, status, group, settings)
    item.part = part
    return item


def _leading_comments(lines: list[str]) -> int:
    """How many lines at the top are blank or ``<!-- ... -->`` comments."""
    count = 0
    for line in lines:
        if line.strip() and not re.fullmatch(r"\s*<!--.*-->\s*", line):
            break
        count += 1
    return count


def _settle(item: _Item, settings: Settings) -> None:
    """Status, priority and due date in the words the checker knows.

    A value with a match is rewritten (``Completed`` -> ``done``, ``High`` -> ``P1``); one
    without (``Q3`` as a due date) is left for a person. Either way the source's wording
    moves into the action, so nothing is lost."""
    notes = []
    status = item.status.strip()
    if status and status not in ACTION_STATUSES:
        notes.append(f"status: {status}")
        item.status = _ACTION_STATUS_WORDS.get(fold(status), "")
    priority = item.priority.strip()
    if priority and priority not in settings.priorities and priority != TBD:
        notes.append(f"priority: {priority}")
        item.priority = _priority_for(priority, settings.priorities)
    due = item.due.strip()
    if due and due != TBD and not _ISO_DAY.fullmatch(due):
        notes.append(f"due: {due}")
        item.due = ""
    if notes:
        item.action = f"{item.action} ({'; '.join(notes)})".strip()


def _priority_for(text: str, priorities: tuple[str, ...]) -> str:
    folded = fold(text).replace(" ", "")
    number = re.fullmatch(r"p?(\d)", folded)
    if number and f"P{number[1]}" in priorities:
        return f"P{number[1]}"
    index = _PRIORITY_WORDS.get(folded)
    return priorities[min(index, len(priorities) - 1)] if index is not None else ""


def _column(header: str) -> str | None:
    clean = _EMPHASIS.sub("", header.strip())
    if clean.casefold() in ("action", "owner", "due", "priority", "status", "ticket"):
        return clean.title()
    return column_for(clean)


def _item(text: str, status: str, group: str, settings: Settings) -> _Item:
    """A list item as an action item: the ticket pulled out; the owner, due date, priority
    and state when its wording gives them ("owner: Dana", "(@dana)", "due 2026-03-01",
    "(Estimated completion: March 3, 2026)", "(Completed)", a check mark)."""
    ticket = ""
    found = _TICKET.search(text)
    if found and (found.start() == 0 or found["key"]):
        ticket = found.group(0)
        if found.start() == 0:
            text = re.sub(r"^\s*[-–—:]\s*", "", text[found.end() :]).strip() or ticket
    owner = _OWNER.search(text)
    named = _LEAD_OWNER.match(text)
    priority = _PRIORITY.search(text)
    if not status:
        said = _STATE.search(text)
        status = _ACTION_STATUS_WORDS.get(fold(said["state"]), "") if said else ""
        status = status or ("done" if text.lstrip().startswith(("✅", "✔", "☑")) else "")
    who = owner["name"].strip() if owner else ""
    if not who and named and fold(named["name"] or "") not in _ACTION_STATUS_WORDS:
        who = (named["name"] or named["handle"]).strip()
    return _Item(
        _cell(text),
        who,
        _due(text),
        priority["p"] if priority and priority["p"] in settings.priorities else "",
        status,
        ticket,
        group,
    )


def _due(text: str) -> str:
    """The due date an item's wording gives, as ``YYYY-MM-DD``; empty when it gives none or
    only a month ("(Estimated completion: February 2024)" stays in the wording for a person)."""
    for match in _DUE.finditer(text):
        lead = _LEAD_DATE.match(match["rest"])
        found = read_day(lead["date"]) if lead else None
        if found is not None:
            return found.isoformat()
    return ""


# --- writing ---------------------------------------------------------------------------


def _render(front: list[str], sections: dict[str, list[str]], settings: Settings) -> str:
    out = ["---", *front, "---", ""]
    order = {name: i for i, name in enumerate(SECTIONS)}
    for name, lines in sorted(sections.items(), key=lambda kv: order.get(kv[0], len(order))):
        out += [f"## {name}", ""]
        body = _trim(lines)
        out += [*body, ""] if body else []
    mask = _code_mask(out)
    out = [line if mask[i] else _as_text(line) for i, line in enumerate(out)]
    # Runs of blank lines left by moved text are one blank line; inside code they stay.
    tidy = [
        line
        for i, line in enumerate(out)
        if mask[i] or line.strip() or i == 0 or out[i - 1].strip() or mask[i - 1]
    ]
    return "\n".join(tidy).rstrip("\n") + "\n"


# CommonMark's escapes of "<" and "&", which Python-Markdown reads as a backslash and markup.
_TEXT_ESCAPE = re.compile(r"(?<!\\)\\([<&])")
# "<START OF OUTAGE>": words in capitals between angle brackets, a marker in a timeline.
_CAPITALS = re.compile(r"\\?<(\s*([A-Z][A-Z0-9]*)(?:[ ,'-]+[A-Z0-9]+)*\s*)>")


def _as_text(line: str) -> str:
    """A line with what its author meant as text written as text for Python-Markdown, code
    spans left alone: ``\\<`` and ``\\&`` (CommonMark's escapes, which Python-Markdown does
    not read), and a bracketed marker in capitals whose first word is no element a page
    keeps (a browser would read ``<START OF OUTAGE>`` as an unknown element and show
    nothing)."""
    if "<" not in line and "&" not in line:
        return line
    parts = line.split("`")
    for index in range(0, len(parts), 2):  # outside code spans
        text = _CAPITALS.sub(
            lambda m: m[0] if m[2].lower() in TAGS else f"&lt;{m[1]}&gt;", parts[index]
        )
        parts[index] = _TEXT_ESCAPE.sub(lambda m: "&lt;" if m[1] == "<" else "&amp;", text)
    return "`".join(parts)


def _trim(lines: list[str]) -> list[str]:
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = len(lines)
    while end > start and not lines[end - 1].strip():
        end -= 1
    return [line.rstrip() for line in lines[start:end]]
