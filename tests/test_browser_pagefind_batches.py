"""A site whose Pagefind index came in batches, in a real Chromium: the search page loads
the first bundle and merges the others, so a query finds the pages of every batch and the
filters count and select across them. The list of bundles is a script, read from disk too.

The batch bound is lowered so that five post-mortems make three bundles.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import eventually, screenshot_on_failure, serve
from mkdocs_postmortems.site import pagefind
from sitebuild import build_site, write_project
from test_pagefind import PLUGINS, fragments, postmortems

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def batched_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five post-mortems, two pages a batch: three bundles."""
    root = tmp_path_factory.mktemp("batched")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setattr(pagefind, "BATCH_PAGES", 2)
        return build_site(write_project(root, postmortems(), config={"plugins": PLUGINS}))


@pytest.fixture
def page(browser: Browser, batched_site: Path, request: pytest.FixtureRequest) -> Iterator[Page]:
    with serve(batched_site) as url:
        context = browser.new_context(base_url=url)
        context.set_default_timeout(10_000)
        page = context.new_page()
        yield page
        screenshot_on_failure(request, page)
        context.close()


def batch_of(site: Path) -> dict[str, str]:
    """Each post-mortem page's bundle, by the page's path."""
    return {
        url: name
        for name in ("pagefind", "pagefind-2", "pagefind-3")
        for url in fragments(site / name)
    }


def found(page: Page) -> list[str]:
    """The pages of the results shown (a result links its page and its sections)."""
    links: list[str] = page.locator(".pagefind-ui__result-link").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    return sorted(set(links))


def test_a_query_finds_the_pages_of_every_batch(page: Page, batched_site: Path) -> None:
    batches = batch_of(batched_site)
    assert sorted(set(batches.values())) == ["pagefind", "pagefind-2", "pagefind-3"]
    page.goto("find/?query=checkout")
    shown = eventually(lambda: found(page), lambda shown: len(shown) == 5)
    assert shown == sorted(batches)
    message = page.locator(".pagefind-ui__message").inner_text()
    assert message.startswith("5 results"), message
    titles = page.locator(".pagefind-ui__result-title").all_inner_texts()
    assert all(title.strip() for title in titles), titles
    excerpts = page.locator(".pagefind-ui__result-excerpt").all_inner_texts()
    assert all(
        "mark" in html
        for html in page.locator(".pagefind-ui__result-excerpt").evaluate_all(
            "nodes => nodes.map(n => n.innerHTML)"
        )
    ), excerpts


def test_filters_count_and_select_across_batches(page: Page, batched_site: Path) -> None:
    batches = batch_of(batched_site)
    sev2 = ["/postmortems/2026-03-01-incident-1/", "/postmortems/2026-03-05-incident-5/"]
    assert batches[sev2[0]] != batches[sev2[1]]
    page.goto("find/?query=checkout")
    eventually(lambda: found(page), lambda shown: len(shown) == 5)
    page.locator(".pagefind-ui__filter-name", has_text="Severity").click()
    label = page.locator("label.pagefind-ui__filter-label", has_text="SEV2")
    count = eventually(label.inner_text, lambda text: "2" in text.replace("SEV2", ""))
    assert "2" in count.replace("SEV2", ""), count
    label.click()
    shown = eventually(lambda: found(page), lambda shown: len(shown) == 2)
    assert shown == sev2
    assert "severity=SEV2" in page.url


def test_the_list_of_bundles_is_read_from_disk(browser: Browser, batched_site: Path) -> None:
    """Opened as a file, the search page still knows every bundle: the list is a script,
    which a browser loads from disk, not data it would have to fetch."""
    context = browser.new_context()
    try:
        file_page = context.new_page()
        errors: list[str] = []
        file_page.on("pageerror", lambda error: errors.append(str(error)))
        file_page.goto((batched_site / "find" / "index.html").as_uri())
        bundles = file_page.evaluate("() => window.pmPagefindBundles")
        assert bundles == ["pagefind-2/", "pagefind-3/"]
        element = file_page.locator("[data-pm-find]")
        assert element.get_attribute("data-pm-bundles") == "3"
        assert errors == []
    finally:
        context.close()
