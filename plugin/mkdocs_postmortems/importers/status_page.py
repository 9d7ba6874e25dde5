"""A status page kept in git: its incident's updates as the timeline.

Status pages that live in a repository (Jekyll, cState, Astro and the like) write an
incident's updates where a post-mortem keeps its timeline, in one of two shapes: a
front-matter list of entries, each a mapping with its words and, mostly, its date;
elements of the body that carry their date in an attribute (``<Update date="...">``); or
fenced containers that carry it after a separator on their opening line (``::: update
Resolved | 2021-03-19T10:01:00Z``, as Netlify's StatusKit writes them).
Either becomes entries that begin with their time, under a Timeline heading, every word
kept. The text that opens the incident is at the page's own date; an entry without a date
of its own takes the page's date when it is the first, and its date of resolution (a key
named for it, ``resolvedDate``, ``resolved_on``) when it is the last.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from mkdocs_postmortems.core.synonyms import section_for
from mkdocs_postmortems.importers.markdown import ATX, EMPHASIS, read_blocks
from mkdocs_postmortems.importers.report import Report
from mkdocs_postmortems.importers.times import read_clock
from mkdocs_postmortems.importers.words import words

# An element with a date attribute (``date``, ``datetime``, ``time``, ``timestamp``,
# ``at``), whole on its line or over several: its name, the attribute's value and the text
# up to its closing tag.
_DATED_OPEN = re.compile(
    r"^\s{0,3}<(?P<tag>[A-Za-z][\w.-]{0,40})\b[^<>]{0,200}?"
    r"\b(?:date|datetime|time|timestamp|at)=[\"'](?P<at>[^\"'<>]{8,40})[\"']"
    r"[^<>]{0,200}>(?P<rest>.*)$"
)
# A fenced container (``:::`` and a name) whose opening line ends in a date after a
# separator: its fence, name, label and date.
_FENCED_OPEN = re.compile(
    r"^\s{0,3}(?P<fence>:{3,})[ \t]*(?P<tag>[A-Za-z][\w-]{0,40})(?P<label>[^|@\n]{0,80}?)"
    r"[ \t]*[|@][ \t]*(?P<at>[^|@\s][^|@]{7,40}?)[ \t]*$"
)
# How many lines one element may run over: an update is a paragraph, not a page.
_MOST_LINES = 60


# Around an update's stamp on its line: markup (``<br>``, ``<span class="timestamp">``),
# emphasis, a dash, and the word that says when it was posted.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
_STAMP_LABEL = re.compile(
    r"(?:[-–—]\s*)?(?:(?:posted|updated|published|last\s+updated)(?:\s+(?:on|at))?\s*:?\s+)?",
    re.IGNORECASE,
)
# A stamp is a date and a time, not a paragraph.
_LONGEST_STAMP = 120


def stamp_line(line: str) -> tuple[str, str] | None:
    """A line that is nothing but an update's stamp, as status pages write it after the
    update's text ("Posted Sep 05, 2023 - 14:03 UTC", ``<br><span class="timestamp">June 21,
    12:45 PT</span>``): the stamp's wording, and the rest of the line (its label, its
    markup) as a comment to keep beside the entry. None for any other line."""
    text = line.strip()
    if len(text) > _LONGEST_STAMP or not any(c.isdigit() for c in text):
        return None
    plain = EMPHASIS.sub("", _TAG.sub(" ", text).strip()).strip().strip("()[]").strip()
    label = _STAMP_LABEL.match(plain)
    said = plain[label.end() if label else 0 :].strip().rstrip(".").strip()
    clock = read_clock(said)
    if clock is None or clock.end != len(said):
        return None
    rest = " ".join(text.replace(said, " ", 1).split())
    if words(said) + words(rest) != words(text):
        # Marks glued to the stamp's words ("_Posted 10:05 UTC_"): the line kept whole.
        rest = text
    kept = f"<!-- {rest.replace('--', '- -')} -->" if re.search(r"\w", rest) else ""
    return said, kept


def moment_text(value: Any) -> str | None:
    """A date with its time, as the stamp of the entry it dates; None for a bare day or
    text that is no date."""
    if isinstance(value, datetime):
        # As YAML wrote it ("2020-11-15 10:15:00"), so its words stay those of the source.
        return str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    clock = read_clock(text)
    return text if clock is not None and clock.day is not None else None


def dated_elements(lines: list[str], page_date: Any, report: Report) -> list[str]:
    """The body's elements with a date attribute as entries beginning with their date (the
    tags kept in a comment), the opening text before the first at the page's date, under a
    Timeline heading when the source has none."""
    code = read_blocks(lines).code
    out: list[str] = []
    first: int | None = None
    count = 0
    i = 0
    while i < len(lines):
        block = None if code[i] else _dated_block(lines, i)
        if block is None:
            out.append(lines[i])
            i += 1
            continue
        if first is None:
            first = len(out)
        end, entry = block
        out.append(entry)
        count += 1
        i = end + 1
    if first is None or _has_timeline(lines):
        return lines
    opening = _opening(out, first)
    dated = moment_text(page_date)
    if count + (opening is not None and dated is not None) < 2:
        # One dated element alone (a "<time datetime=...>" in prose) is no timeline.
        return lines
    if opening is not None and dated is not None:
        out[opening] = f"- {dated} {out[opening].lstrip()}"
    where = first if opening is None else opening
    report.mapped.append("updates with their own date -> '## Timeline'")
    return [*out[:where], "## Timeline", "", *out[where:]]


def _dated_block(lines: list[str], i: int) -> tuple[int, str] | None:
    """The dated update that opens at line ``i`` (an element or a fenced container): the
    index of its last line and the update as one entry; None when none opens there."""
    found = _DATED_OPEN.match(lines[i])
    if found is not None and moment_text(found["at"]):
        end = _closing(lines, i, found["tag"])
        return None if end is None else (end, _entry(lines[i : end + 1], found))
    fenced = _FENCED_OPEN.match(lines[i])
    if fenced is None or not moment_text(fenced["at"]):
        return None
    end, closed = _fence_end(lines, i, fenced["fence"])
    return end, _fenced_entry(lines[i + 1 : end + 1 - closed], fenced)


def _fence_end(lines: list[str], start: int, fence: str) -> tuple[int, bool]:
    """Where a fenced container ends, and whether a closing fence ends it: that fence, else
    (a container left open) the end of its paragraph or the next container's opening."""
    for k in range(start + 1, min(len(lines), start + _MOST_LINES)):
        line = lines[k].strip()
        if line.startswith(fence) and not line.strip(":"):
            return k, True
        if _FENCED_OPEN.match(lines[k]):
            return k - 1, False
    k = start + 1
    while k < len(lines) and lines[k].strip() and k < start + _MOST_LINES:
        k += 1
    return k - 1, False


def _fenced_entry(body: list[str], found: re.Match[str]) -> str:
    """A fenced container as one entry: its date, its label in bold, its words on one line,
    its fence and name kept in a comment."""
    label = " ".join(found["label"].split())
    words = " ".join(" ".join(body).split())
    lead = f"**{label}**: " if label else ""
    return f"- {found['at']} {lead}{words} <!-- {found['fence']} {found['tag']} | -->"


def _closing(lines: list[str], start: int, tag: str) -> int | None:
    closing = f"</{tag}>"
    for k in range(start, min(len(lines), start + _MOST_LINES)):
        if closing in lines[k]:
            return k
    return None


def _entry(element: list[str], found: re.Match[str]) -> str:
    """One element as one list entry: its date first, its words joined on one line, its
    tags named in a comment (a comment holds no ``--``)."""
    tag = found["tag"]
    body = " ".join([found["rest"], *element[1:]])
    body = body.replace(f"</{tag}>", " ")
    words = " ".join(body.split())
    opening = found.group(0)[: found.start("rest")].strip().replace("--", "- -")
    return f"- {found['at']} {words} <!-- {opening} /{tag} -->"


def _opening(out: list[str], first: int) -> int | None:
    """The first line of the text that opens the incident, above its first update: the
    nearest paragraph of prose before it (not an import, a heading or markup)."""
    for k in range(first - 1, -1, -1):
        line = out[k].strip()
        if not line:
            continue
        start = k
        while start > 0 and out[start - 1].strip():
            start -= 1
        opener = out[start].strip()
        if ATX.match(opener) or opener.startswith(("<", "import ", "export ")):
            return None
        return start
    return None


def _has_timeline(lines: list[str]) -> bool:
    return any(section_for(h[2].strip()) == "Timeline" for h in map(ATX.match, lines) if h)


def listed_updates(
    meta: dict[str, Any], lines: list[str], report: Report
) -> tuple[list[str], str | None]:
    """A front-matter list of update entries as a Timeline at the end of the body, and the
    key it came from (None when the front matter holds no such list)."""
    if _has_timeline(lines):
        return lines, None
    for key, value in meta.items():
        entries = _update_entries(value)
        if entries is None:
            continue
        times = _entry_times(entries, meta)
        if 2 * sum(1 for at in times if at) < len(times):
            continue
        rows = [_listed_row(entry, at) for entry, at in zip(entries, times, strict=True)]
        report.mapped.append(f"front matter '{key}' (dated updates) -> '## Timeline'")
        return [*lines, "", "## Timeline", "", *rows], key
    return lines, None


def _update_entries(value: Any) -> list[dict[str, Any]] | None:
    """The entries of a list of updates: at least two mappings, each with words to say."""
    if not isinstance(value, list) or len(value) < 2:
        return None
    if not all(isinstance(entry, dict) and _words_of(entry) for entry in value):
        return None
    return value


def _entry_times(entries: list[dict[str, Any]], meta: dict[str, Any]) -> list[str | None]:
    """Each entry's time: its own date, else the page's date for the first entry and the
    page's date of resolution for the last."""
    times = [_date_of(entry) for entry in entries]
    if times[0] is None:
        times[0] = moment_text(meta.get("date"))
    if times[-1] is None:
        times[-1] = resolution_date(meta)
    return times


def _words_of(entry: dict[str, Any]) -> str | None:
    """An entry's text: its longest value in words that is not its date."""
    texts = [
        v
        for v in entry.values()
        if isinstance(v, str) and " " in v.strip() and moment_text(v) is None
    ]
    return max(texts, key=len) if texts else None


def _date_of(entry: dict[str, Any]) -> str | None:
    return next((t for v in entry.values() if (t := moment_text(v)) is not None), None)


def _listed_row(entry: dict[str, Any], at: str | None) -> str:
    text = _words_of(entry) or ""
    labels = [
        str(v).strip()
        for v in entry.values()
        if v is not None
        and not isinstance(v, (dict, list))
        and str(v) != text
        and moment_text(v) is None
    ]
    label = f"**{' '.join(labels)}**: " if labels else ""
    said = " ".join(text.split())
    return f"- {at} {label}{said}" if at else f"- {label}{said}"


def resolution_date(meta: dict[str, Any]) -> str | None:
    """The page's date of resolution: a key whose name says it (``resolvedDate``,
    ``resolved_on``, ``resolved_at``), holding a date with its time."""
    for key, value in meta.items():
        name = re.sub(r"[^a-z]", "", str(key).lower())
        if name.startswith("resolved") and name != "resolved":
            found = moment_text(value)
            if found is not None:
                return found
    return None
