"""The sites the browser tests read: the repository's own example, and a generated one whose
incidents have the extremes a large knowledge base reaches.

What grows with a knowledge base, gathered into a few post-mortems rather than spread over
2,000: fifteen earlier incidents one incident repeats, fifteen overdue action items on one
page, the longest title of 2,000 synthetic incidents, and one owner with more open items
than a page of the follow-up view lists (so that the owner's page runs to a second one).
Ordinary synthetic incidents around them make the incidents page leave rows out, as it
does at any size past its first hundred.
"""

from __future__ import annotations

import logging
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from browser import page_types
from sitebuild import write_project

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
EPOCH = "1795564800"  # 2026-11-25T00:00:00Z, the day after the newest example incident
TODAY = date(2026, 11, 25)
#: The example incident most tests read: a timeline with every moment, related incidents.
ORDERS_DB = "2025-05-19-orders-db-connection-exhaustion"

#: The owner of more open items than a page of the follow-up view lists (200).
BUSIEST_OWNER = "Aleksandra Wiśniewska-Montgomery"
#: The longest title of the 2,000 synthetic incidents (tests/benchmarks/synthetic.py).
LONGEST_TITLE = "payments-gateway errors during incident 1999"
#: What scripts draw on a page beyond what it holds as built: search results, and the
#: follow-up view filtered by an owner (where an owner's name leads).
EXAMPLE_STATES = {
    "find/results": "find/?query=connection",
    "action-items/filtered": "action-items/?owner=Kenji+Watanabe",
}
REPEATED = 16  # incidents of one service and kind within the recurrence window
#: The newest of them, which repeats the fifteen before it.
REPEATS_SHOWN = f"{TODAY - timedelta(days=5)}-checkout-repeat-{REPEATED - 1}"
ITEMS = 15  # overdue action items on the page of the longest title
FILLER = 100  # ordinary incidents, so that the incidents page leaves rows out


#: Beside the example's ``site``: each warning its build logged, one a line.
WARNINGS = "warnings.txt"


class Warnings(logging.Handler):
    """The warnings logged under ``mkdocs`` (configuration, plugins, pages): what
    ``mkdocs build --strict`` counts to fail a build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().replace("\n", " "))


def build_example(folder: Path) -> None:
    """The repository's own site, built like ``mkdocs build`` into ``folder/site``; the
    warnings that would fail ``--strict`` go to ``folder/warnings.txt`` rather than stop the
    build, so that the browser tests still read the site and one test fails on them."""
    warnings = Warnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(ROOT)
            patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
            build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(folder / "site")))
    finally:
        logger.removeHandler(warnings)
    (folder / WARNINGS).write_text("".join(f"{m}\n" for m in warnings.messages), "utf-8")


def build_extremes(folder: Path) -> None:
    """The generated knowledge base of extremes, built into ``folder/site``."""
    if str(TESTS / "benchmarks") not in sys.path:
        sys.path.insert(0, str(TESTS / "benchmarks"))
    from synthetic import write_knowledge_base

    write_knowledge_base(folder, FILLER)
    for name, text in extreme_postmortems().items():
        path = folder / "postmortems" / name[:4] / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    write_project(
        folder, {}, docs={"index.md": "# Knowledge base\n\n<!-- postmortems:overdue -->\n"}
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(load_config(str(folder / "mkdocs.yml"), site_dir=str(folder / "site")))


def extreme_postmortems() -> dict[str, str]:
    """The post-mortems of extremes, by file name."""
    files = {}
    # Each of the newest repeats every one before it: one service, one kind, 5 days apart.
    for number in range(REPEATED):
        day = TODAY - timedelta(days=5 * (REPEATED - number))
        files[f"{day}-checkout-repeat-{number}.md"] = postmortem(
            f"Checkout errors after a configuration push, again ({number})", day, 14
        )
    day = TODAY - timedelta(days=200)
    files[f"{day}-longest-title.md"] = postmortem(LONGEST_TITLE, day, ITEMS)
    return files


def postmortem(title: str, day: date, items: int) -> str:
    """A published post-mortem of ``checkout-api`` started on ``day``, with ``items`` open
    action items of :data:`BUSIEST_OWNER`, every one overdue."""
    front = [
        f'title: "{title}"',
        "severity: SEV2",
        "status: published",
        f"started: {day}T14:02:00Z",
        f"detected: {day}T14:09:00Z",
        f"resolved: {day}T15:30:00Z",
        f"published: {day + timedelta(days=2)}",
        f"reviewed: {day + timedelta(days=32)}",
        "authors: [Dana Whitfield]",
        "facilitator: Omar Haddad",
        "services: [checkout-api, config-service]",
        "tags: [config, deploy]",
    ]
    rows = [
        f"| Add a load test for checkout-api covering case {n} "
        f"| {BUSIEST_OWNER} | {day + timedelta(days=3 + n)} | P1 | open | OPS-{4000 + n} |"
        for n in range(items)
    ]
    front_matter = "\n".join(front)
    table = "\n".join(rows)
    return f"""---
{front_matter}
---

## Summary

A configuration push set the checkout connection pool size to zero, and checkout returned
errors until the previous configuration was restored.

## Timeline

| Time | Event |
|------|-------|
| {day} 14:02 | Config change rolled out to all regions |
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
{table}
"""


# Reading the sites' pages.


def example_page_types(site: Path) -> dict[str, str]:
    """One page of each type of the example ``site``, and each state scripts draw, by type."""
    return {**page_types(site), **EXAMPLE_STATES}


def wait_until_drawn(page: Page, url: str) -> None:
    """Wait for what the page's script draws after it has loaded: search results."""
    if url.startswith("find/?"):
        page.locator(".pagefind-ui__result").first.wait_for()


#: The rows of the incidents page and its explorer.
ROWS = "table[data-pm-incidents] tbody tr"
EXPLORER = "form[data-pm-explorer]"


def open_explorer(page: Page, query: str = "") -> Locator:
    """The incidents page with its explorer; fail plainly if the script did not show it."""
    page.goto(f"incidents/{query}")
    form = page.locator(EXPLORER)
    assert form.count() == 1, "no form[data-pm-explorer] on /incidents/"
    form.wait_for(state="visible", timeout=3_000)
    return form


def visible_ids(page: Page) -> list[str]:
    """The ids of the incident rows a reader sees, in page order."""
    ids: list[str] = page.locator(ROWS).evaluate_all(
        "rows => rows.filter(r => r.checkVisibility()).map(r => r.dataset.id)"
    )
    return ids


def catalogue(page: Page) -> list[dict[str, object]]:
    """The incidents of the site ``page`` is on, from its catalogue, newest first."""
    incidents: list[dict[str, object]] = page.evaluate(
        "fetch('/postmortems/catalog.json').then(r => r.json()).then(c => c.incidents)"
    )
    return incidents


# The top of the Summary's first line, and its height, in page coordinates.
SUMMARY_LINE = """() => {
  const heading = document.getElementById('summary');
  const first = heading && heading.nextElementSibling;
  if (!first) return null;
  const range = document.createRange();
  range.selectNodeContents(first);
  const line = range.getClientRects()[0];
  return [line.top + window.scrollY, line.height];
}"""


def summaries_below(
    page: Page, ids: list[str], viewport: dict[str, int]
) -> tuple[dict[str, float], int]:
    """The pages among ``ids`` whose Summary's first line ends below the first screen (with
    where it ends), and how many pages had a Summary to measure."""
    below: dict[str, float] = {}
    checked = 0
    for ident in ids:
        page.goto(f"postmortems/{ident}/")
        found = page.evaluate(SUMMARY_LINE)
        if found is None:
            continue
        checked += 1
        top, height = found
        if top + height > viewport["height"]:
            below[ident] = top + height
        assert page.locator(".pm-oneline").is_visible(), ident
    return below, checked
