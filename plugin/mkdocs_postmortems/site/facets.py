"""A page per service and a page (or a few) per owner: where a service, an owner or a
severity chip leads a reader who has no JavaScript, and what a service team or an owner
opens to see their own follow-up.

The bodies are HTML from templates; :mod:`~mkdocs_postmortems.site.indexes` puts each in a
page with the index pages' tabs.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from mkdocs_postmortems.site import follow_up
from mkdocs_postmortems.site.follow_up import ActionRow
from mkdocs_postmortems.site.links import Facets, Site, slugs
from mkdocs_postmortems.site.render import render
from mkdocs_postmortems.site.views import Formatter, Incident

#: Incidents a service's page lists, newest first; the explorer has every one.
SHOWN = 100


@dataclass(frozen=True)
class FacetPage:
    title: str
    body: str
    tab: str  # the index page whose tab is current: "services" or "action_items"


@dataclass(frozen=True, slots=True)
class Trend:
    """One year of a service's incidents: how many, and how long they took to resolve."""

    year: int
    count: int
    median: timedelta | None
    longest: timedelta | None


def facets(site: Site, incidents: Iterable[Incident], open_rows: Iterable[ActionRow]) -> Facets:
    """The services and owners that get a page: every service of an incident (when the
    services page is on), every owner of an open item (when the action-items page is on)."""
    services = slugs(s for i in incidents for s in i.services) if site.has_page("services") else {}
    owners = slugs(r.item.owner for r in open_rows) if site.has_page("action_items") else {}
    return Facets(services=services, owners=owners)


def service_pages(
    site: Site,
    incidents: list[Incident],
    open_rows: list[ActionRow],
    fmt: Formatter,
    feed: str,
) -> dict[str, FacetPage]:
    """Each service's page, by source path: its open items (most urgent first), its
    time-to-resolve trend by year, its newest incidents."""
    by_service: dict[str, list[Incident]] = defaultdict(list)
    for incident in incidents:
        for service in dict.fromkeys(incident.services):
            by_service[service].append(incident)
    rows_of: dict[str, list[ActionRow]] = defaultdict(list)
    for row in open_rows:
        for service in dict.fromkeys(row.incident.services):
            rows_of[service].append(row)
    pages = {}
    for service in site.facets.services:
        src = site.service_src(service)
        links = site.links_from(src)
        rows = rows_of[service]
        body = render(
            "facet_service.html",
            service=service,
            incidents=by_service[service],
            shown=SHOWN,
            rows=rows[: follow_up.PER_PAGE],
            open_total=len(rows),
            overdue=sum(bool(r.days_late) for r in rows),
            owners=follow_up.counts(rows, "owner"),
            trend=trend(by_service[service]),
            explorer=links.explorer("service", service),
            follow_up=f"{links.page('action_items')}?service={quote(service, safe='')}"
            if site.has_page("action_items")
            else "",
            feed=feed,
            links=links,
            fmt=fmt,
        )
        pages[src] = FacetPage(service, body, "services")
    return pages


def owner_pages(
    site: Site, open_rows: list[ActionRow], fmt: Formatter, calendars: dict[str, str]
) -> dict[str, FacetPage]:
    """Each owner's open items, most urgent first, :data:`follow_up.PER_PAGE` to a page:
    every item is a link away without the command line or a script."""
    rows_of: dict[str, list[ActionRow]] = defaultdict(list)
    for row in open_rows:
        rows_of[row.item.owner].append(row)
    pages = {}
    for owner in site.facets.owners:
        rows = rows_of[owner]
        chunks = follow_up.pages_of(rows)
        for number, chunk in enumerate(chunks, start=1):
            src = site.owner_src(owner, number)
            links = site.links_from(src)
            body = render(
                "facet_owner.html",
                owner=owner,
                rows=chunk,
                total=len(rows),
                overdue=sum(bool(r.days_late) for r in rows),
                number=number,
                pages=len(chunks),
                page_url=_owner_page(links.owner, owner),
                calendar=calendars.get(owner, ""),
                links=links,
                fmt=fmt,
            )
            title = f"Action items of {owner}" + (f" (page {number})" if number > 1 else "")
            pages[src] = FacetPage(title, body, "action_items")
    return pages


def trend(incidents: Iterable[Incident]) -> list[Trend]:
    """A service's incidents by year, newest year first, with the median and the longest
    time to resolve (of the resolved ones)."""
    by_year: dict[int, list[Incident]] = defaultdict(list)
    for incident in incidents:
        if isinstance(incident.year, int):
            by_year[incident.year].append(incident)
    found = []
    for year, listed in sorted(by_year.items(), reverse=True):
        durations = [i.duration for i in listed if i.duration is not None]
        found.append(
            Trend(
                year,
                len(listed),
                statistics.median_low(durations) if durations else None,
                max(durations) if durations else None,
            )
        )
    return found


def _owner_page(link: Callable[[str, int], str], owner: str) -> Callable[[int], str]:
    return lambda number: link(owner, number)
