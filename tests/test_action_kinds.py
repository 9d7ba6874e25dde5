"""The Kind column of Action Items: validation, the prevention hint, counts by kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import VALID, Checker, write
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import ConfigError, Settings, settings_from_options
from mkdocs_postmortems.rules import RULES
from sitebuild import build_site, html, write_project

OLD_TABLE = """\
| Action | Owner | Due | Priority | Status | Ticket |
|--------|-------|-----|----------|--------|--------|
| Add a minimum of 1 to the pool size schema | Dana Whitfield | 2026-03-20 | P1 | done | OPS-101 |
| Roll config out one region at a time | Omar Haddad | 2026-04-15 | P2 | open | OPS-102 |
"""


def with_kinds(first: str, second: str) -> str:
    table = (
        "| Action | Owner | Due | Priority | Kind | Status |\n"
        "|---|---|---|---|---|---|\n"
        f"| Add a minimum of 1 to the pool size schema | Dana Whitfield | 2026-03-20 | P1 | {first} | done |\n"
        f"| Alert on pool exhaustion | Omar Haddad | 2026-04-15 | P2 | {second} | open |\n"
    )
    assert OLD_TABLE in VALID
    return VALID.replace(OLD_TABLE, table)


def codes(findings: list) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.col) for f in findings]


def test_kinds_that_detect_and_prevent_are_clean(check: Checker) -> None:
    assert check(with_kinds("testing", "monitoring")) == []


def test_kind_is_case_insensitive(check: Checker) -> None:
    assert check(with_kinds("Architecture", "MONITORING")) == []


def test_unknown_kind_is_reported_at_its_cell_with_a_suggestion(check: Checker) -> None:
    text = with_kinds("testing", "monitorng")
    row = text.splitlines()[52]
    findings = check(text)
    # The unknown kind counts as no kind: nothing improves detection then.
    assert codes(findings) == [("PM410", 50, 1), ("PM409", 53, row.index("monitorng") + 1)]
    assert "did you mean 'monitoring'" in findings[1].message


def test_serious_incident_without_detection_or_prevention_gets_a_hint(check: Checker) -> None:
    findings = check(with_kinds("runbook", "process"))
    assert codes(findings) == [("PM410", 50, 1)]
    assert findings[0].level == "warning"
    assert "improves detection (monitoring)" in findings[0].message
    assert "prevents recurrence (testing or architecture)" in findings[0].message


def test_hint_names_only_what_is_missing(check: Checker) -> None:
    findings = check(with_kinds("architecture", "training"))
    assert [f.code for f in findings] == ["PM410"]
    assert "monitoring" in findings[0].message
    assert "recurrence" not in findings[0].message


def test_no_hint_without_a_kind_column_or_for_a_small_incident(check: Checker) -> None:
    assert check(VALID) == []
    assert check(with_kinds("runbook", "process").replace("SEV2", "SEV3")) == []


def test_kind_column_out_of_order_is_reported(check: Checker) -> None:
    text = with_kinds("testing", "monitoring").replace(
        "| Priority | Kind | Status |", "| Priority | Status | Kind |"
    )
    findings = check(text)
    assert [f.code for f in findings] == ["PM408"]
    assert "Kind, Status, Ticket" in findings[0].message


def test_kinds_are_configurable(check: Checker, tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, action_kinds=("monitoring", "testing", "chaos"))
    assert check(with_kinds("testing", "monitoring"), settings=settings) == []
    findings = check(with_kinds("chaos", "monitoring"), settings=settings)
    assert [f.code for f in findings] == ["PM410"]
    findings = check(with_kinds("runbook", "monitoring"), settings=settings)
    assert [f.code for f in findings] == ["PM410", "PM409"]
    assert "use one of monitoring, testing, chaos" in findings[1].message


def test_action_kinds_option(tmp_path: Path) -> None:
    settings = settings_from_options({"action_kinds": ["alerting", "tests"]}, tmp_path, RULES)
    assert settings.action_kinds == ("alerting", "tests")
    with pytest.raises(ConfigError, match="action_kinds"):
        settings_from_options({"action_kinds": "alerting"}, tmp_path, RULES)
    with pytest.raises(ConfigError, match="action_kinds"):
        settings_from_options({"action_kinds": ["a", "a"]}, tmp_path, RULES)


def test_rules_are_documented() -> None:
    assert RULES["PM409"].level == "error"
    assert RULES["PM410"].level == "warning"


def test_stats_count_items_by_kind_and_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "2026-03-04-checkout-config-push.md", with_kinds("testing", "monitoring"))
    other = (
        with_kinds("testing", "")
        .replace("2026-03-04", "2026-03-10")
        .replace("| done |", "| wont-do |")
    )
    write(tmp_path, "2026-03-10-checkout-config-push.md", other)
    assert main(["stats", "--format", "json", "--today", "2026-06-01"]) == 0
    figures = json.loads(capsys.readouterr().out)
    by_kind = figures["action_items"]["by_kind"]
    assert list(by_kind) == list(Settings().action_kinds)
    assert by_kind["testing"] == {"open": 0, "in_progress": 0, "done": 1, "wont_do": 1}
    assert by_kind["monitoring"] == {"open": 1, "in_progress": 0, "done": 0, "wont_do": 0}
    assert by_kind["runbook"] == {"open": 0, "in_progress": 0, "done": 0, "wont_do": 0}
    assert figures["action_items"]["without_kind"] == 1


@pytest.mark.build
def test_what_we_changed_lists_done_items_by_kind_and_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    config = write_project(
        tmp_path, {"2026-03-04-checkout-config-push.md": with_kinds("testing", "monitoring")}
    )
    page = html(build_site(config), "changes")
    assert "<h1>What we changed</h1>" in page
    assert "1 action items done" in page
    testing = page.index("<h2>Testing")
    assert "Monitoring" not in page[page.index("<h1>") :]  # the open item is not listed
    assert page.index("<h3>checkout-api</h3>", testing) < page.index(
        "<h3>config-service</h3>", testing
    )
    assert page.count('href="../postmortems/2026-03-04-checkout-config-push/"') == 2
    insights = html(build_site(config), "insights")
    assert "Action items by kind" in insights


def test_an_unknown_status_lowered_to_a_warning_is_counted_in_no_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - postmortems:\n      rules: {PM405: warning}\n"
    )
    write(
        tmp_path,
        "2026-03-04-checkout-config-push.md",
        with_kinds("testing", "monitoring").replace("| open |", "| blocked |"),
    )
    assert main(["stats", "--format", "json", "--today", "2026-06-01"]) == 0
    by_kind = json.loads(capsys.readouterr().out)["action_items"]["by_kind"]
    assert by_kind["monitoring"] == {"open": 0, "in_progress": 0, "done": 0, "wont_do": 0}
