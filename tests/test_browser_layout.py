"""The example site's pages as people read them, in a real Chromium: tables that keep dates
and tickets on one line, action items and timelines that fit a phone, the story on the
first screen, the visual timeline, print.

The site is built once for the run (``example_site`` in conftest.py), and each page is
visited once per screen width for every test that reads it (``measured``); a failing test
leaves a screenshot in tests/artifacts/. Without Chromium these tests skip (with how to
install it), except in CI, where they fail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from browser import PHONE, new_page, save_screenshot, screenshot_on_failure
from browser_sites import ORDERS_DB, SUMMARY_LINE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from mkdocs_postmortems.core.knowledge_base import KnowledgeBase

pytestmark = pytest.mark.browser


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


TIMELINE_COLUMNS = """() => [...document.querySelectorAll('.pm-timeline table')].map(t => [
  [...t.querySelectorAll('tbody tr:first-child td')].map(c => c.getBoundingClientRect().width),
  t.getBoundingClientRect().right - t.closest('.pm-timeline').getBoundingClientRect().right])"""
# An action item's owner, due date and status cells: label, text, left and right edges.
ITEM_CELLS = """() => [...new Set([...document.querySelectorAll('.pm-action-items, .pm-overdue-items')]
  .flatMap(t => [...t.querySelectorAll('td[data-label=Owner], td[data-label=Due], td[data-label=Status]')]))]
  .map(c => [c.dataset.label, c.innerText, c.getBoundingClientRect().left, c.getBoundingClientRect().right])"""
# What the tests below read of a page, in one visit.
MEASURE = f"""() => ({{
  tokens: ({BROKEN_TOKENS.strip()})(),
  items: ({ITEM_CELLS})(),
  timelines: ({TIMELINE_COLUMNS})(),
  summary: ({SUMMARY_LINE})(),
  oneline: !!document.querySelector('.pm-oneline')?.checkVisibility(),
  scroll: document.documentElement.scrollWidth,
}})"""
DESKTOP = {"width": 1280, "height": 900}
#: The viewports every page is measured at.
VIEWPORTS = (DESKTOP, PHONE)
Measured = dict[str, dict[str, Any]]


def every_page(example_kb: KnowledgeBase) -> list[str]:
    return [
        "./",
        "incidents/",
        "incidents/2025/",
        "severity/",
        "services/",
        "action-items/",
        "overdue/",
        "reliability/",
        *(f"postmortems/{pm.id}/" for pm in example_kb.indexed),
    ]


@pytest.fixture(scope="module")
def measured(
    browser: Browser, example_url: str, example_kb: KnowledgeBase
) -> Callable[[dict[str, int]], Measured]:
    """What :data:`MEASURE` reads of every page, by URL, at a viewport: each page is loaded
    once for every test of this module and both viewports (:data:`VIEWPORTS`), measured at
    the one it was loaded at, then resized to the other and measured again. What is
    measured is laid out by the stylesheet's media queries, which a resize applies as a load
    at that size does; a load was most of a page's time. The pages alternate which viewport
    they are loaded at, so each is also read as first drawn at both."""
    done: dict[tuple[int, int], Measured] = {}

    def at(viewport: dict[str, int]) -> Measured:
        key = (viewport["width"], viewport["height"])
        if not done:
            done.update(measure_every_page(browser, example_url, every_page(example_kb)))
        return done[key]

    return at


def measure_every_page(
    browser: Browser, example_url: str, urls: list[str]
) -> dict[tuple[int, int], Measured]:
    """:data:`MEASURE` of each of ``urls`` at both :data:`VIEWPORTS`, one load each."""
    found: dict[tuple[int, int], Measured] = {
        (size["width"], size["height"]): {} for size in VIEWPORTS
    }
    first = VIEWPORTS[0]
    page = new_page(browser, example_url, first["width"], height=first["height"])
    try:
        for index, url in enumerate(urls):
            sizes = VIEWPORTS if index % 2 == 0 else VIEWPORTS[::-1]
            page.goto(url)
            for size in sizes:
                if page.viewport_size != size:
                    page.set_viewport_size(size)
                found[(size["width"], size["height"])][url] = page.evaluate(MEASURE)
    except Exception:
        save_screenshot(page, "measured")
        raise
    finally:
        page.context.close()
    return found


@pytest.mark.browser(pages=8)  # for the order of the parallel run (conftest.py)
def test_no_date_time_or_ticket_breaks_in_any_table_at_1280(
    measured: Callable[[dict[str, int]], Measured],
) -> None:
    broken: dict[str, list[str]] = {}
    checked = 0
    for url, seen in measured(DESKTOP).items():
        checked += len(seen["tokens"])
        if bad := sorted({token for token, lines in seen["tokens"] if lines != 1}):
            broken[url] = bad
    assert checked > 300, checked  # the pattern does find the values it guards
    assert broken == {}


@pytest.mark.browser(pages=8)  # for the order of the parallel run (conftest.py)
def test_action_items_owner_due_and_status_are_on_a_phone_screen(
    measured: Callable[[dict[str, int]], Measured], example_kb: KnowledgeBase
) -> None:
    width = PHONE["width"]
    with_items = [f"postmortems/{pm.id}/" for pm in example_kb.indexed if pm.action_items]
    outside: dict[str, list[str]] = {}
    cells = 0
    pages = measured(PHONE)
    for url in ["action-items/", "overdue/", *with_items]:
        boxes = pages[url]["items"]
        cells += len(boxes)
        bad = [
            f"{label} {text!r}" for label, text, left, right in boxes if left < 0 or right > width
        ]
        if bad:
            outside[url] = bad
        if (scroll := pages[url]["scroll"]) > width:
            outside.setdefault(url, []).append(f"page scrolls sideways: {scroll} px")
    items = sum(len(pm.action_items) for pm in example_kb.indexed)
    assert cells >= 3 * items  # every item's three cells, on its own page at least
    assert outside == {}


@pytest.mark.browser(pages=8)  # for the order of the parallel run (conftest.py)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_timeline_gives_its_event_the_room_and_fits_the_screen(
    measured: Callable[[dict[str, int]], Measured],
    example_kb: KnowledgeBase,
    viewport: dict[str, int],
) -> None:
    """The event (the column after the time) is the widest column, also when a third one
    (the actor) follows it, and a timeline of three columns fits a phone without scrolling."""
    wrong: dict[str, str] = {}
    three = 0
    pages = measured(viewport)
    for pm in example_kb.indexed:
        for cells, beyond in pages[f"postmortems/{pm.id}/"]["timelines"]:
            three += len(cells) > 2
            if cells[1] < max(cells):
                wrong[pm.id] = f"event {cells[1]:.0f} px of {[round(c) for c in cells]}"
            elif beyond > 0.5:
                wrong[pm.id] = f"the timeline runs {beyond:.0f} px past its box"
    assert three >= 2  # the example has timelines with an actor column
    assert wrong == {}


@pytest.mark.browser(pages=8)  # for the order of the parallel run (conftest.py)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_summary_first_line_is_on_the_first_screen(
    measured: Callable[[dict[str, int]], Measured],
    example_kb: KnowledgeBase,
    viewport: dict[str, int],
) -> None:
    """Every post-mortem page: the one-line header, the banners, then the story, all on the
    screen a reader lands on."""
    pages = measured(viewport)
    below: dict[str, float] = {}
    for pm in example_kb.indexed:
        seen = pages[f"postmortems/{pm.id}/"]
        assert seen["oneline"], pm.id
        assert seen["summary"], f"{pm.id} has no Summary to measure"
        top, height = seen["summary"]
        if top + height > viewport["height"]:
            below[pm.id] = top + height
    assert below == {}


@pytest.mark.parametrize("width", [1280, 390])
def test_the_visual_timeline_shows_the_four_moments(
    browser: Browser, example_url: str, width: int, request: pytest.FixtureRequest
) -> None:
    page = new_page(browser, example_url, width)
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


def test_a_postmortem_prints_without_the_navigation(page: Page) -> None:
    page.goto(f"postmortems/{ORDERS_DB}/")
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".pm-related"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in (".pm-card", ".pm-timeline table", ".pm-action-items table", "h1.pm-title"):
        assert page.locator(shown).first.is_visible(), shown
    pdf = page.pdf(format="A4")
    assert pdf[:5] == b"%PDF-"
