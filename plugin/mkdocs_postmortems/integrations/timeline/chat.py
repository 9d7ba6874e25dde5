"""Plain-text chat logs: IRC clients, and the text exports of Mattermost and Teams.

Two line shapes: ``[14:02] <alice> text`` (a bracketed time, a nick in angle brackets) and
``2024-01-21 14:02:11 alice: text`` (a time, a name and a colon). A line of the first shape
without a date takes the day of the last ``--- Day changed`` / ``--- Log opened`` line, or
the date in the file's name, or the day given by the caller. Joins, parts and other
client notices (``-!-``, ``***``, ``* alice joined``) are left out; a line that does not
start with a time continues the message above.

The times are read by the caller's ``read_time`` (the project's reader of times as people
write them), so this module knows the shapes of a log and nothing of clocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from mkdocs_postmortems.core.timeline_events import Event
from mkdocs_postmortems.integrations.timeline.exports import MAX_MESSAGE, ExportError


@dataclass(frozen=True)
class ChatTime:
    """What a log says of a time: a time of day and where its wording ends, a day, a zone
    (with its daylight saving rules when the name follows them: "Pacific Time")."""

    at: time | None
    day: date | None
    tz: tzinfo | None
    end: int


ReadTime = Callable[[str], "ChatTime | None"]

_BRACKETED = re.compile(r"\[([^\]]{4,40})\]\s*")
# The nick starts at its first letter: when it could start with a space too, a long run of
# spaces was read once for each of its spaces.
_NICK = re.compile(r"<[@+%~&]?\s*([^<>\s][^<>]{0,59}?)\s*>\s?")
_NAMED = re.compile(r"\s*([^:\s][^:]{0,60}?):\s")
_NOTICE = re.compile(r"\s*(?:-!-|\*\*\*|-->|<--|\*\s)")
_HEADER = re.compile(r"\s*---\s")
MAX_LINES = 500_000


def is_chat_log(text: str, read_time: ReadTime) -> bool:
    """Whether the first lines that say something are log lines with a time."""
    lines = [line for line in text.splitlines()[:50] if line.strip() and not _HEADER.match(line)]
    return bool(lines) and sum(_message(line, read_time) is not None for line in lines[:10]) >= min(
        3, len(lines)
    )


def read_log(
    text: str, name: str, read_time: ReadTime, tz: tzinfo, day: date | None
) -> list[Event]:
    """The messages of a log, as events; times without a zone are read in ``tz``."""
    named = read_time(name)
    day = (named.day if named is not None and named.day else None) or day
    zone: tzinfo = tz
    events: list[Event] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if number > MAX_LINES:
            raise ExportError(f"more than {MAX_LINES:,} lines; not read")
        if _HEADER.match(line):
            said = read_time(line.strip(" -"))
            if said is not None and said.day is not None:
                day = said.day
            if said is not None and said.tz is not None:
                zone = said.tz
            continue
        found = _message(line, read_time)
        if found is None:
            if events and line.strip() and _untimed(line, read_time):
                events[-1] = _continued(events[-1], line.strip())
            continue
        said, author, message = found
        if said.at is None or not author:
            continue
        on = said.day or day
        if on is None:
            raise ExportError(
                f"line {number}: no date for '{line[:40]}'; put it in the file name "
                "(incident-2024-01-21.log) or give --since"
            )
        at = datetime.combine(on, said.at, said.tz if said.tz is not None else zone)
        events.append(Event(at, message[:MAX_MESSAGE], author, "chat", "chat", str(number)))
    return events


def _message(line: str, read_time: ReadTime) -> tuple[ChatTime, str, str] | None:
    """A log line's time, author and text; None for any other line."""
    bracketed = _BRACKETED.match(line)
    if bracketed:
        said = read_time(bracketed.group(1))
        if said is None or said.at is None or said.end < len(bracketed.group(1).rstrip()):
            return None
        rest = line[bracketed.end() :]
    else:
        said = read_time(line)
        if said is None or said.at is None:
            return None
        rest = line[said.end :]
    if _NOTICE.match(rest):
        return None
    nick = _NICK.match(rest) or _NAMED.match(rest)
    if nick is None:
        return None
    return said, nick.group(1).strip(), rest[nick.end() :].strip()


def _untimed(line: str, read_time: ReadTime) -> bool:
    """A line that goes on the message above: no time of its own, no client notice."""
    if _BRACKETED.match(line) or _NOTICE.match(line):
        return False
    said = read_time(line)
    return said is None or said.at is None


def _continued(event: Event, more: str) -> Event:
    text = f"{event.text} {more}"[:MAX_MESSAGE]
    return Event(event.at, text, event.actor, event.source, event.kind, event.key)
