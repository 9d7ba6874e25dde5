"""Settings: the options of the ``postmortems`` entry of ``mkdocs.yml``, their defaults
and their checks.

The CLI and the MkDocs plugin read the same entry through :func:`settings_from_options`, so a
team configures the tool once. Every option is checked here; a bad one raises
:class:`ConfigError` naming the option, which the CLI turns into exit code 2. Finding and
reading the file itself is :mod:`mkdocs_postmortems.core.config_file`'s job.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
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
from mkdocs_postmortems.core.suggestions import did_you_mean

DEFAULT_PAGES = {
    "incidents": "incidents/",
    "severity": "severity/",
    "action_items": "action-items/",
    "overdue": "overdue/",
    "services": "services/",
    "insights": "insights/",
    "changes": "changes/",
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


# What an action item improves, after the places a post-mortem feeds: better playbooks,
# earlier detection, tests against recurrence, design changes, skills, the way of working.
DEFAULT_ACTION_KINDS = ("runbook", "monitoring", "testing", "architecture", "training", "process")


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


EDITIONS = ("internal", "public")
# Left out of the public edition unless the configuration says otherwise: who wrote and ran
# the review, who owns an action item and the tracker it lives in.
INTERNAL_KEYS = ("authors", "facilitator")
INTERNAL_COLUMNS = ("Owner", "Ticket")
PUBLIC_EDITION_KEYS = ("default", "keys", "columns", "hosts", "tickets", "url")
# A ticket id as trackers write them (JIRA-123, OPS-42), but not the names of standards,
# versions and public advisories, which have the same shape (UTF-8, SHA-256, CVE-2024-1).
TICKET_PATTERN = (
    r"\b(?!(?:UTF|ISO|SHA|AES|RFC|TLS|SSL|HTTP|IPV4|IPV6|MD|CVE|GHSA|SEV|P)-)"
    r"[A-Z][A-Z0-9]{1,9}-[0-9]+\b"
)


@dataclass(frozen=True)
class PublicEdition:
    """What the public edition leaves out, and what its leak check looks for."""

    default: str = "internal"  # the visibility of a post-mortem that does not say
    keys: tuple[str, ...] = INTERNAL_KEYS
    columns: tuple[str, ...] = INTERNAL_COLUMNS
    hosts: tuple[str, ...] = ()  # patterns of internal host names, beside the built-in ones
    tickets: str = TICKET_PATTERN
    url: str = ""  # where the public edition is published, for the internal site's link


@dataclass(frozen=True)
class Settings:
    """Everything the core needs to know about a knowledge base."""

    root: Path = field(default_factory=Path.cwd)
    folder: str = "postmortems"
    severities: tuple[Severity, ...] = DEFAULT_SEVERITIES
    priorities: tuple[str, ...] = ("P0", "P1", "P2", "P3")
    action_kinds: tuple[str, ...] = DEFAULT_ACTION_KINDS
    timezone: str = "UTC"
    required_sections: tuple[str, ...] = SECTIONS
    review_after: timedelta = timedelta(days=30)
    #: An incident on the same service and of the same kind (a tag) within this span of an
    #: earlier one repeats it (site.related).
    recurrence_window: timedelta = timedelta(days=90)
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
    #: Ticket URL patterns by project key (``OPS`` -> ``https://tracker/browse/{id}``).
    tickets: Mapping[str, str] = field(default_factory=dict)
    edition: str = "internal"
    public_edition: PublicEdition = field(default_factory=PublicEdition)

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
    "action_kinds",
    "timezone",
    "required_sections",
    "review_after_days",
    "recurrence_days",
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
    "tickets",
    "edition",
    "public_edition",
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
    if "enabled" in options:
        # Read by the MkDocs plugin only; checked here so that a value the build refuses
        # fails the commands too.
        switch(options["enabled"], "option 'postmortems.enabled'")
    if "folder" in options:
        kwargs["folder"] = _string(options, "folder")
    if "severities" in options:
        kwargs["severities"] = _severities(options["severities"])
    if "priorities" in options:
        kwargs["priorities"] = _names(options, "priorities")
    if "action_kinds" in options:
        kwargs["action_kinds"] = _names(options, "action_kinds")
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
    if "recurrence_days" in options:
        days = options["recurrence_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_REVIEW_DAYS:
            raise ConfigError(
                "option 'postmortems.recurrence_days' must be a whole number from 1 to "
                f"{MAX_REVIEW_DAYS}"
            )
        kwargs["recurrence_window"] = timedelta(days=days)
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
            kwargs[flag] = switch(options[flag], f"option 'postmortems.{flag}'")
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
    if options.get("tickets") is not None:
        kwargs["tickets"] = _tickets(options["tickets"])
    if "edition" in options:
        kwargs["edition"] = edition(options["edition"], "option 'postmortems.edition'")
    if options.get("public_edition") is not None:
        kwargs["public_edition"] = _public_edition(options["public_edition"])
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


# YAML 1.1, which PyYAML and so MkDocs read, turns an unquoted on/off/yes/no into a
# boolean: ``BL007: off`` arrives as False. A user who wrote the word meant the word.
_ON = frozenset({"on", "yes", "true"})
_OFF = frozenset({"off", "no", "false"})


def switch(value: Any, where: str) -> bool:
    """An on/off option: true/false, or on/off and yes/no, read as YAML users write them."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in _ON | _OFF:
        return value.strip().casefold() in _ON
    raise ConfigError(f"{where} must be true or false (or on/off, yes/no)")


def _rule_level(code: str, value: Any) -> Level | None:
    """A rule's level as written: ``error``, ``warning``, ``info``, ``off``; off/no/false are
    ``off``; on/yes/true give None, the rule's own level."""
    word = value.strip().casefold() if isinstance(value, str) else ""
    for level in LEVELS:
        if word == level:
            return level
    if value is False or word in _OFF:
        return "off"
    if value is True or word in _ON:
        return None
    raise ConfigError(
        f"option 'postmortems.rules.{code}' must be one of error, warning, info, off (or on, "
        "for the rule's own level)"
    )


def _rule_levels(value: Any, known: Collection[str]) -> dict[str, Level]:
    if not isinstance(value, dict):
        raise ConfigError(
            "option 'postmortems.rules' must map rule codes to error, warning, info or off"
        )
    levels: dict[str, Level] = {}
    for code, written in value.items():
        if code not in known:
            raise ConfigError(
                f"option 'postmortems.rules': unknown rule '{code}'{did_you_mean(str(code), known)}"
            )
        level = _rule_level(code, written)
        if level is None:
            continue
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


#: A ticket project key as trackers write it before the number: ``OPS`` in ``OPS-2620``.
TICKET_KEY = re.compile(r"[A-Z][A-Z0-9_]{0,31}")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _tickets(value: Any) -> dict[str, str]:
    """Ticket URL patterns by project key. Only ``http(s)`` addresses: a pattern becomes a
    link on every page, and another scheme (``javascript:``, ``file:``) has no place there."""
    if not isinstance(value, dict):
        raise ConfigError(
            "option 'postmortems.tickets' must map project keys to URL patterns, e.g. "
            '{OPS: "https://tracker.example/browse/{id}"}'
        )
    patterns = {}
    for key, pattern in value.items():
        where = f"option 'postmortems.tickets.{key}'"
        if not isinstance(key, str) or not TICKET_KEY.fullmatch(key):
            raise ConfigError(
                f"{where}: a project key is capital letters, digits and '_', starting with "
                "a letter (OPS for OPS-2620)"
            )
        if not isinstance(pattern, str) or not re.match(r"https?://[^/?#\s]", pattern):
            raise ConfigError(f"{where} must be an http:// or https:// URL holding {{id}}")
        names = _PLACEHOLDER.findall(pattern)
        for name in names:
            if name != "id":
                raise ConfigError(
                    f"{where}: unknown placeholder '{{{name}}}'{did_you_mean(name, ['id'])}; "
                    "the one placeholder is {id}"
                )
        if not names:
            raise ConfigError(f"{where} must hold {{id}}, where the ticket's id goes")
        patterns[key] = pattern
    return patterns


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


def edition(value: Any, where: str) -> str:
    """``internal`` or ``public``."""
    if value not in EDITIONS:
        raise ConfigError(f"{where} must be one of {', '.join(EDITIONS)}, not {value!r}")
    return str(value)


def _public_edition(value: Any) -> PublicEdition:
    where = "option 'postmortems.public_edition'"
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a mapping such as {{default: internal}}")
    for key in value:
        if key not in PUBLIC_EDITION_KEYS:
            raise ConfigError(
                f"{where}: unknown key '{key}'{did_you_mean(key, PUBLIC_EDITION_KEYS)}"
            )
    kwargs: dict[str, Any] = {}
    if "default" in value:
        kwargs["default"] = edition(value["default"], _option("default"))
    for key in ("keys", "columns", "hosts"):
        if key in value:
            name = f"public_edition.{key}"
            kwargs[key] = _names({name: value[key]}, name, allow_empty=True)
    for key in ("hosts", "tickets"):
        patterns = kwargs.get(key, ()) if key == "hosts" else (value.get(key),)
        for pattern in patterns if key in value else ():
            if not isinstance(pattern, str) or not pattern:
                raise ConfigError(f"{_option(key)} must be a regular expression")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{_option(key)}: '{pattern}' is not a pattern: {exc}") from None
    if "tickets" in value:
        kwargs["tickets"] = value["tickets"]
    if "url" in value:
        url = value["url"] or ""  # empty: no link from the internal site
        if not isinstance(url, str) or (url and not re.match(r"https?://[^\s]+\Z", url)):
            raise ConfigError(f"{_option('url')} must be an http(s) address, not {url!r}")
        kwargs["url"] = url
    return PublicEdition(**kwargs)


def _option(key: str) -> str:
    return f"option 'postmortems.public_edition.{key}'"


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
