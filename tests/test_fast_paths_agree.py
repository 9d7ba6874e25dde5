"""The fast paths agree with the full ones: `mkdocs serve` after an edit to mkdocs.yml reads
every file again, the "did you mean" hint of a broken `related` link is the same on every run
and under `check PATH`, and `check --changed` rechecks the links to an explicit id the change
removes and reports a file added with an upper-case suffix."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import VALID, VALID_NAME, isolated_git, write
from mkdocs_postmortems.adapters.mkdocs import PostmortemsPlugin
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.rules import RULESET
from sitebuild import BASE_CONFIG, write_project

# Reviewed, every action item done: clean whatever the day.
CLEAN = VALID.replace("tags:", "reviewed: 2026-03-20\nreview_outcome: effective\ntags:").replace(
    "| open |", "| done |"
)
LINKING = "2026-05-02-search-index-stalled.md"


@pytest.mark.build
def test_serve_reads_unchanged_files_again_after_mkdocs_yml_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    config_file = write_project(tmp_path, {VALID_NAME: VALID})
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config)
        # SEV2, the post-mortem's severity, is no longer a level.
        options = {"severities": ["SEV1", "SEV3"]}
        config_file.write_text(
            yaml.safe_dump({**BASE_CONFIG, "plugins": ["search", {"postmortems": options}]}),
            encoding="utf-8",
        )
        # What `mkdocs serve` does when mkdocs.yml changes: it reads the config again, and
        # MkDocs hands back the same plugin instance (its plugin cache).
        config = load_config(str(config_file))
        build(config, dirty=True)
    finally:
        config.plugins.on_shutdown()
    plugin = config.plugins["postmortems"]
    assert isinstance(plugin, PostmortemsPlugin)
    assert plugin.settings is not None
    # What a fresh `mkdocs build` with the new mkdocs.yml reports and shows.
    assert "PM104" in {f.code for f in load(plugin.settings, RULESET).findings}
    served = Path(config.site_dir) / "postmortems" / VALID_NAME[:-3] / "index.html"
    assert "PM104" in served.read_text(encoding="utf-8")


def hint_project(root: Path) -> None:
    """Four ids that the broken link `2026-03-04-db_down` equals once punctuation is dropped."""
    for name in ("db-down", "dbdown", "d-bdown", "d-b-down"):
        write(root, f"2026-03-04-{name}.md", CLEAN)
    write(
        root,
        "2026-03-04-linking.md",
        CLEAN.replace("---\n", "---\nrelated: [2026-03-04-db_down]\n", 1),
    )


@pytest.mark.slow(seconds=7)  # for the order of the parallel run (conftest.py)
@pytest.mark.subprocess
def test_the_hint_of_a_broken_related_link_is_the_same_on_every_run(tmp_path: Path) -> None:
    hint_project(tmp_path)
    outputs = set()
    for seed in range(1, 9):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs_postmortems", "check"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        outputs.add(next(line for line in result.stdout.splitlines() if "PM501" in line))
    assert len(outputs) == 1, outputs


def test_check_path_gives_the_hint_of_the_full_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "2026-03-04-db-down.md", CLEAN)
    # Closer by spelling to the broken link than the id above, but not equal once folded.
    write(
        tmp_path, "2026-03-04-other.md", CLEAN.replace("---\n", "---\nid: 2026-03-04-db_downs\n", 1)
    )
    write(
        tmp_path,
        "2026-03-04-linking.md",
        CLEAN.replace("---\n", "---\nrelated: [2026-03-04-db_down]\n", 1),
    )
    monkeypatch.chdir(tmp_path)

    def hint(*args: str) -> list[str]:
        main(["check", *args])
        return [line for line in capsys.readouterr().out.splitlines() if "PM501" in line]

    full = hint()
    assert full == [
        "postmortems/2026-03-04-linking.md:2:11: error PM501 related id '2026-03-04-db_down' "
        "does not exist (did you mean '2026-03-04-db-down'?)"
    ]
    assert hint("postmortems/2026-03-04-linking.md") == full


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True)


@pytest.fixture
def branch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose `main` holds a post-mortem with an explicit id and one linking to
    it, on a branch `change`."""
    for key, value in isolated_git(tmp_path).items():
        monkeypatch.setenv(key, value)
    root = tmp_path / "kb"
    root.mkdir()
    monkeypatch.chdir(root)
    git(root, "init", "-q", "-b", "main")
    write(root, VALID_NAME, CLEAN.replace("---\n", "---\nid: checkout-pool\n", 1))
    write(
        root,
        LINKING,
        CLEAN.replace("---\n", "---\nrelated: [checkout-pool]\n", 1).replace(
            "2026-03-04", "2026-05-02"
        ),
    )
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "knowledge base")
    git(root, "switch", "-q", "-c", "change")
    return root


@pytest.mark.parametrize("change", ["the file is deleted", "its id is edited"])
def test_changed_reports_a_link_to_an_explicit_id_the_change_removes(
    branch: Path, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    target = branch / "postmortems" / VALID_NAME
    if change == "the file is deleted":
        git(branch, "rm", "-q", str(target))
    else:
        target.write_text(CLEAN.replace("---\n", "---\nid: checkout-pool-2\n", 1), encoding="utf-8")
    broken = f"postmortems/{LINKING}:2:11: error PM501 related id 'checkout-pool' does not exist"
    main(["check"])
    assert broken in capsys.readouterr().out  # the full check, as on main after the merge
    main(["check", "--changed"])
    assert broken in capsys.readouterr().out


def test_changed_reports_a_markdown_file_added_with_an_uppercase_suffix(
    branch: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (branch / "postmortems" / "2026-06-01-outage.MD").write_text(CLEAN, encoding="utf-8")
    refused = "postmortems/2026-06-01-outage.MD:1:1: error PM023"
    main(["check"])
    assert refused in capsys.readouterr().out
    main(["check", "--changed"])
    assert refused in capsys.readouterr().out
