"""History write-ups (imported, or before ``history_before``): checked for structure, listed
everywhere, never overdue; ``TBD`` marks what a person must complete."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from conftest import VALID, VALID_NAME, Checker
from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.config import ConfigError, Settings, settings_from_options
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase
from mkdocs_postmortems.rules import RULES

# Years after every date in VALID: without history, everything is late.
LATER = datetime(2031, 1, 1, tzinfo=timezone.utc)
IMPORTED = VALID.replace("tags: [config, deploy]", 'tags: [config, deploy]\nimported: "old.md"')
OPEN_ITEMS = VALID.replace("| P1 | done |", "| P1 | open |")
LATE_DRAFT = VALID.replace("status: published", "status: in-review").replace(
    "published: 2026-03-06\n", ""
)


def codes(findings: list) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.col) for f in findings]


def test_imported_write_up_is_never_overdue(kb_of) -> None:
    kb: KnowledgeBase = kb_of(
        {VALID_NAME: OPEN_ITEMS.replace("tags: [config, deploy]", "tags: [a]\nimported: old.md")}
    )
    assert kb.findings == []
    report = deadlines.report(kb.indexed, kb.settings, LATER)
    assert not report.anything_overdue
    assert report.published_late == report.reviews == report.action_items == []
    assert kb.indexed[0].action_items[0].history


def test_the_same_write_up_without_the_marker_is_overdue(kb_of) -> None:
    kb: KnowledgeBase = kb_of({VALID_NAME: OPEN_ITEMS})
    report = deadlines.report(kb.indexed, kb.settings, LATER)
    assert report.action_items
    assert report.reviews


def test_history_before_covers_files_already_in_our_format(tmp_path: Path, kb_of) -> None:
    late = LATE_DRAFT
    settings = Settings(root=tmp_path, history_before=date(2026, 3, 5))
    kb: KnowledgeBase = kb_of({VALID_NAME: late}, settings)
    assert deadlines.report(kb.indexed, settings, LATER).writeups == []
    settings = Settings(root=tmp_path, history_before=date(2026, 3, 4))
    kb = kb_of({VALID_NAME: late}, settings)
    assert [w.postmortem.id for w in deadlines.report(kb.indexed, settings, LATER).writeups] == [
        VALID_NAME.removesuffix(".md")
    ]


def test_history_before_option(tmp_path: Path) -> None:
    options = {"history_before": date(2026, 1, 1)}
    assert settings_from_options(options, tmp_path, RULES).history_before == date(2026, 1, 1)
    text = settings_from_options({"history_before": "2026-01-01"}, tmp_path, RULES)
    assert text.history_before == date(2026, 1, 1)
    with pytest.raises(ConfigError, match="history_before"):
        settings_from_options({"history_before": "last year"}, tmp_path, RULES)


def test_marked_values_are_reported_once_each(check: Checker) -> None:
    text = (
        IMPORTED.replace("severity: SEV2", "severity: TBD")
        .replace("detected: 2026-03-04T14:09:00Z", "detected: TBD")
        .replace("authors: [Dana Whitfield]", "authors: [TBD]")
        .replace("| Dana Whitfield | 2026-03-20 | P1 |", "| TBD | TBD | TBD |")
        .replace("Config changes reach every region at once.", "TBD")
    )
    found = codes(check(text))
    assert found == [
        ("PM013", 3, 11),
        ("PM013", 6, 11),
        ("PM013", 9, 10),
        ("PM013", 45, 1),
        ("PM013", 53, 48),
    ], found
    findings = check(text)
    # What history leaves to complete is information: no strict run fails on it.
    assert all(f.level == "info" for f in findings)
    assert findings[-1].message == (
        "action item's owner, due date and priority are marked TBD: complete them"
    )


def test_marker_is_a_wrong_value_outside_history(check: Checker) -> None:
    text = VALID.replace("severity: SEV2", "severity: TBD").replace(
        "| Dana Whitfield | 2026-03-20 |", "| Dana Whitfield | TBD |"
    )
    assert [c for c, _, _ in codes(check(text))] == ["PM104", "PM403"]


def test_history_relaxes_owner_and_due_but_not_structure(check: Checker) -> None:
    blank = IMPORTED.replace("| Dana Whitfield | 2026-03-20 | P1 |", "|  |  |  |")
    assert codes(check(blank)) == []
    broken = IMPORTED.replace("| Dana Whitfield | 2026-03-20 |", "| Dana | next week |")
    assert [c for c, _, _ in codes(check(broken))] == ["PM403"]
    no_section = IMPORTED.replace("## What Went Well", "## Went")
    assert "PM200" in [c for c, _, _ in codes(check(no_section))]


def test_a_section_left_to_write_is_reported_once(check: Checker) -> None:
    timeline = IMPORTED[IMPORTED.index("## Timeline") : IMPORTED.index("## Impact")]
    actions = IMPORTED[IMPORTED.index("## Action Items") :]
    text = IMPORTED.replace(timeline, "## Timeline\n\nTBD\n\n").replace(
        actions, "## Action Items\n\nTBD\n"
    )
    assert [c for c, _, _ in codes(check(text))] == ["PM013", "PM013"]
    ours = text.replace('imported: "old.md"\n', "")
    # Not history: the same stand-ins are placeholders too (PM203), beside the missing tables.
    assert [c for c, _, _ in codes(check(ours))] == ["PM300", "PM203", "PM400", "PM407", "PM203"]
