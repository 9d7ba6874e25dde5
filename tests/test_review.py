"""The review meeting's pack: gaps, questions, participants, checklist, earlier incidents,
the command, the site page, the invite and how it prints."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import icalendar
import pytest

from conftest import VALID, write
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase, load
from mkdocs_postmortems.rules import RULESET
from mkdocs_postmortems.site.related import RelatedIndex
from mkdocs_postmortems.site.review import Pack, review_pack
from sitebuild import build_site, html, write_project

NOW = datetime(2026, 3, 5, 9, 0, tzinfo=timezone.utc)

# An invented in-review SEV2 with nothing missing: every moment of the front matter has its
# row, no silence is longer than 30 minutes, every row has an actor, and the action items
# keep every rule (3 items, one owner each, dates, priorities in order, kinds).
COMPLETE = """\
---
title: Checkout API returned 500s after a config push
severity: SEV2
status: in-review
started: 2026-03-04T14:02:00Z
detected: 2026-03-04T14:09:00Z
resolved: 2026-03-04T14:40:00Z
authors: [Dana Whitfield]
facilitator: Omar Haddad
services: [checkout-api, config-service]
tags: [config, deploy]
---

## Summary

A configuration push set the checkout connection pool size to zero.

## Timeline

| Time | Event | Actor |
|------|-------|-------|
| 2026-03-04 14:02 | Config change rolled out to all regions | config-service |
| 14:09 | Error-rate alert paged the on-call engineer | Alertmanager |
| 14:30 | Previous config pushed again | Priya Raman |
| 14:40 | Errors back to baseline | checkout-api |

## Impact

About 1,200 customers saw errors at checkout for 38 minutes.

## Root Causes

- The config service accepted a pool size of zero because its schema had no minimum.
- Config changes reach every region at once,
  so one bad value is everywhere in seconds.

## What Went Well

The alert fired within seven minutes.

## What Could Be Improved

Config changes reach every region at once.

## Action Items

| Action | Owner | Due | Priority | Kind | Status |
|--------|-------|-----|----------|------|--------|
| Add a minimum of 1 to the pool size schema | Dana Whitfield | 2026-03-20 | P1 | testing | open |
| Alert on a pool size of zero | Omar Haddad | 2026-04-15 | P1 | monitoring | open |
| Roll config out one region at a time | Priya Raman | 2026-04-30 | P2 | architecture | open |
"""
NAME = "2026-03-04-checkout-config-push.md"


def pack_of(tmp_path: Path, text: str, others: dict[str, str] | None = None) -> Pack:
    kb = kb_of(tmp_path, {NAME: text, **(others or {})})
    pm = next(pm for pm in kb.postmortems if pm.path.name == NAME)
    return review_pack(pm, RelatedIndex(kb.indexed), kb.settings, NOW)


def kb_of(tmp_path: Path, files: dict[str, str]) -> KnowledgeBase:
    for name, text in files.items():
        write(tmp_path, name, text)
    return load(Settings(root=tmp_path), RULESET)


def kinds(pack: Pack) -> list[str]:
    return [gap.kind for gap in pack.gaps]


def test_a_complete_postmortem_has_no_gap(tmp_path: Path) -> None:
    pack = pack_of(tmp_path, COMPLETE)
    assert [f.code for f in pack.postmortem.findings] == []
    assert pack.gaps == []
    assert all(not row.gaps for row in pack.timeline)


def test_no_detection_time_is_a_gap(tmp_path: Path) -> None:
    text = COMPLETE.replace("detected: 2026-03-04T14:09:00Z\n", "").replace(
        "status: in-review", "status: draft"
    )
    pack = pack_of(tmp_path, text)
    assert kinds(pack) == ["detection"]
    assert pack.gaps[0].line == 0


def test_a_moment_missing_from_the_front_matter_or_the_timeline_is_a_gap(tmp_path: Path) -> None:
    text = COMPLETE.replace("resolved: 2026-03-04T14:40:00Z\n", "").replace(
        "status: in-review", "status: draft"
    )
    pack = pack_of(tmp_path, text)
    assert kinds(pack) == ["moment"]
    assert "resolved" in pack.gaps[0].message
    moved = pack_of(
        tmp_path, COMPLETE.replace("detected: 2026-03-04T14:09", "detected: 2026-03-04T14:08")
    )
    assert kinds(moved) == ["moment"]
    assert moved.gaps[0].message == "no timeline row at 2026-03-04 14:08, when it was detected"


def test_a_silence_over_30_minutes_is_a_gap_on_its_row(tmp_path: Path) -> None:
    text = (
        COMPLETE.replace("| 14:30 | Previous config", "| 14:40 | Previous config")
        .replace("| 14:40 | Errors back", "| 14:41 | Errors back")
        .replace("resolved: 2026-03-04T14:40", "resolved: 2026-03-04T14:41")
    )
    pack = pack_of(tmp_path, text)
    assert kinds(pack) == ["silence"]
    row = next(row for row in pack.timeline if row.silence_before)
    assert (row.time, row.silence_before) == ("14:40", 31)
    assert pack.gaps[0].line == row.line
    # Exactly 30 minutes is not a silence.
    assert pack_of(tmp_path, COMPLETE.replace("| 14:30 |", "| 14:39 |")).gaps == []


def test_a_row_without_an_actor_is_a_gap_and_so_is_no_actor_column(tmp_path: Path) -> None:
    pack = pack_of(tmp_path, COMPLETE.replace("| Priya Raman |\n", "| |\n", 1))
    assert kinds(pack) == ["actor"]
    assert pack.gaps[0].message == "no actor at 14:30: who or what did this?"
    without = COMPLETE.replace("| Time | Event | Actor |", "| Time | Event |").replace(
        "|------|-------|-------|", "|------|-------|"
    )
    for actor in ("config-service", "Alertmanager", "Priya Raman", "checkout-api"):
        without = without.replace(f" {actor} |\n", "\n", 1)
    pack = pack_of(tmp_path, without)
    assert kinds(pack) == ["actor"]
    assert "no Actor column" in pack.gaps[0].message


def test_every_gap_kind_reaches_both_formats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        COMPLETE.replace("detected: 2026-03-04T14:09:00Z\n", "")
        .replace("status: in-review", "status: draft")
        .replace(
            "| 14:30 | Previous config pushed again | Priya Raman |",
            "| 14:50 | Previous config pushed again | |",
        )
        .replace("| 14:40 | Errors back", "| 14:55 | Errors back")
    )
    write(tmp_path, NAME, text)
    monkeypatch.chdir(tmp_path)
    assert main(["review", "2026-03-04-checkout-config-push", "--today", "2026-03-05"]) == 0
    markdown = capsys.readouterr().out
    assert "**Gap:** no detection time" in markdown
    assert "**Gap:** no timeline row at 2026-03-04 14:40, when it was resolved" in markdown
    assert "**Gap:** 41 minutes without a row before 14:50" in markdown
    assert "| 14:50 | Previous config pushed again | **Gap:** who? |" in markdown
    assert (
        main(
            [
                "review",
                "2026-03-04-checkout-config-push",
                "--format",
                "html",
                "--today",
                "2026-03-05",
            ]
        )
        == 0
    )
    page = capsys.readouterr().out
    gaps = re.findall(r'data-gap="(\w+)"', page)
    assert sorted(set(gaps)) == ["actor", "detection", "moment", "silence"]


def test_questions_sit_beside_what_they_help_with(tmp_path: Path) -> None:
    pack = pack_of(tmp_path, COMPLETE)
    page = render_html(pack)
    timeline = page.index("<h2>Timeline</h2>")
    causes = page.index("<h2>Root causes</h2>")
    items = page.index("<h2>Action items</h2>")
    assert timeline < page.index("What did you know at this point?") < causes
    assert timeline < page.index("What options did you see?") < causes
    # The five-whys ladder once beside each root cause.
    assert page.count("Why did this happen?") == 2 == len(pack.root_causes)
    assert pack.root_causes[1] == (
        "Config changes reach every region at once, so one bad value is everywhere in seconds."
    )
    assert causes < page.index("Where did our mental model differ from reality?") < items
    assert items < page.index("What&#39;s the smallest change that would have prevented this?")
    assert "everyone involved acted reasonably" in page.lower()
    assert [(a.minutes, a.title) for a in pack.agenda] == [
        (5, "Opening"),
        (20, "Timeline walk-through"),
        (15, "Root causes"),
        (15, "Action items"),
        (5, "Closing"),
    ]
    assert pack.minutes == 60


def render_html(pack: Pack) -> str:
    from mkdocs_postmortems.site.render import render
    from mkdocs_postmortems.site.views import Formatter

    return render(
        "review.html", pack=pack, fmt=Formatter(Settings()), link=lambda pm: "", invite=""
    )


def test_participants_are_authors_facilitator_and_actors(tmp_path: Path) -> None:
    text = COMPLETE.replace("| Priya Raman |", "| Priya Raman, Dana Whitfield |")
    pack = pack_of(tmp_path, text)
    assert pack.participants == [
        ("Dana Whitfield", "author, in the timeline"),
        ("Omar Haddad", "facilitator"),
        ("config-service", "in the timeline"),
        ("Alertmanager", "in the timeline"),
        ("Priya Raman", "in the timeline"),
        ("checkout-api", "in the timeline"),
    ]


def verdicts(pack: Pack) -> dict[str, bool | None]:
    return {check.rule: check.passed for check in pack.checklist}


def test_the_checklist_passes_where_the_rules_find_nothing(tmp_path: Path) -> None:
    pack = pack_of(tmp_path, COMPLETE)
    assert all(verdicts(pack).values())


@pytest.mark.parametrize(
    ("old", "new", "rule", "code"),
    [
        ("| Omar Haddad | 2026-04-15", "|  | 2026-04-15", "each item has one owner", "PM402"),
        ("| 2026-04-15 |", "| next week |", "each item has a due date (YYYY-MM-DD)", "PM403"),
        ("| P2 | architecture", "| high | architecture", "each item has a priority", "PM404"),
        (
            "| monitoring |",
            "| process |",
            "a serious incident has an item that detects it sooner and one that prevents it",
            "PM410",
        ),
    ],
)
def test_each_verdict_is_the_rule_finding(
    tmp_path: Path, old: str, new: str, rule: str, code: str
) -> None:
    pack = pack_of(tmp_path, COMPLETE.replace(old, new, 1))
    assert code in {f.code for f in pack.postmortem.findings}
    failed = [name for name, passed in verdicts(pack).items() if passed is False]
    assert rule in failed


def test_the_checklist_counts_items_shared_owners_and_order(tmp_path: Path) -> None:
    two = COMPLETE.replace(
        "| Roll config out one region at a time | Priya Raman | 2026-04-30 | P2 | architecture | open |\n",
        "",
    )
    assert verdicts(pack_of(tmp_path, two))["3 to 5 meaningful items, not 20 small ones"] is False
    shared = COMPLETE.replace("| Omar Haddad |", "| Omar Haddad and Priya Raman |")
    assert verdicts(pack_of(tmp_path, shared))["each item has one owner"] is False
    unordered = COMPLETE.replace("| P1 | monitoring", "| P3 | monitoring")
    assert verdicts(pack_of(tmp_path, unordered))["items are listed by priority"] is False
    small = COMPLETE.replace("severity: SEV2", "severity: SEV3")
    assert (
        verdicts(pack_of(tmp_path, small))[
            "a serious incident has an item that detects it sooner and one that prevents it"
        ]
        is None
    )


def test_earlier_similar_incidents_with_their_open_items(tmp_path: Path) -> None:
    earlier = VALID.replace("2026-03-04", "2026-01-20").replace("2026-03-06", "2026-01-22")
    later = VALID.replace("2026-03-04", "2026-04-01").replace("2026-03-06", "2026-04-03")
    pack = pack_of(
        tmp_path,
        COMPLETE,
        {
            "2026-01-20-checkout-config-push.md": earlier,
            "2026-04-01-checkout-config-push.md": later,
        },
    )
    assert [p.postmortem.id for p in pack.past] == ["2026-01-20-checkout-config-push"]
    past = pack.past[0]
    assert (past.done, past.total) == (1, 2)
    assert [item.action for item in past.open_items] == ["Roll config out one region at a time"]
    assert "same service: checkout-api, config-service" in past.why


def test_meeting_is_a_day_before_the_deadline_and_the_invite_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        NAME,
        COMPLETE.replace("title: Checkout", 'title: Checkout; 50% of \\ users, "quoted"'),
    )
    monkeypatch.chdir(tmp_path)
    assert (
        main(
            [
                "review",
                NAME[:-3],
                "--today",
                "2026-03-05",
                "--out",
                "pack.md",
                "--invite",
                "review.ics",
            ]
        )
        == 0
    )
    calendar = icalendar.Calendar.from_ical((tmp_path / "review.ics").read_bytes())
    (event,) = calendar.walk("VEVENT")
    # SEV2: 7 days after 14:40 on 2026-03-04; the meeting a day before, on the hour.
    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 14, 0, tzinfo=timezone.utc)
    assert event.decoded("DURATION").total_seconds() == 3600
    assert (
        str(event["SUMMARY"])
        == 'Post-mortem review: Checkout; 50% of \\ users, "quoted" API returned 500s after a config push'
    )
    assert "Participants: Dana Whitfield, Omar Haddad" in str(event["DESCRIPTION"])
    assert (tmp_path / "pack.md").read_text().startswith("# Review meeting: Checkout")


def test_nothing_is_written_over_and_an_unknown_id_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, NAME, COMPLETE)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack.md").write_text("mine\n")
    assert main(["review", NAME[:-3], "--out", "pack.md", "--invite", "new.ics"]) == 2
    assert (tmp_path / "pack.md").read_text() == "mine\n"
    assert not (tmp_path / "new.ics").exists()
    assert "already exists" in capsys.readouterr().err
    assert main(["review", "2026-03-04-checkout-config-pus"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "did you mean '2026-03-04-checkout-config-push'" in err
    assert main(["review", NAME[:-3], "--at", "tomorrow"]) == 2
    assert "--at" in capsys.readouterr().err


@pytest.mark.build
def test_the_site_links_a_draft_to_its_printable_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772701200")  # 2026-03-05T09:00:00Z
    published = VALID.replace("2026-03-04", "2026-02-10").replace("2026-03-06", "2026-02-12")
    config = write_project(
        tmp_path, {NAME: COMPLETE, "2026-02-10-checkout-config-push.md": published}
    )
    site = build_site(config, strict=True)
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    assert '<a href="review/">printable review pack</a>' in page
    pack = html(site, "postmortems/2026-03-04-checkout-config-push/review")
    assert "Review meeting: Checkout API returned 500s" in pack
    assert 'href="../../2026-02-10-checkout-config-push/"' in pack
    assert 'href="../review.ics"' in pack
    icalendar.Calendar.from_ical(
        (site / "postmortems/2026-03-04-checkout-config-push/review.ics").read_bytes()
    )
    # A published post-mortem has had its meeting: no pack, no link.
    assert "review pack" not in html(site, "postmortems/2026-02-10-checkout-config-push")
    assert not (site / "postmortems/2026-02-10-checkout-config-push/review").exists()


ROOT = Path(__file__).resolve().parent.parent


def longest_example_in_review() -> Path:
    """The longest example post-mortem that still has its meeting ahead."""
    candidates = [
        path
        for path in (ROOT / "postmortems").rglob("*.md")
        if re.search(r"^status: (draft|in-review)$", path.read_text(encoding="utf-8"), re.M)
    ]
    return max(candidates, key=lambda path: len(path.read_text(encoding="utf-8")))


@pytest.mark.browser
def test_the_longest_example_pack_prints_on_a_few_pages(
    browser: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chromium prints the pack of the longest example in review on at most 4 A4 or Letter
    pages (3 when this was written; the PDFs are kept in tests/artifacts/ to look at)."""
    path = longest_example_in_review()
    monkeypatch.chdir(ROOT)
    out = tmp_path / "pack.html"
    args = ["review", path.stem, "--format", "html", "--out", str(out), "--today", "2026-11-25"]
    assert main(args) == 0
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(out.as_uri())
        artifacts = ROOT / "tests" / "artifacts"
        artifacts.mkdir(exist_ok=True)
        for paper in ("A4", "Letter"):
            pdf = page.pdf(format=paper)
            (artifacts / f"review-pack-{paper}.pdf").write_bytes(pdf)
            pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
            assert 1 <= pages <= 4, (paper, pages)
    finally:
        page.close()
