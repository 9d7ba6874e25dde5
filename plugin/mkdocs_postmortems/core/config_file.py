"""Finding and reading the configuration file, and the ``postmortems`` entry in it."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from mkdocs_postmortems.core.config import ConfigError, Settings, settings_from_options
from mkdocs_postmortems.core.files import DEFAULT_MAX_BYTES, Refused, read_file

# The names MkDocs (``mkdocs.yml``, ``mkdocs.yaml``) and ProperDocs, its fork, look for, in
# ProperDocs' order: a ProperDocs project keeps ``properdocs.yml``, a MkDocs one has none.
CONFIG_NAMES = ("properdocs.yml", "properdocs.yaml", "mkdocs.yml", "mkdocs.yaml")

ConfigReader = Callable[[Path], Any]


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does where it matters here: ``!ENV`` reads the environment;
    other tags (``!relative``, ``!!python/name``) are not run and read as None."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``, as ``pyyaml_env_tag`` reads it."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        *names, default = loader.construct_sequence(node) or [None]
    else:
        raise yaml.constructor.ConstructorError(
            None, None, "!ENV needs a name or a list of names", node.start_mark
        )
    for name in names:
        value = os.environ.get(str(name))
        if value is not None:
            # Like MkDocs: "true" in the environment is the boolean, "3" the number.
            return yaml.safe_load(value) if value else value
    return default


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_MkDocsLoader.add_constructor("!ENV", _env_tag)
_MkDocsLoader.add_multi_constructor("!", _ignore_tag)
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def read_config(path: Path) -> Any:
    """A config file as MkDocs reads it, for when MkDocs is not installed: ``!ENV`` tags
    resolved, and an ``INHERIT``ed parent merged under it (mappings deeply, the rest
    replaced), as ``mkdocs.utils.yaml.yaml_load`` does."""
    return _read_inheriting(path, [])


def _read_inheriting(path: Path, seen: list[Path]) -> Any:
    if path.resolve() in seen:
        raise ConfigError(f"{path}: INHERIT goes round in a circle")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or "INHERIT" not in data:
        return {} if data is None else data
    parent_path = path.parent / str(data.pop("INHERIT"))
    if not parent_path.exists():
        raise ConfigError(f"{path}: the INHERIT file {parent_path} does not exist")
    parent = _read_inheriting(parent_path, [*seen, path.resolve()])
    return _merge(parent, data) if isinstance(parent, dict) else data


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def find_config_file(config_file: Path | None) -> Path | None:
    """The given file (which must exist), or the first of :data:`CONFIG_NAMES` here or in a
    folder above, as git finds its repository: a command run from ``docs/`` works on the
    project, not on a project of its own in ``docs/``. The search stops at the top of a git
    work tree and at the filesystem's root. The path is relative to the working directory
    (``../mkdocs.yml``)."""
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(f"config file not found: {config_file}")
        return config_file
    here = Path.cwd()
    for up, folder in enumerate((here, *here.parents)):
        found = next((name for name in CONFIG_NAMES if (folder / name).is_file()), None)
        if found is not None:
            return Path(*[os.pardir] * up, found)
        if (folder / ".git").exists():
            return None
    return None


def load_settings(
    config_file: Path | None, rule_codes: Collection[str], reader: ConfigReader = read_config
) -> Settings:
    """Settings from ``mkdocs.yml`` (or the given file); the defaults when there is none.

    ``reader`` reads the file into a mapping: MkDocs' own loader when the caller has it
    (:mod:`mkdocs_postmortems.adapters.mkdocs_config`), the core's own otherwise.
    """
    path = find_config_file(config_file)
    if path is None:
        return Settings(root=Path.cwd())
    data = reader(path)
    root = path.resolve().parent
    settings = settings_from_options(plugin_options(data, path), root, rule_codes)
    strict = data.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(f"{path}: 'strict' must be true or false")
    return replace(settings, strict=strict)


def plugin_options(data: Any, path: Path) -> dict[str, Any] | None:
    """The ``postmortems`` entry of a parsed mkdocs.yml, in either form MkDocs takes: a
    list of names and one-key mappings, or a mapping.

    The ``plugins`` option is checked as MkDocs checks it, so a shape that stops
    ``mkdocs build`` ("Invalid Plugins configuration") stops every command too, with the
    file and line: a plugin's options indented level with its name make a list item of
    several keys, which would otherwise leave the options unread and the check passing."""
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is not a mapping of options")
    for key in data:
        if not isinstance(key, str):
            raise ConfigError(f"{path}: option {key!r} is not a name (option names are text)")
    plugins = data.get("plugins") or []
    if not isinstance(plugins, (list, dict)):
        # MkDocs refuses a single name too (``plugins: postmortems``).
        raise ConfigError(
            f"{plugin_position(path, None)}: invalid 'plugins': a list of plugins is expected "
            "(plugins: [search, postmortems])"
        )
    for name, options in plugin_entries(plugins, path):
        if name == "postmortems":
            return dict(options or {})
    return None


def plugin_entries(plugins: list[Any] | dict[Any, Any], path: Path) -> list[tuple[str, Any]]:
    """Each plugin's name and options, as MkDocs reads them
    (``mkdocs.config.config_options.Plugins._parse_configs``): a list item is a name or a
    mapping of one name to its options; a name is text."""
    items = list(plugins.items()) if isinstance(plugins, dict) else list(plugins)
    entries = []
    for index, item in enumerate(items):
        if isinstance(plugins, dict):
            name, options = item
        elif isinstance(item, dict):
            if len(item) != 1:
                keys = ", ".join(str(key) for key in item)
                raise ConfigError(
                    f"{plugin_position(path, index)}: invalid 'plugins' entry: one plugin "
                    f"with its options is expected, and this entry has {len(item)} keys "
                    f"({keys}); indent a plugin's options under its name"
                )
            ((name, options),) = item.items()
        else:
            name, options = item, None
        if not isinstance(name, str):
            raise ConfigError(f"{plugin_position(path, index)}: '{name}' is not a plugin name")
        if options is not None and not isinstance(options, dict):
            raise ConfigError(
                f"{plugin_position(path, index)}: the options of the '{name}' plugin must be a "
                "mapping"
            )
        entries.append((name, options))
    return entries


def plugin_position(path: Path, index: int | None) -> str:
    """``path:line:col`` of the ``plugins`` option (or of its entry ``index``) in the file,
    for a message; the path alone when the file does not hold it (an INHERIT parent does)."""
    try:
        text = read_file(path, path.parent, DEFAULT_MAX_BYTES).decode("utf-8")
        root = yaml.compose(text, Loader=_MkDocsLoader)
    except (Refused, UnicodeDecodeError, yaml.YAMLError):
        return str(path)
    node = None
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "plugins":
                node = value
    if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and index is not None:
        items = node.value
        if 0 <= index < len(items):
            item = items[index]
            node = item[0] if isinstance(item, tuple) else item
    if not isinstance(node, yaml.Node):
        return str(path)
    return f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"
