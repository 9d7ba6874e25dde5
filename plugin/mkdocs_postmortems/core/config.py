"""Settings, read from the ``postmortems`` entry of ``mkdocs.yml``.

The CLI and the MkDocs plugin read the same entry through :func:`settings_from_options`, so a
team configures the tool once. Every option is checked here; a bad one raises
:class:`ConfigError` naming the option, which the CLI turns into exit code 2.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from mkdocs_postmortems.core.extra_fields import ExtraField, declare
from mkdocs_postmortems.core.files import DEFAULT_MAX_BYTES, Refused, read_file
from mkdocs_postmortems.core.findings import LEVELS, Level, is_locked
from mkdocs_postmortems.core.markdown import SECTIONS, canonical_section
from mkdocs_postmortems.core.model import KEYS, PAGE_KEYS

DEFAULT_PAGES = {
    "incidents": "incidents/",
    "severity": "severity/",
    "action_items": "action-items/",
    "overdue": "overdue/",
    "services": "services/",
    "insights": "insights/",
    "find": "find/",
}


class ConfigError(Exception):
    """A configuration option is wrong; the message names it."""


@dataclass(frozen=True)
class Severity:
    """A severity level with its write-up deadline, counted from resolution."""

    name: str
    label: str
    description: str
    deadline: timedelta | None


DEFAULT_SEVERITIES = (
    Severity(
        "SEV1", "Critical", "Major outage or data loss for many customers.", timedelta(hours=48)
    ),
    Severity("SEV2", "Major", "Significant degradation or a key feature down.", timedelta(days=7)),
    Severity("SEV3", "Minor", "Limited impact, a workaround exists.", None),
    Severity("SEV4", "Low", "Little or no customer impact; worth learning from.", None),
)


REGISTER_FORMATS = ("pagerduty", "incident.io", "csv")
REGISTER_COLUMNS = ("id", "title", "severity", "started", "resolved", "services", "url")


@dataclass(frozen=True)
class RegisterSettings:
    """Where the incident register is and how to read it (see docs/register.md).

    ``severities`` maps the register's levels to ours; a level mapped to None is ignored.
    ``columns`` maps our column names to a CSV file's headers.
    """

    path: Path
    format: str
    severities: Mapping[str, str | None] = field(default_factory=dict)
    since: date | None = None
    columns: Mapping[str, str] = field(default_factory=lambda: {c: c for c in REGISTER_COLUMNS})


@dataclass(frozen=True)
class Settings:
    """Everything the core needs to know about a knowledge base."""

    root: Path = field(default_factory=Path.cwd)
    folder: str = "postmortems"
    severities: tuple[Severity, ...] = DEFAULT_SEVERITIES
    priorities: tuple[str, ...] = ("P0", "P1", "P2", "P3")
    timezone: str = "UTC"
    required_sections: tuple[str, ...] = SECTIONS
    review_after: timedelta = timedelta(days=30)
    services: tuple[str, ...] | None = None
    people: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    rules: Mapping[str, Level] = field(default_factory=dict)
    pages: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PAGES))
    url_prefix: str = "postmortems/"
    pagefind: bool = False
    #: Pagefind under ``mkdocs serve`` too: it re-indexes the whole site after every edit.
    pagefind_on_serve: bool = False
    #: A Content-Security-Policy ``<meta>`` on every page (site.csp).
    content_security_policy: bool = True
    history_before: date | None = None
    register: RegisterSettings | None = None
    # mkdocs.yml's own ``strict``: warnings fail ``check`` as they fail ``mkdocs build``.
    strict: bool = False
    extra_fields: tuple[ExtraField, ...] = ()
    max_file_bytes: int = DEFAULT_MAX_BYTES

    @property
    def path(self) -> Path:
        return self.root / self.folder

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.timezone)

    @property
    def severity_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.severities)

    def severity(self, name: str) -> Severity | None:
        return next((s for s in self.severities if s.name == name), None)

    def level(self, code: str, default: Level) -> Level:
        return self.rules.get(code, default)


OPTIONS = (
    "enabled",
    "folder",
    "severities",
    "priorities",
    "timezone",
    "required_sections",
    "review_after_days",
    "service_catalog",
    "people",
    "teams",
    "rules",
    "pages",
    "url_prefix",
    "pagefind",
    "pagefind_on_serve",
    "content_security_policy",
    "history_before",
    "register",
    "extra_fields",
    "max_file_bytes",
)
# Upper bounds that keep every date the tool computes inside the calendar (see core.dates):
# a deadline or a review period longer than this is a typo, not a policy.
MAX_DEADLINE_HOURS = 24 * 366 * 10
MAX_REVIEW_DAYS = 366 * 10
MAX_FILE_BYTES = 1 << 30
# A URL path segment the tool will write pages under: no "." or "..", nothing to escape.
_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")


def settings_from_options(
    options: Mapping[str, Any] | None, root: Path, rule_codes: Collection[str]
) -> Settings:
    """Build settings from the plugin's option mapping; unknown options are errors.

    ``rule_codes`` is every rule the ``rules`` option may name (the rules package knows them).
    """
    options = dict(options or {})
    for key in options:
        if key not in OPTIONS:
            raise ConfigError(f"unknown option 'postmortems.{key}'{did_you_mean(key, OPTIONS)}")
    kwargs: dict[str, Any] = {"root": root}
    if "folder" in options:
        kwargs["folder"] = _string(options, "folder")
    if "severities" in options:
        kwargs["severities"] = _severities(options["severities"])
    if "priorities" in options:
        kwargs["priorities"] = _names(options, "priorities")
    if "timezone" in options:
        kwargs["timezone"] = _timezone(_string(options, "timezone"))
    if "required_sections" in options:
        kwargs["required_sections"] = _sections(_names(options, "required_sections"))
    if "review_after_days" in options:
        days = options["review_after_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_REVIEW_DAYS:
            raise ConfigError(
                "option 'postmortems.review_after_days' must be a whole number from 1 to "
                f"{MAX_REVIEW_DAYS}"
            )
        kwargs["review_after"] = timedelta(days=days)
    if options.get("service_catalog") is not None:
        kwargs["services"] = _catalog(root / _string(options, "service_catalog"), root)
    if "people" in options:
        kwargs["people"] = _names(options, "people", allow_empty=True)
    if "teams" in options:
        kwargs["teams"] = _names(options, "teams", allow_empty=True)
    if "rules" in options:
        kwargs["rules"] = _rule_levels(options["rules"], rule_codes)
    if "pages" in options:
        kwargs["pages"] = _pages(options["pages"])
    if "url_prefix" in options:
        prefix = _url_path(_string(options, "url_prefix"), "url_prefix")
        kwargs["url_prefix"] = f"{prefix}/" if prefix else ""
    for flag in ("pagefind", "pagefind_on_serve", "content_security_policy"):
        if flag in options:
            if not isinstance(options[flag], bool):
                raise ConfigError(f"option 'postmortems.{flag}' must be true or false")
            kwargs[flag] = options[flag]
    if options.get("history_before") is not None:
        kwargs["history_before"] = _day(options["history_before"], "history_before")
    if options.get("register") is not None:
        names = kwargs.get("severities", DEFAULT_SEVERITIES)
        kwargs["register"] = _register(options["register"], root, [s.name for s in names])
    if "extra_fields" in options:
        kwargs["extra_fields"] = _extra_fields(options["extra_fields"])
    if "max_file_bytes" in options:
        size = options["max_file_bytes"]
        if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_FILE_BYTES:
            raise ConfigError(
                f"option 'postmortems.max_file_bytes' must be a whole number from 1 to {MAX_FILE_BYTES}"
            )
        kwargs["max_file_bytes"] = size
    settings = Settings(**kwargs)
    _inside_project(settings)
    _check_pages_apart(settings)
    return settings


def _inside_project(settings: Settings) -> None:
    """The folder is inside the project: a typo such as ``../x`` or ``/etc`` would otherwise
    check (and let ``postmortems new`` write into) somebody else's files."""
    root = settings.root.resolve()
    folder = settings.path.resolve()
    if folder != root and root not in folder.parents:
        raise ConfigError(
            f"option 'postmortems.folder': '{settings.folder}' is outside the project "
            f"({root}); use a folder inside it, such as 'postmortems'"
        )


def require_folder(settings: Settings) -> None:
    """The configured folder exists: a misspelt folder is a configuration error, never a
    clean run over nothing."""
    if settings.path.is_dir():
        return
    siblings = [p.name for p in settings.path.parent.glob("*") if p.is_dir()]
    hint = did_you_mean(settings.path.name, siblings)
    raise ConfigError(
        f"option 'postmortems.folder': the folder '{settings.folder}' does not exist in "
        f"{settings.root}{hint}; create it, or start one with `postmortems new`"
    )


def no_postmortems(settings: Settings) -> ConfigError:
    """The error for a folder that holds no post-mortem where some are expected."""
    return ConfigError(
        f"option 'postmortems.folder': the folder '{settings.folder}' holds no post-mortems "
        "(.md files other than README.md and _*.md); check the folder, or start one with "
        "`postmortems new`"
    )


def _day(value: Any, key: str) -> date:
    """A date option; YAML reads an unquoted ``2026-01-01`` as a date already."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"option 'postmortems.{key}' must be a date YYYY-MM-DD") from None


def _url_path(value: str, key: str) -> str:
    """A relative URL path made of plain segments; ``..`` would put pages outside the site."""
    path = value.strip("/")
    if path and not all(_SEGMENT.fullmatch(part) for part in path.split("/")):
        raise ConfigError(
            f"option 'postmortems.{key}' must be a path of plain segments (letters, digits, "
            f"'.', '_', '-', '~'; no '.' or '..' segment), not '{value}'"
        )
    return path


def _check_pages_apart(settings: Settings) -> None:
    """An index page inside the post-mortems' folder could take a post-mortem's address."""
    prefix = settings.url_prefix
    for name, url in settings.pages.items():
        if prefix and url.startswith(prefix) and url != prefix:
            raise ConfigError(
                f"option 'postmortems.pages.{name}': '{url}' is inside the post-mortems' "
                f"folder '{prefix}', where it could replace a post-mortem's page; choose a "
                "path outside it"
            )


def did_you_mean(word: object, choices: Any) -> str:
    """A ``did you mean`` hint, or nothing when no choice is close."""
    close = closest(str(word), [str(c) for c in choices])
    return f" (did you mean '{close}'?)" if close else ""


def closest(word: str, choices: list[str]) -> str | None:
    """The choice ``word`` most likely means: the same once case, spaces and punctuation are
    dropped (``sev 1``, ``In Review``), the only one with the same digits (``1`` for
    ``SEV1``), or the closest by spelling.

    The answer does not depend on the order of ``choices`` (of several equally good ones,
    the first in sorted order wins), so a hint is the same on every run, whether the
    choices came from a set or a list, and from any subset that holds the answer."""
    folded = _fold(word)
    same = sorted(choice for choice in choices if _fold(choice) == folded)
    if same:
        return same[0]
    numbered = numbered_choices(word, choices)
    if len(numbered) == 1:
        return numbered[0]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return close[0]
    by_fold: dict[str, str] = {}
    for choice in sorted(choices):
        by_fold.setdefault(_fold(choice), choice)
    close = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=0.6)
    return by_fold[close[0]] if close else None


def numbered_choices(word: str, choices: list[str]) -> list[str]:
    """For a ``word`` that is only digits once folded, the choices with the same digits."""
    folded = _fold(word)
    if not folded.isdigit():
        return []
    return [choice for choice in choices if re.sub(r"\D", "", choice) == folded]


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _string(options: Mapping[str, Any], key: str) -> str:
    value = options[key]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"option 'postmortems.{key}' must be a non-empty string")
    return value


def _names(options: Mapping[str, Any], key: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    value = options[key]
    if (
        not isinstance(value, list)
        or not all(isinstance(v, str) and v.strip() for v in value)
        or (not value and not allow_empty)
    ):
        raise ConfigError(f"option 'postmortems.{key}' must be a list of non-empty strings")
    if len(set(value)) != len(value):
        raise ConfigError(f"option 'postmortems.{key}' lists a name twice")
    return tuple(value)


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"option 'postmortems.timezone': unknown timezone '{name}' (use an IANA name such "
            "as 'UTC' or 'Europe/Berlin')"
        ) from exc
    return name


def _sections(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(canonical_section(name) for name in names)


def _severities(value: Any) -> tuple[Severity, ...]:
    where = "option 'postmortems.severities'"
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where} must be a non-empty list of levels")
    levels = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ConfigError(f"{where}[{index}] must be a mapping with a 'name'")
        unknown = set(item) - {"name", "label", "description", "deadline_hours"}
        if unknown:
            key = sorted(unknown, key=str)[0]
            hint = did_you_mean(key, ["name", "label", "description", "deadline_hours"])
            raise ConfigError(f"{where}[{index}]: unknown key '{key}'{hint}")
        hours = item.get("deadline_hours")
        if hours is not None and (
            not isinstance(hours, (int, float))
            or isinstance(hours, bool)
            or not math.isfinite(hours)
            or not 0 < hours <= MAX_DEADLINE_HOURS
        ):
            raise ConfigError(
                f"{where}[{index}].deadline_hours must be a number of hours above 0 and at most "
                f"{MAX_DEADLINE_HOURS} (ten years)"
            )
        name = item["name"]
        levels.append(
            Severity(
                name=name,
                label=str(item.get("label", name)),
                description=str(item.get("description", "")),
                deadline=timedelta(hours=hours) if hours is not None else None,
            )
        )
    if len({s.name for s in levels}) != len(levels):
        raise ConfigError(f"{where} lists a level twice")
    return tuple(levels)


def _rule_levels(value: Any, known: Collection[str]) -> dict[str, Level]:
    if not isinstance(value, dict):
        raise ConfigError("option 'postmortems.rules' must map rule codes to error, warning or off")
    levels: dict[str, Level] = {}
    for code, level in value.items():
        if code not in known:
            raise ConfigError(
                f"option 'postmortems.rules': unknown rule '{code}'{did_you_mean(str(code), known)}"
            )
        if level not in LEVELS:
            raise ConfigError(
                f"option 'postmortems.rules.{code}' must be one of error, warning, off"
            )
        if level == "off" and is_locked(code, known):
            raise ConfigError(
                f"option 'postmortems.rules.{code}' cannot be off: {code} reports a post-mortem "
                "that the site leaves out, and silencing it would hide that; make it a warning "
                "at most, and fix the files"
            )
        levels[code] = level
    return levels


def _pages(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError("option 'postmortems.pages' must map page names to URLs")
    pages = dict(DEFAULT_PAGES)
    for name, url in value.items():
        if name not in DEFAULT_PAGES:
            raise ConfigError(
                f"option 'postmortems.pages': unknown page '{name}'{did_you_mean(name, DEFAULT_PAGES)}"
            )
        if url is False or url is None:
            pages[name] = ""
            continue
        if not isinstance(url, str) or not url.strip("/"):
            raise ConfigError(f"option 'postmortems.pages.{name}' must be a URL path or false")
        pages[name] = _url_path(url, f"pages.{name}") + "/"
    return pages


def _register(value: Any, root: Path, levels: list[str]) -> RegisterSettings:
    where = "option 'postmortems.register"
    if not isinstance(value, dict):
        raise ConfigError(f"{where}' must be a mapping with 'path' and 'format'")
    keys = ("path", "format", "severities", "since", "columns")
    for key in value:
        if key not in keys:
            raise ConfigError(f"{where}': unknown key '{key}'{did_you_mean(str(key), keys)}")
    path, fmt = value.get("path"), value.get("format")
    if not isinstance(path, str) or not path.strip():
        raise ConfigError(f"{where}.path' must name the register file, relative to mkdocs.yml")
    if fmt not in REGISTER_FORMATS:
        raise ConfigError(
            f"{where}.format' must be one of {', '.join(REGISTER_FORMATS)}, not {fmt!r}"
            f"{did_you_mean(str(fmt), REGISTER_FORMATS)}"
        )
    severities = value.get("severities") or {}
    if not isinstance(severities, dict):
        raise ConfigError(f"{where}.severities' must map the register's levels to ours")
    for theirs, ours in severities.items():
        if ours is not None and ours not in levels:
            raise ConfigError(
                f"{where}.severities.{theirs}' must be one of {', '.join(levels)} (or null to "
                f"ignore that level), not {ours!r}{did_you_mean(str(ours), levels)}"
            )
    since = value.get("since")
    if isinstance(since, str):
        try:
            since = date.fromisoformat(since.strip())
        except ValueError:
            raise ConfigError(f"{where}.since' must be a date YYYY-MM-DD, not {since!r}") from None
    if since is not None and (not isinstance(since, date) or isinstance(since, datetime)):
        raise ConfigError(f"{where}.since' must be a date YYYY-MM-DD, not {since!r}")
    columns = {c: c for c in REGISTER_COLUMNS}
    given = value.get("columns") or {}
    if not isinstance(given, dict):
        raise ConfigError(f"{where}.columns' must map column names to the file's headers")
    if given and fmt != "csv":
        raise ConfigError(f"{where}.columns' applies to the csv format only")
    for ours, header in given.items():
        if ours not in REGISTER_COLUMNS:
            hint = did_you_mean(str(ours), REGISTER_COLUMNS)
            raise ConfigError(f"{where}.columns': unknown column '{ours}'{hint}")
        if not isinstance(header, str) or not header.strip():
            raise ConfigError(f"{where}.columns.{ours}' must be a header of the CSV file")
        columns[ours] = header
    return RegisterSettings(
        path=root / path,
        format=fmt,
        severities={str(k): v for k, v in severities.items()},
        since=since,
        columns=columns,
    )


def _extra_fields(value: Any) -> tuple[ExtraField, ...]:
    try:
        return declare(value, {*KEYS, *PAGE_KEYS})
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _catalog(path: Path, root: Path) -> tuple[str, ...]:
    """Read a service catalog: a YAML list of names, or a mapping whose keys are names."""
    try:
        data = yaml.safe_load(read_file(path, root, DEFAULT_MAX_BYTES).decode("utf-8"))
    except Refused as exc:
        raise ConfigError(
            f"option 'postmortems.service_catalog': cannot read {path}: {exc.message}"
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"option 'postmortems.service_catalog': {path} is not UTF-8: {exc}"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"option 'postmortems.service_catalog': {path} is not YAML: {exc}"
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("services"), (list, dict)):
        data = data["services"]
    names = list(data) if isinstance(data, (list, dict)) else None
    if not names or not all(isinstance(n, str) for n in names):
        raise ConfigError(
            f"option 'postmortems.service_catalog': {path} must list service names "
            "(a YAML list, or a mapping whose keys are the names)"
        )
    return tuple(names)


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
    """The given file (which must exist), or the first of :data:`CONFIG_NAMES` here."""
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(f"config file not found: {config_file}")
        return config_file
    return next((Path(name) for name in CONFIG_NAMES if Path(name).is_file()), None)


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
    """The ``postmortems`` entry of a parsed mkdocs.yml, in any of the forms MkDocs takes:
    a list of names and one-key mappings, a mapping, or a single name."""
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is not a mapping of options")
    for key in data:
        if not isinstance(key, str):
            raise ConfigError(f"{path}: option {key!r} is not a name (option names are text)")
    plugins = data.get("plugins") or []
    if isinstance(plugins, str):
        plugins = [plugins]
    elif not isinstance(plugins, (list, dict)):
        raise ConfigError(f"{path}: option 'plugins' must be a list of plugins")
    entries = (
        plugins.items()
        if isinstance(plugins, dict)
        else (
            next(iter(p.items())) if isinstance(p, dict) and len(p) == 1 else (p, None)
            for p in plugins
        )
    )
    for name, options in entries:
        if name == "postmortems":
            if options is not None and not isinstance(options, dict):
                raise ConfigError(f"{path}: the 'postmortems' plugin entry must be a mapping")
            return dict(options or {})
    return None
