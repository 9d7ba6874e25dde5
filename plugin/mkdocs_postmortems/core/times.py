"""Times as people write them in write-ups, read into instants: one reader for the importer,
the checker's timeline rules and timeline drafting.

``7:09 AM Eastern``, ``13:06PM``, ``~6:00am PST``, ``21 January 2024 @ 01:30 UTC``,
``10/21/2023 14:05``, ``1306Z``, ``18:00-18:10 CET``, ``between 16:35 and 17:02 UTC``.

A zone abbreviation names a real zone with its daylight saving rules (``PST`` is
America/Los_Angeles) and the offset the abbreviation itself states (``PST`` is UTC-8). A
time is read as written: ``10:00 PST`` in June is UTC-8, and the reading says that the zone
kept UTC-7 that day, for a person to judge. A name without a season (``Pacific Time``,
``Eastern``) follows the zone's rules. What cannot be decided (``IST``: India, Ireland or
Israel; ``10/11/2023``: October or November) is a question in the reading, never a guess.

:class:`TimeContext` reads a sequence of lines or cells in order: a zone declared once
("All times are in PDT", "Timeline (UTC)", "Time (PST)") applies to what follows, the day of
a row carries to the next, a bare time far earlier than the row above is the next day, and
the year comes from the title, the file name or the front matter when the text omits it.

The reader is regular expressions over the text, not a general date parser: dateutil's and
dateparser's parsers guess (a day-first or month-first default, an unknown zone dropped) where
a post-mortem needs the doubt reported, and they are slower by one to two orders of magnitude
on a timeline's cells (see docs/writing.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from mkdocs_postmortems.core.zones import (
    ANY_CASE_NAMES,
    ZONE_PATTERN,
    Zone,
    alternation,
    declared_zone,
    hours_text,
    zone_named,
)

_H = timedelta(hours=1)


MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}
# Years a write-up's dates can name; "20202-01-16" is a typo, not the day of an incident.
PLAUSIBLE_YEARS = (1970, 2199)


_MONTH = alternation(MONTHS)
_WEEKDAY = alternation(_WEEKDAYS)
# "~", "≈", "±", "ca.", "approximately": the time is about that.
_APPROX = (
    r"(?:~\s*|≈\s*|±\s*|\bca\.?\s*|\bc\.\s*|\bapprox(?:imately|\.)?\s+|"
    r"\babout\s+|\baround\s+|\bat\s+)?"
)


def _clock(p: str) -> str:
    return (
        # "12.39UTC": a dot between hour and minutes only with a zone right after.
        rf"(?:(?P<{p}h>\d{{1,2}})(?::|h(?=\d{{2}})|\.(?=\d{{2}}\s?(?:{alternation(ANY_CASE_NAMES)})\b))"
        rf"(?P<{p}m>\d{{2}})"
        rf"(?::(?P<{p}s>\d{{2}})(?:[.,]\d+)?)?"
        rf"|(?P<{p}h12>\d{{1,2}})(?=\s*[ap]\.?m\b|\s*[ap]\.?m\.)"
        # Four digits alone ("1306 UTC"); not a year before a template's "-MM-DD".
        rf"|(?P<{p}hhmm>(?<![\d.:/-])(?:[01]\d|2[0-3])[0-5]\d)(?=\s*(?:Z\b|hrs?\b|UTC\b|GMT\b|[–—:|]|-(?!\d|[A-Z]{{2}}-)|$))"
        # A word of its own: "afternoon" is a part of the day, not noon.
        rf"|(?P<{p}word>(?<![a-z])(?:noon|midnight)\b))"
        rf"(?:\s*(?P<{p}ampm>[ap])\.?m\b\.?)?"
        # "At 3:30 PM, PST, we were paged": an abbreviation set off by a comma is the zone.
        rf"(?:(?:\s*|,\s?(?=[A-Z]{{2,5}}\b))(?P<{p}zone>{ZONE_PATTERN}))?"
    )


def _day(p: str) -> str:
    return (
        rf"(?:(?P<{p}wd>{_WEEKDAY})\.?,?\s+)?"
        r"(?:"
        rf"(?P<{p}iso>(?<!\d)\d{{4}})[-/](?P<{p}im>\d{{1,2}})[-/](?P<{p}id>\d{{1,2}})(?!\d)"
        rf"|(?P<{p}n1>(?<![\d.:])\d{{1,2}})(?P<{p}sep>[/.])(?P<{p}n2>\d{{1,2}})"
        rf"(?:(?P={p}sep)(?P<{p}ny>\d{{4}}|\d{{2}}))?(?![\d:/])"
        # "27-05-2025", "01-10-2024": dashes only with the year, or "10-15 minutes" is a day.
        rf"|(?P<{p}d1>(?<![\d.:-])\d{{1,2}})-(?P<{p}d2>\d{{1,2}})-(?P<{p}dy4>\d{{4}})(?![\d:-])"
        rf"|(?P<{p}mon>{_MONTH})\.?\s+(?P<{p}md>\d{{1,2}})(?:st|nd|rd|th)?(?:[-–]\d{{1,2}}(?!:))?(?!\d|:)"
        # The year, not a clock's first digits: "May 5 2025:" ends a label, "2025:30" is none.
        rf"(?:,?\s+(?P<{p}my>\d{{4}})(?!\d|:(?!\s|$)))?"
        rf"|(?P<{p}dm>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+(?P<{p}mon2>{_MONTH})\.?"
        rf"(?:,?[\s-]+(?P<{p}dy>\d{{4}})(?!\d|:(?!\s|$)))?"
        r")"
    )


# Between a date and its time: a comma, "at", "@", "T", a dash or a bar, or spaces alone;
# each run of spaces read once ("\s*" before "\s+at" read a long run once per space).
_SEP = r"(?:\s*(?:,\s*|@\s*|T|\|\s*)|\s+(?:at\s+|-\s+)?)"
_RANGE = r"\s*(?:-|–|—|\bto\b|\buntil\b|\btill\b|\band\b)\s*"
_EXPRESSION = re.compile(
    r"(?P<around>~\s*|≈\s*|±\s*)?"
    rf"(?:(?P<date>{_day('a')})(?:{_SEP}))?"
    r"(?P<from>\bfrom\s+|\bbetween\s+)?"
    rf"(?P<approx>{_APPROX})"
    rf"(?P<time>{_clock('t')})"
    rf"(?:{_RANGE}{_APPROX}(?P<until>{_clock('u')}))?"
    # A day after the time, in words or in brackets: "14:05 on April 3", "23:00 UTC
    # (*April 5*)". Each run of spaces is read once ("\s*(?:,|\bon\b)?\s*" would be two
    # runs side by side: a time followed by a long run of spaces took seconds).
    r"(?:\s*(?:(?:,|\bon\b|\((?:\s*[*_]{1,2})?)\s*)?"
    rf"(?P<after>{_day('b')})(?:[*_]{{0,2}}\s*\))?)?",
    re.IGNORECASE,
)
_DATE_ONLY = re.compile(_day("a"), re.IGNORECASE)
_MAY_HOLD_TIME = re.compile(r"\d|noon|midnight", re.IGNORECASE)
_PLAIN = re.compile(r"(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}(:\d{2})?")


@dataclass(frozen=True)
class WrittenDay:
    """A date as written: the year if given, and each (month, day) it can mean."""

    year: int | None
    options: tuple[tuple[int, int], ...]
    weekday: int | None
    text: str
    #: ``mdy`` or ``dmy`` when the date can only be read one way (``10/21/2023``).
    proves: str | None = None


@dataclass(frozen=True)
class Clock:
    """A time of day as written, with its zone if one follows it."""

    at: time
    seconds: bool
    meridiem: str
    zone: Zone | None


@dataclass(frozen=True)
class Expression:
    """A time expression as written, not yet placed on a day or in a zone."""

    start: int
    end: int
    text: str
    day: WrittenDay | None
    clock: Clock
    until: Clock | None
    approximate: bool
    invalid: str | None = None

    @property
    def zone(self) -> Zone | None:
        return self.clock.zone or (self.until.zone if self.until else None)

    @property
    def plain(self) -> bool:
        """``HH:MM`` or ``YYYY-MM-DD HH:MM``, as the checker has always read it."""
        return _PLAIN.fullmatch(self.text) is not None


@dataclass(frozen=True)
class Reading:
    """An expression placed: the instant (None when it cannot be decided), the range's end,
    and what a person should look at (``question``: undecided; ``note``: decided, but the
    wording contradicts itself)."""

    expression: Expression
    at: datetime | None
    until: datetime | None = None
    question: str | None = None
    note: str | None = None
    next_day: bool = False

    @property
    def text(self) -> str:
        return self.expression.text


# --- reading expressions -----------------------------------------------------------------


def parse(text: str, pos: int = 0) -> Expression | None:
    """The time expression that starts at ``pos`` in ``text``, or None."""
    match = _EXPRESSION.match(text, pos)
    if match is None:
        return None
    return _expression(match)


def find(text: str) -> list[Expression]:
    """Every time expression in running text, in order ("from 11:13 AM to 11:48 AM PDT")."""
    # Every time has a digit or is noon or midnight: prose without one costs one scan.
    if _MAY_HOLD_TIME.search(text) is None:
        return []
    found = []
    for match in _EXPRESSION.finditer(text):
        # A bare number ("2 pm" aside) inside prose is not a time: "version 1.2", "3/4".
        spelled = match["th"] or match["th12"] or match["tword"]
        if not spelled and (match["thhmm"] is None or not (match["tzone"] or match["date"])):
            continue
        expression = _expression(match)
        if expression is not None:
            found.append(expression)
    return found


def _expression(match: re.Match[str]) -> Expression | None:
    start = match.start()
    clock = _read_clock(match, "t")
    if clock is None:
        return None
    until = _read_clock(match, "u") if match["until"] else None
    invalid = None
    if match["until"] and until is None:
        invalid = f"'{match['until']}' is not a time of day"
    if until is not None and until.meridiem and not clock.meridiem and clock.at.hour <= 12:
        clock = _meridiem_from(clock, until)
    if until is not None and until.zone is not None and clock.zone is None:
        clock = replace(clock, zone=until.zone)
    day = _read_day(match, "a") if match["date"] else None
    if match["thhmm"] and day is not None and day.year is None and _a_year(match):
        return None  # "December 4, 2024": four digits after a day are its year, not 20:24
    if day is None and match["after"]:
        day = _read_day(match, "b")
    end = match.end()
    if (match["date"] or match["after"]) and day is None:
        if match["after"] and not match["date"]:
            end = match.start("after")
        else:
            return None
    return Expression(
        start,
        end,
        match.string[start:end].strip().rstrip(","),
        day,
        clock,
        until,
        bool(match["around"])
        or (bool(match["approx"].strip()) and match["approx"].strip().lower() != "at"),
        invalid,
    )


def _a_year(match: re.Match[str]) -> bool:
    """Whether the four digits after a day are its year: a year takes no zone, and a clock
    with one that no incident's year could be ("Feb 8 0117 UTC", "Feb 7 1506 UTC") is a
    time of day."""
    return not match["tzone"] or _YEARS_OF_INCIDENTS.start <= int(match["thhmm"]) < (
        _YEARS_OF_INCIDENTS.stop
    )


# The years a write-up's incident can have: computers' incidents, up to this century's end.
_YEARS_OF_INCIDENTS = range(1970, 2100)


def _read_clock(match: re.Match[str], p: str) -> Clock | None:
    ampm = (match[p + "ampm"] or "").lower()
    word = match[p + "word"]
    if word:
        at = time(12) if word.lower() == "noon" else time(0)
        return Clock(at, False, "", _zone(match[p + "zone"]))
    if match[p + "hhmm"]:
        hour, minute, second = int(match[p + "hhmm"][:2]), int(match[p + "hhmm"][2:]), 0
    else:
        hour = int(match[p + "h"] if match[p + "h"] is not None else match[p + "h12"])
        minute = int(match[p + "m"] or 0)
        second = int(match[p + "s"] or 0)
    if match[p + "h12"] is not None and not ampm:
        return None
    if ampm:
        # "13:06PM" and "00:30 AM" say the same thing twice; "13:06AM", "00:30 PM" and
        # "13pm" are no times.
        if hour > 12 or hour == 0:
            if ampm == ("a" if hour > 12 else "p") or match[p + "h12"] is not None:
                return None
        else:
            hour = hour % 12 + (12 if ampm == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return Clock(
        time(hour, minute, second),
        match[p + "s"] is not None,
        ampm,
        _zone(match[p + "zone"]),
    )


def _meridiem_from(clock: Clock, until: Clock) -> Clock:
    """The start of ``11:13-11:48 AM`` takes the end's meridiem; ``11:30-1:15 PM`` starts
    before noon, since 11:30 PM would come after the end."""
    same = (clock.at.hour % 12) + (12 if until.meridiem == "p" else 0)
    other = (clock.at.hour % 12) + (0 if until.meridiem == "p" else 12)
    hour = same if time(same, clock.at.minute) <= until.at else other
    return replace(clock, at=clock.at.replace(hour=hour), meridiem=until.meridiem)


def _zone(written: str | None) -> Zone | None:
    return zone_named(written) if written else None


def _read_day(match: re.Match[str], p: str) -> WrittenDay | None:
    text = _group_text(match, p)
    weekday = _WEEKDAYS.get((match[p + "wd"] or "").lower().rstrip("."))
    if match[p + "iso"]:
        year, month, day = int(match[p + "iso"]), int(match[p + "im"]), int(match[p + "id"])
        return _written(year, ((month, day),), weekday, text)
    if match[p + "n1"] or match[p + "d1"]:
        dashed = match[p + "d1"] is not None
        first = int(match[p + "d1"] if dashed else match[p + "n1"])
        second = int(match[p + "d2"] if dashed else match[p + "n2"])
        short = match[p + "dy4"] if dashed else match[p + "ny"]
        given = None if short is None else int(short) + (2000 if len(short) == 2 else 0)
        written = _group_text(match, p)
        if not dashed and match[p + "sep"] == ".":
            if given is None:
                return None  # "1.2" is a version, not a day
            # "21.01.2024" is day-first wherever dots are written.
            return _written(given, ((second, first),), weekday, written)
        found = _written(
            given, tuple(dict.fromkeys(((first, second), (second, first)))), weekday, written
        )
        if found is not None and first != second and len(found.options) == 1:
            found = replace(found, proves="mdy" if found.options[0] == (first, second) else "dmy")
        return found
    month_name = match[p + "mon"] or match[p + "mon2"]
    number = int(match[p + "md"] or match[p + "dm"])
    year_text = match[p + "my"] or match[p + "dy"]
    return _written(
        int(year_text) if year_text else None,
        ((MONTHS[month_name.lower()], number),),
        weekday,
        _group_text(match, p),
    )


def _group_text(match: re.Match[str], p: str) -> str:
    """The wording of the date a prefix's groups read (the whole match for a date alone)."""
    group = {"a": "date", "b": "after"}[p] if "date" in match.re.groupindex else 0
    return (match[group] or "").strip().rstrip(",")


def _written(
    year: int | None,
    options: tuple[tuple[int, int], ...],
    weekday: int | None,
    text: str,
) -> WrittenDay | None:
    valid = tuple(o for o in options if _valid(year or 2000, *o))
    if not valid or (year is not None and not PLAUSIBLE_YEARS[0] <= year <= PLAUSIBLE_YEARS[1]):
        return None
    return WrittenDay(year, valid, weekday, text)


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def read_date(text: str, order: str | None = None) -> date | None:
    """The first full, undoubted date in ``text`` (``2025-10-21``, ``October 21, 2025``,
    ``21 Oct 2025``, ``21.10.2025``; ``10/21/2025`` when only one order is a date, and
    ``01-10-2024`` when ``order`` says which: ``mdy`` or ``dmy``, see :func:`numeric_order`)."""
    for match in _DATE_ONLY.finditer(text):
        day = _read_day(match, "a")
        if day is None or day.year is None:
            continue
        options = day.options
        if len(options) == 2 and order is not None:
            options = options[:1] if order == "mdy" else options[1:]
        if len(options) != 1:
            continue
        return date(day.year, *options[0])
    return None


def written_days(text: str, year: int) -> list[date]:
    """Every date ``text`` writes that reads one way, in order (``Nov 26``, ``2025-12-04``,
    ``21 October``); one without a year is taken in ``year``."""
    days = []
    for match in _DATE_ONLY.finditer(text):
        day = _read_day(match, "a")
        if day is None or len(day.options) != 1:
            continue
        full = day.year or year
        if _valid(full, *day.options[0]):
            days.append(date(full, *day.options[0]))
    return days


def undecided_date(text: str, order: str | None = None) -> bool:
    """Whether ``text`` writes a full date that reads two ways (``11-01-2026`` with no
    ``order``): a day to ask about, never to take from the rows around it."""
    for match in _DATE_ONLY.finditer(text):
        day = _read_day(match, "a")
        if day is not None and day.year is not None and len(day.options) == 2:
            return order is None
    return False


def numeric_order(lines: Iterable[str]) -> str | None:
    """Whether a document writes its numeric dates month first (``mdy``) or day first
    (``dmy``), as the dates that can be read only one way show (``01-31-2024``,
    ``29-09-2021``); None when none shows it, or when they disagree."""
    found = set()
    for line in lines:
        if not any(c.isdigit() for c in line):
            continue
        for match in _DATE_ONLY.finditer(line):
            day = _read_day(match, "a")
            if day is not None and day.proves is not None:
                found.add(day.proves)
    return found.pop() if len(found) == 1 else None


# --- placing expressions in a context ------------------------------------------------------


@dataclass
class TimeContext:
    """What the lines read so far say about the times below them.

    ``tz`` is the zone of times that name none and follow no declaration (the file's or the
    configured zone); ``day`` the day of the row above; ``year`` the year the title, the file
    name or the front matter gives; ``order`` whether numeric dates are ``mdy`` or ``dmy``,
    once a date such as ``10/21/2023`` has decided it.
    """

    tz: tzinfo
    zone: Zone | None = None
    day: date | None = None
    year: int | None = None
    order: str | None = None
    previous: datetime | None = None
    #: The day the text is written on, that "this morning" and "yesterday" count from.
    today: date | None = None
    #: When the text was written (a post's stamp with its zone), if known: its day where
    #: the author is, read in the zone the sentence writes its times in, outranks ``today``.
    written: datetime | None = None
    _sentence_zone: Zone | None = None
    #: Whether a zone written after a time holds for the bare times after it, as a reader
    #: of prose takes "At 10:15 AM PST the cache failed ... At 10:31 AM we were paged".
    carry_zone: bool = False
    _carried: Zone | None = None
    #: What a person must decide (``IST``, ``10/11/2023``), in the order met.
    questions: list[str] = field(default_factory=list)
    #: Times read as written against the zone's rules (``PST`` in June), in the order met.
    notes: list[str] = field(default_factory=list)

    def declare(self, line: str) -> Zone | None:
        """Take the zone ``line`` declares, if any, for the times that follow."""
        zone = declared_zone(line)
        if zone is not None:
            self.zone = zone
        return zone

    def see_day(self, line: str) -> date | None:
        """A heading or label that names a day ("### 2016-11-07") dates the rows below."""
        match = _DATE_ONLY.search(line)
        if match is None:
            return None
        written = _read_day(match, "a")
        found = self._day_of(written)[0] if written is not None else None
        if found is not None:
            self.day = found
            self.previous = None
        return found

    def read(self, text: str, pos: int = 0) -> Reading | None:
        """The time at ``pos`` of ``text`` (a row's start, a cell), placed after the rows
        read before it; None when no time starts there."""
        expression = parse(text, pos)
        if expression is None:
            return None
        return self.place(expression)

    def place(self, expression: Expression) -> Reading:
        """``expression`` as an instant in this context, and the context moved to it."""
        if expression.invalid:
            return Reading(expression, None, question=expression.invalid)
        day, question = self._day_of(expression.day)
        if question is not None:
            return self._ask(Reading(expression, None, question=question))
        written_day = expression.day is not None
        if day is None:
            day = self.day
        if day is None:
            return Reading(expression, None)
        zone = expression.zone or self.zone
        self._carry(expression.zone)
        at, question, note = place(day, expression.clock.at, zone, self.tz)
        if at is None:
            return self._ask(Reading(expression, None, question=question))
        next_day = False
        if not written_day and self.previous is not None and self.previous - at > 12 * _H:
            # A bare time half a day before the row above is past midnight.
            day = day + timedelta(days=1)
            at, question, note = place(day, expression.clock.at, zone, self.tz)
            if at is None:
                return self._ask(Reading(expression, None, question=question))
            next_day = True
        until = None
        if expression.until is not None:
            until, _, _ = place(day, expression.until.at, expression.until.zone or zone, self.tz)
            if until is not None and until < at:
                until, _, _ = place(
                    day + timedelta(days=1),
                    expression.until.at,
                    expression.until.zone or zone,
                    self.tz,
                )
        self.previous = at
        self.day = day
        if note:
            self.notes.append(note)
        return Reading(expression, at, until, None, note, next_day)

    def find(self, text: str) -> list[Reading]:
        """Every time in a sentence or paragraph, placed in order; a date written before a
        time ("On November 5th, 2024 we had an outage ... around 11:00 GMT") is its day."""
        readings = []
        last = 0
        expressions = list(find(text))
        # "Yesterday ... from 09:10 to 10:40 (Pacific Time)": the day of writing where the
        # author is, named by the zone the sentence writes its times in.
        self._sentence_zone = next((e.zone for e in expressions if e.zone is not None), None)
        for expression in expressions:
            before = text[last : expression.start]
            self.see_dates(before)
            if expression.day is None:
                # "At around 3am UTC of the following night", "10:45am this morning".
                moved = self._relative(before, text[expression.end : expression.end + 60])
                if moved is not None and moved != self.day:
                    self.day = moved
                    self.previous = None
            readings.append(self.place(expression))
            last = expression.end
        return readings

    def _relative(self, before: str, after: str) -> date | None:
        """The day a phrase right before or after a time names: the day carried moved by
        "the next day" or "the evening before", or the day of writing named by "this
        morning", "today" or "yesterday"; None for no such phrase."""
        found = _RELATIVE_BEFORE.search(before) or _RELATIVE_AFTER.match(after)
        if found is None:
            return None
        if found["today"] or found["yesterday"]:
            back = timedelta(days=1 if found["yesterday"] else 0)
            today = self._today()
            return today - back if today is not None else None
        if self.day is None:
            return None
        return self.day + timedelta(days=1 if found["next"] else -1)

    def _today(self) -> date | None:
        """The day the text was written on, where its author is."""
        zone = self._sentence_zone or self.zone or self._carried
        if self.written is not None and zone is not None and zone.tz is not None:
            return self.written.astimezone(zone.tz).date()
        return self.today

    def see_dates(self, text: str) -> None:
        """The day a stretch of prose names, for the times after it: a date with its year or
        its month in words, never bare numbers ("upgraded to 1.16" is a version)."""
        # "Yesterday the index was down ...": the sentences after it are of that day too.
        today = self._today()
        named = list(_WRITING_DAY.finditer(text)) if today is not None else []
        if named and today is not None:
            back = timedelta(days=1 if named[-1]["yesterday"] else 0)
            if today - back != self.day:
                self.day = today - back
                self.previous = None
        if not any(c.isdigit() for c in text):
            return
        for match in _DATE_ONLY.finditer(text):
            written = _read_day(match, "a")
            if written is None or not (written.year or any(c.isalpha() for c in written.text)):
                continue
            if named and match.start() < named[-1].start():
                continue
            found = self._day_of(written)[0]
            if found is not None and found != self.day:
                self.day = found
                self.previous = None
        if self.carry_zone:
            # A sentence passed over still says which zone its author writes in.
            for expression in find(text):
                self._carry(expression.zone)

    def _carry(self, written: Zone | None) -> None:
        """The zone a time was written in, for the bare times after it, when nothing
        declared one; a second, different zone ("10:00 UTC (3:00 AM PDT)") leaves the
        bare times to the default, as it cannot tell which one they are in."""
        if not self.carry_zone or written is None or written.tz is None:
            return
        if self.zone is None and self._carried is None:
            self.zone = self._carried = written
        elif self._carried is not None and _offset(written) != _offset(self._carried):
            self.zone = None
            self.carry_zone = False

    def _ask(self, reading: Reading) -> Reading:
        if reading.question:
            self.questions.append(reading.question)
        return reading

    def _day_of(self, written: WrittenDay | None) -> tuple[date | None, str | None]:
        """The day ``written`` names in this context, or the question it leaves open."""
        if written is None:
            return None, None
        if written.proves is not None:
            self.order = written.proves
        year = written.year or self.year or (self.day.year if self.day else None)
        if year is None:
            return None, f"'{written.text}' names no year; write the date in full"
        options = [o for o in written.options if _valid(year, *o)]
        if len(options) > 1:
            options = self._ordered(written, options, year)
        if not options:
            return None, f"'{written.text}' is not a date"
        if len(options) > 1:
            readings = " or ".join(f"{o[1]} {date(year, *o):%B}" for o in options)
            return None, (
                f"'{written.text}' is {readings}; write the date as year-month-day "
                f"({date(year, *options[0])}) or name the month"
            )
        found = date(year, *options[0])
        if written.weekday is not None and found.weekday() != written.weekday:
            return None, f"'{written.text}' names a weekday that {found} is not"
        late = self.previous is not None and found < self.previous.date() - timedelta(days=180)
        if written.year is None and late:
            # "Dec 31 23:50" then "Jan 1 00:10": the new year.
            found = found.replace(year=found.year + 1)
        return found, None

    def _ordered(
        self, written: WrittenDay, options: list[tuple[int, int]], year: int
    ) -> list[tuple[int, int]]:
        """Of a numeric date's two readings, the one the weekday or the document decides."""
        if written.weekday is not None:
            matching = [o for o in options if date(year, *o).weekday() == written.weekday]
            if matching:
                return matching
        if self.order is not None:
            return [options[0] if self.order == "mdy" else options[1]]
        return options


_PART = r"(?:day|night|morning|afternoon|evening)"
_NEXT = rf"(?:the\s+)?(?:next|following)\s+{_PART}|the\s+{_PART}\s+after"
_PREVIOUS = rf"(?:the\s+)?(?:previous|prior|preceding)\s+{_PART}|the\s+{_PART}\s+before"
_TODAY = r"today|this\s+(?:morning|afternoon|evening)|tonight|earlier\s+today"
_RELATIVE = (
    rf"(?P<next>{_NEXT})|(?P<previous>{_PREVIOUS})|(?P<today>{_TODAY})|(?P<yesterday>yesterday)"
)
_WRITING_DAY = re.compile(rf"\b(?:(?P<today>{_TODAY})|(?P<yesterday>yesterday))\b", re.IGNORECASE)
_RELATIVE_BEFORE = re.compile(
    rf"\b(?:{_RELATIVE})\W*(?:at|around|about|by|from)?\s*$", re.IGNORECASE
)
_RELATIVE_AFTER = re.compile(
    # "at 18:00 UTC the next day", "3am UTC of the following night"; not "at 10:00 UTC, the
    # next day we shipped a fix" (a new clause of its own).
    rf"\s*(?:(?:of|on|in|during)\s+)?(?:{_RELATIVE})\b",
    re.IGNORECASE,
)


def place(
    day: date, at: time, zone: Zone | None, default: tzinfo
) -> tuple[datetime | None, str | None, str | None]:
    """A time of day on ``day`` in ``zone`` (or ``default``): the instant, a question when it
    cannot be decided, and a note when the wording contradicts the zone's rules that day."""
    if zone is not None and zone.tz is None:
        local = _meaning_in(zone, day, at, default)
        if local is not None:
            return local, None, None
        return (
            None,
            (
                f"'{zone.written}' may mean {', '.join(zone.meanings)}; declare the zone "
                "(`timezone:` or a line such as 'All times are in Asia/Kolkata')"
            ),
            None,
        )
    if zone is not None and zone.offset is not None:
        moment = datetime.combine(day, at, timezone(zone.offset))
        return moment, None, zone.contradiction(moment)
    tz = zone.tz if zone is not None and zone.tz is not None else default
    early = datetime.combine(day, at, tz)
    late = early.replace(fold=1)
    if early.utcoffset() == late.utcoffset():
        return early, None, None
    round_trip = early.astimezone(timezone.utc).astimezone(tz)
    if round_trip.replace(tzinfo=None) != early.replace(tzinfo=None):
        return None, f"{at:%H:%M} does not exist on {day} in {tz} (the clocks went forward)", None
    return (
        None,
        (
            f"{at:%H:%M} happened twice on {day} in {tz} (the clocks went back); write the "
            "offset, such as "
            f"{at:%H:%M}{hours_text(early.utcoffset() or timedelta(0))} or {hours_text(late.utcoffset() or timedelta(0))}"
        ),
        None,
    )


def _offset(zone: Zone) -> object:
    """What a zone's name means for comparing two names: its stated offset, or its zone."""
    return zone.offset if zone.offset is not None else zone.tz


def _meaning_in(zone: Zone, day: date, at: time, default: tzinfo) -> datetime | None:
    """An ambiguous abbreviation decided by the file's zone, when that zone goes by it."""
    moment = datetime.combine(day, at, default)
    if moment.tzname() == zone.written.strip("()").upper():
        return moment
    return None
