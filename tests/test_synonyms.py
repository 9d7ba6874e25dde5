"""The one synonym table: what other write-ups call our sections, keys and columns."""

from __future__ import annotations

import pytest

from mkdocs_postmortems.core.markdown import SECTIONS
from mkdocs_postmortems.core.synonyms import (
    COLUMNS,
    KEYS,
    column_for,
    fold,
    key_for,
    section_for,
)


@pytest.mark.parametrize(
    ("heading", "ours"),
    [
        ("Root cause analysis:", "Root Causes"),
        ("Why did it happen?", "Root Causes"),
        ("  Lessons   Learned ", "What Could Be Improved"),
        ("Next steps", "Action Items"),
        ("Outcomes/Corrective Actions", "Action Items"),
        ("What happened", "Summary"),
        ("Customer impact", "Impact"),
        ("timeline", "Timeline"),
        # A section's keyword anywhere in the heading, and the source's own numbering.
        ("Timeline (all times in PST/PDT)", "Timeline"),
        ("Detailed timeline", "Timeline"),
        ("Timeline for second period of degradation", "Timeline"),
        ("2. Timeline (all times UTC, September 5, 2026)", "Timeline"),
        ("7. Remediation", "Action Items"),
        ("Action items (owners in brackets)", "Action Items"),
        ("How are we making incidents like this less likely?", "Action Items"),
        ("What we’re doing about it", "Action Items"),
        ("Follow-up", "Action Items"),
        ("Plan", "Action Items"),
        ("Corrective and Preventative Measures", "Action Items"),
        ("1  Summary", "Summary"),
        ("Attendees", None),
    ],
)
def test_section_synonyms(heading: str, ours: str | None) -> None:
    assert section_for(heading) == ours


def test_every_section_maps_to_itself() -> None:
    assert all(section_for(name) == name for name in SECTIONS)


@pytest.mark.parametrize(
    ("key", "ours"),
    [("date", "started"), ("author", "authors"), ("sev", "severity"), ("Components", "services")],
)
def test_key_synonyms(key: str, ours: str) -> None:
    assert key_for(key) == ours


@pytest.mark.parametrize(
    ("header", "ours"), [("Assignee", "Owner"), ("Due date", "Due"), ("JIRA", "Ticket")]
)
def test_column_synonyms(header: str, ours: str) -> None:
    assert column_for(header) == ours


def test_no_synonym_belongs_to_two_names() -> None:
    for table in (KEYS, COLUMNS):
        seen: dict[str, str] = {}
        for ours, others in table.items():
            for other in others:
                assert seen.setdefault(fold(other), ours) == ours, other


def test_fold() -> None:
    assert fold("Root-Cause  Analysis:") == "root cause analysis"
