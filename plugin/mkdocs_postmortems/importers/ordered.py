"""A timeline that gives the order of its events only: a list under the Timeline heading
whose entries carry no time (or a month such as "2015-10:"), as rows whose times a person
completes. Split from :mod:`.timeline`, which reads timelines that carry times.
"""

from __future__ import annotations

from datetime import datetime

from mkdocs_postmortems.importers.markdown import ATX, ITEM, ITEM_TEXT, Blocks, as_cell
from mkdocs_postmortems.importers.report import TBD, Report

# A list is the timeline when its entries hold most of the section's words.
_LIST_SHARE = 0.5


def untimed_list(
    lines: list[str], blocks: Blocks, report: Report
) -> tuple[list[str], datetime | None, list[str]]:
    """A timeline section without a single time whose words are mostly one list of at
    least three entries (events told in order, or stamped only with a month such as
    "2015-10:"): the entries as rows in the source's order, their times marked TBD for a
    person to complete, each item's words kept as written. Any other text stays as it is.

    Only the section's own text is read, up to its first subheading: what follows one is a
    section of the source without a match, kept under the timeline ("Links", "Affected
    versions"), not the timeline."""
    own = next((k for k, line in enumerate(lines) if ATX.match(line) and not blocks.code[k]), None)
    lines_own = lines if own is None else lines[:own]
    runs: list[tuple[int, int, list[str]]] = []
    i = 0
    while i < len(lines_own):
        item = None if blocks.code[i] else ITEM.match(lines[i])
        if item is None or item["indent"]:
            i += 1
            continue
        start, entries = i, []
        while i < len(lines_own) and (item := ITEM.match(lines[i])) and not item["indent"]:
            end = min(_item_end(lines, i, blocks.code), len(lines_own))
            nested = [ITEM_TEXT.sub("", line.strip()) for line in lines[i + 1 : end]]
            entries.append(as_cell(" ".join([item["text"].strip(), *filter(None, nested)])))
            i = end
            while i < len(lines) and not lines[i].strip():
                i += 1
        runs.append((start, i, entries))
    if not runs:
        return lines, None, []
    start, end, entries = max(runs, key=lambda run: len(run[2]))
    listed = sum(len(entry.split()) for entry in entries)
    total = sum(len(line.split()) for line in lines_own if line.strip())
    if len(entries) < 3 or listed < _LIST_SHARE * total:
        return lines, None, []
    table = ["| Time | Event |", "|---|---|", *(f"| {TBD} | {entry} |" for entry in entries)]
    report.mapped.append(f"Timeline: {len(entries)} entries without a time, as a table in order")
    report.to_complete.append(
        f"Timeline: {len(entries)} rows without a time (the source gives their order only)"
    )
    return [*lines[:start], *table, "", *lines[end:]], None, [""] * len(entries)


def _item_end(lines: list[str], i: int, mask: tuple[bool, ...]) -> int:
    """Where the top-level item at ``i`` ends: after its last indented or lazy line."""
    k = i + 1
    while k < len(lines) and not mask[k]:
        line = lines[k]
        if not line.strip():
            # A run of blank lines, skipped at once: the item goes on when an indented line
            # follows it (one pass over the run, however long).
            following = k
            while following < len(lines) and not lines[following].strip():
                following += 1
            if following == len(lines) or not lines[following].startswith((" ", "\t")):
                break
            k = following
            continue
        if ATX.match(line) or ((item := ITEM.match(line)) and not item["indent"]):
            break
        k += 1
    return k
