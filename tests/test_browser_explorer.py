"""The incident explorer of the example site, in a real Chromium: filters, sorting, pages of
rows, the address that keeps them, the keyboard, and the list without JavaScript.

The site is built once for the run (``example_site`` in conftest.py); a failing test leaves
a screenshot in tests/artifacts/. Without Chromium these tests skip (with how to install
it), except in CI, where they fail.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from browser import eventually, screenshot_on_failure, serve
from browser_sites import EXPLORER, ROWS, open_explorer, visible_ids
from mkdocs_postmortems.core.model import PostMortem

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from mkdocs_postmortems.core.knowledge_base import KnowledgeBase

pytestmark = pytest.mark.browser

ROW_HTML = "rows => rows.map(r => [r.dataset.id, r.outerHTML.replace(/>\\s*</g, '><')])"


def shown_count(page: Page) -> str:
    return page.locator("[data-pm-count]").inner_text().strip()


def minutes(pm: PostMortem) -> int | None:
    span = pm.time_to_resolve
    return int(span.total_seconds() // 60) if span is not None else None


def test_explorer_filters_by_severity_and_keeps_it_in_the_url(
    page: Page, example_kb: KnowledgeBase
) -> None:
    sev1 = {pm.id for pm in example_kb.indexed if pm.severity == "SEV1"}
    assert 0 < len(sev1) < len(example_kb.indexed)
    open_explorer(page)
    assert set(visible_ids(page)) == {pm.id for pm in example_kb.indexed}
    assert shown_count(page) == str(len(example_kb.indexed))

    page.locator("select[name=severity]").select_option("SEV1")
    shown = eventually(lambda: set(visible_ids(page)), lambda ids: ids == sev1)
    assert shown == sev1
    assert shown_count(page) == str(len(sev1))
    assert "severity=SEV1" in page.url
    assert "sort=" not in page.url  # defaults are left out

    other = page.context.new_page()
    open_explorer(other, query=page.url[page.url.index("?") :])
    assert other.locator("select[name=severity]").input_value() == "SEV1"
    assert visible_ids(other) == visible_ids(page)
    assert shown_count(other) == str(len(sev1))


def test_explorer_filters_titles_case_insensitively(page: Page, example_kb: KnowledgeBase) -> None:
    expected = {pm.id for pm in example_kb.indexed if "checkout" in pm.title.lower()}
    assert 0 < len(expected) < len(example_kb.indexed)
    open_explorer(page)
    page.locator("input[name=q]").press_sequentially("CheckOut")
    shown = eventually(lambda: set(visible_ids(page)), lambda ids: ids == expected)
    assert shown == expected
    assert shown_count(page) == str(len(expected))
    assert re.search(r"[?&]q=CheckOut\b", page.url, re.IGNORECASE), page.url


def test_explorer_sorts_by_duration_longest_first(page: Page, example_kb: KnowledgeBase) -> None:
    durations = sorted(
        (m for pm in example_kb.indexed if (m := minutes(pm)) is not None), reverse=True
    )
    open_explorer(page)
    page.locator("select[name=sort]").select_option("duration")

    def shown() -> list[int]:
        values: list[str] = page.locator(ROWS).evaluate_all(
            "rows => rows.filter(r => r.checkVisibility()).map(r => r.dataset.duration)"
        )
        return [int(v) for v in values if v]

    assert eventually(shown, lambda values: values == durations) == durations
    assert "sort=duration" in page.url


def test_explorer_reset_shows_everything_again(page: Page, example_kb: KnowledgeBase) -> None:
    form = open_explorer(page, query="?severity=SEV1&status=published")
    assert len(visible_ids(page)) < len(example_kb.indexed)
    form.locator("button[type=reset]").click()
    every = {pm.id for pm in example_kb.indexed}
    assert eventually(lambda: set(visible_ids(page)), lambda ids: ids == every) == every
    assert shown_count(page) == str(len(every))
    assert urlsplit(page.url).query == ""
    assert page.locator("select[name=severity]").input_value() == ""


def test_without_javascript_every_incident_is_listed(
    browser: Browser, example_url: str, example_kb: KnowledgeBase, request: pytest.FixtureRequest
) -> None:
    context = browser.new_context(base_url=example_url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("incidents/")
        assert page.locator(EXPLORER).count() == 1
        assert not page.locator(EXPLORER).is_visible()
        assert sorted(visible_ids(page)) == sorted(pm.id for pm in example_kb.indexed)
        assert shown_count(page) == str(len(example_kb.indexed))
    finally:
        screenshot_on_failure(request, page)
        context.close()


def test_explorer_shows_a_page_of_rows_and_more_on_demand(
    page: Page, example_kb: KnowledgeBase
) -> None:
    """At 10,000 incidents the explorer shows the first matches and a button for more."""

    def small_pages(route: object) -> None:
        response = route.fetch()  # type: ignore[attr-defined]
        body = re.sub(r'data-page-size="\d+"', 'data-page-size="5"', response.text())
        route.fulfill(response=response, body=body)  # type: ignore[attr-defined]

    page.route("**/incidents/", small_pages)
    open_explorer(page)
    total = len(example_kb.indexed)
    assert len(visible_ids(page)) == 5
    assert shown_count(page) == str(total)
    more = page.locator("button.pm-more")
    assert more.inner_text() == f"Show 5 more of {total - 5}"
    more.click()
    assert len(visible_ids(page)) == 10
    page.select_option(f"{EXPLORER} select[name=severity]", "SEV1")
    sev1 = sum(pm.severity == "SEV1" for pm in example_kb.indexed)
    assert len(visible_ids(page)) == min(5, sev1)
    assert more.is_hidden() == (sev1 <= 5)


def test_a_bar_of_the_insights_page_opens_the_filtered_explorer(page: Page) -> None:
    page.goto("reliability/")
    bar = page.locator("#per-month svg a").first
    href = bar.get_attribute("href") or ""
    query = dict(part.split("=", 1) for part in urlsplit(href).query.split("&"))
    page.goto(f"reliability/{href}")
    page.locator(EXPLORER).wait_for(state="visible", timeout=3_000)
    rows = page.locator(ROWS).evaluate_all(
        "rows => rows.filter(r => r.checkVisibility()).map(r => [r.dataset.severity, r.dataset.month])"
    )
    assert rows, f"no incident shown for {href}"
    assert all(row == [query["severity"], query["period"]] for row in rows)
    assert shown_count(page) == str(len(rows))


def test_explorer_filters_by_a_team_field_and_keeps_it_in_the_url(
    browser: Browser, tmp_path: Path
) -> None:
    """A select per ``extra_fields`` key (here a one-of and a list) filters the rows."""
    from conftest import VALID
    from sitebuild import build_site, write_project

    def incident(day: int, tier: str, teams: str) -> str:
        return (
            VALID.replace("published: 2026-03-06", f"published: 2026-03-{day + 2:02}")
            .replace("2026-03-04", f"2026-03-{day:02}")
            .replace("severity: SEV2\n", f"severity: SEV2\ncustomer_tier: {tier}\nteams: {teams}\n")
        )

    fields = {
        "customer_tier": {"type": "one-of", "values": ["gold", "silver"]},
        "teams": {"type": "list"},
    }
    config = write_project(
        tmp_path,
        {
            "2026-03-04-a.md": incident(4, "gold", "[payments]"),
            "2026-03-05-b.md": incident(5, "silver", "[payments, sre]"),
            "2026-03-06-c.md": incident(6, "silver", "[sre]"),
        },
        config={"plugins": ["search", {"postmortems": {"extra_fields": fields}}]},
    )
    with serve(build_site(config, strict=True)) as url:
        context = browser.new_context(base_url=url)
        context.set_default_timeout(10_000)
        page = context.new_page()
        try:
            open_explorer(page)
            page.locator("select[name=x-customer_tier]").select_option("silver")
            expected = ["2026-03-06-c", "2026-03-05-b"]
            assert eventually(lambda: visible_ids(page), lambda ids: ids == expected) == expected
            page.locator("select[name=x-teams]").select_option("payments")
            shown = eventually(lambda: visible_ids(page), lambda ids: ids == ["2026-03-05-b"])
            assert shown == ["2026-03-05-b"]
            assert "x-customer_tier=silver" in page.url
            assert "x-teams=payments" in page.url
            other = context.new_page()
            open_explorer(other, query=page.url[page.url.index("?") :])
            assert visible_ids(other) == ["2026-03-05-b"]
        finally:
            context.close()


def test_explorer_reads_url_values_in_any_case(page: Page, example_kb: KnowledgeBase) -> None:
    sev1 = {pm.id for pm in example_kb.indexed if pm.severity == "SEV1"}
    open_explorer(page, query="?severity=sev1&status=PUBLISHED")
    assert page.locator("select[name=severity]").input_value() == "SEV1"
    assert page.locator("select[name=status]").input_value() == "published"
    expected = {pm.id for pm in example_kb.indexed if pm.id in sev1 and pm.status == "published"}
    assert set(visible_ids(page)) == expected


def test_explorer_loads_the_incidents_the_page_leaves_out(
    page: Page, example_kb: KnowledgeBase
) -> None:
    """At 10,000 incidents the page lists the newest 500 and explorer.json holds them all:
    here the page is cut to 5 rows, as it would be, and the data file brings the others."""
    page.goto("incidents/")
    page.locator(EXPLORER).wait_for(state="visible")
    server_rows = dict(page.locator(ROWS).evaluate_all(ROW_HTML))
    assert len(server_rows) == len(example_kb.indexed)

    def cut(route: object) -> None:
        response = route.fetch()  # type: ignore[attr-defined]
        rows = re.findall(r"<tr data-id=.*?</tr>\n", response.text(), re.DOTALL)
        body = response.text().replace("".join(rows), "".join(rows[:5]))
        body = body.replace(
            " data-pm-incidents ", ' data-pm-incidents data-source="../postmortems/explorer.json" '
        )
        route.fulfill(response=response, body=body)  # type: ignore[attr-defined]

    page.route("**/incidents/?*", cut)
    page.route("**/incidents/", cut)
    every = {pm.id for pm in example_kb.indexed}
    sev1 = {pm.id for pm in example_kb.indexed if pm.severity == "SEV1"}
    open_explorer(page, query="?severity=SEV1")
    assert eventually(lambda: set(visible_ids(page)), lambda ids: ids == sev1) == sev1
    page.locator("select[name=severity]").select_option("")
    assert eventually(lambda: set(visible_ids(page)), lambda ids: ids == every) == every
    built = dict(page.locator(ROWS).evaluate_all(ROW_HTML))
    assert built == server_rows  # rows built from explorer.json are the page's own rows
