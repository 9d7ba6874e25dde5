"""Which columns of a timeline table say when: the column of times, wherever it stands,
and a column of days beside it that the times go with ("Date | Time (PT) | Event"). Split
from :mod:`.timeline`, which reads the rows.
"""

from __future__ import annotations

import re

from mkdocs_postmortems.importers.markdown import EMPHASIS
from mkdocs_postmortems.importers.times import lead_day, read_clock

_PLACEHOLDER = re.compile(r"(?:\d{1,2}|[-?hHxX]{2}):(?:\d{2}|[-?mMxX]{2})")
TIME_HEADER = re.compile(r"\b(?:time|date|when|timestamp)\b", re.IGNORECASE)


def timeish(cell: str) -> bool:
    """A cell that holds a time, even one written as a placeholder (``HH:mm``)."""
    clean = EMPHASIS.sub("", cell.strip())
    return bool(read_clock(clean) or _PLACEHOLDER.search(clean) or lead_day(clean))


def cell_text(cells: list[str], k: int) -> str:
    """A cell without its emphasis; a row shorter than the header has empty cells."""
    return EMPHASIS.sub("", cells[k].strip()) if k < len(cells) else ""


def when_columns(head: list[str], body: list[list[str]]) -> tuple[int | None, int] | None:
    """Which columns say when: the first whose cells mostly hold a time or a day (or, the
    first column, one whose header names the time), and the column of days before or
    after it that the times go with. None for a table without such a column."""
    if not body:
        return None
    width = max(len(head), *(len(cells) for cells in body))
    at = next(
        (
            k
            for k in range(width)
            if sum(timeish(cell_text(cells, k)) for cells in body) * 2 >= len(body)
        ),
        None,
    )
    if at is None:
        return (None, 0) if head and TIME_HEADER.search(head[0]) else None
    if _days_with(body, at, at + 1):
        return at, at + 1
    if at > 0 and _days_with(body, at - 1, at):
        return at - 1, at
    return None, at


def _days_with(body: list[list[str]], days: int, times: int) -> bool:
    """Whether column ``days`` mostly holds days without a time and column ``times`` the
    times of day that go with them ("Thu, Jul 30" and "7:45 PM")."""
    both = 0
    for cells in body:
        day, time_of_day = cell_text(cells, days), cell_text(cells, times)
        if not day or not time_of_day or read_clock(day) is not None:
            continue
        clock = read_clock(f"{day} {time_of_day}")
        if clock is not None and (clock.day or clock.month_day) and read_clock(time_of_day):
            both += 1
    return both * 2 > len(body)
