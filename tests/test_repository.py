"""The repository keeps its promises: generated docs are current, lint and types are clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.rules import RULESET, all_rules
from mkdocs_postmortems.site.render import rules_reference

ROOT = Path(__file__).resolve().parent.parent


def test_rule_reference_page_is_current() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == rules_reference(all_rules()), (
        "run: postmortems rules --format markdown > docs/rules.md"
    )


def test_rule_reference_lists_every_code() -> None:
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"\n## {rule.code}\n" in page
        assert rule.why
        assert rule.fix


def test_example_knowledge_base_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    kb = load(Settings(root=ROOT), RULESET)
    assert len(kb.postmortems) >= 12
    assert [f.format() for f in kb.findings] == []


def _tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(name) is None and not _module_available(name):
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return subprocess.run(
        [sys.executable, "-m", name, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def _module_available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def test_ruff_lint() -> None:
    result = _tool("ruff", "check", "plugin", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = _tool("ruff", "format", "--check", "plugin", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow(seconds=15)  # for the order of the parallel run (conftest.py)
def test_mypy_strict() -> None:
    result = _tool("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
