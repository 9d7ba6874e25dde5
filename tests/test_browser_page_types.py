"""One page of every type of the example site, on a desktop and a phone screen, in both
palettes, in a real Chromium: axe-core finds no serious or critical violation, nothing is
wider than the screen, and a screenshot of each is kept in tests/artifacts/ for review.

Each page is loaded once per width for both tests (``visited``): in the light palette the
page is measured, saved whole and checked with every axe rule; then, on the same load, in
the dark one, as the theme's toggle shows it, measured, saved (its first screen: what a
palette changes is its colours) and checked with the rules that read colours.

The theme's header, navigation and footer are the same on every page: axe checks them
whole on the home page and on a post-mortem, and on every other page type what the page
adds (everything but them), as the Tab walk does (test_browser_keyboard.py).

The site is built once for the run (``example_site`` in conftest.py); a failing test leaves
a screenshot in tests/artifacts/. Without Chromium these tests skip (with how to install
it), except in CI, where they fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from browser import finish_moving, new_page, save_screenshot, screenshot_on_failure
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
SCHEME = "document.body.dataset.mdColorScheme"


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


@dataclass
class Visit:
    """What one visit of every page type at a width found, by page and palette."""

    types: dict[str, str]
    violations: dict[str, list[str]] = field(default_factory=dict)
    wrong: dict[str, list[str]] = field(default_factory=dict)


def visit(page: Page, kind: str, url: str, width: int, found: Visit) -> None:
    """Load ``url`` once and read it in both palettes (see the module's docstring)."""
    whole = kind in WHOLE
    page.goto(url)
    wait_until_drawn(page, url)
    if (shown := page.evaluate(SCHEME)) != "default":
        found.wrong.setdefault(url, []).append(f"the {shown} palette on a light system")
    every_rule: dict[str, Any] = {"resultTypes": ["violations"]}
    colour_rules = {**every_rule, "runOnly": COLOUR_RULES}
    for scheme, name, rules in (("light", "default", every_rule), ("dark", "slate", colour_rules)):
        # What the theme does when the reader's system is dark: the slate scheme.
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{name}')")
        finish_moving(page)  # the theme's colours change with a transition
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            found.wrong.setdefault(url, []).append(f"{scheme}: scrolls sideways, {scroll} px")
        shot = f"{url.strip('./') or 'home'}-{width}-{scheme}"
        save_screenshot(page, shot, full_page=scheme == "light")
        if violations := serious(page, rules, whole=whole):
            found.violations[f"{url} {scheme}"] = violations


@pytest.fixture(scope="module")
def visited(browser: Browser, example_url: str, example_site: Path) -> Callable[[int], Visit]:
    """Every page type visited once per width for both tests of this module."""
    done: dict[int, Visit] = {}

    def at(width: int) -> Visit:
        if width not in done:
            found = Visit(example_page_types(example_site))
            page = new_page(browser, example_url, width)
            # Loaded with each page rather than sent with each check: it is half a megabyte.
            page.context.add_init_script(path=axe_script())
            try:
                for kind, url in found.types.items():
                    visit(page, kind, url, width, found)
            except Exception:
                save_screenshot(page, f"page-types-{width}")
                raise
            finally:
                page.context.close()
            done[width] = found
        return done[width]

    return at


@pytest.mark.browser(pages=17)  # for the order of the parallel run (conftest.py)
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_serious_violation_on_any_page(
    visited: Callable[[int], Visit], width: int
) -> None:
    """One page of every type (``page_types`` in tests/browser.py, found in the built site):
    every rule in the light palette, then, on the same page in the dark one, the rules that
    read colours. The home page and a post-mortem are checked whole, with the theme's
    header, search dialog, navigation and footer; the other types without these."""
    found = visited(width)
    assert len(found.types) >= 15, sorted(found.types)  # the page types are found in the site
    assert set(WHOLE) <= set(found.types)
    assert found.violations == {}


@pytest.mark.browser(pages=17)  # for the order of the parallel run (conftest.py)
@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_type_fits_its_screen_and_is_saved(
    visited: Callable[[int], Visit], width: int
) -> None:
    """A screenshot of one page of every type at both widths in both palettes, kept in
    tests/artifacts/ for review: the whole page in the light palette, the first screen in
    the dark one (what a palette changes is its colours, which the first screen shows; the
    whole page was most of the time of the visit, and axe checks the dark colours of every
    page whole). The palette follows the reader's system (light here); each page is then
    shown in the other one on the same load, as the theme's toggle does it."""
    found = visited(width)
    assert len(found.types) >= 15, sorted(found.types)  # the page types are found in the site
    assert found.wrong == {}


def test_a_dark_system_gets_the_dark_palette(
    browser: Browser, example_url: str, request: pytest.FixtureRequest
) -> None:
    page = new_page(browser, example_url, scheme="dark")
    try:
        page.goto("./")
        assert page.evaluate(SCHEME) == "slate"
    finally:
        screenshot_on_failure(request, page)
        page.context.close()
