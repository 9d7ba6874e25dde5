"""Helpers for the browser tests: build and serve a site, drive Debian's Chromium.

Playwright drives the system Chromium (``apt-get install chromium``): ``playwright install``
downloads its own browsers, which a CI runner without network access cannot do. Where
Debian's headless shell of the same Chromium is installed too (``apt-get install
chromium-headless-shell``, as CI does), it is the one driven: the same Blink without the
browser's own interface, which is what Playwright itself runs headless, and about a tenth
less CPU for the same pages.

A site the browser tests read is built once per run (:func:`built_once`), whichever worker
of a parallel run asks first; each worker starts one Chromium and serves the site itself,
and each test opens a fresh context (a new profile, in milliseconds).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import pytest
from filelock import FileLock

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these, Chromium keeps calling home, and a closed network makes that slow.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
T = TypeVar("T")
#: The first screen of a phone, 390 by 844 CSS pixels (an iPhone 12 to 15).
PHONE = {"width": 390, "height": 844}
#: The Chromium programs the tests can drive, the one to prefer first.
EXECUTABLES = ("chromium-headless-shell", "chromium")
INSTALL_HINT = (
    "the browser tests need Chromium and Playwright for Python: "
    "`apt-get install chromium chromium-headless-shell` and `pip install -e '.[test]'` "
    '(deselect them knowingly with -m "not browser")'
)


def chromium_path() -> str:
    """The system Chromium, its headless shell where installed (:data:`EXECUTABLES`);
    without either, skip (fail in CI: the browser tests must run there)."""
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append("playwright is not installed")
    path = next(filter(None, map(shutil.which, EXECUTABLES)), None)
    if path is None:
        missing.append("neither chromium-headless-shell nor chromium is on PATH")
    if missing:
        message = f"{'; '.join(missing)}: {INSTALL_HINT}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    assert path is not None
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the duration of the block."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of one access-log line per request."""


class _QuietServer(ThreadingHTTPServer):
    """A browser that closes a page mid-download is not an error worth a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on a free port of 127.0.0.1; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# Resolves once every animation and transition of the page that has an end has ended (the
# theme's search opening, a drawer sliding). It waits two frames first, so that a transition
# the last key press started is counted; the theme's endless ones (a spinner) are not.
SETTLED = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() =>
  Promise.allSettled(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map(a => a.finished)).then(() => done(true)))))"""


def settle(page: Page) -> None:
    """Wait until ``page`` has finished moving: as long as its transitions take, and no
    longer (a fixed pause costs its whole length at every step)."""
    page.evaluate(SETTLED)


# Brings the page at once to where its animations and transitions that have an end would
# leave it: each is finished (Animation.finish(), its end state and its end events), after
# the two frames that let the last key press or change of palette start its own. Where the
# page ends up is what waiting for them shows, without waiting: a link's colour fades for
# 125 ms at each Tab stop, the theme's palette for 250 ms, and waiting out each was most of
# a walk's time. A transition that a finished one starts is finished in turn (a few rounds
# at most); the theme's endless ones (a spinner) are left running.
FINISHED = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => {
  for (let round = 0; round < 5; round++) {
    const moving = document.getAnimations().filter(a => a.playState !== 'finished'
      && a.effect && a.effect.getComputedTiming().endTime !== Infinity);
    if (moving.length === 0) break;
    moving.forEach(a => a.finish());
  }
  done(true);
})))"""


def finish_moving(page: Page) -> None:
    """Bring ``page`` at once to where its transitions end (:data:`FINISHED`): the state a
    test reads, without the time they take to get there."""
    page.evaluate(FINISHED)


def screenshot_on_failure(request: pytest.FixtureRequest, page: Page) -> Path | None:
    """Save a screenshot of ``page`` if the test failed, a PNG (every pixel as drawn);
    return where it went.

    Reads the report that the ``pytest_runtest_makereport`` hook in conftest.py keeps on
    the test item (``rep_call``).
    """
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return None
    return save_screenshot(page, request.node.name, image="png")


#: The quality of the screenshots kept for review: text and colours read as on screen.
JPEG_QUALITY = 90


def save_screenshot(
    page: Page,
    name: str,
    folder: Path = ARTIFACTS,
    *,
    full_page: bool = True,
    image: Literal["jpeg", "png"] = "jpeg",
) -> Path:
    """A picture of ``page`` at ``folder/<name>.jpeg`` (or ``.png``; the name made
    file-safe): the whole page, or its first screen. The screenshots kept for review are
    JPEG: a tall page's PNG took Chromium a third more CPU to encode, at every run."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.{image}"
    quality = JPEG_QUALITY if image == "jpeg" else None
    page.screenshot(path=str(path), full_page=full_page, type=image, quality=quality)
    return path


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """The folder ``build`` fills, built once for the whole run: the first worker of a
    parallel run to ask builds it under a lock in the run's shared temporary folder, the
    others wait and read it (pytest-xdist's recipe for session data). A build that failed
    half-way is started again from an empty folder."""
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker has its own folder inside the run's; alone, the run's own
    # folder is the one to use (its parent holds earlier runs).
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / f"built-{name}"
    with FileLock(shared / f"built-{name}.lock"):
        done = folder / ".built"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


def eventually(read: Callable[[], T], ok: Callable[[T], bool], timeout: float = 5.0) -> T:
    """Read until ``ok`` holds or time is up; return the last value for the assertion.

    Search results and the explorer update after key events, asynchronously.
    """
    deadline = time.monotonic() + timeout
    value = read()
    while not ok(value) and time.monotonic() < deadline:
        time.sleep(0.05)
        value = read()
    return value


def new_page(
    browser: Browser,
    base_url: str,
    width: int = 1280,
    *,
    height: int = 900,
    scheme: str = "light",
    timeout: float = 10_000,
) -> Page:
    """A page in a context of its own at ``width`` by ``height``, in the light or dark
    palette (the site's palette follows the reader's system setting); close its context."""
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": width, "height": height},
        color_scheme="dark" if scheme == "dark" else "light",
    )
    context.set_default_timeout(timeout)
    return context.new_page()


def page_types(site: Path) -> dict[str, str]:
    """One page of each type the built ``site`` holds, by type: of the pages of one type,
    the one with the most kinds of the plugin's elements (the most banners, blocks and
    tables), the smallest of those.

    A page's type is its first folder and its depth (``postmortems/<id>/`` is
    ``postmortems/*``, ``postmortems/<id>/review/`` is ``postmortems/*/*``,
    ``services/<name>/`` is ``services/*``); the pages the plugin draws nothing on (the
    hand-written documentation, without an element of class ``pm-...``) are one type,
    ``written``. A new kind of page is found without a change here.
    """
    chosen: dict[str, tuple[int, int, str]] = {}
    for path in sorted(site.rglob("index.html")):
        parts = path.parent.relative_to(site).parts
        text = path.read_text(encoding="utf-8")
        # In a tag's own attributes: a code sample that shows the markup is text, not a tag.
        kinds = len(set(re.findall(r'<[a-z][^<>]*\bclass="(pm-[\w-]+)', text)))
        if not kinds:
            kind = "written"
        else:
            kind = "/".join([*parts[:1], *["*"] * (len(parts) - 1)]) or "home"
        url = "".join(f"{part}/" for part in parts) or "./"
        if kind not in chosen or (-kinds, len(text)) < (-chosen[kind][0], chosen[kind][1]):
            chosen[kind] = (kinds, len(text), url)
    return {kind: url for kind, (*_, url) in sorted(chosen.items())}
