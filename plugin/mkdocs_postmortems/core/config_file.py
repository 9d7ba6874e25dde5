"""Finding and reading the configuration file, and the ``postmortems`` entry in it.

There is one truth about what ``mkdocs.yml`` says: MkDocs' own loader
(:mod:`mkdocs_postmortems.adapters.mkdocs_config`), which the commands use whenever MkDocs is
installed, so ``postmortems check`` judges the files by what ``mkdocs build`` will see. The
reader here (:func:`read_config`) is the fallback for a project without MkDocs (one built
with Zensical): it reads ``INHERIT`` and ``!ENV`` as MkDocs does, ``!ENV`` through the same
library (``pyyaml_env_tag``), and a test runs both on every case and holds them to the same
settings or the same error. What it cannot do alike is said where it happens (see
:class:`_Fallback`).

Both readers share the checks MkDocs leaves to chance (its loader fails with a Python error,
or waits forever, on them): the file is a mapping, ``INHERIT`` names a regular file of at most
:data:`MAX_CONFIG_BYTES` that is not already in the chain. Both give the same
``path:line:col`` message for a file that is not YAML.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import yaml
import yaml_env_tag  # type: ignore[import-untyped]

from mkdocs_postmortems.core.config import ConfigError, Settings, settings_from_options
from mkdocs_postmortems.core.files import DEFAULT_MAX_BYTES, Refused, read_regular

# The names MkDocs (``mkdocs.yml``, ``mkdocs.yaml``) and ProperDocs, its fork, look for, in
# ProperDocs' order: a ProperDocs project keeps ``properdocs.yml``, a MkDocs one has none.
CONFIG_NAMES = ("properdocs.yml", "properdocs.yaml", "mkdocs.yml", "mkdocs.yaml")
#: The largest configuration file (or ``INHERIT``ed parent) read; a real one is a few KiB.
MAX_CONFIG_BYTES = DEFAULT_MAX_BYTES

ConfigReader = Callable[[Path], Any]
_Checks = TypeVar("_Checks", bound="ConfigChecks")


class ConfigChecks(yaml.composer.Composer, yaml.constructor.BaseConstructor):
    """The checks both readers add to a YAML loader, put before it in a subclass.

    A reader makes a subclass for each file it reads (:meth:`reading`), whose ``chain`` holds
    the real paths of the files read so far: MkDocs' loader follows an ``INHERIT`` that
    leads back into the chain until Python's stack runs out.
    """

    chain: ClassVar[list[str]] = []
    name: str  # the file's name, set by the loader's reader

    @classmethod
    def reading(cls: type[_Checks], chain: list[str]) -> type[_Checks]:
        """A subclass of this loader for one reading of a file and its parents."""
        return type(cls.__name__, (cls,), {"chain": chain})

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        data = self.construct_document(node)
        if data is not None and not isinstance(data, dict):
            raise ConfigError(
                f"{_at(self.name, node.start_mark)}: the configuration must be a mapping of "
                f"options (name: value), not {_kind(data)}"
            )
        if isinstance(data, dict) and "INHERIT" in data:
            # Its key, where written so; else the mapping (a merge key or a tag built it).
            mark = (_entry(node, "INHERIT") or (node,))[0].start_mark
            self.chain.append(inherited(self.name, data["INHERIT"], mark, self.chain))
        return data


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


def _relative_tag(loader: yaml.SafeLoader, node: yaml.Node) -> None:
    """``!relative``: a scalar, as MkDocs requires, read as nothing."""
    loader.construct_scalar(node)  # type: ignore[arg-type]


class _Fallback(ConfigChecks, yaml.SafeLoader):
    """The fallback's loader. It reads ``!ENV`` with MkDocs' own constructor, and refuses a
    tag it does not know, as MkDocs does. Two tags it cannot read alike: ``!relative`` (MkDocs
    makes a path of the page being rendered) and ``!!python/name:`` (MkDocs imports what it
    names; a fallback that reads a file never runs code) are read as nothing. Neither is
    ever an option of this tool; they matter to Markdown extensions."""


_Fallback.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
_Fallback.add_constructor("!relative", _relative_tag)
_Fallback.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def inherited(name: str, value: Any, mark: yaml.Mark, chain: list[str]) -> str:
    """The file an ``INHERIT`` names, as MkDocs finds it (next to the file that names it),
    once it is known to be one MkDocs can read without harm. Its name is the one MkDocs
    opens, so both readers name it alike in a message."""
    where = _at(name, mark)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: INHERIT must name a file, such as base.yml, not {value!r}")
    parent = os.path.normpath(os.path.join(os.path.dirname(name), value))
    if not os.path.exists(parent):
        raise ConfigError(f"{where}: the INHERIT file {parent} does not exist")
    if os.path.realpath(parent) in chain:
        raise ConfigError(f"{where}: INHERIT {value} goes round in a circle")
    config_bytes(parent, where)  # a FIFO would keep MkDocs waiting, a huge file reading
    return os.path.realpath(parent)


def config_bytes(name: str, where: str | None = None) -> bytes:
    """A configuration file's bytes: a regular file (wherever it lies: a shared parent may
    sit outside the project) of at most :data:`MAX_CONFIG_BYTES`."""
    try:
        return read_regular(name, MAX_CONFIG_BYTES, "the limit of a configuration file")
    except Refused as exc:
        # An INHERITed file is named at the INHERIT that names it.
        raise ConfigError(
            f"{where}: {name}: {exc.message}" if where else f"{name}: {exc.message}"
        ) from None


def yaml_problem(name: str, exc: yaml.YAMLError) -> ConfigError:
    """The one-line message of a file that is not YAML, at the line and column at fault."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        context = f" ({exc.context})" if exc.context else ""
        return ConfigError(f"{_at(name, exc.problem_mark)}: not valid YAML: {exc.problem}{context}")
    if isinstance(exc, yaml.reader.ReaderError):
        # No line: the text could not be decoded that far.
        return ConfigError(
            f"{name}: unreadable character at position {exc.position} ({exc.reason})"
        )
    return ConfigError(f"{name}: not valid YAML: {' '.join(str(exc).split())}")


def _at(name: str, mark: yaml.Mark) -> str:
    return f"{name}:{mark.line + 1}:{mark.column + 1}"


def _kind(value: Any) -> str:
    return "a list" if isinstance(value, list) else f"the single value {value!r}"


def read_config(path: Path) -> Any:
    """The configuration file as MkDocs reads it, for when MkDocs is not installed:
    ``!ENV`` tags resolved, and an ``INHERIT``ed parent merged under it (mappings deeply,
    the rest replaced), as ``mkdocs.utils.yaml.yaml_load`` does."""
    return _read_inheriting(str(path), [os.path.realpath(path)])


def _read_inheriting(name: str, chain: list[str]) -> dict[str, Any]:
    stream = io.BytesIO(config_bytes(name))
    stream.name = name  # the name in YAML's marks
    try:
        loader = _Fallback.reading(chain)(stream)  # its reader decodes the text at once
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise yaml_problem(name, exc) from None
    if data is None:
        return {}
    if "INHERIT" not in data:
        return dict(data)
    parent = os.path.normpath(os.path.join(os.path.dirname(name), data.pop("INHERIT")))
    return _merge(_read_inheriting(parent, chain), data)


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
    options = plugin_options(data, path)
    try:
        settings = settings_from_options(options, root, rule_codes)
    except ConfigError as exc:
        raise _placed(exc, path) from None
    strict = data.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(
            f"{option_position(path, ['strict'], plugin=False)}: 'strict' must be true or false"
        )
    return replace(settings, strict=strict)


_OPTION = re.compile(r"option 'postmortems\.([^'\s]+)'")


def _placed(exc: ConfigError, path: Path) -> ConfigError:
    """A bad option's error with the place of the option's key in front, as every other
    problem is shown; as it was when the option is not written as a plain key anywhere."""
    named = _OPTION.search(str(exc))
    where = option_position(path, named[1].split(".")) if named else str(path)
    return exc if where == str(path) else ConfigError(f"{where}: {exc}")


def option_position(path: Path, keys: list[str], *, plugin: bool = True) -> str:
    """``path:line:col`` of the most deeply nested of ``keys`` (``rules``, ``BL007``) written
    in the plugin's options (or, ``plugin=False``, at the top of the file), in the first
    file of the ``INHERIT`` chain that writes it: a child's keys win over its parent's. The
    path alone when none does."""
    name: str | None = str(path)
    seen: list[str] = []
    while name is not None and name not in seen and len(seen) < _MAX_CHAIN:
        seen.append(name)
        root = _composed(name)
        node = _plugin_node(root) if plugin else root
        found = _deepest_key(node, keys)
        if found is not None:
            return _at(name, found.start_mark)
        name = _inherited_name(name, _value(root, "INHERIT"))
    return str(path)


def _inherited_name(name: str, written: yaml.Node | None) -> str | None:
    """The file a plain ``INHERIT: base.yml`` names, as :func:`inherited` finds it."""
    if not isinstance(written, yaml.ScalarNode) or written.tag != "tag:yaml.org,2002:str":
        return None
    return os.path.normpath(os.path.join(os.path.dirname(name), written.value))


_MAX_CHAIN = 32  # INHERIT files followed to place a message; a real chain has two or three


def _composed(name: str) -> yaml.Node | None:
    """A configuration file's YAML nodes (their positions), or None when it is not YAML."""
    try:
        return yaml.compose(config_bytes(name), Loader=yaml.SafeLoader)
    except (ConfigError, yaml.YAMLError):
        return None


def _entry(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The key's node and its value's node in a mapping node, as written."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return key_node, value
    return None


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    entry = _entry(node, key)
    return entry[1] if entry else None


def _plugin_node(root: yaml.Node | None) -> yaml.Node | None:
    """The options of the ``postmortems`` entry of ``plugins``, in either form."""
    plugins = _value(root, "plugins")
    if isinstance(plugins, yaml.SequenceNode):
        return next(
            (_value(item, "postmortems") for item in plugins.value if _entry(item, "postmortems")),
            None,
        )
    return _value(plugins, "postmortems")


def _deepest_key(node: yaml.Node | None, keys: list[str]) -> yaml.Node | None:
    found = None
    for key in keys:
        entry = _entry(node, key)
        if entry is None:
            break
        found, node = entry
    return found


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
    node = _value(_composed(str(path)), "plugins")
    if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and index is not None:
        items = node.value
        if 0 <= index < len(items):
            item = items[index]
            node = item[0] if isinstance(item, tuple) else item
    if not isinstance(node, yaml.Node):
        return str(path)
    return _at(str(path), node.start_mark)
