"""Where the example site's links lead, in a real Chromium: related incidents, what we
changed, the review pack, and the facts of an incident (severity, service, tag, owner) to the
lists that hold it, on the example and on the generated site of extremes
(tests/browser_sites.py), where the lists run to more than a page.

The sites are built once for the run (conftest.py); a failing test leaves a screenshot in
tests/artifacts/. Without Chromium these tests skip (with how to install it), except in
CI, where they fail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import quote_plus

import pytest

from browser import eventually, new_page, screenshot_on_failure
from browser_sites import ORDERS_DB, catalogue
from mkdocs_postmortems.site.related import RelatedIndex

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from mkdocs_postmortems.core.knowledge_base import KnowledgeBase

pytestmark = pytest.mark.browser


def site_page(browser: Browser, request: pytest.FixtureRequest, which: str) -> Page:
    """A page of the ``example`` site or of the generated site of ``extremes``."""
    return new_page(browser, request.getfixturevalue(f"{which}_url"), timeout=20_000)


def test_related_incident_link_opens_its_page(page: Page, example_kb: KnowledgeBase) -> None:
    pm = example_kb.get(ORDERS_DB)
    assert pm is not None
    related = RelatedIndex(example_kb.indexed).related(pm)
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
    page: Page, example_kb: KnowledgeBase
) -> None:
    done = [
        (item.kind, pm.id)
        for pm in example_kb.indexed
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


def newest_with_open_item(page: Page) -> str:
    """The newest incident with an open action item: one a reader meets on the home page."""
    for incident in catalogue(page):
        items = incident["action_items"]
        assert isinstance(items, list)
        if any(item["status"] in ("open", "in-progress") for item in items):
            return str(incident["id"])
    raise AssertionError("no incident with an open action item")


@pytest.fixture(scope="module")
def newest_open(browser: Browser, request: pytest.FixtureRequest) -> Callable[[str], str]:
    """The newest incident with an open action item of each site (``example``,
    ``extremes``), read from its home page once for every chip test of that site."""
    found: dict[str, str] = {}

    def of(which: str) -> str:
        if which not in found:
            page = site_page(browser, request, which)
            try:
                page.goto("./")
                found[which] = newest_with_open_item(page)
            finally:
                page.context.close()
        return found[which]

    return of


CHIPS = {
    "severity": ".pm-oneline a.pm-badge-link:has(.pm-sev)",
    "service": ".pm-facts a.pm-chip[href*='services/']",
    "tag": ".pm-facts a.pm-chip[href*='tag=']",
    "owner": ".pm-action-items a.pm-owner",
}


@pytest.mark.parametrize("which", ["example", "extremes"])
@pytest.mark.parametrize("chip", list(CHIPS))
def test_a_chip_of_an_incident_leads_to_a_list_holding_it(
    browser: Browser,
    request: pytest.FixtureRequest,
    newest_open: Callable[[str], str],
    which: str,
    chip: str,
) -> None:
    ident = newest_open(which)
    page = site_page(browser, request, which)
    try:
        page.goto(f"postmortems/{ident}/")
        link = page.locator(CHIPS[chip]).first
        target = link.get_attribute("href") or ""
        link.click()
        page.wait_for_load_state("load")
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


@pytest.mark.parametrize("which", ["example", "extremes"])
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
        assert f"owner={quote_plus(owner)}" in page.url
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
