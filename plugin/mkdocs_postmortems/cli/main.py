"""The ``postmortems`` command: the CI gate and the authoring helper.

Each command lives in a module of its own that adds its parser and runs it. Exit codes: 0
clean, 1 problems found (or something overdue), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from mkdocs_postmortems import __version__
from mkdocs_postmortems.cli.common import UsageError, read_config
from mkdocs_postmortems.core.config import ConfigError
from mkdocs_postmortems.core.config_file import find_config_file, load_settings
from mkdocs_postmortems.core.pool import WorkerFailed
from mkdocs_postmortems.core.suggestions import closest, did_you_mean
from mkdocs_postmortems.rules import RULES

# Each command's module, in the order ``--help`` lists them. Only the module of the command
# being run is imported: ``check`` in CI need not load the site's templates, the importer's
# HTML parser or the calendar writer (half a second and 20 MiB before the first file is read).
COMMANDS = {
    "check": "check",
    "new": "new",
    "import": "importing",
    "timeline": "timeline",
    "overdue": "overdue",
    "review": "review",
    "register": "register",
    "stats": "stats",
    "render": "render",
    "schema": "schema",
    "rules": "rules",
}


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(arguments[0] if arguments else None)
    args = parser.parse_args(arguments)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        config_file = find_config_file(args.config_file)
        if (
            args.config_file is None
            and config_file is not None
            and config_file.name != str(config_file)
        ):
            # Found in a folder above: say so, since paths are then relative to it.
            print(f"postmortems: using {config_file.as_posix()}", file=sys.stderr)
        settings = load_settings(config_file, RULES, read_config)
        result: int = args.run(args, settings)
    except ConfigError as exc:
        print(f"postmortems: configuration error: {exc}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"postmortems: {exc}", file=sys.stderr)
        return 2
    except WorkerFailed as exc:
        print(f"postmortems: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (``| head``) went away; that is not an error of ours.
        sys.stderr.close()
        return 0
    return result


class _Parser(argparse.ArgumentParser):
    """argparse with a "did you mean" for a mistyped option (``check --stirct``), as
    Python 3.14's ``suggest_on_error`` gives, on every version."""

    def error(self, message: str) -> NoReturn:
        unknown = re.fullmatch(r"unrecognized arguments: (.*)", message, re.S)
        if unknown:
            options = sorted(_option_strings(self))
            words = [word.split("=", 1)[0] for word in unknown[1].split() if word.startswith("-")]
            close = {word: closest(word, options) for word in words}
            hints = [
                f"'{hint}'" + (f" for '{word}'" if len(words) > 1 else "")
                for word, hint in close.items()
                if hint
            ]
            if hints:
                message += f" (did you mean {', '.join(hints)}?)"
        choice = re.match(r"argument COMMAND: invalid choice: '([^']*)'", message)
        if choice:
            message = message.replace(
                f"'{choice[1]}'", f"'{choice[1]}'{did_you_mean(choice[1], COMMANDS)}", 1
            )
        super().error(message)


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    """Every option of ``parser`` and of its commands."""
    options: set[str] = set()
    for action in parser._actions:
        options.update(o for o in action.option_strings if o.startswith("--"))
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                options |= _option_strings(command)
    return options


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``command`` alone when it names one."""
    parser = _Parser(
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
        "MkDocs reads it (default: properdocs.yml, mkdocs.yml or mkdocs.yaml here or in the "
        "nearest folder above, up to the top of the git repository; the defaults when there "
        "is none)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    chosen = [COMMANDS[command]] if command in COMMANDS else COMMANDS.values()
    for name in chosen:
        module = importlib.import_module(f"mkdocs_postmortems.cli.{name}")
        module.add_parser(commands, common)
    return parser
