"""The repository's example site as people read it in a real Chromium: tables on narrow
screens, every page type at two widths in both palettes, accessibility, the keyboard.

Beside test_browser.py (search, the explorer, links) so that a parallel run gives each its
own core; both read the one build and the one browser a test process starts (conftest.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from browser import save_screenshot, screenshot_on_failure, settle
from conftest import EXAMPLE, ORDERS_DB
from mkdocs_postmortems.core.config_file import load_settings
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase, load
from mkdocs_postmortems.rules import RULES, RULESET

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(load_settings(EXAMPLE / "mkdocs.yml", RULES), RULESET)


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
    below: dict[str, float] = {}
    checked = 0
    try:
        for pm in kb.indexed:
            page.goto(f"postmortems/{pm.id}/")
            found = page.evaluate(SUMMARY_LINE)
            if found is None:
                continue
            checked += 1
            top, height = found
            if top + height > viewport["height"]:
                below[pm.id] = top + height
            assert page.locator(".pm-oneline").is_visible()
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    assert checked == len(kb.indexed)
    assert below == {}


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
