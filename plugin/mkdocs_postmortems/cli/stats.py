"""``postmortems stats``: reliability figures per severity, month, service and action item."""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from mkdocs_postmortems.cli.common import UsageError, day, now
from mkdocs_postmortems.core import stats
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import plural
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.integrations.register import load_register
from mkdocs_postmortems.rules import RULESET
from mkdocs_postmortems.site.insights import minutes, rate


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "stats",
        parents=[common],
        help="figures per severity, month and service: times to detect and resolve, "
        "write-ups on time, action items",
    )
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text")
    parser.add_argument("--today", type=day, metavar="YYYY-MM-DD", help="figures as of that day")
    parser.add_argument(
        "--since", type=day, metavar="YYYY-MM-DD", help="only incidents that started on or after"
    )
    parser.add_argument(
        "--until", type=day, metavar="YYYY-MM-DD", help="only incidents that started on or before"
    )
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="leave out write-ups from before the tool (imported, or before history_before)",
    )
    parser.set_defaults(run=run_stats)


def run_stats(args: argparse.Namespace, settings: Settings) -> int:
    if args.since and args.until and args.since > args.until:
        raise UsageError(f"stats: --since {args.since} is after --until {args.until}")
    register = load_register(settings)
    kb = load(settings, RULESET)
    figures = stats.compute(
        kb.postmortems,
        settings,
        now(args),
        since=args.since,
        until=args.until,
        history=not args.no_history,
        register=register,
    ).as_json()
    if args.format == "json":
        json.dump(figures, sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(("table", "row", "column", "value"))
        writer.writerows(tuple(map(spreadsheet_cell, row)) for row in _cells(figures))
    else:
        _print_text(figures, sys.stdout)
    return 0


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): a service
# named `=HYPERLINK(...)` in a post-mortem would otherwise run when the CSV is opened.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def spreadsheet_cell(value: object) -> object:
    """A value a spreadsheet shows as text: one that starts like a formula gets a leading
    ``'``, as OWASP advises. Numbers, and text that is only a number (``-3``, ``-0.5``),
    stay numbers."""
    if not isinstance(value, str) or _NUMBER.fullmatch(value):
        return value
    return "'" + value if value.startswith(_FORMULA_START) else value


def _cells(figures: dict[str, Any]) -> Iterator[tuple[str, str, str, Any]]:
    """Every figure as one row of a long table, so one CSV holds all of them."""
    for table in ("severities", "months", "services"):
        for row, columns in figures[table].items():
            for column, value in columns.items():
                yield table, row, column, "" if value is None else value
    for level, periods in figures["quarters"].items():
        for period, columns in periods.items():
            for column, value in columns.items():
                yield "quarters", f"{level} {period}", column, "" if value is None else value
    for column, value in figures["action_items"].items():
        yield "action_items", "all", column, "" if value is None else value


def _print_text(figures: dict[str, Any], out: TextIO) -> None:
    span = ""
    if figures["since"] or figures["until"]:
        span = f", incidents from {figures['since'] or 'the first'} to {figures['until'] or 'now'}"
    out.write(f"As of {figures['as_of']}{span}: {plural(figures['incidents'], 'incident')}\n\n")
    out.write(
        f"{'level':<8}{'incidents':>10}{'detect (median)':>17}{'resolve (median)':>18}"
        f"{'resolve (p90)':>15}{'on time':>9}{'items done':>12}\n"
    )
    for name, row in figures["severities"].items():
        out.write(
            f"{name:<8}{row['incidents']:>10}{minutes(row['median_minutes_to_detect']):>17}"
            f"{minutes(row['median_minutes_to_resolve']):>18}"
            f"{minutes(row['p90_minutes_to_resolve']):>15}{rate(row['write_ups_on_time']):>9}"
            f"{rate(row['action_items_done']):>12}\n"
        )
    items = figures["action_items"]
    out.write(
        f"\nAction items: {items['open']} open ({items['overdue']} overdue), {items['done']} done, "
        f"{items['wont_do']} won't do\n"
    )
    register = figures["register"]
    if register is not None:
        out.write(
            f"Incident register: {register['missing_write_ups']} serious incidents with no "
            f"write-up past their deadline (counted as late above), "
            f"{register['write_ups_due_later']} still within it\n"
        )
    if figures["history"]:
        out.write(f"History (from before the tool): {figures['history']} of the incidents\n")
    services = list(figures["services"].items())[:10]
    if services:
        out.write("\nServices with most serious incidents:\n")
        for name, row in services:
            out.write(
                f"  {name}: {row['serious']} serious of {row['incidents']}, last {row['last']}\n"
            )
