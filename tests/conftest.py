"""Shared fixtures: a valid post-mortem to mutate, and helpers that check text in a temp folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Finding
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase, load
from mkdocs_postmortems.rules import RULESET

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

VALID_NAME = "2026-03-04-checkout-config-push.md"

VALID = """\
---
title: Checkout API returned 500s after a config push
severity: SEV2
status: published
started: 2026-03-04T14:02:00Z
detected: 2026-03-04T14:09:00Z
resolved: 2026-03-04T15:30:00Z
published: 2026-03-06
authors: [Dana Whitfield]
facilitator: Omar Haddad
services: [checkout-api, config-service]
tags: [config, deploy]
impact:
  users_affected: 1200
  revenue: about 3% of hourly checkout volume
  data_loss: false
  customer_comms: status page update at 14:20
---

## Summary

A configuration push set the checkout connection pool size to zero.

## Timeline

| Time | Event |
|------|-------|
| 2026-03-04 14:02 | Config change rolled out to all regions |
| 14:09 | Error-rate alert paged the on-call engineer |
| 15:30 | Previous config restored, errors back to baseline |

## Impact

About 1,200 customers saw errors at checkout for 88 minutes.

## Root Causes

The config service accepted a pool size of zero because its schema had no minimum.

## What Went Well

The alert fired within seven minutes.

## What Could Be Improved

Config changes reach every region at once.

## Action Items

| Action | Owner | Due | Priority | Status | Ticket |
|--------|-------|-----|----------|--------|--------|
| Add a minimum of 1 to the pool size schema | Dana Whitfield | 2026-03-20 | P1 | done | OPS-101 |
| Roll config out one region at a time | Omar Haddad | 2026-04-15 | P2 | open | OPS-102 |
"""

DRAFT = """\
---
title: Search index rebuild stalled
severity: SEV1
status: draft
started: 2026-05-02T08:00:00Z
services: [search]
---

## Summary

The nightly index rebuild stalled and search served stale results.
"""


def isolated_git(home: Path) -> dict[str, str]:
    """Environment for git in tests: no user or system config, a fixed identity."""
    return {
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / "postmortems" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


Checker = Callable[..., list[Finding]]


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Checker:
    """Check one file's text (plus optional others) and return the findings for that file."""
    monkeypatch.chdir(tmp_path)

    def run(
        text: str | bytes,
        name: str = VALID_NAME,
        others: dict[str, str] | None = None,
        settings: Settings | None = None,
    ) -> list[Finding]:
        write(tmp_path, name, text)
        for other_name, other_text in (others or {}).items():
            write(tmp_path, other_name, other_text)
        kb = load(settings or Settings(root=tmp_path), RULESET)
        return [f for f in kb.findings if f.path == f"postmortems/{name}"]

    return run


@pytest.fixture
def kb_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., KnowledgeBase]:
    monkeypatch.chdir(tmp_path)

    def run(files: dict[str, str], settings: Settings | None = None) -> KnowledgeBase:
        for name, text in files.items():
            write(tmp_path, name, text)
        return load(settings or Settings(root=tmp_path), RULESET)

    return run


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for every browser test of the run: Playwright's sync API drives one at a
    time, so each module starting its own would fail after the first."""
    from browser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site (tests/browser_sites.py), built once for the whole run
    however many workers read it."""
    from browser import built_once
    from browser_sites import build_example

    return built_once(tmp_path_factory, "example", build_example) / "site"


@pytest.fixture(scope="session")
def example_url(example_site: Path) -> Iterator[str]:
    """The example site served on a free port of this worker."""
    from browser import serve

    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="session")
def example_kb() -> KnowledgeBase:
    """The example's post-mortems as the site reads them: what a page should show."""
    from mkdocs_postmortems.core.config_file import load_settings
    from mkdocs_postmortems.rules import RULES

    example = Path(__file__).resolve().parent.parent / "mkdocs.yml"
    return load(load_settings(example, RULES), RULESET)


@pytest.fixture(scope="session")
def extremes_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The generated site of extremes (tests/browser_sites.py), built once for the run and
    served on a free port of this worker."""
    from browser import built_once, serve
    from browser_sites import build_extremes

    with serve(built_once(tmp_path_factory, "extremes", build_extremes) / "site") as url:
        yield url


@pytest.fixture
def page(browser: Browser, example_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page of the example site in a context of its own; a screenshot if the test fails."""
    from browser import screenshot_on_failure

    context = browser.new_context(base_url=example_url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    screenshot_on_failure(request, page)
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Keep each phase's report on the item (``rep_call``): the browser tests screenshot
    failures."""
    report: pytest.TestReport = yield
    setattr(item, f"rep_{report.when}", report)
    # What a test printed or logged may hold a file name in bytes that are not UTF-8 (the
    # tests of such names do): kept as escapes, so the report can cross to a parallel
    # runner's main process.
    report.sections = [
        (title, text.encode("utf-8", "backslashreplace").decode("utf-8"))
        for title, text in report.sections
    ]
    return report


# What a test of each kind costs, roughly, against a test that runs in-process on a few
# files (1, some hundredths of a second of CPU): a MkDocs build of a small project one to
# two seconds, a browser test about as much again in Chromium. The walkthrough that installs
# the package with pip and pre-commit (a minute and a half, mostly waiting on pip) is
# weighted to start first whatever else the run holds.
COSTS = {"install": 50_000.0, "browser": 150.0, "build": 100.0, "subprocess": 30.0}
#: What a second of a test's time weighs against COSTS (a small build's second or two, 100).
SECOND = 60.0


def cost(item: pytest.Item) -> float:
    """A test's cost by its heaviest mark (``install``, ``browser``, ``build``,
    ``subprocess``), times the mark's ``pages`` when it has them (a browser test that walks
    a page of every type is as heavy as a module of one-page tests), or the ``seconds`` of
    its ``slow`` mark (a type check, many examples, a guard on a large input: long for a
    reason of its own, it would start last among the light modules and the other worker
    would wait for it); an unmarked test costs 1."""
    return max(
        (
            COSTS[mark.name] * mark.kwargs.get("pages", 1)
            if mark.name in COSTS
            else SECOND * mark.kwargs["seconds"]
            for mark in item.iter_markers()
            if mark.name in COSTS or mark.name == "slow"
        ),
        default=1.0,
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The heaviest modules first, so that the parallel run (``--dist loadfile``, which
    hands out whole modules in this order) starts them at once and ends on light ones:
    started last, one long module ran for minutes on one core after the other had
    finished everything else. Within a module, the order is the file's."""
    weight: dict[str, float] = {}
    for item in items:
        weight[item.nodeid.split("::")[0]] = weight.get(item.nodeid.split("::")[0], 0) + cost(item)
    items.sort(key=lambda item: -weight[item.nodeid.split("::")[0]])
