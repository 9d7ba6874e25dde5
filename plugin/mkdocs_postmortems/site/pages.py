"""The site's pages as Markdown: one per post-mortem and the index pages.

Python builds plain view models (strings, numbers, lists); Jinja2 templates with autoescape
turn them into HTML blocks inside the Markdown, so every value from a post-mortem is escaped.
The author's own body is kept as Markdown, as on any other page of the site.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from markupsafe import escape

from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase
from mkdocs_postmortems.core.model import ActionItem, PostMortem
from mkdocs_postmortems.site.links import HOME, Links, Site
from mkdocs_postmortems.site.related import RelatedIndex, Relation
from mkdocs_postmortems.site.render import code, item_status, render
from mkdocs_postmortems.site.views import Formatter, Incident

INDEX_PAGES = ("incidents", "severity", "action_items", "overdue", "services", "find")
TITLES = {
    "incidents": "Incidents",
    "severity": "By severity",
    "action_items": "Action items",
    "overdue": "Overdue",
    "services": "By service",
    "find": "Search incidents",
}
OVERDUE_MARKER = "<!-- postmortems:overdue -->"


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
    #: nothing for the related incidents. Parsing their markup doubled search's share of the
    #: build, and none of it helps a query.
    search: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, html: str, *, search: str | None = None) -> str:
        """Keep a block (and its text for search); return the placeholder for the Markdown."""
        self.blocks[key] = html
        if search is not None:
            self.search[key] = search
        return placeholder(key)


def placeholder(key: str) -> str:
    return f"<!-- postmortems:block:{key} -->"


@dataclass
class Context:
    """Everything the pages are built from, computed once per build."""

    kb: KnowledgeBase
    site: Site
    now: datetime
    report: deadlines.Report = field(init=False)
    index: RelatedIndex = field(init=False)

    def __post_init__(self) -> None:
        # Sorted once per build: every index page, the catalogue and the home page use it.
        self.indexed = self.kb.indexed
        self.report = deadlines.report(self.indexed, self.settings, self.now)
        self.index = RelatedIndex(self.indexed)
        self.overdue_writeups = {w.postmortem.id: w for w in self.report.writeups}
        self.published_late = {p.postmortem.id: p for p in self.report.published_late}
        self.reviews_due = {r.postmortem.id: r for r in self.report.reviews}
        self.today = self.now.astimezone(self.settings.tz).date()
        self.views: dict[str, Incident] = {}

    @property
    def settings(self) -> Settings:
        return self.kb.settings


def postmortem_page(pm: PostMortem, ctx: Context) -> RenderedPage:
    """A post-mortem's page: header card, banners, body, related incidents."""
    links = ctx.site.links_from(ctx.site.postmortem_src(pm.id))
    title = pm.title or pm.path.name
    view = _incident(pm, ctx)
    page = RenderedPage("")
    header = render(
        "postmortem_header.html",
        pm=view,
        findings=[f for f in pm.findings if f.level == "error"],
        writeup=ctx.overdue_writeups.get(pm.id),
        late=ctx.published_late.get(pm.id),
        review=ctx.reviews_due.get(pm.id),
        previous=ctx.index.previous_on_services(pm) if pm.readable else 0,
        links=links,
        fmt=_formatter(ctx),
        pagefind=ctx.settings.pagefind,
    )
    related = render(
        "postmortem_related.html",
        links=links,
        pagefind=ctx.settings.pagefind,
        relations=[
            (_incident(r.postmortem, ctx), _relation_note(r, ctx))
            for r in (ctx.index.related(pm) if pm.readable else [])
        ],
    )
    search = render("postmortem_search.html", pm=view)
    meta: dict[str, Any] = {"title": title, **pm.meta}
    if pm.summary:
        meta.setdefault("description", pm.summary)
    parts = [_front_matter(meta), page.add("header", header, search=search), _body(pm, ctx, page)]
    if related.strip():
        parts.append(page.add("related", related, search=""))
    page.markdown = "\n\n".join(part for part in parts if part.strip()) + "\n"
    return page


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
    page.markdown = f"{_front_matter(meta)}\n\n{page.add('page', body)}\n"
    return page


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
        "generated": ctx.now.isoformat(),
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


def _body(pm: PostMortem, ctx: Context, page: RenderedPage) -> str:
    """The author's Markdown, with the action-items table replaced by one showing state."""
    if not pm.readable or pm.scripted:
        return page.add(
            "source", render("postmortem_source.html", text=pm.body_text or pm.raw_text)
        )
    lines = pm.body_text.split("\n")
    _drop_title_heading(lines, pm.title)
    section = pm.body.section("Action Items") if pm.body else None
    table = section.table() if section else None
    if table is None or not pm.action_items:
        return "\n".join(lines)
    first = table.line - pm.body_line
    last = (table.rows[-1].line if table.rows else table.line + 1) - pm.body_line
    status_column = table.column("status")
    rows = []
    for row, item in zip(table.rows, pm.action_items, strict=False):
        days_late = deadlines.action_days_late(item, ctx.today)
        state = item_status(item.status, days_late)
        cells = [
            state if index == status_column else code(cell.text)
            for index, cell in enumerate(row.cells)
        ]
        if status_column is None:
            cells.append(state)
        rows.append((cells, item.status, days_late))
    header = [cell.text for cell in table.header]
    if status_column is None:
        header.append("Status")
    rendered = render("action_items_table.html", header=header, rows=rows)
    return "\n".join(
        [*lines[:first], "", page.add("action-items", rendered), "", *lines[last + 1 :]]
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


def _formatter(ctx: Context) -> Formatter:
    return Formatter(ctx.settings)


def _incident(pm: PostMortem, ctx: Context) -> Incident:
    view = ctx.views.get(pm.id)
    if view is None:
        view = ctx.views[pm.id] = _view(pm, ctx)
    return view


def _view(pm: PostMortem, ctx: Context) -> Incident:
    severity = ctx.settings.severity(pm.severity)
    duration = pm.time_to_resolve
    local = pm.started.astimezone(ctx.settings.tz) if pm.started else None
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
    )


def _build_incidents(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    def options(key: str) -> list[str]:
        return sorted({str(v) for i in incidents for v in _as_list(getattr(i, key)) if v != ""})

    return {
        "incidents": incidents,
        "severities": [s.name for s in ctx.settings.severities],
        "statuses": ["draft", "in-review", "published"],
        "services": options("services"),
        "tags": options("tags"),
        "years": sorted(options("year"), reverse=True),
    }


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _build_severity(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    by_level = defaultdict(list)
    for incident in incidents:
        by_level[incident.severity].append(incident)
    return {
        "levels": [
            {"severity": s, "incidents": by_level.get(s.name, [])} for s in ctx.settings.severities
        ],
        "review_days": ctx.settings.review_after.days,
    }


@dataclass(frozen=True, slots=True)
class ActionRow:
    item: ActionItem
    incident: Incident
    days_late: int


def _build_action_items(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    by_id = {i.id: i for i in incidents}
    rows = [
        ActionRow(item, by_id[item.postmortem_id], deadlines.action_days_late(item, ctx.today))
        for incident in incidents
        for item in incident.action_items
    ]
    open_rows = [r for r in rows if r.item.is_open]
    open_rows.sort(
        key=lambda r: (
            -r.days_late,
            r.item.due.isoformat() if r.item.due else "9999",
            r.item.owner.lower(),
            r.incident.id,
        )
    )
    owners: dict[str, Counter[str]] = defaultdict(Counter)
    for r in open_rows:
        owners[r.item.owner]["open"] += 1
        owners[r.item.owner]["overdue"] += bool(r.days_late)
    counts = Counter(r.item.status for r in rows)
    return {
        "open_rows": open_rows,
        "owners": sorted(owners.items(), key=lambda o: (-o[1]["overdue"], -o[1]["open"], o[0])),
        "counts": counts,
        "total": len(rows),
        "overdue": sum(bool(r.days_late) for r in open_rows),
    }


def _build_overdue(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    by_id = {i.id: i for i in incidents}
    return {"report": ctx.report, "by_id": by_id}


def _build_find(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    return {"count": len(incidents)}


def _build_services(ctx: Context, incidents: list[Incident]) -> dict[str, Any]:
    by_service = defaultdict(list)
    for incident in incidents:
        for service in dict.fromkeys(incident.services):
            by_service[service].append(incident)
    services = sorted(by_service.items(), key=lambda s: (-len(s[1]), s[0]))
    return {"services": services}


_BUILDERS = {
    "incidents": _build_incidents,
    "severity": _build_severity,
    "action_items": _build_action_items,
    "overdue": _build_overdue,
    "services": _build_services,
    "find": _build_find,
}

__all__ = [
    "HOME",
    "INDEX_PAGES",
    "Context",
    "RenderedPage",
    "catalogue",
    "in_navigation",
    "index_page",
    "index_pages",
    "overdue_summary",
    "placeholder",
    "postmortem_page",
]
