"""Front matter fields: types, required keys per status, allowed values and their order."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from datetime import date, datetime
from typing import Any

from mkdocs_postmortems.config import Settings, did_you_mean
from mkdocs_postmortems.dates import parse_date, parse_datetime
from mkdocs_postmortems.findings import RULES, Hit, Position, define
from mkdocs_postmortems.model import STATUSES, PostMortem

MISSING_KEY = define(
    "PM100",
    "missing-key",
    "A key the post-mortem's status requires is missing.",
    why="Every post-mortem needs a title, severity, status, start time and services to be "
    "indexed; a review needs detection and resolution times and authors, and a published one "
    "its publication date, or deadlines and durations cannot be computed.",
    fix="Add the key to the front matter. Drafts need `title`, `severity`, `status`, `started` "
    "and `services`; `in-review` adds `detected`, `resolved` and `authors`; `published` adds "
    "`published`.",
)
UNKNOWN_KEY = define(
    "PM101",
    "unknown-key",
    "The front matter has a key the tool does not know.",
    why="A misspelt key (`servces`) is silently ignored by every other tool, so its value "
    "never reaches the indexes.",
    fix="Fix the spelling (the message suggests the closest key), or remove the key. Page keys "
    "that MkDocs and mkdocs-material understand (`hide`, `search`, `template`, `description`, "
    "...) are allowed.",
)
WRONG_TYPE = define(
    "PM102",
    "wrong-type",
    "A key has a value of the wrong type.",
    why="A string where a list is expected (`services: api`) or a list where a string is "
    "expected breaks indexing and rendering.",
    fix="Write the value in the type the message names, e.g. `services: [api]`.",
)
INVALID_DATE = define(
    "PM103",
    "invalid-date",
    "A date or date-time is not valid ISO 8601, or names an impossible day.",
    why="Deadlines, durations and the timeline order are computed from these values.",
    fix="Write `YYYY-MM-DD` for dates and `YYYY-MM-DDTHH:MM[:SS]` with an optional `Z` or "
    "`+HH:MM` offset for times; without an offset the configured timezone applies.",
)
UNKNOWN_SEVERITY = define(
    "PM104",
    "unknown-severity",
    "The severity is not one of the configured levels.",
    why="Severity decides the write-up deadline and where the incident is listed.",
    fix="Use one of the configured levels (default `SEV1` to `SEV4`).",
)
UNKNOWN_STATUS = define(
    "PM105",
    "unknown-status",
    "The status is not `draft`, `in-review` or `published`.",
    why="The status decides which keys and sections are required and whether the write-up is "
    "overdue.",
    fix="Use `draft`, `in-review` or `published`.",
)
TIME_ORDER = define(
    "PM106",
    "time-order",
    "`detected` is before `started`, or `resolved` is before `detected`.",
    why="Time to detect and time to resolve would be negative, and every chart built on them "
    "wrong.",
    fix="Check the three times and their timezones: `started <= detected <= resolved`.",
)
PUBLISHED_EARLY = define(
    "PM107",
    "published-before-started",
    "The `published` date is before the incident started.",
    why="A write-up cannot be published before its incident; the date is usually a typo.",
    fix="Set `published` to the day the write-up was published.",
)
TITLE_LENGTH = define(
    "PM108",
    "title-length",
    "The title is empty or longer than 200 characters.",
    why="The title is the link text in every index and search result.",
    fix="Write a title of 1 to 200 characters that says what broke.",
)
EMPTY_LIST = define(
    "PM109",
    "empty-list",
    "`authors` or `services` is an empty list.",
    why="Without services an incident cannot be found by service; without authors nobody is "
    "accountable for the write-up.",
    fix="List at least one name.",
)
UNKNOWN_SERVICE = define(
    "PM110",
    "unknown-service",
    "A service is not in the configured service catalog.",
    why="A misspelt service splits one service's history in two, hiding recurrence.",
    fix="Use the name from the catalog (the message suggests the closest), or add the service "
    "to the catalog.",
)
INVALID_IMPACT = define(
    "PM111",
    "invalid-impact",
    "A key of `impact` is unknown or has the wrong type.",
    why="Impact figures are compared across incidents; they must mean the same thing everywhere.",
    fix="Use `users_affected` (whole number >= 0), `revenue` (text), `data_loss` (true, false "
    "or text) and `customer_comms` (text).",
)
INVALID_ID = define(
    "PM112",
    "invalid-id",
    "The `id` is not usable in a URL.",
    why="The id is the page's address and the name other post-mortems use in `related`.",
    fix="Use letters, digits, `.`, `_` and `-`, starting with a letter or digit.",
)
INVALID_IGNORE = define(
    "PM011",
    "invalid-ignore",
    "A rule is silenced without a reason, or the code is unknown.",
    why="A silenced rule is a decision the next reader should understand; an unknown code "
    "silences nothing.",
    fix="Write `ignore: {BL003: why this is fine}` in the front matter, or "
    "`<!-- postmortems: ignore BL003 why this is fine -->` on or above the line.",
)

PAGE_KEYS = frozenset(
    ("hide", "search", "template", "description", "icon", "subtitle", "social", "comments")
)
ALWAYS = ("title", "severity", "status", "started", "services")
FOR_REVIEW = ("detected", "resolved", "authors")
KEYS = (
    "title",
    "severity",
    "status",
    "started",
    "detected",
    "resolved",
    "published",
    "authors",
    "services",
    "tags",
    "facilitator",
    "impact",
    "related",
    "reviewed",
    "id",
    "ignore",
)
IMPACT_KEYS = ("users_affected", "revenue", "data_loss", "customer_comms")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_CODE = re.compile(r"[A-Z]{2}\d{3}")


def required_keys(status: str) -> tuple[str, ...]:
    if status == "published":
        return (*ALWAYS, *FOR_REVIEW, "published")
    if status == "in-review":
        return (*ALWAYS, *FOR_REVIEW)
    return ALWAYS


def read_fields(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Turn the raw front matter into typed fields, reporting every value that does not fit."""
    front = pm.front
    if front is None:
        return
    data = front.data
    for key, value in data.items():
        key = str(key)
        if key in PAGE_KEYS:
            pm.meta[key] = value
        elif key not in KEYS:
            yield Hit(
                UNKNOWN_KEY.code,
                front.key_pos(key),
                f"unknown key '{key}'{did_you_mean(key, KEYS)}",
            )
    tz = settings.tz
    pm.title = yield from _text(pm, "title")
    pm.severity = yield from _text(pm, "severity")
    pm.status = yield from _text(pm, "status")
    pm.facilitator = yield from _text(pm, "facilitator")
    pm.started = yield from _datetime(pm, "started", tz)
    pm.detected = yield from _datetime(pm, "detected", tz)
    pm.resolved = yield from _datetime(pm, "resolved", tz)
    pm.published = yield from _date(pm, "published")
    pm.reviewed = yield from _date(pm, "reviewed")
    pm.authors = yield from _list(pm, "authors")
    pm.services = yield from _list(pm, "services")
    pm.tags = yield from _list(pm, "tags")
    pm.related = yield from _list(pm, "related")
    pm.impact = yield from _impact(pm)
    if "id" in data:
        ident = yield from _text(pm, "id")
        if ident and not _ID.fullmatch(ident):
            yield Hit(INVALID_ID.code, front.value_pos("id"), f"id '{ident}' is not URL-safe")
        elif ident:
            pm.id = ident
    yield from _ignores(pm)


def _wrong(pm: PostMortem, key: str, expected: str, value: Any) -> Hit:
    assert pm.front is not None
    return Hit(
        WRONG_TYPE.code,
        pm.front.value_pos(key),
        f"'{key}' must be {expected}, not {_kind(value)}",
    )


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty"
    return "a string"


def _text(pm: PostMortem, key: str) -> Generator[Hit, None, str]:
    assert pm.front is not None
    value = pm.front.data.get(key)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        yield _wrong(pm, key, "a string", value)
        return ""
    return value.strip()


def _list(pm: PostMortem, key: str) -> Generator[Hit, None, list[str]]:
    assert pm.front is not None
    value = pm.front.data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        yield _wrong(pm, key, f"a list (write `{key}: [{value}]`)", value)
        return []
    items = []
    for index, item in enumerate(value):
        if isinstance(item, (str, int)) and not isinstance(item, bool) and str(item).strip():
            items.append(str(item).strip())
        else:
            yield Hit(
                WRONG_TYPE.code,
                pm.front.value_pos(key, index),
                f"'{key}' items must be non-empty strings, not {_kind(item)}",
            )
    return items


def _datetime(pm: PostMortem, key: str, tz: Any) -> Generator[Hit, None, datetime | None]:
    assert pm.front is not None
    value = pm.front.data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        yield _wrong(pm, key, "a date and time such as 2026-03-04T14:05:00Z", value)
        return None
    try:
        return parse_datetime(value, tz)
    except ValueError as exc:
        yield Hit(INVALID_DATE.code, pm.front.value_pos(key), f"'{key}': {_reason(exc, value)}")
        return None


def _date(pm: PostMortem, key: str) -> Generator[Hit, None, date | None]:
    assert pm.front is not None
    value = pm.front.data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        yield _wrong(pm, key, "a date such as 2026-03-04", value)
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        yield Hit(INVALID_DATE.code, pm.front.value_pos(key), f"'{key}': {_reason(exc, value)}")
        return None


def _reason(exc: ValueError, value: str) -> str:
    text = str(exc)
    return text if value in text else f"'{value}' is not a real date ({text})"


def _impact(pm: PostMortem) -> Generator[Hit, None, dict[str, Any]]:
    assert pm.front is not None
    value = pm.front.data.get("impact")
    if value is None:
        return {}
    if not isinstance(value, dict):
        yield _wrong(pm, "impact", "a mapping", value)
        return {}
    impact: dict[str, Any] = {}
    for key, item in value.items():
        pos = pm.front.key_pos_in("impact", str(key)) or pm.front.value_pos("impact")
        if key not in IMPACT_KEYS:
            hint = did_you_mean(str(key), IMPACT_KEYS)
            yield Hit(INVALID_IMPACT.code, pos, f"unknown impact key '{key}'{hint}")
            continue
        ok = {
            "users_affected": isinstance(item, int) and not isinstance(item, bool) and item >= 0,
            "data_loss": isinstance(item, (bool, str)),
        }.get(key, isinstance(item, str))
        if not ok:
            expected = {
                "users_affected": "a whole number >= 0",
                "data_loss": "true, false or a description",
            }.get(key, "a string")
            yield Hit(
                INVALID_IMPACT.code,
                pm.front.value_pos("impact", key),
                f"impact '{key}' must be {expected}, not {_kind(item)}",
            )
            continue
        impact[key] = item
    return impact


def _ignores(pm: PostMortem) -> Iterator[Hit]:
    assert pm.front is not None
    value = pm.front.data.get("ignore")
    if value is None:
        return
    if not isinstance(value, dict):
        yield Hit(
            INVALID_IGNORE.code,
            pm.front.value_pos("ignore"),
            "'ignore' must map rule codes to reasons, e.g. `ignore: {BL003: quoting a vendor}`",
        )
        return
    for code, reason in value.items():
        pos = pm.front.key_pos_in("ignore", str(code)) or pm.front.value_pos("ignore")
        hit = ignore_problem(str(code), reason, pos)
        if hit:
            yield hit
        else:
            pm.ignored[str(code)] = str(reason).strip()


def ignore_problem(code: str, reason: Any, pos: Position) -> Hit | None:
    """Why a silence is not honoured: an unknown code, or no reason given."""
    if not _CODE.fullmatch(code) or code not in RULES:
        hint = did_you_mean(code, RULES)
        return Hit(INVALID_IGNORE.code, pos, f"cannot silence unknown rule '{code}'{hint}")
    if not isinstance(reason, str) or not reason.strip():
        return Hit(INVALID_IGNORE.code, pos, f"silencing {code} needs a reason")
    return None


def check_required(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Keys required for the status, and the allowed values of severity and status."""
    front = pm.front
    if front is None:
        return
    status = pm.status if pm.status in STATUSES else "draft"
    for key in required_keys(status):
        if front.data.get(key) is None:
            reason = "" if key in ALWAYS else f" (required when status is '{status}')"
            pos = front.key_pos(key) if key in front.data else front.end
            yield Hit(MISSING_KEY.code, pos, f"missing required key '{key}'{reason}")
    if pm.severity and pm.severity not in settings.severity_names:
        levels = ", ".join(settings.severity_names)
        hint = did_you_mean(pm.severity, settings.severity_names)
        yield Hit(
            UNKNOWN_SEVERITY.code,
            front.value_pos("severity"),
            f"unknown severity '{pm.severity}'{hint}; levels are {levels}",
        )
    if pm.status and pm.status not in STATUSES:
        hint = did_you_mean(pm.status, STATUSES)
        yield Hit(
            UNKNOWN_STATUS.code,
            front.value_pos("status"),
            f"unknown status '{pm.status}'{hint}; use draft, in-review or published",
        )


def check_values(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Lengths, empty lists and catalog membership."""
    front = pm.front
    if front is None:
        return
    if "title" in front.data and not 1 <= len(pm.title) <= 200:
        yield Hit(
            TITLE_LENGTH.code,
            front.value_pos("title"),
            f"title must be 1 to 200 characters, not {len(pm.title)}",
        )
    for key in ("authors", "services"):
        if front.data.get(key) == []:
            yield Hit(EMPTY_LIST.code, front.value_pos(key), f"'{key}' must list at least one name")
    if settings.services is not None:
        for index, service in enumerate(pm.services):
            if service not in settings.services:
                hint = did_you_mean(service, settings.services)
                yield Hit(
                    UNKNOWN_SERVICE.code,
                    front.value_pos("services", index),
                    f"service '{service}' is not in the service catalog{hint}",
                )


def check_time_order(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """``started <= detected <= resolved``, and nothing published before it started."""
    front = pm.front
    if front is None:
        return
    if pm.started and pm.detected and pm.detected < pm.started:
        yield Hit(
            TIME_ORDER.code,
            front.value_pos("detected"),
            f"detected ({_show(pm.detected)}) is before started ({_show(pm.started)})",
        )
    earliest = pm.detected or pm.started
    if earliest and pm.resolved and pm.resolved < earliest:
        which = "detected" if pm.detected else "started"
        yield Hit(
            TIME_ORDER.code,
            front.value_pos("resolved"),
            f"resolved ({_show(pm.resolved)}) is before {which} ({_show(earliest)})",
        )
    if pm.started and pm.published:
        start_day = pm.started.astimezone(settings.tz).date()
        if pm.published < start_day:
            yield Hit(
                PUBLISHED_EARLY.code,
                front.value_pos("published"),
                f"published ({pm.published}) is before the incident started ({start_day})",
            )


def _show(value: datetime | date) -> str:
    return value.isoformat()


CHECKS = (read_fields, check_required, check_values, check_time_order)
