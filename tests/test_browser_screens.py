"""The insights charts of the example site on a desktop and a phone screen, in both
palettes, in a real Chromium: drawn, with marks and axes that show; a screenshot of each
kept in tests/artifacts/ for review. Every page type's screenshots are taken with its
accessibility checks, on the same load (test_browser_page_types.py).

The site is built once for the run (``example_site`` in conftest.py). Without Chromium
these tests skip (with how to install it), except in CI, where they fail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from browser import save_screenshot, screenshot_on_failure

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

SCHEME = "document.body.dataset.mdColorScheme"


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
