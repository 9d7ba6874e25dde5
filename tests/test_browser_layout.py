"""The example site as people read it, in a real Chromium: every page type on a desktop and
a phone screen in both palettes, tables that keep dates and tickets on one line, action
items and timelines that fit a phone, the story on the first screen, print.

The site is built once for the run (``example_site`` in conftest.py); a failing test leaves
a screenshot in tests/artifacts/, and the page types' screenshots are kept there for review.
Without Chromium these tests skip (with how to install it), except in CI, where they fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import PHONE, new_page, save_screenshot, screenshot_on_failure
from browser_sites import ORDERS_DB, example_page_types, summaries_below, wait_until_drawn

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from mkdocs_postmortems.core.knowledge_base import KnowledgeBase

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_type_fits_its_screen_and_is_saved(
    browser: Browser,
    example_url: str,
    example_site: Path,
    width: int,
    scheme: str,
    request: pytest.FixtureRequest,
) -> None:
    """A screenshot of one page of every type (``page_types`` in tests/browser.py, found in
    the built site) at both widths in both palettes, kept in tests/artifacts/ for review."""
    types = example_page_types(example_site)
    page = new_page(browser, example_url, width, scheme=scheme)
    wrong: dict[str, str] = {}
    try:
        for url in types.values():
            page.goto(url)
            wait_until_drawn(page, url)
            shown = page.evaluate("document.body.dataset.mdColorScheme")
            if shown != ("slate" if scheme == "dark" else "default"):
                wrong[url] = f"the {shown} palette"
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                wrong[url] = f"scrolls sideways: {scroll} px"
            save_screenshot(page, f"{url.strip('./') or 'home'}-{width}-{scheme}")
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    assert len(types) >= 15, sorted(types)  # the page types are found in the site
    assert wrong == {}


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


def test_no_date_time_or_ticket_breaks_in_any_table_at_1280(
    browser: Browser, example_url: str, example_kb: KnowledgeBase, request: pytest.FixtureRequest
) -> None:
    page = new_page(browser, example_url, 1280)
    broken: dict[str, list[str]] = {}
    checked = 0
    try:
        for url in every_page(example_kb):
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
    browser: Browser, example_url: str, example_kb: KnowledgeBase, request: pytest.FixtureRequest
) -> None:
    width = 390
    page = new_page(browser, example_url, width)
    with_items = [f"postmortems/{pm.id}/" for pm in example_kb.indexed if pm.action_items]
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
    items = sum(len(pm.action_items) for pm in example_kb.indexed)
    assert seen >= 3 * items  # every item's three cells, on its own page at least
    assert outside == {}


TIMELINE_COLUMNS = """() => [...document.querySelectorAll('.pm-timeline table')].map(t => [
  [...t.querySelectorAll('tbody tr:first-child td')].map(c => c.getBoundingClientRect().width),
  t.getBoundingClientRect().right - t.closest('.pm-timeline').getBoundingClientRect().right])"""


@pytest.mark.parametrize("width", [1280, 390])
def test_a_timeline_gives_its_event_the_room_and_fits_the_screen(
    browser: Browser,
    example_url: str,
    example_kb: KnowledgeBase,
    width: int,
    request: pytest.FixtureRequest,
) -> None:
    """The event (the column after the time) is the widest column, also when a third one
    (the actor) follows it, and a timeline of three columns fits a phone without scrolling."""
    page = new_page(browser, example_url, width)
    wrong: dict[str, str] = {}
    three = 0
    try:
        for pm in example_kb.indexed:
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


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_insights_charts_render_in_both_palettes(
    browser: Browser, example_url: str, width: int, scheme: str, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context(base_url=example_url, viewport={"width": width, "height": 900})
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


def test_a_postmortem_prints_without_the_navigation(page: Page) -> None:
    page.goto(f"postmortems/{ORDERS_DB}/")
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".pm-related"):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in (".pm-card", ".pm-timeline table", ".pm-action-items table", "h1.pm-title"):
        assert page.locator(shown).first.is_visible(), shown
    pdf = page.pdf(format="A4")
    assert pdf[:5] == b"%PDF-"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "390"])
def test_the_summary_first_line_is_on_the_first_screen(
    browser: Browser,
    example_url: str,
    example_kb: KnowledgeBase,
    viewport: dict[str, int],
    request: pytest.FixtureRequest,
) -> None:
    """Every post-mortem page: the one-line header, the banners, then the story, all on the
    screen a reader lands on."""
    page = new_page(browser, example_url, viewport["width"], height=viewport["height"])
    try:
        below, checked = summaries_below(page, [pm.id for pm in example_kb.indexed], viewport)
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    assert checked == len(example_kb.indexed)
    assert below == {}
