"""What other write-ups call our sections, keys and columns: one table, for the checker's
"did you mean" hints and for the importer alike.

Every name is compared folded (:func:`fold`): lowercase, punctuation and extra spaces
dropped, so ``## Root cause analysis:`` and ``root-cause analysis`` are the same heading.
"""

from __future__ import annotations

import re

# Our section -> headings other templates and teams use for it.
SECTIONS: dict[str, tuple[str, ...]] = {
    "Summary": (
        "overview",
        "executive summary",
        "tl;dr",
        "tldr",
        "description",
        "incident summary",
        "what happened",
        "details",
        "background",
    ),
    "Timeline": ("timeline of events", "chronology", "sequence of events", "incident timeline"),
    "Impact": (
        "customer impact",
        "user impact",
        "business impact",
        "impact assessment",
        "scope",
        "blast radius",
        "stats",
    ),
    "Root Causes": (
        "root cause analysis",
        "rca",
        "cause",
        "causes",
        "contributing factors",
        "contributing factor",
        "why did it happen",
        "why it happened",
        "trigger",
        "analysis",
    ),
    "What Went Well": ("what went right", "went well", "things that went well", "successes"),
    "What Could Be Improved": (
        "what went wrong",
        "what could have gone better",
        "what didn't go well",
        "what did not go well",
        "lessons learned",
        "lessons",
        "learnings",
        "where we got lucky",
        "improvements",
        "areas for improvement",
    ),
    "Action Items": (
        "actions",
        "next steps",
        "follow-ups",
        "follow ups",
        "followups",
        "follow-up actions",
        "remediation",
        "remediations",
        "remediation items",
        "corrective actions",
        "outcomes/corrective actions",
        "outcomes",
        "todo",
        "tasks",
    ),
}

# Our front-matter key -> keys other tools and blogs use for it.
KEYS: dict[str, tuple[str, ...]] = {
    "started": ("date", "start", "start_time", "started_at", "incident_date", "began"),
    "detected": ("detected_at", "detection", "detection_time"),
    "resolved": ("resolved_at", "end", "end_time", "ended", "mitigated"),
    "published": ("published_at", "publish_date"),
    "authors": ("author", "owner", "owners", "written_by", "by"),
    "severity": ("sev", "priority", "level", "impact_level"),
    "services": ("service", "components", "component", "systems", "system", "affected_services"),
    "tags": ("tag", "labels", "categories", "keywords"),
    "title": ("name", "subject", "headline"),
    "facilitator": ("incident_commander", "ic", "lead"),
}

# Our action-item column -> headers other tables use for it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "Action": ("action item", "item", "task", "description", "what", "todo", "remediation"),
    "Owner": ("assignee", "assigned to", "responsible", "who", "dri", "owners"),
    "Due": ("due date", "deadline", "by when", "when", "target date", "eta"),
    "Priority": ("prio", "pri", "importance"),
    "Status": ("state", "done", "progress"),
    "Ticket": ("issue", "jira", "link", "tracking", "bug", "reference"),
}

# Our timeline column -> headers other timelines use for it (the time is the first column).
TIMELINE_COLUMNS: dict[str, tuple[str, ...]] = {
    "Event": ("events", "what happened", "description", "details", "what", "action"),
    "Actor": (
        "actor/system",
        "actor / system",
        "system",
        "who",
        "by",
        "owner",
        "responder",
        "source",
    ),
}

_NOT_WORD = re.compile(r"[^\w/;'+]+")


def fold(name: str) -> str:
    """A name as the tables hold it: lowercase, runs of punctuation and space as one space."""
    return " ".join(_NOT_WORD.sub(" ", name.casefold()).split())


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index = {fold(ours): ours for ours in table}
    for ours, others in table.items():
        for other in others:
            index.setdefault(fold(other), ours)
    return index


_SECTIONS = _index(SECTIONS)
_KEYS = _index(KEYS)
_COLUMNS = _index(COLUMNS)
_TIMELINE_COLUMNS = _index(TIMELINE_COLUMNS)


def section_for(heading: str) -> str | None:
    """Our section for a heading another template uses, or None when it has no synonym."""
    return _SECTIONS.get(fold(heading))


def key_for(key: str) -> str | None:
    """Our front-matter key for another tool's key, or None."""
    return _KEYS.get(fold(key).replace(" ", "_")) or _KEYS.get(fold(key))


def column_for(header: str) -> str | None:
    """Our action-item column for another table's header, or None."""
    return _COLUMNS.get(fold(header))


def timeline_column_for(header: str) -> str | None:
    """Our timeline column (Event, Actor) for another table's header, or None."""
    return _TIMELINE_COLUMNS.get(fold(header))
