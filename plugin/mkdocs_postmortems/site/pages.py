"""The site a generator is handed: every page (post-mortems, index pages, years, services,
owners, review packs), the assets, the data files, the feed and the calendars.

The pages themselves are built by :mod:`.postmortem` and :mod:`.indexes`, as Markdown with
blocks (:mod:`.blocks`) from a :class:`~.context.Context`; :mod:`.memo` keeps them between
the rebuilds of ``mkdocs serve``. Their names are importable from here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from mkdocs_postmortems.site import feeds, follow_up, review
from mkdocs_postmortems.site.blocks import (
    RenderedPage,
    SearchText,
    assemble,
    placeholder,
    text_form,
)
from mkdocs_postmortems.site.catalogue import EXPLORER_DATA, catalogue, explorer_data
from mkdocs_postmortems.site.context import Context, incident_view
from mkdocs_postmortems.site.indexes import (
    INDEX_PAGES,
    facet_pages,
    in_navigation,
    index_page,
    index_pages,
    insights_summary,
    overdue_summary,
    year_pages,
)
from mkdocs_postmortems.site.links import HOME
from mkdocs_postmortems.site.memo import PageMemo, page_inputs
from mkdocs_postmortems.site.postmortem import draw_once, postmortem_page, review_page

OVERDUE_MARKER = "<!-- postmortems:overdue -->"
ASSET_DIR = "assets/postmortems/"
STYLES = ("postmortems.css",)
SCRIPTS = ("explorer.js",)
# mkdocs-material's offline plugin loads this shim from unpkg.com (search's worker under
# file://); the site carries its own copy, so a site read from disk makes no request out.
WORKER_SHIM = "iframe-worker.js"


@dataclass
class GeneratedSite:
    """Every file a site generator is handed: pages by source path, assets, the catalogue."""

    pages: dict[str, RenderedPage]
    navigation: set[str]  # the sources that belong in the automatic navigation
    files: dict[str, bytes]  # assets and the catalogue, by source path
    sources: dict[str, Path]  # each post-mortem page's own file, by the page's source path
    #: Post-mortem pages drawn only when the generator reads them (``generated_site(...,
    #: later=True)``), by source path. Each may be drawn once: it lets go of its
    #: post-mortem's body (see :func:`draw_once`).
    later: dict[str, Callable[[], RenderedPage]] = field(default_factory=dict)


def generated_site(
    ctx: Context, memo: PageMemo | None = None, *, later: bool = False
) -> GeneratedSite:
    """The post-mortem pages, the index pages, the assets and the catalogue; with a
    ``memo`` of the last build, post-mortem pages whose inputs are unchanged are kept.

    ``later`` (a single build): the post-mortem pages are left to draw when the generator
    reads each one (:attr:`GeneratedSite.later`), so that 10,000 drawn pages are never held
    in memory beside the knowledge base they are drawn from.
    """
    if later and memo is not None:
        raise ValueError("a page drawn later is drawn once: there is nothing to keep")
    site = ctx.site
    pages: dict[str, RenderedPage] = {}
    deferred: dict[str, Callable[[], RenderedPage]] = {}
    sources: dict[str, Path] = {}
    context = (ctx.settings, site, ctx.today, ctx.register)
    kept = memo.pages if memo is not None and memo.context == context else {}
    drawn: dict[str, tuple[tuple[Any, ...], RenderedPage]] = {}
    for pm in ctx.kb.postmortems:
        if not pm.has_page:
            continue  # refused, or a reserved or taken id: reported, and never silenced
        src = site.postmortem_src(pm.id)
        relations = ctx.index.related(pm) if pm.readable else []
        if later:
            deferred[src] = partial(draw_once, pm, ctx, relations)
        elif memo is None:
            pages[src] = postmortem_page(pm, ctx, relations)
        else:
            inputs = page_inputs(pm, ctx, relations)
            last = kept.get(src)
            page = last[1] if last and last[0] == inputs else postmortem_page(pm, ctx, relations)
            pages[src] = page
            drawn[src] = (inputs, page)
        sources[src] = pm.path
    if memo is not None:
        memo.context, memo.pages = context, drawn
    navigation = set()
    invites: dict[str, bytes] = {}
    for name in index_pages(site):
        pages[site.page_src(name)] = index_page(name, ctx)
        if in_navigation(name, site):
            navigation.add(site.page_src(name))
    pages.update(year_pages(ctx))
    for pm in ctx.indexed:
        if pm.has_page and review.has_pack(pm):
            pages[site.review_src(pm.id)], files_of_review = review_page(pm, ctx)
            invites.update(files_of_review)
    pages.update(facet_pages(ctx))
    assets = package_files("mkdocs_postmortems.site") / "assets"
    files = {
        ASSET_DIR + name: (assets / name).read_bytes() for name in (*STYLES, *SCRIPTS, WORKER_SHIM)
    }
    files[f"{ctx.settings.url_prefix}catalog.json"] = catalogue(ctx).encode("utf-8")
    if site.has_page("incidents"):
        files[f"{ctx.settings.url_prefix}{EXPLORER_DATA}"] = explorer_data(ctx).encode("utf-8")
    if site.has_page("action_items"):
        data = follow_up.data(ctx.open_rows, site)
        files[f"{ctx.settings.url_prefix}{follow_up.FOLLOW_UP_DATA}"] = data.encode("utf-8")
    files.update(invites)
    # The feed and calendars carry the day, not the second: a second build the same day
    # writes the same bytes (``postmortems render`` then rewrites nothing).
    files[feeds.feed_path(site)] = feeds.atom(ctx.indexed, site, site.name, ctx.day_start)
    files.update(feeds.calendars(ctx.indexed, site, site.name, ctx.day_start))
    return GeneratedSite(pages, navigation, files, sources, deferred)


__all__ = [
    "EXPLORER_DATA",
    "HOME",
    "INDEX_PAGES",
    "Context",
    "GeneratedSite",
    "PageMemo",
    "RenderedPage",
    "SearchText",
    "assemble",
    "catalogue",
    "explorer_data",
    "generated_site",
    "in_navigation",
    "incident_view",
    "index_page",
    "index_pages",
    "insights_summary",
    "overdue_summary",
    "placeholder",
    "postmortem_page",
    "text_form",
    "year_pages",
]
