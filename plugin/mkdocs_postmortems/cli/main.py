"""The ``postmortems`` command: the CI gate and the authoring helper.

Each command lives in a module of its own that adds its parser and runs it. Exit codes: 0
clean, 1 problems found (or something overdue), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mkdocs_postmortems import __version__
from mkdocs_postmortems.cli import (
    check,
    importing,
    new,
    overdue,
    register,
    render,
    rules,
    schema,
    stats,
)
from mkdocs_postmortems.cli.common import UsageError
from mkdocs_postmortems.core.config import ConfigError, ConfigReader, load_settings
from mkdocs_postmortems.core.config import read_config as core_read_config
from mkdocs_postmortems.rules import RULES


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        settings = load_settings(args.config_file, RULES, _config_reader())
        result: int = args.run(args, settings)
    except ConfigError as exc:
        print(f"postmortems: configuration error: {exc}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"postmortems: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (``| head``) went away; that is not an error of ours.
        sys.stderr.close()
        return 0
    return result


def _config_reader() -> ConfigReader:
    """MkDocs' own loader when MkDocs is installed, so the CLI reads what the site reads."""
    try:
        from mkdocs_postmortems.adapters.mkdocs_config import read_config
    except ImportError:
        return core_read_config
    return read_config


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="postmortems",
        description="Validate, scaffold and report on a folder of blameless post-mortems.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-f",
        "--config-file",
        type=Path,
        metavar="FILE",
        help="the mkdocs.yml whose 'postmortems' plugin entry holds the settings, read as "
        "MkDocs reads it (default: ./properdocs.yml, ./mkdocs.yml or ./mkdocs.yaml, or the "
        "defaults when there is none)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    for command in (check, new, importing, overdue, register, stats, render, schema, rules):
        command.add_parser(commands, common)
    return parser
