"""The effectiveness review, repeated incidents, and small incidents' write-ups on the site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import VALID, Checker
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.rules import RULESET
from mkdocs_postmortems.site.learning import coverage
from sitebuild import build_site, html, write_project

REVIEWED = VALID.replace("tags: [config, deploy]", "tags: [config, deploy]\nreviewed: 2026-04-10")


def codes(findings: list) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.col) for f in findings]


def test_an_outcome_with_a_note_is_read(check: Checker, tmp_path: Path) -> None:
    text = REVIEWED.replace(
        "reviewed: 2026-04-10", 'reviewed: 2026-04-10\nreview_outcome: partly\nreview_note: "Half."'
    )
    assert check(text) == []
    pm = load(Settings(root=tmp_path), RULESET).postmortems[0]
    assert (pm.review_outcome, pm.review_note) == ("partly", "Half.")


def test_an_unknown_outcome_is_reported_with_a_suggestion(check: Checker) -> None:
    findings = check(
        REVIEWED.replace("reviewed: 2026-04-10", "reviewed: 2026-04-10\nreview_outcome: efective")
    )
    assert codes(findings) == [("PM130", 14, 17)]
    assert "did you mean 'effective'" in findings[0].message


def test_reviewed_without_an_outcome_is_information(check: Checker) -> None:
    """Information, not a warning: a knowledge base that recorded review dates before the
    outcome existed keeps passing `check --strict`."""
    findings = check(REVIEWED)
    assert codes(findings) == [("PM131", 13, 11)]
    assert findings[0].level == "info"


@pytest.mark.parametrize(
    ("opening", "outcome", "note"),
    [
        (
            "Effective. The alert caught the next one.",
            "effective",
            "The alert caught the next one.",
        ),
        ("Partly effective: the rollout is still open.", "partly", "the rollout is still open."),
        ("**Not effective** - it came back in May.", "not-effective", "it came back in May."),
    ],
)
def test_the_section_starts_with_its_outcome(
    check: Checker, tmp_path: Path, opening: str, outcome: str, note: str
) -> None:
    text = REVIEWED + f"\n## Effectiveness review\n\n{opening}\n"
    assert check(text) == []
    pm = load(Settings(root=tmp_path), RULESET).postmortems[0]
    assert (pm.review_outcome, pm.review_note) == (outcome, note.strip("*").strip())


def test_a_section_without_an_outcome_is_reported_at_its_heading(check: Checker) -> None:
    text = REVIEWED + "\n## Effectiveness review\n\nWe looked again in April.\n"
    heading = text.splitlines().index("## Effectiveness review") + 1
    assert codes(check(text)) == [("PM130", heading, 1)]


def incident(
    day: str, slug: str, severity: str = "SEV2", tags: str = "[config, deploy]"
) -> tuple[str, str]:
    text = (
        VALID.replace("2026-03-04", day)
        .replace("published: 2026-03-06", f"published: {day}")
        .replace("severity: SEV2", f"severity: {severity}")
        .replace("tags: [config, deploy]", f"tags: {tags}")
    )
    return f"{day}-{slug}.md", text


@pytest.mark.build
def test_the_site_marks_repeats_and_counts_them_and_the_outcomes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")  # 2026-06-01
    first = incident("2026-01-10", "checkout-config")
    again = incident("2026-03-04", "checkout-config-again")
    other_kind = incident("2026-03-20", "checkout-capacity", tags="[capacity]")
    too_late = incident("2026-05-25", "checkout-config-late")
    small = incident("2026-04-02", "checkout-typo", severity="SEV4", tags="[typo]")
    files = dict([first, again, other_kind, too_late, small])
    name, text = first
    files[name] = text.replace(
        "tags: [config, deploy]",
        'tags: [config, deploy]\nreviewed: 2026-02-10\nreview_outcome: not-effective\nreview_note: "It came back."',
    )
    config = write_project(
        tmp_path, files, config={"plugins": ["search", {"postmortems": {"recurrence_days": 60}}]}
    )
    site = build_site(config)
    repeat = html(site, "postmortems/2026-03-04-checkout-config-again")
    assert "Repeats an earlier incident" in repeat
    assert 'href="../2026-01-10-checkout-config/"' in repeat
    assert "within 60 days" in repeat
    # Another kind on the same service, and the same kind after the window, do not repeat.
    assert "Repeats an earlier incident" not in html(
        site, "postmortems/2026-03-20-checkout-capacity"
    )
    assert "Repeats an earlier incident" not in html(
        site, "postmortems/2026-05-25-checkout-config-late"
    )
    assert "Effectiveness review: the actions did not work" in html(
        site, "postmortems/2026-01-10-checkout-config"
    )
    assert "It came back." in html(site, "postmortems/2026-01-10-checkout-config")
    insights = html(site, "insights")
    assert 'data-pm-repeats="1"' in insights
    outcomes = re.search(r"<table data-pm-outcomes>(.*?)</table>", insights, re.S)
    assert outcomes is not None
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", outcomes[1])
    assert cells == [
        "the actions worked",
        "0",
        "partly",
        "0",
        "did not work",
        "1",
        "published, not reviewed yet",
        "4",
    ]
    small_rows = re.search(r"<table data-pm-small-coverage>(.*?)</table>", insights, re.S)
    assert small_rows is not None
    rows = [
        re.findall(r"<td[^>]*>([^<]*)</td>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", small_rows[1])
    ]
    assert [row for row in rows if row] == [
        ["2026-Q1", "0", "0", "0%"],
        ["2026-Q2", "0", "1", "50%"],
    ]


def test_coverage_counts_the_register_incidents_written_up(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from mkdocs_postmortems.core.register import Incident, Register, match

    files = dict([incident("2026-04-02", "checkout-typo", severity="SEV4", tags="[typo]")])
    for name, text in files.items():
        path = tmp_path / "postmortems" / name
        path.parent.mkdir(parents=True)
        path.write_text(
            text.replace("tags: [typo]", "tags: [typo]\nincident: INC-1"), encoding="utf-8"
        )
    kb = load(Settings(root=tmp_path), RULESET)
    at = datetime(2026, 4, 2, 14, 2, tzinfo=timezone.utc)
    register = Register(
        "register.json",
        [
            Incident("INC-1", "typo", at, at, severity="SEV4"),
            Incident("INC-2", "another", at, at, severity="SEV4"),
            Incident("INC-3", "small", at, at, severity="SEV3"),
        ],
    )
    rows = coverage(
        kb.indexed, ["SEV3", "SEV4"], kb.settings, register, match(register, kb.indexed)
    )
    assert [(r.quarter, r.writeups, r.incidents, r.covered) for r in rows] == [
        ("2026-Q2", {"SEV3": 0, "SEV4": 1}, {"SEV3": 1, "SEV4": 2}, {"SEV3": 0, "SEV4": 1})
    ]


def test_a_repeat_banner_names_the_newest_three_after_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the Summary the banner pushed the story off a phone's first screen: it comes
    after it, naming the newest three and linking to the service's incidents for the rest."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")  # 2026-06-01
    earlier = [incident(f"2026-03-{day:02}", f"checkout-config-{day}") for day in range(1, 6)]
    files = dict([*earlier, incident("2026-03-20", "checkout-config-again")])
    site = build_site(write_project(tmp_path, files))
    page = html(site, "postmortems/2026-03-20-checkout-config-again")
    banner = page[
        page.index("pm-banner-repeat") : page.index("</div>", page.index("pm-banner-repeat"))
    ]
    named = re.findall(r'href="\.\./(2026-03-\d\d-checkout-config-\d)/"', banner)
    assert named == [
        "2026-03-05-checkout-config-5",
        "2026-03-04-checkout-config-4",
        "2026-03-03-checkout-config-3",
    ]
    assert "and 2 earlier" in banner
    assert 'href="../../services/checkout-api/"' in banner
    assert page.index('<h2 id="summary">') < page.index("pm-banner-repeat")
    assert page.index("pm-banner-repeat") < page.index('<div class="pm-card" id="facts">')
