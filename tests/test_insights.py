"""Insights: every figure of ``postmortems stats`` and of the /insights/ page, computed by hand
on a small knowledge base whose answers are known (missing ``detected``, an unresolved draft
past its deadline, a write-up still within it, a level without a deadline, an incident whose
month depends on the timezone)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from mkdocs_postmortems.cli import main
from mkdocs_postmortems.cli.stats import spreadsheet_cell
from mkdocs_postmortems.core import stats
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.rules import RULESET
from mkdocs_postmortems.site.insights import nice_ceiling
from sitebuild import build_site, html, write_project

TODAY = "2026-03-01"


def postmortem(
    title: str,
    severity: str,
    status: str,
    started: str,
    services: list[str],
    *,
    detected: str | None = None,
    resolved: str | None = None,
    published: str | None = None,
    items: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
) -> str:
    """A post-mortem with the given front matter and action items (status, due, owner)."""
    front = [
        f"title: {title}",
        f"severity: {severity}",
        f"status: {status}",
        f"started: {started}",
        f"services: [{', '.join(services)}]",
    ]
    if detected:
        front.append(f"detected: {detected}")
    if resolved:
        front.append(f"resolved: {resolved}")
    if published:
        front.append(f"published: {published}")
    if status != "draft":
        front.append("authors: [Dana Whitfield]")
    rows = "\n".join(
        f"| Fix thing {n} in the {title.lower()} path | {owner} | {due} | P2 | {state} | OPS-{n} |"
        for n, (state, due, owner) in enumerate(items, 1)
    )
    sections = "\n\n".join(
        f"## {name}\n\nText about {name.lower()}."
        for name in ("Impact", "Root Causes", "What Went Well", "What Could Be Improved")
    )
    return (
        "---\n" + "\n".join(front) + "\n---\n\n## Summary\n\nWhat users saw.\n\n"
        "## Timeline\n\n| Time | Event |\n|------|-------|\n"
        f"| {started[:10]} {started[11:16]} | It started |\n\n{sections}\n\n"
        "## Action Items\n\n| Action | Owner | Due | Priority | Status | Ticket |\n"
        "|---|---|---|---|---|---|\n" + rows + "\n"
    )


FILES = {
    # SEV1, on time: resolved 01-10 12:00, deadline 01-12 12:00, published 01-11.
    "2026-01-10-a.md": postmortem(
        "Checkout down",
        "SEV1",
        "published",
        "2026-01-10T10:00:00Z",
        ["checkout"],
        detected="2026-01-10T10:10:00Z",
        resolved="2026-01-10T12:00:00Z",
        published="2026-01-11",
        items=[("done", "2026-01-20", "Dana"), ("open", "2026-02-01", "Omar")],
    ),
    # SEV1, late: resolved 02-05 06:00, deadline 02-07, published 02-20.
    "2026-02-05-b.md": postmortem(
        "Database failover",
        "SEV1",
        "published",
        "2026-02-05T00:00:00Z",
        ["checkout", "db"],
        detected="2026-02-05T00:30:00Z",
        resolved="2026-02-05T06:00:00Z",
        published="2026-02-20",
        items=[("done", "2026-02-10", "Dana"), ("done", "2026-02-11", "Omar")],
    ),
    # SEV1 draft, never resolved: deadline 48 h after started (02-22 09:00), so late.
    "2026-02-20-c.md": postmortem("Replica lag", "SEV1", "draft", "2026-02-20T09:00:00Z", ["db"]),
    # SEV2 in review, deadline 03-04 13:00: still within it on 03-01, so not counted.
    "2026-02-25-d.md": postmortem(
        "Search slow",
        "SEV2",
        "in-review",
        "2026-02-25T12:00:00Z",
        ["search"],
        detected="2026-02-25T12:05:00Z",
        resolved="2026-02-25T13:00:00Z",
        items=[("open", "2026-03-10", "Omar")],
    ),
    # SEV3 (no deadline), 23:30 UTC on New Year's Eve: January in Berlin.
    "2025-12-31-e.md": postmortem(
        "Banner missing",
        "SEV3",
        "published",
        "2025-12-31T23:30:00Z",
        ["checkout"],
        detected="2025-12-31T23:50:00Z",
        resolved="2026-01-01T01:30:00Z",
        published="2026-01-05",
        items=[("wont-do", "2026-01-20", "Dana")],
    ),
}

EXPECTED_SEVERITIES = {
    "SEV1": {
        "incidents": 3,
        "median_minutes_to_detect": 20.0,
        "median_minutes_to_resolve": 240.0,
        "p90_minutes_to_detect": 28.0,
        "p90_minutes_to_resolve": 336.0,
        "without_detected": 1,
        "without_resolved": 1,
        "write_ups_on_time": 1 / 3,
        "write_ups_due": 3,
        "write_ups_pending": 0,
        "action_items_done": 0.75,
        "missing_write_ups": None,
    },
    "SEV2": {
        "incidents": 1,
        "median_minutes_to_detect": 5.0,
        "median_minutes_to_resolve": 60.0,
        "p90_minutes_to_detect": 5.0,
        "p90_minutes_to_resolve": 60.0,
        "without_detected": 0,
        "without_resolved": 0,
        "write_ups_on_time": None,
        "write_ups_due": 0,
        "write_ups_pending": 1,
        "action_items_done": 0.0,
        "missing_write_ups": None,
    },
    "SEV3": {
        "incidents": 1,
        "median_minutes_to_detect": 20.0,
        "median_minutes_to_resolve": 120.0,
        "p90_minutes_to_detect": 20.0,
        "p90_minutes_to_resolve": 120.0,
        "without_detected": 0,
        "without_resolved": 0,
        "write_ups_on_time": None,
        "write_ups_due": None,
        "write_ups_pending": None,
        "action_items_done": None,
        "missing_write_ups": None,
    },
    "SEV4": {
        "incidents": 0,
        "median_minutes_to_detect": None,
        "median_minutes_to_resolve": None,
        "p90_minutes_to_detect": None,
        "p90_minutes_to_resolve": None,
        "without_detected": 0,
        "without_resolved": 0,
        "write_ups_on_time": None,
        "write_ups_due": None,
        "write_ups_pending": None,
        "action_items_done": None,
        "missing_write_ups": None,
    },
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, text in FILES.items():
        path = tmp_path / "postmortems" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def stats_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["stats", "--format", "json", "--today", TODAY, *args]) == 0
    figures: dict[str, Any] = json.loads(capsys.readouterr().out)
    return figures


def test_the_fixture_knowledge_base_is_valid(project: Path) -> None:
    assert load(Settings(root=project), RULESET).findings == []


def test_figures_per_severity(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = stats_json(capsys)
    assert figures["as_of"] == TODAY
    assert figures["incidents"] == 5
    assert figures["serious_levels"] == ["SEV1", "SEV2"]
    assert figures["severities"].keys() == EXPECTED_SEVERITIES.keys()
    for level, expected in EXPECTED_SEVERITIES.items():
        actual = figures["severities"][level]
        assert actual.keys() == expected.keys(), level
        for key, value in expected.items():
            assert actual[key] == (value if value is None else pytest.approx(value)), (level, key)


def test_months_services_and_action_items(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = stats_json(capsys)
    zero = {"SEV1": 0, "SEV2": 0, "SEV3": 0, "SEV4": 0}
    assert figures["months"] == {
        "2025-12": {**zero, "SEV3": 1},
        "2026-01": {**zero, "SEV1": 1},
        "2026-02": {**zero, "SEV1": 2, "SEV2": 1},
    }
    assert figures["services"] == {
        "checkout": {"incidents": 3, "serious": 2, "last": "2026-02-05"},
        "db": {"incidents": 2, "serious": 2, "last": "2026-02-20"},
        "search": {"incidents": 1, "serious": 1, "last": "2026-02-25"},
    }
    assert list(figures["services"]) == ["checkout", "db", "search"]
    assert figures["action_items"] == {
        "open": 2,
        "overdue": 1,
        "done": 3,
        "wont_do": 1,
        "median_days_overdue": 28.0,
        "median_open_age_days": 27.0,
        "by_kind": {
            kind: {"open": 0, "in_progress": 0, "done": 0, "wont_do": 0}
            for kind in ("runbook", "monitoring", "testing", "architecture", "training", "process")
        },
        "without_kind": 6,
    }
    assert figures["quarters"]["SEV1"]["2026-Q1"]["median_minutes_to_resolve"] == 240.0
    assert figures["quarters"]["SEV3"] == {
        "2025-Q4": {
            "incidents": 1,
            "median_minutes_to_detect": 20.0,
            "p90_minutes_to_detect": 20.0,
            "median_minutes_to_resolve": 120.0,
            "p90_minutes_to_resolve": 120.0,
            "write_ups_on_time": None,
        }
    }


def test_months_are_counted_in_the_configured_timezone(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - postmortems:\n      timezone: Europe/Berlin\n",
        encoding="utf-8",
    )
    figures = stats_json(capsys)
    assert figures["months"]["2026-01"]["SEV3"] == 1
    assert "2025-12" not in figures["months"]
    assert figures["quarters"]["SEV3"].keys() == {"2026-Q1"}


def test_since_and_until_choose_incidents_by_start_date(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = stats_json(capsys, "--since", "2026-02-01", "--until", "2026-02-20")
    assert figures["incidents"] == 2
    assert figures["severities"]["SEV1"]["incidents"] == 2
    assert figures["severities"]["SEV2"]["incidents"] == 0
    assert (figures["since"], figures["until"]) == ("2026-02-01", "2026-02-20")


def test_since_after_until_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--since", "2026-03-01", "--until", "2026-01-01"]) == 2
    assert "--since 2026-03-01 is after --until 2026-01-01" in capsys.readouterr().err


def test_csv_holds_the_same_figures(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--format", "csv", "--today", TODAY]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "table,row,column,value"
    assert "severities,SEV1,median_minutes_to_resolve,240.0" in lines
    assert "services,db,serious,2" in lines
    assert "action_items,all,overdue,1" in lines
    assert "severities,SEV3,write_ups_on_time," in lines


# A service name is stripped of white space, so a tab or CR only leads a cell elsewhere.
FORMULAS = ['=HYPERLINK("http://x.test","y")', "+1+2", "-2+3", "@SUM(1)"]


def test_csv_cells_that_start_like_a_formula_are_text(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """OWASP's CSV injection advice: a leading ``'`` on every cell a spreadsheet would run
    as a formula; numbers, negative ones too, stay numbers."""
    services = ", ".join(json.dumps(name) for name in FORMULAS)
    text = postmortem("Odd names", "SEV3", "draft", "2026-02-27T10:00:00Z", ["x"])
    text = text.replace("services: [x]", f"services: [{services}]")
    (project / "postmortems" / "2026-02-27-odd.md").write_text(text, encoding="utf-8")
    assert main(["stats", "--format", "csv", "--today", TODAY]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    services_rows = {row[1] for row in rows if row[0] == "services"}
    assert {"'" + name for name in FORMULAS} <= services_rows
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), row
            assert not cell.startswith("-") or re.fullmatch(r"-[0-9]+(\.[0-9]+)?", cell), row


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (-3, -3),
        (-0.5, -0.5),
        ("-3", "-3"),
        ("-1.25", "-1.25"),
        ("-1+1", "'-1+1"),
        ("=1", "'=1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("SEV1", "SEV1"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_spreadsheet_cell(value: object, written: object) -> None:
    assert spreadsheet_cell(value) == written


def test_text_report(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--today", TODAY]) == 0
    out = capsys.readouterr().out
    assert "As of 2026-03-01: 5 incidents" in out
    assert re.search(r"SEV1\s+3\s+20 min\s+4\.0 h\s+5\.6 h\s+33%\s+75%", out)
    assert "Action items: 2 open (1 overdue), 3 done, 1 won't do" in out


def test_recent_compares_the_last_90_days_with_the_90_before(project: Path) -> None:
    kb = load(Settings(root=project), RULESET)
    now = datetime(2026, 5, 15, tzinfo=timezone.utc)  # 90 days back: 2026-02-15
    recent = stats.recent(kb.postmortems, kb.settings, now)
    assert recent["current"]["serious_incidents"] == 2  # c (SEV1) and d (SEV2)
    assert recent["previous"]["serious_incidents"] == 2  # a and b
    assert recent["previous"]["median_minutes_to_resolve"] == 240.0
    assert recent["previous"]["write_ups_on_time"] == 0.5
    assert recent["current"]["write_ups_on_time"] == 0.0  # c late; d now past its deadline
    assert recent["overdue_action_items"] == 2


def test_recent_takes_the_whole_span_s_figures_instead_of_computing_them_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = load(Settings(root=project), RULESET)
    now = datetime(2026, 5, 15, tzinfo=timezone.utc)
    expected = stats.recent(kb.postmortems, kb.settings, now)
    whole = stats.compute(kb.postmortems, kb.settings, now)
    spans: list[tuple[object, object]] = []
    compute = stats.compute

    def counting(*args: Any, **kwargs: Any) -> stats.Stats:
        spans.append((kwargs.get("since"), kwargs.get("until")))
        return compute(*args, **kwargs)

    monkeypatch.setattr(stats, "compute", counting)
    assert stats.recent(kb.postmortems, kb.settings, now, whole=whole) == expected
    assert len(spans) == 2
    assert all(since is not None for since, _ in spans)


def test_quarter_figures_are_computed_once(project: Path) -> None:
    kb = load(Settings(root=project), RULESET)
    figures = stats.compute(kb.postmortems, kb.settings, datetime(2026, 5, 15, tzinfo=timezone.utc))
    first = figures.quarter_figures()
    assert first
    assert figures.quarter_figures() is first
    assert figures.as_json()["quarters"] is first


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (0.3, 0.5), (1, 1), (3, 5), (7, 10), (23, 25), (240, 250)]
)
def test_nice_ceiling(value: float, ceiling: float) -> None:
    assert nice_ceiling(value) == pytest.approx(ceiling)


class Tables(HTMLParser):
    """The text of every cell of every table, by the table's data attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            key = found.get("data-pm-chart") or (
                "severity-figures" if "data-pm-severity-figures" in found else None
            )
            self.current = key
            if key:
                self.tables[key] = []
        elif tag == "tr" and self.current:
            self.tables[self.current].append([])
        elif tag in ("td", "th") and self.current:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.current:
            self.tables[self.current][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


@pytest.fixture(scope="module")
def insights_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("insights")
    config = write_project(root, FILES)
    epoch = int(datetime(2026, 3, 1, 12, tzinfo=timezone.utc).timestamp())
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        site = build_site(config)
    return html(site, "insights")


def test_page_tables_show_the_figures(insights_page: str) -> None:
    parser = Tables()
    parser.feed(insights_page)
    tables = parser.tables
    assert tables["severity-figures"][1:] == [
        ["SEV1", "3", "20 min", "4.0 h", "5.6 h", "33%", "75%"],
        ["SEV2", "1", "5 min", "60 min", "60 min", "–", "0%"],
        ["SEV3", "1", "20 min", "2.0 h", "2.0 h", "–", "–"],
        ["SEV4", "0", "–", "–", "–", "–", "–"],
    ]
    assert tables["per-month"][1:] == [
        ["2025-12", "0", "0", "1", "1"],
        ["2026-01", "1", "0", "0", "1"],
        ["2026-02", "2", "1", "0", "3"],
    ]
    assert tables["services"][1:] == [
        ["checkout", "2", "3", "2026-02-05"],
        ["db", "2", "2", "2026-02-20"],
        ["search", "1", "1", "2026-02-25"],
    ]
    assert tables["action-item-states"][1:] == [
        ["done", "3"],
        ["open, not yet due", "1"],
        ["overdue", "1"],
        ["won't do", "1"],
    ]
    assert tables["on-time"][1:] == [["2025-Q4", "", ""], ["2026-Q1", "33%", ""]]


def test_charts_are_static_svg_with_titles_and_links(insights_page: str) -> None:
    charts = re.findall(r'<svg class="pm-chart-svg".*?</svg>', insights_page, re.S)
    assert len(charts) >= 4
    for chart in charts:
        assert re.search(r"<title id=\"[^\"]+\">[^<]+</title>", chart)
        assert "<desc" in chart
    assert "<script" not in "".join(charts)
    # The page's content loads nothing from another host (the theme's own chrome is the
    # site's configuration: the example turns its web fonts off).
    content = insights_page.split("<article", 1)[1].split("</article>", 1)[0]
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", content)
    assert 'href="../incidents/?severity=SEV1&amp;period=2026-02"' in insights_page
    assert 'href="../incidents/?service=db"' in insights_page


@pytest.mark.build
def test_home_page_compares_the_last_90_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_project(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    epoch = int(datetime(2026, 5, 15, tzinfo=timezone.utc).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    home = (build_site(config) / "index.html").read_text(encoding="utf-8")
    parser = Tables()
    parser.feed(home.replace("data-pm-recent", 'data-pm-chart="recent"'))
    assert parser.tables["recent"][1:] == [
        ["Serious incidents", "2", "2"],
        ["Median time to resolve (serious)", "60 min", "4.0 h"],
        ["Write-ups on time (serious)", "0%", "50%"],
        ["Action items overdue now", "2"],
    ]
    assert 'href="insights/"' in home


@pytest.mark.build
def test_switching_the_page_off_removes_it_and_the_home_summary(tmp_path: Path) -> None:
    config = write_project(
        tmp_path,
        FILES,
        config={"plugins": ["search", {"postmortems": {"pages": {"insights": False}}}]},
    )
    site = build_site(config)
    assert not (site / "insights").exists()
    assert "data-pm-recent" not in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.build
def test_quarters_and_months_reach_the_explorer(tmp_path: Path) -> None:
    """The incidents page carries both periods of every row, for the charts' links."""
    config = write_project(tmp_path, FILES)
    incidents = html(build_site(config), "incidents")
    assert 'data-month="2026-02" data-quarter="2026-Q1"' in incidents
    assert "<option>2026-Q1</option>" in incidents


def test_history_is_counted_and_can_be_left_out(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = project / "postmortems" / "2026-01-10-a.md"
    old.write_text(
        old.read_text(encoding="utf-8").replace("---\n", '---\nimported: "wiki/a.md"\n', 1),
        encoding="utf-8",
    )
    figures = stats_json(capsys)
    assert (figures["incidents"], figures["history"]) == (5, 1)
    # As history, A has no deadline: it is neither on time nor late.
    assert figures["severities"]["SEV1"]["write_ups_due"] == 2
    without = stats_json(capsys, "--no-history")
    assert (without["incidents"], without["history"]) == (4, 0)
    assert without["severities"]["SEV1"]["incidents"] == 2


def test_register_incidents_nobody_wrote_up_count_as_late(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "incidents.csv").write_text(
        "id,title,severity,started,resolved,services\n"
        "INC-1,Payments down,SEV1,2026-02-10T08:00:00Z,2026-02-10T09:00:00Z,payments\n"
        "INC-2,Search slow again,SEV2,2026-02-28T08:00:00Z,2026-02-28T09:00:00Z,search\n"
        "INC-3,Banner flicker,SEV3,2026-02-11T08:00:00Z,2026-02-11T09:00:00Z,web\n",
        encoding="utf-8",
    )
    (project / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - postmortems:\n      register:\n"
        "        path: incidents.csv\n        format: csv\n",
        encoding="utf-8",
    )
    figures = stats_json(capsys)
    # INC-1: SEV1, no post-mortem, 48 h deadline long past: one more write-up due, and late.
    assert figures["severities"]["SEV1"]["write_ups_due"] == 4
    assert figures["severities"]["SEV1"]["write_ups_on_time"] == pytest.approx(1 / 4)
    assert figures["severities"]["SEV1"]["missing_write_ups"] == 1
    # INC-2 is within its 7-day deadline on 03-01; INC-3's level has no deadline.
    assert figures["severities"]["SEV2"]["missing_write_ups"] == 0
    assert figures["severities"]["SEV3"]["missing_write_ups"] is None
    assert figures["register"] == {"missing_write_ups": 1, "write_ups_due_later": 1}
    assert stats_json(capsys, "--since", "2026-02-20")["register"]["missing_write_ups"] == 0


def test_without_a_register_there_is_no_register_figure(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = stats_json(capsys)
    assert figures["register"] is None
    assert figures["severities"]["SEV1"]["missing_write_ups"] is None
