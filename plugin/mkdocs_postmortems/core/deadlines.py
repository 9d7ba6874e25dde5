"""Deadlines as pure functions of the knowledge base and ``now`` (SPEC section 3).

Overdue is not a validation error: it is reported here, on the site and by
``postmortems overdue``, so an old overdue draft never blocks an unrelated pull request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.fields import is_history
from mkdocs_postmortems.core.model import ActionItem, PostMortem
from mkdocs_postmortems.core.register import MissingWriteup, Register, match, missing_writeups


@dataclass(frozen=True)
class OverdueWriteup:
    postmortem: PostMortem
    deadline: datetime
    late_by: timedelta


@dataclass(frozen=True)
class PublishedLate:
    postmortem: PostMortem
    deadline: datetime
    days_late: int


@dataclass(frozen=True)
class OverdueAction:
    item: ActionItem
    postmortem: PostMortem
    days_late: int


@dataclass(frozen=True)
class ReviewDue:
    postmortem: PostMortem
    due: date


@dataclass
class Report:
    """Everything late at one moment."""

    now: datetime
    writeups: list[OverdueWriteup] = field(default_factory=list)
    published_late: list[PublishedLate] = field(default_factory=list)
    action_items: list[OverdueAction] = field(default_factory=list)
    reviews: list[ReviewDue] = field(default_factory=list)
    #: Serious incidents of the register that no post-mortem covers: past the deadline, and
    #: still within it.
    missing: list[MissingWriteup] = field(default_factory=list)
    due: list[MissingWriteup] = field(default_factory=list)

    @property
    def anything_overdue(self) -> bool:
        return bool(self.writeups or self.missing or self.action_items or self.reviews)


def writeup_deadline(pm: PostMortem, settings: Settings) -> datetime | None:
    """When the write-up is due: the severity's deadline after ``resolved`` (or ``started``).

    None when there is none: for its severity, or because the write-up is history."""
    if is_history(pm, settings):
        return None
    severity = settings.severity(pm.severity)
    anchor = pm.resolved or pm.started
    if severity is None or severity.deadline is None or anchor is None:
        return None
    return anchor + severity.deadline


def overdue_writeup(pm: PostMortem, settings: Settings, now: datetime) -> OverdueWriteup | None:
    deadline = writeup_deadline(pm, settings)
    if deadline is None or pm.status == "published" or now <= deadline:
        return None
    return OverdueWriteup(pm, deadline, now - deadline)


def published_late(pm: PostMortem, settings: Settings) -> PublishedLate | None:
    deadline = writeup_deadline(pm, settings)
    if deadline is None or pm.published is None or pm.status != "published":
        return None
    deadline_day = deadline.astimezone(settings.tz).date()
    if pm.published <= deadline_day:
        return None
    return PublishedLate(pm, deadline, (pm.published - deadline_day).days)


def action_days_late(item: ActionItem, today: date) -> int:
    """Days past the due date for an open item (0 when not overdue, or from history)."""
    if item.history or not item.is_open or item.due is None or today <= item.due:
        return 0
    return (today - item.due).days


def review_due(pm: PostMortem, settings: Settings, today: date) -> ReviewDue | None:
    if pm.status != "published" or pm.published is None or pm.reviewed is not None:
        return None
    if is_history(pm, settings):
        return None
    due = pm.published + settings.review_after
    return ReviewDue(pm, due) if today > due else None


def report(
    postmortems: list[PostMortem],
    settings: Settings,
    now: datetime,
    register: Register | None = None,
) -> Report:
    """What is overdue at ``now``, each list most urgent first; with the incident register,
    the serious incidents nobody has written up too."""
    today = now.astimezone(settings.tz).date()
    result = Report(now)
    for pm in postmortems:
        writeup = overdue_writeup(pm, settings, now)
        if writeup:
            result.writeups.append(writeup)
        late = published_late(pm, settings)
        if late:
            result.published_late.append(late)
        for item in pm.action_items:
            days = action_days_late(item, today)
            if days:
                result.action_items.append(OverdueAction(item, pm, days))
        review = review_due(pm, settings, today)
        if review:
            result.reviews.append(review)
    result.writeups.sort(key=lambda w: (-w.late_by, w.postmortem.id))
    result.published_late.sort(key=lambda p: (-p.days_late, p.postmortem.id))
    result.action_items.sort(key=lambda a: (-a.days_late, a.item.owner, a.postmortem.id))
    result.reviews.sort(key=lambda r: (r.due, r.postmortem.id))
    if register is not None:
        matching = match(register, postmortems)
        result.missing, result.due = missing_writeups(register, matching, settings, now)
    return result
