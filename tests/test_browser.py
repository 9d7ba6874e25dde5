"""The browser tests' own helpers (tests/browser.py): a failing browser test leaves a
screenshot, a site is built once for the run, and one page of each type is found in a
built site.

The browser tests themselves are ``test_browser_*.py``, one module per family of pages, so
that a parallel run (``--dist loadfile``) spreads them across its workers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from browser import built_once, chromium_path, page_types

TESTS = Path(__file__).resolve().parent

INNER_TEST = """
import pytest
from browser import chromium, screenshot_on_failure


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser, request):
    page = browser.new_page()
    page.set_content("<h1>Checkout is down</h1>")
    yield page
    screenshot_on_failure(request, page)
    page.close()


def test_fails(page):
    assert page.inner_text("h1") == "Checkout is up"


def test_passes(page):
    assert page.inner_text("h1") == "Checkout is down"
"""


@pytest.mark.browser
def test_a_failing_browser_test_leaves_a_screenshot(tmp_path: Path) -> None:
    """Run a failing and a passing test with this suite's conftest hook and helpers."""
    chromium_path()
    for name in ("conftest.py", "browser.py"):
        (tmp_path / name).write_text((TESTS / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "test_inner.py").write_text(INNER_TEST, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_inner.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    assert "1 failed, 1 passed" in result.stdout, result.stdout + result.stderr
    shots = sorted(p.name for p in (tmp_path / "artifacts").glob("*"))
    assert shots == ["test_fails.png"]
    assert (tmp_path / "artifacts" / "test_fails.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_site_is_built_once_and_again_after_a_failed_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    builds: list[Path] = []

    def build(folder: Path) -> None:
        builds.append(folder)
        (folder / "half").write_text("written before the failure", encoding="utf-8")
        if len(builds) == 1:
            raise RuntimeError("the first build fails")

    with pytest.raises(RuntimeError):
        built_once(tmp_path_factory, "twice", build)
    first = built_once(tmp_path_factory, "twice", build)
    again = built_once(tmp_path_factory, "twice", build)
    assert first == again
    assert len(builds) == 2  # built again after the failure, then not again
    assert sorted(p.name for p in first.iterdir()) == [".built", "half"]


def page(site: Path, url: str, html: str) -> None:
    path = site / url / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><body>{html}</body></html>", encoding="utf-8")


def test_page_types_are_shapes_and_the_richest_page_stands_for_its_type(tmp_path: Path) -> None:
    page(tmp_path, "", '<div class="pm-home">home</div>')
    page(tmp_path, "services", '<table class="pm-services"></table>')
    page(tmp_path, "services/auth", '<p class="pm-lead">one block</p>')
    page(tmp_path, "services/dns", '<p class="pm-lead"></p><table class="pm-items"></table>')
    page(tmp_path, "services/cdn", '<p class="pm-lead">a longer page, one kind</p>' * 5)
    page(tmp_path, "postmortems/a/review", '<div class="pm-pack"></div>')
    page(tmp_path, "adopt", "<p>Written by hand.</p>")
    # A code sample that shows the plugin's markup is text: still a hand-written page.
    page(tmp_path, "configuration", '<code>&lt;div class="pm-postmortem"&gt;</code>')
    assert page_types(tmp_path) == {
        "home": "./",
        "postmortems/*/*": "postmortems/a/review/",
        "services": "services/",
        "services/*": "services/dns/",
        "written": "adopt/",
    }


def programs(folder: Path, *names: str) -> str:
    """A folder of empty programs of these ``names``; return it, for PATH."""
    folder.mkdir()
    for name in names:
        (folder / name).write_text("#!/bin/sh\n", encoding="utf-8")
        (folder / name).chmod(0o755)
    return str(folder)


def test_the_headless_shell_is_driven_where_installed_and_chromium_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same Chromium without its interface costs less CPU per page: the tests drive it
    where it is installed, and the browser where it is not."""
    both = programs(tmp_path / "both", "chromium", "chromium-headless-shell")
    monkeypatch.setenv("PATH", both)
    assert chromium_path() == str(tmp_path / "both" / "chromium-headless-shell")
    monkeypatch.setenv("PATH", programs(tmp_path / "browser", "chromium"))
    assert chromium_path() == str(tmp_path / "browser" / "chromium")


def test_without_any_chromium_ci_fails_and_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", programs(tmp_path / "none"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        chromium_path()
