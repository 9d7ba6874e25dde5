"""The ``postmortems`` command line: one module per command, plus their helpers."""

from mkdocs_postmortems.cli.main import main

__all__ = ["main"]
