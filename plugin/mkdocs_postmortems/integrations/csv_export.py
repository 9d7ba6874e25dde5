"""A CSV export of any incident tool or spreadsheet, read as a register.

``register.columns`` names the header of each column the register reads; the defaults are
the column names themselves (``id``, ``title``, ``severity``, ``started``, ``resolved``,
``services``, ``url``). Only ``id``, ``title``, ``severity`` and ``started`` must be there.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import tzinfo

from mkdocs_postmortems.core.config import RegisterSettings
from mkdocs_postmortems.core.findings import Position
from mkdocs_postmortems.core.register import REGISTER_UNREADABLE, Incident, Problem
from mkdocs_postmortems.integrations.records import Entries, Entry

REQUIRED = ("id", "title", "severity", "started")
#: Several services in one cell: "checkout-api, payments" or "checkout-api; payments".
_SEPARATOR = re.compile(r"[,;|]")


def read(text: str, config: RegisterSettings, tz: tzinfo) -> Entries:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            yield Problem(REGISTER_UNREADABLE, Position(1), "the register is empty: no header row")
            return
        index = {name.strip(): i for i, name in enumerate(header)}
        columns = {ours: index.get(theirs) for ours, theirs in config.columns.items()}
        missing = [ours for ours in REQUIRED if columns[ours] is None]
        if missing:
            wanted = ", ".join(f"'{config.columns[m]}' ({m})" for m in missing)
            yield Problem(
                REGISTER_UNREADABLE,
                Position(1),
                f"the header row has no column {wanted}; name the file's columns in "
                "register.columns",
            )
            return
        line = reader.line_num + 1
        for row in reader:
            pos, line = Position(line), reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            yield from _incident(row, columns, pos, tz)
    except csv.Error as exc:
        yield Problem(
            REGISTER_UNREADABLE, Position(reader.line_num or 1), f"the register is not CSV: {exc}"
        )


def _incident(row: list[str], columns: dict[str, int | None], pos: Position, tz: tzinfo) -> Entries:
    def cell(name: str) -> str:
        column = columns.get(name)
        return row[column].strip() if column is not None and column < len(row) else ""

    entry = Entry(pos, f"row {pos.line}", tz)
    ident = entry.required(cell("id"), "id")
    title = entry.required(cell("title"), "title")
    started = entry.time(cell("started"), "started", required=True)
    resolved = entry.time(cell("resolved"), "resolved", required=False)
    yield from entry.problems
    if entry.problems or started is None:
        return
    services = tuple(s.strip() for s in _SEPARATOR.split(cell("services")) if s.strip())
    yield Incident(
        id=ident,
        title=title,
        started=started,
        resolved=resolved,
        level=cell("severity"),
        services=services,
        url=cell("url"),
        pos=pos,
        where=f"row {pos.line}",
    )
