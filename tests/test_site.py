"""The published site: real in-process builds from temporary folders, asserting on the HTML."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from conftest import DRAFT, VALID
from mkdocs_postmortems.core.model import PostMortem
from sitebuild import build_as, build_once, build_site, html, write_project

# 2026-06-01T00:00:00Z: the SEV1 draft below (resolved 2026-05-02) is past its 48 hours.
EPOCH = "1780272000"


def incident(day: str, slug: str, severity: str, title: str, **extra: str) -> tuple[str, str]:
    text = (
        VALID.replace("2026-03-04", day)
        .replace("severity: SEV2", f"severity: {severity}")
        .replace("title: Checkout API returned 500s after a config push", f"title: {title}")
        .replace("published: 2026-03-06", f"published: {day}")
        .replace(
            "tags: [config, deploy]",
            "tags: [config, deploy]\nreviewed: 2026-05-30\nreview_outcome: effective",
        )
    )
    for key, value in extra.items():
        text = text.replace("tags: [config, deploy]", f"tags: [config, deploy]\n{key}: {value}")
    return f"{day}-{slug}.md", text


def draft() -> tuple[str, str]:
    text = DRAFT.replace(
        "started: 2026-05-02T08:00:00Z",
        "started: 2026-05-02T08:00:00Z\nresolved: 2026-05-02T09:00:00Z",
    )
    return "2026-05-02-search-index-stalled.md", text


def project_files() -> dict[str, str]:
    return dict(
        [
            incident("2026-01-10", "cdn-outage", "SEV3", "CDN edge returned stale pages"),
            incident(
                "2026-03-04", "checkout-config-push", "SEV2", "Checkout 500s after a config push"
            ),
            incident("2026-02-20", "auth-certificate", "SEV1", "Auth certificate expired"),
            draft(),
        ]
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project to change or build in a way of the test's own."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    write_project(tmp_path, project_files())
    return tmp_path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's site, built once for every test that only reads its pages."""
    root = tmp_path_factory.mktemp("project")
    return build_once(root, project_files(), env={"SOURCE_DATE_EPOCH": EPOCH})


def rows(page: str) -> list[str]:
    """Titles of the linked incidents, in page order."""
    return re.findall(r'<a href="(?:\.\./)*(?:postmortems/)?20\d\d-[^"]+/">([^<]+)</a>', page)


def test_incidents_page_lists_newest_first(site: Path) -> None:
    assert rows(html(site, "incidents")) == [
        "Search index rebuild stalled",
        "Checkout 500s after a config push",
        "Auth certificate expired",
        "CDN edge returned stale pages",
    ]


def test_each_postmortem_has_a_page_with_its_header(site: Path) -> None:
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    assert '<h1 class="pm-title">Checkout 500s after a config push</h1>' in page
    assert "Time to resolve</dt> <dd>1 h 28 min" in page
    assert "Time to detect</dt> <dd>7 min" in page
    assert "checkout-api" in page
    assert "Dana Whitfield" in page


@pytest.mark.build
def test_an_imported_write_up_says_so_and_is_never_late(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """History: the same late write-up with open past-due items, imported, shows no banner,
    no overdue item, and one discreet line; it stays in the indexes."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    name, text = incident("2026-01-10", "cdn-outage", "SEV1", "CDN edge returned stale pages")
    text = text.replace("reviewed: 2026-05-30\nreview_outcome: effective\n", "").replace(
        "published: 2026-01-10", "published: 2026-02-20"
    )
    write_project(
        tmp_path,
        {
            name: text.replace(
                "tags: [config, deploy]", 'tags: [config, deploy]\nimported: "cdn.md"'
            )
        },
    )
    site = build_site(tmp_path / "mkdocs.yml")
    page = html(site, "postmortems/2026-01-10-cdn-outage")
    assert '<p class="pm-imported">Imported from an earlier archive (<code>cdn.md</code>)' in page
    assert "pm-banner" not in page
    assert "days late" not in html(site, "action-items")
    assert "CDN edge returned stale pages" in html(site, "incidents")
    assert "CDN edge returned stale pages" not in html(site, "overdue")


def test_severity_page_counts_each_level(site: Path) -> None:
    page = html(site, "severity")
    counts = dict(re.findall(r'<td class="pm-count-(sev\d)">(\d+)</td>', page))
    assert counts == {"sev1": "2", "sev2": "1", "sev3": "1", "sev4": "0"}
    assert "48 hours after resolution" in page
    assert "7 days after resolution" in page


def test_action_items_overdue_first_then_by_due_date(site: Path) -> None:
    page = html(site, "action-items")
    actions = re.findall(r'data-label="Action">Roll config out one region at a time <span', page)
    assert len(actions) == 3  # one open item per published incident: all past due
    dues = re.findall(
        r'data-label="Due">(\d{4}-\d{2}-\d{2})<br><span class="pm-muted">(\d+) days late', page
    )
    days = [int(d) for _, d in dues]
    assert days == sorted(days, reverse=True)
    assert "<strong>3 overdue</strong>" in page
    done = re.search(r"(\d+) done", page)
    assert done is not None
    assert done[1] == "3"  # one done item in each published incident


def test_overdue_page_and_home_show_the_overdue_sev1(site: Path) -> None:
    overdue = html(site, "overdue")
    section = overdue.split('id="write-ups"')[1].split('id="action-items"')[0]
    assert rows(section) == ["Search index rebuild stalled"]
    assert "SEV1" in section
    home = html(site, "")
    assert "Search index rebuild stalled" in home
    assert "Overdue: 1 write-up" in home


@pytest.mark.build
def test_nothing_overdue_before_the_deadline(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", "1777710000"
    )  # 2026-05-02T08:20Z, before resolution + 48 h
    site = build_site(project / "mkdocs.yml")
    section = html(site, "overdue").split('id="write-ups"')[1].split('id="action-items"')[0]
    assert rows(section) == []


def test_services_page_groups_recurrence(site: Path) -> None:
    page = html(site, "services")
    assert re.search(r'>checkout-api</a></td> <td data-label="Incidents">3</td>', page)


def test_related_and_previous_incidents(site: Path) -> None:
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    related = page.split('id="related-incidents"')[1]
    assert set(rows(related)) == {"Auth certificate expired", "CDN edge returned stale pages"}
    assert re.search(r'class="pm-previous">2<', page)


@pytest.mark.build
def test_hostile_title_is_escaped_on_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name, text = incident("2026-03-04", "xss", "SEV2", '"<script>alert(1)</script>"')
    text = text.replace("[checkout-api, config-service]", '["<img src=x onerror=alert(2)>"]')
    text = text.replace("| Dana Whitfield |", "| <b>Dana</b> |")
    write_project(tmp_path, {name: text})
    site = build_site(tmp_path / "mkdocs.yml")
    pages = list(site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        content = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in content, page
        assert "<img src=x" not in content, page
        assert "<b>Dana</b>" not in content, page
    incidents = html(site, "incidents")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in incidents


@pytest.mark.build
def test_strict_build_fails_naming_file_and_line(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bad = VALID.replace("severity: SEV2", "severity: SEV9").replace("| P2 |", "| P9 |")
    (project / "postmortems" / "2026-03-04-bad.md").write_text(bad, encoding="utf-8")
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build_site(project / "mkdocs.yml", strict=True)
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        m.startswith("postmortems/2026-03-04-bad.md:3:11: PM104 unknown severity 'SEV9'")
        for m in messages
    )
    assert any(m.startswith("postmortems/2026-03-04-bad.md:53:") and "PM404" in m for m in messages)


@pytest.mark.build
def test_plain_build_keeps_invalid_file_visible(project: Path) -> None:
    broken = VALID.replace("status: published", "status: finished")
    (project / "postmortems" / "2026-03-04-broken.md").write_text(broken, encoding="utf-8")
    (project / "postmortems" / "2026-03-05-no-front-matter.md").write_text(
        "# Just notes\n\n<b>not html</b>\n", encoding="utf-8"
    )
    site = build_site(project / "mkdocs.yml")
    page = html(site, "postmortems/2026-03-04-broken")
    assert "This post-mortem is invalid" in page
    assert "PM105" in page
    assert "unknown status &#39;finished&#39;" in page
    notes = html(site, "postmortems/2026-03-05-no-front-matter")
    assert "PM004" in notes
    assert "&lt;b&gt;not html&lt;/b&gt;" in notes
    assert "invalid" in html(site, "incidents")


@pytest.mark.build
def test_generated_pages_are_reproducible(site: Path, project: Path) -> None:
    """Two builds of the same files, in two folders, write the same pages."""
    snapshot = {p.relative_to(site): p.read_bytes() for p in site.rglob("*.html")}
    again = build_site(project / "mkdocs.yml")
    assert {p.relative_to(again): p.read_bytes() for p in again.rglob("*.html")} == snapshot


@pytest.mark.build
def test_plugin_in_someone_elses_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A team's own mkdocs.yml, a folder with another name, and their own nav."""
    monkeypatch.chdir(tmp_path)
    name, text = incident("2026-03-04", "checkout", "SEV2", "Checkout 500s")
    config = {
        "site_name": "Platform handbook",
        "use_directory_urls": False,
        "plugins": [
            "search",
            {"postmortems": {"folder": "incident-reviews", "pages": {"severity": False}}},
        ],
        "nav": ["index.md", "runbooks.md", {"Incidents": "incidents.md"}],
    }
    write_project(
        tmp_path,
        {name: text},
        docs={"index.md": "# Handbook\n", "runbooks.md": "# Runbooks\n"},
        config=config,
        folder="incident-reviews",
    )
    site = build_site(tmp_path / "mkdocs.yml", strict=True)
    incidents = (site / "incidents.html").read_text(encoding="utf-8")
    assert 'href="postmortems/2026-03-04-checkout.html"' in incidents
    assert (site / "postmortems" / "2026-03-04-checkout.html").exists()
    assert not (site / "severity.html").exists()
    assert (site / "runbooks.html").exists()


@pytest.mark.build
def test_folder_inside_docs_is_not_rendered_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name, text = incident("2026-03-04", "checkout", "SEV2", "Checkout 500s")
    config = {"plugins": ["search", {"postmortems": {"folder": "docs/postmortems"}}]}
    write_project(tmp_path, {name: text}, config=config, folder="docs/postmortems")
    site = build_site(tmp_path / "mkdocs.yml", strict=True)
    assert (site / "postmortems" / "2026-03-04-checkout" / "index.html").exists()
    assert not (site / "postmortems" / "2026-03-04-checkout.md").exists()


@pytest.mark.build
def test_a_docs_page_in_the_way_is_an_error(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project / "docs" / "incidents").mkdir()
    (project / "docs" / "incidents" / "index.md").write_text("# Mine\n", encoding="utf-8")
    with pytest.raises(Abort):
        build_site(project / "mkdocs.yml")
    assert "docs/incidents/index.md is in the way of a generated page at /incidents/" in caplog.text


@pytest.mark.build
def test_bad_option_is_a_config_error(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    (project / "mkdocs.yml").write_text(
        "site_name: x\ntheme: material\nplugins:\n  - postmortems:\n      timezon: UTC\n"
    )
    with pytest.raises(Abort):
        build_site(project / "mkdocs.yml")
    assert "unknown option 'postmortems.timezon' (did you mean 'timezone'?)" in caplog.text


@pytest.mark.build
def test_disabled_plugin_generates_nothing(project: Path) -> None:
    (project / "mkdocs.yml").write_text(
        "site_name: x\ntheme: material\nplugins:\n  - postmortems:\n      enabled: false\n"
    )
    site = build_site(project / "mkdocs.yml")
    assert not (site / "incidents").exists()


def test_serve_watches_the_folder(project: Path) -> None:
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["postmortems"]
    watched: list[str] = []

    class Server:
        def watch(self, path: str) -> None:
            watched.append(path)

    plugin.on_serve(Server(), config=config, builder=None)
    assert watched == [str(project / "postmortems")]


@pytest.mark.build
def test_a_build_leaves_nothing_behind_for_the_next_one(project: Path) -> None:
    """The plugin freezes its objects out of the collector's way during a build; after the
    build (``mkdocs serve`` builds again and again) nothing stays frozen or held, even when
    the build fails."""
    import gc

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"))
    build(config)
    plugin = config.plugins["postmortems"]
    assert gc.get_freeze_count() == 0
    assert plugin.site is None
    assert plugin.blocks == {}
    assert plugin.home == {}

    (project / "docs" / "incidents.md").write_text("# In the way\n", encoding="utf-8")
    config = load_config(str(project / "mkdocs.yml"))
    with pytest.raises(Abort):
        build(config)
    assert gc.get_freeze_count() == 0
    assert config.plugins["postmortems"].site is None


@pytest.mark.build
@pytest.mark.parametrize(("command", "kept"), [("build", False), ("serve", True)])
def test_a_build_lets_go_of_the_knowledge_base_once_its_pages_are_made(
    project: Path, monkeypatch: pytest.MonkeyPatch, command: str, kept: bool
) -> None:
    """``mkdocs build`` draws each post-mortem's page when MkDocs reads it, lets go of the
    post-mortem's body then, and of the whole knowledge base once every page is drawn:
    none is alive while MkDocs writes the pages. ``mkdocs serve`` keeps them, so that a
    rebuild reads only the files that changed."""
    import weakref

    from mkdocs_postmortems.adapters import mkdocs as adapter

    read: list[weakref.ref[PostMortem]] = []
    alive: list[int] = []
    bodies: list[int] = []
    load, head_link = adapter.load, adapter.feeds.head_link
    on_page_markdown = adapter.PostmortemsPlugin.on_page_markdown

    def recording_load(*args: object, **kwargs: object) -> object:
        kb = load(*args, **kwargs)  # type: ignore[arg-type]
        read.extend(weakref.ref(pm) for pm in kb.postmortems)
        return kb

    def counting(site: Any, url: str) -> str:
        # Called as each page is written, to link the feed from its head.
        alive.append(sum(ref() is not None for ref in read))
        return head_link(site, url)

    def read_page(self: adapter.PostmortemsPlugin, markdown: str, /, **kwargs: Any) -> object:
        # The post-mortems whose pages MkDocs has read so far, still holding their body.
        pms = [pm for ref in read if (pm := ref()) is not None and pm.has_page]
        bodies.append(sum(pm.body is not None for pm in pms))
        return on_page_markdown(self, markdown, **kwargs)

    monkeypatch.setattr(adapter, "load", recording_load)
    monkeypatch.setattr(adapter.feeds, "head_link", counting)
    monkeypatch.setattr(adapter.PostmortemsPlugin, "on_page_markdown", read_page)
    build_as(project / "mkdocs.yml", command)
    assert read
    assert alive
    assert set(alive) == ({len(read)} if kept else {0})
    if not kept:
        # Each post-mortem page MkDocs reads is drawn then, and lets go of one body.
        assert bodies == sorted(bodies, reverse=True)
        assert bodies[-1] == 0
        assert len(set(bodies)) > 2
    else:
        assert len(set(bodies)) == 1  # serve keeps every body for the next build
        assert bodies[0] > 2


@pytest.mark.build
def test_repository_site_builds_strict(example_site: Path) -> None:
    """The repository's own site, built once for the run (tests/browser_sites.py), logs no
    warning: ``mkdocs build --strict`` would pass."""
    from browser_sites import WARNINGS

    assert (example_site.parent / WARNINGS).read_text(encoding="utf-8") == ""
    assert len(list((example_site / "postmortems").iterdir())) >= 12
    assert (example_site / "overdue" / "index.html").exists()
    # Static and offline: no script, style, font or image comes from another host.
    for page in example_site.rglob("*.html"):
        content = page.read_text(encoding="utf-8")
        remote = re.findall(
            r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', content
        )
        assert remote == [], page


def test_related_index_handles_incidents_outside_the_index() -> None:
    """A readable post-mortem without a start time is not indexed but still gets a page."""
    from mkdocs_postmortems.core.model import PostMortem
    from mkdocs_postmortems.site.related import RelatedIndex

    lonely = PostMortem(path=Path("x.md"), display="x.md", id="x", services=["nowhere"])
    index = RelatedIndex([])
    assert index.related(lonely) == []
    assert index.previous_on_services(lonely) == 0


def test_related_incidents_rank_links_then_services_then_kinds_then_nearness() -> None:
    from mkdocs_postmortems.core.model import PostMortem
    from mkdocs_postmortems.site.related import RelatedIndex

    start = datetime(2026, 1, 1, tzinfo=timezone.utc)

    def postmortem(ident: str, day: int, services: str, tags: str = "") -> PostMortem:
        pm = PostMortem(path=Path(f"{ident}.md"), display=f"{ident}.md", id=ident)
        pm.started = start + timedelta(days=day)
        pm.services, pm.tags = services.split(), tags.split()
        return pm

    me = postmortem("me", 50, "api db", "config")
    me.related = ["linked"]
    others = [
        postmortem("nothing-shared", 50, "web"),
        postmortem("kind-only", 51, "web", "config"),
        postmortem("service-far", 5, "api"),
        postmortem("service-near", 49, "db"),
        postmortem("service-and-kind", 40, "api", "config"),
        postmortem("both-services", 10, "db api"),
        postmortem("linked", 1, "web"),
    ]
    index = RelatedIndex([me, *others])
    ranked = index.related(me, limit=7)
    assert [r.postmortem.id for r in ranked] == [
        "linked",
        "both-services",
        "service-and-kind",
        "service-near",
        "service-far",
        "kind-only",
    ]
    assert [r.explicit for r in ranked] == [True] + [False] * 5
    assert ranked[1].shared_services == ("db", "api")
    assert ranked[2].shared_tags == ("config",)
    assert [r.postmortem.id for r in index.related(me)][-1] == "service-far"


def test_catalogue_lists_every_incident(site: Path) -> None:
    import json

    data = json.loads((site / "postmortems" / "catalog.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert data["generated"].startswith("2026-06-01T00:00:00")
    ids = [i["id"] for i in data["incidents"]]
    assert ids == [
        "2026-05-02-search-index-stalled",
        "2026-03-04-checkout-config-push",
        "2026-02-20-auth-certificate",
        "2026-01-10-cdn-outage",
    ]
    first = data["incidents"][0]
    assert first["writeup_overdue"] is True
    assert first["url"] == "postmortems/2026-05-02-search-index-stalled/"
    checkout = data["incidents"][1]
    assert checkout["duration_minutes"] == 88
    assert [a["status"] for a in checkout["action_items"]] == ["done", "open"]
    assert checkout["action_items"][1]["days_overdue"] == 47
    assert first["path"] == "postmortems/2026-05-02-search-index-stalled.md"


@pytest.mark.build
def test_catalogue_is_the_same_from_any_working_directory(
    site: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shared site was built from its project's folder; this one from the folder above."""
    monkeypatch.chdir(project.parent)
    again = build_site(project / "mkdocs.yml")
    catalogue = Path("postmortems", "catalog.json")
    assert (again / catalogue).read_bytes() == (site / catalogue).read_bytes()


def test_explorer_is_static_without_javascript(site: Path) -> None:
    page = html(site, "incidents")
    assert re.search(
        r'<form class="pm-explorer" data-page-size="100" data-pm-explorer hidden>', page
    )
    rows = re.findall(r'<tr data-id="([^"]+)" data-severity="(SEV\d)"', page)
    assert [r[1] for r in rows] == ["SEV1", "SEV2", "SEV1", "SEV3"]
    assert 'src="../assets/postmortems/explorer.js"' in page


def test_postmortem_page_leads_with_severity_and_date(site: Path) -> None:
    """Search results show a section's first words: make them the severity and the date."""
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    lead = re.search(r'<p class="pm-oneline">(.*?)</p>\n<p class="pm-badges">(.*?)</p>', page)
    assert lead is not None
    assert re.sub(r"<[^>]+>", "", lead[1]).startswith("SEV2 · 1 h 28 min · 1,200 users · published")
    assert re.sub(r"<[^>]+>", "", lead[2]).startswith("2026-03-04 · ")


def test_search_indexes_the_header_as_text_and_the_page_keeps_it_whole(site: Path) -> None:
    """Search reads a text form of the header card and skips related incidents; the page
    itself still shows both, with no trace of the swap."""
    search_reads_the_header_as_text(site)


@pytest.mark.build
def test_search_reads_the_header_as_text_with_the_plugins_in_either_order(project: Path) -> None:
    import yaml

    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == ["search", "postmortems"]  # the other order: the shared site
    config["plugins"] = ["postmortems", "search"]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    search_reads_the_header_as_text(build_site(project / "mkdocs.yml"))


def search_reads_the_header_as_text(site: Path) -> None:
    import json

    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    url = "postmortems/2026-03-04-checkout-config-push/"
    first = next(doc for doc in index["docs"] if doc["location"] == url)
    # The page's own result titles every result for the page: it carries the facts.
    assert first["title"] == "Checkout 500s after a config push · SEV2 · 2026-03-04 · published"
    assert first["text"].startswith("<p>SEV2 · 2026-03-04 · published · 2026-03-04-checkout")
    assert "Services: checkout-api" in first["text"]
    texts = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(url))
    assert "Auth certificate expired" not in texts  # a related incident: not this page's text
    assert "Related incidents" not in [doc["title"] for doc in index["docs"]]
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    assert 'class="pm-card"' in page
    assert 'id="related-incidents"' in page
    assert "postmortems:block" not in page


@pytest.mark.build
@pytest.mark.parametrize(
    "change",
    [
        "html.replace('<h2 id=\"summary\">', '<p>Note.</p><h2 id=\"summary\">', 1)",
        "'<p>A banner.</p>' + html",
        "html + '<p>A footer.</p>'",
    ],
    ids=["in the middle", "before", "after"],
)
@pytest.mark.parametrize("command", ["build", "serve"])
def test_search_still_reads_the_header_as_text_when_another_plugin_changes_the_page(
    project: Path, change: str, command: str
) -> None:
    """The blocks search reads as text are found again by their place, from the start or
    from the end of the page: another plugin's change elsewhere in the page moves one."""
    import json

    import yaml

    hooks = project / "hooks.py"
    hooks.write_text(
        f"def on_page_content(html, page, config, files):\n    return {change}\n",
        encoding="utf-8",
    )
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(hooks)]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    site = build_as(project / "mkdocs.yml", command)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    url = "postmortems/2026-03-04-checkout-config-push/"
    docs = [doc for doc in index["docs"] if doc["location"].startswith(url)]
    titles = [doc["title"] for doc in docs]  # a banner before the card is a section of its own
    assert "Checkout 500s after a config push · SEV2 · 2026-03-04 · published" in titles
    assert "Related incidents" not in [doc["title"] for doc in docs]
    assert 'class="pm-card"' not in " ".join(doc["text"] for doc in docs)
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    assert 'class="pm-card"' in page
    assert 'id="related-incidents"' in page
    assert "postmortems:block" not in page


@pytest.mark.build
def test_pagefind_index_covers_the_postmortems_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    monkeypatch.chdir(tmp_path)
    files = dict(
        [
            incident("2026-01-10", "cdn-outage", "SEV3", "CDN edge returned stale pages"),
            incident("2026-03-04", "checkout-config-push", "SEV2", "Checkout 500s after a push"),
        ]
    )
    config = {"plugins": ["search", {"postmortems": {"pagefind": True}}]}
    write_project(tmp_path, files, config=config)
    site = build_site(tmp_path / "mkdocs.yml", strict=True)
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(language["page_count"] for language in entry["languages"].values()) == 2
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    assert "data-pagefind-body" in page
    assert 'data-pagefind-filter="severity">SEV2<' in page
    assert 'data-pagefind-filter="service">checkout-api<' in page
    find = html(site, "find")
    assert 'src="../pagefind/pagefind-ui.js"' in find
    assert "data-pm-find" in find


@pytest.mark.build
def test_a_page_search_leaves_out_is_not_traded_for_its_search_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With Pagefind, the theme's search leaves the post-mortems out (``search: exclude``):
    the plugins that read a post-mortem's page while search would have find it whole, with
    no copy of it made to show search a text that search does not read."""
    import json

    monkeypatch.chdir(tmp_path)
    files = dict([incident("2026-03-04", "checkout-config-push", "SEV2", "Checkout 500s")])
    hooks = tmp_path / "hooks.py"
    hooks.write_text(
        "import json, pathlib\n"
        "def on_page_context(context, page, config, nav):\n"
        "    seen = pathlib.Path(config.config_file_path).parent / 'seen.json'\n"
        "    pages = json.loads(seen.read_text()) if seen.exists() else {}\n"
        "    pages[page.file.src_uri] = [page.meta.get('search'), 'class=\"pm-card\"' in "
        "page.content]\n"
        "    seen.write_text(json.dumps(pages))\n",
        encoding="utf-8",
    )
    for pagefind, excluded in ((True, True), (False, False)):
        config = {
            "plugins": ["search", {"postmortems": {"pagefind": pagefind}}],
            "hooks": [str(hooks)],
        }
        write_project(tmp_path, files, config=config)
        (tmp_path / "seen.json").unlink(missing_ok=True)
        site = build_site(tmp_path / "mkdocs.yml", strict=True)
        seen = json.loads((tmp_path / "seen.json").read_text(encoding="utf-8"))
        search, whole = seen["postmortems/2026-03-04-checkout-config-push.md"]
        assert search == ({"exclude": True} if excluded else None)
        # Without Pagefind, search reads the card as text while the hooks run; either way
        # the page is written whole.
        assert whole is excluded
        assert 'class="pm-card"' in html(site, "postmortems/2026-03-04-checkout-config-push")


def test_pagefind_is_off_by_default(site: Path) -> None:
    assert not (site / "pagefind").exists()
    assert not (site / "find").exists()
    assert "data-pagefind-body" not in html(site, "postmortems/2026-03-04-checkout-config-push")


def test_automatic_navigation_has_one_entry_and_index_pages_link_each_other(
    site: Path,
) -> None:
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    nav = page.split('data-md-type="navigation"')[1].split('data-md-type="toc"')[0]
    assert "incidents/" in nav
    for other in ("severity/", "action-items/", "overdue/", "services/", "insights/", "changes/"):
        assert other not in nav
    tabs = re.search(r'<nav class="pm-tabs"[^>]*>(.*?)</nav>', html(site, "overdue"), re.DOTALL)
    assert tabs is not None
    assert re.findall(r'href="([^"]+)"', tabs[1]) == [
        "../incidents/",
        "../severity/",
        "../action-items/",
        "./",
        "../services/",
        "../insights/",
        "../changes/",
    ]
    assert 'aria-current="page">Overdue<' in tabs[1]


@pytest.mark.build
def test_postmortem_tags_appear_in_material_tags_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = dict([incident("2026-03-04", "checkout-config-push", "SEV2", "Checkout 500s")])
    docs = {"index.md": "# Home\n", "tags.md": "# Tags\n\n<!-- material/tags -->\n"}
    write_project(tmp_path, files, docs=docs, config={"plugins": ["search", "tags", "postmortems"]})
    site = build_site(tmp_path / "mkdocs.yml")
    index = html(site, "tags")
    for tag in ("config", "deploy"):
        section = index.split(f'id="tag:{tag}"')[1].split("</ul>")[0]
        assert "postmortems/2026-03-04-checkout-config-push/" in section, tag


@pytest.mark.build
def test_git_revision_date_shows_the_postmortem_file_last_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    from conftest import isolated_git

    monkeypatch.chdir(tmp_path)
    files = dict([incident("2026-03-04", "checkout-config-push", "SEV2", "Checkout 500s")])
    config = {
        "plugins": [
            "search",
            "postmortems",
            {"git-revision-date-localized": {"type": "iso_date", "enable_creation_date": False}},
        ]
    }
    write_project(tmp_path, files, config=config)
    env = {
        **isolated_git(tmp_path),
        "PATH": __import__("os").environ["PATH"],
        "GIT_AUTHOR_DATE": "2024-02-03T10:00:00Z",
        "GIT_COMMITTER_DATE": "2024-02-03T10:00:00Z",
    }
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "Add a post-mortem"]):
        subprocess.run(["git", *command], cwd=tmp_path, env=env, check=True)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    site = build_site(tmp_path / "mkdocs.yml")
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    assert re.search(r"git-revision-date-localized-plugin[^>]*>\s*2024-02-03", page), page[-3000:]


def test_timeline_and_action_items_are_marked_for_the_stylesheet(site: Path) -> None:
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    timeline = page.split('<div class="pm-table pm-timeline">')[1].split("</table>")[0]
    assert "<td>2026-03-04 14:02</td>" in timeline  # the author's table, inside the wrapper
    items = page.split('class="pm-table pm-action-items pm-stack"')[1].split("</table>")[0]
    assert '<td class="pm-col-owner" data-label="Owner">Dana Whitfield</td>' in items
    assert '<td class="pm-col-due" data-label="Due">2026-03-20</td>' in items
    assert '<td class="pm-col-ticket" data-label="Ticket">OPS-101</td>' in items
    assert re.search(r'<td class="pm-col-status" data-label="Status"><span[^>]*>done<', items)
    assert 'class="pm-postmortem"' in page
    assert "postmortems:block" not in page


@pytest.mark.build
def test_action_item_cells_keep_their_column_code_spans_and_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each cell is labelled with its own column, a cell past the header with none; a table
    without a Status column gets one, with each item's state."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    name, text = incident("2026-03-04", "checkout-config-push", "SEV2", "Checkout 500s")
    text = text.replace(
        "| Add a minimum of 1 to the pool size schema | Dana Whitfield | 2026-03-20 | P1 | done |",
        "| Raise `pool_size` <now> | Dana Whitfield | 2026-03-20 | P1 | done | spare |",
    )
    other, without_status = incident("2026-02-20", "auth-certificate", "SEV1", "Auth expired")
    without_status = (
        without_status.replace("| Priority | Status | Ticket |", "| Priority | Ticket |")
        .replace("|----------|--------|--------|", "|----------|--------|")
        .replace("| P1 | done | OPS-101 |", "| P1 | OPS-101 |")
        .replace("| P2 | open | OPS-102 |", "| P2 | OPS-102 |")
    )
    site = build_site(write_project(tmp_path, {name: text, other: without_status}))

    def item_rows(url: str) -> list[str]:
        items = html(site, url).split('class="pm-table pm-action-items pm-stack"')[1]
        return re.findall(r"<t[rh].*?</tr>", items.split("</table>")[0])

    def labels(row: str) -> list[tuple[str, str]]:
        return re.findall(r'<td(?: class="pm-col-([a-z]+)")? data-label="([^"]*)">', row)

    header, first, second = item_rows("postmortems/2026-03-04-checkout-config-push")
    columns = ["action", "owner", "due", "priority", "status", "ticket"]
    names = ["Action", "Owner", "Due", "Priority", "Status", "Ticket"]
    assert labels(first) == [*zip(columns, names, strict=True), ("", "")]
    assert labels(second) == list(zip(columns, names, strict=True))
    assert (
        '<td class="pm-col-action" data-label="Action">Raise <code>pool_size</code> &lt;now&gt;<'
        in first
    )
    assert '<td data-label="">OPS-101</td>' in first
    header, first, second = item_rows("postmortems/2026-02-20-auth-certificate")
    assert header.endswith(
        '<th class="pm-col-ticket">Ticket</th> <th class="pm-col-status">Status</th> </tr>'
    )
    assert labels(second)[-2:] == [("ticket", "Ticket"), ("status", "Status")]
    assert (
        '<td class="pm-col-status" data-label="Status"><span class="pm-badge pm-item pm-item-'
        in second
    )


@pytest.mark.build
def test_home_overdue_box_counts_what_it_lists_with_and_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    days = [f"2026-01-{day:02d}" for day in range(10, 17)]  # seven incidents, each overdue
    files = dict(
        incident(day, f"outage-{n}", "SEV3", f"Outage number {n}") for n, day in enumerate(days)
    )
    write_project(tmp_path, files)
    home = html(build_site(tmp_path / "mkdocs.yml"), "")
    box = home.split('class="pm-home-overdue"')[1].split("Everything that is overdue")[0]
    assert "Overdue: 0 write-ups, 7 action items, 0 reviews" in box
    assert len(re.findall(r'<li><span class="pm-badge pm-late">overdue</span>', box)) == 5
    assert '<a href="overdue/#action-items">and 2 more action items</a>' in box


def test_every_page_listing_incidents_uses_the_same_overdue_badge(site: Path) -> None:
    badge = '<span class="pm-badge pm-late">write-up overdue</span>'
    for url in ("incidents", "severity", "services", "overdue"):
        page = html(site, url)
        line = next(line for line in page.split("\n") if "Search index rebuild stalled</a>" in line)
        assert badge in line, url


def test_services_page_lists_services_then_compact_lists(site: Path) -> None:
    page = html(site, "services")
    assert re.search(
        r'<a href="checkout-api/">checkout-api</a></td> <td data-label="Incidents">3</td> '
        r'<td data-label="Open action items">3 <span class="pm-badge pm-late-items">3 overdue</span>',
        page,
    )
    section = page.split('<h2 id="service-checkout-api">')[1].split("<h2")[0]
    assert section.count("<li>") == 3
    assert "<table" not in section
    assert 'href="../incidents/?service=checkout-api"' in section


@pytest.mark.build
def test_pagefind_indexes_only_postmortems_with_another_theme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    monkeypatch.chdir(tmp_path)
    files = dict(
        [
            incident("2026-01-10", "cdn-outage", "SEV3", "CDN edge returned stale pages"),
            incident("2026-03-04", "checkout-config-push", "SEV2", "Checkout 500s after a push"),
        ]
    )
    docs = {"index.md": "# Home\n\nWelcome.\n", "guide.md": "# Guide\n\nHow we write.\n"}
    config = {
        "theme": {"name": "mkdocs"},
        "plugins": ["search", {"postmortems": {"pagefind": True}}],
    }
    write_project(tmp_path, files, docs=docs, config=config)
    site = build_site(tmp_path / "mkdocs.yml")
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(language["page_count"] for language in entry["languages"].values()) == 2
    assert 'class="pm-postmortem" data-pagefind-body' in html(
        site, "postmortems/2026-03-04-checkout-config-push"
    )


def test_index_pages_list_the_newest_and_the_years_list_every_incident(project: Path) -> None:
    import json
    from datetime import datetime, timezone

    from mkdocs_postmortems.core.config import Settings
    from mkdocs_postmortems.core.knowledge_base import load
    from mkdocs_postmortems.rules import RULESET
    from mkdocs_postmortems.site.links import Site
    from mkdocs_postmortems.site.pages import (
        Context,
        explorer_data,
        index_page,
        year_pages,
    )

    kb = load(Settings(root=project), RULESET)
    now = datetime(2026, 6, 1, tzinfo=timezone.utc)
    ctx = Context(kb, Site(kb.settings), now, listed=2)
    every = [
        "Search index rebuild stalled",
        "Checkout 500s after a config push",
        "Auth certificate expired",
        "CDN edge returned stale pages",
    ]
    incidents = index_page("incidents", ctx).blocks["page"]
    assert rows(incidents) == every[:2]
    assert 'data-source="../postmortems/explorer.json"' in incidents
    assert "4</span> of 4 incidents" in incidents
    assert '<a href="2026/">2026</a> (4)' in incidents
    years = year_pages(ctx)
    assert list(years) == ["incidents/2026.md"]
    assert rows(years["incidents/2026.md"].blocks["page"]) == every
    records = json.loads(explorer_data(ctx))
    assert [r["t"] for r in records] == every
    assert records[0]["u"] == "postmortems/2026-05-02-search-index-stalled/"
    assert records[0]["o"] == 1  # the SEV1 draft's write-up is overdue
    severity = index_page("severity", ctx).blocks["page"]
    assert "The newest 1 of 2." in severity  # 2 rows shared by 4 levels: at least 1 each
    assert 'href="../incidents/?severity=SEV1"' in severity
    whole = Context(kb, Site(kb.settings), now)
    assert "data-source" not in index_page("incidents", whole).blocks["page"]


def test_the_year_pages_and_explorer_data_are_built(site: Path) -> None:
    assert rows(html(site, "incidents/2026")) == rows(html(site, "incidents"))
    assert (site / "postmortems" / "explorer.json").is_file()
