"""The XSS corpus (tests/xss_corpus.py) as post-mortems, built by every generator the project
supports, opened in Chromium: no dialog, no request to another origin, no live script URL
or event attribute in the page.

A few pages hold many vectors each: every page load costs the slow machine a second.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import screenshot_on_failure, serve, settle
from sitebuild import build_site, write_project
from xss_corpus import ATTACKER, UNSEEN_LINE_BY_LINE, bodies, body

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request, Route

pytestmark = pytest.mark.browser

EPOCH = "1795564800"
NAMES = (
    "2026-03-04-xss-one",
    "2026-03-04-xss-two",
    "2026-03-04-xss-three",
    "2026-03-04-xss-over-lines",
)
# PM210 reports every vector; as a warning the builds go on, to show the page is safe
# whatever the checker said. No web fonts: the only requests are to the site itself.
CONFIG = {
    "theme": {"name": "material", "font": False},
    "plugins": ["search", {"postmortems": {"rules": {"PM210": "warning"}}}],
    "markdown_extensions": [
        "admonition",
        "attr_list",
        "md_in_html",
        "tables",
        {"toc": {"permalink": True}},
        "pymdownx.details",
        "pymdownx.superfences",
    ],
}
# What the page holds after it has run: event attributes and script URLs anywhere in it.
LIVE = """() => {
    const found = [];
    for (const element of document.querySelectorAll("*")) {
        for (const attribute of element.attributes) {
            if (attribute.name.startsWith("on")) found.push(element.tagName + " " + attribute.name);
        }
    }
    for (const element of document.querySelectorAll("[href], [src], [action], [data]")) {
        const url = element.href || element.src || element.action || element.data || "";
        if (/^(javascript|vbscript|data):/i.test(String(url))) found.push(element.tagName + " " + url);
    }
    for (const tag of ["base", "iframe", "object", "embed", "form", "svg", "math"]) {
        // Our own timeline chart is an SVG drawn from a template; the author's are not.
        for (const element of document.querySelectorAll("article " + tag + ":not(.pm-tl-svg)")) found.push(tag);
    }
    return found;
}"""


def project(root: Path) -> Path:
    pages = [*bodies(20), body(UNSEEN_LINE_BY_LINE)]
    files = {f"{name}.md": text for name, text in zip(NAMES, pages, strict=True)}
    return write_project(root, files, config=CONFIG)


def run(command: list[str], cwd: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built = {}
    root = tmp_path_factory.mktemp("xss-mkdocs")
    built["mkdocs"] = build_site(project(root))
    root = tmp_path_factory.mktemp("xss-properdocs")
    project(root)
    run([sys.executable, "-m", "properdocs", "build", "-q"], root)
    built["properdocs"] = root / "site"
    root = tmp_path_factory.mktemp("xss-zensical")
    project(root)
    run([sys.executable, "-m", "mkdocs_postmortems", "render", "--out", "docs"], root)
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent))
    assert zensical, "zensical is a test dependency: pip install -e '.[test]'"
    run([zensical, "build"], root)
    built["zensical"] = root / "site"
    return built


# Registered before any script of the page: what the Content-Security-Policy refused.
WATCH_POLICY = """window.__refused = [];
document.addEventListener("securitypolicyviolation", (event) =>
    window.__refused.push(event.violatedDirective + " " + event.blockedURI));"""

# The theme's search says "Initializing search" until its worker has loaded the index.
SEARCH_READY_OR_REFUSED = """() => window.__refused.length > 0 || !/^\\s*Initializing/.test(
    document.querySelector(".md-search-result__meta")?.textContent ?? "")"""


@pytest.fixture
def visit(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context()
    context.add_init_script(WATCH_POLICY)
    page = context.new_page()
    yield page
    screenshot_on_failure(request, page)
    context.close()


@pytest.mark.parametrize("generator", ["mkdocs", "properdocs", "zensical"])
def test_no_vector_runs_or_calls_out(sites: dict[str, Path], visit: Page, generator: str) -> None:
    page = visit
    dialogs: list[str] = []
    elsewhere: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve(sites[generator]) as base:

        def route(route: Route, request: Request) -> None:
            if request.url.startswith(base):
                route.continue_()
            else:
                elsewhere.append(request.url)
                route.abort()

        page.route("**/*", route)
        for name in NAMES:
            page.goto(f"{base}postmortems/{name}/", wait_until="load")
            # Images have failed by the load event; animations begin and details toggle
            # within the frames after it: their events have had their turn once the page
            # has drawn twice and its animations have ended.
            settle(page)
            page.mouse.move(200, 300)
            assert page.evaluate(LIVE) == [], name
            # The body was published, vectors and all, not shown as source or left out.
            assert page.get_by_text("The config service accepted a pool size").count() == 1
            # Nothing got as far as the policy (Zensical's pages have none: render cannot
            # know its theme's scripts).
            assert page.evaluate("window.__refused") == [], name
        assert dialogs == []
        assert elsewhere == [], f"requests to {ATTACKER} or elsewhere"


@pytest.mark.parametrize("generator", ["mkdocs", "properdocs"])
def test_the_policy_refuses_nothing_the_site_itself_does(
    sites: dict[str, Path], visit: Page, generator: str
) -> None:
    """The theme's inline scripts, its bundle, search and the incident explorer run under
    the Content-Security-Policy of the plugin's pages."""
    page = visit
    with serve(sites[generator]) as base:
        for url in ("", "incidents/", f"postmortems/{NAMES[0]}/"):
            page.goto(f"{base}{url}", wait_until="load")
            assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
            page.keyboard.press("/")  # opens the theme's search
            # Its worker answers (the search is ready), or the policy refused something.
            page.wait_for_function(SEARCH_READY_OR_REFUSED)
            assert page.evaluate("window.__refused") == [], url
        page.goto(f"{base}incidents/", wait_until="load")
        page.wait_for_selector("form[data-pm-explorer][data-pm-ready]")  # the explorer ran
