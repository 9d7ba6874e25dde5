"""What the insights page says about learning, beside reliability: which incidents came
back, whether the actions worked, and whether small incidents are written up at all.

Pure functions of the post-mortems, the related-incidents index, the settings and (for
coverage) the incident register; ``site/templates/insights_learning.html`` draws them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.model import REVIEW_OUTCOMES, PostMortem
from mkdocs_postmortems.core.register import Matching, Register
from mkdocs_postmortems.core.stats import quarter
from mkdocs_postmortems.site.related import RelatedIndex

#: Repeating incidents the page lists (all are counted).
LISTED_REPEATS = 10


@dataclass(frozen=True)
class Coverage:
    """One quarter's write-ups of the levels without a deadline (by default SEV3 and SEV4):
    how many, their share of all write-ups, and with the register the share of its incidents
    of each level that have one."""

    quarter: str
    writeups: dict[str, int]
    total: int
    incidents: dict[str, int] = field(default_factory=dict)
    covered: dict[str, int] = field(default_factory=dict)


@dataclass
class Learning:
    repeats: list[tuple[PostMortem, list[PostMortem]]]
    repeat_count: int
    outcomes: dict[str, int]
    not_reviewed: int  # published, without an outcome
    small_levels: list[str]
    coverage: list[Coverage]
    window_days: int


def learning(
    postmortems: Sequence[PostMortem],
    index: RelatedIndex,
    settings: Settings,
    register: Register | None = None,
    matching: Matching | None = None,
) -> Learning:
    """The figures, for post-mortems that could be read (newest first as given)."""
    readable = [pm for pm in postmortems if pm.readable and pm.started is not None]
    window = settings.recurrence_window
    repeats = [(pm, found) for pm in readable if (found := index.repeats(pm, window))]
    outcomes = dict.fromkeys(REVIEW_OUTCOMES, 0)
    for pm in readable:
        if pm.review_outcome in outcomes:
            outcomes[pm.review_outcome] += 1
    not_reviewed = sum(pm.status == "published" and not pm.review_outcome for pm in readable)
    small = [s.name for s in settings.severities if s.deadline is None]
    return Learning(
        repeats=repeats[:LISTED_REPEATS],
        repeat_count=len(repeats),
        outcomes=outcomes,
        not_reviewed=not_reviewed,
        small_levels=small,
        coverage=coverage(readable, small, settings, register, matching),
        window_days=window.days,
    )


def coverage(
    postmortems: Sequence[PostMortem],
    levels: list[str],
    settings: Settings,
    register: Register | None = None,
    matching: Matching | None = None,
) -> list[Coverage]:
    """Quarter by quarter, oldest first, every quarter with a write-up or an incident."""
    tz = settings.tz
    writeups: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(levels, 0))
    totals: dict[str, int] = defaultdict(int)
    for pm in postmortems:
        assert pm.started is not None
        period = quarter(pm.started.astimezone(tz).date())
        totals[period] += 1
        if pm.severity in levels:
            writeups[period][pm.severity] += 1
    incidents: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(levels, 0))
    covered: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(levels, 0))
    if register is not None and matching is not None:
        for incident in register.incidents:
            if incident.severity not in levels:
                continue
            period = quarter(incident.started.astimezone(tz).date())
            incidents[period][incident.severity] += 1
            covered[period][incident.severity] += incident.id in matching.by_incident
    periods = sorted({*totals, *incidents})
    return [
        Coverage(
            period,
            dict(writeups[period]),
            totals[period],
            dict(incidents[period]) if register is not None else {},
            dict(covered[period]) if register is not None else {},
        )
        for period in periods
    ]
