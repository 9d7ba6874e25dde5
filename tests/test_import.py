"""``postmortems import``: every fixture shape imports, keeps every word, passes ``check``
apart from the ``TBD`` marks (PM013), and is never overdue; files are never overwritten."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import frontmatter
import pytest
import yaml
from bs4 import BeautifulSoup
from frontmatter.default_handlers import YAMLHandler
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.config_file import load_settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.importers import sources
from mkdocs_postmortems.importers.convert import convert, severity_for
from mkdocs_postmortems.importers.sources import SourceError, read_source
from mkdocs_postmortems.importers.times import read_clock, read_day
from mkdocs_postmortems.rules import RULES, RULESET
from sitebuild import build_site, write_project

FIXTURES = Path(__file__).parent / "data" / "import"
SHAPES = sorted(p.name for p in FIXTURES.iterdir())
FAR_FUTURE = datetime(2040, 1, 1, tzinfo=timezone.utc)
CONFIG = "plugins:\n  - postmortems:\n      folder: postmortems\n      timezone: Europe/Berlin\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["import", *args])
    return code, capsys.readouterr().out


def imported(capsys: pytest.CaptureFixture[str], shape: str) -> tuple[dict, str]:
    code, out = run(capsys, str(FIXTURES / shape), "--format", "json")
    assert code == 0, out
    report = json.loads(out)["files"][0]
    assert report["outcome"] == "imported", report
    return report, Path(report["target"]).read_text(encoding="utf-8")


def prose_words(path: Path) -> Counter[str]:
    """The words a reader sees in the source, computed apart from the importer's own count:
    the visible text of an HTML export's content, a Markdown file's body and values."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        soup = BeautifulSoup(text, "html.parser")
        root = soup.find(id="main-content") or soup.body
        assert root is not None
        seen = root.get_text(" ")
        images = " ".join(str(img.get("alt", "")) for img in root.find_all("img"))
        links = " ".join(str(a.get("href", "")) for a in root.find_all("a"))
        text = f"{seen} {images}"
        if "google.com/url" not in links:
            text += " " + links
    elif text.startswith("+++"):
        _, front, body = text.split("+++", 2)
        text = body + " " + " ".join(_iso(v) for v in sources.tomllib.loads(front).values())
    elif text.startswith("---"):
        # The values as written (YAML's base loader resolves no dates): a date keeps its wording.
        front, content = YAMLHandler().split(text)
        values = yaml.load(front, Loader=yaml.BaseLoader)
        text = content + " " + " ".join(str(v) for v in values.values())
    else:
        post = frontmatter.loads(text)
        text = post.content + " " + " ".join(str(v) for v in post.metadata.values())
    # Ordered-list numbers and task boxes are markup, not prose.
    return words(re.sub(r"(?m)^\s*(?:\d+[.)]\s|[-*+]\s+\[[ xX]\])", " ", text))


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def words(text: str) -> Counter[str]:
    """Words, with a date-time's ``T`` as a space (YAML gives ``2025-09-08 11:20:00``)."""
    text = re.sub(r"(?<=\d)T(?=\d)", " ", text)
    return Counter(w.casefold() for w in re.findall(r"\w+", text))


def test_there_are_at_least_eight_shapes() -> None:
    assert len(SHAPES) >= 8
    assert {Path(s).suffix for s in SHAPES} == {".md", ".html"}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_imports_keeps_every_word_and_is_history(
    project: Path, capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    report, text = imported(capsys, shape)
    assert report["lost_words"] == []
    assert report["words"] == report["words_kept"] > 20
    lost = prose_words(FIXTURES / shape) - words(text)
    assert not lost, lost
    assert report["timeline_rows"] >= 3
    assert report["action_items"] >= 1
    assert re.search(r"^imported: \"" + re.escape(shape) + '"$', text, re.MULTILINE)
    settings = load_settings(None, RULES)
    kb = load(settings, RULESET)
    assert [f.format() for f in kb.findings if f.code not in ("PM013", "PM117")] == []
    assert all(f.level == "info" for f in kb.findings)
    late = deadlines.report(kb.indexed, settings, FAR_FUTURE)
    assert not late.anything_overdue
    assert late.published_late == []
    assert main(["overdue", "--today", "2040-01-01"]) == 0


def test_local_times_are_written_in_the_configured_zone(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, text = imported(capsys, "local-times.md")
    rows = re.findall(r"^\| ([0-9: -]+) \| (.*) \|$", text, re.MULTILINE)
    assert rows == [
        ("2025-11-03 15:45", "(6:45am PST) Pricing service deployed with a new cache key format"),
        ("15:52", "(6:52 am PST) p99 checkout latency above two seconds"),
        ("16:10", "(~7:10am PST) Support reports slow checkouts from several shops"),
        ("18:37", "(9:37 AM PST) cache warm-up job started by hand"),
        ("18:40", "(18:40-18:55 CET) cache hit ratio climbs back above 90%"),
        ("19:05", "(10:05 -08:00) latency back to normal"),
        ("19:30", "(19:30 CET) incident closed"),
    ]
    assert "started: 2025-11-03T15:45:00+01:00" in text
    assert "severity: SEV2  # source: SEV 2" in text
    assert 'authors: ["Mina Okafor", "Theo Brandt"]' in text


def test_tracker_links_go_to_the_ticket_column(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, text = imported(capsys, "jira-actions.md")
    assert (
        "| Resubscribe automatically after a broker failover | TBD | TBD | TBD |  | "
        "[INFRA-1234](https://jira.example.com/browse/INFRA-1234) |"
    ) in text
    assert (
        "| Alert on indexer queue lag above five minutes, owner: Ravi Menon, due 2025-10-15 "
        "| Ravi Menon | 2025-10-15 | TBD | open | "
        "[INFRA-1240](https://jira.example.com/browse/INFRA-1240) |"
    ) in text
    assert "| OPS-77 |" in text
    # "Time (UTC)" in the header: 11:20 UTC is 13:20 in Berlin.
    assert "| 2025-09-08 13:20 | (11:20) Indexer lost its queue subscription" in text
    assert "<!-- imported from a table headed: Time (UTC) | Event -->" in text
    assert "| TBD | TBD | P2 | done | OPS-77 |" in text
    assert "severity: SEV1  # source: P1" in text
    assert "status: published  # source: closed" in text
    assert 'services: ["search-indexer"]' in text


def test_sections_are_mapped_and_nothing_is_dropped(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, text = imported(capsys, "wiki-own-sections.md")
    headings = re.findall(r"^#{2,3} .*$", text, re.MULTILINE)
    assert headings == [
        "## Summary",
        "## Timeline",
        "## Impact",
        "## Root Causes",
        "### Contributing factors",
        "## What Went Well",
        # After the action items but no follow-up: text, kept with the section before them.
        "### Attendees",
        "## What Could Be Improved",
        "### What went wrong",
        "## Action Items",
    ]
    assert "<!-- imported from: ## Why did it happen? -->" in text
    assert "'What went well' brought up to '## What Went Well'" in report["mapped"]
    assert "section 'Impact': the source has none" in report["to_complete"]
    assert "## Impact\n\nTBD\n" in text


def test_relative_links_are_kept_and_reported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, text = imported(capsys, "confluence-export.html")
    assert "](attachments/1234/webhook-errors.png)" in text
    assert any("attachments/1234/webhook-errors.png" in k for k in report["kept"])
    assert not any("processor.example.com" in k for k in report["kept"])


def test_bold_labels_become_sections(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, text = imported(capsys, "bold-labels.md")
    assert "<!-- imported from: **Root cause:** -->" in text
    assert (
        "| Add the provider's rotation schedule to the operations calendar | TBD | TBD | TBD | done |"
        in text
    )
    assert "started: 2025-03-12T14:02:00+01:00" in text


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        (
            "confluence-export.html",
            [
                'title: "Payment webhook backlog"',
                'authors: ["Jonas Weber"]',
                "![Webhook errors by minute](attachments/1234/webhook-errors.png)",
                "[the processor changelog](https://processor.example.com/changelog)",
                "| 2025-01-20 10:05 | Processor switched to signature version 2 |",
                # A section above the first match goes under the one after it, after its text.
                "## Summary\n\nPayment confirmations",
                "webhook receiver rejected requests with a new `signature-v2` header.\n\n"
                "### Incident date\n\n2025-01-20\n",
                "## Action Items\n\n<!-- imported from: ## Follow-ups -->\n\n| Action |",
            ],
        ),
        (
            "google-docs-export.html",
            [
                "[sizing notes](https://wiki.example.com/dns-sizing)",
                "| Alert on DNS error rate per cluster | Sam Lindqvist | 2025-05-30 | TBD |",
                'authors: ["Sam Lindqvist"]',
            ],
        ),
        (
            "toml.md",
            [
                "severity: SEV1  # source: critical",
                "started: 2025-02-17T17:40:00+01:00  # source: 2025-02-17T16:40:00+00:00",
            ],
        ),
        ("json.md", ["severity: SEV3  # source: 3", "- reviewers: Ana Costa"]),
        (
            "jekyll.md",
            [
                "started: 2024-08-19T02:10:00+02:00  # source: 2024-08-19 02:10:00 +0200",
                'tags: ["postmortem", "billing"]',
                "- layout: post",
                "![Export duration over the week]",
            ],
        ),
    ],
)
def test_shapes_keep_their_particulars(
    project: Path, capsys: pytest.CaptureFixture[str], shape: str, expected: list[str]
) -> None:
    _, text = imported(capsys, shape)
    for line in expected:
        assert line in text, (line, text)


def test_rerunning_is_idempotent(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run(capsys, str(FIXTURES), "--format", "json")
    assert code == 0
    files = sorted(p for p in (project / "postmortems").rglob("*.md"))
    texts = [p.read_bytes() for p in files]
    code, second = run(capsys, str(FIXTURES), "--format", "json")
    assert code == 0
    outcomes = {f["outcome"] for f in json.loads(second)["files"]}
    assert outcomes == {"already-imported"}
    assert sorted((project / "postmortems").rglob("*.md")) == files
    assert [p.read_bytes() for p in files] == texts
    code, text = run(capsys, str(FIXTURES / "toml.md"))
    assert code == 0
    assert "already imported, skipped" in text
    # Also when the second run writes elsewhere: the knowledge base already has it.
    code, text = run(capsys, str(FIXTURES / "toml.md"), "--to", "archive")
    assert code == 0
    assert "already imported, skipped" in text
    assert not (project / "archive").exists()


def test_an_existing_file_is_never_overwritten(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = project / "postmortems" / "2025" / "2025-02-17-webhook-deliveries-delayed.md"
    taken.parent.mkdir(parents=True)
    taken.write_text("a team's own file\n", encoding="utf-8")
    report, _ = imported(capsys, "toml.md")
    assert report["target"].endswith("2025-02-17-webhook-deliveries-delayed-2.md")
    assert taken.read_text(encoding="utf-8") == "a team's own file\n"


def test_dry_run_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, str(FIXTURES), "--dry-run")
    assert code == 0
    assert "would import" in out
    assert "Dry run: nothing was written." in out
    assert not (project / "postmortems").exists()


def test_to_outside_the_project_is_refused(
    project: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere")
    assert main(["import", str(FIXTURES / "toml.md"), "--to", str(outside)]) == 2
    assert "outside the project" in capsys.readouterr().err
    assert main(["import", str(FIXTURES / "toml.md"), "--to", "../x"]) == 2
    assert list(outside.iterdir()) == []


def test_to_a_folder_inside_the_project(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, str(FIXTURES / "toml.md"), "--to", "archive")
    assert code == 0, out
    assert (project / "archive" / "2025" / "2025-02-17-webhook-deliveries-delayed.md").is_file()


def test_a_source_without_any_date_is_not_imported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project / "notes.md"
    source.write_text("# Something broke\n\n## Summary\n\nIt broke.\n", encoding="utf-8")
    code, out = run(capsys, str(source))
    assert code == 1
    assert "NOT imported" in out
    assert "no date found" in out
    assert not (project / "postmortems").exists()


def test_unreadable_sources_are_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "bad.md").write_bytes(b"\xff\xfe not utf-8")
    (project / "bad-toml.md").write_text("+++\ntitle = \n+++\nbody\n", encoding="utf-8")
    code, out = run(capsys, str(project / "bad.md"), str(project / "bad-toml.md"))
    assert code == 1
    assert "not UTF-8" in out
    assert "TOML front matter cannot be read" in out
    assert main(["import", str(project / "missing.md")]) == 2


def test_folders_skip_other_files_visibly(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project / "old"
    folder.mkdir()
    (folder / "LICENSE").write_text("MIT\n", encoding="utf-8")
    (folder / "2025-01-02 Outage.md").write_text(
        "# Outage on 2025-01-02\n\n## Timeline\n\n- 10:00 it broke\n", encoding="utf-8"
    )
    code, out = run(capsys, str(folder))
    assert code == 0
    assert "LICENSE: skipped" in out
    assert (
        "2025-01-02 Outage.md: imported -> postmortems/2025/2025-01-02-outage-on-2025-01-02.md"
        in out
    )


@pytest.mark.parametrize(
    ("text", "hour", "minute", "offset"),
    [
        ("6:45am PST", 6, 45, -8),
        ("9:37 AM", 9, 37, None),
        ("12:05 am", 0, 5, None),
        ("~18:00", 18, 0, None),
        ("18:00-18:10", 18, 0, None),
        ("12:26-12:?? x", 12, 26, None),
        ("14:05 -08:00", 14, 5, -8),
        ("14:05Z", 14, 5, 0),
        ("17:02 UTC", 17, 2, 0),
        ("7pm BST", 19, 0, 1),
        ("2019-12-04   00:30", 0, 30, None),
    ],
)
def test_read_clock(text: str, hour: int, minute: int, offset: int | None) -> None:
    clock = read_clock(text)
    assert clock is not None
    assert (clock.at.hour, clock.at.minute) == (hour, minute)
    assert (clock.offset.total_seconds() / 3600 if clock.offset is not None else None) == offset


@pytest.mark.parametrize("text", ["--:--", "HH:mm", "25:00", "13pm", "1.270.0", "16 engineers"])
def test_read_clock_refuses_what_is_not_a_time(text: str) -> None:
    assert read_clock(text) is None


def test_read_day() -> None:
    assert str(read_day("October 29-30, 2025 - CPU")) == "2025-10-29"
    assert str(read_day("21 Oct 2025")) == "2025-10-21"
    assert read_day("20202-01-16 12:00") is None


@pytest.mark.parametrize(
    ("given", "level"),
    [
        ("SEV1", "SEV1"),
        ("sev 2", "SEV2"),
        ("P0", "SEV1"),
        ("P1", "SEV1"),
        ("3", "SEV3"),
        (4, "SEV4"),
        ("critical", "SEV1"),
        ("Major", "SEV2"),
        ("low", "SEV4"),
        ("P7", None),
        ("urgent-ish", None),
    ],
)
def test_severity_for(given: object, level: str | None, tmp_path: Path) -> None:
    assert severity_for(given, Settings(root=tmp_path)) == level


PIECES = [
    "---\n",
    "+++\n",
    "{\n",
    "}\n",
    "title: x\n",
    'date = "2025-01-02"\n',
    "date: 2025-13-40\n",
    "# Title\n",
    "## Timeline\n",
    "## Action Items\n",
    "## Lessons learned\n",
    "### What went well\n",
    "**Summary:** ",
    "Title\n=====\n",
    "- ",
    "- [ ] ",
    "1. ",
    "6:45am PST ",
    "~18:00-18:?? ",
    "12:00 ",
    "25:61 ",
    "Jan 14, ",
    "2025-02-30 ",
    "| Time | Event |\n|---|---|\n",
    "| 10:00 | a | b | c |\n",
    "| HH:mm | x |\n",
    "[OPS-1](http://x) ",
    "```\n",
    "<!-- ",
    "<html><body><table><tr><td>",
    "\n",
    "\t",
    "|",
    "é🔥",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_any_text_converts_or_says_why(pieces: list[str]) -> None:
    """Mangled sources never raise: they convert, keeping their words, or say why not."""
    text = "".join(pieces)
    settings_ = Settings(root=Path("."), timezone="Europe/Berlin")
    try:
        conversion = convert(read_source("x.md", text), settings_)
    except SourceError:
        return
    assert conversion.report.lost == []
    assert conversion.text.startswith("---\n")


def test_subheadings_keep_their_depth_below_the_section(tmp_path: Path) -> None:
    text = (
        "# Outage 2025-01-02\n## Summary\nx\n## Attendees\n### Names\nA\n"
        "## Lessons learned\n### What went well\n#### Detail\ny\n### Other\nz\n"
    )
    result = convert(read_source("x.md", text), Settings(root=tmp_path)).text
    assert re.findall(r"^#+ .*$", result, re.MULTILINE) == [
        "## Summary",
        "### Attendees",
        "#### Names",
        "## Timeline",
        "## Impact",
        "## Root Causes",
        "## What Went Well",
        "### Detail",
        "## What Could Be Improved",
        "### Other",
        "## Action Items",
    ]


def test_action_item_tables_speak_the_checkers_words(tmp_path: Path) -> None:
    text = (
        "# Outage 2025-01-02\n## Action items\n\n"
        "| Task | Assignee | Deadline | Prio | State |\n|---|---|---|---|---|\n"
        "| Add an alert | Ana Costa | 2025-02-01 | High | Completed |\n"
        "| Split the pool | | Q3 | 2 | Not started |\n"
        "| Drop the cron | Li Wei | 2025-03-01 | P3 | maybe |\n"
    )
    conversion = convert(read_source("x.md", text), Settings(root=tmp_path))
    rows = re.findall(r"^\| (?!Action|---)(.*) \|$", conversion.text, re.MULTILINE)
    assert rows == [
        "Add an alert (status: Completed; priority: High) | Ana Costa | 2025-02-01 | P1 | done | ",
        "Split the pool (status: Not started; priority: 2; due: Q3) | TBD | TBD | P2 | open | ",
        "Drop the cron (status: maybe) | Li Wei | 2025-03-01 | P3 |  | ",
    ]
    assert conversion.report.lost == []


# Timelines and action items in the shapes people write them, each an invented incident in
# a fixture of its own: the rows a reader expects, in the configured zone (Europe/Berlin).
SHAPE_ROWS = {
    "timeline-bold-stamps.md": [
        # **18:56:** paragraphs under "What happened", "All timestamps are in PDT" above.
        "| 2025-07-15 03:56 | (18:56) The broker cluster fails over to its standby after a "
        "disk warning. |",
        "| 07:15 | (22:15) The on-call engineer restarts the indexing consumers, which reconnect "
        "to the new primary and start draining the queue. |",
        # Bold-lead bullets under "How are we making incidents like this less likely?".
        "| **Alert on indexing lag**: page when the lag stays above ten minutes (Completed) "
        "| TBD | TBD | TBD | done |  |",
        "| **Follow broker failovers**: upgrade the client library so consumers reconnect by "
        "themselves (Estimated completion: September 2025) | TBD | TBD | TBD |  |  |",
        "| **Rehearse a failover**: run one on staging every quarter, owner: Ravi Menon "
        "| Ravi Menon | TBD | TBD |  |  |",
    ],
    "timeline-day-headings.md": [
        # <br>-separated stamps under "### 2024-03-07" and "### 2024-03-08", times in UTC.
        "| 2024-03-07 23:31 | **2024-03-07** (22:31) Lena submits the DNS change, unaware that "
        "the provider's template also adds four address records pointing at parking pages.<br> |",
        "| 23:40 | (22:40) The change takes effect. Four of five addresses served for the docs "
        "site answer with a parking page. **&lt;START OF OUTAGE&gt;**<br> |",
        "| 2024-03-08 00:59 | (23:59) A reader reports broken pages in the community forum. |",
        "| 08:52 | **2024-03-08** (07:52) Marco reads the forum post and pages Lena.<br> |",
        "| 10:45 | (09:45) Resolvers pick up the revert and the site answers for every reader. "
        "**&lt;END OF OUTAGE&gt;** |",
        # Paragraphs under "Follow-up".
        "| DNS changes should be reviewed by two people from different time zones. "
        "| TBD | TBD | TBD |  |  |",
    ],
    "timeline-heading-rows.md": [
        # "### 06:52 PM" headings with their paragraph; a second timeline in BST below.
        "| 2025-06-03 19:52 | (06:52 PM) First report in the course chat that notebooks hang "
        "while starting. |",
        "| 22:10 | **Follow-up timeline (times in BST)** (09:10 PM) A student reports a "
        "disconnected kernel; it was a laptop going to sleep. |",
        # A checkbox list, a link indented below an item.
        "| Raise the memory guarantee to the limit for course profiles | TBD | TBD | TBD "
        "| done |  |",
        "| Put user servers on a node pool of their own "
        "https://git.example.org/hub/infra/issues/41 | TBD | TBD | TBD | open |  |",
    ],
    "timeline-periods.md": [
        # Two tables, one per period; the second's column names sit in its first body row.
        "| 2025-01-21 15:12 | (06:12) Consumer group rebalance starts after a scheduled deploy |",
        "| 18:03 | **Timeline for second period of degradation** (09:03) Retries from the first "
        "period arrive all at once |",
        "| 18:58 | (09:58) Backlog drained |",
        # Owner / Tracking bug / Notes columns.
        "| Add jitter to consumer retries (Notes: Done in the client library) | Kofi Mensah "
        "| TBD | TBD |  | QUEUE-88 |",
    ],
    "timeline-code-block.md": [
        # A log pasted as a code block under "Timeline (UTC)".
        "| 2025-09-02 08:14 | (2025-09-02 06:14) partner API certificate expires |",
        "| 2025-09-02 09:05 | (2025-09-02 07:05) certificate renewed by hand |",
        # A numbered 1) list under "Next steps", and an "Action point:" line from the text.
        "| Read expiry dates from the certificates themselves, owner: Priya Raman, due "
        "2025-10-01 | Priya Raman | 2025-10-01 | TBD |  |  |",
        "| Action point: alert when a certificate expires in less than ten days, whatever the "
        "job says. | TBD | TBD | TBD |  |  |",
    ],
    "timeline-narrative.md": [
        # The prose stays; a table of the moments it names follows it.
        "At 10:47 PST the provider's old feed address stopped answering, and the importer "
        "kept the\nlast rates it had.",
        "| 2024-12-04 19:47 | At 10:47 PST the provider's old feed address stopped answering, "
        "and the importer kept the last rates it had. |",
        "| 23:15 | By 14:15 PST the importer read the new address and prices were current again. |",
        # "(Completed)" and "(Estimated completion: ...)" under "Remediation".
        "| Treat an unreachable feed as an error and page on it (Completed) | TBD | TBD | TBD "
        "| done |  |",
        "| Move to the provider's signed feed (Estimated completion: February 2025) | TBD | TBD "
        "| TBD |  |  |",
    ],
    "timeline-dated-entries.md": [
        # Entries that give only their day are placed on it; "2. Timeline (all times UTC)".
        "| 2024-02-12 00:00 | (2024-02-12) The driver upgrade is merged after review. |",
        "| 2024-02-15 10:10 | (2024-02-15) At 09:10 UTC, a network blip starts an election and "
        "two primaries appear. |",
        "| 2024-02-15 10:50 | (2024-02-15 09:50) Writes are stopped on the second primary. |",
        # Items grouped under a short item, and a table of action columns from the Summary.
        "| **Testing:** run a failover drill on staging before every driver upgrade | TBD | TBD "
        "| TBD |  |  |",
        "| **Operations:** alert when two instances claim to be primary | TBD | TBD | TBD |  |  |",
        "| Pin the driver's election setting (status: DONE) (Type: Prevention) | Core team "
        "| TBD | TBD | done |  |",
    ],
}


@pytest.mark.parametrize(("shape", "rows"), sorted(SHAPE_ROWS.items()))
def test_timelines_and_action_items_are_found_by_what_they_contain(
    project: Path, capsys: pytest.CaptureFixture[str], shape: str, rows: list[str]
) -> None:
    report, text = imported(capsys, shape)
    for row in rows:
        assert row in text, (row, text)
    # One table per section: the checker reads the first.
    timeline = text.split("## Timeline", 1)[1].split("\n## ", 1)[0]
    # (The Time column may name the zone its times are written in.)
    assert len(re.findall(r"^\| Time[^|]* \| Event", timeline, re.MULTILINE)) == 1, timeline
    assert report["lost_words"] == []


def test_an_action_point_moves_and_is_not_written_twice(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, text = imported(capsys, "timeline-code-block.md")
    improved = text.split("## What Could Be Improved", 1)[1].split("\n## ", 1)[0]
    assert "Action point" not in improved
    assert text.count("Action point: alert when a certificate expires") == 1


def test_a_timeline_without_times_is_left_to_write(tmp_path: Path) -> None:
    text = (
        "# Slow search\n\nDate: 2025-04-02\n\n## Summary\n\nSearch was slow.\n\n"
        "## Timeline (work in progress)\n\nThe first reports came in late in November.\n\n"
        "## Action Items\n\n- Add a latency alert\n"
    )
    conversion = convert(read_source("slow.md", text), Settings(root=tmp_path))
    # The checker needs a table there; the text is kept with the summary instead.
    assert "## Timeline\n\nTBD\n" in conversion.text
    assert "### Timeline as written\n\n<!-- imported from: ## Timeline (work in progress) -->" in (
        conversion.text
    )
    assert "The first reports came in late in November." in conversion.text
    assert conversion.report.lost == []


def test_rows_written_out_of_order_are_put_in_order(tmp_path: Path) -> None:
    text = (
        "# Node failure\n\n## Timeline\n\nAll times in UTC.\n\n| Time | Event |\n|---|---|\n"
        "| 2023-02-14 10:46 | Healthy nodes killed |\n| 2023-02-14 11:08 | Service restored |\n"
        "| 2023-02-14 11:07 | Ticket raised |\n\n## Action Items\n\n- Document the rollover\n"
    )
    conversion = convert(read_source("node.md", text), Settings(root=tmp_path))
    assert "| 2023-02-14 11:07 | Ticket raised |\n| 2023-02-14 11:08 | Service restored |" in (
        conversion.text
    )
    assert any("out of order" in line for line in conversion.report.to_complete)


@pytest.mark.build
def test_first_ci_run_after_an_import_passes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the pull-request workflow runs, right after importing an archive: the check
    and `mkdocs build --strict` pass; history's TBDs are listed as information."""
    plugin = {"postmortems": {"timezone": "Europe/Berlin"}}
    config = write_project(project, {}, config={"plugins": [plugin]})
    # Every shape but the one whose report asks for its attachments to be copied first.
    sources = [str(FIXTURES / s) for s in SHAPES if s != "confluence-export.html"]
    code, out = run(capsys, *sources, "--format", "json")
    assert code == 0, out
    assert main(["check", "--strict"]) == 0
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ files checked: 0 errors, 0 warnings, \d+ for information", summary)
    site = build_site(config, strict=True)
    assert (site / "index.html").is_file()
    # The setting that makes them count again fails the same build.
    strict = {"postmortems": {"timezone": "Europe/Berlin", "rules": {"PM013": "warning"}}}
    config = write_project(project, {}, config={"plugins": [strict]})
    with pytest.raises(Exception, match="warning"):
        build_site(config, strict=True)


def test_markers_between_entries_stay_rows(tmp_path: Path) -> None:
    text = (
        "# Cache outage\n\nDate: 2025-05-06\n\n## Timeline\n\nAll times in UTC.\n\n"
        "- 10:00 Deploy starts\n- **<START OF OUTAGE>**\n- 10:05 Errors climb\n"
        "- 10:40 Rolled back\n- <END OF OUTAGE>\n\n## Action Items\n\n- Canary the cache\n"
    )
    conversion = convert(read_source("cache.md", text), Settings(root=tmp_path))
    assert (
        "| 2025-05-06 10:00 | Deploy starts |\n| 10:00 | **&lt;START OF OUTAGE&gt;** |\n"
        "| 10:05 | Errors climb |\n| 10:40 | Rolled back |\n| 10:40 | &lt;END OF OUTAGE&gt; |"
    ) in conversion.text


def test_a_line_naming_a_day_dates_the_rows_below(tmp_path: Path) -> None:
    text = (
        "# Chain halt\n\n## Detailed Timeline\n\n**19th September 2023:**\n\n"
        "13:50 UTC: the testnet halts.\n\n14:00 UTC: investigation starts.\n\n"
        "**20th September 2023:**\n\n18:32 UTC: mainnet halts.\n\n"
        "## Action Items\n\n- Test the upgrade on testnet first\n"
    )
    conversion = convert(read_source("halt.md", text), Settings(root=tmp_path))
    assert "| 2023-09-19 13:50 | **19th September 2023** (13:50 UTC) the testnet halts. |" in (
        conversion.text
    )
    assert "| 2023-09-20 18:32 | **20th September 2023** (18:32 UTC) mainnet halts. |" in (
        conversion.text
    )
    assert conversion.report.lost == []


def test_status_lines_in_the_text_are_action_items(tmp_path: Path) -> None:
    text = (
        "# Disk full\n\nDate: 2024-03-17\n\n## Timeline\n\n- 10:47 UTC site down\n"
        "- 11:30 UTC disk freed\n- 11:40 UTC site up\n\n## Lessons learned\n\n"
        "Watch the disk graphs.\n\n**DONE**: added the blog to the monitored sites.\n\n"
        "**TODO** alert when the pool is 80% full.\n"
    )
    conversion = convert(read_source("disk.md", text), Settings(root=tmp_path))
    assert (
        "| **DONE**: added the blog to the monitored sites. | TBD | TBD | TBD | done |  |"
        in conversion.text
    )
    assert "| **TODO** alert when the pool is 80% full. | TBD | TBD | TBD | open |  |" in (
        conversion.text
    )
    improved = conversion.text.split("## What Could Be Improved", 1)[1].split("\n## ", 1)[0]
    assert "DONE" not in improved
    assert conversion.report.lost == []


def test_table_cells_keep_what_they_say_beyond_the_time(tmp_path: Path) -> None:
    text = (
        "# Paging gap\n\nDate: 2024-05-02\n\n## Timeline\n\nAll times in UTC.\n\n"
        "| Time | Event |\n|---|---|\n| 06:00: pager fires | nobody answers |\n"
        "| 06:20 | second page |\n| 06:31 | acknowledged |\n\n## Action Items\n\n"
        "| | Owner | |\n|---|---|---|\n| Add a second on-call | Ana | ops |\n"
    )
    conversion = convert(read_source("paging.md", text), Settings(root=tmp_path))
    assert "| 2024-05-02 06:00 | pager fires nobody answers |" in conversion.text
    # Columns without a name are kept, by position, in the action's text.
    assert "| Add a second on-call (column 3: ops) | Ana | TBD | TBD |  |  |" in conversion.text
    assert conversion.report.lost == []


def test_a_label_above_a_list_groups_its_items(tmp_path: Path) -> None:
    text = (
        "# Oracle exploit\n\n## 2. Timeline (all times UTC, September 5, 2026)\n\n"
        "- 13:38 attack 1\n- 13:47 attack 2\n- 15:23 pool halted\n\n## 7. Remediation\n\n"
        "Completed:\n\n- Pool halted.\n- Trace of the attack published.\n\nPlanned:\n\n"
        "- Add a lower bound to the oracle\n"
    )
    conversion = convert(read_source("oracle.md", text), Settings(root=tmp_path))
    assert "| **Completed:** Pool halted. | TBD | TBD | TBD | done |  |" in conversion.text
    assert "| **Planned:** Add a lower bound to the oracle | TBD | TBD | TBD |  |  |" in (
        conversion.text
    )
    assert "| 2026-09-05 13:38 | attack 1 |" in conversion.text
    assert conversion.report.lost == []


def test_a_list_of_promises_is_the_action_items_when_there_are_none(tmp_path: Path) -> None:
    text = (
        "# Transaction delays\n\nDate: 2023-04-26\n\n## Timeline\n\n- 19:00 UTC requests rise\n"
        "- 19:15 UTC replica falls behind\n- 21:00 UTC back to normal\n\n## Lessons learned\n\n"
        "This was a miss.\n\n- We will add monitoring for replica lag.\n"
        "- Though rate limits were not the cause, we will raise them.\n"
    )
    conversion = convert(read_source("delays.md", text), Settings(root=tmp_path))
    assert "| We will add monitoring for replica lag. | TBD | TBD | TBD |  |  |" in (
        conversion.text
    )
    improved = conversion.text.split("## What Could Be Improved", 1)[1].split("\n## ", 1)[0]
    assert "We will add" not in improved
    # A write-up that has action items keeps such a list where it is.
    text += "\n## Action Items\n\n- Page on replica lag\n"
    conversion = convert(read_source("delays.md", text), Settings(root=tmp_path))
    improved = conversion.text.split("## What Could Be Improved", 1)[1].split("\n## ", 1)[0]
    assert "We will add" in improved


def test_a_code_block_is_rows_only_when_it_starts_with_one(tmp_path: Path) -> None:
    text = (
        "# Log\n\nDate: 2025-01-01\n\n## Timeline (UTC)\n\n~~~\nrenewal job output\n```\n"
        "2025-01-01 04:00 job starts\n2025-01-01 04:05 job ends\n~~~\n\n"
        "## Action Items\n\n- Alert on the job\n"
    )
    conversion = convert(read_source("log.md", text), Settings(root=tmp_path))
    # A block that opens with other text, and a fence of the other kind inside it, stay code.
    assert "~~~\nrenewal job output\n```\n2025-01-01 04:00 job starts" in conversion.text
    assert conversion.report.lost == []


# --- the Markdown reader: CommonMark's blocks, as the source's own site shows them ----------


def _convert(text: str, tmp_path: Path) -> str:
    return convert(read_source("x.md", text), Settings(root=tmp_path)).text


def test_a_log_inside_a_timeline_item_stays_with_its_item(tmp_path: Path) -> None:
    # A fence indented under a nested item was text to a line pattern: its lines became
    # rows, and the closing fence and the items after it were glued into the last row.
    text = (
        "# Outage 2024-10-24\n\n## Timeline\n\n"
        "- 08:15 - The team was told\n"
        "    - The pods were crash looping:\n"
        "        ```text\n"
        "        2024-10-24T07:34:22Z Error occurred during initialization of VM\n"
        "        2024-10-24T07:34:42Z Stream closed EOF\n"
        "        ```\n"
        "    - They rolled back the nodes\n"
        "- 09:15 - Service restored\n"
    )
    result = _convert(text, tmp_path)
    rows = [line for line in result.split("\n") if line.startswith("| ")]
    assert not any("```" in row or "Error occurred" in row for row in rows), rows
    assert "        2024-10-24T07:34:22Z Error occurred during initialization of VM\n" in result


def test_a_setext_heading_on_two_lines_is_one_heading(tmp_path: Path) -> None:
    text = "# Outage 2024-01-02\n\nRoot cause\nanalysis\n----------\n\nThe disk filled up.\n"
    result = _convert(text, tmp_path)
    assert "## Root Causes\n\n<!-- imported from: ## Root cause analysis -->" in result
    assert "The disk filled up." in result.split("## Root Causes")[1]


def test_a_table_in_indented_code_is_code_not_action_items(tmp_path: Path) -> None:
    text = (
        "# Outage 2024-01-02\n\n## Action Items\n\n- Add an alert (owner: Dana)\n\n"
        "The query we ran:\n\n"
        "    | id | state |\n    |----|-------|\n    | 42 | stuck |\n"
    )
    conversion = convert(read_source("x.md", text), Settings(root=tmp_path))
    assert conversion.report.action_items == 1
    assert "    | 42 | stuck |" in conversion.text


def test_a_carriage_return_inside_a_line_does_not_move_the_blocks(tmp_path: Path) -> None:
    # The reader breaks lines at a lone CR; the importer does not, and the two must agree
    # on which line a table starts at.
    text = (
        "# Outage 2024-01-02\n\n## Timeline\n\nNotes\rfrom the call\n\n"
        "| Time | Event |\n|---|---|\n| 10:00 | Paged |\n| 10:05 | Rolled back |\n"
    )
    conversion = convert(read_source("x.md", text), Settings(root=tmp_path))
    assert conversion.report.timeline_rows == 2


def test_a_heading_inside_an_html_block_or_a_list_item_does_not_cut_the_text(
    tmp_path: Path,
) -> None:
    # CommonMark shows both as part of the block around them; a line pattern took them for
    # sections and moved what followed under them.
    text = (
        "# Outage 2024-01-02\n\n## Impact\n\nUsers saw errors.\n\n"
        "<details>\n# Raw notes\nfrom the call\n</details>\n\n"
        "- The deploy went out\n  # Root cause\n- We rolled back\n"
    )
    conversion = convert(read_source("x.md", text), Settings(root=tmp_path))
    impact = conversion.text.split("## Impact\n")[1].split("\n## ")[0]
    assert "<details>\n# Raw notes\nfrom the call\n</details>" in impact
    assert "- The deploy went out\n  # Root cause\n- We rolled back" in impact
    assert "Root cause" not in conversion.text.split("## Impact")[0]
