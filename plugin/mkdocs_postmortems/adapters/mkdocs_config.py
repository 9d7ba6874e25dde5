"""Reading mkdocs.yml with MkDocs' own loader, for the command line.

``postmortems check`` must judge the files by the configuration ``mkdocs build`` uses, so it
reads the file as MkDocs does: ``INHERIT``, ``!ENV`` and ``!relative`` are MkDocs' business,
and imitating them would drift. The core keeps its own reader only for when MkDocs is not
installed (:func:`mkdocs_postmortems.core.config_file.read_config`), held to this one by a
test on every case.

To MkDocs' loader this adds the checks of
:class:`~mkdocs_postmortems.core.config_file.ConfigChecks`, where MkDocs would fail with a
Python error or wait forever (a file that is not a mapping, an ``INHERIT`` that is not a
name, leads round in a circle or to a FIFO), and the core's one-line message for a file that
is not YAML. The shape of ``plugins`` is checked after either reader by
:func:`mkdocs_postmortems.core.config_file.plugin_entries`, which follows MkDocs' own rules
(``Plugins._parse_configs``; a test holds the two to the same verdicts): importing MkDocs'
config options would cost every ``postmortems check`` a tenth of a second.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from mkdocs_postmortems.core.config import ConfigError
from mkdocs_postmortems.core.config_file import ConfigChecks, config_bytes, yaml_problem


@dataclass
class _Paths:
    """What MkDocs' ``!relative`` placeholders ask of the configuration when a Markdown
    extension uses one as a path; the tag itself is MkDocs' (``get_yaml_loader(config=)``).
    A full ``MkDocsConfig`` would cost every command the import of MkDocs' config options."""

    config_file_path: str
    docs_dir: str
    _current_page: None = None


def read_config(path: Path) -> Any:
    """The parsed config file, its ``INHERIT``ed parents merged in, ``!ENV`` resolved."""
    name = str(path)
    paths = _Paths(
        os.path.abspath(name), os.path.join(os.path.dirname(os.path.abspath(name)), "docs")
    )
    mkdocs_loader = get_yaml_loader(config=cast(Any, paths))
    loader = type("Loader", (ConfigChecks.reading([os.path.realpath(name)]), mkdocs_loader), {})
    stream = io.BytesIO(config_bytes(name))
    stream.name = name  # MkDocs finds INHERIT next to it
    try:
        data = yaml_load(stream, loader)
    except ConfigurationError as exc:
        problem = exc.__context__
        if isinstance(problem, yaml.YAMLError):
            # MkDocs words the YAML error without its place; the error it wraps has it.
            raise yaml_problem(_file_of(problem, name), problem) from None
        raise ConfigError(f"{path}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    docs_dir = data.get("docs_dir") if isinstance(data, dict) else None
    if isinstance(docs_dir, str):
        paths.docs_dir = os.path.join(os.path.dirname(paths.config_file_path), docs_dir)
    return data


def _file_of(problem: yaml.YAMLError, default: str) -> str:
    """The file a YAML error is in (an ``INHERIT``ed parent, maybe), as MkDocs opened it."""
    mark = getattr(problem, "problem_mark", None)
    return str(getattr(mark, "name", None) or getattr(problem, "name", None) or default)
