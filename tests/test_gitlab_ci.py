"""The GitLab CI template: valid against GitLab's CI schema, its merge-request job's reports
valid against their schemas, and its overdue job talking to a stand-in of GitLab's API."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
import xmlschema
import yaml

from conftest import DRAFT, VALID, VALID_NAME, isolated_git, write
from mkdocs_postmortems.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / ".gitlab-ci.yml"
DATA = Path(__file__).resolve().parent / "data"


def template() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The template and a broken copy of it, checked against GitLab's schema in one run of
    the validator: the error messages by file."""
    broken = tmp_path_factory.mktemp("broken") / ".gitlab-ci.yml"
    text = TEMPLATE.read_text(encoding="utf-8")
    broken.write_text(text.replace("    when: always\n", "    when: sometimes\n"), encoding="utf-8")
    command = shutil.which("check-jsonschema")
    assert command, "check-jsonschema is not installed: pip install -e '.[test]'"
    result = subprocess.run(
        [command, "-o", "json", "--builtin-schema", "vendor.gitlab-ci", str(TEMPLATE), str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    assert report["parse_errors"] == [], report
    errors: dict[str, list[str]] = {"template": [], "broken": []}
    for error in report["errors"]:
        which = "broken" if Path(error["filename"]) == broken else "template"
        errors[which].append(f"{error['path']}: {error['message']}")
    return errors


def test_the_template_is_valid_gitlab_ci(validated: dict[str, list[str]]) -> None:
    assert validated["template"] == []


def test_the_validator_rejects_a_broken_template(validated: dict[str, list[str]]) -> None:
    assert validated["broken"] == [
        "$['postmortems-check'].artifacts.when: "
        "'sometimes' is not one of ['on_success', 'on_failure', 'always']"
    ]


def test_jobs_have_timeouts_and_the_documented_triggers() -> None:
    data = template()
    jobs = {name: job for name, job in data.items() if isinstance(job, dict) and "script" in job}
    assert set(jobs) == {"postmortems-check", "pages", "overdue"}
    assert all(job["timeout"] for job in jobs.values())
    check = jobs["postmortems-check"]
    assert check["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert check["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert check["artifacts"]["when"] == "always"
    assert jobs["pages"]["artifacts"]["paths"] == ["public"]
    assert jobs["overdue"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]


@pytest.mark.subprocess
def test_the_merge_request_job_writes_valid_reports(tmp_path: Path) -> None:
    env = {**os.environ, **isolated_git(tmp_path)}
    origin, repo = tmp_path / "origin.git", tmp_path / "repo"

    def git(*args: str, cwd: Path = repo) -> None:
        subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)

    repo.mkdir()
    git("init", "-q", "-b", "main")
    write(repo, VALID_NAME, VALID)
    git("add", ".")
    git("commit", "-q", "-m", "base")
    git("init", "-q", "--bare", str(origin), cwd=tmp_path)
    git("remote", "add", "origin", str(origin))
    git("push", "-q", "origin", "main")
    git("checkout", "-q", "-b", "new-write-up")
    write(repo, "2026-03-04-bad.md", VALID.replace("status: published", "status: done"))
    env["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"] = "main"
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    fetch, check, _build = template()["postmortems-check"]["script"]
    for script in (fetch, check):
        result = subprocess.run(
            ["bash", "-c", script], cwd=repo, env=env, capture_output=True, text=True
        )
    assert result.returncode == 1, result.stderr  # the check's own exit code
    assert "error PM105" in result.stdout
    report = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    schema = json.loads((DATA / "gitlab-codequality.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    assert [issue["check_name"] for issue in report] == ["PM105"]
    xmlschema.XMLSchema(DATA / "junit.xsd").validate(repo / "postmortems-junit.xml")


class FakeGitLab(BaseHTTPRequestHandler):
    """Answers the few API calls the overdue job makes, and records them."""

    calls: list[tuple[str, str, dict[str, list[str]]]]
    issues: list[dict[str, Any]]

    def _answer(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        fields = parse_qs(self.rfile.read(length).decode()) if length else {}
        url = urlsplit(self.path)
        assert self.headers["PRIVATE-TOKEN"] == "secret"
        self.calls.append((method, url.path, fields or parse_qs(url.query)))
        body: Any = {"iid": 7}
        if method == "GET":
            body = self.issues
        data = json.dumps(body).encode()
        self.send_response(201 if method == "POST" else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_PUT(self) -> None:
        self._answer("PUT")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads the recorded calls."""


@pytest.fixture
def gitlab() -> Iterator[tuple[str, type[FakeGitLab]]]:
    handler = type("Handler", (FakeGitLab,), {"calls": [], "issues": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # Shut down in 10 ms, not the half second of the default poll.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v4", handler
    finally:
        server.shutdown()
        server.server_close()


def overdue_report(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], today: str
) -> None:
    monkeypatch.chdir(folder)
    owners = VALID.replace("| Omar Haddad | 2026-04-15", "| @omar-h | 2026-04-15").replace(
        "title: Checkout API", "title: Checkout @everyone [API]"
    )
    write(folder, VALID_NAME, owners)
    write(folder, "2026-05-02-search-index-stalled.md", DRAFT)
    capsys.readouterr()
    main(["overdue", "--format", "json", "--today", today])
    (folder / "overdue.json").write_text(capsys.readouterr().out, encoding="utf-8")


def run_overdue(folder: Path, api: str) -> subprocess.CompletedProcess[str]:
    (script,) = [line for line in template()["overdue"]["script"] if "<<'PYTHON'" in line]
    code = script.split("<<'PYTHON'\n", 1)[1].rsplit("PYTHON", 1)[0]
    env = {
        **os.environ,
        "CI_API_V4_URL": api,
        "CI_PROJECT_ID": "42",
        "CI_PROJECT_URL": "https://gitlab.example.com/acme/incidents",
        "CI_DEFAULT_BRANCH": "main",
        "POSTMORTEMS_TOKEN": "secret",
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=folder, env=env, capture_output=True, text=True
    )


def test_overdue_opens_one_issue_mentioning_only_handles(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    gitlab: tuple[str, type[FakeGitLab]],
) -> None:
    api, handler = gitlab
    overdue_report(tmp_path, monkeypatch, capsys, "2026-05-20")
    result = run_overdue(tmp_path, api)
    assert result.returncode == 0, result.stderr
    assert [(m, p) for m, p, _ in handler.calls] == [
        ("GET", "/api/v4/projects/42/issues"),
        ("POST", "/api/v4/projects/42/issues"),
    ]
    assert handler.calls[0][2]["labels"] == ["overdue-postmortems"]
    created = handler.calls[1][2]
    assert created["labels"] == ["overdue-postmortems"]
    assert created["title"] == ["Overdue post-mortem work: 1 write-up, 1 action item, 1 review"]
    body = created["description"][0]
    assert "@omar-h," in body
    assert "@everyone" not in body
    assert "Checkout @\u200beveryone \\[API\\]" in body
    assert "acme/incidents/-/blob/main/postmortems/" in body


def test_overdue_updates_the_open_issue_then_closes_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    gitlab: tuple[str, type[FakeGitLab]],
) -> None:
    api, handler = gitlab
    handler.issues = [{"iid": 3}]
    overdue_report(tmp_path, monkeypatch, capsys, "2026-05-20")
    assert run_overdue(tmp_path, api).returncode == 0
    assert [(m, p) for m, p, _ in handler.calls][1:] == [("PUT", "/api/v4/projects/42/issues/3")]
    handler.calls.clear()
    (tmp_path / "postmortems" / "2026-05-02-search-index-stalled.md").unlink()
    done = VALID.replace("| open |", "| done |").replace(
        "tags:", "reviewed: 2026-04-01\nreview_outcome: effective\ntags:"
    )
    write(tmp_path, VALID_NAME, done)
    capsys.readouterr()
    assert main(["overdue", "--format", "json", "--today", "2026-05-20"]) == 0
    (tmp_path / "overdue.json").write_text(capsys.readouterr().out, encoding="utf-8")
    assert run_overdue(tmp_path, api).returncode == 0
    assert [(m, p) for m, p, _ in handler.calls][1:] == [
        ("POST", "/api/v4/projects/42/issues/3/notes"),
        ("PUT", "/api/v4/projects/42/issues/3"),
    ]
    assert handler.calls[-1][2] == {"state_event": ["close"]}


def test_an_incident_with_no_write_up_alone_gets_its_own_section_and_title(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    gitlab: tuple[str, type[FakeGitLab]],
) -> None:
    api, handler = gitlab
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - postmortems:\n      register: {path: incidents.csv, format: csv}\n",
        encoding="utf-8",
    )
    # SEV1, resolved 2026-03-30 20:30 UTC: due 48 hours later, 3 h 29 min late at 23:59.
    (tmp_path / "incidents.csv").write_text(
        "id,title,severity,started,resolved,url\n"
        "PD-9,Login [outage],SEV1,2026-03-30T19:00Z,2026-03-30T20:30Z,"
        "https://pd.example.com/incidents/PD-9\n",
        encoding="utf-8",
    )
    write(tmp_path, VALID_NAME, VALID)
    capsys.readouterr()
    assert main(["overdue", "--format", "json", "--today", "2026-04-01"]) == 1
    text = capsys.readouterr().out
    report = json.loads(text)
    assert (report["writeups"], report["action_items"], report["reviews_due"]) == ([], [], [])
    assert report["missing_writeups"][0]["late"] == "3 hours"
    (tmp_path / "overdue.json").write_text(text, encoding="utf-8")
    result = run_overdue(tmp_path, api)
    assert result.returncode == 0, result.stderr
    created = handler.calls[-1][2]
    assert created["title"] == ["Overdue post-mortem work: 1 incident with no write-up"]
    body = created["description"][0]
    assert "## Incidents with no write-up (1)" in body
    assert (
        "- [Login \\[outage\\]](https://pd.example.com/incidents/PD-9): SEV1, incident PD-9, "
        "resolved 2026-03-30, 3 hours past the deadline (2026-04-01)."
    ) in body
    assert "`postmortems new --incident PD-9`" in body


@pytest.mark.subprocess
def test_the_overdue_job_refreshes_the_register_only_with_a_token(tmp_path: Path) -> None:
    refresh = template()["overdue"]["script"][0]
    assert "postmortems register pull" in refresh
    env = {key: value for key, value in os.environ.items() if key != "PAGERDUTY_TOKEN"}
    env["PATH"] = str(tmp_path)  # no postmortems command: the step must not run it
    shell = shutil.which("sh")
    assert shell
    result = subprocess.run([shell, "-c", refresh], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    result = subprocess.run(
        [shell, "-c", refresh], env={**env, "PAGERDUTY_TOKEN": "x"}, capture_output=True, text=True
    )
    assert result.returncode == 127  # it runs the pull when the token is there


def test_every_job_runs_in_an_image_with_git() -> None:
    """The install line of docs/adopt.md is a git+https URL, and --changed runs git: the
    -slim images have no git."""
    data = template()
    images = [data["default"]["image"]] + [
        job["image"] for job in data.values() if isinstance(job, dict) and "image" in job
    ]
    assert images
    assert all(re.fullmatch(r"python:3\.\d+", image) for image in images)
