"""A post-mortem's page and its printable review pack: the header (one line, banners), the
author's body with the timeline drawn and the action items' state, the fact card after the
Summary, related incidents and neighbours in time.

Python builds plain view models; Jinja2 templates with autoescape turn them into HTML
blocks inside the Markdown, so every value from a post-mortem is escaped. The author's own
body is kept as Markdown, as on any other page of the site.
"""

from __future__ import annotations

from typing import Any

from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.dates import how_late, plural
from mkdocs_postmortems.core.edition import (
    PUBLIC,
    internal_keys,
    internal_passages,
    is_public,
    public_url,
)
from mkdocs_postmortems.core.markdown import Table
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.synonyms import column_for
from mkdocs_postmortems.site import feeds, review
from mkdocs_postmortems.site.blocks import RenderedPage, front_matter, text_form
from mkdocs_postmortems.site.context import Context, formatter, incident_view
from mkdocs_postmortems.site.links import Links
from mkdocs_postmortems.site.related import Relation
from mkdocs_postmortems.site.render import (
    code,
    item_status,
    owner,
    render,
    render_once,
    tickets,
)
from mkdocs_postmortems.site.timeline_chart import SPAN, timeline_chart, timeline_rows
from mkdocs_postmortems.site.views import Incident, Part, oneline

#: Overdue action items (and findings) a post-mortem's banners above the Summary name, and
#: earlier incidents its repeat banner names: at 2,000 incidents, banners naming every one
#: pushed the story off a phone's first screen; the rest are a link away (the table, the
#: service's incidents, the command).
BANNER_ITEMS = 3
BANNER_REPEATS = 3


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
        fmt=formatter(ctx),
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
    page.markdown = f"{front_matter(meta)}\n\n# Review meeting\n\n{page.add('page', body)}\n"
    return page, {invite_path: invite}


def draw_once(pm: PostMortem, ctx: Context, relations: list[Relation]) -> RenderedPage:
    """Draw a post-mortem's page, then let go of its body: every other page that shows the
    post-mortem lists it (title, severity, dates), and those were drawn first or read
    only its listing (:func:`incident_view`)."""
    page = postmortem_page(pm, ctx, relations)
    pm.keep_for_listing()
    return page


def postmortem_page(pm: PostMortem, ctx: Context, relations: list[Relation]) -> RenderedPage:
    """A post-mortem's page: header card, banners, body, related incidents (``relations``:
    the caller has them already, for :class:`PageMemo`)."""
    links = ctx.site.links_from(ctx.site.postmortem_src(pm.id))
    title = pm.title or pm.path.name
    view = incident_view(pm, ctx)
    page = RenderedPage("", authored=True)
    fmt = formatter(ctx)
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
        oneline=oneline(view, fmt),
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
        else render(
            "postmortem_repeats.html", links=links, pagefind=ctx.settings.pagefind, **repeats
        )
        + render("postmortem_card.html", **facts)
    )
    related = render(
        "postmortem_related.html",
        links=links,
        pagefind=ctx.settings.pagefind,
        relations=[(incident_view(r.postmortem, ctx), _relation_note(r, ctx)) for r in relations],
    )
    search = render("postmortem_search.html", pm=view)
    crumbs = render("postmortem_crumbs.html", pm=view, links=links, pagefind=ctx.settings.pagefind)
    older, newer = neighbours(pm, ctx)
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
        front_matter(meta),
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


def repeats_of(pm: PostMortem, ctx: Context) -> list[PostMortem]:
    if not pm.readable:
        return []
    return ctx.index.repeats(pm, ctx.settings.recurrence_window)


def _repeats_banner(pm: PostMortem, ctx: Context, links: Links) -> dict[str, Any]:
    """The newest :data:`BANNER_REPEATS` incidents this one repeats; how many more, and the
    incidents of the service the newest one shares, where they all are."""
    repeats = repeats_of(pm, ctx)
    shown = repeats[:BANNER_REPEATS]
    service = next((s for s in pm.services if shown and s in shown[0].services), "")
    more = len(repeats) - len(shown)
    return {
        "recurrence_days": ctx.settings.recurrence_window.days,
        "repeats": [incident_view(other, ctx) for other in shown],
        "repeats_more": more,
        "repeats_service": service,
        "repeats_url": links.service(service) if more and service else "",
    }


def neighbours(pm: PostMortem, ctx: Context) -> tuple[Incident | None, Incident | None]:
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
    incident = incident_view(relation.postmortem, ctx)
    parts = [str(incident.day or "")]
    if relation.explicit:
        parts.append("linked")
    if relation.shared_services:
        parts.append(f"same service: {', '.join(relation.shared_services)}")
    if relation.shared_tags:
        parts.append(f"same kind: {', '.join(relation.shared_tags)}")
    return " · ".join(parts)


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
    chart = timeline_chart(pm.started, pm.detected, pm.resolved, rows, formatter(ctx))
    if chart is None:
        return []
    html = render("timeline_chart.html", chart=chart, span=SPAN, pagefind=ctx.settings.pagefind)
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
    return render(
        "action_items_table.html", columns=columns, rows=rows, pagefind=ctx.settings.pagefind
    )


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
