"""The example site from the keyboard, in a real Chromium: the explorer works without a
mouse. (Tab starting at the skip link and landing only on what shows, on every page type at
both widths, is walked in test_browser_page_types.py, on the load of each page its other
tests read.)

The site is built once for the run (``example_site`` in conftest.py); a failing test leaves
a screenshot in tests/artifacts/. Without Chromium these tests skip (with how to install
it), except in CI, where they fail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from browser import eventually
from browser_sites import (
    open_explorer,
    visible_ids,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from mkdocs_postmortems.core.knowledge_base import KnowledgeBase

pytestmark = pytest.mark.browser


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
