"""Facts as links, the services' and owners' pages, the follow-up view and the home page:
one real build of a small knowledge base for the module, asserting on the HTML and JSON."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import VALID
from mkdocs_postmortems.site import follow_up
from mkdocs_postmortems.site.home import one_line
from mkdocs_postmortems.site.links import slugs
from sitebuild import build_site, html, write_project

# 2026-06-01T00:00:00Z.
EPOCH = "1780272000"
TODAY = date(2026, 6, 1)
HEAD = "| Action | Owner | Due | Priority | Status | Ticket |\n|--------|-------|-----|----------|--------|--------|\n"


def incident(
    day: str, slug: str, severity: str, services: str, items: list[str]
) -> tuple[str, str]:
    body = VALID[: VALID.index("| Action |")] + HEAD + "\n".join(items) + "\n"
    text = (
        body.replace("2026-03-04", day)
        .replace("severity: SEV2", f"severity: {severity}")
        .replace("published: 2026-03-06", f"published: {day}")
        .replace("services: [checkout-api, config-service]", f"services: [{services}]")
        .replace("title: Checkout API returned 500s after a config push", f"title: {slug} title")
        .replace("tags: [config, deploy]", "tags: [config, deploy]\nreviewed: 2026-05-30")
    )
    return f"{day}-{slug}.md", text


FILES = dict(
    [
        incident(
            "2026-01-10",
            "cdn-outage",
            "SEV3",
            "cdn",
            [
                "| Purge the edge cache on deploy | Lucía Benítez | 2026-01-30 | P2 | open | OPS-1 |",
                "| Page on stale-ratio alerts | Omar Haddad | 2026-05-25 | P0 | open | OPS-2 |",
            ],
        ),
        incident(
            "2026-03-04",
            "checkout-push",
            "SEV2",
            "checkout-api, config-service",
            [
                "| Add a minimum pool size | Dana Whitfield | 2026-03-20 | P1 | done | OPS-3 |",
                "| Roll config one region at a time | Omar Haddad | 2026-04-15 | P2 | open | OPS-4 |",
            ],
        ),
        incident(
            "2026-02-20",
            "auth-certificate",
            "SEV1",
            "auth",
            [
                "| Alert thirty days before expiry | Omar Haddad | 2026-06-05 | P1 | open | OPS-5 |",
                "| Move certificates to the vault | Lucía Benítez | 2026-12-01 | P3 | in-progress | OPS-6 |",
            ],
        ),
    ]
)
#: The open items, most urgent first: overdue (P0, then the two P2s, the SEV2's before the
#: SEV3's), then due within two weeks, then later.
URGENT_FIRST = [
    "Page on stale-ratio alerts",
    "Roll config one region at a time",
    "Purge the edge cache on deploy",
    "Alert thirty days before expiry",
    "Move certificates to the vault",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("links")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        write_project(root, FILES, docs={"index.md": "# Home\n\n<!-- postmortems:overdue -->\n"})
        return build_site(root / "mkdocs.yml")


def hrefs(page: str, kind: str) -> list[str]:
    return re.findall(rf'<a class="{kind}" href="([^"]+)"', page)


def test_the_facts_of_an_incident_lead_to_what_shares_them(site: Path) -> None:
    page = html(site, "postmortems/2026-03-04-checkout-push")
    assert '<a class="pm-badge-link" href="../../severity/#sev2">' in page
    assert hrefs(page, "pm-chip")[:4] == [
        "../../services/checkout-api/",
        "../../services/config-service/",
        "../../incidents/?tag=config",
        "../../incidents/?tag=deploy",
    ]
    assert '<a class="pm-date-link" href="../../incidents/2026/">' in page
    assert '<a class="pm-badge-link" href="../../incidents/?status=published">' in page
    service = html(site, "services/checkout-api")
    assert 'href="../../postmortems/2026-03-04-checkout-push/"' in service
    assert "2026-01-10-cdn-outage" not in service
    severity = html(site, "severity")
    assert 'id="sev2"' in severity


def test_an_incident_page_has_breadcrumbs_and_its_neighbours_in_time(site: Path) -> None:
    page = html(site, "postmortems/2026-02-20-auth-certificate")
    crumbs = page[page.index('class="pm-crumbs"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert re.findall(r'href="([^"]+)"', crumbs) == [
        "../../",
        "../../incidents/",
        "../../incidents/2026/",
    ]
    pager = page[page.index('class="pm-pager pm-incident-pager"') :]
    assert 'rel="prev" href="../2026-01-10-cdn-outage/"' in pager
    assert 'rel="next" href="../2026-03-04-checkout-push/"' in pager
    oldest = html(site, "postmortems/2026-01-10-cdn-outage")
    assert 'rel="prev"' not in oldest[oldest.index("pm-incident-pager") :]


def test_a_service_page_shows_its_open_items_and_time_to_resolve(site: Path) -> None:
    page = html(site, "services/cdn")
    assert '<h1 id="cdn">cdn</h1>' in page
    assert "Purge the edge cache on deploy" in page
    assert "Page on stale-ratio alerts" in page
    assert "Roll config one region at a time" not in page
    trend = page[page.index('id="time-to-resolve"') :]
    assert '<td data-label="Incidents">1</td>' in trend
    assert "1 h 28 min" in trend  # 14:02 to 15:30


def test_an_owner_page_lists_exactly_their_open_items_most_urgent_first(site: Path) -> None:
    page = html(site, "action-items/owner/omar-haddad")
    listed = [a for a in URGENT_FIRST if a in page]
    assert listed == [
        "Page on stale-ratio alerts",
        "Roll config one region at a time",
        "Alert thirty days before expiry",
    ]
    assert sorted(listed, key=page.index) == listed
    assert "3 open action items, <strong>2 overdue</strong>" in page
    incident = html(site, "postmortems/2026-03-04-checkout-push")
    assert (
        '<a class="pm-owner" href="../../action-items/owner/omar-haddad/">Omar Haddad</a>'
        in incident
    )
    # Dana's only item is done: no page, and her name is plain text.
    assert not (site / "action-items" / "owner" / "dana-whitfield").exists()
    assert (site / "action-items" / "owner" / "lucia-benitez" / "index.html").exists()


def test_the_follow_up_view_orders_by_urgency_and_counts_by_owner_and_service(site: Path) -> None:
    page = html(site, "action-items")
    table = page[page.index("data-pm-items") : page.index("</table>", page.index("data-pm-items"))]
    assert sorted(URGENT_FIRST, key=table.index) == URGENT_FIRST
    assert 'data-owner="Omar Haddad"' in table
    assert 'data-window="overdue"' in table
    owners = page[page.index('id="by-owner"') : page.index('id="by-service"')]
    assert '<a href="owner/omar-haddad/">Omar Haddad</a>' in owners
    services = page[page.index('id="by-service"') :]
    assert '<a href="../services/cdn/">cdn</a>' in services
    assert 'data-pm-follow-up data-source="../postmortems/follow-up.json"' in page
    data = json.loads((site / "postmortems" / "follow-up.json").read_text(encoding="utf-8"))
    assert [item["a"] for item in data["items"]] == URGENT_FIRST
    assert data["owners"]["Omar Haddad"] == "action-items/owner/omar-haddad/"
    assert data["services"]["cdn"] == "services/cdn/"
    assert [item["w"] for item in data["items"]] == [
        "overdue",
        "overdue",
        "overdue",
        "week",
        "later",
    ]


def test_the_overdue_page_names_every_late_owner_and_orders_by_urgency(site: Path) -> None:
    page = html(site, "overdue")
    section = page[page.index('id="action-items"') : page.index('id="reviews"')]
    late = URGENT_FIRST[:3]
    assert sorted(late, key=section.index) == late
    assert '<a href="../action-items/owner/omar-haddad/">Omar Haddad</a> (2)' in section


def test_the_home_page_lists_recent_incidents_then_what_is_overdue(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    recent = page.index('id="recent-incidents"')
    assert recent < page.index("pm-home-overdue")
    titles = re.findall(r'href="postmortems/([^"]+)/">[^<]+ title</a>', page[recent:])
    assert titles[:3] == [
        "2026-03-04-checkout-push",
        "2026-02-20-auth-certificate",
        "2026-01-10-cdn-outage",
    ]
    assert "A configuration push set the checkout connection pool size to zero." in page
    assert 'type="application/atom+xml"' in page[recent:]
    overdue = page[page.index("pm-home-overdue") :]
    assert sorted(URGENT_FIRST[:3], key=overdue.index) == URGENT_FIRST[:3]


def test_slugs_are_ascii_words_and_numbered_when_names_meet() -> None:
    assert slugs(["Lucía Benítez", "lucia benitez", "checkout-api", "日本"]) == {
        "Lucía Benítez": "lucia-benitez",
        "checkout-api": "checkout-api",
        "lucia benitez": "lucia-benitez-2",
        "日本": "unnamed",
    }


def test_one_line_is_the_first_sentence_within_its_limit() -> None:
    assert one_line("It broke. Then it was fixed.") == "It broke."
    assert one_line("word " * 60, limit=20) == "word word word word…"
    assert one_line("") == ""


def test_follow_up_pages_split_at_the_page_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(follow_up, "PER_PAGE", 2)
    assert follow_up.pages_of([]) == [[]]
    rows = list(range(5))
    assert follow_up.pages_of(rows) == [[0, 1], [2, 3], [4]]  # type: ignore[arg-type]


def test_a_long_year_is_split_into_pages_and_the_date_leads_to_the_right_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs_postmortems.site import context

    monkeypatch.setattr(context, "YEAR_PAGE", 2)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    write_project(tmp_path, FILES)
    site = build_site(tmp_path / "mkdocs.yml")
    first, second = html(site, "incidents/2026"), html(site, "incidents/2026/2")
    assert "checkout-push" in first
    assert "auth-certificate" in first
    assert "cdn-outage" in second
    assert "cdn-outage" not in first
    assert 'rel="next" href="2/"' in first
    assert "3 incidents, newest first" in second
    oldest = html(site, "postmortems/2026-01-10-cdn-outage")
    assert '<a class="pm-date-link" href="../../incidents/2026/2/">' in oldest
