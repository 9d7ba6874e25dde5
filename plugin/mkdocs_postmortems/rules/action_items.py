"""The Action Items section: a table where every row has an action, an owner and a due date."""

from __future__ import annotations

from collections.abc import Iterator

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import parse_date
from mkdocs_postmortems.core.fields import (
    NAME_LIMIT,
    TO_COMPLETE,
    TO_COMPLETE_MARKER,
    VALUE_TOO_LONG,
    is_history,
    marked_section,
)
from mkdocs_postmortems.core.findings import Hit, Position, define
from mkdocs_postmortems.core.markdown import Cell, Row, Table
from mkdocs_postmortems.core.model import ACTION_STATUSES, ActionItem, PostMortem
from mkdocs_postmortems.core.suggestions import did_you_mean
from mkdocs_postmortems.core.synonyms import column_for
from mkdocs_postmortems.rules.sections import is_placeholder, placeholder_hit

BAD_TABLE = define(
    "PM400",
    "action-items-table",
    "The Action Items section has no table, or the table lacks a required column.",
    why="Action items are tracked across the knowledge base (overdue first, by owner); only a "
    "table with known columns can be read reliably.",
    fix="Use the columns `| Action | Owner | Due | Priority |`, optionally followed by "
    "`Status` and `Ticket`; other columns are reported as PM408.",
)
NO_ACTION = define(
    "PM401",
    "action-missing",
    "An action-item row has no action.",
    why="A row with an owner and a date but no action cannot be done or checked off.",
    fix="Describe a specific, bounded change in the Action cell.",
)
NO_OWNER = define(
    "PM402",
    "owner-missing",
    "An action item has no owner.",
    why="An action item without an owner is an action item nobody will do.",
    fix="Name the one person accountable for it.",
)
BAD_DUE = define(
    "PM403",
    "due-invalid",
    "An action item's due date is missing or not `YYYY-MM-DD`.",
    why="Without a real date an action item can never be overdue, so it is silently forgotten.",
    fix="Write the due date as `YYYY-MM-DD` (not 'next week' or 'Q3').",
)
BAD_PRIORITY = define(
    "PM404",
    "unknown-priority",
    "An action item's priority is not one of the configured levels.",
    why="Priorities order the action-item index; an unknown one sorts nowhere.",
    fix="Use one of the configured priorities (default `P0` to `P3`).",
)
BAD_STATUS = define(
    "PM405",
    "unknown-action-status",
    "An action item's status is not `open`, `in-progress`, `done` or `wont-do`.",
    why="The status decides whether an item can be overdue and how it is counted.",
    fix="Use `open` (the default when empty), `in-progress`, `done` or `wont-do`.",
)
MISSING_CELL = define(
    "PM406",
    "missing-cell",
    "An action-item row has fewer or more cells than the header.",
    why="A missing cell shifts the meaning of the cells after it, and a cell beyond the "
    "header's last column has no heading: the site shows it without a label.",
    fix="Give every row as many cells as the header; leave optional ones empty (`| |`), and "
    "escape a pipe inside a cell as `\\|`.",
)
NO_ITEMS = define(
    "PM407",
    "no-action-items",
    "A SEV1 or SEV2 post-mortem in review or published has no action items.",
    why="A serious incident with nothing to change is an incident waiting to happen again.",
    fix="Add at least one specific action with an owner and a due date. If nothing can be "
    "done, say so in a row with status `wont-do` and the reason.",
)


BAD_COLUMN = define(
    "PM408",
    "action-items-column",
    "The action-items table has a column the tool does not know, or its columns are out of order.",
    why="A column under another name (`Assignee`) is never read, so its owners are lost, and "
    "swapped headers (`| Owner | Action |`) make every owner an action and every action an "
    "owner in the indexes.",
    fix="Name the columns `Action`, `Owner`, `Due` (or `Due Date`), `Priority`, and "
    "optionally `Kind`, `Status` and `Ticket`, in that order; the message suggests the column a "
    "header most likely means.",
    example="| Owner | Action | Due | Priority |",
)
BAD_KIND = define(
    "PM409",
    "unknown-action-kind",
    "An action item's kind is not one of the configured kinds.",
    why="The kind says what an item improves (a runbook, monitoring, a test, the design, "
    'training, a process); the insights and the "What we changed" page count items by '
    "kind, and an unknown one is counted nowhere.",
    fix="Use one of the configured kinds (default `runbook`, `monitoring`, `testing`, "
    "`architecture`, `training`, `process`), or leave the cell empty.",
    example="| Add an alert on queue depth | Dana | 2026-05-01 | P1 | monitor |",
)
NO_PREVENTION = define(
    "PM410",
    "no-prevention-item",
    "A SEV1 or SEV2 post-mortem with a Kind column has no item that improves detection or "
    "prevents recurrence.",
    why="A serious incident is found sooner next time through monitoring, and does not come "
    "back through a test or a design change; a list of runbook and process items alone "
    "leaves both to luck.",
    fix="Add an item of kind `monitoring` (detect it earlier) and one of kind `testing` or "
    "`architecture` (prevent the class of problem), or say in a `wont-do` row why not.",
    level="warning",
)
COLUMNS = ("action", "owner", "due", "priority", "kind", "status", "ticket")
# The kinds that find the problem sooner, and those that keep it from coming back.
DETECTION_KINDS = ("monitoring",)
PREVENTION_KINDS = ("testing", "architecture")
_NAMES = tuple(name.title() for name in COLUMNS)
# What a history row may leave in a cell without a finding (empty, or the marker); a current
# row may leave nothing. Made once, not per row.
_RELAXED = frozenset(("", TO_COMPLETE_MARKER))
_STRICT: frozenset[str] = frozenset()
_HEADERS = {"action": "action", "action item": "action", "due date": "due"} | {
    name: name for name in COLUMNS
}


def read_action_items(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Fill ``pm.action_items`` from the table, reporting every cell that does not fit."""
    if pm.body is None or pm.front is None:
        return
    section = pm.body.section("Action Items")
    table = section.table() if section else None
    reviewed = pm.status in ("in-review", "published")
    # A history write-up's "TBD" section is reported once, as left to write (PM013).
    # Whether it is history first: that is cheap, and reading the section is not.
    marked = section is not None and is_history(pm, settings) and marked_section(section)
    if section is not None and table is None and reviewed and not section.is_empty and not marked:
        yield Hit(
            BAD_TABLE.code,
            section.pos,
            "action items must be a table: | Action | Owner | Due | Priority | Status |",
        )
    if table is not None:
        yield from _read_table(pm, table, settings, history=is_history(pm, settings))
    serious = pm.severity in settings.severity_names[:2]
    if reviewed and serious and not marked and not pm.action_items and not (table and table.rows):
        pos = section.pos if section else Position(pm.body.end, 1)
        yield Hit(NO_ITEMS.code, pos, f"a {pm.severity} post-mortem needs at least one action item")


def _read_table(
    pm: PostMortem, table: Table, settings: Settings, *, history: bool
) -> Iterator[Hit]:
    """Read every row. In a history write-up (imported, or before ``history_before``) an
    empty owner, due date or priority is not reported, and ``TBD`` is reported as left for a
    person to complete: old action items are kept for the record, not chased."""
    columns: dict[str, int | None] = dict.fromkeys(COLUMNS)
    order: list[tuple[str, Cell]] = []
    for index, cell in enumerate(table.header):
        name = _HEADERS.get(cell.text.strip().lower())
        if name is None:
            yield Hit(
                BAD_COLUMN.code, cell.pos, f"unknown column '{cell.text}'{_column_hint(cell)}"
            )
        elif columns[name] is None:
            columns[name] = index
            order.append((name, cell))
    expected = sorted(order, key=lambda pair: COLUMNS.index(pair[0]))
    if order != expected:
        wrong = next(
            cell for (name, cell), (want, _) in zip(order, expected, strict=True) if name != want
        )
        yield Hit(
            BAD_COLUMN.code,
            wrong.pos,
            f"column '{wrong.text}' is out of order; the order is Action, Owner, Due, Priority, "
            "Kind, Status, Ticket (swapped headers mix up actions and owners)",
        )
        return
    missing = [name for name in ("action", "owner", "due", "priority") if columns[name] is None]
    if missing:
        yield Hit(
            BAD_TABLE.code,
            Position(table.line, 1),
            "action items table lacks the column(s) " + ", ".join(m.title() for m in missing),
        )
        return
    for row in table.rows:
        row_cells = row.cells
        if len(row_cells) != len(table.header):
            extra = len(row_cells) > len(table.header)
            yield Hit(
                MISSING_CELL.code,
                row_cells[len(table.header)].pos if extra else Position(row.line, row.end_col),
                f"row has {len(row_cells)} cells, the header has {len(table.header)}"
                + (
                    "; the site shows the extra ones without a heading (escape a | in a cell "
                    "as \\|)"
                    if extra
                    else ""
                ),
            )
        action = _cell(row, row_cells, columns["action"])
        owner = _cell(row, row_cells, columns["owner"])
        due_cell = _cell(row, row_cells, columns["due"])
        priority = _cell(row, row_cells, columns["priority"])
        status_cell = _cell(row, row_cells, columns["status"])
        if not action.text:
            yield Hit(NO_ACTION.code, action.pos, "action item has no action")
        cells = (("owner", owner), ("due date", due_cell), ("priority", priority))
        marked = (
            [(name, cell) for name, cell in cells if cell.text == TO_COMPLETE_MARKER]
            if history  # only history's rows are read for the marker
            else []
        )
        if marked:
            # One finding per row, at its first marked cell: a list a person can work through.
            *first, last = [name for name, _ in marked]
            names = f"{', '.join(first)} and {last}" if first else last
            yield Hit(
                TO_COMPLETE.code,
                marked[0][1].pos,
                f"action item's {names} {'is' if len(marked) == 1 else 'are'} marked "
                f"{TO_COMPLETE_MARKER}: complete {'it' if len(marked) == 1 else 'them'}",
            )
        relaxed = _RELAXED if history else _STRICT
        if len(owner.text) > NAME_LIMIT:
            # An owner is a name, and names are matched in the prose of every file.
            yield Hit(
                VALUE_TOO_LONG.code,
                owner.pos,
                f"owner has {len(owner.text):,} characters; the limit is {NAME_LIMIT}, so it "
                "is ignored",
            )
            owner = Cell("", owner.line, owner.col)
        elif not owner.text and not history:
            yield Hit(NO_OWNER.code, owner.pos, "action item has no owner")
        if pm.status in ("in-review", "published"):
            for cell in (action, owner):
                # A history write-up's TBD is reported once, as left to complete (PM013).
                marked_here = history and cell.text == TO_COMPLETE_MARKER
                if is_placeholder(cell.text) and not marked_here:
                    yield placeholder_hit(pm, cell.text, cell.pos)
        due = None
        try:
            due = parse_date(due_cell.text)
        except ValueError as exc:
            if due_cell.text not in relaxed:
                shown = f"'{due_cell.text}'" if due_cell.text else "empty"
                reason = f"due date is {shown}; write YYYY-MM-DD"
                if "outside the years" in str(exc):
                    reason = f"due date {exc}"
                yield Hit(BAD_DUE.code, due_cell.pos, reason)
        if priority.text not in settings.priorities and priority.text not in relaxed:
            hint = did_you_mean(priority.text, settings.priorities)
            levels = ", ".join(settings.priorities)
            yield Hit(
                BAD_PRIORITY.code,
                priority.pos,
                f"unknown priority '{priority.text}'{hint}; use one of {levels}",
            )
        kind = _cell(row, row_cells, columns["kind"])
        kind_name = kind.text.lower()
        if kind_name and kind_name not in settings.action_kinds:
            hint = did_you_mean(kind_name, settings.action_kinds)
            yield Hit(
                BAD_KIND.code,
                kind.pos,
                f"unknown action kind '{kind.text}'{hint}; use one of "
                + ", ".join(settings.action_kinds),
            )
            kind_name = ""
        status = status_cell.text.lower() or "open"
        if status not in ACTION_STATUSES:
            hint = did_you_mean(status, ACTION_STATUSES)
            yield Hit(
                BAD_STATUS.code,
                status_cell.pos,
                f"unknown action status '{status}'{hint}; use open, in-progress, done or wont-do",
            )
        pm.action_items.append(
            ActionItem(
                action.text,
                owner.text,
                due,
                priority.text,
                status,
                _cell(row, row_cells, columns["ticket"]).text,
                action.pos,
                owner.pos,
                pm.id,
                history,
                kind_name,
            )
        )
    if columns["kind"] is not None and not history:
        yield from _prevention(pm, settings, table)


def _prevention(pm: PostMortem, settings: Settings, table: Table) -> Iterator[Hit]:
    """A serious incident's items, once their kinds are written, should make the next one
    found sooner (monitoring) and less likely (testing or architecture)."""
    if pm.severity not in settings.severity_names[:2] or pm.status == "draft":
        return
    kinds = {item.kind for item in pm.action_items}
    missing = []
    if not kinds & set(DETECTION_KINDS):
        missing.append("improves detection (monitoring)")
    if not kinds & set(PREVENTION_KINDS):
        missing.append("prevents recurrence (testing or architecture)")
    if missing:
        yield Hit(
            NO_PREVENTION.code,
            Position(table.line, 1),
            f"a {pm.severity} post-mortem has no action item that " + " or ".join(missing),
        )


def _column_hint(cell: Cell) -> str:
    """Our column for a header other tables use (``Assignee``), or the closest by spelling."""
    ours = column_for(cell.text)
    if ours is not None:
        return f" (did you mean '{ours}'?)"
    hint = did_you_mean(cell.text.strip().title(), _NAMES)
    return hint or "; the columns are " + ", ".join(_NAMES)


def _cell(row: Row, cells: list[Cell], index: int | None) -> Cell:
    """The cell in a column of ``row`` (whose ``cells`` the caller took once, not once per
    column); a missing one is empty and sits at the end of the row."""
    if index is None or index >= len(cells):
        return Cell("", row.line, row.end_col)
    return cells[index]


CHECKS = (read_action_items,)
