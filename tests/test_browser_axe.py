"""Accessibility of the example site, in a real Chromium: axe-core finds no serious or
critical violation on any page type, at both widths, in both palettes.

The theme's header, navigation and footer are the same on every page: they are checked
whole on the home page and on a post-mortem, and on every other page type the rules run on
what that page adds (everything but them), as the Tab walk does (test_browser_keyboard.py).

The site is built once for the run (``example_site`` in conftest.py); a failing test leaves
a screenshot in tests/artifacts/. Without Chromium these tests skip (with how to install
it), except in CI, where they fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from browser import finish_moving, new_page, screenshot_on_failure
from browser_sites import example_page_types, wait_until_drawn

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

#: The rules that read colours: all a change of palette can change (it changes colours only).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
#: The theme's own parts of every page, the same on each: its header, tabs, navigation and
#: footer (the table of contents is the page's own).
CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer"]
#: The page types whose theme's parts are checked too: the home page and a post-mortem.
WHOLE = ("home", "postmortems/*")


def axe_script() -> Path:
    """axe-core as axe-playwright-python bundles it (no network needed)."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


def serious(page: Page, options: dict[str, Any], *, whole: bool = True) -> list[str]:
    """The serious and critical violations axe finds on ``page``, one line each: on the
    whole page, or on all of it but the theme's parts (:data:`CHROME`)."""
    exclude = [] if whole else [[part] for part in CHROME]
    results = page.evaluate(
        "([exclude, options]) => axe.run({exclude}, options)", [exclude, options]
    )
    return [
        f"{v['id']}: {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.browser(pages=17)  # for the order of the parallel run (conftest.py)
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_serious_violation_on_any_page(
    browser: Browser,
    example_url: str,
    example_site: Path,
    width: int,
    request: pytest.FixtureRequest,
) -> None:
    """One page of every type (``page_types`` in tests/browser.py, found in the built site):
    every rule in the light palette, then, on the same page in the dark one, the rules that
    read colours. The home page and a post-mortem are checked whole, with the theme's
    header, search dialog, navigation and footer; the other types without these."""
    types = example_page_types(example_site)
    page = new_page(browser, example_url, width)
    # Loaded with each page rather than sent with each check: it is half a megabyte.
    page.context.add_init_script(path=axe_script())
    found: dict[str, list[str]] = {}
    try:
        for kind, url in types.items():
            whole = kind in WHOLE
            page.goto(url)
            wait_until_drawn(page, url)
            if light := serious(page, {"resultTypes": ["violations"]}, whole=whole):
                found[f"{url} light"] = light
            # What the theme does when the reader's system is dark: the slate scheme.
            page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
            finish_moving(page)  # the theme's colours change with a transition
            options = {"resultTypes": ["violations"], "runOnly": COLOUR_RULES}
            if dark := serious(page, options, whole=whole):
                found[f"{url} dark"] = dark
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
    assert len(types) >= 15, sorted(types)  # the page types are found in the site
    assert set(WHOLE) <= set(types)
    assert found == {}
