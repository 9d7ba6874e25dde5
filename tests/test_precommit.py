"""The pre-commit hook: the published definition, and a real commit blocked by a finding."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml

from conftest import DRAFT, isolated_git

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / ".pre-commit-hooks.yaml"
OWN_CONFIG = ROOT / ".pre-commit-config.yaml"
DRAFT_NAME = "postmortems/2026/2026-05-02-search-index-stalled.md"


def published_hook() -> dict[str, object]:
    hooks = yaml.safe_load(PUBLISHED.read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["postmortems-check"]
    hook: dict[str, object] = hooks[0]
    return hook


def pre_commit(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_published_hook_is_what_a_consumer_needs() -> None:
    pre_commit("validate-manifest", str(PUBLISHED))
    hook = published_hook()
    assert hook["language"] == "python"  # pre-commit pip-installs this repository
    assert hook["entry"] == "postmortems check"
    assert hook["pass_filenames"] is True
    # The entry is the console script that installing the package provides.
    (script,) = entry_points(group="console_scripts", name="postmortems")
    assert script.value == "mkdocs_postmortems.cli:main"
    files = re.compile(str(hook["files"]))
    exclude = re.compile(str(hook["exclude"]))

    def selected(path: str) -> bool:
        return bool(files.search(path)) and not exclude.search(path)

    assert selected("postmortems/2026/2026-03-04-checkout-config-push.md")
    assert selected("postmortems/2026-03-04-flat.md")
    assert not selected("postmortems/README.md")
    assert not selected("postmortems/2026/_template.md")
    assert not selected("docs/postmortems/2026-03-04-x.md")
    assert not selected("postmortems/2026/2026-03-04-x.md.orig")


def test_own_config_runs_ruff_and_the_hook_locally() -> None:
    pre_commit("validate-config", str(OWN_CONFIG))
    repos = yaml.safe_load(OWN_CONFIG.read_text(encoding="utf-8"))["repos"]
    ruff = next(repo for repo in repos if repo["repo"].endswith("astral-sh/ruff-pre-commit"))
    assert {hook["id"] for hook in ruff["hooks"]} == {"ruff-check", "ruff-format"}
    local = next(repo for repo in repos if repo["repo"] == "local")
    (hook,) = local["hooks"]
    published = published_hook()
    assert hook["language"] == "system"  # this checkout's installed package; no network
    for key in ("id", "name", "entry", "files", "exclude", "pass_filenames", "require_serial"):
        assert hook[key] == published[key], key


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A repository with the published hook installed as a local, `language: system` hook."""
    repo = tmp_path / "kb"
    repo.mkdir()
    bin_dir = str(Path(sys.executable).parent)  # where `postmortems` is installed
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        **isolated_git(tmp_path),
    }
    env.pop("SOURCE_DATE_EPOCH", None)
    hook = {**published_hook(), "language": "system"}
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, env=env, check=True)
    pre_commit("install", cwd=repo, env=env)
    return repo, env


def commit(repo: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    subprocess.run(["git", "add", "-A"], cwd=repo, env=env, check=True)
    return subprocess.run(
        ["git", "commit", "-q", "-m", message],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow(seconds=4)  # for the order of the parallel run (conftest.py)
def test_hook_passes_a_valid_draft_and_blocks_a_broken_one(
    repo: tuple[Path, dict[str, str]],
) -> None:
    folder, env = repo
    path = folder / DRAFT_NAME
    path.parent.mkdir(parents=True)
    path.write_text(DRAFT, encoding="utf-8")
    (folder / "postmortems" / "README.md").write_text("Not a post-mortem: never checked.\n")

    ok = commit(folder, env, "Add a draft")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "postmortems check" in ok.stdout + ok.stderr

    path.write_text(DRAFT.replace("severity: SEV1", "severity: SEV9"), encoding="utf-8")
    blocked = commit(folder, env, "Break it")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0
    assert f"{DRAFT_NAME}:3:11: error PM104 unknown severity 'SEV9'" in output

    path.write_text(DRAFT.replace("severity: SEV1", "severity: SEV2"), encoding="utf-8")
    fixed = commit(folder, env, "Fix it")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
