"""What the register formats share: JSON with the position of every object, fields read
as text, and an incident built while its problems are collected instead of raised."""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
from collections.abc import Callable, Iterator
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


class JsonDocument:
    """A parsed JSON document that knows the line and column where each object and array starts.

    The standard decoder keeps no positions, but its pure-Python scanner lets the object and
    array parsers be wrapped: the wrapper notes where each one began. A register holds a few
    thousand incidents, so the slower scanner costs milliseconds.
    """

    def __init__(self, text: str) -> None:
        self._line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        self._starts: dict[int, int] = {}
        decoder = json.JSONDecoder()

        def remembering(parse: Callable[..., tuple[Any, int]]) -> Callable[..., tuple[Any, int]]:
            def parse_and_remember(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
                value, end = parse(s_and_end, *args)
                self._starts[id(value)] = s_and_end[1] - 1
                return value, end

            return parse_and_remember

        decoder.parse_object = remembering(json.decoder.JSONObject)  # type: ignore[attr-defined]
        decoder.parse_array = remembering(decoder.parse_array)  # type: ignore[attr-defined]
        decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
        self.data: Any = decoder.decode(text)

    def pos(self, value: Any) -> Position:
        offset = self._starts.get(id(value))
        if offset is None:
            return Position(1)
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


def incident_list(doc: JsonDocument, expected: str) -> list[Any] | Problem:
    """The ``incidents`` list both APIs answer with."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("incidents"), list):
        return Problem(
            REGISTER_UNREADABLE,
            doc.pos(data),
            f'the register is JSON but not {expected}: no top-level "incidents" list',
        )
    items: list[Any] = data["incidents"]
    return items


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
