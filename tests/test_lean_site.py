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
    checks read "after" the load, or "while reading" each file, or that and draw each
    post-mortem's page only when asked, letting go of its body then (as `mkdocs build`
    does), here in the reverse order of the knowledge base."""
    kb = load(settings, RULESET, for_pages=lean in ("while reading", "drawn later"))
    if lean == "after":
        for pm in kb.postmortems:
            pm.keep_for_pages()
    later = lean == "drawn later"
    site = generated_site(Context(kb, Site(settings, name="Example"), NOW), later=later)
    assert bool(site.later) == later
    drawn = {src: draw() for src, draw in reversed(site.later.items())}
    if later:
        assert all(pm.body is None and not pm.body_text for pm in kb.postmortems if pm.has_page)
    pages = {src: (p.markdown, p.blocks, p.search) for src, p in {**site.pages, **drawn}.items()}
    return pages, site.files, kb.findings


@pytest.mark.parametrize("lean", ["after", "while reading", "drawn later"])
def test_the_pages_need_nothing_the_checks_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lean: str
) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "postmortems")
    # Besides the example: a body with a script (sanitized), a page shown as source (no front
    # matter), a draft,
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
    assert len(pm.body.sections) > 2
    assert pm.timeline
    pm.keep_for_pages()
    assert pm.front.data == pm.front.values == pm.front.keys == {}
    assert pm.readable
    assert pm.title
    assert pm.timeline == []
    assert pm.body.lines == pm.body.tables == []
    # Only the tables a page draws again stay: the first of Timeline and of Action Items;
    # and the headings of the Summary and the section after it, where the fact card goes.
    assert [s.name for s in pm.body.sections] == ["Summary", "Timeline", "Action Items"]
    assert pm.body.sections[0].lines == pm.body.sections[0].tables == []
    for section in pm.body.sections[1:]:
        assert section.lines == []
        assert len(section.tables) == 1
        assert all(row.split is None for row in section.tables[0].rows)
    assert pm.raw_text == ""
    assert "## Action Items" in pm.body_text
    pm.keep_for_listing()
    assert pm.body is None
    assert pm.body_text == ""


def _site_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _build(config_file: Path, command: str, site_dir: Path) -> dict[str, bytes]:
    from sitebuild import build_as

    return _site_files(build_as(config_file, command, site_dir))


@pytest.mark.slow(seconds=5)  # for the order of the parallel run (conftest.py)
def test_a_single_build_writes_the_site_a_kept_build_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`mkdocs build` draws each post-mortem page as MkDocs reads it and lets go of it;
    `mkdocs serve` draws them all first and keeps them. Every file is the same."""
    from sitebuild import write_project

    shutil.copytree(EXAMPLE, tmp_path / "postmortems")  # valid: a single build fails on errors
    write(tmp_path, "2026-05-02-search-index-stalled.md", DRAFT)
    config_file = write_project(tmp_path, {}, config={"plugins": ["search", "postmortems"]})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    kept = _build(config_file, "serve", tmp_path / "kept")
    single = _build(config_file, "build", tmp_path / "single")
    assert len(kept) > 40
    assert single.keys() == kept.keys()
    assert [name for name in kept if single[name] != kept[name]] == []


def test_a_plugin_may_read_and_change_a_page_before_mkdocs_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page left to draw later is drawn for whoever reads its file first, and a plugin
    that sets the file's content has its own Markdown published."""
    from sitebuild import html, write_project

    hooks = tmp_path / "hooks.py"
    hooks.write_text(
        "def on_files(files, config):\n"
        "    for file in files:\n"
        "        if file.src_uri.endswith('checkout-config-push.md'):\n"
        "            text = file.content_string\n"
        "            assert 'pm-postmortem' not in text  # blocks come back later\n"
        "            file.content_string = text + '\\n\\nA line from a hook.\\n'\n"
        "    return files\n",
        encoding="utf-8",
    )
    config_file = write_project(
        tmp_path,
        {"2026-03-04-checkout-config-push.md": VALID},
        config={"hooks": [str(hooks)]},
    )
    monkeypatch.chdir(tmp_path)
    site = tmp_path / "site"
    _build(config_file, "build", site)
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    assert "A line from a hook." in page
    assert 'class="pm-header"' in page  # drawn, with its blocks put back
    assert "Roll config out one region at a time" in page


def test_other_plugins_find_the_garbage_collector_as_they_left_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plugin changes no process-wide state other plugins run under: the cyclic
    collector is neither paused nor told to skip what the build made."""
    from sitebuild import write_project

    hooks = tmp_path / "hooks.py"
    hooks.write_text(
        "import gc\n"
        "seen = []\n"
        "def on_page_markdown(markdown, page, config, files):\n"
        "    seen.append((gc.isenabled(), gc.get_freeze_count()))\n"
        "    return markdown\n"
        "def on_post_build(config):\n"
        "    assert seen and set(seen) == {(True, 0)}, set(seen)\n",
        encoding="utf-8",
    )
    config_file = write_project(
        tmp_path,
        {"2026-03-04-checkout-config-push.md": VALID},
        config={"plugins": ["search", "postmortems"], "hooks": [str(hooks)]},
    )
    monkeypatch.chdir(tmp_path)
    _build(config_file, "build", tmp_path / "site")


def test_a_post_mortem_page_is_held_small_until_written_and_let_go_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between rendering and writing, a generated page's HTML is held compressed, and once
    written its HTML and Markdown are let go; search and the theme read it whole, its title
    stays, and the docs' own pages keep theirs as MkDocs leaves them."""
    from sitebuild import html, write_project

    hooks = tmp_path / "hooks.py"
    hooks.write_text(
        "PM = 'postmortems/2026-03-04-checkout-config-push.md'\n"
        "seen = {}\n"
        "def _pages(files):\n"
        "    return {f.src_uri: f.page for f in files.documentation_pages() if f.page}\n"
        "def on_files(files, config):\n"
        "    seen['files'] = files\n"
        "def on_env(env, config, files):\n"
        "    pages = _pages(files)\n"
        "    seen['env'] = (pages[PM].content, 'Knowledge base' in pages['index.md'].content)\n"
        "def on_page_context(context, page, config, nav):\n"
        "    if page.file.src_uri == PM:\n"
        "        seen['context'] = 'Roll config out one region at a time' in page.content\n"
        "    return context\n"
        "def on_post_build(config):\n"
        "    pages = _pages(seen['files'])\n"
        "    packed = config.plugins['postmortems'].packed\n"
        "    kept = 'Knowledge base' in pages['index.md'].content\n"
        "    page = pages[PM]\n"
        "    markdown = (page.markdown, page.file.content_string)\n"
        "    seen['end'] = (page.content, *markdown, page.title, kept, packed)\n"
        "    assert seen == {\n"
        "        'files': seen['files'],\n"
        "        'env': ('', True),\n"
        "        'context': True,\n"
        "        'end': ('', '', '', 'Checkout API returned 500s after a config push', True, {}),\n"
        "    }, seen\n",
        encoding="utf-8",
    )
    config_file = write_project(
        tmp_path,
        {"2026-03-04-checkout-config-push.md": VALID},
        docs={"index.md": "# Knowledge base\n"},
        config={"plugins": ["search", "postmortems"], "hooks": [str(hooks)]},
    )
    monkeypatch.chdir(tmp_path)
    site = tmp_path / "site"
    _build(config_file, "build", site)
    assert 'class="pm-header"' in html(site, "postmortems/2026-03-04-checkout-config-push")
