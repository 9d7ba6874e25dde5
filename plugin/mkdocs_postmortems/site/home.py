"""The home page's block for readers: the newest incidents first, then what is overdue
(most urgent first), then the insights, and where to subscribe."""

from __future__ import annotations

import re

from mkdocs_postmortems.site import feeds
from mkdocs_postmortems.site.context import Context, incident_view
from mkdocs_postmortems.site.indexes import insights_summary, overdue_summary
from mkdocs_postmortems.site.links import Links
from mkdocs_postmortems.site.render import render

#: Incidents the home page lists: enough to see what happened lately, short enough that
#: what is overdue stays near the top.
RECENT = 10
#: A summary's first sentence ends at a full stop followed by a space, within this length.
LINE = 160
_SENTENCE = re.compile(r"(?<=[.!?])\s")


def home_block(ctx: Context, links: Links) -> str:
    """What the home page shows at its marker (or at its end)."""
    recent = [incident_view(pm, ctx) for pm in ctx.indexed[:RECENT]]
    block = render(
        "home_recent.html",
        recent=[(incident, one_line(incident.summary)) for incident in recent],
        total=len(ctx.indexed),
        links=links,
        feed=feeds.feed_path(ctx.site),
        calendar=feeds.calendar_path(ctx.site),
    )
    return block + overdue_summary(ctx, links) + insights_summary(ctx, links)


def one_line(summary: str, limit: int = LINE) -> str:
    """A summary's first sentence, cut at a word within ``limit`` characters."""
    first = _SENTENCE.split(summary.strip(), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    # Up to the limit and the character after it: a word ending right at the limit stays.
    return first[:limit].rsplit(" ", 1)[0] + "…"
