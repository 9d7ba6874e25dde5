"""The index pages (incidents, severity, action items, overdue, services, insights, what we
changed, search), the pages by year, the services' and owners' pages, and the home page's
summaries."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Any

from markupsafe import escape

from mkdocs_postmortems.core import stats
from mkdocs_postmortems.core.register import match
from mkdocs_postmortems.site import changes, facets, feeds, follow_up, learning
from mkdocs_postmortems.site.blocks import RenderedPage, front_matter
from mkdocs_postmortems.site.catalogue import EXPLORER_DATA
from mkdocs_postmortems.site.context import Context, formatter, incident_view
from mkdocs_postmortems.site.insights import Builder as InsightsBuilder
from mkdocs_postmortems.site.insights import minutes, rate, summary_rows
from mkdocs_postmortems.site.links import Links, Site
from mkdocs_postmortems.site.render import (
    render,
)
from mkdocs_postmortems.site.views import Incident

INDEX_PAGES = (
    "incidents",
    "severity",
    "action_items",
    "overdue",
    "services",
    "insights",
    "changes",
    "find",
)
TITLES = {
    "incidents": "Incidents",
    "severity": "By severity",
    "action_items": "Action items",
    "overdue": "Overdue",
    "services": "By service",
    "insights": "Insights",
    "changes": "What we changed",
    "find": "Search incidents",
}
#: Rows the incidents page lists, and its explorer shows at once: Chromium took 0.8 s more
#: to show the page with 500 (on a busy 2-core machine), and the rest is one click away.
SHOWN = 100


def index_page(name: str, ctx: Context) -> RenderedPage:
    """One of the generated index pages (kept out of search: the incidents themselves are in)."""
    links = ctx.site.links_from(ctx.site.page_src(name))
    incidents = [incident_view(pm, ctx) for pm in ctx.indexed]
    build = _BUILDERS[name]
    tabs = render(
        "index_tabs.html",
        tabs=[(other, TITLES[other], links.page(other)) for other in index_pages(ctx.site)],
        current=name,
    )
    body = tabs + render(
        f"index_{name}.html", links=links, fmt=formatter(ctx), **build(ctx, incidents)
    )
    page = RenderedPage("")
    meta = {"title": TITLES[name], "search": {"exclude": True}, "hide": ["toc"]}
    page.markdown = _index_markdown(meta, page.add("page", body))
    return page


def facet_pages(ctx: Context) -> dict[str, RenderedPage]:
    """A page per service and per owner (:mod:`~mkdocs_postmortems.site.facets`), by source
    path, with the index pages' tabs."""
    site = ctx.site
    fmt = formatter(ctx)
    found = facets.service_pages(
        site,
        [incident_view(pm, ctx) for pm in ctx.indexed],
        ctx.open_rows,
        fmt,
        feeds.feed_path(site),
    )
    calendars = feeds.owner_calendars(ctx.indexed, site)
    found.update(facets.owner_pages(site, ctx.open_rows, fmt, calendars))
    pages = {}
    for src, facet in found.items():
        links = site.links_from(src)
        tabs = render(
            "index_tabs.html",
            tabs=[(other, TITLES[other], links.page(other)) for other in index_pages(site)],
            current=facet.tab,
        )
        page = RenderedPage("")
        meta = {"title": facet.title, "search": {"exclude": True}, "hide": ["toc"]}
        page.markdown = _index_markdown(meta, page.add("page", tabs + facet.body))
        pages[src] = page
    return pages


def year_pages(ctx: Context) -> dict[str, RenderedPage]:
    """A page per year listing every incident that started in it, by source path: how a
    reader without JavaScript reaches every incident once the index pages list only the
    newest. Empty when the incidents page is switched off."""
    if not ctx.site.has_page("incidents"):
        return {}
    by_year = _by_year(ctx)
    pages = {}
    for year, incidents in by_year.items():
        chunks = [
            incidents[start : start + ctx.year_size]
            for start in range(0, len(incidents), ctx.year_size)
        ]
        for number, chunk in enumerate(chunks, start=1):
            src = ctx.site.year_src(year, number)
            links = ctx.site.links_from(src)
            tabs = render(
                "index_tabs.html",
                tabs=[(other, TITLES[other], links.page(other)) for other in index_pages(ctx.site)],
                current="incidents",
            )
            body = tabs + render(
                "index_year.html",
                year=year,
                incidents=chunk,
                total=len(incidents),
                number=number,
                pages=len(chunks),
                page_url=partial(links.year, year),
                years=[
                    (other, len(listed), links.year(other)) for other, listed in by_year.items()
                ],
                links=links,
            )
            page = RenderedPage("")
            title = f"Incidents in {year}" + (f" (page {number})" if number > 1 else "")
            meta = {"title": title, "search": {"exclude": True}, "hide": ["toc"]}
            page.markdown = _index_markdown(meta, page.add("page", body))
            pages[src] = page
    return pages


def _index_markdown(meta: dict[str, Any], block: str) -> str:
    """A generated page's Markdown: its title as the page's first heading, which the theme
    makes the target of its "Skip to content" link (it offers none on a page without one)."""
    return f"{front_matter(meta)}\n\n# {escape(meta['title'])}\n\n{block}\n"


def _by_year(ctx: Context) -> dict[int, list[Incident]]:
    """Incidents by the year they started in (newest year first); undated ones are left to
    the explorer and their own pages."""
    by_year: dict[int, list[Incident]] = defaultdict(list)
    for pm in ctx.indexed:
        incident = incident_view(pm, ctx)
        if isinstance(incident.year, int):
            by_year[incident.year].append(incident)
    return dict(sorted(by_year.items(), reverse=True))


def index_pages(site: Site) -> list[str]:
    """The index pages switched on, in reading order."""
    return [name for name in INDEX_PAGES if site.has_page(name)]


def in_navigation(name: str, site: Site) -> bool:
    """Only the first index page goes into MkDocs' automatic navigation.

    The navigation is rendered again on every page of the site, so each entry costs as
    much as a thousand small pages: five entries were a fifth of a 1,000-incident build.
    The index pages link to each other with tabs at their top instead.
    """
    pages = index_pages(site)
    return bool(pages) and pages[0] == name


def overdue_summary(ctx: Context, links: Links) -> str:
    """The home page's block: what is overdue, with links."""
    incidents = {pm.id: incident_view(pm, ctx) for pm in ctx.indexed}
    return render(
        "overdue_summary.html",
        incidents=incidents,
        report=ctx.report,
        late_rows=[r for r in ctx.open_rows if r.days_late],
        links=links,
        fmt=formatter(ctx),
        has_overdue_page=ctx.site.has_page("overdue"),
    )


def _build_incidents(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    def options(key: str) -> list[str]:
        return sorted({str(v) for i in incidents for v in _as_list(getattr(i, key)) if v != ""})

    links = ctx.site.links_from(ctx.site.page_src("incidents"))
    listed = incidents[: min(ctx.listed, SHOWN)]
    return {
        "incidents": listed,
        "page_size": SHOWN,
        "total": len(incidents),
        # Only when rows are left out: the explorer then loads them all from this file.
        "data": links.asset(f"{ctx.settings.url_prefix}{EXPLORER_DATA}")
        if len(listed) < len(incidents)
        else "",
        "root": links.asset(""),
        "by_year": [(year, len(items), links.year(year)) for year, items in _by_year(ctx).items()],
        "severities": [s.name for s in ctx.settings.severities],
        "statuses": ["draft", "in-review", "published"],
        "services": options("services"),
        "tags": options("tags"),
        "years": sorted(options("year"), reverse=True),
        "periods": sorted({*options("quarter"), *options("month")}, reverse=True),
        "extra_filters": [
            {
                "name": spec.name,
                "label": spec.title,
                "options": sorted(
                    {v for i in incidents for x in i.extra if x.name == spec.name for v in x.values}
                ),
            }
            for spec in ctx.settings.extra_fields
            if spec.filterable
        ],
    }


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _build_severity(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    by_level = defaultdict(list)
    for incident in incidents:
        by_level[incident.severity].append(incident)
    # The newest of each level: the levels share what one index page may list.
    shown = max(1, ctx.listed // max(1, len(ctx.settings.severities)))
    return {
        "levels": [
            {"severity": s, "incidents": by_level.get(s.name, [])} for s in ctx.settings.severities
        ],
        "shown": shown,
        "explorer": ctx.site.has_page("incidents"),
        "review_days": ctx.settings.review_after.days,
    }


def _build_action_items(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    rows = follow_up.all_rows(incidents, ctx.today)
    links = ctx.site.links_from(ctx.site.page_src("action_items"))
    open_rows = ctx.open_rows
    return {
        "open_rows": open_rows[: follow_up.PER_PAGE],
        "open_total": len(open_rows),
        "owners": follow_up.counts(open_rows, "owner"),
        "services": follow_up.counts(open_rows, "service"),
        "counts": Counter(r.item.status for r in rows),
        "total": len(rows),
        "overdue": sum(bool(r.days_late) for r in open_rows),
        "calendar": feeds.calendar_path(ctx.site),
        "owner_calendars": feeds.owner_calendars(ctx.indexed, ctx.site),
        "data": links.asset(f"{ctx.settings.url_prefix}{follow_up.FOLLOW_UP_DATA}"),
        "root": links.asset(""),
        "severities": [s.name for s in ctx.settings.severities],
        "windows": follow_up.WINDOWS,
        "soon": follow_up.SOON,
    }


def _build_overdue(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    by_id = {i.id: i for i in incidents}
    late = [r for r in ctx.open_rows if r.days_late]
    return {
        "report": ctx.report,
        "by_id": by_id,
        "has_register": ctx.register is not None,
        "listed": ctx.listed,
        "late_rows": late[: follow_up.PER_PAGE],
        "late_total": len(late),
        "owners": follow_up.counts(late, "owner"),
        "services": follow_up.counts(late, "service"),
    }


def _build_changes(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    by_id = {i.id: i for i in incidents}
    groups = changes.done_by_kind(ctx.indexed, ctx.settings.action_kinds, ctx.listed)
    return {
        "kinds": [
            (
                group.kind,
                group.total,
                [
                    (service, [(item, by_id[item.postmortem_id]) for item in items])
                    for service, items in group.services
                ],
            )
            for group in groups
        ],
        "total": sum(group.total for group in groups),
        "listed": ctx.listed,
    }


def _build_find(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    return {"count": len(incidents)}


@dataclass(frozen=True, slots=True)
class ServiceRow:
    name: str
    anchor: str
    incidents: list[Incident]  # newest first
    open_items: int
    overdue_items: int


def _build_services(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    by_service = defaultdict(list)
    for incident in incidents:
        for service in dict.fromkeys(incident.services):
            by_service[service].append(incident)
    anchors: set[str] = set()
    services = []
    for name, listed in sorted(by_service.items(), key=lambda s: (-len(s[1]), s[0])):
        services.append(
            ServiceRow(
                name=name,
                anchor=_anchor(f"service-{name}", anchors),
                incidents=listed,
                open_items=sum(i.open_items for i in listed),
                overdue_items=sum(i.overdue_items for i in listed),
            )
        )
    # The newest incidents of each service: the services share what one page may list.
    shown = max(5, ctx.listed // max(1, len(services)))
    return {"services": services, "shown": shown, "explorer": ctx.site.has_page("incidents")}


def _anchor(text: str, taken: set[str]) -> str:
    """A stable fragment id from a name, unique on its page."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
    anchor, number = base, 1
    while anchor in taken:
        number += 1
        anchor = f"{base}-{number}"
    taken.add(anchor)
    return anchor


def _build_insights(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    links = ctx.site.links_from(ctx.site.page_src("insights"))
    figures = ctx.stats.as_json()["severities"]
    builder = _insights(ctx, links)

    def row(name: str, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": name,
            "href": builder.filtered(severity=name),
            "incidents": values["incidents"],
            "detect": minutes(values["median_minutes_to_detect"]),
            "resolve": minutes(values["median_minutes_to_resolve"]),
            "resolve_p90": minutes(values["p90_minutes_to_resolve"]),
            "on_time": rate(values["write_ups_on_time"]),
            "done": rate(values["action_items_done"]),
        }

    matching = match(ctx.register, ctx.indexed) if ctx.register else None
    return {
        "count": len(incidents),
        "as_of": ctx.today,
        "severities": [row(name, values) for name, values in figures.items()],
        "charts": builder.charts(),
        "learning": learning.learning(ctx.indexed, ctx.index, ctx.settings, ctx.register, matching),
        "views": {i.id: i for i in incidents},
        "has_register": ctx.register is not None,
        "rate": rate,
    }


def _insights(ctx: Context, links: Links) -> InsightsBuilder:
    return InsightsBuilder(
        ctx.stats,
        ctx.settings,
        explorer=links.page("incidents") if ctx.site.has_page("incidents") else "",
        action_items=links.page("action_items") if ctx.site.has_page("action_items") else "",
    )


def insights_summary(ctx: Context, links: Links) -> str:
    """The home page's comparison of the last 90 days with the 90 before (empty when the
    insights page is switched off)."""
    if not ctx.site.has_page("insights"):
        return ""
    recent = stats.recent(ctx.indexed, ctx.settings, ctx.now, whole=ctx.stats)
    return render(
        "insights_summary.html",
        days=recent["days"],
        rows=summary_rows(recent),
        overdue_items=recent["overdue_action_items"],
        insights_url=links.page("insights"),
    )


_BUILDERS = {
    "incidents": _build_incidents,
    "severity": _build_severity,
    "action_items": _build_action_items,
    "overdue": _build_overdue,
    "services": _build_services,
    "insights": _build_insights,
    "changes": _build_changes,
    "find": _build_find,
}
