"""Search in the example site, in a real Chromium: Pagefind's search page finds post-mortems
by their words, services and people, and keeps the query and filters in the address.

The site is built once for the run (``example_site`` in conftest.py); a failing test leaves
a screenshot in tests/artifacts/. Without Chromium these tests skip (with how to install
it), except in CI, where they fail.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from browser import eventually
from browser_sites import ORDERS_DB

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

    from mkdocs_postmortems.core.knowledge_base import KnowledgeBase

pytestmark = pytest.mark.browser


def search(page: Page, query: str) -> Locator:
    """Enter ``query`` in the one search of post-mortems (Pagefind's, on its page); return
    the results. The whole query arrives in one input event, as a paste does: what these
    tests read is what a query finds (a search typed key by key, with the results of its
    shorter queries on the way, is :func:`test_pagefind_search_page_finds_a_postmortem`)."""
    page.goto("find/")
    box = page.locator(".pagefind-ui__search-input")
    box.click()
    box.fill(query)
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


def test_search_finds_a_postmortem_by_a_phrase_from_its_body(page: Page) -> None:
    # The database's error message, quoted in that incident's Impact section only.
    search(page, "reserved for non-replication superuser")
    ids = eventually(lambda: result_ids(page), lambda ids: ids[:1] == [ORDERS_DB])
    assert ids[:1] == [ORDERS_DB], ids


def test_search_result_shows_severity_and_start_date(page: Page, example_kb: KnowledgeBase) -> None:
    pm = example_kb.get(ORDERS_DB)
    assert pm is not None
    assert pm.started is not None
    results = search(page, "Orders database ran out of connections")
    ids = eventually(lambda: result_ids(page), lambda ids: ids[:1] == [ORDERS_DB])
    assert ids[:1] == [ORDERS_DB], ids
    text = results.first.inner_text()
    # The date on its own, not inside the id "2025-05-19-orders-..." or glued to a label.
    date = rf"(?<![\w-]){pm.started.date()}(?![\w-])"
    assert re.search(rf"\b{pm.severity}\b.*{date}", text, re.DOTALL), text


def test_search_by_service_puts_that_service_incidents_first(
    page: Page, example_kb: KnowledgeBase
) -> None:
    # Named in these incidents' front matter only, never in their titles or text.
    service = "k8s-platform"
    expected = {pm.id for pm in example_kb.indexed if service in pm.services}
    assert len(expected) >= 2
    search(page, service)
    ids = eventually(lambda: result_ids(page), lambda ids: set(ids[: len(expected)]) == expected)
    assert set(ids[: len(expected)]) == expected, ids


def test_search_by_first_name_finds_that_person_incidents(
    page: Page, example_kb: KnowledgeBase
) -> None:
    """Authors, facilitators and action-item owners: "what did Kenji work on?"."""
    name = "Kenji"
    expected = {
        pm.id
        for pm in example_kb.indexed
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


def test_pagefind_search_and_filters_live_in_the_url(page: Page) -> None:
    page.goto("find/")
    box = page.locator(".pagefind-ui__search-input")
    box.click()
    box.fill("connection")
    page.locator(".pagefind-ui__result").first.wait_for()
    # The filters arrive after the first results: a group opened before them is drawn
    # again closed. The query now arrives at once, so wait for them first.
    sev1 = page.locator("label.pagefind-ui__filter-label", has_text="SEV1")
    sev1.wait_for(state="attached")
    page.locator(".pagefind-ui__filter-name", has_text="Severity").click()
    sev1.click()
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


def test_a_body_text_query_shows_severity_date_and_status(
    page: Page, example_kb: KnowledgeBase
) -> None:
    pm = example_kb.get(ORDERS_DB)
    assert pm is not None
    assert pm.started is not None
    # Words of the Impact section only: the page's own heading is not what matched.
    results = search(page, "reserved for non-replication superuser")
    ids = eventually(lambda: result_ids(page), lambda ids: ids[:1] == [ORDERS_DB])
    assert ids[:1] == [ORDERS_DB], ids
    title = results.first.locator(".pagefind-ui__result-title").first.inner_text()
    date = rf"(?<![\w-]){pm.started.date()}(?![\w-])"
    assert re.search(rf"\b{pm.severity}\b.*{date}.*\b{pm.status}\b", title), title


def test_a_hyphenated_service_ranks_its_incidents_first(
    page: Page, example_kb: KnowledgeBase
) -> None:
    service = "payments-gateway"
    expected = {pm.id for pm in example_kb.indexed if service in pm.services}
    assert len(expected) >= 2
    search(page, service)
    ids = eventually(lambda: result_ids(page), lambda ids: set(ids[: len(expected)]) == expected)
    assert set(ids[: len(expected)]) == expected, ids


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
