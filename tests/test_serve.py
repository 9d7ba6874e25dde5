"""Rebuilds as `mkdocs serve` does them: one plugin instance, the same config, build after
build. An edit re-reads only the edited file, re-renders (with --dirty) only the pages it
changed, and every page that shows the edited title or severity shows the new one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from conftest import DRAFT, VALID, VALID_NAME
from mkdocs_postmortems.adapters.mkdocs import PostmortemsPlugin
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.site import pages
from sitebuild import write_project

OTHER = "2026-05-02-search-index-stall.md"
# Two older incidents: the first is the edited incident's neighbour in time (its page links
# to it), the second is two steps away, unrelated.
OLDER = {
    f"{day}-search-{name}.md": DRAFT.replace("2026-05-02", day)
    .replace("severity: SEV1", "severity: SEV3")
    .replace("Search index rebuild stalled", f"Search {name}")
    for day, name in (("2025-06-01", "slow"), ("2025-01-01", "flaky"))
}
NEIGHBOUR = "2025-06-01-search-slow"


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MkDocsConfig]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    config_file = write_project(
        tmp_path,
        {VALID_NAME: VALID, OTHER: DRAFT, **OLDER},
        docs={"index.md": "# Home\n\n<!-- postmortems:overdue -->\n"},
    )
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config)
    yield config
    # MkDocs keeps a plugin instance that has on_startup for the next command in the process.
    config.plugins.on_shutdown()


def plugin(config: MkDocsConfig) -> PostmortemsPlugin:
    found = config.plugins["postmortems"]
    assert isinstance(found, PostmortemsPlugin)
    return found


def page(config: MkDocsConfig, url: str) -> Path:
    return Path(config.site_dir) / url / "index.html"


@pytest.mark.build
def test_an_edit_reads_one_file_and_renders_only_what_it_changed(served: MkDocsConfig) -> None:
    edited = Path(served.docs_dir).parent / "postmortems" / VALID_NAME
    unrelated = page(served, "postmortems/2025-01-01-search-flaky")
    before = unrelated.stat().st_mtime_ns
    reads = plugin(served).read_cache.reads
    edited.write_text(
        VALID.replace(
            "Checkout API returned 500s after a config push", "Checkout pool emptied"
        ).replace("severity: SEV2", "severity: SEV1"),
        encoding="utf-8",
    )
    os.utime(edited, ns=(before + 10**9, before + 10**9))  # a new mtime even on coarse clocks
    build(served, dirty=True)
    assert plugin(served).read_cache.reads == reads + 1  # the edited file only
    for url in ("postmortems/2026-03-04-checkout-config-push", "incidents", "severity"):
        html = page(served, url).read_text(encoding="utf-8")
        assert "Checkout pool emptied" in html, url
        assert "Checkout API returned 500s" not in html, url
    severity = page(served, "severity").read_text(encoding="utf-8")
    assert 'class="pm-count-sev1">2<' in severity
    assert unrelated.stat().st_mtime_ns == before  # not rendered again
    # Its neighbours in time show its title in their previous/next links.
    for url in ("postmortems/2026-05-02-search-index-stall", "postmortems/2025-06-01-search-slow"):
        assert "Checkout pool emptied" in page(served, url).read_text(encoding="utf-8"), url


@pytest.mark.build
def test_the_home_page_follows_an_edit_under_dirty(served: MkDocsConfig) -> None:
    """The draft is an overdue SEV1, so the home page's overdue box names it."""
    assert "Search index rebuild stalled" in page(served, "").read_text("utf-8")
    edited = Path(served.docs_dir).parent / "postmortems" / OTHER
    edited.write_text(
        DRAFT.replace("Search index rebuild stalled", "Search shards stalled"), encoding="utf-8"
    )
    build(served, dirty=True)
    home = page(served, "").read_text("utf-8")
    assert "Search shards stalled" in home
    assert "Search index rebuild stalled" not in home


@pytest.mark.build
def test_a_rebuild_with_nothing_changed_renders_no_generated_page(served: MkDocsConfig) -> None:
    generated = [page(served, "incidents"), page(served, f"postmortems/{VALID_NAME[:-3]}")]
    before = [p.stat().st_mtime_ns for p in generated]
    build(served, dirty=True)
    assert [p.stat().st_mtime_ns for p in generated] == before


@pytest.mark.build
def test_a_deleted_postmortem_leaves_the_indexes(served: MkDocsConfig) -> None:
    (Path(served.docs_dir).parent / "postmortems" / OTHER).unlink()
    build(served, dirty=True)
    assert "Search index rebuild stalled" not in page(served, "incidents").read_text("utf-8")


@pytest.mark.build
def test_findings_are_not_repeated_across_rebuilds(served: MkDocsConfig) -> None:
    edited = Path(served.docs_dir).parent / "postmortems" / OTHER
    edited.write_text(DRAFT.replace("services: [search]", "services: []"), encoding="utf-8")
    build(served)
    build(served)
    html = page(served, "postmortems/2026-05-02-search-index-stall").read_text("utf-8")
    assert html.count("PM109") == 1


@pytest.mark.build
def test_pagefind_waits_for_a_build_under_serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config_file = write_project(
        tmp_path,
        {VALID_NAME: VALID},
        config={"plugins": ["search", {"postmortems": {"pagefind": True}}]},
    )
    for command, indexed in (("serve", False), ("build", True)):
        config = load_config(str(config_file))
        config.plugins.on_startup(command=command, dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        assert (Path(config.site_dir) / "pagefind" / "pagefind-ui.js").is_file() == indexed


def drawn_pages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the post-mortem pages drawn from now on (not kept from the last build)."""
    drawn: list[str] = []
    draw = pages.postmortem_page

    def counted(pm: PostMortem, *args: Any) -> pages.RenderedPage:
        drawn.append(pm.id)
        return draw(pm, *args)

    monkeypatch.setattr(pages, "postmortem_page", counted)
    return drawn


@pytest.mark.build
def test_an_edit_redraws_the_pages_of_related_incidents(
    served: MkDocsConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other post-mortem links the edited one: its file is unchanged, but its page lists
    the edited title among its related incidents, so it is drawn again; so is the edited
    one's older neighbour, whose previous/next links show it; no other is."""
    folder = Path(served.docs_dir).parent / "postmortems"
    linking = folder / OTHER
    linking.write_text(DRAFT.replace("---\n", f"---\nrelated: [{VALID_NAME[:-3]}]\n", 1))
    build(served, dirty=True)
    other = page(served, "postmortems/2026-05-02-search-index-stall")
    assert "Checkout API returned 500s" in other.read_text("utf-8")
    drawn = drawn_pages(monkeypatch)
    (folder / VALID_NAME).write_text(
        VALID.replace("Checkout API returned 500s after a config push", "Checkout pool emptied")
    )
    build(served, dirty=True)
    assert sorted(drawn) == sorted([VALID_NAME[:-3], OTHER[:-3], NEIGHBOUR])
    html = other.read_text("utf-8")
    assert "Checkout pool emptied" in html
    assert "Checkout API returned 500s" not in html
    drawn.clear()
    build(served, dirty=True)
    assert drawn == []  # nothing changed: every page kept
    (folder / VALID_NAME).unlink()
    build(served, dirty=True)
    # Its link is broken now (a finding, and no related entry). The removed post-mortem was
    # the only one on its services and of its owners' open items: their pages are gone, so
    # every page's links may change, and none is kept.
    assert sorted(drawn) == sorted([OTHER[:-3], *(n[:-3] for n in OLDER)])
    assert "Checkout pool emptied" not in other.read_text("utf-8")


@pytest.mark.build
def test_a_new_day_redraws_every_page(
    served: MkDocsConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What is overdue depends on the day: no page is kept from a build of another day."""
    drawn = drawn_pages(monkeypatch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1780272000 + 86400))
    build(served, dirty=True)
    assert sorted(drawn) == sorted([VALID_NAME[:-3], OTHER[:-3], *(n[:-3] for n in OLDER)])
