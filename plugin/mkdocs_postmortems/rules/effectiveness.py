"""The effectiveness review: some 30 days after publishing, did the actions work?

Written as front-matter keys (``review_outcome: effective | partly | not-effective`` and a
sentence in ``review_note``) or as a section ``## Effectiveness review`` whose text starts
with the outcome ("Effective.", "Partly effective: ...", "Not effective ..."). Either way it
is read into ``PostMortem.review_outcome`` and ``review_note``, shown on the page and counted
on the insights page."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Hit, define
from mkdocs_postmortems.core.model import REVIEW_OUTCOMES, PostMortem
from mkdocs_postmortems.core.suggestions import did_you_mean

SECTION = "Effectiveness review"

BAD_OUTCOME = define(
    "PM130",
    "review-outcome",
    "The effectiveness review's outcome is not `effective`, `partly` or `not-effective`.",
    why="The insights page counts which actions worked; an outcome in other words is "
    "counted nowhere.",
    fix="Write `review_outcome: effective`, `partly` or `not-effective` with a sentence in "
    '`review_note`, or start the `## Effectiveness review` section with "Effective", '
    '"Partly effective" or "Not effective".',
    example="review_outcome: mostly",
)
NO_OUTCOME = define(
    "PM131",
    "review-without-outcome",
    "A post-mortem has a `reviewed` date but no outcome of the review.",
    why="A date says the review happened, not whether the actions worked: the question the "
    "review is for.",
    fix="Add `review_outcome` (and a sentence in `review_note`) or a `## Effectiveness "
    "review` section that starts with the outcome.",
    level="info",
)
# The words a section's text may start with, to our outcome.
_OPENING = re.compile(
    r"^\W*(?:(?P<partly>partly(?:\s+effective)?)|(?P<not>not[\s-]+effective)|(?P<yes>effective))"
    r"\b[\s.:;,*_\u2013\u2014-]*",
    re.IGNORECASE,
)


def read_review(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    front = pm.front
    if front is None:
        return
    outcome = front.data.get("review_outcome")
    note = front.data.get("review_note")
    if outcome is not None:
        text = str(outcome).strip().lower()
        if text in REVIEW_OUTCOMES:
            pm.review_outcome = text
        else:
            yield Hit(
                BAD_OUTCOME.code,
                front.value_pos("review_outcome"),
                f"unknown review outcome '{outcome}'{did_you_mean(text, REVIEW_OUTCOMES)}; use "
                + ", ".join(REVIEW_OUTCOMES),
            )
        if isinstance(note, str):
            pm.review_note = " ".join(note.split())
    section = pm.body.section(SECTION) if pm.body is not None else None
    if section is not None and not pm.review_outcome and not section.is_empty:
        text = " ".join(line.text.strip() for line in section.lines if line.kind == "prose")
        found = _OPENING.match(text.strip())
        if found is None:
            yield Hit(
                BAD_OUTCOME.code,
                section.pos,
                'the effectiveness review does not start with its outcome: "Effective", '
                '"Partly effective" or "Not effective"',
            )
        else:
            pm.review_outcome = (
                "partly" if found["partly"] else "not-effective" if found["not"] else "effective"
            )
            pm.review_note = text.strip()[found.end() :].strip()
    if pm.reviewed is not None and not pm.review_outcome and outcome is None and section is None:
        yield Hit(
            NO_OUTCOME.code,
            front.value_pos("reviewed"),
            "reviewed, but the outcome is not written: did the actions work? Add "
            "review_outcome (effective, partly, not-effective) and review_note",
        )


CHECKS = (read_review,)
