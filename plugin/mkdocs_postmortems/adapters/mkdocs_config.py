"""Reading mkdocs.yml with MkDocs' own loader, for the command line.

``postmortems check`` must judge the files by the configuration ``mkdocs build`` uses, so it
reads the file as MkDocs does: ``INHERIT``, ``!ENV`` and ``!relative`` are MkDocs' business,
and imitating them would drift. The core keeps its own reader for when MkDocs is not
installed (:func:`mkdocs_postmortems.core.config.read_config`).

The shape of ``plugins`` is checked after either reader by
:func:`mkdocs_postmortems.core.config.plugin_entries`, which follows MkDocs' own rules
(``Plugins._parse_configs``; a test holds the two to the same verdicts): importing MkDocs'
config options would cost every ``postmortems check`` a tenth of a second.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load

from mkdocs_postmortems.core.config import ConfigError


def read_config(path: Path) -> Any:
    """The parsed config file, its ``INHERIT``ed parents merged in, ``!ENV`` resolved."""
    try:
        with path.open("rb") as handle:
            return yaml_load(handle)
    except ConfigurationError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
