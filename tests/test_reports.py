"""``check --format sarif|junit|gitlab``: each validated by its own schema, with stable
fingerprints."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings

from conftest import VALID, VALID_NAME, write
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Finding
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.integrations import reports
from mkdocs_postmortems.rules import RULES, RULESET
from test_fuzz import mangled

DATA = Path(__file__).resolve().parent / "data"
JUNIT = xmlschema.XMLSchema(DATA / "junit.xsd")
GITLAB_VALIDATOR = jsonschema.Draft202012Validator(
    json.loads((DATA / "gitlab-codequality.schema.json").read_text(encoding="utf-8"))
)
BAD_NAME = "2026-03-05-bad.md"
# Errors in the front matter and a warning (hindsight) in the body.
BAD = (
    VALID.replace("severity: SEV2", "severity: SEV9")
    .replace("status: published", "status: done")
    .replace(
        "The alert fired within seven minutes.",
        "The alert fired within seven minutes; we should have paged earlier.",
    )
)


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    write(tmp_path, VALID_NAME, VALID)
    write(tmp_path, BAD_NAME, BAD)
    return tmp_path


def run(fmt: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["check", "--format", fmt, *extra])
    return code, capsys.readouterr().out


def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def test_sarif_is_valid_against_the_official_schema(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run("sarif", capsys)
    assert code == 1
    log = json.loads(out)
    sarif_validator().validate(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    assert all(r["helpUri"].endswith("docs/rules.md#" + r["id"].lower()) for r in rules)
    results = run_["results"]
    assert {r["ruleId"] for r in results} >= {"PM104", "PM105", "BL003"}
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == f"postmortems/{BAD_NAME}"
        assert location["region"]["startLine"] >= 1
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["PM104"] == "error"
    assert levels["BL003"] == "warning"


def test_the_sarif_schema_catches_a_broken_log(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = json.loads(run("sarif", capsys)[1])
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        sarif_validator().validate(log)


def test_junit_is_valid_against_the_ant_schema(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run("junit", capsys)
    assert code == 1
    xmlschema.XMLSchema(DATA / "junit.xsd").validate(out)
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {f"postmortems/{VALID_NAME}", f"postmortems/{BAD_NAME}"}
    assert suite.get("tests") == "2"
    assert suite.get("failures") == "1"
    assert cases[f"postmortems/{VALID_NAME}"].find("failure") is None
    failure = cases[f"postmortems/{BAD_NAME}"].find("failure")
    assert failure is not None
    assert "PM104" in (failure.text or "")
    # SOURCE_DATE_EPOCH 1780000000 is 2026-05-28T20:26:40Z.
    assert suite.get("timestamp") == "2026-05-28T20:26:40"


def test_junit_carries_text_xml_cannot_hold() -> None:
    finding = Finding("postmortems/x\x01.md", 1, 1, "PM105", "unknown status 'a\x1bb'")
    out = reports.junit([finding], [finding.path], datetime(2026, 1, 1, tzinfo=timezone.utc))
    xmlschema.XMLSchema(DATA / "junit.xsd").validate(out)
    case = ET.fromstring(out).find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == "postmortems/x\ufffd.md"
    # The finding's text line escapes control characters (as every text output does).
    assert "'a\\x1bb'" in (case.findtext("failure") or "")


def test_junit_of_a_clean_run_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, VALID_NAME, VALID)
    code, out = run("junit", capsys, "--today", "2026-03-10")
    assert code == 0
    xmlschema.XMLSchema(DATA / "junit.xsd").validate(out)
    assert ET.fromstring(out).find("testsuite/testcase/failure") is None


def gitlab_report(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out = run("gitlab", capsys)
    assert code == 1
    report: list[dict[str, Any]] = json.loads(out)
    schema = json.loads((DATA / "gitlab-codequality.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    return report


def test_gitlab_code_quality_follows_the_documented_format(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = gitlab_report(capsys)
    severities = {issue["check_name"]: issue["severity"] for issue in report}
    assert severities["PM104"] == "major"
    assert severities["BL003"] == "minor"
    assert len({issue["fingerprint"] for issue in report}) == len(report)
    assert all(issue["location"]["path"] == f"postmortems/{BAD_NAME}" for issue in report)


def test_fingerprints_survive_reruns_and_unrelated_edits(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {(i["check_name"], i["description"]): i["fingerprint"] for i in gitlab_report(capsys)}
    assert before == {
        (i["check_name"], i["description"]): i["fingerprint"] for i in gitlab_report(capsys)
    }
    # Lines added above every finding move them all down; their identity stays.
    path = kb / "postmortems" / BAD_NAME
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "## Summary\n", "## Summary\n\nAn added paragraph.\n\nAnd another one.\n"
        ),
        encoding="utf-8",
    )
    after_report = gitlab_report(capsys)
    after = {(i["check_name"], i["description"]): i["fingerprint"] for i in after_report}
    assert after == before
    moved = next(i for i in after_report if i["check_name"] == "BL003")
    assert moved["location"]["lines"]["begin"] > 40
    # Editing the line at fault is a new finding.
    path.write_text(
        path.read_text(encoding="utf-8").replace("we should have paged", "we should have called"),
        encoding="utf-8",
    )
    changed = {(i["check_name"], i["description"]): i["fingerprint"] for i in gitlab_report(capsys)}
    assert {k: v for k, v in changed.items() if k[0] != "BL003"} == {
        k: v for k, v in before.items() if k[0] != "BL003"
    }
    bl003 = [v for k, v in changed.items() if k[0] == "BL003"]
    assert bl003
    assert not set(bl003) & {v for k, v in before.items() if k[0] == "BL003"}


def test_reports_name_the_format_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "sarif" in capsys.readouterr().out


@pytest.mark.slow(seconds=6)  # for the order of the parallel run (conftest.py)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=mangled())
def test_reports_of_mangled_files_stay_valid(tmp_path: Path, data: bytes) -> None:
    """Whatever a file holds, each report still validates against its schema."""
    (tmp_path / "postmortems").mkdir(exist_ok=True)
    (tmp_path / "postmortems" / BAD_NAME).write_bytes(data)
    kb = load(Settings(root=tmp_path), RULESET)
    now = datetime(2026, 5, 1, tzinfo=timezone.utc)
    sarif_validator().validate(json.loads(reports.render("sarif", kb, RULES, now)))
    gitlab = json.loads(reports.render("gitlab", kb, RULES, now))
    GITLAB_VALIDATOR.validate(gitlab)
    assert len({issue["fingerprint"] for issue in gitlab}) == len(gitlab)
    JUNIT.validate(reports.render("junit", kb, RULES, now))


def test_junit_fails_a_file_with_warnings_only_under_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    hindsight = VALID.replace(
        "The alert fired within seven minutes.",
        "The alert fired within seven minutes; we should have paged earlier.",
    )
    write(tmp_path, VALID_NAME, hindsight)
    code, out = run("junit", capsys, "--today", "2026-03-10")
    assert code == 0
    assert ET.fromstring(out).find("testsuite/testcase/failure") is None
    assert "BL003" in (ET.fromstring(out).findtext("testsuite/system-out") or "")
    code, out = run("junit", capsys, "--today", "2026-03-10", "--strict")
    assert code == 1
    JUNIT.validate(out)
    failure = ET.fromstring(out).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("type") == "BL003"
    assert failure.get("message") == "1 finding"


def test_information_is_a_note_and_fails_no_strict_run() -> None:
    """History's TBDs (PM013) are information: a SARIF note, GitLab info, no JUnit failure."""
    note = Finding("postmortems/a.md", 3, 11, "PM013", "'severity' is marked TBD", "info")
    now = datetime(2026, 5, 1, tzinfo=timezone.utc)
    sarif: Any = reports.sarif([note], ["x"], RULES)
    assert sarif["runs"][0]["results"][0]["level"] == "note"
    assert reports.gitlab([note], ["x"])[0]["severity"] == "info"
    junit = reports.junit([note], ["postmortems/a.md"], now, strict=True)
    JUNIT.validate(junit)
    assert ET.fromstring(junit).find("testsuite/testcase/failure") is None
