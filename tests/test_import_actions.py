"""Action items in the shapes real write-ups give them: under a heading that means follow-ups
whatever its words, as subheadings, as a list or paragraphs that a sentence announces; and
what was done during the incident, or written after the action items, left as text.

The fixtures in ``data/import/actions-*.md`` are invented incidents written in those shapes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.synonyms import means_future_work

FIXTURES = Path(__file__).parent / "data" / "import"
CONFIG = "plugins:\n  - postmortems:\n      folder: postmortems\n      timezone: Europe/Berlin\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def imported(capsys: pytest.CaptureFixture[str], shape: str) -> tuple[dict, str]:
    code = main(["import", str(FIXTURES / shape), "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0, out
    report = json.loads(out)["files"][0]
    assert report["outcome"] == "imported", report
    assert report["words"] == report["words_kept"]
    return report, Path(report["target"]).read_text(encoding="utf-8")


def action_rows(text: str) -> list[list[str]]:
    """The Action Items table's rows, as cells."""
    section = text.split("\n## Action Items\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


@pytest.mark.parametrize(
    ("heading", "meant"),
    [
        ("☑️ Follow-up tasks", True),
        ("Resulting actions", True),
        ("RECOMMENDATIONS", True),
        ("Lessons learned / next steps", True),
        ("Preventing this in future", True),
        ("Short term", True),
        ("Remediation actions taken", False),
        ("Response actions", False),
        ("Resolving actions", False),
        ("4:09 PM: Post-incident follow-up", False),
        ("Transactions", False),
        ("Conclusion", False),
    ],
)
def test_headings_are_read_for_what_they_mean(heading: str, meant: bool) -> None:
    assert means_future_work(heading) is meant


def test_a_heading_that_means_follow_ups_holds_them(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, text = imported(capsys, "actions-heading-meanings.md")
    rows = action_rows(text)
    assert [row[0] for row in rows] == [
        "**Short term:** **Poison handling**: Send a message to the dead-letter queue after "
        "three failed attempts",
        "**Short term:** **Alerting**: Page on indexing lag above ten minutes instead of thirty",
        "**Long term:** **Isolation**: Give each tenant its own indexing partition",
    ]
    assert all(row[1:4] == ["TBD", "TBD", "TBD"] for row in rows)
    # What was done during the incident, and the conclusion after the recommendations, stay
    # text: a careful reader counts only work still to do.
    assert "\n- Restarted the three indexing workers one at a time.\n" in text
    assert "\n- **Duration**: 88 minutes\n" in text
    assert not any("Restarted" in row[0] or "Duration" in row[0] for row in rows)
    assert any("lists what was done, not follow-ups" in kept for kept in report["kept"])


def test_task_boxes_under_follow_up_tasks(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, text = imported(capsys, "actions-follow-up-tasks.md")
    assert [(row[0], row[4]) for row in action_rows(text)] == [
        ("Prune cached layers older than a week on every runner", "done"),
        ("Alert when a runner's disk is more than 85% full", "open"),
        ("Write down how to drain a runner safely", "open"),
    ]


def test_items_written_as_subheadings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, text = imported(capsys, "actions-subheadings.md")
    rows = action_rows(text)
    assert [(row[0], row[1]) for row in rows] == [
        (
            "1) Rotate the signing key every quarter `@priya`: A scheduled job now rotates the "
            "key and keeps the previous one valid for a day.",
            "@priya",
        ),
        (
            "2) Alert before a key expires `@tomas`: An alert fires thirty days before any "
            "signing key expires.",
            "@tomas",
        ),
        (
            "3) Document the rotation `@lena`: The runbook explains how to rotate the key by "
            "hand if the job fails.",
            "@lena",
        ),
    ]
    # The code below an item cannot sit in a cell: it stays under its subheading.
    after = text.split("| @lena |", 1)[1]
    assert "#### 1) Rotate the signing key every quarter `@priya`" in after
    assert "rotate-signing-key --keep-previous 24h" in after


def test_a_list_announced_as_prevention(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report, text = imported(capsys, "actions-announced-list.md")
    assert [row[0] for row in action_rows(text)] == [
        "Certificate renewal now runs every day and reports any failure to the on-call.",
        "A check warns three weeks before any of our certificates expires.",
        "The sending service will fall back to a second relay when the first refuses it.",
    ]
    # The steps taken during the outage are not follow-ups.
    summary = text.split("\n## Summary\n", 1)[1].split("\n## ", 1)[0]
    assert "- Renewed the certificate by hand" in summary
    assert "a list of what the team will do (Summary) -> Action Items" in report["mapped"]


def test_paragraphs_that_promise_follow_ups(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, text = imported(capsys, "actions-promised-paragraphs.md")
    assert [row[0] for row in action_rows(text)] == [
        "First, the checkout service will stop retrying cache misses and read from a local "
        "copy of the price list instead. This is already live for the web checkout.",
        "Next, we'll add the cache cluster's node count to the checkout dashboard, so a lost "
        "node is seen at a glance.",
        "Later this year (Q3 2026), we plan to move the price list out of the shared cache "
        "into its own store.",
    ]
    summary = text.split("\n## Summary\n", 1)[1].split("\n## ", 1)[0]
    assert "Every request that missed the cache went to the database" in summary
    assert "paragraphs of what the team will do (Summary) -> Action Items" in report["mapped"]


def test_a_section_after_the_action_items_is_not_read_as_items(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project / "source.md"
    source.write_text(
        "# Queue backlog on 9 March 2026\n\n"
        "## What happened\n\nThe billing queue backed up for an hour on 9 March 2026.\n\n"
        "## Action items\n\n- Add a consumer-lag alert\n- Cap the batch size\n\n"
        "## Thanks\n\n- The payments team, for staying late\n- Our support staff\n",
        encoding="utf-8",
    )
    code = main(["import", str(source), "--format", "json"])
    report = json.loads(capsys.readouterr().out)["files"][0]
    assert code == 0
    text = Path(report["target"]).read_text(encoding="utf-8")
    assert [row[0] for row in action_rows(text)] == [
        "Add a consumer-lag alert",
        "Cap the batch size",
    ]
    summary = text.split("\n## Summary\n", 1)[1].split("\n## ", 1)[0]
    assert "### Thanks" in summary
    assert "- The payments team, for staying late" in summary
