"""Helpers for the browser tests: build and serve a site, drive Debian's Chromium.

Playwright drives the system Chromium (``apt-get install chromium``): ``playwright install``
downloads its own browsers, which a CI runner without network access cannot do.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

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
INSTALL_HINT = (
    "the browser tests need Chromium and Playwright for Python: "
    "`apt-get install chromium` and `pip install -e '.[test]'` "
    '(deselect them knowingly with -m "not browser")'
)


def chromium_path() -> str:
    """The system Chromium; without it, skip (fail in CI: the browser tests must run there)."""
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append("playwright is not installed")
    path = shutil.which("chromium")
    if path is None:
        missing.append("chromium is not on PATH")
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


def screenshot_on_failure(request: pytest.FixtureRequest, page: Page) -> Path | None:
    """Save a screenshot of ``page`` if the test failed; return where it went.

    Reads the report that the ``pytest_runtest_makereport`` hook in conftest.py keeps on
    the test item (``rep_call``).
    """
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return None
    return save_screenshot(page, request.node.name)


def save_screenshot(page: Page, name: str, folder: Path = ARTIFACTS) -> Path:
    """A full-page PNG of ``page`` at ``folder/<name>.png`` (the name made file-safe)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
