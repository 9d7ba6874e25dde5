"""The "read from disk, or on an intranet" recipe of docs/adopt.md, tested as written: the
repository's example built with the recipe's settings and opened from disk (``file://``) in
Chromium. Pages open, the navigation leads to pages (not folder listings), search works,
and no request leaves the machine."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import yaml

from browser import screenshot_on_failure
from sitebuild import build_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1795564800"  # 2026-11-25T00:00:00Z, the day after the newest example incident
ORDERS_DB = "2025-05-19-orders-db-connection-exhaustion"


def recipe() -> dict[str, Any]:
    """The recipe's mkdocs.yml block, as docs/adopt.md shows it."""
    text = (ROOT / "docs" / "adopt.md").read_text(encoding="utf-8")
    section = text[text.index("### Read from disk, or on an intranet") :]
    block = re.search(r"```yaml\n(# mkdocs\.yml: read from disk.*?)```", section, re.S)
    assert block, "the recipe's mkdocs.yml block is missing"
    data: dict[str, Any] = yaml.safe_load(block[1])
    return data


def with_recipe(example: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """The example's mkdocs.yml with the recipe's settings: its top-level values and theme
    keys, its plugins (each named one replaced or added, in the recipe's order), and its
    options of the postmortems plugin over the example's."""
    config = {**example, **{k: v for k, v in settings.items() if k not in ("theme", "plugins")}}
    config["theme"] = {**example["theme"], **settings["theme"]}
    mine = dict(map(_entry, example["plugins"]))
    plugins = []
    for name, options in map(_entry, settings["plugins"]):
        if name == "postmortems":
            options = {**mine.get(name, {}), **options}
        plugins.append({name: options} if options else name)
    config["plugins"] = plugins
    # The example's nav names the Pagefind page, which the plugin makes only with Pagefind on.
    config["nav"] = [item for item in example["nav"] if item != {"Search incidents": "find.md"}]
    return config


def _entry(item: str | dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if isinstance(item, str):
        return item, {}
    ((name, options),) = item.items()
    return name, dict(options or {})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("offline")
    for folder in ("docs", "postmortems"):
        shutil.copytree(ROOT / folder, project / folder)
    example = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config = with_recipe(example, recipe())
    assert "repo_url" not in config
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build_site(project / "mkdocs.yml")


@pytest.fixture
def page(browser: Browser, site: Path, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    outside: list[str] = []

    # Every request the pages make; one that is not a file of the site is answered by
    # nobody (as on a closed network) and recorded.
    def route(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    yield page
    screenshot_on_failure(request, page)
    context.close()
    assert outside == [], f"requests off the machine: {outside}"


def test_a_postmortem_page_opens_from_disk(page: Page, site: Path) -> None:
    page.goto((site / "postmortems" / f"{ORDERS_DB}.html").as_uri())
    assert "Orders database" in page.locator("h1").first.inner_text()
    assert page.locator(".pm-header, .pm-card, [class^='pm-']").count() > 0


def test_the_navigation_leads_to_pages_not_folder_listings(page: Page, site: Path) -> None:
    page.goto((site / "index.html").as_uri())
    hrefs: list[str] = page.locator("nav.md-nav a.md-nav__link[href]").evaluate_all(
        "links => links.map(a => a.href)"
    )
    assert len(hrefs) > 10
    for href in hrefs:
        path = href.split("#")[0]
        assert path.endswith(".html"), href
    page.locator("nav.md-nav a.md-nav__link", has_text="Incidents").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/incidents.html")
    assert "Index of" not in page.content()
    assert page.locator("table[data-pm-incidents] tbody tr").count() > 5


def test_search_works_from_disk(page: Page, site: Path) -> None:
    page.goto((site / "index.html").as_uri())
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.keyboard.type("reserved for non-replication superuser")
    result = page.locator(".md-search-result__item > a").first
    result.wait_for()
    assert ORDERS_DB in (result.get_attribute("href") or "")
    result.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith(f"/postmortems/{ORDERS_DB}.html")
    assert "Orders database" in page.locator("h1").first.inner_text()
