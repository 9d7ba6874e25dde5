"""The generated site of extremes (tests/browser_sites.py) in a real Chromium: what a large
knowledge base piles above a post-mortem's story still leaves the story on the first screen.

The site is built once for the run (conftest.py); a failing test leaves a screenshot in
tests/artifacts/. Without Chromium these tests skip (with how to install it), except in
CI, where they fail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from browser import PHONE, new_page, screenshot_on_failure
from browser_sites import REPEATS_SHOWN, catalogue, summaries_below

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


# For the order of the parallel run (conftest.py): ten pages, and the build of its own site,
# which a worker then makes while the other builds the example's.
@pytest.mark.browser(pages=30)
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["1280", "390"])
def test_the_summary_first_line_is_on_the_first_screen_at_the_extremes(
    browser: Browser, extremes_url: str, viewport: dict[str, int], request: pytest.FixtureRequest
) -> None:
    """A page gathers more to say above its story as the knowledge base grows (overdue
    items, earlier incidents it repeats, the longest titles). The generated site holds the
    extremes (tests/browser_sites.py); these pages are checked: the newest (fifteen
    earlier incidents repeated), those with the most action items and the longest titles,
    and every 20th of the others."""
    page = new_page(
        browser, extremes_url, viewport["width"], height=viewport["height"], timeout=20_000
    )
    try:
        page.goto("./")
        incidents = catalogue(page)
        busiest = sorted(incidents, key=lambda i: -len(i["action_items"]))  # type: ignore[arg-type]
        longest = sorted(incidents, key=lambda i: -len(str(i["title"])))
        chosen = [incidents[0], *busiest[:3], *longest[:3], *incidents[::20]]
        ids = list(dict.fromkeys(str(i["id"]) for i in chosen))
        below, checked = summaries_below(page, ids, viewport)
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    assert checked == len(ids) > 5
    assert REPEATS_SHOWN in ids  # the page with the most repeats is among them
    assert below == {}
