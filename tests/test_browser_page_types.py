"""One page of every type of the example site, on a desktop and a phone screen, in both
palettes, in a real Chromium: axe-core finds no serious or critical violation, nothing is
wider than the screen, and a screenshot of each is kept in tests/artifacts/ for review.

Each page is loaded once per width for the three tests (``visited``): in the light palette
the page is measured, saved whole and checked with every axe rule; then, on the same load,
in the dark one, as the theme's toggle shows it, measured, saved (its first screen: what a
palette changes is its colours) and checked with the rules that read colours; last, walked
with the Tab key from the top, as the keyboard's test reads it.

The colours of a page come from its palette, not from the width of the screen: the rules
that read colours check every page whole on the desktop screen, and on the phone only what
the phone draws otherwise (:func:`check_colours_phone_adds`): an element the desktop does
not show, or whose colours, text size or backgrounds differ (a table drawn as cards, a
label only a phone shows). They were half the time of the visits.

The theme's header, navigation and footer are the same on every page: axe checks them
whole on the home page and on a post-mortem, and on every other page type what the page
adds (everything but them), as the Tab walk does.

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

from browser import FINISHED, finish_moving, new_page, save_screenshot, screenshot_on_failure
from browser_sites import example_page_types, wait_until_drawn

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

#: The rules that read colours: all a change of palette can change (it changes colours only).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
#: The screen every page is checked whole on, colours included; the other width is checked
#: with every other rule, and for colours where it draws otherwise (COLOURS_DRAWN).
WIDE = 1280
#: The theme's own parts of every page, the same on each: its header, tabs, navigation and
#: footer (the table of contents is the page's own).
CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer"]
#: The page types whose theme's parts are checked too: the home page and a post-mortem.
WHOLE = ("home", "postmortems/*")
SCHEME = "document.body.dataset.mdColorScheme"

# Where the keyboard's focus is, once the page has finished moving (the theme's transitions:
# the search opening, brought to their end at once), and whether it shows: the focused
# element, or the label the theme draws its focus ring on (the palette switch is a hidden
# radio button followed by its label), is on screen with a size, not hidden, and not slid
# off the side (a closed drawer's links).
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
# What the rules that read colours read of each element on the screen, by element, under
# ``key`` (a width and a palette): its own colour, decoration, and whether its text is large
# (the threshold of contrast it is held to), and the backgrounds, opacity and filters of it
# and each element around it (what its text is read against). An element off the screen (a
# closed drawer) or hidden is recorded as not drawn: axe does not read its colours either.
# Signatures are numbered in one table for the whole load, so that the same one at two
# widths has the same number.
COLOURS_DRAWN = """key => {
  const own = ['color', 'text-shadow', 'text-decoration-line', 'text-decoration-color',
    'text-decoration-style', 'border-bottom-style', 'border-bottom-color', 'visibility'];
  const around = ['background-color', 'background-image', 'opacity', 'filter',
    'mix-blend-mode', 'backdrop-filter'];
  const numbers = window.pmColourNumbers = window.pmColourNumbers || new Map();
  const number = text => {
    if (!numbers.has(text)) numbers.set(text, numbers.size);
    return numbers.get(text);
  };
  const behind = new Map([[null, -1]]);
  const backgrounds = element => {
    if (!behind.has(element)) {
      const style = getComputedStyle(element);
      behind.set(element, number(around.map(p => style.getPropertyValue(p)).join('|')
        + '/' + backgrounds(element.parentElement)));
    }
    return behind.get(element);
  };
  const drawn = new Map();
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})
        || box.width === 0 || box.height === 0 || box.right <= 0
        || box.left >= window.innerWidth) {
      drawn.set(element, -1);
      continue;
    }
    const style = getComputedStyle(element);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (parseInt(style.fontWeight) >= 700 && size >= 18.66);
    drawn.set(element, number(own.map(p => style.getPropertyValue(p)).join('|')
      + '/' + large + '/' + backgrounds(element)));
  }
  (window.pmColoursDrawn = window.pmColoursDrawn || {})[key] = drawn;
}"""
# Marks the elements drawn under ``narrow`` that ``wide`` did not draw, or drew otherwise
# (COLOURS_DRAWN), with ``data-pm-recheck``, the outermost of each part only (a check takes
# in what an element holds); returns how many are marked.
MARK_DRAWN_OTHERWISE = """([wide, narrow]) => {
  const before = window.pmColoursDrawn[wide], now = window.pmColoursDrawn[narrow];
  let marked = 0;
  for (const [element, drawn] of now) {
    if (drawn === -1 || before.get(element) === drawn) continue;
    if (element.parentElement && element.parentElement.closest('[data-pm-recheck]')) continue;
    element.setAttribute('data-pm-recheck', '');
    marked++;
  }
  return marked;
}"""
UNMARK = """() => document.querySelectorAll('[data-pm-recheck]')
  .forEach(e => e.removeAttribute('data-pm-recheck'))"""
#: The palettes of the theme: the light one the reader's system asks for here, the dark one.
PALETTES = (("light", "default"), ("dark", "slate"))

#: Tab stops walked from the top of a page: the theme's header and navigation.
CHROME_STOPS = 25
#: Tab stops walked in a page's own content, after its skip link.
CONTENT_STOPS = 10


def axe_script() -> Path:
    """axe-core as axe-playwright-python bundles it (no network needed)."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


def serious(
    page: Page, options: dict[str, Any], *, whole: bool = True, only: str | None = None
) -> list[str]:
    """The serious and critical violations axe finds on ``page``, one line each: on the
    whole page, or on all of it but the theme's parts (:data:`CHROME`); within the
    elements ``only`` selects, if given."""
    context: dict[str, Any] = {"exclude": [] if whole else [[part] for part in CHROME]}
    if only is not None:
        context["include"] = [[only]]
    results = page.evaluate("([context, options]) => axe.run(context, options)", [context, options])
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
    #: The Tab stops that did not show, and a first stop that was not the skip link.
    keyboard: dict[str, list[str]] = field(default_factory=dict)


def walk(page: Page, stops: int) -> list[str]:
    """Press Tab ``stops`` times; the focused elements that did not show."""
    hidden = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        name, shown, _ = page.evaluate(FOCUSED)
        if not shown:
            hidden.append(name)
    return hidden


def walk_from_the_top(page: Page, url: str, whole: bool, found: Visit) -> None:
    """The Tab walk of a page as loaded: its first stop is the skip link, which leads to a
    heading; on the pages checked whole, the theme's header and navigation follow it (at
    1280 px they take every one of the first :data:`CHROME_STOPS`); then the first stops of
    the page's own content, from the top of its article (a post-mortem's skip link leads to
    its Summary, past the header's links): a reader's click there is where the next Tab
    starts. Nothing before it in the visit moves the focus or sets where Tab starts."""
    page.keyboard.press("Tab")
    name, shown, href = page.evaluate(FOCUSED)
    target = page.evaluate(f"document.getElementById('{href[1:]}')?.tagName") if href else None
    if "md-skip" not in name or target not in ("H1", "H2"):
        found.keyboard[f"{url} first stop"] = [f"{name} to {href!r} ({target})"]
    if whole:
        missed = ([] if shown else [name]) + walk(page, CHROME_STOPS - 1)
        if missed:
            found.keyboard[f"{url} from the top"] = missed
    box = page.locator("article").first.bounding_box()
    if box is None:
        found.keyboard[url] = ["no article to start the content's walk from"]
        return
    page.mouse.click(box["x"] + 1, box["y"] + 1)
    if missed := walk(page, CONTENT_STOPS):
        found.keyboard[url] = missed


#: What axe reports: the violations only (its passes are most of a result's size).
EVERY_RULE: dict[str, Any] = {"resultTypes": ["violations"]}
COLOUR_RULES_ONLY = {**EVERY_RULE, "runOnly": COLOUR_RULES}
ALL_BUT_COLOURS = {**EVERY_RULE, "rules": {rule: {"enabled": False} for rule in COLOUR_RULES}}


def show_palette(page: Page, name: str) -> None:
    """Show ``page`` in the theme's palette ``name``, as its toggle does (the slate scheme
    is what the theme shows when the reader's system is dark); a palette shown already is
    left as it is."""
    page.evaluate(
        f"document.body.dataset.mdColorScheme === '{name}'"
        f" || document.body.setAttribute('data-md-color-scheme', '{name}')"
    )
    finish_moving(page)  # the theme's colours change with a transition


def check_colours_phone_adds(page: Page, url: str, width: int, whole: bool, found: Visit) -> None:
    """The rules that read colours, in both palettes, on what ``page`` draws at ``width``
    otherwise than at :data:`WIDE`, where every page is checked for them whole: each palette
    is read at this width and, resized on the same load, at the wide one
    (:data:`COLOURS_DRAWN`), then checked at this width where the two differ. A resize
    applies the stylesheet's media queries as a load at that size does (the layout tests
    measure the same either way). Each step starts in the palette the last one ended in: a
    change of palette restyles the whole page."""
    height = page.viewport_size["height"] if page.viewport_size else 900
    for size in (width, WIDE):
        page.set_viewport_size({"width": size, "height": height})
        for _, name in palettes_from_the_shown(page):
            show_palette(page, name)
            page.evaluate(COLOURS_DRAWN, f"{size} {name}")
    page.set_viewport_size({"width": width, "height": height})
    for scheme, name in palettes_from_the_shown(page):
        show_palette(page, name)
        if page.evaluate(MARK_DRAWN_OTHERWISE, [f"{WIDE} {name}", f"{width} {name}"]):
            only = "[data-pm-recheck]"
            if violations := serious(page, COLOUR_RULES_ONLY, whole=whole, only=only):
                found.violations[f"{url} {scheme}, drawn otherwise than at {WIDE}"] = violations
        page.evaluate(UNMARK)


def palettes_from_the_shown(page: Page) -> list[tuple[str, str]]:
    """:data:`PALETTES`, the one ``page`` shows first."""
    shown = page.evaluate(SCHEME)
    return sorted(PALETTES, key=lambda palette: palette[1] != shown)


def visit(page: Page, kind: str, url: str, width: int, found: Visit) -> None:
    """Load ``url`` once and read it in both palettes (see the module's docstring)."""
    whole = kind in WHOLE
    page.goto(url)
    wait_until_drawn(page, url)
    if (shown := page.evaluate(SCHEME)) != "default":
        found.wrong.setdefault(url, []).append(f"the {shown} palette on a light system")
    light_rules = EVERY_RULE if width == WIDE else ALL_BUT_COLOURS
    dark_rules = COLOUR_RULES_ONLY if width == WIDE else None
    for (scheme, name), rules in zip(PALETTES, (light_rules, dark_rules), strict=True):
        show_palette(page, name)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            found.wrong.setdefault(url, []).append(f"{scheme}: scrolls sideways, {scroll} px")
        shot = f"{url.strip('./') or 'home'}-{width}-{scheme}"
        save_screenshot(page, shot, full_page=scheme == "light")
        if rules is not None and (violations := serious(page, rules, whole=whole)):
            found.violations[f"{url} {scheme}"] = violations
    if width != WIDE:
        check_colours_phone_adds(page, url, width, whole, found)
    # Last, on the same load: what the walk focuses and clicks is then in no screenshot and
    # no axe check. Whether a focused element shows does not depend on the palette.
    walk_from_the_top(page, url, whole, found)


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
    read colours; on the phone, these read only what it draws otherwise than the desktop
    (:func:`check_colours_phone_adds`). The home page and a post-mortem are checked whole,
    with the theme's header, search dialog, navigation and footer; the other types without
    these."""
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


@pytest.mark.browser(pages=17)  # for the order of the parallel run (conftest.py)
@pytest.mark.parametrize("width", [1280, 390])
def test_tab_starts_at_the_skip_link_and_lands_only_on_what_shows(
    visited: Callable[[int], Visit], width: int
) -> None:
    """On one page of every type (``page_types`` in tests/browser.py, found in the built
    site), on the load the other tests of this module read (:func:`walk_from_the_top`): the
    first Tab stop is the skip link, it leads to a heading of the page, and the first stops
    of the page's own content (its article) all show. The theme's header and navigation,
    the same on every page, are walked from the top on the home page and on a post-mortem."""
    found = visited(width)
    assert len(found.types) >= 15, sorted(found.types)  # the page types are found in the site
    assert set(WHOLE) <= set(found.types)
    assert found.keyboard == {}


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
