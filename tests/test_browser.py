"""The repository's example site in a real Chromium: search, the incident explorer, links.

One build of the example knowledge base and one browser per session, a fresh page per test;
a failing test leaves a screenshot in tests/artifacts/. Without Chromium these tests skip
(with how to install it), except in CI, where they fail.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

import pytest

from browser import chromium_path, screenshot_on_failure, serve
from mkdocs_postmortems.core.config import load_settings
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase, load
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.rules import RULES, RULESET
from mkdocs_postmortems.site.related import RelatedIndex

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.browser

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
EPOCH = "1795564800"  # 2026-11-25T00:00:00Z, the day after the newest example incident
ROWS = "table[data-pm-incidents] tbody tr"
EXPLORER = "form[data-pm-explorer]"
T = TypeVar("T")


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository's own site, built like ``mkdocs build`` and served on a free port."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = tmp_path_factory.mktemp("browser") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site)))
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load(load_settings(ROOT / "mkdocs.yml", RULES), RULESET)


@pytest.fixture
def page(browser: Browser, site_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(base_url=site_url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    screenshot_on_failure(request, page)
    context.close()


def eventually(read: Callable[[], T], ok: Callable[[T], bool], timeout: float = 5.0) -> T:
    """Read until ``ok`` holds or time is up; return the last value for the assertion.

    Search results and the explorer update after key events, asynchronously.
    """
    deadline = time.monotonic() + timeout
    value = read()
    while not ok(value) and time.monotonic() < deadline:
        time.sleep(0.05)
        value = read()
    return value


def search(page: Page, query: str) -> Locator:
    """Type ``query`` into mkdocs-material's search as a person would; return the results."""
    page.goto("./")
    page.locator("input.md-search__input").click()
    page.keyboard.type(query)
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    return results


def result_ids(page: Page) -> list[str]:
    """The pages of the search results, in order: a post-mortem's id, other pages' paths."""
    hrefs: list[str] = page.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    paths = (re.sub(r"^/(postmortems/)?|/$", "", href) or "(home)" for href in hrefs)
    return list(dict.fromkeys(paths))


def open_explorer(page: Page, query: str = "") -> Locator:
    """The incidents page with its explorer; fail plainly if the script did not show it."""
    page.goto(f"incidents/{query}")
    form = page.locator(EXPLORER)
    assert form.count() == 1, "no form[data-pm-explorer] on /incidents/"
    form.wait_for(state="visible", timeout=3_000)
    return form


def visible_ids(page: Page) -> list[str]:
    """The ids of the incident rows a reader sees, in page order."""
    ids: list[str] = page.locator(ROWS).evaluate_all(
        "rows => rows.filter(r => r.checkVisibility()).map(r => r.dataset.id)"
    )
    return ids


def shown_count(page: Page) -> str:
    return page.locator("[data-pm-count]").inner_text().strip()


def minutes(pm: PostMortem) -> int | None:
    span = pm.time_to_resolve
    return int(span.total_seconds() // 60) if span is not None else None


ORDERS_DB = "2025-05-19-orders-db-connection-exhaustion"


def test_search_finds_a_postmortem_by_a_phrase_from_its_body(page: Page) -> None:
    # The database's error message, quoted in that incident's Impact section only.
    search(page, "reserved for non-replication superuser")
    ids = eventually(lambda: result_ids(page), lambda ids: ids[:1] == [ORDERS_DB])
    assert ids[:1] == [ORDERS_DB], ids


def test_search_result_shows_severity_and_start_date(page: Page, kb: KnowledgeBase) -> None:
    pm = kb.get(ORDERS_DB)
    assert pm is not None
    assert pm.started is not None
    results = search(page, "Orders database ran out of connections")
    ids = eventually(lambda: result_ids(page), lambda ids: ids[:1] == [ORDERS_DB])
    assert ids[:1] == [ORDERS_DB], ids
    text = results.first.inner_text()
    # The date on its own, not inside the id "2025-05-19-orders-..." or glued to a label.
    date = rf"(?<![\w-]){pm.started.date()}(?![\w-])"
    assert re.search(rf"\b{pm.severity}\b.*{date}", text, re.DOTALL), text


def test_search_by_service_puts_that_service_incidents_first(page: Page, kb: KnowledgeBase) -> None:
    # Named in these incidents' front matter only, never in their titles or text.
    service = "k8s-platform"
    expected = {pm.id for pm in kb.indexed if service in pm.services}
    assert len(expected) >= 2
    search(page, service)
    ids = eventually(lambda: result_ids(page), lambda ids: set(ids[: len(expected)]) == expected)
    assert set(ids[: len(expected)]) == expected, ids


def test_search_by_first_name_finds_that_person_incidents(page: Page, kb: KnowledgeBase) -> None:
    """Authors, facilitators and action-item owners: "what did Kenji work on?"."""
    name = "Kenji"
    expected = {
        pm.id
        for pm in kb.indexed
        if any(
            person.split()[0] == name
            for person in [*pm.authors, pm.facilitator, *(i.owner for i in pm.action_items)]
            if person
        )
    }
    assert len(expected) >= 3
    search(page, name)
    ids = eventually(lambda: set(result_ids(page)), lambda ids: expected <= ids)
    assert expected <= ids, f"missing: {sorted(expected - ids)}"


def test_explorer_filters_by_severity_and_keeps_it_in_the_url(
    page: Page, kb: KnowledgeBase
) -> None:
    sev1 = {pm.id for pm in kb.indexed if pm.severity == "SEV1"}
    assert 0 < len(sev1) < len(kb.indexed)
    open_explorer(page)
    assert set(visible_ids(page)) == {pm.id for pm in kb.indexed}
    assert shown_count(page) == str(len(kb.indexed))

    page.locator("select[name=severity]").select_option("SEV1")
    shown = eventually(lambda: set(visible_ids(page)), lambda ids: ids == sev1)
    assert shown == sev1
    assert shown_count(page) == str(len(sev1))
    assert "severity=SEV1" in page.url
    assert "sort=" not in page.url  # defaults are left out

    other = page.context.new_page()
    open_explorer(other, query=page.url[page.url.index("?") :])
    assert other.locator("select[name=severity]").input_value() == "SEV1"
    assert visible_ids(other) == visible_ids(page)
    assert shown_count(other) == str(len(sev1))


def test_explorer_filters_titles_case_insensitively(page: Page, kb: KnowledgeBase) -> None:
    expected = {pm.id for pm in kb.indexed if "checkout" in pm.title.lower()}
    assert 0 < len(expected) < len(kb.indexed)
    open_explorer(page)
    page.locator("input[name=q]").press_sequentially("CheckOut")
    shown = eventually(lambda: set(visible_ids(page)), lambda ids: ids == expected)
    assert shown == expected
    assert shown_count(page) == str(len(expected))
    assert re.search(r"[?&]q=CheckOut\b", page.url, re.IGNORECASE), page.url


def test_explorer_sorts_by_duration_longest_first(page: Page, kb: KnowledgeBase) -> None:
    durations = sorted((m for pm in kb.indexed if (m := minutes(pm)) is not None), reverse=True)
    open_explorer(page)
    page.locator("select[name=sort]").select_option("duration")

    def shown() -> list[int]:
        values: list[str] = page.locator(ROWS).evaluate_all(
            "rows => rows.filter(r => r.checkVisibility()).map(r => r.dataset.duration)"
        )
        return [int(v) for v in values if v]

    assert eventually(shown, lambda values: values == durations) == durations
    assert "sort=duration" in page.url


def test_explorer_reset_shows_everything_again(page: Page, kb: KnowledgeBase) -> None:
    form = open_explorer(page, query="?severity=SEV1&status=published")
    assert len(visible_ids(page)) < len(kb.indexed)
    form.locator("button[type=reset]").click()
    every = {pm.id for pm in kb.indexed}
    assert eventually(lambda: set(visible_ids(page)), lambda ids: ids == every) == every
    assert shown_count(page) == str(len(every))
    assert urlsplit(page.url).query == ""
    assert page.locator("select[name=severity]").input_value() == ""


def test_without_javascript_every_incident_is_listed(
    browser: Browser, site_url: str, kb: KnowledgeBase, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context(base_url=site_url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("incidents/")
        assert page.locator(EXPLORER).count() == 1
        assert not page.locator(EXPLORER).is_visible()
        assert sorted(visible_ids(page)) == sorted(pm.id for pm in kb.indexed)
        assert shown_count(page) == str(len(kb.indexed))
    finally:
        screenshot_on_failure(request, page)
        context.close()


def test_related_incident_link_opens_its_page(page: Page, kb: KnowledgeBase) -> None:
    pm = kb.get(ORDERS_DB)
    assert pm is not None
    related = RelatedIndex(kb.indexed).related(pm)
    assert related, f"{ORDERS_DB} has no related incidents to follow"
    page.goto(f"postmortems/{ORDERS_DB}/")
    link = page.locator(".pm-related a").first
    with page.expect_navigation() as navigation:
        link.click()
    response = navigation.value
    assert response is not None
    assert response.status == 200
    assert page.locator("h1.pm-title").inner_text() == related[0].postmortem.title


INNER_TEST = """
import pytest
from browser import chromium, screenshot_on_failure


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser, request):
    page = browser.new_page()
    page.set_content("<h1>Checkout is down</h1>")
    yield page
    screenshot_on_failure(request, page)
    page.close()


def test_fails(page):
    assert page.inner_text("h1") == "Checkout is up"


def test_passes(page):
    assert page.inner_text("h1") == "Checkout is down"
"""


def test_a_failing_browser_test_leaves_a_screenshot(tmp_path: Path) -> None:
    """Run a failing and a passing test with this suite's conftest hook and helpers."""
    chromium_path()
    for name in ("conftest.py", "browser.py"):
        (tmp_path / name).write_text((TESTS / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "test_inner.py").write_text(INNER_TEST, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_inner.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    assert "1 failed, 1 passed" in result.stdout, result.stdout + result.stderr
    shots = sorted(p.name for p in (tmp_path / "artifacts").glob("*"))
    assert shots == ["test_fails.png"]
    assert (tmp_path / "artifacts" / "test_fails.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_pagefind_search_page_finds_a_postmortem(page: Page) -> None:
    """The chunked index (the pagefind option) answers from its own search page."""
    page.goto("find/")
    box = page.locator(".pagefind-ui__search-input")
    box.click()
    box.press_sequentially("remaining connection slots", delay=20)
    first = page.locator(".pagefind-ui__result-link").first
    first.wait_for()
    assert "2025-05-19-orders-db-connection-exhaustion" in (first.get_attribute("href") or "")


def test_explorer_shows_a_page_of_rows_and_more_on_demand(page: Page, kb: KnowledgeBase) -> None:
    """At 10,000 incidents the explorer shows the first matches and a button for more."""

    def small_pages(route: object) -> None:
        response = route.fetch()  # type: ignore[attr-defined]
        body = response.text().replace(
            "data-pm-explorer hidden", 'data-pm-explorer data-page-size="5" hidden'
        )
        route.fulfill(response=response, body=body)  # type: ignore[attr-defined]

    page.route("**/incidents/", small_pages)
    open_explorer(page)
    total = len(kb.indexed)
    assert len(visible_ids(page)) == 5
    assert shown_count(page) == str(total)
    more = page.locator("button.pm-more")
    assert more.inner_text() == f"Show 5 more of {total - 5}"
    more.click()
    assert len(visible_ids(page)) == 10
    page.select_option(f"{EXPLORER} select[name=severity]", "SEV1")
    sev1 = sum(pm.severity == "SEV1" for pm in kb.indexed)
    assert len(visible_ids(page)) == min(5, sev1)
    assert more.is_hidden() == (sev1 <= 5)
