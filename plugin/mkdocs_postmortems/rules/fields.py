"""Front matter fields: required keys per status, allowed values and their order.

The values were read into typed fields by :mod:`mkdocs_postmortems.core.fields`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.fields import ALWAYS, FOR_REVIEW, INFERRED_MARKER
from mkdocs_postmortems.core.findings import Hit, define
from mkdocs_postmortems.core.model import STATUSES, PostMortem
from mkdocs_postmortems.core.suggestions import HINTS_PER_FILE, did_you_mean

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

INFERRED = define(
    "PM117",
    "inferred",
    "A time was inferred from the text by `postmortems import` and waits for a person to "
    "confirm it.",
    why="`postmortems import` reads `started`, `detected` and `resolved` from the timeline's "
    'events and the summary\'s sentences ("paged", "restored", "from 11:13 AM to 11:48 AM '
    'PDT"). A reading can be wrong (a page for another incident, a partial recovery), and '
    "every time-to-detect and time-to-resolve figure is built on these values, so none is "
    "taken as true until someone who knows the incident has looked at it.",
    fix="Check the value against the words the comment quotes; correct it if needed, then "
    "delete the `# inferred, please confirm` comment. Like the `TBD` marks of history "
    "(PM013), the findings are information (level `info`): listed, and failing neither "
    "`postmortems check --strict` nor `mkdocs build --strict`, so the first CI run after an "
    "import passes; set `PM117: warning` under `rules` to make them count.",
    level="info",
    example='detected: 2025-03-12T14:09:00Z  # inferred, please confirm: "14:09 on-call paged"',
)


def required_keys(status: str) -> tuple[str, ...]:
    if status == "published":
        return (*ALWAYS, *FOR_REVIEW, "published")
    if status == "in-review":
        return (*ALWAYS, *FOR_REVIEW)
    return ALWAYS


def check_required(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Keys required for the status, and the allowed values of severity and status."""
    front = pm.front
    if front is None:
        return
    status = pm.status if pm.status in STATUSES else "draft"
    for key in required_keys(status):
        if front.data.get(key) is None and key not in pm.to_complete:
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
        unknown = 0
        for index, service in enumerate(pm.services):
            if service not in settings.services:
                unknown += 1
                hint = did_you_mean(service, settings.services) if unknown <= HINTS_PER_FILE else ""
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
        start_day = pm.started.astimezone(pm.tz).date()
        if pm.published < start_day:
            yield Hit(
                PUBLISHED_EARLY.code,
                front.value_pos("published"),
                f"published ({pm.published}) is before the incident started ({start_day})",
            )


def check_inferred(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """A moment still carrying the importer's marker comment."""
    front = pm.front
    # A plain substring first: almost no file has the marker, and those pay for the lines.
    if front is None or INFERRED_MARKER not in pm.raw_text:
        return
    lines = pm.raw_text.split("\n")
    for key in ("started", "detected", "resolved"):
        if key not in front.data:
            continue
        pos = front.value_pos(key)
        line = lines[pos.line - 1] if pos.line <= len(lines) else ""
        marker = line.find(INFERRED_MARKER)
        if marker < 0:
            continue
        words = line[marker + len(INFERRED_MARKER) :].lstrip(": ").strip()
        yield Hit(
            INFERRED.code,
            pos,
            f"'{key}' was inferred from {words or 'the text'}: confirm it and remove the "
            "'# inferred' comment",
        )


def _show(value: datetime | date) -> str:
    return value.isoformat()


CHECKS = (check_required, check_values, check_time_order, check_inferred)
