"""The GitHub workflows: valid against the workflow schema, and doing what the docs promise."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DRAFT, VALID, VALID_NAME, isolated_git, write
from mkdocs_postmortems.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@v\d+$")


def workflow(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True)
    return data


def steps(data: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in data["jobs"].values() for step in job["steps"]]


def validate(*files: Path) -> subprocess.CompletedProcess[str]:
    command = shutil.which("check-jsonschema")
    assert command, "check-jsonschema is not installed: pip install -e '.[test]'"
    return subprocess.run(
        [command, "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_workflows_are_valid() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == [
        "overdue.yml",
        "publish.yml",
        "pull-request.yml",
        "release.yml",
    ]
    result = validate(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = (WORKFLOWS / "pull-request.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("runs-on:", "runs_on:"), encoding="utf-8")
    assert validate(broken).returncode == 1


def test_actions_are_pinned_to_major_versions() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        for step in steps(workflow(path.name)):
            if "uses" in step:
                assert PINNED.match(step["uses"]), (path.name, step["uses"])


def test_pull_request_checks_the_changed_files_and_builds() -> None:
    data = workflow("pull-request.yml")
    assert "pull_request" in data["on"]
    checkout = next(s for s in steps(data) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = [s for s in steps(data) if "run" in s]
    check = next(s for s in runs if "postmortems check" in s["run"])
    assert check["run"] == 'postmortems check --changed "origin/${BASE_REF}" --format github'
    assert check["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert any(s["run"] == "mkdocs build --strict" for s in runs)
    assert data["permissions"] == {"contents": "read"}


def test_publish_deploys_to_pages_from_the_default_branch() -> None:
    data = workflow("publish.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert "schedule" in data["on"]  # overdue banners follow the calendar
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    uses = [s["uses"].split("@")[0] for s in steps(data) if "uses" in s]
    for action in ("configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert f"actions/{action}" in uses
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    assert any("mkdocs build --strict" in s.get("run", "") for s in build["steps"])
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


def test_overdue_runs_daily_with_permission_to_write_issues() -> None:
    data = workflow("overdue.yml")
    assert data["on"]["schedule"][0]["cron"].count(" ") == 4
    assert data["permissions"]["issues"] == "write"
    report = next(s for s in steps(data) if "postmortems overdue" in s.get("run", ""))
    assert "postmortems overdue --format json > overdue.json" in report["run"]


def test_pull_request_template_has_the_review_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert text.count("- [ ]") >= 8
    assert "postmortems check" in text


# github-script runs the script as the body of an async function with these arguments.
HARNESS = """
const fs = require('fs');
const [scriptFile, stateFile] = process.argv.slice(2);
const state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
const calls = [];
const api = (name, data = {}) => async (params) => {
  calls.push([name, params]);
  if (name === 'getLabel' && !state.labelExists) {
    throw Object.assign(new Error('Not Found'), { status: 404 });
  }
  return { data };
};
const github = {
  paginate: async (method, params) => { calls.push(['list', params]); return state.issues; },
  rest: { issues: {
    listForRepo: api('listForRepo'), getLabel: api('getLabel'), createLabel: api('createLabel'),
    create: api('create', { number: 7 }), update: api('update'),
    createComment: api('createComment'),
  } },
};
const context = { repo: { owner: 'acme', repo: 'incidents' }, serverUrl: 'https://github.com' };
const core = { info: () => {} };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const script = new AsyncFunction('github', 'context', 'core', 'require',
  fs.readFileSync(scriptFile, 'utf8'));
script(github, context, core, require)
  .then(() => console.log(JSON.stringify(calls)))
  .catch((error) => { console.error(error); process.exit(1); });
"""


@pytest.fixture
def run_script(tmp_path: Path) -> Any:
    node = shutil.which("node")
    if node is None:
        message = "node is not installed (it runs the workflow's github-script step)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; .ci/run installs it")
        pytest.skip(message)
    step = next(s for s in steps(workflow("overdue.yml")) if "github-script" in s.get("uses", ""))
    (tmp_path / "script.js").write_text(step["with"]["script"], encoding="utf-8")
    (tmp_path / "harness.js").write_text(HARNESS, encoding="utf-8")

    def run(report: dict[str, Any], issues: list[dict[str, Any]], label: bool = True) -> Any:
        (tmp_path / "overdue.json").write_text(json.dumps(report), encoding="utf-8")
        state = {"issues": issues, "labelExists": label}
        (tmp_path / "state.json").write_text(json.dumps(state), encoding="utf-8")
        result = subprocess.run(
            [node, "harness.js", "script.js", "state.json"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return [call for call in json.loads(result.stdout) if call[0] != "list"]

    return run


@pytest.fixture
def report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    """`postmortems overdue --format json` on a knowledge base with something overdue."""
    folder = tmp_path / "kb"
    folder.mkdir()
    monkeypatch.chdir(folder)
    owners = VALID.replace("| Omar Haddad | 2026-04-15", "| @omar-h | 2026-04-15")
    title = "title: Checkout 500s for @everyone after a [config] push"
    old_title = "title: Checkout API returned 500s after a config push"
    write(folder, "2026/2026-03-04-checkout-config-push.md", owners.replace(old_title, title))
    draft = DRAFT.replace("status: draft", "status: draft\nauthors: [Kenji Watanabe]")
    write(folder, "2026/2026-05-02-search-index-stalled.md", draft)
    capsys.readouterr()
    assert main(["overdue", "--format", "json", "--today", "2026-05-20"]) == 1
    payload: dict[str, Any] = json.loads(capsys.readouterr().out)
    return payload


def test_script_opens_an_issue_mentioning_only_handles(run_script: Any, report: Any) -> None:
    calls = run_script(report, issues=[], label=False)
    assert [name for name, _ in calls] == ["getLabel", "createLabel", "create"]
    created = calls[-1][1]
    assert created["labels"] == ["overdue-postmortems"]
    assert created["title"] == ("Overdue post-mortem work: 1 write-up, 1 action item, 1 review")
    body = created["body"]
    assert "@omar-h," in body  # written as a handle: mentioned
    assert "Kenji Watanabe" in body  # a name: shown as text
    assert "@everyone" not in body  # an @ in a title is defused
    assert "@\u200beveryone" in body
    assert "\\[config\\]" in body
    assert (
        "(https://github.com/acme/incidents/blob/HEAD/postmortems/2026/"
        "2026-05-02-search-index-stalled.md)"
    ) in body


def test_script_updates_the_open_issue(run_script: Any, report: Any) -> None:
    calls = run_script(report, issues=[{"number": 12}, {"number": 3, "pull_request": {}}])
    assert [name for name, _ in calls] == ["update"]
    assert calls[0][1]["issue_number"] == 12
    assert calls[0][1]["body"].startswith("As of 2026-05-20")


def test_script_closes_the_issue_when_nothing_is_overdue(run_script: Any, report: Any) -> None:
    clear = {**report, "overdue": False, "writeups": [], "action_items": [], "reviews_due": []}
    calls = run_script(clear, issues=[{"number": 12}])
    assert [name for name, _ in calls] == ["createComment", "update"]
    assert calls[1][1] == {
        "owner": "acme",
        "repo": "incidents",
        "issue_number": 12,
        "state": "closed",
        "state_reason": "completed",
    }
    assert run_script(clear, issues=[]) == []


def test_script_keeps_the_body_under_the_issue_limit(run_script: Any, report: Any) -> None:
    item = report["action_items"][0]
    many = {**report, "action_items": [{**item, "action": "x" * 500}] * 400}
    body = run_script(many, issues=[{"number": 12}])[0][1]["body"]
    assert len(body) < 65536
    assert body.rstrip().endswith("for the full list.")


def test_overdue_refreshes_the_register_first_only_with_a_token() -> None:
    runs = [s for s in steps(workflow("overdue.yml")) if "run" in s]
    names = [s["run"] for s in runs]
    pull = next(i for i, run in enumerate(names) if "postmortems register pull" in run)
    report = next(i for i, run in enumerate(names) if "postmortems overdue" in run)
    assert pull < report
    assert runs[pull]["env"] == {"PAGERDUTY_TOKEN": "${{ secrets.PAGERDUTY_TOKEN }}"}
    assert 'if [ -n "$PAGERDUTY_TOKEN" ]' in names[pull]


def test_script_lists_incidents_with_no_write_up(run_script: Any, report: Any) -> None:
    missing = {
        "incident": "Q1VRZ5HK3OXH0A",
        "number": "4521",
        "title": "Checkout 502s for @everyone",
        "severity": "SEV1",
        "started": "2026-05-09T09:12:04+00:00",
        "resolved": "2026-05-10T11:00:00+00:00",
        "services": ["checkout-api"],
        "url": "https://acme.pagerduty.com/incidents/Q1VRZ5HK3OXH0A",
        "deadline": "2026-05-12T11:00:00+00:00",
        "days_late": 8,
        "hours_left": 0,
    }
    calls = run_script({**report, "missing_writeups": [missing]}, issues=[])
    created = calls[-1][1]
    assert created["title"] == (
        "Overdue post-mortem work: 1 write-up, 1 incident with no write-up, 1 action item, 1 review"
    )
    body = created["body"]
    assert "## Incidents with no write-up (1)" in body
    assert (
        "- [Checkout 502s for @\u200beveryone](https://acme.pagerduty.com/incidents/"
        "Q1VRZ5HK3OXH0A): SEV1, incident Q1VRZ5HK3OXH0A, resolved 2026-05-10, 8 days past the "
        "deadline (2026-05-12). No post-mortem names it: start one with "
        "`postmortems new --incident Q1VRZ5HK3OXH0A`"
    ) in body


def jobs() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path.name, name, job)
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for name, job in workflow(path.name)["jobs"].items()
    ]


def test_every_job_has_a_timeout() -> None:
    for file, name, job in jobs():
        assert 0 < job.get("timeout-minutes", 0) <= 30, (file, name)


def test_caching_needs_no_file_the_adopter_may_lack() -> None:
    for file, name, job in jobs():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert "cache" not in step.get("with", {}), (file, name)
            if step.get("uses", "").startswith("actions/cache@"):
                assert "hashFiles(" in step["with"]["key"]
                assert step["with"]["restore-keys"]


def test_publish_grants_each_job_what_it_needs_in_a_private_repository() -> None:
    data = workflow("publish.yml")
    assert data["permissions"] == {}
    build = data["jobs"]["build"]
    assert build["permissions"] == {"contents": "read", "pages": "write"}
    assert any(s.get("uses", "").startswith("actions/configure-pages@") for s in build["steps"])


@pytest.mark.subprocess
def test_the_job_summary_lists_every_finding(tmp_path: Path) -> None:
    """GitHub shows 10 annotations of a kind per step; the summary step lists them all."""
    data = workflow("pull-request.yml")
    step = next(s for s in steps(data) if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    assert step["if"] == "${{ !cancelled() }}"
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, **isolated_git(tmp_path), "BASE_REF": "main"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    write(repo, VALID_NAME, VALID)
    git("add", ".")
    git("commit", "-q", "-m", "base")
    git("update-ref", "refs/remotes/origin/main", "HEAD")
    bad = VALID.replace("status: published", "status: done")
    for day in range(10, 23):  # 13 files, an error each: more than GitHub annotates
        write(repo, f"2026-03-{day}-bad-{day}.md", bad.replace("2026-03-04", f"2026-03-{day}"))
    summary = tmp_path / "summary.md"
    env["GITHUB_STEP_SUMMARY"] = str(summary)
    bin_dir = Path(shutil.which("postmortems") or "postmortems").parent
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    result = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.count(" error PM105 ") == 13
    assert "13 files checked: 26 errors" in text


def test_the_private_alternative_to_pages_is_a_valid_workflow(tmp_path: Path) -> None:
    """docs/adopt.md's workflow that keeps the site private (an artifact) is valid."""
    text = (ROOT / "docs" / "adopt.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# \.github/workflows/publish-private\.yml\n.*?)```", text, re.S)
    assert block, "docs/adopt.md shows publish-private.yml"
    path = tmp_path / "publish-private.yml"
    path.write_text(block[1], encoding="utf-8")
    assert validate(path).returncode == 0, validate(path).stdout
    data = yaml.safe_load(block[1])
    (job,) = data["jobs"].values()
    assert job["timeout-minutes"]
    uses = [s.get("uses", "") for s in job["steps"]]
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    assert not any("pages" in u for u in uses)


@pytest.mark.subprocess
def test_release_tags_the_version_of_pyproject_and_attaches_the_wheel(tmp_path: Path) -> None:
    """The tag the docs pin (``@vX.Y.Z``, ``rev: vX.Y.Z``) is made by this workflow, from
    the version in pyproject.toml, once the wheel built from that commit has run."""
    data = workflow("release.yml")
    assert list(data["on"]) == ["workflow_dispatch"]
    (job,) = data["jobs"].values()
    assert job["permissions"] == {"contents": "write"}
    runs = {step.get("name"): step.get("run", "") for step in job["steps"]}
    assert "python -m build" in runs["Build the wheel and the sdist"]
    trial = runs["Install the wheel in a fresh environment and run it"]
    assert 'mkdocs_postmortems-$VERSION-py3-none-any.whl[site]"' in trial
    assert "mkdocs build --strict" in trial
    publish = runs["Tag and publish the release"]
    assert 'git tag -a "v$VERSION"' in publish
    assert "dist/*.whl" in publish
    # The version step reads pyproject.toml, and refuses a version tagged already.
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    env = {**os.environ, **isolated_git(tmp_path), "GITHUB_OUTPUT": str(tmp_path / "out")}
    subprocess.run(["git", "init", "-q"], cwd=repo, env=env, check=True)
    subprocess.run(["git", "add", "."], cwd=repo, env=env, check=True)
    subprocess.run(["git", "commit", "-qm", "x"], cwd=repo, env=env, check=True)
    shell = shutil.which("bash")
    assert shell
    step = runs["Read the version"]
    assert subprocess.run([shell, "-ec", step], cwd=repo, env=env).returncode == 0
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert version
    assert (tmp_path / "out").read_text() == f"version={version[1]}\n"
    subprocess.run(["git", "tag", f"v{version[1]}"], cwd=repo, env=env, check=True)
    again = subprocess.run([shell, "-ec", step], cwd=repo, env=env, capture_output=True, text=True)
    assert again.returncode == 1
    assert "tagged already" in again.stderr


def test_script_says_hours_for_a_write_up_late_by_less_than_a_day(
    run_script: Any, report: Any
) -> None:
    (writeup,) = report["writeups"]
    late = {**report, "writeups": [{**writeup, "days_late": 0, "late": "3 hours"}]}
    body = run_script(late, issues=[])[-1][1]["body"]
    assert "3 hours past the deadline" in body
    assert "0 days" not in body
