"""The post-mortem, its timeline and its action items, as the rest of the tool sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

from mkdocs_postmortems.core.findings import Finding, Hit, Position
from mkdocs_postmortems.core.frontmatter import FrontMatter
from mkdocs_postmortems.core.markdown import Body

STATUSES = ("draft", "in-review", "published")
ACTION_STATUSES = ("open", "in-progress", "done", "wont-do")
OPEN_ACTION_STATUSES = ("open", "in-progress")
#: Whether the actions worked, as the effectiveness review found (rules.effectiveness).
REVIEW_OUTCOMES = ("effective", "partly", "not-effective")
_UTC = timezone.utc

# The front matter keys the tool defines, and the page keys MkDocs and its theme read.
KEYS = (
    "title",
    "severity",
    "status",
    "started",
    "detected",
    "resolved",
    "published",
    "authors",
    "services",
    "tags",
    "facilitator",
    "impact",
    "related",
    "reviewed",
    "review_outcome",
    "review_note",
    "id",
    "ignore",
    "imported",
    "incident",
    "timezone",
    "visibility",
    "public_summary",
)
# The page keys a post-mortem may set for MkDocs and mkdocs-material (what each takes is
# checked in core.fields). Others (`template`, `icon`, `social`, ...) name theme files or
# plugins: a wrong value fails the build, and the plugin chooses how a post-mortem looks.
PAGE_KEYS = frozenset(("hide", "search", "description", "comments"))


@dataclass
class TimelineEntry:
    at: datetime
    row: str
    pos: Position


@dataclass
class ActionItem:
    action: str
    owner: str
    due: date | None
    priority: str
    status: str
    ticket: str
    pos: Position
    owner_pos: Position
    postmortem_id: str = ""
    #: The item belongs to a write-up from before the tool (see ``fields.is_history``):
    #: it is listed, never overdue.
    history: bool = False
    #: What the item improves (``runbook``, ``monitoring``, ...; the ``Kind`` column), or "".
    kind: str = ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


#: The sections whose first table a post-mortem's page draws again: the timeline, wrapped,
#: and the action items, with their state.
PAGE_TABLES = ("Timeline", "Action Items")
#: The statuses of a post-mortem still to be reviewed: its review pack (site.review) also
#: reads its timeline's times and its root causes.
BEFORE_REVIEW = ("draft", "in-review")


@dataclass
class PostMortem:
    """One post-mortem file: what it says, where it says it, and what is wrong with it."""

    path: Path
    display: str
    id: str
    front: FrontMatter | None = None
    body: Body | None = None
    body_text: str = ""
    body_line: int = 1
    raw_text: str = ""
    summary: str = ""
    title: str = ""
    severity: str = ""
    status: str = ""
    started: datetime | None = None
    detected: datetime | None = None
    resolved: datetime | None = None
    published: date | None = None
    reviewed: date | None = None
    review_outcome: str = ""  # one of REVIEW_OUTCOMES, or "" when not written
    review_note: str = ""
    authors: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    facilitator: str = ""
    imported: str = ""
    impact: dict[str, Any] = field(default_factory=dict)
    related: list[str] = field(default_factory=list)
    #: The register's incidents this write-up covers (ids or numbers, as written).
    incidents: list[str] = field(default_factory=list)
    # The zone of the file's zone-less times: its own ``timezone:`` key, or the configured one.
    timezone: str = "UTC"
    tz: tzinfo = _UTC
    meta: dict[str, Any] = field(default_factory=dict)
    #: ``internal`` or ``public`` as written; empty: the configured default (core.edition).
    visibility: str = ""
    #: The summary the public edition shows instead of the Summary section's first paragraph.
    public_summary: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # the extra_fields, typed
    # Not read at all (a link out of the project, a FIFO, a huge file...): a finding, no page.
    refused: bool = False
    # Gets a page on the site: read, with an id that is neither reserved nor taken (in any
    # letter case) by an earlier file. The knowledge base decides; a finding says why not.
    has_page: bool = True
    timeline: list[TimelineEntry] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    ignored: dict[str, str] = field(default_factory=dict)
    #: Front-matter keys whose value is the marker ``TBD`` in a history write-up.
    to_complete: set[str] = field(default_factory=set)
    line_ignored: dict[int, dict[str, str]] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """The front matter could be read, so the post-mortem can be indexed."""
        return self.front is not None

    @property
    def valid(self) -> bool:
        return not any(f.level == "error" for f in self.findings)

    @property
    def time_to_detect(self) -> timedelta | None:
        if self.started and self.detected:
            return self.detected - self.started
        return None

    @property
    def time_to_resolve(self) -> timedelta | None:
        if self.started and self.resolved:
            return self.resolved - self.started
        return None

    def keep_for_pages(self) -> None:
        """Let go of what only the checks read, once every check has run: the front
        matter as read (its mapping and positions), the timeline entries, the body's lines,
        every section and table but those a page draws again (``PAGE_TABLES``) with their
        cells unsplit (split again if asked for), and the file's text (a page shows it
        only when the front matter cannot be read). The pages need the typed values, the
        body's Markdown and those tables (``mkdocs build`` of 10,000: see README)."""
        if self.front is not None:
            # The typed fields hold every value a page shows; the mapping as read was for
            # the checks (a register's links are matched before this).
            self.front.data, self.front.values, self.front.keys = {}, {}, {}
        if self.status in BEFORE_REVIEW:
            return  # few at a time; the review pack reads the timeline and the root causes
        self.timeline = []  # checked; a page shows the author's table itself
        if self.body is not None:
            # A page redraws only the first table of its first Timeline and Action Items
            # sections (``PAGE_TABLES``); the other sections and tables were for the checks.
            sections = {}
            kept = []
            previous = ""
            for section in self.body.sections:
                if section.name in PAGE_TABLES and section.name not in sections:
                    section.lines, section.tables, section.glued = [], section.tables[:1], []
                    sections[section.name] = section
                    kept.append(section)
                elif "Summary" in (section.name, previous):
                    # Only its heading: the page puts the fact card where the Summary ends.
                    section.lines, section.tables, section.glued = [], [], []
                    kept.append(section)
                previous = section.name
            for section in sections.values():
                for row in section.tables[0].rows if section.tables else ():
                    row.split = None
            self.body.lines, self.body.sections = [], kept
            self.body.tables, self.body.glued = [], []
        if self.readable:
            self.raw_text = ""

    def keep_for_listing(self) -> None:
        """Let go of the body once the post-mortem's own page is drawn: the other pages
        list it by its front matter's values (``site.postmortem.draw_once``)."""
        self.body, self.body_text, self.raw_text = None, "", ""
