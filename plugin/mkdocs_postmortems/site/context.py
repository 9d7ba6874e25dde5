"""Everything the pages are built from, computed once per build: the knowledge base, the
deadlines, related incidents, the open action items, and what the pages show of each
incident (:func:`incident_view`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from functools import cached_property

from mkdocs_postmortems.core import deadlines, stats
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.register import Link, Register, match
from mkdocs_postmortems.site import facets, follow_up
from mkdocs_postmortems.site.links import Site
from mkdocs_postmortems.site.related import RelatedIndex
from mkdocs_postmortems.site.views import Formatter, Incident, build_incident

#: Rows an index page lists at most. At 10,000 incidents full tables made each index page
#: 7 to 8.5 MB of HTML; the rest is a link away: the explorer, which loads every incident
#: from ``explorer.json``, and the pages by year, which list every incident without script.
LISTED = 500
#: Incidents a page of one year lists: at 10,000 incidents a year of 1,800 made a page of
#: 570 kB; the rest of the year is on its next pages.
YEAR_PAGE = 1000


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
        incidents = [incident_view(pm, self) for pm in self.indexed]
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
        #: Incidents a page of one year lists (:data:`YEAR_PAGE`), and the page of its year's
        #: list where each incident is.
        self.year_size = YEAR_PAGE
        self.year_page: dict[str, int] = {}
        in_year: Counter[int | str] = Counter()
        for incident in incidents:
            self.year_page[incident.id] = 1 + in_year[incident.year] // self.year_size
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


def formatter(ctx: Context) -> Formatter:
    return Formatter(ctx.settings)


def incident_view(pm: PostMortem, ctx: Context) -> Incident:
    """What the pages show of an incident, computed once per build."""
    view = ctx.views.get(pm.id)
    if view is None:
        overdue = pm.id in ctx.overdue_writeups
        view = ctx.views[pm.id] = build_incident(pm, ctx.settings, ctx.today, overdue)
    return view
