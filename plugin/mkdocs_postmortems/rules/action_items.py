"""The Action Items section: a table where every row has an action, an owner and a due date."""

from __future__ import annotations

from collections.abc import Iterator

from mkdocs_postmortems.core.config import Settings, did_you_mean
from mkdocs_postmortems.core.dates import parse_date
from mkdocs_postmortems.core.fields import NAME_LIMIT, VALUE_TOO_LONG
from mkdocs_postmortems.core.findings import Hit, Position, define
from mkdocs_postmortems.core.markdown import Cell, Row, Table
from mkdocs_postmortems.core.model import ACTION_STATUSES, ActionItem, PostMortem

BAD_TABLE = define(
    "PM400",
    "action-items-table",
    "The Action Items section has no table, or the table lacks a required column.",
    why="Action items are tracked across the knowledge base (overdue first, by owner); only a "
    "table with known columns can be read reliably.",
    fix="Use the columns `| Action | Owner | Due | Priority |`, optionally `Status` and "
    "`Ticket`; extra columns are allowed.",
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
    "An action-item row has fewer cells than the header.",
    why="A missing cell shifts the meaning of the cells after it.",
    fix="Add the missing cells; leave optional ones empty (`| |`).",
)
NO_ITEMS = define(
    "PM407",
    "no-action-items",
    "A SEV1 or SEV2 post-mortem in review or published has no action items.",
    why="A serious incident with nothing to change is an incident waiting to happen again.",
    fix="Add at least one specific action with an owner and a due date. If nothing can be "
    "done, say so in a row with status `wont-do` and the reason.",
)


def read_action_items(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Fill ``pm.action_items`` from the table, reporting every cell that does not fit."""
    if pm.body is None or pm.front is None:
        return
    section = pm.body.section("Action Items")
    table = section.table() if section else None
    reviewed = pm.status in ("in-review", "published")
    if section is not None and table is None and reviewed and not section.is_empty:
        yield Hit(
            BAD_TABLE.code,
            section.pos,
            "action items must be a table: | Action | Owner | Due | Priority | Status |",
        )
    if table is not None:
        yield from _read_table(pm, table, settings)
    serious = pm.severity in settings.severity_names[:2]
    if reviewed and serious and not pm.action_items and (table is None or not table.rows):
        pos = section.pos if section else Position(pm.body.end, 1)
        yield Hit(NO_ITEMS.code, pos, f"a {pm.severity} post-mortem needs at least one action item")


def _read_table(pm: PostMortem, table: Table, settings: Settings) -> Iterator[Hit]:
    columns = {
        "action": table.column("action", "action item"),
        "owner": table.column("owner"),
        "due": table.column("due", "due date"),
        "priority": table.column("priority"),
        "status": table.column("status"),
        "ticket": table.column("ticket"),
    }
    missing = [name for name in ("action", "owner", "due", "priority") if columns[name] is None]
    if missing:
        yield Hit(
            BAD_TABLE.code,
            Position(table.line, 1),
            "action items table lacks the column(s) " + ", ".join(m.title() for m in missing),
        )
        return
    for row in table.rows:
        if len(row.cells) < len(table.header):
            yield Hit(
                MISSING_CELL.code,
                Position(row.line, row.end_col),
                f"row has {len(row.cells)} cells, the header has {len(table.header)}",
            )
        action = _cell(row, columns["action"])
        owner = _cell(row, columns["owner"])
        due_cell = _cell(row, columns["due"])
        priority = _cell(row, columns["priority"])
        status_cell = _cell(row, columns["status"])
        if not action.text:
            yield Hit(NO_ACTION.code, action.pos, "action item has no action")
        if len(owner.text) > NAME_LIMIT:
            # An owner is a name, and names are matched in the prose of every file.
            yield Hit(
                VALUE_TOO_LONG.code,
                owner.pos,
                f"owner has {len(owner.text):,} characters; the limit is {NAME_LIMIT}, so it "
                "is ignored",
            )
            owner = Cell("", owner.line, owner.col)
        elif not owner.text:
            yield Hit(NO_OWNER.code, owner.pos, "action item has no owner")
        due = None
        try:
            due = parse_date(due_cell.text)
        except ValueError as exc:
            shown = f"'{due_cell.text}'" if due_cell.text else "empty"
            reason = f"due date is {shown}; write YYYY-MM-DD"
            if "outside the years" in str(exc):
                reason = f"due date {exc}"
            yield Hit(BAD_DUE.code, due_cell.pos, reason)
        if priority.text not in settings.priorities:
            hint = did_you_mean(priority.text, settings.priorities)
            levels = ", ".join(settings.priorities)
            yield Hit(
                BAD_PRIORITY.code,
                priority.pos,
                f"unknown priority '{priority.text}'{hint}; use one of {levels}",
            )
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
                _cell(row, columns["ticket"]).text,
                action.pos,
                owner.pos,
                pm.id,
            )
        )


def _cell(row: Row, index: int | None) -> Cell:
    """The cell in a column; a missing one is empty and sits at the end of the row."""
    if index is None or index >= len(row.cells):
        return Cell("", row.line, row.end_col)
    return row.cells[index]


CHECKS = (read_action_items,)
