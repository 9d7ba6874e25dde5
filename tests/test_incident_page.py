"""The incident page: the one-line header, the Summary before the fact card, the overdue
items named, ticket links, the visual timeline; the ``tickets`` option; skip links."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import VALID
from mkdocs_postmortems.core.config import ConfigError, Settings, settings_from_options
from mkdocs_postmortems.site.links import ticket_url
from mkdocs_postmortems.site.render import tickets
from mkdocs_postmortems.site.timeline_chart import timeline_chart, timeline_rows
from mkdocs_postmortems.site.views import Formatter
from sitebuild import build_site, html, write_project

# 2026-06-01T00:00:00Z: the open item due 2026-04-15 is 47 days late.
EPOCH = "1780272000"
PAGE = "postmortems/2026-03-04-checkout-config-push"
PATTERN = "https://tracker.example/browse/{id}"
MITIGATED = VALID.replace(
    "| 15:30 | Previous config restored",
    "| 14:40 | Pool size raised by hand in one region: errors mitigated |\n| 15:30 | Previous config restored",
).replace("tags: [config, deploy]", "tags: [config, deploy]\nreviewed: 2026-05-30")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incident-page")
    config = write_project(
        root,
        {"2026-03-04-checkout-config-push.md": MITIGATED},
        config={"plugins": ["search", {"postmortems": {"tickets": {"OPS": PATTERN}}}]},
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build_site(config)


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip()


def test_one_line_header_says_severity_duration_impact_status_and_deadline(site: Path) -> None:
    page = html(site, PAGE)
    line = re.search(r'<p class="pm-oneline">(.*?)</p>', page)
    assert line is not None
    assert text(line[1]) == "SEV2 · 1 h 28 min · 1,200 users · published · 1 action item overdue"


def test_summary_comes_before_the_fact_card_and_the_card_shows_reviewed(site: Path) -> None:
    page = html(site, PAGE)
    summary, card = page.index('<h2 id="summary">'), page.index('<div class="pm-card" id="facts">')
    assert page.index('<p class="pm-oneline">') < summary < card < page.index('id="timeline"')
    assert "<dt>Reviewed</dt> <dd>2026-05-30</dd>" in page
    assert "reviewed 2026-05-30" in text(page[:summary])


def test_overdue_banner_names_the_item_owner_due_date_and_ticket(site: Path) -> None:
    page = html(site, PAGE)
    banner = page[page.index("pm-banner-items") : page.index('<h2 id="summary">')]
    assert "1 action item overdue" in banner
    assert (
        "Roll config out one region at a time: Omar Haddad, due 2026-04-15 (47 days late), OPS-102"
        in text(banner)
    )
    assert '<a class="pm-ticket-link" href="https://tracker.example/browse/OPS-102">' in banner
    assert 'href="#action-items"' in banner


def test_action_items_table_links_every_ticket_of_a_configured_project(site: Path) -> None:
    table = html(site, PAGE).split('class="pm-table pm-action-items', 1)[1]
    links = re.findall(r'<a class="pm-ticket-link" href="([^"]+)">', table)
    assert links[:2] == [
        "https://tracker.example/browse/OPS-101",
        "https://tracker.example/browse/OPS-102",
    ]


def test_visual_timeline_draws_the_four_moments_above_the_table(site: Path) -> None:
    page = html(site, PAGE)
    figure = page[page.index('<figure class="pm-tl">') : page.index("</figure>")]
    assert re.findall(r'data-moment="(\w+)"', figure) == [
        "started",
        "detected",
        "mitigated",
        "resolved",
    ]
    assert "Time to detect 7 min" in text(figure)
    assert "Time to resolve 1 h 28 min" in text(figure)
    assert page.index("</figure>") < page.index('<div class="pm-table pm-timeline">')
    # The drawing is decoration for the words beside it: nothing in it takes the focus.
    assert 'aria-hidden="true" focusable="false"' in figure


def test_every_generated_page_offers_the_theme_skip_link(site: Path) -> None:
    for url in ("incidents", "incidents/2026", "severity", "services", "action-items", "overdue"):
        page = html(site, url)
        skip = re.search(r'<a href="(#[^"]+)" class="md-skip">', page)
        assert skip is not None, url
        assert page.count("<h1") == 1, url
        assert f'<h1 id="{skip[1][1:]}">' in page, url


FORMAT = Formatter(Settings())


def at(clock: str) -> datetime:
    return datetime.fromisoformat(f"2026-03-04T{clock}:00+00:00")


def test_timeline_chart_places_moments_on_one_axis() -> None:
    chart = timeline_chart(at("14:00"), at("14:10"), at("16:00"), [], FORMAT)
    assert chart is not None
    assert [(m.name, m.x, m.time) for m in chart.moments] == [
        ("started", 8, "14:00"),
        ("detected", 90, "14:10"),
        ("resolved", 992, "16:00"),
    ]
    assert [(s.kind, s.length) for s in chart.spans] == [
        ("detect", "10 min"),
        ("resolve", "2 h"),
    ]


@pytest.mark.parametrize(
    ("event", "found"),
    [
        ("Rolled back the release", True),
        ("Rollback finished", True),
        ("Service restored for EU users", True),
        ("Rolled out the new config", False),
        ("Mitigation: traffic drained", True),
    ],
)
def test_a_mitigation_is_the_first_row_between_detection_and_resolution_saying_so(
    event: str, found: bool
) -> None:
    from mkdocs_postmortems.site.timeline_chart import Row

    rows = [Row(at("14:05"), "Restored nothing yet"), Row(at("14:30"), event)]
    chart = timeline_chart(at("14:00"), at("14:10"), at("16:00"), rows, FORMAT)
    assert chart is not None
    mitigated = [m.time for m in chart.moments if m.name == "mitigated"]
    assert mitigated == (["14:30"] if found else [])


def test_timeline_rows_take_the_date_of_the_row_above_and_skip_unreadable_times() -> None:
    from mkdocs_postmortems.core.markdown import read_body

    body = read_body(
        "## Timeline\n\n| Time | Event |\n|---|---|\n| 2026-03-04 23:50 | a |\n"
        "| soon | b |\n| 2026-03-05 00:10 | `c` |\n| 00:20 | d |\n",
        1,
    )
    section = body.section("Timeline")
    assert section is not None
    rows = timeline_rows(section.table(), at("23:50"), timezone.utc)
    assert [(r.at.isoformat(), r.event) for r in rows] == [
        ("2026-03-04T23:50:00+00:00", "a"),
        ("2026-03-05T00:10:00+00:00", "c"),
        ("2026-03-05T00:20:00+00:00", "d"),
    ]


def test_a_chart_over_two_days_shows_the_month_and_day_in_the_configured_zone() -> None:
    from mkdocs_postmortems.site.render import render
    from mkdocs_postmortems.site.timeline_chart import SPAN, Row

    fmt = Formatter(Settings(timezone="Asia/Tokyo"))
    rows = [Row(at("14:05"), "*Paged* the on-call"), Row(at("15:30"), "")]
    chart = timeline_chart(at("14:00"), None, at("16:00"), rows, fmt)
    assert chart is not None
    # 14:00 UTC is 23:00 in Tokyo, 16:00 UTC the next day's 01:00: both days are named.
    assert [m.time for m in chart.moments] == ["03-04 23:00", "03-05 01:00"]
    assert [t.title for t in chart.ticks] == ["03-04 23:05 *Paged* the on-call", "03-05 00:30"]
    assert (chart.start, chart.end) == ("2026-03-04 23:00 JST", "2026-03-05 01:00 JST")
    # The legend's <time> holds the moment as written, whatever zone the words are in.
    drawn = render("timeline_chart.html", chart=chart, span=SPAN, pagefind=False)
    assert '<time datetime="2026-03-04T14:00:00+00:00">03-04 23:00</time>' in drawn
    assert '<time datetime="2026-03-04T16:00:00+00:00">03-05 01:00</time>' in drawn


def test_no_chart_without_a_stretch_of_time() -> None:
    assert timeline_chart(None, None, None, [], FORMAT) is None
    assert timeline_chart(at("14:00"), at("14:00"), at("14:00"), [], FORMAT) is None


# --- The tickets option -------------------------------------------------------------------


def settings(tickets: object) -> Settings:
    return settings_from_options({"tickets": tickets}, Path("."), [])


def test_tickets_option_maps_project_keys_to_patterns() -> None:
    assert settings({"OPS": PATTERN, "SEC_2": "http://t.example/{id}"}).tickets == {
        "OPS": PATTERN,
        "SEC_2": "http://t.example/{id}",
    }
    assert Settings().tickets == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["OPS"], "option 'postmortems.tickets' must map project keys to URL patterns"),
        ({"ops": PATTERN}, "a project key is capital letters"),
        ({"OPS": "javascript:alert({id})"}, "must be an http:// or https:// URL"),
        ({"OPS": "//tracker.example/{id}"}, "must be an http:// or https:// URL"),
        ({"OPS": 3}, "must be an http:// or https:// URL"),
        ({"OPS": "https://tracker.example/browse/"}, "must hold {id}"),
        (
            {"OPS": "https://tracker.example/{ids}"},
            "unknown placeholder '{ids}' (did you mean 'id'?)",
        ),
    ],
)
def test_a_bad_tickets_option_is_a_one_line_error(value: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings(value)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_misspelt_tickets_option_is_suggested() -> None:
    with pytest.raises(ConfigError, match=r"did you mean 'tickets'"):
        settings_from_options({"ticket": {}}, Path("."), [])


def test_ticket_url_is_http_only_and_encodes_the_id() -> None:
    patterns = {"OPS": PATTERN, "Q": "https://t.example/?q={id}&x=1"}
    assert ticket_url("OPS-2620", patterns) == "https://tracker.example/browse/OPS-2620"
    assert ticket_url("Q-1", patterns) == "https://t.example/?q=Q-1&x=1"
    assert ticket_url("SEC-1", patterns) == ""  # no pattern for its project
    assert ticket_url("OPS-1 x", patterns) == ""  # not a ticket id
    # A pattern that did not come through the option is still held to http(s).
    assert ticket_url("OPS-1", {"OPS": "javascript:{id}"}) == ""


def test_tickets_in_a_cell_become_links_and_the_rest_stays_escaped() -> None:
    cell = tickets("OPS-1, SEC-2 and <b>OPS-3</b> `OPS-4`", {"OPS": PATTERN})
    assert str(cell) == (
        '<a class="pm-ticket-link" href="https://tracker.example/browse/OPS-1">OPS-1</a>'
        ", SEC-2 and &lt;b&gt;"
        '<a class="pm-ticket-link" href="https://tracker.example/browse/OPS-3">OPS-3</a>'
        "&lt;/b&gt; <code>OPS-4</code>"
    )
    assert str(tickets("OPS-1 <i>", {})) == "OPS-1 &lt;i&gt;"


@pytest.mark.build
def test_edit_link_leads_to_the_postmortem_file_in_the_repository(tmp_path: Path) -> None:
    """mkdocs-material's "edit this page" button, for a page whose file is outside docs/."""
    config = write_project(
        tmp_path,
        {"2026/2026-03-04-checkout-config-push.md": VALID},
        config={
            "repo_url": "https://git.example/team/kb/",
            "edit_uri": "edit/main/docs/",
            "theme": {"name": "material", "features": ["content.action.edit"]},
        },
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        page = html(build_site(config), PAGE)
    edit = re.search(r'<a href="([^"]+)"[^>]*class="md-content__button md-icon"', page)
    assert edit is not None
    assert (
        edit[1]
        == "https://git.example/team/kb/edit/main/postmortems/2026/2026-03-04-checkout-config-push.md"
    )


def test_the_overdue_banner_names_three_items_and_links_to_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the Summary, a banner naming every late item pushed the story off a phone's
    first screen."""
    late = "".join(
        f"| Late step {n} | Omar Haddad | 2026-04-{10 + n} | P2 | open | OPS-{110 + n} |\n"
        for n in range(1, 5)
    )
    text = MITIGATED.replace("| P2 | open | OPS-102 |\n", "| P2 | open | OPS-102 |\n" + late)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = build_site(write_project(tmp_path, {"2026-03-04-checkout-config-push.md": text}))
    page = html(site, PAGE)
    banner = page[page.index("pm-banner-items") : page.index('<h2 id="summary">')]
    assert "5 action items overdue" in banner
    assert banner.count("<li>") == 3
    assert '<a href="#action-items">2 more in the table</a>' in banner
