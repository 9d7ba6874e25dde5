"""Reading an export as hostile input: every read is bounded, every archive member checked.

An export comes from outside the repository (a download, a colleague's zip) and is read
before anyone looks at it. A file is read through :func:`core.files.read_file` (a regular
file, at most a limit); a zip is opened only when every member has a plain relative name,
there are not too many of them and their unpacked sizes add up to a bounded total (a zip
bomb names its sizes, and a member that unpacks to more than it says is cut off at the
limit); JSON is refused by size before it is parsed, and by depth when parsing it.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime, timezone, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs_postmortems.core.dates import FIRST_YEAR, LAST_YEAR, parse_datetime
from mkdocs_postmortems.core.files import Refused, printable_path, read_file

MAX_FILE_BYTES = 64 << 20
"""64 MiB: a CSV, a log or a saved API page; an incident's exports are far smaller."""
MAX_JSON_BYTES = 32 << 20
"""32 MiB of JSON in one document: a year of a busy Slack channel is a few MB."""
MAX_ZIP_BYTES = 128 << 20
MAX_MEMBERS = 20_000
MAX_UNPACKED = 512 << 20
MAX_CHANNEL_BYTES = 128 << 20
"""The day files of one Slack channel, all told: years of a busy channel."""
MAX_DEPTH = 64
"""Levels of nesting in an export's JSON: Slack's richest messages use about a dozen."""
MAX_MESSAGE = 20_000
"""Characters of one message read at all; a row shows far fewer (``MAX_CELL``)."""


class ExportError(Exception):
    """An export that cannot be read, with a one-line reason."""


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, at most ``limit`` of them. An export may be anywhere the user
    points (a download folder): what is checked is that it is a regular file and its size."""
    try:
        return read_file(path, Path(os.path.abspath(path)).anchor, limit)
    except Refused as exc:
        raise ExportError(exc.message.replace("max_file_bytes", "an export's limit")) from None


def text_of(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError(f"byte {exc.start} is not UTF-8; not an export") from None


def load_json(data: bytes, limit: int = MAX_JSON_BYTES) -> Any:
    """JSON from ``data``, refused unread when it is over ``limit`` bytes, and refused when
    it nests deeper than :data:`MAX_DEPTH` (or than Python's parser goes: a RecursionError,
    not a crash), so nothing that handles it later can run out of stack."""
    if len(data) > limit:
        raise ExportError(f"{len(data):,} bytes of JSON, over the limit of {limit:,}; not read")
    try:
        value = json.loads(text_of(data))
    except RecursionError:
        value = _TOO_DEEP
    except ValueError as exc:
        raise ExportError(f"not valid JSON: {exc}") from None
    if value is _TOO_DEEP or not _within_depth(value, MAX_DEPTH):
        raise ExportError(f"JSON nested deeper than {MAX_DEPTH} levels; not an export")
    return value


_TOO_DEEP = object()


def _within_depth(value: Any, limit: int) -> bool:
    """Whether no list or object in ``value`` lies more than ``limit`` levels down (walked
    with a stack of its own, never by recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > limit:
            return False
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return True


def short(value: Any, limit: int = MAX_MESSAGE) -> str:
    """A text field of an export as a string of at most ``limit`` characters ("" if absent)."""
    if isinstance(value, str):
        return value[:limit]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


class Folder:
    """An export unpacked into a folder: its members are read from inside it only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = printable_path(path)

    def names(self) -> Iterator[str]:
        """The member names (``a/b.json``); a linked folder is not entered, and a linked
        or special file is listed, so that reading it says why it is refused."""
        count = 0
        for folder, dirs, files in os.walk(self.path):
            dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
            for name in sorted(files):
                count += 1
                if count > MAX_MEMBERS:
                    raise ExportError(f"more than {MAX_MEMBERS:,} files; not an export")
                full = Path(folder, name)
                yield PurePosixPath(full.relative_to(self.path)).as_posix()

    def read(self, name: str, limit: int = MAX_JSON_BYTES) -> bytes:
        try:
            return read_file(self.path / name, self.path, limit)
        except Refused as exc:
            reason = exc.message.replace("outside the project", "outside the export")
            raise ExportError(f"{name}: {reason}") from None


class Archive:
    """A zip export, checked as a whole before any member is read."""

    def __init__(self, path: Path) -> None:
        self.name = printable_path(path)
        data = read_bytes(path, MAX_ZIP_BYTES)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            members = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ExportError(f"not a zip archive: {exc}") from None
        if len(members) > MAX_MEMBERS:
            raise ExportError(f"{len(members):,} members, over the limit of {MAX_MEMBERS:,}")
        total = 0
        for member in members:
            _check_name(member.filename)
            total += member.file_size
        if total > MAX_UNPACKED:
            raise ExportError(
                f"unpacks to {total:,} bytes, over the limit of {MAX_UNPACKED:,} (a zip bomb?)"
            )
        self.members = {m.filename: m for m in members if not m.is_dir()}

    def names(self) -> Iterator[str]:
        yield from sorted(self.members)

    def read(self, name: str, limit: int = MAX_JSON_BYTES) -> bytes:
        member = self.members[name]
        if member.file_size > limit:
            raise ExportError(f"{name}: {member.file_size:,} bytes, over the limit of {limit:,}")
        try:
            with self.zip.open(member) as stream:
                data = stream.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
            # RuntimeError: encrypted; NotImplementedError (a RuntimeError): compression
            # method unknown to Python.
            raise ExportError(f"{name}: cannot unpack: {exc}") from None
        if len(data) > limit:
            raise ExportError(f"{name}: unpacks to more than {limit:,} bytes (a zip bomb?)")
        return data


def _check_name(name: str) -> None:
    """A member name must be a plain relative path: no root, no drive, no ``..``."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if (
        name.startswith(("/", "\\"))
        or (parts and ":" in parts[0])
        or ".." in parts
        or "\x00" in name
    ):
        raise ExportError(f"member {name!r} points outside the archive; not read")


def when(value: Any, where: str, tz: tzinfo) -> datetime:
    """A time of an export: ISO 8601 (without an offset, in ``tz``) or seconds since the
    epoch (milliseconds when the number is that large)."""
    try:
        if isinstance(value, str) and value.strip():
            text = value.strip()
            if _NUMBER.fullmatch(text):
                return _epoch(float(text))
            return parse_datetime(text, tz)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _epoch(float(value))
    except (ValueError, OverflowError, OSError):
        pass
    shown = short(value, 40) or type(value).__name__
    raise ExportError(f"{where}: {shown!r} is not a time (ISO 8601 or seconds since 1970)")


def _epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    at = datetime.fromtimestamp(seconds, timezone.utc)
    if not FIRST_YEAR <= at.year <= LAST_YEAR:
        raise ValueError("out of range")
    return at


_NUMBER = re.compile(r"\d{9,13}(?:\.\d+)?")


def items(data: Any, key: str, where: str) -> list[dict[str, Any]]:
    """The objects of the list ``data[key]``; anything else in it is an error naming it."""
    found = data.get(key) if isinstance(data, dict) else None
    if not isinstance(found, list):
        raise ExportError(f"{where}: no list '{key}'")
    for index, item in enumerate(found):
        if not isinstance(item, dict):
            raise ExportError(f"{where}: {key}[{index}] is not an object")
    return found


def field(item: Any, *path: str) -> Any:
    """``item[a][b]...``, or None where a step is missing or not an object."""
    for step in path:
        if not isinstance(item, dict):
            return None
        item = item.get(step)
    return item
