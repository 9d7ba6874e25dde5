"""The incident register: every incident the paging or incident tool knows, written up or not.

The register's formats are read in :mod:`mkdocs_postmortems.integrations`; this module holds
what the rest of the tool needs from it: the incidents, which post-mortem covers which
incident (linked with ``incident:``, or guessed from time and service), and the serious
incidents nobody has written up. Matching and missing write-ups are pure functions of the
register, the post-mortems, the settings and ``now``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from mkdocs_postmortems.core.checks import Ruleset
from mkdocs_postmortems.core.config import ConfigError, RegisterSettings, Settings
from mkdocs_postmortems.core.findings import Finding, Hit, Position, Rule, define
from mkdocs_postmortems.core.knowledge_base import resolve_findings
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.suggestions import Hints, did_you_mean

REGISTER_UNREADABLE = define(
    "PM600",
    "register-unreadable",
    "The incident register cannot be read in its configured format.",
    why="Without the register, serious incidents that nobody has written up stay invisible.",
    fix="Check `register.path` (relative to mkdocs.yml) and `register.format`: a PagerDuty or "
    'incident.io file is the JSON of their incident list (`{"incidents": [...]}`); a CSV '
    "file needs a header row with the columns named in `register.columns`.",
)
REGISTER_UNKNOWN_SEVERITY = define(
    "PM601",
    "register-unknown-severity",
    "An incident in the register has a level that maps to none of ours.",
    why="Its write-up deadline depends on the level; guessing one would hide or invent a "
    "missing write-up.",
    fix="Add the level to `register.severities` (map it to one of the configured severities, "
    "or to `null` to ignore incidents of that level).",
)
REGISTER_INVALID_TIME = define(
    "PM602",
    "register-invalid-time",
    "An incident's start or resolution time in the register is not a date and time.",
    why="Deadlines are counted from the resolution time; matching post-mortems needs the start.",
    fix="Export times in ISO 8601 (`2026-03-04T14:02:00Z`; without an offset the configured "
    "timezone applies).",
)
REGISTER_DUPLICATE_ID = define(
    "PM603",
    "register-duplicate-id",
    "Two incidents in the register have the same id.",
    why="A post-mortem links to an incident by its id; two incidents cannot share one.",
    fix="Remove the repeated row, or point `register.columns.id` at a column that is unique.",
)
REGISTER_MISSING_FIELD = define(
    "PM604",
    "register-missing-field",
    "An incident in the register has no id, no title or no start time.",
    why="An incident without an id cannot be linked, and one without a start cannot be dated.",
    fix="Fill in the field in the incident tool, or map the right column in `register.columns`.",
)
REGISTER_RESOLVED_BEFORE_STARTED = define(
    "PM605",
    "register-resolved-before-started",
    "An incident in the register was resolved before it started.",
    why="The write-up deadline is counted from the resolution: a time before the start is "
    "wrong, and a deadline counted from it would be wrong too.",
    fix="Correct the start or the resolution time in the incident tool or the export (a "
    "time without an offset is in the configured timezone: check `timezone`).",
)
INCIDENT_NOT_FOUND = define(
    "PM610",
    "incident-not-found",
    "An `incident:` id or number names no incident in the register.",
    why="A broken link leaves the incident looking as if nobody had written it up.",
    fix="Use the incident's id or number as the register has it (PagerDuty: `Q1ABC2DEF` or "
    "`4521`; incident.io: `INC-123`), or refresh the register.",
)
INCIDENT_GUESSED = define(
    "PM611",
    "incident-guessed",
    "A post-mortem without `incident:` was matched to an incident by time and service.",
    why="A guess can be wrong: the write-up may cover another incident, and the guessed one "
    "would then wrongly count as written up.",
    fix="Add `incident: <id>` (or a list) naming the incident(s) the write-up covers.",
    level="warning",
)


class RegisterError(ConfigError):
    """The register has problems at level ``error``; the message lists every one."""


@dataclass(frozen=True)
class Incident:
    """One incident of the register, its level already mapped to one of ours."""

    id: str
    title: str
    started: datetime
    resolved: datetime | None
    severity: str = ""  # one of ours; empty when the register's level is ignored
    level: str = ""  # the register's own level, as written there
    number: str = ""
    services: tuple[str, ...] = ()
    url: str = ""
    pos: Position = Position(1)  # noqa: RUF009 (a tuple: immutable)
    where: str = ""  # the JSON path or CSV row, for messages


@dataclass(frozen=True)
class Problem:
    """Something wrong in the register file, before it knows its configured level."""

    rule: Rule
    pos: Position
    message: str


@dataclass
class Register:
    """The incidents of the register file, and the problems reported at warning level."""

    display: str
    incidents: list[Incident] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: The ids and numbers of incidents left out by ``since``: a post-mortem may still name
    #: them, but they are never missing write-ups.
    older: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._by_id = {incident.id: incident for incident in self.incidents}
        self._by_number = {
            _ref_key(incident.number): incident for incident in self.incidents if incident.number
        }

    def find(self, ref: str) -> Incident | None:
        """The incident with this id, or with this number (``4521``, ``#4521``, ``inc-123``)."""
        return self._by_id.get(ref) or self._by_number.get(_ref_key(ref))

    def knows(self, ref: str) -> bool:
        """Whether ``ref`` names an incident, in the register or left out by ``since``."""
        return self.find(ref) is not None or _ref_key(ref) in self.older


def _ref_key(ref: str) -> str:
    return ref.strip().removeprefix("#").casefold()


def build_register(
    display: str,
    entries: Iterable[Incident | Problem],
    config: RegisterSettings,
    settings: Settings,
) -> Register:
    """The register from a format's incidents and problems: levels mapped, ``since`` applied,
    duplicates found, and every problem given its configured level.

    Raises :class:`RegisterError` listing every problem at level ``error``; an incident with
    a problem is left out whatever the problem's level.
    """
    problems: list[Problem] = []
    incidents: list[Incident] = []
    seen: dict[str, Incident] = {}
    older: set[str] = set()
    for entry in entries:
        if isinstance(entry, Problem):
            problems.append(entry)
            continue
        if config.since is not None and entry.started.astimezone(settings.tz).date() < config.since:
            older.update(_ref_key(ref) for ref in (entry.id, entry.number) if ref)
            continue
        if entry.resolved is not None and entry.resolved < entry.started:
            problems.append(
                Problem(
                    REGISTER_RESOLVED_BEFORE_STARTED,
                    entry.pos,
                    f"{entry.where}: incident '{entry.id}' was resolved at "
                    f"{entry.resolved.isoformat()}, before it started at "
                    f"{entry.started.isoformat()}",
                )
            )
            continue
        if entry.id in seen:
            first = seen[entry.id]
            problems.append(
                Problem(
                    REGISTER_DUPLICATE_ID,
                    entry.pos,
                    f"{entry.where}: incident id '{entry.id}' is already used at line "
                    f"{first.pos.line} ({first.where})",
                )
            )
            continue
        severity = _severity(entry.level, config, settings)
        if severity is None:
            names = [*config.severities, *settings.severity_names]
            problems.append(
                Problem(
                    REGISTER_UNKNOWN_SEVERITY,
                    entry.pos,
                    f"{entry.where}: level '{entry.level}' of incident '{entry.id}' maps to none "
                    f"of {', '.join(settings.severity_names)}; add it to register.severities"
                    f"{did_you_mean(entry.level, names)}",
                )
            )
            continue
        seen[entry.id] = entry
        # The link is shown on pages: only a web address, never a `javascript:` one.
        url = entry.url if entry.url.startswith(("https://", "http://")) else ""
        incidents.append(replace(entry, severity=severity, url=url))
    findings = []
    for problem in problems:
        level = settings.level(problem.rule.code, problem.rule.level)
        if level != "off":
            findings.append(
                Finding(
                    display,
                    problem.pos.line,
                    problem.pos.col,
                    problem.rule.code,
                    problem.message,
                    level,
                )
            )
    findings.sort()
    errors = [f for f in findings if f.level == "error"]
    if errors:
        lines = "\n".join(f"  {f.format()}" for f in errors)
        raise RegisterError(
            f"the incident register {display} has {len(errors)} "
            f"problem{'s' if len(errors) != 1 else ''}:\n{lines}"
        )
    return Register(display, incidents, findings, frozenset(older))


def _severity(level: str, config: RegisterSettings, settings: Settings) -> str | None:
    """Our level for the register's: mapped, or the same name; "" when ignored; None when
    it is unknown. An incident with no level at all has no write-up deadline."""
    if not level:
        return ""
    if level in config.severities:
        return config.severities[level] or ""
    return level if settings.severity(level) is not None else None


@dataclass(frozen=True)
class Link:
    """A post-mortem covering an incident: named in its ``incident:``, or guessed."""

    incident: Incident
    postmortem: PostMortem
    guessed: bool


@dataclass
class Matching:
    links: list[Link] = field(default_factory=list)
    #: ``incident:`` values that name nothing: the post-mortem, the value's index, the value.
    unknown: list[tuple[PostMortem, int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_incident: dict[str, list[Link]] = {}
        self.by_postmortem: dict[str, list[Link]] = {}
        for link in self.links:
            self.by_incident.setdefault(link.incident.id, []).append(link)
            self.by_postmortem.setdefault(link.postmortem.id, []).append(link)


def match(register: Register, postmortems: Sequence[PostMortem]) -> Matching:
    """Link each post-mortem to the incidents it names; guess for those that name none.

    A guess needs the post-mortem's time window (started to resolved) to overlap the
    incident's and at least one service in common. Only incidents that no post-mortem names
    are guessed at, so an explicit link always wins.
    """
    links: list[Link] = []
    unknown: list[tuple[PostMortem, int, str]] = []
    for pm in postmortems:
        for index, ref in enumerate(pm.incidents):
            incident = register.find(ref)
            if incident is not None:
                links.append(Link(incident, pm, guessed=False))
            elif not register.knows(ref):
                unknown.append((pm, index, ref))
    named = {link.incident.id for link in links}
    # Indexed by service, so a guess looks only at incidents that share one: a large
    # knowledge base against a large register stays linear.
    by_service: dict[str, list[Incident]] = {}
    for incident in register.incidents:
        if incident.id not in named:
            for service in {_service_key(s) for s in incident.services}:
                by_service.setdefault(service, []).append(incident)
    for pm in postmortems:
        if pm.incidents or pm.started is None:
            continue
        start, end = pm.started, pm.resolved or pm.started
        candidates = {
            incident.id: incident
            for service in {_service_key(s) for s in pm.services}
            for incident in by_service.get(service, ())
        }
        for incident in sorted(candidates.values(), key=lambda i: (i.started, i.id)):
            if incident.started <= end and (incident.resolved or incident.started) >= start:
                links.append(Link(incident, pm, guessed=True))
    return Matching(links, unknown)


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _service_key(name: str) -> str:
    """``Checkout API`` and ``checkout-api`` are one service."""
    return _NOT_WORD.sub("-", name.casefold()).strip("-")


def link_hits(register: Register, matching: Matching) -> Iterator[tuple[PostMortem, Hit]]:
    """A finding for every ``incident:`` that names nothing, and for every guessed match."""
    hints: Hints | None = None  # built once, and only when an id names nothing
    for pm, index, ref in matching.unknown:
        assert pm.front is not None
        hints = hints or Hints(
            [i.id for i in register.incidents] + [i.number for i in register.incidents if i.number]
        )
        listed = isinstance(pm.front.data.get("incident"), list)
        pos = pm.front.value_pos("incident", index) if listed else pm.front.value_pos("incident")
        yield (
            pm,
            Hit(
                INCIDENT_NOT_FOUND.code,
                pos,
                f"incident '{ref}' is not in the register {register.display}"
                f"{hints.did_you_mean(ref)}",
            ),
        )
    guessed: dict[str, list[Link]] = {}
    for link in matching.links:
        if link.guessed:
            guessed.setdefault(link.postmortem.id, []).append(link)
    for links in guessed.values():
        pm = links[0].postmortem
        ids = [link.incident.id for link in links]
        value = ids[0] if len(ids) == 1 else f"[{', '.join(ids)}]"
        described = ", ".join(f"{i.id} ({i.title})" for i in (link.incident for link in links))
        pos = pm.front.key_pos("incident") if pm.front is not None else Position(1)
        yield (
            pm,
            Hit(
                INCIDENT_GUESSED.code,
                pos,
                f"guessed from time and service to cover {described}; add `incident: {value}` "
                "if it does, so the match is no longer a guess",
            ),
        )


def add_link_findings(
    postmortems: Sequence[PostMortem], register: Register, settings: Settings, ruleset: Ruleset
) -> None:
    """Report broken and guessed links on the post-mortems, at their configured levels."""
    readable = [pm for pm in postmortems if pm.front is not None]
    for pm, hit in link_hits(register, match(register, readable)):
        pm.hits.append(hit)
        pm.findings.extend(resolve_findings(pm, [hit], settings, ruleset))


@dataclass(frozen=True)
class MissingWriteup:
    """A serious incident with no post-mortem: overdue when ``left`` is negative."""

    incident: Incident
    deadline: datetime
    left: timedelta

    @property
    def late_by(self) -> timedelta:
        return -self.left


def missing_writeups(
    register: Register, matching: Matching, settings: Settings, now: datetime
) -> tuple[list[MissingWriteup], list[MissingWriteup]]:
    """The incidents with a write-up deadline, resolved, and covered by no post-mortem:
    those past the deadline (most late first), and those still within it (soonest first).

    An incident still open has no deadline yet: it is counted from the resolution.
    """
    overdue: list[MissingWriteup] = []
    due: list[MissingWriteup] = []
    for incident in register.incidents:
        level = settings.severity(incident.severity)
        if level is None or level.deadline is None or incident.resolved is None:
            continue
        if incident.id in matching.by_incident:
            continue
        deadline = incident.resolved + level.deadline
        entry = MissingWriteup(incident, deadline, deadline - now)
        (overdue if now > deadline else due).append(entry)
    overdue.sort(key=lambda m: (m.left, m.incident.id))
    due.sort(key=lambda m: (m.left, m.incident.id))
    return overdue, due
