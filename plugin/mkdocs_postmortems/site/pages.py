"""The site's pages as Markdown: one per post-mortem and the index pages.

Python builds plain view models (strings, numbers, lists); Jinja2 templates with autoescape
turn them into HTML blocks inside the Markdown, so every value from a post-mortem is escaped.
The author's own body is kept as Markdown, as on any other page of the site.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import cached_property, partial
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from markupsafe import escape

from mkdocs_postmortems.core import deadlines, stats
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import how_late, plural
from mkdocs_postmortems.core.edition import (
    PUBLIC,
    internal_keys,
    internal_passages,
    is_public,
    public_url,
)
from mkdocs_postmortems.core.extra_fields import as_texts
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase
from mkdocs_postmortems.core.markdown import Table
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.register import Link, Register, match
from mkdocs_postmortems.core.sanitize import clean
from mkdocs_postmortems.core.synonyms import column_for
from mkdocs_postmortems.site import changes, facets, feeds, follow_up, learning, review
from mkdocs_postmortems.site.insights import Builder as InsightsBuilder
from mkdocs_postmortems.site.insights import minutes, periods, rate, summary_rows
from mkdocs_postmortems.site.links import HOME, Links, Site
from mkdocs_postmortems.site.related import RelatedIndex, Relation
from mkdocs_postmortems.site.render import (
    code,
    item_status,
    owner,
    render,
    render_once,
    tickets,
)
from mkdocs_postmortems.site.timeline_chart import SPAN, timeline_chart, timeline_rows
from mkdocs_postmortems.site.views import ExtraValue, Formatter, Incident, Part

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
OVERDUE_MARKER = "<!-- postmortems:overdue -->"
ASSET_DIR = "assets/postmortems/"
STYLES = ("postmortems.css",)
SCRIPTS = ("explorer.js",)
# mkdocs-material's offline plugin loads this shim from unpkg.com (search's worker under
# file://); the site carries its own copy, so a site read from disk makes no request out.
WORKER_SHIM = "iframe-worker.js"
#: Rows an index page lists at most. At 10,000 incidents full tables made each index page
#: 7 to 8.5 MB of HTML; the rest is a link away: the explorer, which loads every incident
#: from ``explorer.json``, and the pages by year, which list every incident without script.
LISTED = 500
#: Rows the incidents page lists, and its explorer shows at once: Chromium took 0.8 s more
#: to show the page with 500 (on a busy 2-core machine), and the rest is one click away.
SHOWN = 100
#: Incidents a page of one year lists: at 10,000 incidents a year of 1,800 made a page of
#: 570 kB; the rest of the year is on its next pages.
YEAR_PAGE = 1000
#: Where the explorer's data lives, under ``url_prefix`` (next to ``catalog.json``).
EXPLORER_DATA = "explorer.json"
#: Overdue action items (and findings) a post-mortem's banners above the Summary name, and
#: earlier incidents its repeat banner names: at 2,000 incidents, banners naming every one
#: pushed the story off a phone's first screen; the rest are a link away (the table, the
#: service's incidents, the command).
BANNER_ITEMS = 3
BANNER_REPEATS = 3


#: What search reads in place of a block: a text, or a function of the block's HTML.
SearchText = str | Callable[[str], str]
# A run of tags other than a code span's.
_TAGS = re.compile(r"(?:<(?!/?code>)[^>]*>)+")


def text_form(html: str) -> str:
    """A block of ours as search reads it, from far less markup: each run of tags becomes
    an empty comment, but code spans stay.

    Material's search splits text at every tag, joins it collapsing whitespace, and keeps
    only a few tags (``p``, ``code``, ``pre``, lists, ``sub``, ``sup``). A comment splits the
    text where the tags did, so search makes the same text of it (the tests compare the two
    with its own parser); it costs a fraction of a tag to parse. Only for blocks whose other
    tags search drops, with every attribute escaped (the action-items table): its cells,
    labels and badges cost search more than the rest of the page.
    """
    return _TAGS.sub("<!---->", html)


@dataclass
class RenderedPage:
    """A page's Markdown, with its generated HTML kept apart as blocks.

    The Markdown holds a placeholder comment per block. MkDocs gets the blocks back after the
    Markdown is rendered, so the Markdown processor never parses the (often large) generated
    HTML: parsing it again cost more than the rest of the build.
    """

    markdown: str
    blocks: dict[str, str] = field(default_factory=dict)
    #: What the site's search indexes in place of a block: plain text for the header card,
    #: nothing for the related incidents, or a function making it from the block when search
    #: reads the page (:func:`text_form`, for the action items). Parsing their markup doubled
    #: search's share of the build, and none of it helps a query.
    search: dict[str, SearchText] = field(default_factory=dict)
    #: The Markdown holds an author's text (a post-mortem's body): its HTML is sanitized
    #: before the blocks go back in (:func:`assemble`).
    authored: bool = False

    def add(self, key: str, html: str, *, search: SearchText | None = None) -> str:
        """Keep a block (and its text for search); return the placeholder for the Markdown."""
        self.blocks[key] = html
        if search is not None:
            self.search[key] = search
        return placeholder(key)

    def inlined(self) -> str:
        """The Markdown with every block in its place, for a generator that gives the plugin
        no event to put them back: Python-Markdown passes block-level HTML through as it is.
        Only for a page of ours alone: one with an author's text is :meth:`rendered`."""
        markdown = self.markdown
        for key, html in self.blocks.items():
            markdown = markdown.replace(placeholder(key), html.strip("\n"), 1)
        return markdown

    def html(self, rendered: str) -> str:
        """The page's HTML from the HTML its Markdown was rendered to (:func:`assemble`)."""
        return assemble(rendered, self.blocks, authored=self.authored)

    def rendered(self, to_html: Callable[[str], str]) -> str:
        """The page for a generator that renders its Markdown itself and gives the plugin no
        event after it: the front matter as it is, then the page rendered here (``to_html``:
        Markdown to HTML with the site's extensions), sanitized and with its blocks in place.
        The page is then one HTML element from start to end, which Python-Markdown passes
        through as it is, so the author's Markdown is never rendered again unsanitized."""
        front, _, markdown = self.markdown.partition(_FRONT_MATTER_END)
        return f"{front}{_FRONT_MATTER_END}\n{self.html(to_html(markdown)).strip()}\n"


def assemble(html: str, blocks: Mapping[str, str], *, authored: bool) -> str:
    """A page's HTML with every block in place of its placeholder; on a page that holds an
    author's text, each stretch of HTML between two blocks (the author's, never ours) is
    sanitized first, on its own, so that no element of the author's runs into a block.

    Blocks are ours: rendered by autoescaped templates, they go in as they are. An author
    cannot write a placeholder (see :func:`placeholder`), so a body moves no block.
    """
    parts = _PLACEHOLDER.split(html)
    for index, part in enumerate(parts):
        if index % 2:
            parts[index] = blocks.get(part, placeholder(part))
        elif authored and part.strip():
            parts[index] = clean(part)
    return "".join(parts)


_FRONT_MATTER_END = "\n---\n"


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


@dataclass
class PageMemo:
    """The post-mortem pages of the last build with what each was drawn from, kept between
    the rebuilds of ``mkdocs serve``: a page whose inputs are all the same is not drawn
    again, so an edit redraws the edited post-mortem and the pages that show it.

    A page's inputs are its post-mortem (the same object while its file is unchanged: see
    :class:`~mkdocs_postmortems.core.knowledge_base.ReadCache`), its findings, its deadline
    entries, its register links, and its related incidents (their post-mortems too, whose
    titles and severities it shows), and its neighbours in time. The settings, the site
    (with the services and owners that have pages), the day and the register are the same
    for every page: when one of them changes, no page is kept.
    """

    context: tuple[Any, ...] = ()
    pages: dict[str, tuple[tuple[Any, ...], RenderedPage]] = field(default_factory=dict)


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
            inputs = _page_inputs(pm, ctx, relations)
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


def review_page(pm: PostMortem, ctx: Context) -> tuple[RenderedPage, dict[str, bytes]]:
    """A post-mortem's printable review pack, and its meeting's invite by site path: for a
    draft or a post-mortem in review (linked from its page while it is one)."""
    site = ctx.site
    src = site.review_src(pm.id)
    links = site.links_from(src)
    pack = review.review_pack(pm, ctx.index, ctx.settings, ctx.now)
    invite_path = site.invite_path(pm.id)
    url = site.base_url.rstrip("/") + "/" + site.review_url(pm.id) if site.base_url else ""
    names = [name for name, _ in pack.participants]
    invite = feeds.review_invite(pm, pack.meeting, pack.minutes, names, url, ctx.day_start)
    body = render(
        "review_page.html",
        pack=pack,
        fmt=_formatter(ctx),
        link=lambda other: links.postmortem(other.id) if other.has_page else "",
        invite=links.asset(invite_path),
        back=links.postmortem(pm.id),
        # The title is the page's Markdown heading: the theme's skip link leads to it.
        heading=False,
    )
    page = RenderedPage("")
    meta = {
        "title": f"Review meeting: {pm.title or pm.id}",
        "search": {"exclude": True},
        "hide": ["navigation", "toc"],
    }
    page.markdown = f"{_front_matter(meta)}\n\n# Review meeting\n\n{page.add('page', body)}\n"
    return page, {invite_path: invite}


def draw_once(pm: PostMortem, ctx: Context, relations: list[Relation]) -> RenderedPage:
    """Draw a post-mortem's page, then let go of its body: every other page that shows the
    post-mortem lists it (title, severity, dates), and those were drawn first or read
    only its listing (:func:`_incident`)."""
    page = postmortem_page(pm, ctx, relations)
    pm.keep_for_listing()
    return page


#: A secret of this process in every placeholder. It never reaches a page or a file, so an
#: author cannot write a placeholder into a body to move a block or close the page's
#: wrapper early; and a build's output does not depend on it.
_NONCE = secrets.token_hex(16)
_PLACEHOLDER = re.compile(rf"<!-- postmortems:block:{_NONCE}:([\w-]+) -->")


def placeholder(key: str) -> str:
    return f"<!-- postmortems:block:{_NONCE}:{key} -->"


@dataclass
class Context:
    """Everything the pages are built from, computed once per build."""

    kb: KnowledgeBase
    site: Site
    now: datetime
    register: Register | None = None
    listed: int = LISTED
    #: With Pagefind on, the post-mortems leave the theme's own search index (one search).
    #: ``postmortems render`` keeps them in it: Pagefind runs there only if the user runs it
    #: after the generator, and the generator's own search is what its readers have.
    one_search: bool = True
    report: deadlines.Report = field(init=False)
    index: RelatedIndex = field(init=False)

    def __post_init__(self) -> None:
        # Sorted once per build: every index page, the catalogue and the home page use it.
        self.indexed = self.kb.indexed
        self.report = deadlines.report(self.indexed, self.settings, self.now, self.register)
        self.index = RelatedIndex(self.indexed)
        self.overdue_writeups = {w.postmortem.id: w for w in self.report.writeups}
        self.published_late = {p.postmortem.id: p for p in self.report.published_late}
        self.reviews_due = {r.postmortem.id: r for r in self.report.reviews}
        self.today = self.now.astimezone(self.settings.tz).date()
        #: The register's incidents each post-mortem covers, linked or guessed, by its id.
        self.register_links: dict[str, list[Link]] = (
            match(self.register, self.indexed).by_postmortem if self.register else {}
        )
        self.views: dict[str, Incident] = {}
        incidents = [_incident(pm, self) for pm in self.indexed]
        #: Every open action item, most urgent first (:func:`follow_up.urgency`).
        self.open_rows = follow_up.open_rows(
            follow_up.all_rows(incidents, self.today), self.settings
        )
        # The services' and owners' pages are known only now: every link to them is
        # drawn from the site.
        self.site = replace(self.site, facets=facets.facets(self.site, incidents, self.open_rows))
        #: The page of its owner's open items where an incident's item is listed, by owner
        #: and incident (the first, when an owner has several items from one incident).
        self.owner_pages: dict[tuple[str, str], int] = {}
        listed: Counter[str] = Counter()
        for row in self.open_rows:
            key = (row.item.owner, row.incident.id)
            self.owner_pages.setdefault(key, 1 + listed[row.item.owner] // follow_up.PER_PAGE)
            listed[row.item.owner] += 1
        #: Each incident's neighbours in time (older, newer), for the pager of its page.
        self.order = [i.id for i in incidents if i.day is not None]
        self.position = {ident: index for index, ident in enumerate(self.order)}
        #: The page of its year's list where each incident is (:data:`YEAR_PAGE` to a page).
        self.year_page: dict[str, int] = {}
        in_year: Counter[int | str] = Counter()
        for incident in incidents:
            self.year_page[incident.id] = 1 + in_year[incident.year] // YEAR_PAGE
            in_year[incident.year] += 1

    @property
    def settings(self) -> Settings:
        return self.kb.settings

    @property
    def day_start(self) -> datetime:
        """The start of the build's day in the site's timezone: the moment files carry
        where only the day is meaningful (a calendar's DTSTAMP, the catalogue's date)."""
        return datetime.combine(self.today, time(), tzinfo=self.settings.tz)

    @cached_property
    def stats(self) -> stats.Stats:
        """The figures of the insights page, computed only when a page asks for them."""
        return stats.compute(self.indexed, self.settings, self.now, register=self.register)


def _page_inputs(pm: PostMortem, ctx: Context, relations: list[Relation]) -> tuple[Any, ...]:
    """What a post-mortem's page shows beyond the settings, the site and the day (see
    :class:`PageMemo`). Post-mortems compare by identity first, so an unchanged one costs
    nothing to compare."""
    return (
        pm,
        tuple(pm.findings),
        ctx.overdue_writeups.get(pm.id),
        ctx.published_late.get(pm.id),
        ctx.reviews_due.get(pm.id),
        tuple(ctx.register_links.get(pm.id, ())),
        ctx.index.previous_on_services(pm) if pm.readable else 0,
        tuple(other.id for other in _repeats(pm, ctx)),
        tuple(relations),
        tuple(r.postmortem.id in ctx.overdue_writeups for r in relations),
        _neighbours(pm, ctx),
        ctx.year_page.get(pm.id),
    )


def postmortem_page(pm: PostMortem, ctx: Context, relations: list[Relation]) -> RenderedPage:
    """A post-mortem's page: header card, banners, body, related incidents (``relations``:
    the caller has them already, for :class:`PageMemo`)."""
    links = ctx.site.links_from(ctx.site.postmortem_src(pm.id))
    title = pm.title or pm.path.name
    view = _incident(pm, ctx)
    page = RenderedPage("", authored=True)
    fmt = _formatter(ctx)
    overdue_items = [
        (item, days)
        for item in pm.action_items
        if (days := deadlines.action_days_late(item, ctx.today))
    ]
    facts: dict[str, Any] = {
        "pm": view,
        "register_links": ctx.register_links.get(pm.id, []),
        "previous": ctx.index.previous_on_services(pm) if pm.readable else 0,
        "links": links,
        "fmt": fmt,
        "pagefind": ctx.settings.pagefind,
        "late": ctx.published_late.get(pm.id),
    }
    # The card of every fact goes below the Summary, so that the story comes first; a
    # page without a Summary keeps it in the header.
    summary_end = _summary_end(pm)
    repeats = _repeats_banner(pm, ctx, links)
    header = render(
        "postmortem_header.html",
        **facts,
        card=summary_end is None,
        oneline=_oneline(view, fmt),
        deadline=_deadline_state(pm, ctx, len(overdue_items)),
        overdue_items=overdue_items,
        ticket_patterns=ctx.settings.tickets,
        findings=[f for f in pm.findings if f.level == "error"],
        writeup=ctx.overdue_writeups.get(pm.id),
        review=ctx.reviews_due.get(pm.id),
        year_page=ctx.year_page.get(pm.id, 1),
        owner_page=lambda name: ctx.owner_pages.get((name, pm.id), 1),
        review_pack=links.review(pm.id) if review.has_pack(pm) else "",
        **repeats,
        banner_items=BANNER_ITEMS,
        outcome=pm.review_outcome,
        outcome_note=pm.review_note,
    ) + _public_version(pm, ctx)
    # What a reader asks after the story (did this happen before?) comes with the card.
    card = (
        ""
        if summary_end is None
        else render("postmortem_repeats.html", links=links, **repeats)
        + render("postmortem_card.html", **facts)
    )
    related = render(
        "postmortem_related.html",
        links=links,
        pagefind=ctx.settings.pagefind,
        relations=[(_incident(r.postmortem, ctx), _relation_note(r, ctx)) for r in relations],
    )
    search = render("postmortem_search.html", pm=view)
    crumbs = render("postmortem_crumbs.html", pm=view, links=links, pagefind=ctx.settings.pagefind)
    older, newer = _neighbours(pm, ctx)
    pager = render(
        "postmortem_pager.html",
        older=older,
        newer=newer,
        links=links,
        pagefind=ctx.settings.pagefind,
    )
    meta: dict[str, Any] = {"title": title, **pm.meta}
    if pm.summary:
        meta.setdefault("description", pm.summary)
    if pm.tags:
        # What mkdocs-material's tags plugin lists in its index (and search shows as chips).
        meta.setdefault("tags", list(pm.tags))
    if ctx.settings.pagefind and ctx.one_search:
        # One search: Pagefind answers for the post-mortems from small chunks fetched as the
        # reader types, so the theme's index, which every page downloads whole, keeps only
        # the other pages (at 10,000 post-mortems it was most of every page view's bytes).
        meta.setdefault("search", {"exclude": True})
    # The whole post-mortem sits in one element of ours: the hook of the print stylesheet,
    # and what Pagefind indexes (data-pagefind-body) whatever the theme's markup.
    start = render_once("postmortem_start.html", pagefind=ctx.settings.pagefind)
    parts = [
        _front_matter(meta),
        # One block with the header: whitespace between them would give search an untitled
        # first section, and the page's own result would lose the header's title.
        page.add("header", start + crumbs + header, search=search),
        _body(pm, ctx, page, card, summary_end),
    ]
    if related.strip():
        parts.append(page.add("related", related, search=""))
    if pager.strip():
        parts.append(page.add("pager", pager, search=""))
    parts.append(page.add("end", render_once("postmortem_end.html"), search=""))
    page.markdown = "\n\n".join(part for part in parts if part.strip()) + "\n"
    return page


def _repeats(pm: PostMortem, ctx: Context) -> list[PostMortem]:
    if not pm.readable:
        return []
    return ctx.index.repeats(pm, ctx.settings.recurrence_window)


def _repeats_banner(pm: PostMortem, ctx: Context, links: Links) -> dict[str, Any]:
    """The newest :data:`BANNER_REPEATS` incidents this one repeats; how many more, and the
    incidents of the service the newest one shares, where they all are."""
    repeats = _repeats(pm, ctx)
    shown = repeats[:BANNER_REPEATS]
    service = next((s for s in pm.services if shown and s in shown[0].services), "")
    more = len(repeats) - len(shown)
    return {
        "recurrence_days": ctx.settings.recurrence_window.days,
        "repeats": [_incident(other, ctx) for other in shown],
        "repeats_more": more,
        "repeats_service": service,
        "repeats_url": links.service(service) if more and service else "",
    }


def _neighbours(pm: PostMortem, ctx: Context) -> tuple[Incident | None, Incident | None]:
    """The incidents that started just before and just after this one."""
    position = ctx.position.get(pm.id)
    if position is None:
        return None, None
    older = ctx.order[position + 1] if position + 1 < len(ctx.order) else None
    newer = ctx.order[position - 1] if position > 0 else None
    return (
        ctx.views[older] if older else None,
        ctx.views[newer] if newer else None,
    )


def _oneline(view: Incident, fmt: Formatter) -> list[Part]:
    """How long and how many, for the one-line header: "5 h 48 min · 61,000 users"."""
    parts = []
    if view.duration is not None:
        parts.append(Part("duration", fmt.duration(view.duration)))
    elif view.started is not None:
        parts.append(Part("duration", "ongoing"))
    if impact := _impact(view.impact):
        parts.append(Part("impact", impact))
    return parts


def _impact(impact: dict[str, Any]) -> str:
    """The impact in one number or phrase: users affected, else revenue, else data loss."""
    users = impact.get("users_affected")
    if isinstance(users, int) and not isinstance(users, bool):
        return f"{users:,} user{'s' if users != 1 else ''}"
    if revenue := impact.get("revenue"):
        return str(revenue)
    if impact.get("data_loss") is True:
        return "data lost"
    return ""


def _deadline_state(pm: PostMortem, ctx: Context, overdue_items: int) -> list[Part]:
    """Where the post-mortem stands against its deadlines, worst first; "on time" when it
    has a deadline and met it."""
    parts = []
    if writeup := ctx.overdue_writeups.get(pm.id):
        parts.append(Part("late", f"write-up {how_late(writeup.late_by)} late"))
    if overdue_items:
        parts.append(Part("late", f"{plural(overdue_items, 'action item')} overdue"))
    if pm.id in ctx.reviews_due:
        parts.append(Part("due", "effectiveness review due"))
    if late := ctx.published_late.get(pm.id):
        parts.append(Part("done", f"published {plural(late.days_late, 'day')} late"))
    severity = ctx.settings.severity(pm.severity)
    if not parts and pm.published and severity is not None and severity.deadline is not None:
        parts.append(Part("ok", "published on time"))
    return parts


def _summary_end(pm: PostMortem) -> int | None:
    """The index, into the body's lines, of the Summary section's last line; None when the
    page draws no Summary of the author's."""
    if not pm.readable or pm.body is None:
        return None
    sections = pm.body.sections
    for index, section in enumerate(sections):
        if section.name == "Summary":
            if index + 1 < len(sections):
                return sections[index + 1].pos.line - pm.body_line - 1
            return len(pm.body_text.split("\n")) - 1
    return None


def _public_version(pm: PostMortem, ctx: Context) -> str:
    """On the internal site, the link to a public post-mortem's public version, and what
    that version leaves out."""
    url = public_url(pm, ctx.settings)
    if not url:
        return ""
    return render(
        "postmortem_public.html",
        url=url,
        keys=sorted(internal_keys(ctx.settings)),
        columns=ctx.settings.public_edition.columns,
    )


def _relation_note(relation: Relation, ctx: Context) -> str:
    """Why an incident is listed as related: "2025-03-02 · linked · same service: api"."""
    incident = _incident(relation.postmortem, ctx)
    parts = [str(incident.day or "")]
    if relation.explicit:
        parts.append("linked")
    if relation.shared_services:
        parts.append(f"same service: {', '.join(relation.shared_services)}")
    if relation.shared_tags:
        parts.append(f"same kind: {', '.join(relation.shared_tags)}")
    return " · ".join(parts)


def index_page(name: str, ctx: Context) -> RenderedPage:
    """One of the generated index pages (kept out of search: the incidents themselves are in)."""
    links = ctx.site.links_from(ctx.site.page_src(name))
    incidents = [_incident(pm, ctx) for pm in ctx.indexed]
    build = _BUILDERS[name]
    tabs = render(
        "index_tabs.html",
        tabs=[(other, TITLES[other], links.page(other)) for other in index_pages(ctx.site)],
        current=name,
    )
    body = tabs + render(
        f"index_{name}.html", links=links, fmt=_formatter(ctx), **build(ctx, incidents)
    )
    page = RenderedPage("")
    meta = {"title": TITLES[name], "search": {"exclude": True}, "hide": ["toc"]}
    page.markdown = _index_markdown(meta, page.add("page", body))
    return page


def facet_pages(ctx: Context) -> dict[str, RenderedPage]:
    """A page per service and per owner (:mod:`~mkdocs_postmortems.site.facets`), by source
    path, with the index pages' tabs."""
    site = ctx.site
    fmt = _formatter(ctx)
    found = facets.service_pages(
        site, [_incident(pm, ctx) for pm in ctx.indexed], ctx.open_rows, fmt, feeds.feed_path(site)
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
            incidents[start : start + YEAR_PAGE] for start in range(0, len(incidents), YEAR_PAGE)
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
    return f"{_front_matter(meta)}\n\n# {escape(meta['title'])}\n\n{block}\n"


def _by_year(ctx: Context) -> dict[int, list[Incident]]:
    """Incidents by the year they started in (newest year first); undated ones are left to
    the explorer and their own pages."""
    by_year: dict[int, list[Incident]] = defaultdict(list)
    for pm in ctx.indexed:
        incident = _incident(pm, ctx)
        if isinstance(incident.year, int):
            by_year[incident.year].append(incident)
    return dict(sorted(by_year.items(), reverse=True))


def explorer_data(ctx: Context) -> str:
    """Every incident as the explorer's rows need it, as compact JSON: the incidents page
    lists only the newest, and the explorer filters, sorts and shows the rest from this.

    Keys are short (the file is read by the explorer alone, at 10,000 incidents it is 2 MB):
    see ``record`` in explorer.js. URLs are relative to the site root.
    """
    fmt = _formatter(ctx)
    records = []
    for pm in ctx.indexed:
        i = _incident(pm, ctx)
        records.append(
            {
                "i": i.id,
                "t": i.title,
                "u": ctx.site.postmortem_url(i.id),
                "s": i.severity,
                "r": i.severity_rank,
                "l": i.severity_label,
                "st": i.status,
                "d": i.started.isoformat() if i.started else "",
                "dt": fmt.datetime(i.started),
                "y": str(i.year),
                "m": i.month,
                "q": i.quarter,
                "du": i.duration_minutes,
                "dd": fmt.duration(i.duration) or "ongoing",
                "sv": i.services,
                "tg": i.tags,
                "v": int(i.valid),
                "o": int(i.overdue),
                "oi": i.overdue_items,
                # The team's filterable fields, as the rows' data-x-NAME attributes hold them.
                "x": {f"x-{x.name}": x.values for x in i.extra if x.filterable},
            }
        )
    return json.dumps(records, ensure_ascii=False, separators=(",", ":")) + "\n"


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
    incidents = {pm.id: _incident(pm, ctx) for pm in ctx.indexed}
    return render(
        "overdue_summary.html",
        incidents=incidents,
        report=ctx.report,
        late_rows=[r for r in ctx.open_rows if r.days_late],
        links=links,
        fmt=_formatter(ctx),
        has_overdue_page=ctx.site.has_page("overdue"),
    )


CATALOGUE_VERSION = 1


def catalogue(ctx: Context) -> str:
    """The knowledge base as JSON, for other tools: one record per indexed incident.

    URLs are relative to the site root. The format is documented in docs/catalogue.md and
    versioned by ``version``; fields are only ever added within a version.
    """
    site = ctx.site
    extras = ctx.settings.extra_fields
    incidents = []
    for pm in ctx.indexed:
        incidents.append(
            {
                "id": pm.id,
                "title": pm.title,
                "url": site.postmortem_url(pm.id),
                "path": _project_path(pm, ctx.settings),
                "severity": pm.severity,
                "status": pm.status,
                "started": _iso(pm.started),
                "detected": _iso(pm.detected),
                "resolved": _iso(pm.resolved),
                "published": _iso(pm.published),
                "reviewed": _iso(pm.reviewed),
                "duration_minutes": int(pm.time_to_resolve.total_seconds() // 60)
                if pm.time_to_resolve
                else None,
                "services": pm.services,
                "tags": pm.tags,
                "authors": pm.authors,
                "facilitator": pm.facilitator or None,
                "impact": pm.impact,
                "related": pm.related,
                "extra": {spec.name: _json_value(pm.extra.get(spec.name)) for spec in extras},
                "summary": pm.summary,
                "valid": pm.valid,
                "writeup_overdue": pm.id in ctx.overdue_writeups,
                "action_items": [
                    {
                        "action": item.action,
                        "owner": item.owner,
                        "due": _iso(item.due),
                        "priority": item.priority,
                        "status": item.status,
                        "ticket": item.ticket or None,
                        "days_overdue": deadlines.action_days_late(item, ctx.today),
                    }
                    for item in pm.action_items
                ],
            }
        )
    payload = {
        "version": CATALOGUE_VERSION,
        "generated": ctx.day_start.isoformat(),  # the day: the same bytes all day long
        "severities": [s.name for s in ctx.settings.severities],
        "incidents": incidents,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"


def _project_path(pm: PostMortem, settings: Settings) -> str:
    """The file's path from the project root (where mkdocs.yml is), whatever the working
    directory of the build: the same site from ``mkdocs build`` anywhere."""
    root = f"{os.path.abspath(settings.root)}{os.sep}"
    path = os.path.abspath(pm.path)
    return Path(path[len(root) :] if path.startswith(root) else path).as_posix()


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _front_matter(meta: dict[str, Any]) -> str:
    """The one place where values become page metadata for MkDocs and its theme.

    mkdocs-material prints ``title`` and ``description`` into ``<title>`` and
    ``<meta content="...">`` without escaping them, and other themes and plugins may put any
    string of the metadata into HTML the same way. So every string is HTML-escaped here (a
    browser shows the entities as the characters). The metadata is written as JSON, which is
    valid YAML and many times faster to write; ``ensure_ascii`` spells every character
    beyond ASCII as an escape, so no control character or noncharacter can make the YAML
    unreadable (MkDocs would then drop the page's title without a word).
    """
    return f"---\n{json.dumps(_escaped(meta), ensure_ascii=True)}\n---"


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return str(escape(value))
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    return value


def _body(
    pm: PostMortem, ctx: Context, page: RenderedPage, card: str = "", summary_end: int | None = None
) -> str:
    """The author's Markdown, with the action-items table replaced by one showing state and
    the timeline table wrapped, so its times keep to one line whatever the theme; the fact
    ``card`` goes after the Summary's last line (``summary_end``)."""
    if not pm.readable:
        return page.add(
            "source", render("postmortem_source.html", text=pm.body_text or pm.raw_text)
        )
    lines = pm.body_text.split("\n")
    _drop_title_heading(lines, pm.title)
    edits: list[tuple[int, int, list[str]]] = []
    timeline = _section_table(pm, "Timeline")
    if timeline is not None:
        first, last = _table_span(timeline, pm)
        # Python-Markdown renders the table between the two blocks: the author's links and
        # emphasis stay, and the wrapper gives the stylesheet a hook on any theme.
        start = page.add("timeline-start", render_once("timeline_start.html"))
        end = page.add("timeline-end", render_once("block_end.html"))
        drawn = _timeline_chart(pm, ctx, timeline, page)
        edits.append((first, last, [*drawn, "", start, "", *lines[first : last + 1], "", end, ""]))
    table = _section_table(pm, "Action Items")
    if table is not None and pm.action_items:
        first, last = _table_span(table, pm)
        block = page.add("action-items", _action_items(table, pm, ctx), search=text_form)
        edits.append((first, last, ["", block, ""]))
    if card and summary_end is not None:
        block = page.add("card", card, search="")
        edits.append((summary_end + 1, summary_end, ["", block, ""]))
    edits.extend(_internal_marks(lines, pm, ctx, page))
    # From the bottom up, so the line numbers of the edits above stay valid.
    for first, last, replacement in sorted(edits, reverse=True):
        lines[first : last + 1] = replacement
    return "\n".join(lines)


def _timeline_chart(pm: PostMortem, ctx: Context, table: Table, page: RenderedPage) -> list[str]:
    """The visual timeline's block above the table, as lines of the body (none when there
    is no stretch of time to draw)."""
    rows = timeline_rows(table, pm.started, pm.tz)
    chart = timeline_chart(pm.started, pm.detected, pm.resolved, rows, _formatter(ctx))
    if chart is None:
        return []
    html = render("timeline_chart.html", chart=chart, span=SPAN)
    return ["", page.add("timeline-chart", html, search="")]


def _internal_marks(
    lines: list[str], pm: PostMortem, ctx: Context, page: RenderedPage
) -> list[tuple[int, int, list[str]]]:
    """On the internal site, each internal passage of a public post-mortem in a box of its
    own, so the reader sees what the public edition leaves out."""
    if ctx.settings.edition == PUBLIC or not is_public(pm, ctx.settings):
        return []
    edits = []
    for number, (opening, closing) in enumerate(internal_passages(lines)):
        start = page.add(f"internal-{number}", render_once("internal_start.html"))
        end = page.add(f"internal-{number}-end", render_once("block_end.html"))
        edits.append((opening, opening, ["", start, ""]))
        edits.append((closing, closing, ["", end, ""]))
    return edits


def _section_table(pm: PostMortem, name: str) -> Table | None:
    section = pm.body.section(name) if pm.body else None
    return section.table() if section else None


def _table_span(table: Table, pm: PostMortem) -> tuple[int, int]:
    """The table's first and last line, as indexes into the body's lines."""
    last = table.rows[-1].line if table.rows else table.line + 1
    return table.line - pm.body_line, last - pm.body_line


def _action_items(table: Table, pm: PostMortem, ctx: Context) -> str:
    """The action-items table with each item's state; every cell labelled with its column,
    so a narrow screen can show each row as a card."""
    status_column = table.column("status")
    owner_column = table.column("owner")
    links = ctx.site.links_from(ctx.site.postmortem_src(pm.id))
    ticket_column = table.column("ticket")
    patterns = ctx.settings.tickets
    header = [cell.text for cell in table.header]
    if status_column is None:
        header.append("Status")
    columns = [(name, (column_for(name) or "").lower()) for name in header]
    # Each cell comes with its column's name and kind, paired here rather than looked up
    # cell by cell in the template (a third of the time of drawing the post-mortem pages).
    # A row longer than the header has cells without a column.
    unnamed = ("", "")
    rows = []
    for row, item in zip(table.rows, pm.action_items, strict=False):
        days_late = deadlines.action_days_late(item, ctx.today)
        state = item_status(item.status, days_late)
        cells = [
            state
            if index == status_column
            else owner(item.owner, links, ctx.owner_pages.get((item.owner, pm.id), 1))
            if index == owner_column and item.is_open
            else tickets(cell.text, patterns)
            if index == ticket_column
            else code(cell.text)
            for index, cell in enumerate(row.cells)
        ]
        if status_column is None:
            cells.append(state)
        labelled = [
            (cell, *(columns[index] if index < len(columns) else unnamed))
            for index, cell in enumerate(cells)
        ]
        rows.append((labelled, item.status, days_late))
    return render("action_items_table.html", columns=columns, rows=rows)


def _drop_title_heading(lines: list[str], title: str) -> None:
    """Blank a leading ``# Title`` that repeats the front matter's title (the header shows it).

    Blanked, not removed, so line positions (and the action-items table) stay where they were.
    """
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith("# ") and line[2:].strip().lower() == title.strip().lower():
            lines[index] = ""
        return


def _formatter(ctx: Context) -> Formatter:
    return Formatter(ctx.settings)


def incident_view(pm: PostMortem, ctx: Context) -> Incident:
    """What the pages show of an incident, computed once per build."""
    return _incident(pm, ctx)


def _incident(pm: PostMortem, ctx: Context) -> Incident:
    view = ctx.views.get(pm.id)
    if view is None:
        view = ctx.views[pm.id] = _view(pm, ctx)
    return view


def _view(pm: PostMortem, ctx: Context) -> Incident:
    severity = ctx.settings.severity(pm.severity)
    duration = pm.time_to_resolve
    local = pm.started.astimezone(ctx.settings.tz) if pm.started else None
    month, quarter = periods(local.date() if local else None)
    return Incident(
        id=pm.id,
        title=pm.title or pm.path.name,
        severity=pm.severity,
        severity_rank=ctx.settings.severity_names.index(pm.severity)
        if severity
        else len(ctx.settings.severities),
        severity_label=severity.label if severity else pm.severity,
        status=pm.status,
        started=pm.started,
        day=local.date() if local else None,
        detected=pm.detected,
        resolved=pm.resolved,
        published=pm.published,
        year=local.year if local else "",
        month=month,
        quarter=quarter,
        duration=duration,
        duration_minutes=int(duration.total_seconds() // 60) if duration else "",
        time_to_detect=pm.time_to_detect,
        services=pm.services,
        tags=pm.tags,
        authors=pm.authors,
        facilitator=pm.facilitator,
        impact=pm.impact,
        valid=pm.valid,
        overdue=pm.id in ctx.overdue_writeups,
        summary=pm.summary,
        action_items=pm.action_items,
        open_items=sum(item.is_open for item in pm.action_items),
        overdue_items=sum(
            bool(deadlines.action_days_late(item, ctx.today)) for item in pm.action_items
        ),
        imported=pm.imported,
        reviewed=pm.reviewed,
        extra=tuple(
            ExtraValue(spec.name, spec.title, as_texts(pm.extra[spec.name]), spec.filterable)
            for spec in ctx.settings.extra_fields
            if spec.name in pm.extra
        ),
    )


def _json_value(value: Any) -> Any:
    """A team field's value in JSON: dates as ISO text, nothing as null."""
    return value.isoformat() if isinstance(value, date) else value


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

__all__ = [
    "EXPLORER_DATA",
    "HOME",
    "INDEX_PAGES",
    "Context",
    "GeneratedSite",
    "RenderedPage",
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
    "year_pages",
]
