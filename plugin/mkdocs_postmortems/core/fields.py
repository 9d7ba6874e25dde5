"""Front matter into typed fields: every value that does not fit becomes a hit, never an
exception. This is reading, not judging: which keys a status requires, and which values are
allowed, are checked by :mod:`mkdocs_postmortems.rules.fields`."""

from __future__ import annotations

import re
from collections.abc import Collection, Generator, Iterator
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import parse_date, parse_datetime
from mkdocs_postmortems.core.extra_fields import read_extra
from mkdocs_postmortems.core.findings import Hit, Position, define, is_locked
from mkdocs_postmortems.core.markdown import Section

# The key lists live in the model (the configuration checks extra_fields against them);
# named again here, explicitly, for the modules that import them from this one.
from mkdocs_postmortems.core.model import KEYS as KEYS
from mkdocs_postmortems.core.model import PAGE_KEYS as PAGE_KEYS
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.suggestions import HINTS_PER_FILE, did_you_mean
from mkdocs_postmortems.core.synonyms import key_for

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
    fix="Write `YYYY-MM-DD` for dates and `YYYY-MM-DDTHH:MM[:SS]` with an optional `Z`, `UTC` "
    "or `+HH:MM` offset for times; without an offset the file's `timezone` key, or else the "
    "configured `timezone` option, applies.",
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
UNKNOWN_TIMEZONE = define(
    "PM113",
    "unknown-timezone",
    "The `timezone` key is not an IANA timezone name.",
    why="The file's times without an offset (`started`, `detected`, `resolved` and the timeline) "
    "are read in this zone; an unknown name would leave them unreadable.",
    fix="Write an IANA name such as `Europe/Berlin` or `America/New_York`, or remove the key "
    "to use the configured `timezone` option.",
    example="timezone: Europe/Berlin",
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
TO_COMPLETE = define(
    "PM013",
    "to-complete",
    "A history write-up holds the marker `TBD` where a person must complete it.",
    why="`postmortems import` never invents what the source does not say (a severity, an "
    "owner, a due date, a missing section, the time of a timeline row the source gives in "
    "order only): it writes `TBD` there, and this rule lists what "
    "is left. The marker is honoured only in history write-ups (imported, or before "
    "`history_before`); elsewhere `TBD` is an ordinary wrong value.",
    fix="Replace `TBD` with the value, from the team's memory, the tracker or the incident "
    "channel; or, when it cannot be known, silence the rule for the file with a reason. "
    "The findings are information (level `info`): they are listed, and neither "
    "`postmortems check --strict` nor `mkdocs build --strict` fails on them, so a team's "
    "first CI run after an import passes; set `PM013: warning` under `rules` to make them "
    "count.",
    level="info",
)
#: What ``postmortems import`` writes where the source says nothing.
TO_COMPLETE_MARKER = "TBD"
#: The comment ``postmortems import`` writes after a moment it read from the text.
INFERRED_MARKER = "# inferred, please confirm"


VALUE_TOO_LONG = define(
    "PM120",
    "value-too-long",
    "A front-matter value is longer than the tool accepts.",
    why="Names, ids and tags are short; a value of thousands of characters is a paste gone "
    "wrong, and it would slow every check (names are matched in the prose) and every page.",
    fix="Shorten the value: names, services, tags and ids to 100 characters, `description` "
    "and impact texts to 1,000.",
)
CONTROL_CHARACTER = define(
    "PM121",
    "control-character",
    "A front-matter value holds a control character or a Unicode noncharacter.",
    why="Invisible characters (`\\x81`, `\\uFFFE`, a line break in a name) cannot be written "
    "to the site's pages reliably, and they make two equal-looking values differ.",
    fix="Delete the character; retype the value if you cannot see where it is.",
)
PAGE_KEY = define(
    "PM122",
    "page-key",
    "A page key for MkDocs or its theme is not allowed on a post-mortem, or has a value "
    "the site cannot use.",
    why="The page keys reach the theme as they are: a `template` that does not exist, or a "
    "`search: 5`, fails the whole build, and the theme prints some values into the page "
    "without escaping them.",
    fix="Use only `hide` (a list of navigation, toc, footer, tags, feedback, path), `search` "
    "(`{exclude: true}`), `description` (text) and `comments` (true or false).",
)

# The page keys a post-mortem may set for MkDocs and mkdocs-material, and what each takes.
# Others (`template`, `icon`, `social`, ...) name theme files or plugins: a wrong value fails
# the build, and the plugin chooses how a post-mortem's page looks.
NOT_PAGE_KEYS = frozenset(("template", "icon", "subtitle", "social", "status", "title"))
HIDE = ("navigation", "toc", "footer", "tags", "feedback", "path")
NAME_LIMIT = 100
TEXT_LIMIT = 1000
# C0 and C1 controls (tab excepted), surrogates and the noncharacters of the first plane;
# those of the other planes (U+1FFFE, ...) are caught by _is_noncharacter.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
ALWAYS = ("title", "severity", "status", "started", "services")
FOR_REVIEW = ("detected", "resolved", "authors")
IMPACT_KEYS = ("users_affected", "revenue", "data_loss", "customer_comms")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_CODE = re.compile(r"[A-Z]{2}\d{3}")


def read_fields(pm: PostMortem, settings: Settings, known: Collection[str]) -> Iterator[Hit]:
    """Turn the raw front matter into typed fields, reporting every value that does not fit.

    ``known`` is every rule code, so that ``ignore`` can only silence a rule that exists.
    """
    front = pm.front
    if front is None:
        return
    data = front.data
    declared = {spec.name for spec in settings.extra_fields}
    unknown = 0
    for key, value in data.items():
        key = str(key)
        if key in PAGE_KEYS:
            yield from _page_key(pm, key, value)
        elif key in NOT_PAGE_KEYS and key not in KEYS:
            yield Hit(
                PAGE_KEY.code,
                front.key_pos(key),
                f"page key '{key}' is not allowed on a post-mortem (allowed: "
                f"{', '.join(sorted(PAGE_KEYS))})",
            )
        elif key not in KEYS and key not in declared:
            unknown += 1
            hint = _key_hint(key, declared) if unknown <= HINTS_PER_FILE else ""
            yield Hit(UNKNOWN_KEY.code, front.key_pos(key), f"unknown key '{key}'{hint}")
    pm.timezone, pm.tz = settings.timezone, settings.tz
    zone = yield from _text(pm, "timezone")
    if zone:
        try:
            pm.tz = ZoneInfo(zone)
            pm.timezone = zone
        except (ZoneInfoNotFoundError, ValueError, OSError):
            yield Hit(
                UNKNOWN_TIMEZONE.code,
                front.value_pos("timezone"),
                f"unknown timezone '{zone}'{did_you_mean(zone, _zones())}; use an IANA name "
                f"such as 'Europe/Berlin' (times without an offset are read in "
                f"{settings.timezone}, the configured 'timezone' option)",
            )
    tz = pm.tz
    pm.imported = yield from _text(pm, "imported")
    pm.started = yield from _datetime(pm, "started", tz)
    if is_history(pm, settings):
        for key, value in data.items():
            if key != "started" and is_marker(value):
                pm.to_complete.add(str(key))
                yield Hit(
                    TO_COMPLETE.code,
                    front.value_pos(str(key)),
                    f"'{key}' is marked {TO_COMPLETE_MARKER}: complete it",
                )
    pm.title = yield from _text(pm, "title", limit=None)
    pm.severity = yield from _text(pm, "severity")
    pm.status = yield from _text(pm, "status")
    pm.facilitator = yield from _text(pm, "facilitator")
    pm.visibility = yield from _text(pm, "visibility")
    pm.public_summary = yield from _text(pm, "public_summary", limit=None)
    pm.detected = yield from _datetime(pm, "detected", tz)
    pm.resolved = yield from _datetime(pm, "resolved", tz)
    pm.published = yield from _date(pm, "published")
    pm.reviewed = yield from _date(pm, "reviewed")
    pm.authors = yield from _list(pm, "authors")
    pm.services = yield from _list(pm, "services")
    pm.tags = yield from _list(pm, "tags")
    pm.related = yield from _list(pm, "related")
    pm.impact = yield from _impact(pm)
    pm.incidents = yield from _incidents(pm)
    if "id" in data:
        ident = yield from _text(pm, "id")
        if ident and not _ID.fullmatch(ident, 0, NAME_LIMIT + 1):
            yield Hit(INVALID_ID.code, front.value_pos("id"), f"id '{ident}' is not URL-safe")
        elif ident:
            pm.id = ident
    yield from _ignores(pm, known)
    yield from read_extra(pm, settings.extra_fields)


def is_marker(value: Any) -> bool:
    """``TBD``, or a list holding only ``TBD``: a value left for a person to complete."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return isinstance(value, str) and value.strip() == TO_COMPLETE_MARKER


def marked_section(section: Section) -> bool:
    """A section that holds nothing but the marker: left for a person to write."""
    text = [line.text.strip() for line in section.lines if line.kind == "prose"]
    return [t for t in text if t] == [TO_COMPLETE_MARKER]


def _raw(pm: PostMortem, key: str) -> Any:
    """The value as written; a marked one reads as absent (the marker is reported once)."""
    assert pm.front is not None
    return None if key in pm.to_complete else pm.front.data.get(key)


def _key_hint(key: str, declared: Collection[str]) -> str:
    """Our key for another tool's name of it (``date`` is ``started``), or the closest of
    ours and of the team's declared ``extra_fields``."""
    ours = key_for(key)
    if ours is not None and ours in KEYS:
        return f" (did you mean '{ours}'? other tools' '{key}' is this tool's '{ours}')"
    return did_you_mean(key, (*KEYS, *sorted(declared)))


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


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


def _text(pm: PostMortem, key: str, *, limit: int | None = NAME_LIMIT) -> Generator[Hit, None, str]:
    """A one-line string value; ``limit`` None for the title, whose rule reports its length."""
    assert pm.front is not None
    value = _raw(pm, key)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        yield _wrong(pm, key, "a string", value)
        return ""
    value = value.strip()
    if _fits(value, limit):
        return value  # the usual case, without a generator to say so
    return (yield from _clean(pm, key, value, (key,), limit))


def _fits(value: str, limit: int | None) -> bool:
    """Whether :func:`_clean` would return ``value`` unchanged and without a finding."""
    return (limit is None or len(value) <= limit) and _first_bad(value) is None


def _clean(
    pm: PostMortem, key: str, value: str, where: tuple[str | int, ...], limit: int | None
) -> Generator[Hit, None, str]:
    """``value`` (at path ``where`` in the front matter) within its length limit and free of
    control characters, or a finding.

    A value over the limit is dropped (it never reaches the name matching in the prose); a
    control character becomes U+FFFD, so the value still shows where it went wrong. The
    position is looked up only for a finding: most values are clean.
    """
    assert pm.front is not None
    if limit is not None and len(value) > limit:
        yield Hit(
            VALUE_TOO_LONG.code,
            pm.front.value_pos(*where),
            f"'{key}' has {len(value):,} characters; the limit is {limit:,}, so it is ignored",
        )
        return ""
    bad = _first_bad(value)
    if bad is None:
        return value
    yield Hit(
        CONTROL_CHARACTER.code,
        pm.front.value_pos(*where),
        f"'{key}' holds the invisible character U+{ord(value[bad]):04X}",
    )
    return "".join("\ufffd" if _is_bad(char) else char for char in value)


def _first_bad(value: str) -> int | None:
    match = _CONTROL.search(value)
    if match is not None:
        return match.start()
    if value.isascii():
        return None
    return next((index for index, char in enumerate(value) if _is_bad(char)), None)


def _is_bad(char: str) -> bool:
    code = ord(char)
    return bool(_CONTROL.match(char)) or (code > 0xFFFF and code & 0xFFFE == 0xFFFE)


def _page_key(pm: PostMortem, key: str, value: Any) -> Iterator[Hit]:
    """Keep a page key for MkDocs only in the one shape the theme handles."""
    assert pm.front is not None
    pos = pm.front.value_pos(key)
    if key == "description":
        if not isinstance(value, str):
            yield _wrong(pm, key, "a string", value)
            return
        text = yield from _clean(pm, key, " ".join(value.split()), (key,), TEXT_LIMIT)
        if text:
            pm.meta[key] = text
        return
    if key == "comments":
        if not isinstance(value, bool):
            yield _wrong(pm, key, "true or false", value)
            return
        pm.meta[key] = value
        return
    if key == "hide":
        if not isinstance(value, list) or not all(item in HIDE for item in value):
            yield Hit(PAGE_KEY.code, pos, f"'hide' must be a list of: {', '.join(HIDE)}")
            return
        pm.meta[key] = list(dict.fromkeys(value))
        return
    exclude = value.get("exclude") if isinstance(value, dict) else None
    if not isinstance(value, dict) or set(value) != {"exclude"} or not isinstance(exclude, bool):
        yield Hit(PAGE_KEY.code, pos, "'search' must be `{exclude: true}` or `{exclude: false}`")
        return
    pm.meta[key] = {"exclude": exclude}


def _list(pm: PostMortem, key: str) -> Generator[Hit, None, list[str]]:
    assert pm.front is not None
    value = _raw(pm, key)
    if value is None:
        return []
    if not isinstance(value, list):
        yield _wrong(pm, key, f"a list (write `{key}: [{value}]`)", value)
        return []
    items = []
    for index, item in enumerate(value):
        if isinstance(item, (str, int)) and not isinstance(item, bool) and str(item).strip():
            text = str(item).strip()
            if not _fits(text, NAME_LIMIT):
                text = yield from _clean(pm, key, text, (key, index), NAME_LIMIT)
            if text:
                items.append(text)
        else:
            yield Hit(
                WRONG_TYPE.code,
                pm.front.value_pos(key, index),
                f"'{key}' items must be non-empty strings, not {_kind(item)}",
            )
    return items


def _datetime(pm: PostMortem, key: str, tz: Any) -> Generator[Hit, None, datetime | None]:
    assert pm.front is not None
    value = _raw(pm, key)
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
    value = _raw(pm, key)
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


def _incidents(pm: PostMortem) -> Generator[Hit, None, list[str]]:
    """``incident: Q1ABC``, ``incident: 4521`` or a list of them, when one write-up covers
    several incidents of the register."""
    assert pm.front is not None
    value = pm.front.data.get("incident")
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return [str(value).strip()] if str(value).strip() else []
    return (yield from _list(pm, "incident"))


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
        if key not in IMPACT_KEYS:
            pos = pm.front.key_pos_in("impact", str(key)) or pm.front.value_pos("impact")
            hint = did_you_mean(str(key), IMPACT_KEYS)
            yield Hit(INVALID_IMPACT.code, pos, f"unknown impact key '{key}'{hint}")
            continue
        if isinstance(item, str):
            item = yield from _clean(pm, f"impact.{key}", item, ("impact", key), TEXT_LIMIT)
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


def _ignores(pm: PostMortem, known: Collection[str]) -> Iterator[Hit]:
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
        hit = ignore_problem(str(code), reason, pos, known)
        if hit:
            yield hit
        else:
            pm.ignored[str(code)] = str(reason).strip()


def ignore_problem(code: str, reason: Any, pos: Position, known: Collection[str]) -> Hit | None:
    """Why a silence is not honoured: an unknown code, or no reason given."""
    if not _CODE.fullmatch(code) or code not in known:
        hint = did_you_mean(code, known)
        return Hit(INVALID_IGNORE.code, pos, f"cannot silence unknown rule '{code}'{hint}")
    if is_locked(code, known):
        message = f"{code} cannot be silenced: it reports a post-mortem the site leaves out"
        return Hit(INVALID_IGNORE.code, pos, message)
    if not isinstance(reason, str) or not reason.strip():
        return Hit(INVALID_IGNORE.code, pos, f"silencing {code} needs a reason")
    return None


def is_history(pm: PostMortem, settings: Settings) -> bool:
    """The write-up predates the tool: imported (``imported:`` is set), or its incident
    started before the configured ``history_before`` day. History has no deadlines."""
    if pm.imported:
        return True
    cutoff = settings.history_before
    return bool(cutoff and pm.started and pm.started.astimezone(settings.tz).date() < cutoff)
