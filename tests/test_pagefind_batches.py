"""Pagefind's index in batches: once a service was sent ``BATCH_PAGES`` pages, its index
is written into a bundle of its own and a new service takes the next pages, so the peak
memory is a batch's, not the site's. A site under the bound gets the one bundle it always
had; a larger one gets the same bundles build after build, during the build or from the
written site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import VALID, write
from mkdocs_postmortems.adapters import mkdocs as adapter
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.rules import RULESET
from mkdocs_postmortems.site import pagefind
from mkdocs_postmortems.site.pagefind import index_written_site, make_deterministic
from sitebuild import build_site, write_project
from test_pagefind import HOOK, PLUGINS, filters, fragments, page_count, postmortems


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by its path inside it, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def bundles(site: Path) -> dict[str, dict[str, bytes]]:
    """The site's Pagefind bundles, by folder."""
    return {
        path.name: tree(path)
        for path in sorted(site.iterdir())
        if path.is_dir() and pagefind.BUNDLE_FOLDER.fullmatch(path.name)
    }


def listed(site: Path) -> list[str]:
    """The bundles after the first, as the search page reads them."""
    text = (site / pagefind.BUNDLE_LIST).read_text(encoding="utf-8")
    prefix = "window.pmPagefindBundles = "
    assert text.startswith(prefix), text
    assert text.endswith(";\n"), text
    names: list[str] = json.loads(text[len(prefix) : -2])
    return names


def build(root: Path) -> Path:
    config_file = write_project(root, postmortems(), config={"plugins": PLUGINS})
    return build_site(config_file)


@pytest.mark.build
def test_a_site_under_the_bound_gets_its_one_bundle_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five post-mortem pages are sent: at the bound, and far under it, the same single
    bundle, byte for byte, and no list of other bundles."""
    monkeypatch.chdir(tmp_path)
    site = build(tmp_path / "default")
    monkeypatch.setattr(pagefind, "BATCH_PAGES", 5)
    at_bound = build(tmp_path / "at-bound")
    assert list(bundles(site)) == ["pagefind"]
    assert bundles(site) == bundles(at_bound)
    assert page_count(site / "pagefind") == 5
    assert listed(site) == listed(at_bound) == []


@pytest.mark.build
def test_a_site_over_the_bound_is_indexed_in_batches_the_same_every_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    whole = build(tmp_path / "whole")
    monkeypatch.setattr(pagefind, "BATCH_PAGES", 2)
    site = build(tmp_path / "batched")
    again = build(tmp_path / "again")
    assert list(bundles(site)) == ["pagefind", "pagefind-2", "pagefind-3"]
    assert [page_count(site / name) for name in bundles(site)] == [2, 2, 1]
    assert bundles(site) == bundles(again)
    assert listed(site) == ["pagefind-2/", "pagefind-3/"]
    # Together the batches hold what the one bundle holds: every page, every filter value.
    merged: dict[str, object] = {}
    for name in bundles(site):
        merged.update(fragments(site / name))
    assert merged == fragments(whole / "pagefind")
    severities: dict[str, list[str]] = {}
    for name in bundles(site):
        for value, urls in filters(site / name)["severity"].items():
            severities[value] = sorted(severities.get(value, []) + urls)
    assert severities == filters(whole / "pagefind")["severity"]


@pytest.mark.build
def test_the_written_site_is_indexed_in_the_same_batches_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the pages changed after they were written, Pagefind reads the site: a site with
    more HTML files than a batch takes goes through the service, in batches, in the order
    of its files' paths."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(pagefind, "BATCH_PAGES", 2)
    site = build(tmp_path / "project")
    made = []
    for _ in range(2):
        for name in bundles(site):
            for path in sorted((site / name).rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            (site / name).rmdir()
        written = index_written_site(site, [adapter.PAGEFIND_IGNORED])
        for name in written:
            make_deterministic(site / name)
        made.append(bundles(site))
        assert written == ["pagefind", "pagefind-2", "pagefind-3"]
    assert made[0] == made[1]
    assert [page_count(site / name) for name in made[0]] == [2, 2, 1]


@pytest.mark.build
def test_a_page_changed_after_it_was_written_has_the_site_indexed_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index of the pages fed is dropped (nothing of it reaches the site) and the
    written site is indexed instead, in batches named for the search page."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(pagefind, "BATCH_PAGES", 2)
    (tmp_path / "hook.py").write_text(HOOK, encoding="utf-8")
    config = {"plugins": PLUGINS, "hooks": ["hook.py"]}
    site = build_site(write_project(tmp_path, postmortems(), config=config))
    assert list(bundles(site)) == ["pagefind", "pagefind-2", "pagefind-3"]
    assert listed(site) == ["pagefind-2/", "pagefind-3/"]
    found = {}
    for name in bundles(site):
        found.update(fragments(site / name))
    assert "zebrafish" in found["/postmortems/2026-03-02-incident-2/"]["content"]


@pytest.mark.parametrize("ident", ["pagefind-2", "Pagefind-12", "pagefind-bundles.js"])
def test_an_id_a_bundle_would_take_at_the_site_root_gets_no_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ident: str
) -> None:
    """With an empty url_prefix a post-mortem's page would be a bundle's folder (and be
    replaced by it) or the list of bundles."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "2026-03-04-a.md", VALID.replace("tags:", f"id: {ident}\ntags:"))
    write(tmp_path, "2026-03-05-pagefind-2x.md", VALID.replace("2026-03-04", "2026-03-05"))
    at_root = load(Settings(root=tmp_path, url_prefix=""), RULESET)
    assert [(f.path.rsplit("/", 1)[-1], f.code) for f in at_root.findings] == [
        ("2026-03-04-a.md", "PM502")
    ]
    under_prefix = load(Settings(root=tmp_path), RULESET)
    assert [f.code for f in under_prefix.findings] == []
