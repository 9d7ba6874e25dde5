"""The review meeting's pack: what a facilitator prints before the post-mortem meeting.

A pure function of one post-mortem, the knowledge base's related-incidents index, the
settings and ``now``: the agenda with its timeboxes and the opening statement, the timeline
with its gaps marked, the questions placed beside what they help with, the participants,
the action-item rules checked against the file, and the similar incidents before this one
with the state of their action items. Templates (``review.html``, ``review.md.j2``) draw it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.markdown import Cell, Table
from mkdocs_postmortems.core.model import BEFORE_REVIEW, ActionItem, PostMortem
from mkdocs_postmortems.core.synonyms import timeline_column_for
from mkdocs_postmortems.site.related import RelatedIndex

#: A stretch between two timeline rows longer than this is a question for the meeting:
#: what happened in between?
SILENCE = timedelta(minutes=30)
#: Similar incidents before this one that the pack lists.
PAST_LIMIT = 3
MEETING = timedelta(minutes=60)
#: The meeting is proposed this long before the write-up's deadline: a day to write it up.
WRITE_UP_TIME = timedelta(hours=24)

OPENING = (
    "We are here to understand what happened and to improve how our systems and our team "
    "work, not to find someone to blame. Everyone involved acted reasonably with the "
    "information they had at the time; where that information was missing or misleading is "
    "what we want to find."
)
KNOWLEDGE_QUESTIONS = (
    "What did you know at this point?",
    "What options did you see?",
    "What information would have helped at that moment?",
    "What made sense to do at the time?",
)
WHYS = (
    "Why did this happen?",
    "Why was that possible?",
    "Why did nothing stop or show it sooner?",
    "Why was the system built or run that way?",
    "Why has this not come up before?",
)
ROOT_CAUSE_QUESTIONS = (
    "Where did our mental model differ from reality?",
    "What surprised you?",
    "What was harder than expected?",
)
PREVENTION_QUESTION = "What's the smallest change that would have prevented this?"
CLOSING_QUESTION = "If this happens again, what would we do differently?"


@dataclass(frozen=True)
class AgendaItem:
    minutes: int
    title: str
    what: str


AGENDA = (
    AgendaItem(5, "Opening", "Read the opening statement; introduce who is here and why."),
    AgendaItem(
        20,
        "Timeline walk-through",
        "Go through the timeline in order; fill the gaps marked below; ask what people knew "
        "and what options they saw at each point.",
    ),
    AgendaItem(
        15,
        "Root causes",
        "Ask why until the answer is about the system, not a person; never stop at "
        '"human error". Look for what made the failure possible and what kept it hidden.',
    ),
    AgendaItem(
        15,
        "Action items",
        "Prioritise by impact and effort; assign one owner per item in the room; agree on "
        "realistic dates; keep 3 to 5 meaningful items rather than many small ones.",
    ),
    AgendaItem(
        5,
        "Closing",
        "Name who writes up and circulates the draft for factual corrections, and when the "
        "effectiveness of the actions is reviewed.",
    ),
)


@dataclass(frozen=True)
class Gap:
    """Something the timeline does not tell yet. ``kind`` is one of ``detection``,
    ``moment``, ``silence`` and ``actor``; ``line`` is the file line it is about (0: the
    front matter as a whole)."""

    kind: str
    line: int
    message: str


@dataclass(frozen=True)
class TimelineRow:
    line: int
    time: str
    event: str
    actor: str
    #: A silence before this row, in minutes (0: none).
    silence_before: int = 0
    gaps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """One rule for action items and whether the file keeps it (``None``: does not apply)."""

    rule: str
    passed: bool | None
    detail: str


@dataclass(frozen=True)
class PastIncident:
    postmortem: PostMortem
    why: str
    open_items: list[ActionItem]
    done: int
    total: int


@dataclass
class Pack:
    postmortem: PostMortem
    now: datetime
    agenda: tuple[AgendaItem, ...]
    timeline: list[TimelineRow]
    gaps: list[Gap]
    root_causes: list[str]
    participants: list[tuple[str, str]]  # (name, role)
    checklist: list[Check]
    past: list[PastIncident]
    deadline: datetime | None
    meeting: datetime
    #: The timeline has an Actor column (rows without an actor are gaps only then).
    actor_column: bool = False
    questions: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {
            "timeline": KNOWLEDGE_QUESTIONS,
            "whys": WHYS,
            "root_causes": ROOT_CAUSE_QUESTIONS,
            "prevention": (PREVENTION_QUESTION,),
            "closing": (CLOSING_QUESTION,),
        }
    )
    opening: str = OPENING

    @property
    def minutes(self) -> int:
        return sum(item.minutes for item in self.agenda)

    @property
    def listed_gaps(self) -> list[Gap]:
        """The gaps not shown on a timeline row: the front matter's, and the table's own."""
        rows = {row.line for row in self.timeline}
        return [gap for gap in self.gaps if gap.line not in rows]


def has_pack(pm: PostMortem) -> bool:
    """A review pack is drawn for a post-mortem still to be reviewed."""
    return pm.readable and pm.status in BEFORE_REVIEW


def review_pack(pm: PostMortem, index: RelatedIndex, settings: Settings, now: datetime) -> Pack:
    rows, gaps, actor_column = timeline(pm)
    deadline = deadlines.writeup_deadline(pm, settings)
    return Pack(
        postmortem=pm,
        now=now,
        agenda=AGENDA,
        timeline=rows,
        gaps=gaps,
        root_causes=root_causes(pm),
        participants=participants(pm, rows),
        checklist=checklist(pm, settings),
        past=past_incidents(pm, index),
        deadline=deadline,
        meeting=meeting_time(deadline, now),
        actor_column=actor_column,
    )


def timeline(pm: PostMortem) -> tuple[list[TimelineRow], list[Gap], bool]:
    """The timeline's rows with their actors, and every gap: a moment missing from the front
    matter or from the timeline, a silence of more than :data:`SILENCE`, a row without an
    actor. Rows whose time cannot be read are shown as written and measured against nothing."""
    gaps: list[Gap] = []
    if pm.detected is None:
        gaps.append(
            Gap(
                "detection",
                0,
                "no detection time: when did someone first know something was wrong?",
            )
        )
    if pm.resolved is None:
        gaps.append(Gap("moment", 0, "no resolution time in the front matter (resolved)"))
    table = _timeline_table(pm)
    if table is None:
        return [], gaps, False
    actor_column = next(
        (
            i
            for i, cell in enumerate(table.header)
            if timeline_column_for(cell.text) == "Actor" or cell.text.strip().lower() == "actor"
        ),
        None,
    )
    event_column = 1 if len(table.header) > 1 else None
    if event_column == actor_column:
        event_column = 2 if len(table.header) > 2 else None
    if actor_column is None:
        gaps.append(Gap("actor", table.line, "the timeline has no Actor column: who did what?"))
    times = {entry.pos.line: entry.at for entry in pm.timeline}
    rows = []
    previous: datetime | None = None
    for row in table.rows:
        cells = row.cells
        time = cells[0].text if cells else ""
        event = _text(cells, event_column)
        actor = _text(cells, actor_column)
        notes = []
        silence = 0
        at = times.get(row.line)
        if at is not None and previous is not None and at - previous > SILENCE:
            silence = int((at - previous).total_seconds() // 60)
            message = f"{_minutes(silence)} without a row before {time}: what happened meanwhile?"
            gaps.append(Gap("silence", row.line, message))
            notes.append(message)
        if at is not None:
            previous = at
        if actor_column is not None and not actor:
            message = f"no actor at {time}: who or what did this?"
            gaps.append(Gap("actor", row.line, message))
            notes.append(message)
        rows.append(TimelineRow(row.line, time, event, actor, silence, tuple(notes)))
    gaps.extend(_unmarked_moments(pm, set(times.values()), table.line))
    return rows, gaps, actor_column is not None


def _timeline_table(pm: PostMortem) -> Table | None:
    section = pm.body.section("Timeline") if pm.body else None
    return section.table() if section else None


def _unmarked_moments(pm: PostMortem, times: set[datetime], line: int) -> list[Gap]:
    """Moments of the front matter with no timeline row at the same minute."""
    if not times:
        return []
    minutes = {at.replace(second=0) for at in times}
    gaps = []
    for name, at in (("started", pm.started), ("detected", pm.detected), ("resolved", pm.resolved)):
        if at is not None and at.replace(second=0, microsecond=0) not in minutes:
            shown = at.astimezone(pm.tz).strftime("%Y-%m-%d %H:%M")
            gaps.append(Gap("moment", line, f"no timeline row at {shown}, when it was {name}"))
    return gaps


def _text(cells: list[Cell], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].text


def _minutes(count: int) -> str:
    hours, minutes = divmod(count, 60)
    if not hours:
        return f"{minutes} minutes"
    return f"{hours} h {minutes:02d} min"


_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(.*)$")


def root_causes(pm: PostMortem) -> list[str]:
    """The Root Causes section as causes: its list items, or else its paragraphs."""
    section = pm.body.section("Root Causes") if pm.body else None
    if section is None:
        return []
    items: list[str] = []
    paragraphs: list[str] = []
    in_paragraph = False
    for line in section.lines:
        text = line.text.strip()
        item = _ITEM.match(line.text) if line.kind == "prose" else None
        if line.kind != "prose" or not text:
            in_paragraph = False
        elif item:
            items.append(item[1].strip())
            in_paragraph = False
        elif items and line.text[:1] in (" ", "\t"):
            items[-1] += " " + text  # a list item's continuation line
        elif in_paragraph:
            paragraphs[-1] += " " + text
        else:
            paragraphs.append(text)
            in_paragraph = True
    return items or paragraphs


# Each separator from the start of its run of spaces: from each space of a long run, the
# rest of the run was read again.
_ACTORS_APART = re.compile(r"(?<!\s)\s*(?:,|;|/|&|\band\b)\s*")


def participants(pm: PostMortem, rows: list[TimelineRow]) -> list[tuple[str, str]]:
    """Who to invite: the authors, the facilitator, and every actor of the timeline."""
    roles: dict[str, list[str]] = {}
    for name in pm.authors:
        roles.setdefault(name, []).append("author")
    if pm.facilitator:
        roles.setdefault(pm.facilitator, []).append("facilitator")
    for row in rows:
        for name in _ACTORS_APART.split(row.actor):
            if name.strip():
                roles.setdefault(name.strip(), [])
                if "in the timeline" not in roles[name.strip()]:
                    roles[name.strip()].append("in the timeline")
    return [(name, ", ".join(found)) for name, found in roles.items()]


# The rules' codes the checklist reads its verdicts from: the same findings ``check`` prints.
_RULE_CODES = {
    "action": ("PM401",),
    "owner": ("PM402",),
    "due": ("PM403",),
    "priority": ("PM404",),
    "prevention": ("PM410",),
}
_SEVERAL = re.compile(r",|;|/|&|\band\b|\+")


def checklist(pm: PostMortem, settings: Settings) -> list[Check]:
    """The rules for action items, each with the file's verdict. Where a rule of ``check``
    covers it, the verdict is that rule's findings on this file, so the two never differ."""
    items = pm.action_items
    found = {f.code for f in pm.findings}
    count = len([i for i in items if i.status != "wont-do"])
    checks = [
        Check(
            "3 to 5 meaningful items, not 20 small ones",
            3 <= count <= 5,
            f"{count} item{'s' if count != 1 else ''} to do",
        )
    ]
    several = [i for i in items if _SEVERAL.search(i.owner)]
    missing_owner = bool(found & set(_RULE_CODES["owner"]))
    checks.append(
        Check(
            "each item has one owner",
            not missing_owner and not several and bool(items),
            "an item has no owner"
            if missing_owner
            else f"shared: {several[0].owner}"
            if several
            else "no items yet"
            if not items
            else "every item has one owner",
        )
    )
    checks.append(_by_rule("each item has a due date (YYYY-MM-DD)", "due", found, items))
    checks.append(_by_rule("each item has a priority", "priority", found, items))
    ordered = [
        settings.priorities.index(i.priority) for i in items if i.priority in settings.priorities
    ]
    checks.append(
        Check(
            "items are listed by priority",
            ordered == sorted(ordered) if items else None,
            "most urgent first" if ordered == sorted(ordered) else "reorder: most urgent first",
        )
    )
    serious = pm.severity in settings.severity_names[:2]
    has_kinds = any(i.kind for i in items)
    checks.append(
        Check(
            "a serious incident has an item that detects it sooner and one that prevents it",
            (not (found & set(_RULE_CODES["prevention"]))) if serious and has_kinds else None,
            "see the Kind column"
            if serious and has_kinds
            else "add a Kind column to check this"
            if serious
            else "not a serious incident",
        )
    )
    return checks


def _by_rule(rule: str, name: str, found: set[str], items: list[ActionItem]) -> Check:
    if not items:
        return Check(rule, None, "no items yet")
    failed = bool(found & set(_RULE_CODES[name]))
    return Check(rule, not failed, "see the findings of postmortems check" if failed else "yes")


def past_incidents(
    pm: PostMortem, index: RelatedIndex, limit: int = PAST_LIMIT
) -> list[PastIncident]:
    """The most similar incidents that started before this one, best first, with the state
    of their action items."""
    started = pm.started
    past = []
    for relation in index.related(pm, limit=limit * 4):
        other = relation.postmortem
        if started is None or other.started is None or other.started >= started:
            continue
        reasons = []
        if relation.explicit:
            reasons.append("linked")
        if relation.shared_services:
            reasons.append("same service: " + ", ".join(relation.shared_services))
        if relation.shared_tags:
            reasons.append("same kind: " + ", ".join(relation.shared_tags))
        past.append(
            PastIncident(
                other,
                " · ".join(reasons),
                [i for i in other.action_items if i.is_open],
                sum(i.status == "done" for i in other.action_items),
                len(other.action_items),
            )
        )
        if len(past) == limit:
            break
    return past


def meeting_time(deadline: datetime | None, now: datetime) -> datetime:
    """When to hold the meeting: a day before the write-up's deadline (on the hour), or the
    next full hour when that has passed or there is no deadline."""
    next_hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if deadline is None:
        return next_hour
    proposed = (deadline - WRITE_UP_TIME).replace(minute=0, second=0, microsecond=0)
    return max(proposed, next_hour)
