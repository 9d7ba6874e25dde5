"""The example site from the keyboard, in a real Chromium: Tab starts at the skip link and
lands only on what shows, on every page type at both widths; the explorer works without a
mouse.

The site is built once for the run (``example_site`` in conftest.py); a failing test leaves
a screenshot in tests/artifacts/. Without Chromium these tests skip (with how to install
it), except in CI, where they fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import FINISHED, eventually, new_page, screenshot_on_failure
from browser_sites import (
    ORDERS_DB,
    example_page_types,
    open_explorer,
    visible_ids,
    wait_until_drawn,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from mkdocs_postmortems.core.knowledge_base import KnowledgeBase

pytestmark = pytest.mark.browser

# Where the keyboard's focus is, once the page has finished moving (the theme's transitions:
# the search opening, brought to their end at once), and whether it shows: the focused element, or the label the theme
# draws its focus ring on (the palette switch is a hidden radio button followed by its
# label), is on screen with a size, not hidden, and not slid off the side (a closed
# drawer's links).
FOCUSED = f"""async () => {{
  await ({FINISHED})();
  const element = document.activeElement;
  const next = element.nextElementSibling;
  const shown = [element, ...(next && next.tagName === 'LABEL' ? [next] : [])].filter(e => {{
    const box = e.getBoundingClientRect();
    return e.checkVisibility({{visibilityProperty: true}}) && box.width > 0 && box.height > 0
      && box.right > 0 && box.left < window.innerWidth;
  }});
  return [element.tagName + '.' + element.className, shown.length > 0,
          element.getAttribute('href') || ''];
}}"""
#: Tab stops walked from the top of a page: the theme's header and navigation.
CHROME_STOPS = 25
#: Tab stops walked in a page's own content, after its skip link.
CONTENT_STOPS = 10


def walk(page: Page, stops: int) -> list[str]:
    """Press Tab ``stops`` times; the focused elements that did not show."""
    hidden = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        name, shown, _ = page.evaluate(FOCUSED)
        if not shown:
            hidden.append(name)
    return hidden


@pytest.mark.browser(pages=17)  # for the order of the parallel run (conftest.py)
@pytest.mark.parametrize("width", [1280, 390])
def test_tab_starts_at_the_skip_link_and_lands_only_on_what_shows(
    browser: Browser,
    example_url: str,
    example_site: Path,
    width: int,
    request: pytest.FixtureRequest,
) -> None:
    """On one page of every type (``page_types`` in tests/browser.py, found in the built
    site): the first Tab stop is the skip link, it leads to a heading of the page, and the
    first stops of the page's own content (its article) all show. The theme's header and
    navigation, the same on every page, are walked from the top on the home page and on a
    post-mortem (at 1280 px they take every one of the first 25 stops)."""
    types = example_page_types(example_site)
    page = new_page(browser, example_url, width)
    hidden: dict[str, list[str]] = {}
    try:
        for url in ("./", f"postmortems/{ORDERS_DB}/"):
            page.goto(url)
            if missed := walk(page, CHROME_STOPS):
                hidden[f"{url} from the top"] = missed
        for url in types.values():
            page.goto(url)
            wait_until_drawn(page, url)
            page.keyboard.press("Tab")
            name, _, href = page.evaluate(FOCUSED)
            assert "md-skip" in name, url
            target = page.evaluate(f"document.getElementById('{href[1:]}').tagName")
            assert target in ("H1", "H2"), url
            # The content's first stops, from the top of the article (a post-mortem's skip
            # link leads to its Summary, past the header's links): a reader's click on the
            # page there is where the next Tab starts.
            box = page.locator("article").first.bounding_box()
            assert box is not None, url
            page.mouse.click(box["x"] + 1, box["y"] + 1)
            if missed := walk(page, CONTENT_STOPS):
                hidden[url] = missed
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    assert len(types) >= 15, sorted(types)  # the page types are found in the site
    assert hidden == {}


def test_explorer_works_from_the_keyboard(page: Page, example_kb: KnowledgeBase) -> None:
    open_explorer(page)
    page.locator("input[name=q]").focus()
    page.keyboard.type("checkout")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.name")
    assert focused == "severity"
    page.keyboard.press("ArrowDown")  # "All" -> the first level
    expected = {
        pm.id
        for pm in example_kb.indexed
        if "checkout" in pm.title.lower() and pm.severity == "SEV1"
    }
    shown = eventually(lambda: set(visible_ids(page)), lambda ids: ids == expected)
    assert shown == expected
    for _ in range(7):  # status, service, tag, year, period, sort, then the button
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "reset"
    page.keyboard.press("Enter")
    every = {pm.id for pm in example_kb.indexed}
    assert eventually(lambda: set(visible_ids(page)), lambda ids: ids == every) == every
