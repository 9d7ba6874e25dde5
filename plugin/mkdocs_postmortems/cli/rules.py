"""``postmortems rules``: every diagnostic code, or the rule reference page."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.rules import all_rules


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    rules = commands.add_parser("rules", parents=[common], help="list every diagnostic code")
    rules.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="markdown prints the rule reference page (docs/rules.md)",
    )
    rules.set_defaults(run=run_rules)


def run_rules(args: argparse.Namespace, settings: Settings) -> int:
    if args.format == "markdown":
        from mkdocs_postmortems.site.render import rules_reference  # Jinja2 only when needed

        sys.stdout.write(rules_reference(all_rules()))
        return 0
    for rule in all_rules():
        level = settings.level(rule.code, rule.level)
        print(f"{rule.code}  {rule.name:<28} {level:<8} {rule.summary}")
    return 0
