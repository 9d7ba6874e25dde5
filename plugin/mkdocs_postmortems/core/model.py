"""The post-mortem, its timeline and its action items, as the rest of the tool sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from mkdocs_postmortems.core.findings import Finding, Hit, Position
from mkdocs_postmortems.core.frontmatter import FrontMatter
from mkdocs_postmortems.core.markdown import Body

STATUSES = ("draft", "in-review", "published")
ACTION_STATUSES = ("open", "in-progress", "done", "wont-do")
OPEN_ACTION_STATUSES = ("open", "in-progress")


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

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


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
    authors: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    facilitator: str = ""
    impact: dict[str, Any] = field(default_factory=dict)
    related: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    # Not read at all (a link out of the project, a FIFO, a huge file...): a finding, no page.
    refused: bool = False
    # Gets a page on the site: read, with an id that is neither reserved nor taken (in any
    # letter case) by an earlier file. The knowledge base decides; a finding says why not.
    has_page: bool = True
    # The body holds raw HTML that runs script (rules.markup): its page shows the text as it
    # is written, never as Markdown, so no build publishes the script.
    scripted: bool = False
    timeline: list[TimelineEntry] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    ignored: dict[str, str] = field(default_factory=dict)
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
