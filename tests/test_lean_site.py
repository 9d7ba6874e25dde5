"""A single build lets go of what only the checks read (YAML positions, the body's lines,
split table cells, the text of a readable file) before the pages are made: the pages are the
same without it."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from conftest import DRAFT, VALID, write
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.rules import RULESET
from mkdocs_postmortems.site.links import Site
from mkdocs_postmortems.site.pages import Context, generated_site

EXAMPLE = Path(__file__).parent.parent / "postmortems"
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


def generated(settings: Settings, lean: str = "") -> tuple[Any, ...]:
    """Every generated page and file, and the findings; ``lean``: let go of what only the
    checks read "after" the load, or "while reading" each file (as `mkdocs build` does)."""
    kb = load(settings, RULESET, for_pages=lean == "while reading")
    if lean == "after":
        for pm in kb.postmortems:
            pm.keep_for_pages()
    site = generated_site(Context(kb, Site(settings, name="Example"), NOW))
    pages = {src: (p.markdown, p.blocks, p.search) for src, p in site.pages.items()}
    return pages, site.files, kb.findings


@pytest.mark.parametrize("lean", ["after", "while reading"])
def test_the_pages_need_nothing_the_checks_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lean: str
) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "postmortems")
    # Besides the example: a page shown as source (script in it, no front matter), a draft,
    # and a timeline and action items with escaped pipes and code (split by hand).
    write(tmp_path, "2026-05-10-scripted.md", VALID + "\n<script>alert(1)</script>\n")
    write(tmp_path, "2026-05-11-no-front-matter.md", "## Summary\n\nJust text.\n")
    write(tmp_path, "2026-05-02-search-index-stalled.md", DRAFT)
    write(
        tmp_path,
        "2026-05-12-pipes.md",
        VALID.replace("Roll config out one region at a time", "Split `a|b` and a\\|b"),
    )
    # Checks across files: a link to nowhere, a duplicate id.
    linking = VALID.replace("---\n", "---\nrelated: [nowhere]\nid: 2026-05-12-PIPES\n", 1)
    write(tmp_path, "2026-05-13-links.md", linking)
    monkeypatch.chdir(tmp_path)
    settings = Settings(root=tmp_path)
    whole = generated(settings)
    assert len(whole[0]) > 10
    assert {f.code for f in whole[2]} >= {"PM210", "PM500", "PM501"}  # checks across files ran too
    assert generated(settings, lean) == whole


def test_what_is_let_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "2026-03-04-checkout-config-push.md", VALID)
    monkeypatch.chdir(tmp_path)
    (pm,) = load(Settings(root=tmp_path), RULESET).postmortems
    assert pm.front is not None
    assert pm.body is not None
    pm.keep_for_pages()
    assert pm.front.values == pm.front.keys == {}
    assert pm.body.lines == []
    assert all(s.lines == [] for s in pm.body.sections)
    assert all(row.split is None for table in pm.body.tables for row in table.rows)
    assert pm.raw_text == ""
    assert pm.front.data["title"] == pm.title  # the values stay
    assert "## Action Items" in pm.body_text
