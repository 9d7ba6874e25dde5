"""What the register formats share: JSON with the position of every incident, fields read
as text, and an incident built while its problems are collected instead of raised."""

from __future__ import annotations

import bisect
import json
import re
import sys
from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any

from mkdocs_postmortems.core.dates import parse_datetime
from mkdocs_postmortems.core.findings import Position
from mkdocs_postmortems.core.register import (
    REGISTER_INVALID_TIME,
    REGISTER_MISSING_FIELD,
    REGISTER_UNREADABLE,
    Incident,
    Problem,
)

Entries = Iterator[Incident | Problem]


_SPACE = re.compile(r"[ \t\n\r]*")


class JsonDocument:
    """A register's JSON, with the line and column of its ``incidents`` list and of each
    incident in it.

    The standard decoder keeps no positions. Its pure-Python scanner could be made to, at
    fifteen times the cost (2.4 s for 5,000 incidents, paid by every command). Instead the
    document is decoded at C speed, then the list is walked element by element, each one
    decoded (again at C speed) from the offset where it starts: 0.11 s for the same file,
    1.7 times ``json.loads`` alone.
    """

    def __init__(self, text: str, key: str = "incidents") -> None:
        self.data: Any = json.loads(text)
        self._text = text
        self._line_starts: list[int] | None = None
        self.list_offset = _SPACE.match(text).end()  # type: ignore[union-attr]
        self.item_offsets: list[int] = []
        if isinstance(self.data, dict) and isinstance(self.data.get(key), list):
            self._locate(key)

    def _locate(self, key: str) -> None:
        """Find the list under ``key`` in the top-level object, and where each item starts.

        The text is valid JSON (it was just decoded), so the walk needs no error handling.
        A key given twice counts as JSON decoding counts it: the last one wins.
        """
        text, raw_decode = self._text, json.JSONDecoder().raw_decode

        def space(at: int) -> int:
            return _SPACE.match(text, at).end()  # type: ignore[union-attr]

        at = space(self.list_offset) + 1  # past the object's "{"
        while text[space(at)] != "}":
            name, at = raw_decode(text, space(at))
            at = space(space(at) + 1)  # past ":"
            if name == key:
                self.list_offset, offsets = at, []
                at += 1  # past "["
                while text[space(at)] != "]":
                    offsets.append(space(at))
                    _, at = raw_decode(text, space(at))
                    at = space(at)
                    at += text[at] == ","
                at = space(at) + 1  # past "]"
                self.item_offsets = offsets
            else:
                _, at = raw_decode(text, at)
            at = space(at)
            at += text[at] == ","

    def list_pos(self) -> Position:
        """Where the ``incidents`` list starts (the document's start when there is none)."""
        return self._pos(self.list_offset)

    def item_pos(self, index: int) -> Position:
        """Where the ``index``-th incident starts."""
        return self._pos(self.item_offsets[index])

    def _pos(self, offset: int) -> Position:
        if self._line_starts is None:
            text = self._text
            self._line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        line = bisect.bisect_right(self._line_starts, offset)
        return Position(line, offset - self._line_starts[line - 1] + 1)


def parse_json(text: str, expected: str) -> JsonDocument | Problem:
    """The document, or a problem at the place the JSON breaks."""
    try:
        return JsonDocument(text)
    except json.JSONDecodeError as exc:
        return Problem(
            REGISTER_UNREADABLE,
            Position(exc.lineno, exc.colno),
            f"the register is not JSON ({exc.msg}); expected {expected}",
        )
    except RecursionError:
        return Problem(REGISTER_UNREADABLE, Position(1), "the register's JSON is nested too deeply")
    except ValueError:
        # Python converts at most ``sys.get_int_max_str_digits()`` digits to an integer.
        return Problem(
            REGISTER_UNREADABLE,
            long_number_pos(text),
            f"the register holds a number of more than {max_digits()} digits; no real "
            "field is that long",
        )


def max_digits() -> int:
    """The most digits Python turns into an integer (4,300 by default)."""
    digits: int = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
    return digits


def long_number_pos(text: str) -> Position:
    """Where the first integer too long to convert starts (strings and the digits of a
    fraction or an exponent are skipped: those never fail)."""
    integer = rf"(?<![\d.eE+])-?\d{{{max_digits() + 1},}}(?![\d.eE])"
    for found in re.finditer(rf'"(?:[^"\\]|\\.)*"|({integer})', text):
        if found.group(1):
            at = found.start(1)
            line_start = text.rfind("\n", 0, at) + 1
            return Position(text.count("\n", 0, at) + 1, at - line_start + 1)
    return Position(1)


def incident_list(doc: JsonDocument, expected: str) -> list[Any] | Problem:
    """The ``incidents`` list both APIs answer with."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("incidents"), list):
        return Problem(
            REGISTER_UNREADABLE,
            doc.list_pos(),
            f'the register is JSON but not {expected}: no top-level "incidents" list',
        )
    items: list[Any] = data["incidents"]
    return items


def other_format(
    doc: JsonDocument, items: list[Any], marks: tuple[str, ...], name: str, setting: str
) -> Problem | None:
    """A problem when the first incident has the other API's fields and none of ours: a
    register in the wrong format would otherwise fail once per incident."""
    first = items[0] if items else None
    if isinstance(first, dict) and all(key in first for key in marks):
        return Problem(
            REGISTER_UNREADABLE,
            doc.item_pos(0),
            f"this looks like {name}'s incident list; set register.format: {setting}",
        )
    return None


def json_incidents(
    text: str, expected: str, other: tuple[tuple[str, ...], str, str]
) -> Iterator[Problem | tuple[Position, str, dict[str, Any]]]:
    """Each incident object of an API's JSON incident list, with its position and JSON path;
    a problem for what is not one: no JSON, no ``incidents`` list, the other API's list
    (``other``: its marking fields, its name, its format setting), an item not an object."""
    doc = parse_json(text, expected)
    if isinstance(doc, Problem):
        yield doc
        return
    items = incident_list(doc, expected)
    if isinstance(items, Problem):
        yield items
        return
    mismatch = other_format(doc, items, *other)
    if mismatch is not None:
        yield mismatch
        return
    for index, item in enumerate(items):
        where = f"$.incidents[{index}]"
        if isinstance(item, dict):
            yield doc.item_pos(index), where, item
        else:
            yield Problem(
                REGISTER_UNREADABLE, doc.item_pos(index), f"{where} is not an incident object"
            )


def text_field(item: dict[str, Any], key: str) -> str:
    """A string or number field, trimmed; "" when absent or of another type."""
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    return str(value).strip()


def nested_text(item: dict[str, Any], key: str, inner: str) -> str:
    """``item[key][inner]`` as text (``priority.summary``); "" when any part is missing."""
    value = item.get(key)
    return text_field(value, inner) if isinstance(value, dict) else ""


class Entry:
    """Builds one incident from a record, collecting problems instead of raising."""

    def __init__(self, pos: Position, where: str, tz: tzinfo) -> None:
        self.pos, self.where, self.tz = pos, where, tz
        self.problems: list[Problem] = []

    def required(self, value: str, name: str) -> str:
        if not value:
            self.problems.append(
                Problem(REGISTER_MISSING_FIELD, self.pos, f"{self.where}: no {name}")
            )
        return value

    def time(self, value: Any, name: str, *, required: bool) -> datetime | None:
        if value is None or value == "":
            if required:
                self.problems.append(
                    Problem(REGISTER_MISSING_FIELD, self.pos, f"{self.where}: no {name}")
                )
            return None
        if not isinstance(value, str):
            value = repr(value)
        try:
            return parse_datetime(value, self.tz)
        except ValueError as exc:
            reason = (
                str(exc) if value.strip() in str(exc) else f"'{value}' is not a real time ({exc})"
            )
            self.problems.append(
                Problem(REGISTER_INVALID_TIME, self.pos, f"{self.where}: {name}: {reason}")
            )
            return None
