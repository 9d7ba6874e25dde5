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

from browser import chromium_path, save_screenshot, screenshot_on_failure, serve, settle
from mkdocs_postmortems.core.config_file import load_settings
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase, load
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.rules import RULES, RULESET
from mkdocs_postmortems.site.related import RelatedIndex
from sitebuild import write_project

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
    """Type ``query`` into the one search of post-mortems (Pagefind's, on its page) as a
    person would; return the results."""
    page.goto("find/")
    box = page.locator(".pagefind-ui__search-input")
    box.click()
    box.press_sequentially(query, delay=10)
    results = page.locator(".pagefind-ui__result")
    results.first.wait_for()
    return results


def result_ids(page: Page) -> list[str]:
    """The pages of the search results, in order: a post-mortem's id, other pages' paths."""
    hrefs: list[str] = page.locator(".pagefind-ui__result-link").evaluate_all(
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


def test_what_we_changed_lists_done_items_by_kind_and_opens_the_incident(
    page: Page, kb: KnowledgeBase
) -> None:
    done = [
        (item.kind, pm.id)
        for pm in kb.indexed
        for item in pm.action_items
        if item.status == "done" and item.kind == "monitoring"
    ]
    assert done, "no done monitoring item among the examples"
    page.goto("changes/")
    headings = page.locator("article h2").all_inner_texts()
    kinds = [h.split(" (")[0] for h in headings]
    assert kinds[:2] == ["Runbook", "Monitoring"]
    assert kinds[-1] == "Without a kind"
    monitoring = page.locator("article h2", has_text="Monitoring")
    assert monitoring.inner_text().endswith(f"({len(done)})")
    link = page.locator("ul.pm-changes a").first
    title = link.inner_text()
    with page.expect_navigation() as navigation:
        link.click()
    response = navigation.value
    assert response is not None
    assert response.status == 200
    assert page.locator("h1.pm-title").inner_text() == title


def test_an_incident_before_review_links_its_printable_pack(page: Page) -> None:
    page.goto("postmortems/2026-11-18-kafka-broker-disk-full/")
    with page.expect_navigation():
        page.locator(".pm-pack-link a").click()
    # The page's heading is the theme's (its skip link leads there); the pack names the incident.
    assert page.locator("article h1").first.inner_text().startswith("Review meeting")
    assert page.locator(".pm-pack-title").inner_text().strip() != ""
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".pm-pack-back").is_visible()
    assert page.locator(".pm-pack-timeline").is_visible()


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
    # Results of a shorter query may show first, while the last keys are still typed.
    href = eventually(lambda: first.get_attribute("href") or "", lambda href: ORDERS_DB in href)
    assert ORDERS_DB in href


def test_explorer_shows_a_page_of_rows_and_more_on_demand(page: Page, kb: KnowledgeBase) -> None:
    """At 10,000 incidents the explorer shows the first matches and a button for more."""

    def small_pages(route: object) -> None:
        response = route.fetch()  # type: ignore[attr-defined]
        body = re.sub(r'data-page-size="\d+"', 'data-page-size="5"', response.text())
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


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_insights_charts_render_in_both_palettes(
    browser: Browser, site_url: str, width: int, scheme: str, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context(base_url=site_url, viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto("reliability/")
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        charts = page.locator("svg.pm-chart-svg")
        assert charts.count() >= 4
        first = charts.first.bounding_box()
        assert first is not None
        assert first["width"] >= 300
        assert first["height"] >= 100
        look = page.evaluate(
            """() => {
                const bar = document.querySelector('#per-month rect.pm-mark');
                const axis = document.querySelector('#per-month text.pm-axis');
                const body = getComputedStyle(document.body).backgroundColor;
                return {bar: getComputedStyle(bar).fill, axis: getComputedStyle(axis).fill, body};
            }"""
        )
        assert look["bar"] not in ("none", "rgba(0, 0, 0, 0)", "rgb(0, 0, 0)")
        assert look["axis"] != look["body"]
        save_screenshot(page, f"insights-{width}-{scheme}")
    finally:
        screenshot_on_failure(request, page)
        context.close()


def test_a_bar_of_the_insights_page_opens_the_filtered_explorer(page: Page) -> None:
    page.goto("reliability/")
    bar = page.locator("#per-month svg a").first
    href = bar.get_attribute("href") or ""
    query = dict(part.split("=", 1) for part in urlsplit(href).query.split("&"))
    page.goto(f"reliability/{href}")
    page.locator(EXPLORER).wait_for(state="visible", timeout=3_000)
    rows = page.locator(ROWS).evaluate_all(
        "rows => rows.filter(r => r.checkVisibility()).map(r => [r.dataset.severity, r.dataset.month])"
    )
    assert rows, f"no incident shown for {href}"
    assert all(row == [query["severity"], query["period"]] for row in rows)
    assert shown_count(page) == str(len(rows))


def test_explorer_filters_by_a_team_field_and_keeps_it_in_the_url(
    browser: Browser, tmp_path: Path
) -> None:
    """A select per ``extra_fields`` key (here a one-of and a list) filters the rows."""
    from conftest import VALID
    from sitebuild import build_site, write_project

    def incident(day: int, tier: str, teams: str) -> str:
        return (
            VALID.replace("published: 2026-03-06", f"published: 2026-03-{day + 2:02}")
            .replace("2026-03-04", f"2026-03-{day:02}")
            .replace("severity: SEV2\n", f"severity: SEV2\ncustomer_tier: {tier}\nteams: {teams}\n")
        )

    fields = {
        "customer_tier": {"type": "one-of", "values": ["gold", "silver"]},
        "teams": {"type": "list"},
    }
    config = write_project(
        tmp_path,
        {
            "2026-03-04-a.md": incident(4, "gold", "[payments]"),
            "2026-03-05-b.md": incident(5, "silver", "[payments, sre]"),
            "2026-03-06-c.md": incident(6, "silver", "[sre]"),
        },
        config={"plugins": ["search", {"postmortems": {"extra_fields": fields}}]},
    )
    with serve(build_site(config, strict=True)) as url:
        context = browser.new_context(base_url=url)
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            open_explorer(page)
            page.locator("select[name=x-customer_tier]").select_option("silver")
            expected = ["2026-03-06-c", "2026-03-05-b"]
            assert eventually(lambda: visible_ids(page), lambda ids: ids == expected) == expected
            page.locator("select[name=x-teams]").select_option("payments")
            shown = eventually(lambda: visible_ids(page), lambda ids: ids == ["2026-03-05-b"])
            assert shown == ["2026-03-05-b"]
            assert "x-customer_tier=silver" in page.url
            assert "x-teams=payments" in page.url
            other = context.new_page()
            open_explorer(other, query=page.url[page.url.index("?") :])
            assert visible_ids(other) == ["2026-03-05-b"]
        finally:
            context.close()


# --- The site as people read it: tables, narrow screens, search pages, accessibility ------

INDEX_PAGES = [
    "incidents/",
    "incidents/2025/",
    "severity/",
    "services/",
    "action-items/",
    "overdue/",
]
PAGE_TYPES = {
    "home": "./",
    "postmortem": f"postmortems/{ORDERS_DB}/",
    "incidents": "incidents/",
    "year": "incidents/2025/",
    "severity": "severity/",
    "services": "services/",
    "action-items": "action-items/",
    "overdue": "overdue/",
    "insights": "reliability/",
    "changes": "changes/",
    "review-pack": "postmortems/2026-11-18-kafka-broker-disk-full/review/",
    "find": "find/?query=connection",
    # Where the facts lead: a service's page, an owner's items, the follow-up view filtered.
    "service": "services/checkout-api/",
    "owner": "action-items/owner/kenji-watanabe/",
    "follow-up": "action-items/?owner=Kenji+Watanabe",
}

# Every date, time, id and ticket in a table cell, each with the number of lines it takes.
BROKEN_TOKENS = r"""
() => {
  const pattern = /\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?: UTC)?)?|\b\d{1,2}:\d{2}\b|\b[A-Z][A-Z0-9]+-\d+\b/g;
  const found = [];
  for (const cell of document.querySelectorAll("table td, table th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(pattern)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        found.push([match[0], tops.size]);
      }
    }
  }
  return found;
}
"""


#: The first screen of a phone, 390 by 844 CSS pixels (an iPhone 12 to 15).
PHONE = {"width": 390, "height": 844}


def viewport_page(
    browser: Browser, site_url: str, width: int, scheme: str = "light", height: int = 900
) -> Page:
    """A page at ``width``, in the light or dark palette (the site's palette follows the
    reader's system setting)."""
    context = browser.new_context(
        base_url=site_url,
        viewport={"width": width, "height": height},
        color_scheme="dark" if scheme == "dark" else "light",
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def every_page(kb: KnowledgeBase) -> list[str]:
    return ["./", *INDEX_PAGES, "reliability/", *(f"postmortems/{pm.id}/" for pm in kb.indexed)]


def test_no_date_time_or_ticket_breaks_in_any_table_at_1280(
    browser: Browser, site_url: str, kb: KnowledgeBase, request: pytest.FixtureRequest
) -> None:
    page = viewport_page(browser, site_url, 1280)
    broken: dict[str, list[str]] = {}
    checked = 0
    try:
        for url in every_page(kb):
            page.goto(url)
            tokens = page.evaluate(BROKEN_TOKENS)
            checked += len(tokens)
            if bad := sorted({token for token, lines in tokens if lines != 1}):
                broken[url] = bad
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    assert checked > 300, checked  # the pattern does find the values it guards
    assert broken == {}


def test_action_items_owner_due_and_status_are_on_a_phone_screen(
    browser: Browser, site_url: str, kb: KnowledgeBase, request: pytest.FixtureRequest
) -> None:
    width = 390
    page = viewport_page(browser, site_url, width)
    with_items = [f"postmortems/{pm.id}/" for pm in kb.indexed if pm.action_items]
    outside: dict[str, list[str]] = {}
    seen = 0
    try:
        for url in ["action-items/", "overdue/", *with_items]:
            page.goto(url)
            cells = page.locator(".pm-action-items, .pm-overdue-items").locator(
                "td[data-label=Owner], td[data-label=Due], td[data-label=Status]"
            )
            boxes = cells.evaluate_all(
                "cells => cells.map(c => [c.dataset.label, c.innerText, c.getBoundingClientRect().left, c.getBoundingClientRect().right])"
            )
            seen += len(boxes)
            bad = [
                f"{label} {text!r}"
                for label, text, left, right in boxes
                if left < 0 or right > width
            ]
            if bad:
                outside[url] = bad
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                outside.setdefault(url, []).append(f"page scrolls sideways: {scroll} px")
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    items = sum(len(pm.action_items) for pm in kb.indexed)
    assert seen >= 3 * items  # every item's three cells, on its own page at least
    assert outside == {}


TIMELINE_COLUMNS = """() => [...document.querySelectorAll('.pm-timeline table')].map(t => [
  [...t.querySelectorAll('tbody tr:first-child td')].map(c => c.getBoundingClientRect().width),
  t.getBoundingClientRect().right - t.closest('.pm-timeline').getBoundingClientRect().right])"""


@pytest.mark.parametrize("width", [1280, 390])
def test_a_timeline_gives_its_event_the_room_and_fits_the_screen(
    browser: Browser, site_url: str, kb: KnowledgeBase, width: int, request: pytest.FixtureRequest
) -> None:
    """The event (the column after the time) is the widest column, also when a third one
    (the actor) follows it, and a timeline of three columns fits a phone without scrolling."""
    page = viewport_page(browser, site_url, width)
    wrong: dict[str, str] = {}
    three = 0
    try:
        for pm in kb.indexed:
            page.goto(f"postmortems/{pm.id}/")
            for cells, beyond in page.evaluate(TIMELINE_COLUMNS):
                three += len(cells) > 2
                if cells[1] < max(cells):
                    wrong[pm.id] = f"event {cells[1]:.0f} px of {[round(c) for c in cells]}"
                elif beyond > 0.5:
                    wrong[pm.id] = f"the timeline runs {beyond:.0f} px past its box"
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    assert three >= 2  # the example has timelines with an actor column
    assert wrong == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_every_page_type_fits_its_screen_and_is_saved(
    browser: Browser,
    site_url: str,
    kind: str,
    width: int,
    scheme: str,
    request: pytest.FixtureRequest,
) -> None:
    """A screenshot of every page type at both widths in both palettes, kept in
    tests/artifacts/ for review."""
    page = viewport_page(browser, site_url, width, scheme)
    try:
        page.goto(PAGE_TYPES[kind])
        if kind == "find":
            page.locator(".pagefind-ui__result").first.wait_for()
        page.wait_for_load_state("networkidle")
        scheme_shown = page.evaluate("document.body.dataset.mdColorScheme")
        assert scheme_shown == ("slate" if scheme == "dark" else "default")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        save_screenshot(page, f"{kind}-{width}-{scheme}")
    finally:
        screenshot_on_failure(request, page)
        page.context.close()


def test_pagefind_search_and_filters_live_in_the_url(page: Page) -> None:
    page.goto("find/")
    box = page.locator(".pagefind-ui__search-input")
    box.click()
    box.press_sequentially("connection", delay=20)
    page.locator(".pagefind-ui__result").first.wait_for()
    page.locator(".pagefind-ui__filter-name", has_text="Severity").click()
    page.locator("label.pagefind-ui__filter-label", has_text="SEV1").click()
    url = eventually(lambda: page.url, lambda url: "severity=SEV1" in url)
    assert "query=connection" in url
    assert "severity=SEV1" in url

    def titles(on: Page) -> list[str]:
        return on.locator(".pagefind-ui__result-title").all_inner_texts()

    other = page.context.new_page()
    other.goto(url)
    assert other.locator(".pagefind-ui__search-input").input_value() == "connection"
    both = eventually(
        lambda: (titles(page), titles(other)), lambda pair: bool(pair[0]) and pair[0] == pair[1]
    )
    assert both[0] == both[1]
    assert other.locator("input.pagefind-ui__filter-checkbox[value=SEV1]").is_checked()


def test_pagefind_excerpts_have_no_permalink_marks(page: Page) -> None:
    page.goto("find/?query=connection")
    page.locator(".pagefind-ui__result-excerpt").first.wait_for()
    text = " ".join(page.locator(".pagefind-ui__result").all_inner_texts())
    assert "connection" in text.lower()
    assert "¶" not in text


def test_a_body_text_query_shows_severity_date_and_status(page: Page, kb: KnowledgeBase) -> None:
    pm = kb.get(ORDERS_DB)
    assert pm is not None
    assert pm.started is not None
    # Words of the Impact section only: the page's own heading is not what matched.
    results = search(page, "reserved for non-replication superuser")
    ids = eventually(lambda: result_ids(page), lambda ids: ids[:1] == [ORDERS_DB])
    assert ids[:1] == [ORDERS_DB], ids
    title = results.first.locator(".pagefind-ui__result-title").first.inner_text()
    date = rf"(?<![\w-]){pm.started.date()}(?![\w-])"
    assert re.search(rf"\b{pm.severity}\b.*{date}.*\b{pm.status}\b", title), title


def test_a_hyphenated_service_ranks_its_incidents_first(page: Page, kb: KnowledgeBase) -> None:
    service = "payments-gateway"
    expected = {pm.id for pm in kb.indexed if service in pm.services}
    assert len(expected) >= 2
    search(page, service)
    ids = eventually(lambda: result_ids(page), lambda ids: set(ids[: len(expected)]) == expected)
    assert set(ids[: len(expected)]) == expected, ids


def test_explorer_reads_url_values_in_any_case(page: Page, kb: KnowledgeBase) -> None:
    sev1 = {pm.id for pm in kb.indexed if pm.severity == "SEV1"}
    open_explorer(page, query="?severity=sev1&status=PUBLISHED")
    assert page.locator("select[name=severity]").input_value() == "SEV1"
    assert page.locator("select[name=status]").input_value() == "published"
    expected = {pm.id for pm in kb.indexed if pm.id in sev1 and pm.status == "published"}
    assert set(visible_ids(page)) == expected


def test_explorer_works_from_the_keyboard(page: Page, kb: KnowledgeBase) -> None:
    open_explorer(page)
    page.locator("input[name=q]").focus()
    page.keyboard.type("checkout")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.name")
    assert focused == "severity"
    page.keyboard.press("ArrowDown")  # "All" -> the first level
    expected = {
        pm.id for pm in kb.indexed if "checkout" in pm.title.lower() and pm.severity == "SEV1"
    }
    shown = eventually(lambda: set(visible_ids(page)), lambda ids: ids == expected)
    assert shown == expected
    for _ in range(7):  # status, service, tag, year, period, sort, then the button
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "reset"
    page.keyboard.press("Enter")
    every = {pm.id for pm in kb.indexed}
    assert eventually(lambda: set(visible_ids(page)), lambda ids: ids == every) == every


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_any_page(
    browser: Browser, site_url: str, scheme: str, width: int, request: pytest.FixtureRequest
) -> None:
    """Every page type whole, with the theme's header, search dialog and footer, in both
    palettes and at both widths."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = viewport_page(browser, site_url, width, scheme)
    found: dict[str, list[str]] = {}
    try:
        # Every index page is a page type: each is checked once.
        for url in dict.fromkeys([*PAGE_TYPES.values(), *INDEX_PAGES]):
            page.goto(url)
            if url.startswith("find/"):
                page.locator(".pagefind-ui__message").first.wait_for()
            page.wait_for_load_state("networkidle")
            results = axe.run(page)
            serious = [
                f"{v['id']}: {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']}"
                for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            if serious:
                found[url] = serious
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    assert found == {}


# The top of the Summary's first line, and its height, in page coordinates.
SUMMARY_LINE = """() => {
  const heading = document.getElementById('summary');
  const first = heading && heading.nextElementSibling;
  if (!first) return null;
  const range = document.createRange();
  range.selectNodeContents(first);
  const line = range.getClientRects()[0];
  return [line.top + window.scrollY, line.height];
}"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "390"])
def test_the_summary_first_line_is_on_the_first_screen(
    browser: Browser,
    site_url: str,
    kb: KnowledgeBase,
    viewport: dict[str, int],
    request: pytest.FixtureRequest,
) -> None:
    """Every post-mortem page: the one-line header, the banners, then the story, all on the
    screen a reader lands on."""
    page = viewport_page(browser, site_url, viewport["width"], height=viewport["height"])
    try:
        below, checked = summaries_below(page, [pm.id for pm in kb.indexed], viewport)
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    assert checked == len(kb.indexed)
    assert below == {}


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "390"])
def test_the_summary_first_line_is_on_the_first_screen_at_2000_incidents(
    browser: Browser, viewport: dict[str, int], request: pytest.FixtureRequest
) -> None:
    """At 2,000 incidents a page gathers more to say above its story (overdue items, earlier
    incidents it repeats, a title that wraps): every 100th incident, and those with the most
    action items and the longest titles, where the most sits above the story."""
    url = request.getfixturevalue("generated_url")
    context = browser.new_context(
        base_url=url, viewport={"width": viewport["width"], "height": viewport["height"]}
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        page.goto("./")
        incidents = catalogue(page)
        busiest = sorted(incidents, key=lambda i: -len(i["action_items"]))  # type: ignore[arg-type]
        longest = sorted(incidents, key=lambda i: -len(str(i["title"])))
        chosen = [*incidents[::100], *busiest[:10], *longest[:5]]
        ids = list(dict.fromkeys(str(i["id"]) for i in chosen))
        below, checked = summaries_below(page, ids, viewport)
    finally:
        screenshot_on_failure(request, page)
        context.close()
    assert checked == len(ids) > 25
    assert below == {}


def summaries_below(
    page: Page, ids: list[str], viewport: dict[str, int]
) -> tuple[dict[str, float], int]:
    """The pages among ``ids`` whose Summary's first line ends below the first screen (with
    where it ends), and how many pages had a Summary to measure."""
    below: dict[str, float] = {}
    checked = 0
    for ident in ids:
        page.goto(f"postmortems/{ident}/")
        found = page.evaluate(SUMMARY_LINE)
        if found is None:
            continue
        checked += 1
        top, height = found
        if top + height > viewport["height"]:
            below[ident] = top + height
        assert page.locator(".pm-oneline").is_visible(), ident
    return below, checked


@pytest.mark.parametrize("width", [1280, 390])
def test_the_visual_timeline_shows_the_four_moments(
    browser: Browser, site_url: str, width: int, request: pytest.FixtureRequest
) -> None:
    page = viewport_page(browser, site_url, width)
    try:
        page.goto(f"postmortems/{ORDERS_DB}/")
        figure = page.locator("figure.pm-tl")
        names = figure.locator("[data-moment]").evaluate_all(
            "items => items.filter(i => i.checkVisibility()).map(i => i.dataset.moment)"
        )
        assert names == ["started", "detected", "mitigated", "resolved"]
        drawn = figure.locator("line.pm-tl-moment").evaluate_all(
            "lines => lines.map(l => [l.getBoundingClientRect().left, l.getBoundingClientRect().height])"
        )
        lefts = [left for left, _ in drawn]
        assert len(drawn) == 4
        assert lefts == sorted(lefts)
        assert all(0 <= left <= width and height > 20 for left, height in drawn)
        spans = figure.locator("rect.pm-tl-span").evaluate_all(
            "rects => rects.map(r => r.getBoundingClientRect().width)"
        )
        assert len(spans) == 2
        assert 0 < spans[0] < spans[1] <= width  # time to detect, within time to resolve
        box = figure.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= width
        save_screenshot(page, f"visual-timeline-{width}")
    finally:
        screenshot_on_failure(request, page)
        page.context.close()


# Whether the keyboard's focus shows: the focused element, or the label the theme draws its
# focus ring on (the palette switch is a hidden radio button followed by its label), is on
# screen with a size, not hidden, and not slid off the side (a closed drawer's links).
FOCUSED = """() => {
  const element = document.activeElement;
  const next = element.nextElementSibling;
  const shown = [element, ...(next && next.tagName === 'LABEL' ? [next] : [])].filter(e => {
    const box = e.getBoundingClientRect();
    return e.checkVisibility({visibilityProperty: true}) && box.width > 0 && box.height > 0
      && box.right > 0 && box.left < window.innerWidth;
  });
  return [element.tagName + '.' + element.className, shown.length > 0,
          element.getAttribute('href') || ''];
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_tab_starts_at_the_skip_link_and_lands_only_on_what_shows(
    browser: Browser, site_url: str, width: int, request: pytest.FixtureRequest
) -> None:
    page = viewport_page(browser, site_url, width)
    hidden: dict[str, list[str]] = {}
    try:
        for url in PAGE_TYPES.values():
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.keyboard.press("Tab")
            name, _, href = page.evaluate(FOCUSED)
            assert "md-skip" in name, url
            target = page.evaluate(f"document.getElementById('{href[1:]}').tagName")
            assert target in ("H1", "H2"), url
            for _ in range(25):
                settle(page)  # the theme's transitions (the search opening)
                name, shown, _ = page.evaluate(FOCUSED)
                if not shown:
                    hidden.setdefault(url, []).append(name)
                page.keyboard.press("Tab")
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    assert hidden == {}


def test_a_postmortem_prints_without_the_navigation(page: Page) -> None:
    page.goto(f"postmortems/{ORDERS_DB}/")
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".pm-related"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in (".pm-card", ".pm-timeline table", ".pm-action-items table", "h1.pm-title"):
        assert page.locator(shown).first.is_visible(), shown
    pdf = page.pdf(format="A4")
    assert pdf[:5] == b"%PDF-"


ROW_HTML = "rows => rows.map(r => [r.dataset.id, r.outerHTML.replace(/>\\s*</g, '><')])"


def test_explorer_loads_the_incidents_the_page_leaves_out(page: Page, kb: KnowledgeBase) -> None:
    """At 10,000 incidents the page lists the newest 500 and explorer.json holds them all:
    here the page is cut to 5 rows, as it would be, and the data file brings the others."""
    page.goto("incidents/")
    page.locator(EXPLORER).wait_for(state="visible")
    server_rows = dict(page.locator(ROWS).evaluate_all(ROW_HTML))
    assert len(server_rows) == len(kb.indexed)

    def cut(route: object) -> None:
        response = route.fetch()  # type: ignore[attr-defined]
        rows = re.findall(r"<tr data-id=.*?</tr>\n", response.text(), re.DOTALL)
        body = response.text().replace("".join(rows), "".join(rows[:5]))
        body = body.replace(
            " data-pm-incidents ", ' data-pm-incidents data-source="../postmortems/explorer.json" '
        )
        route.fulfill(response=response, body=body)  # type: ignore[attr-defined]

    page.route("**/incidents/?*", cut)
    page.route("**/incidents/", cut)
    every = {pm.id for pm in kb.indexed}
    sev1 = {pm.id for pm in kb.indexed if pm.severity == "SEV1"}
    open_explorer(page, query="?severity=SEV1")
    assert eventually(lambda: set(visible_ids(page)), lambda ids: ids == sev1) == sev1
    page.locator("select[name=severity]").select_option("")
    assert eventually(lambda: set(visible_ids(page)), lambda ids: ids == every) == every
    built = dict(page.locator(ROWS).evaluate_all(ROW_HTML))
    assert built == server_rows  # rows built from explorer.json are the page's own rows


# Facts as links, the follow-up view and the pages they lead to, on the example and on a
# generated knowledge base of 2,000 post-mortems (one build for the session).
GENERATED = 2_000


@pytest.fixture(scope="session")
def generated_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site of :data:`GENERATED` synthetic post-mortems (tests/benchmarks/synthetic.py)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    sys.path.insert(0, str(TESTS / "benchmarks"))
    from synthetic import write_knowledge_base

    root = tmp_path_factory.mktemp("generated")
    write_knowledge_base(root, GENERATED)
    write_project(root, {}, docs={"index.md": "# Knowledge base\n\n<!-- postmortems:overdue -->\n"})
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site")))
    with serve(root / "site") as url:
        yield url


def site_page(
    browser: Browser, request: pytest.FixtureRequest, which: str, width: int = 1280
) -> Page:
    url = request.getfixturevalue("site_url" if which == "example" else "generated_url")
    context = browser.new_context(base_url=url, viewport={"width": width, "height": 900})
    context.set_default_timeout(20_000)
    return context.new_page()


def catalogue(page: Page) -> list[dict[str, object]]:
    incidents: list[dict[str, object]] = page.evaluate(
        "fetch('/postmortems/catalog.json').then(r => r.json()).then(c => c.incidents)"
    )
    return incidents


def newest_with_open_item(page: Page) -> str:
    """The newest incident with an open action item: one a reader meets on the home page."""
    for incident in catalogue(page):
        items = incident["action_items"]
        assert isinstance(items, list)
        if any(item["status"] in ("open", "in-progress") for item in items):
            return str(incident["id"])
    raise AssertionError("no incident with an open action item")


CHIPS = {
    "severity": ".pm-oneline a.pm-badge-link:has(.pm-sev)",
    "service": ".pm-facts a.pm-chip[href*='services/']",
    "tag": ".pm-facts a.pm-chip[href*='tag=']",
    "owner": ".pm-action-items a.pm-owner",
}


@pytest.mark.parametrize("which", ["example", "generated"])
@pytest.mark.parametrize("chip", list(CHIPS))
def test_a_chip_of_an_incident_leads_to_a_list_holding_it(
    browser: Browser, request: pytest.FixtureRequest, which: str, chip: str
) -> None:
    page = site_page(browser, request, which)
    try:
        page.goto("./")
        ident = newest_with_open_item(page)
        page.goto(f"postmortems/{ident}/")
        link = page.locator(CHIPS[chip]).first
        target = link.get_attribute("href") or ""
        link.click()
        page.wait_for_load_state("networkidle")
        assert page.url.split("#")[0].endswith(target.split("#")[0].lstrip("./")), page.url
        held = page.locator(f"main a[href$='/{ident}/']:visible")
        count = eventually(held.count, lambda n: n > 0)
        assert count > 0, f"{chip} chip led to {page.url}, which does not list {ident}"
        if chip == "severity":
            section = target.split("#")[1]
            heading = page.locator(f"h2#{section}")
            below = page.evaluate(
                """([heading, ident]) => {
                  const start = document.getElementById(heading);
                  for (let at = start.nextElementSibling; at && at.tagName !== "H2"; at = at.nextElementSibling)
                    if (at.querySelector(`a[href$="/${ident}/"]`)) return true;
                  return false;
                }""",
                [section, ident],
            )
            assert heading.count() == 1
            assert below, f"{ident} is not in the {section} section"
    finally:
        screenshot_on_failure(request, page)
        page.context.close()


@pytest.mark.parametrize("which", ["example", "generated"])
def test_the_follow_up_view_filtered_by_an_owner_shows_exactly_their_open_items(
    browser: Browser, request: pytest.FixtureRequest, which: str
) -> None:
    page = site_page(browser, request, which)
    try:
        page.goto("action-items/")
        form = page.locator("form[data-pm-follow-up]")
        form.wait_for(state="visible")
        owner = page.locator("select[name=owner] option").nth(1).inner_text()
        expected = sorted(
            str(incident["id"])
            for incident in catalogue(page)
            for item in incident["action_items"]  # type: ignore[attr-defined]
            if item["owner"] == owner and item["status"] in ("open", "in-progress")
        )
        assert expected
        # The rows the page lists for this owner, as the code filter drew them: the rows the
        # filter builds from follow-up.json must read the same (code spans included).
        static = page.locator(f"table[data-pm-items] tbody tr[data-owner='{owner}']").evaluate_all(
            "rows => rows.map(r => r.querySelector('td[data-label=Action]').innerText)"
        )
        page.select_option("select[name=owner]", owner)
        counter = page.locator("[data-pm-items-count]")
        shown = eventually(counter.inner_text, lambda text: text == str(len(expected)))
        assert shown == str(len(expected))
        more = page.locator("button.pm-more")
        while more.is_visible():
            more.click()
        rows = page.locator("table[data-pm-items] tbody tr")
        owners = rows.evaluate_all(
            "rows => rows.map(r => r.querySelector('.pm-col-owner').innerText)"
        )
        assert set(owners) == {owner}
        built = rows.evaluate_all(
            "rows => rows.map(r => r.querySelector('td[data-label=Action]').innerText)"
        )
        assert set(static) <= set(built)
        links = rows.evaluate_all(
            "rows => rows.map(r => r.querySelector('td[data-label=Incident] a:not([class])')"
            ".getAttribute('href'))"
        )
        assert sorted(href.rstrip("/").split("/")[-1] for href in links) == expected
        assert f"owner={owner.replace(' ', '+')}" in page.url
    finally:
        screenshot_on_failure(request, page)
        page.context.close()


def test_with_pagefind_the_theme_index_leaves_the_postmortems_out(page: Page) -> None:
    """One search: Pagefind's for the post-mortems; the theme's index, which every page
    downloads whole, keeps the hand-written pages only."""
    page.goto("./")
    locations: list[str] = page.evaluate(
        "fetch('/search/search_index.json').then(r => r.json())"
        ".then(index => index.docs.map(doc => doc.location))"
    )
    assert any(location.startswith("search/") for location in locations)
    assert not [location for location in locations if location.startswith("postmortems/")]
