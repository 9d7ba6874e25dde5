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
    "Timeline": (
        "timeline of events",
        "chronology",
        "sequence of events",
        "incident timeline",
        "detailed timeline",
        "events",
    ),
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
        "follow-up",
        "follow up",
        "follow-up items",
        "remediation",
        "remediations",
        "remediation items",
        "corrective actions",
        "outcomes/corrective actions",
        "outcomes",
        "todo",
        "tasks",
        "plan",
        "action plan",
        "action points",
        "corrective and preventative measures",
        "corrective and preventive measures",
        "preventative measures",
        "preventive measures",
        "prevention",
        "corrective measures",
        "recovery actions",
        "what we're doing about it",
        "what we are doing about it",
        "what is being done about this",
        "what we will do",
        "what we're changing",
        "how are we making incidents like this less likely",
        "going forward",
    ),
}

# Words that name a section wherever they stand in a heading: "Timeline (UTC)", "Detailed
# timeline", "Timeline for the first period", "Action items (owners in brackets)". Only
# sections whose name no other section's heading would hold.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "Timeline": ("timeline", "chronology"),
    "Action Items": ("action items", "action points", "follow-up items", "corrective actions"),
}

# What a heading over follow-ups says, in whatever words: work still to do ("Follow-up
# tasks", "Remediations", "Recommendations", "Resulting action", "Lessons learned / next
# steps", "Preventing this in future", "Short term"). Meanings, not names: a heading that
# says the work was done during the incident ("Remediation actions taken") is not.
_FUTURE_WORK = re.compile(
    r"(?<!\w)(?:actions?|follow ?ups?|remediations?|recommendations?|next steps?|tasks?"
    r"|to ?dos?|prevent\w*|we will|we'll|(?:going|looking|moving) (?:forward|ahead)|future|(?:short|medium|mid|long|near) term)"
    r"(?!\w)"
)
_CLOCK = re.compile(r"\d:\d\d")
_DONE_WORK = re.compile(
    r"(?<!\w)(?:taken|performed|during|response|responding|resolving|mitigations?|what we did)"
    r"(?!\w)"
)

# Our front-matter key -> keys other tools and blogs use for it.
KEYS: dict[str, tuple[str, ...]] = {
    "started": ("date", "start", "start_time", "started_at", "incident_date", "began"),
    "detected": ("detected_at", "detection", "detection_time"),
    # "resolvedWhen": status pages (cState) write ``resolved: true`` and the time beside it.
    "resolved": ("resolved_at", "resolvedwhen", "end", "end_time", "ended", "mitigated"),
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
    "Action": (
        "action item",
        "action items",
        "item",
        "task",
        "description",
        "what",
        "todo",
        "remediation",
    ),
    "Owner": ("assignee", "assigned to", "responsible", "who", "dri", "owners"),
    "Due": ("due date", "deadline", "by when", "when", "target date", "eta"),
    "Priority": ("prio", "pri", "importance"),
    "Status": ("state", "done", "progress"),
    "Ticket": (
        "issue",
        "jira",
        "link",
        "tracking",
        "bug",
        "reference",
        "tracking bug",
        "tracking issue",
        "tracker",
        "pr",
    ),
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
    # A typographic apostrophe ("What we’re doing") is the same as a typed one.
    return " ".join(_NOT_WORD.sub(" ", name.casefold().replace("’", "'")).split())


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


_ENUMERATION = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[ivx]{1,4}[.)]|[a-h][.)])\s+")


def section_for(heading: str) -> str | None:
    """Our section for a heading another template uses, or None when it has no synonym.

    A number in front (``2. Timeline``, ``1  Summary``) is the source's numbering, not part
    of the name; a heading that holds a section's keyword (``Timeline (all times UTC)``)
    names that section."""
    folded = _ENUMERATION.sub("", fold(heading))
    found = _SECTIONS.get(folded)
    if found is not None:
        return found
    for ours, words in KEYWORDS.items():
        if any(re.search(rf"(?<!\w){re.escape(fold(word))}(?!\w)", folded) for word in words):
            return ours
    return None


def means_future_work(heading: str) -> bool:
    """A heading that speaks of work still to do ("Follow-up tasks", "Recommendations",
    "Lessons learned / next steps"), not of work done during the incident ("Remediation
    actions taken"); a heading stamped with a time ("4:09 PM: Post-incident follow-up") is
    a timeline's entry."""
    folded = fold(heading)
    return bool(
        _FUTURE_WORK.search(folded) and not _DONE_WORK.search(folded) and not _CLOCK.search(heading)
    )


def key_for(key: str) -> str | None:
    """Our front-matter key for another tool's key, or None."""
    return _KEYS.get(fold(key).replace(" ", "_")) or _KEYS.get(fold(key)) or _moment_key(key)


# A key that names a moment of the incident in words of its own ("start_date", "endDate",
# "incident_end_time", "outage_began_at", "detection_datetime"): a word for the moment and,
# beside it, only words for when or of what.
_MOMENT_WORDS = {
    "started": {"start", "started", "begin", "began", "beginning", "onset"},
    "detected": {"detected", "detection", "noticed", "discovered"},
    "resolved": {"end", "ended", "finish", "finished", "resolution", "recovered", "recovery"},
}
_WHEN_WORDS = {
    "date",
    "time",
    "datetime",
    "at",
    "when",
    "timestamp",
    "incident",
    "outage",
    "impact",
}
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def _moment_key(key: str) -> str | None:
    words = set(_SEPARATORS.split(_CAMEL.sub(" ", key).casefold())) - {""}
    for ours, moment in _MOMENT_WORDS.items():
        if words & moment and not words - moment - _WHEN_WORDS:
            return ours
    return None


def column_for(header: str) -> str | None:
    """Our action-item column for another table's header, or None."""
    return _COLUMNS.get(fold(header))


def timeline_column_for(header: str) -> str | None:
    """Our timeline column (Event, Actor) for another table's header, or None."""
    return _TIMELINE_COLUMNS.get(fold(header))
