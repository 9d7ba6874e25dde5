"""A write-up in someone else's shape, rewritten in ours, with nothing left behind.

The conversion moves text, it does not judge it: headings are mapped to our sections with
the one synonym table (:mod:`mkdocs_postmortems.core.synonyms`), sections without a match
become subsections of the section before them, timelines and action items become tables.
Every word of the source stays in the result; where a value had to be rewritten (a time
in another zone, a severity name), the original wording stays next to it. What the source
does not say (an owner, a due date, a severity) is written as the marker ``TBD``, which
``postmortems check`` reports for a person to complete.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.importers.actions import action_items, gather_actions
from mkdocs_postmortems.importers.front_matter import (
    check_offset,
    copied_end,
    first_row_start,
    front_matter_lines,
    incident_day,
    inline,
    map_keys,
    names_a_zone,
    preamble_keys,
    publication_day,
    read_moments,
    read_status,
    severity_for,
    started_at,
    timeline_doubts,
    unplaced,
    written_zone,
)
from mkdocs_postmortems.importers.html_lists import html_lists
from mkdocs_postmortems.importers.markdown import ATX, atx_headings, has_text
from mkdocs_postmortems.importers.moments import Moments
from mkdocs_postmortems.importers.placing import stated_times
from mkdocs_postmortems.importers.report import TBD, Conversion, Report
from mkdocs_postmortems.importers.sections import (
    cut_blocks,
    demoted,
    labelled_lists,
    labelled_timelines,
    marked,
    merge_sections,
    read_title,
    timeline_by_content,
    zone_before_timeline,
    zone_of_times_before_timeline,
)
from mkdocs_postmortems.importers.sources import Source, SourceError
from mkdocs_postmortems.importers.status_page import dated_elements, listed_updates
from mkdocs_postmortems.importers.timeline import read_timeline
from mkdocs_postmortems.importers.updates import sectioned_updates, stamped_updates
from mkdocs_postmortems.importers.words import missing, value_words, words
from mkdocs_postmortems.importers.writing import render

__all__ = ["Conversion", "Report", "SourceError", "convert", "severity_for"]

# Where links and images point, to name those relative to the source.
_LINK_TARGET = re.compile(
    r"\]\(<?([^)\s>]+)|^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE
)
_ABSOLUTE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|#|/")


def convert(source: Source, settings: Settings) -> Conversion:
    """Rewrite ``source`` in our format; SourceError when it names no day at all."""
    report = Report(source.name, source.flavour, mapped=[], kept=list(source.notes))
    meta, extra = map_keys(source.meta, report)
    lines = atx_headings(source.body.split("\n"))
    before = len(lines)
    title, lines = read_title(meta, lines, source.name, report)
    duplicate_title = len(lines) < before and "title" in source.meta
    preamble_keys(lines, meta, report)
    lines = html_lists(lines, report)
    unposted = lines
    lines = dated_elements(lines, source.meta.get("date"), report)
    lines, listed = listed_updates(source.meta, lines, report)
    extra.pop(listed or "", None)
    lines = sectioned_updates(lines, report)
    status_page = lines is not unposted
    unstamped = lines
    lines = stamped_updates(lines, source.meta, report)
    # The timeline is the updates a status page gave its readers, stamped or posted.
    updates = status_page or lines is not unstamped
    lines = labelled_lists(lines, report)
    lines = labelled_timelines(lines, report)
    blocks = cut_blocks(lines, report)
    timeline_by_content(blocks, report)
    # A page's "date" key is when it was published; a key that names the start is the start.
    page_date = "date" in source.meta and meta.get("started") is source.meta["date"]
    day_hint = incident_day(meta, title, source.name, lines, report, page_date)
    status = read_status(meta.get("status"), report)
    timeline_rows: list[str] = []
    first_at: datetime | None = None
    sections: dict[str, list[str]] = {}
    # A zone the text declares before the timeline outranks the front matter's offset: it
    # is said of the times, the offset of the day the page was published.
    # So does the one zone the text's own times name before it ("from ~13:22 PST to ~16:17
    # PST"): the offset is the publishing clock's.
    timeline_zone = zone_before_timeline(blocks)
    if timeline_zone is None and (timeline_zone := zone_of_times_before_timeline(blocks)):
        report.mapped.append(
            f"Timeline: its times name no zone; read in {timeline_zone.written}, the zone "
            "of the text's times above it"
        )
    # The page's own stamp's offset is the clock its author publishes by: the zone of bare
    # times only where no zone written on the rows above them says another.
    clock_zone = written_zone(meta.get("started"))
    named = merge_sections(blocks, report)
    gather_actions(named, report)
    for name, body in named.items():
        if name == "Timeline":
            report.to_complete.extend(
                timeline_doubts(body, day_hint, settings, timeline_zone or clock_zone)
            )
            body, first_at, timeline_rows = read_timeline(
                body,
                day_hint,
                settings,
                report,
                timeline_zone,
                stated_times(lines, settings.tz),
                clock_zone,
            )
            if not timeline_rows and has_text(body) and not marked(body):
                # Text without a single time is kept with the summary; the timeline is
                # left for a person to write, as when the source has none.
                sections.setdefault("Summary", []).extend(["", "### Timeline as written", ""])
                sections["Summary"].extend(demoted(body))
                report.kept.append("Timeline: no times found; kept in the Summary as written")
                body = []
        elif name == "Action Items":
            body = action_items(body, settings, report)
        sections[name] = body
    moments = read_moments(sections, lines, meta, day_hint, settings, page_date, title, updates)
    if status_page:
        # A status page's update says when the public was told, not when the team knew:
        # "we are investigating" posted at 13:30 is no detection at 13:30.
        moments = replace(moments, detected=None)
    opening = day_hint if page_date else None
    day_hint = publication_day(meta, first_at, moments, report, page_date, opening) or day_hint
    # The title is the text's too: "... outage 23:01 - 02:40 UTC" names the zone.
    zoned = names_a_zone([title, *lines], meta)
    if moments != Moments() and not zoned:
        # Which zone the times are in is the one thing a reader cannot tell from the
        # words: a moment read in the wrong one is off by hours, and looks right.
        moments = Moments()
        report.to_complete.append(
            "started, detected, resolved: the source names no time zone, so none is read "
            f"from its text (its timeline is read in {settings.timezone}); declare the zone "
            "in the source ('All times are in Europe/Berlin') and import it again, or "
            "complete them"
        )
    distrusted = unplaced(meta, moments, zoned)
    for key in sorted(distrusted):
        if key == "resolved" and copied_end(meta):
            report.to_complete.append(
                f"resolved: the source's end ({inline(meta[key])}) is its start to the "
                "second, a copy rather than an end; kept beside the value"
            )
            continue
        report.to_complete.append(
            f"{key}: the source's time ({inline(meta[key])}) names no zone"
            + (", and the text states it in one, hours apart" if zoned else "")
            + "; kept beside the value"
        )
    read = {k: v for k, v in meta.items() if k not in distrusted}
    started = started_at(read, first_at, day_hint, settings, report, moments.started)
    if zoned and moments.started is None and first_at is not None and started == first_at:
        # The start taken from the first row (its alert or report too: readers take the
        # first thing known as the start when the text names no earlier one) is inferred,
        # and marked for confirmation like the moments the text states. In a text that
        # names no zone it stays the configured zone's reading, with the question above.
        start = first_row_start(sections, first_at, day_hint, settings)
        moments = replace(moments, started=start) if start else moments
    check_offset(first_at, started, meta, report)
    if extra:
        details = ["", "### Details from the original front matter", ""]
        details += [f"- {inline(key)}: {inline(value)}" for key, value in extra.items()]
        sections.setdefault("Summary", []).extend(details)
        report.kept.append("front-matter keys without a match: " + ", ".join(extra))
    needed = settings.required_sections if status != "draft" else ("Summary",)
    for name in needed:
        # Subheadings alone ("### March 28-April 6, 2022" above a status page's updates that
        # became the timeline) say nothing: the section's own text is still to write.
        if not has_text([line for line in sections.get(name, []) if not ATX.match(line)]):
            sections.setdefault(name, [])[:0] = [TBD, ""]
            report.to_complete.append(f"section '{name}': the source has none")
    front = front_matter_lines(
        meta, title, status, started, source.name, settings, report, moments, distrusted
    )
    text = render(front, sections, settings)
    relative = sorted({m[1] or m[2] for m in _LINK_TARGET.finditer(text)} - {""})
    relative = [t for t in relative if not _ABSOLUTE.match(t)]
    if relative:
        report.kept.append(
            "links and images to files next to the source, kept as written (copy the files "
            "or fix the links): " + ", ".join(relative)
        )
    # A first heading that repeats the title is one title, not two.
    counted = {k: v for k, v in source.meta.items() if not (k == "title" and duplicate_title)}
    source_words = words(source.body) + value_words(counted)
    lost = missing(source_words, text)
    report.words = sum(source_words.values())
    report.words_kept = report.words - sum(lost.values())
    report.lost = sorted(lost.elements())
    report.timeline_rows = len(timeline_rows)
    return Conversion(started, title, text, report)
