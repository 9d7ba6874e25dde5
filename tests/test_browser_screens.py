"""Every page type of the example site on a desktop and a phone screen, in both palettes, in
a real Chromium: the palette the reader's system asks for, nothing wider than the screen,
the insights charts drawn; a screenshot of each kept in tests/artifacts/ for review (the
whole page in the light palette, its first screen in the dark one).

The site is built once for the run (``example_site`` in conftest.py). Without Chromium
these tests skip (with how to install it), except in CI, where they fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import finish_moving, new_page, save_screenshot, screenshot_on_failure
from browser_sites import example_page_types, wait_until_drawn

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

SCHEME = "document.body.dataset.mdColorScheme"


@pytest.mark.browser(pages=17)  # for the order of the parallel run (conftest.py)
@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_type_fits_its_screen_and_is_saved(
    browser: Browser,
    example_url: str,
    example_site: Path,
    width: int,
    request: pytest.FixtureRequest,
) -> None:
    """A screenshot of one page of every type (``page_types`` in tests/browser.py, found in
    the built site) at both widths in both palettes, kept in tests/artifacts/ for review:
    the whole page in the light palette, the first screen in the dark one (what a palette
    changes is its colours, which the first screen shows; the whole page was most of the
    test's time, and axe checks the dark colours of every page whole).

    The palette follows the reader's system (light, or slate for a dark system); each page
    is then shown in the other one on the same load, as the theme's toggle does it."""
    types = example_page_types(example_site)
    dark = new_page(browser, example_url, width, scheme="dark")
    try:
        dark.goto("./")
        assert dark.evaluate(SCHEME) == "slate"
    finally:
        dark.context.close()
    page = new_page(browser, example_url, width)
    wrong: dict[str, list[str]] = {}
    try:
        for url in types.values():
            page.goto(url)
            wait_until_drawn(page, url)
            if (shown := page.evaluate(SCHEME)) != "default":
                wrong.setdefault(url, []).append(f"the {shown} palette on a light system")
            for scheme, name in (("light", "default"), ("dark", "slate")):
                page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{name}')")
                finish_moving(page)  # the theme's colours change with a transition
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    wrong.setdefault(url, []).append(f"{scheme}: scrolls sideways, {scroll} px")
                name = f"{url.strip('./') or 'home'}-{width}-{scheme}"
                save_screenshot(page, name, full_page=scheme == "light")
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    assert len(types) >= 15, sorted(types)  # the page types are found in the site
    assert wrong == {}


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
