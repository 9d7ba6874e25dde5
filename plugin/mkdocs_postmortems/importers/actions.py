"""Action items, in whatever shape a source wrote them (lists, task boxes, tables,
"Action point:" lines, promises in prose), as our Action Items table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.markdown import split_row
from mkdocs_postmortems.core.model import ACTION_STATUSES
from mkdocs_postmortems.core.synonyms import column_for, fold
from mkdocs_postmortems.importers.markdown import (
    ATX,
    EMPHASIS,
    ITEM,
    ITEM_TEXT,
    as_cell,
    code_mask,
    has_text,
    read_blocks,
)
from mkdocs_postmortems.importers.report import TBD, Report
from mkdocs_postmortems.importers.times import (
    ISO_DAY,
    LEAD_DATE,
    read_day,
)

_TASK = re.compile(r"\[(?P<done>[ xX])\]\s*")
_TICKET = re.compile(
    r"\[(?P<key>[A-Z][A-Z0-9]+-\d+)\]\((?P<url>[^)\s]+)\)|\b(?P<bare>[A-Z][A-Z0-9]+-\d+)\b"
)
_OWNER = re.compile(
    r"\b(?:owner|assignee|assigned to)\s*[:=]\s*(?P<name>[^,;()|\]]+)", re.IGNORECASE
)
_DUE = re.compile(
    r"\b(?:due(?: date)?|by|until|deadline|target(?: date)?|eta|estimated completion(?: date)?)"
    # One run of spaces around the colon: two (``\s*:?\s*``) share a run of spaces out
    # between them, quadratic in its length.
    r"\s*(?::\s*)?(?:on\s+)?(?P<rest>.{0,40})",
    re.IGNORECASE,
)
_STATE = re.compile(
    r"[(\[]\s*(?P<state>completed?|done|fixed|closed|in progress|ongoing|wip|won'?t (?:do|fix)"
    r"|cancell?ed|dropped|not started|open|todo)\s*[)\]:]",
    re.IGNORECASE,
)
_LEAD_OWNER = re.compile(r"^\s*(?:\((?P<name>[^()]{1,40})\)|(?P<handle>@[\w-]{1,39})\s*:)\s+")
# A line that is an action item wherever it stands: "Action point: ...", "**TODO**: ...".
_ACTION_LABELS = r"action (?:point|item)s?|follow[- ]?up|todo|done|doing|in progress"
_ACTION_LINE = re.compile(
    # Spaces, a colon and spaces as "\s*(?::\s*)?": two runs of spaces side by side
    # ("\s*:?\s*") read a long run of spaces once for each of its spaces.
    rf"^\s{{0,3}}(?:(?:\*\*|__)(?P<bold>{_ACTION_LABELS})\s*(?::\s*)?(?:\*\*|__)(?:\s*:)?\s+\S"
    rf"|(?P<label>{_ACTION_LABELS})\s*:)",
    re.IGNORECASE,
)
_LABEL_STATES = {
    "todo": "open",
    "done": "done",
    "doing": "in-progress",
    "in progress": "in-progress",
}
_NOT_AN_ITEM = re.compile(r"\s*(?:<|!\[|([-*_])(?:\s*\1){2,}\s*$|(?:[-*+]|\d{1,3}[.)])\s*$)")
# A short label ending with a colon, alone on its line: "Completed:", "**In progress:**".
_LIST_LABEL = re.compile(r"(?:\*\*|__)?[A-Za-z][\w' -]{0,30}:(?:\*\*|__)?:?")
# What the team says it will do: an action item written as a promise.
_COMMITMENT = re.compile(
    r"\b(?:we(?:'ll| will| are going to| plan to| intend to)|(?:the )?team will)\b",
    re.IGNORECASE,
)
# A sentence that announces the follow-ups after it: "To prevent similar issues in the
# future, we've made a few changes:", "we'll be making several changes to make sure this
# doesn't happen again". What it means (prevention, the future), not a heading's words.
_ANNOUNCES = re.compile(
    r"\b(?:to prevent|prevent(?:ing)? (?:this|it|similar|a recurrence)|in the future"
    r"|going forward|from now on|(?:happen(?:s|ing)?|occur(?:s|ring)?|recur(?:s|ring)?) again"
    # Steps the team will take, not the ones it took to recover ("we took these steps:").
    r"|(?:we[’']ll|we will|we are going to|we plan to)\b[^.:]{0,40}"
    r"\b(?:changes|improvements|steps|actions|measures|follow-ups)"
    # Tickets opened for the work still to do: "We have created tickets in the tracker to
    # track the work needed to fill those gaps:" (the links below are the items).
    r"|(?:created|opened|filed|raised)\s+(?:\w+\s+)?(?:tickets?|issues?|bugs?)\b[^.:]{0,80}"
    r"\bto\s+(?:track|address|follow|cover|fix|close))",
    re.IGNORECASE,
)
# A paragraph that says what will be done: "Secondly, we'll add a manual override".
_FUTURE = re.compile(
    r"\b(?:will|we[’']ll|(?:are|is) going to|plan(?:s|ning)? to|intend(?:s)? to)\b", re.IGNORECASE
)
# A subheading that is an item: numbered ("#### 1) Cron cleanup"), or naming its owner at
# its end ("Alerts configured `@dma`", :data:`_TRAILING_OWNER`).
_NUMBERED = re.compile(r"\s*\d{1,2}[.)]\s+\S")
_TRAILING_OWNER = re.compile(r"\s`?(?P<handle>@[\w.-]{1,39})`?\s*$")
_PRIORITY = re.compile(r"\b(?P<p>P\d)\b")
_DONE_GROUP = re.compile(r"\b(?:completed|done|finished)\b", re.IGNORECASE)
_ACTION_STATUS_WORDS = {
    **dict.fromkeys(
        ("done", "completed", "complete", "closed", "fixed", "resolved", "finished", "yes"),
        "done",
    ),
    **dict.fromkeys(("open", "todo", "to do", "not started", "new", "planned", "no"), "open"),
    **dict.fromkeys(("in progress", "wip", "ongoing", "started", "doing"), "in-progress"),
    **dict.fromkeys(
        ("wont do", "won't do", "wontfix", "won't fix", "cancelled", "canceled", "dropped"),
        "wont-do",
    ),
}
_PRIORITY_WORDS = {
    **dict.fromkeys(("critical", "urgent", "highest", "blocker"), 0),
    "high": 1,
    **dict.fromkeys(("medium", "normal", "moderate"), 2),
    **dict.fromkeys(("low", "lowest", "minor", "trivial"), 3),
}


def gather_actions(sections: dict[str, list[str]], report: Report) -> None:
    """Action items written elsewhere, brought to the Action Items section: "Action point:"
    lines inside the text, and tables whose columns are an action item's (``Action Item |
    Owner | Status``), wherever the source put them. They move; nothing is copied."""
    found: list[str] = []
    for name, lines in sections.items():
        if name in ("Action Items", "Timeline"):
            continue
        blocks = read_blocks(lines)
        mask = blocks.code
        kept: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            if not mask[i] and _ACTION_LINE.match(line.strip()) and not ITEM.match(line):
                found.append(line.strip())
                report.mapped.append(f"'{_short(line.strip())}' ({name}) -> Action Items")
                i += 1
                continue
            if i in blocks.tables and _action_table(lines[i]):
                j = blocks.tables[i]
                found += ["", *lines[i:j], ""]
                report.mapped.append(f"a table of action items ({name}) -> Action Items")
                i = j
                continue
            kept.append(line)
            i += 1
        sections[name] = kept
    if not found and not has_text(sections.get("Action Items", [])):
        found = _commitments(sections, report)
    if found:
        sections.setdefault("Action Items", []).extend(["", *found])


def _commitments(sections: dict[str, list[str]], report: Report) -> list[str]:
    """A write-up without action items: the first list whose items mostly say what the team
    will do ("We will add monitoring for replica lag"), or that a sentence announces ("To
    prevent this in the future, we've made these changes:"), is them, moved to Action Items;
    failing a list, the run of paragraphs that say what will be done after such a sentence.
    """
    for name, lines in sections.items():
        if name == "Timeline":
            continue
        mask = code_mask(lines)
        i = 0
        while i < len(lines):
            first = None if mask[i] else ITEM.match(lines[i])
            if first is None or len(first["indent"]) > 1:
                i += 1
                continue
            j = i
            items = []
            while (
                j < len(lines)
                and not mask[j]
                and (lines[j].strip() or ITEM.match(_next_line(lines, j)))
            ):
                item = ITEM.match(lines[j])
                if item is not None and len(item["indent"]) <= 1:
                    items.append(item["text"])
                j += 1
            promised = [text for text in items if _COMMITMENT.search(text)]
            said = name != "Summary" and len(promised) >= 2 and len(promised) * 10 >= len(items) * 6
            if said or _announced(lines, i, mask):
                sections[name] = [*lines[:i], *lines[j:]]
                report.mapped.append(f"a list of what the team will do ({name}) -> Action Items")
                return lines[i:j]
            i = j
    for name, lines in sections.items():
        if name == "Timeline":
            continue
        found = _promised_paragraphs(lines)
        if found is not None:
            start, end = found
            sections[name] = [*lines[:start], *lines[end:]]
            report.mapped.append(f"paragraphs of what the team will do ({name}) -> Action Items")
            return lines[start:end]
    for name, lines in sections.items():
        # Wherever it is: a post-mortem told below a status page's updates sits with them.
        paragraph = _preventive_paragraph(lines)
        if paragraph is not None:
            start, end, items = paragraph
            sections[name] = [*lines[:start], *lines[end:]]
            report.mapped.append(
                f"a paragraph of what was done to prevent it ({name}) -> Action Items"
            )
            return [f"- {item}" for item in items]
    return []


# A paragraph that opens by saying what follows prevents a repeat: "To make sure this won't
# happen again we have put ... in place. Also ...".
_PREVENTIVE_OPENING = re.compile(
    r"\s*(?:to\s+(?:make\s+sure|ensure|prevent|avoid)|in\s+order\s+to\s+(?:prevent|avoid))\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _preventive_paragraph(lines: list[str]) -> tuple[int, int, list[str]] | None:
    """Where a paragraph that opens with what it prevents ("To make sure this won't happen
    again, we ...") starts and ends, and its sentences: each one a follow-up, when there
    are at least two and the first announces prevention."""
    mask = code_mask(lines)
    start = None
    for k, line in enumerate([*lines, ""]):
        plain = k < len(lines) and not mask[k] and line.strip() and not ATX.match(line)
        plain = plain and not ITEM.match(line) and not line.lstrip().startswith(("|", ">"))
        if plain and start is None:
            start = k
        elif not plain and start is not None:
            text = " ".join(part.strip() for part in lines[start:k])
            items = _SENTENCE_END.split(text)
            if _PREVENTIVE_OPENING.match(text) and _ANNOUNCES.search(items[0]) and len(items) >= 2:
                return start, k, items
            start = None
    return None


def _announced(lines: list[str], start: int, mask: list[bool]) -> bool:
    """The list at ``start`` follows a sentence ending with a colon that announces
    follow-ups ("To prevent similar issues in the future, we've made a few changes:")."""
    before = next((k for k in range(start - 1, max(start - 3, -1), -1) if lines[k].strip()), None)
    if before is None or mask[before]:
        return False
    lead = lines[before].strip()
    return lead.endswith(":") and not ITEM.match(lead) and bool(_ANNOUNCES.search(lead))


def _promised_paragraphs(lines: list[str]) -> tuple[int, int] | None:
    """Where a run of at least two paragraphs saying what will be done starts and ends,
    when a paragraph announcing follow-ups ("we'll be making several changes to make sure
    this doesn't happen again") comes right before it."""
    mask = code_mask(lines)
    paragraphs: list[tuple[int, int]] = []
    start = None
    for k, line in enumerate([*lines, ""]):
        plain = k < len(lines) and not mask[k] and line.strip() and not ATX.match(line)
        if plain and start is None:
            start = k
        elif not plain and start is not None:
            paragraphs.append((start, k))
            start = None
    for number, (first, last) in enumerate(paragraphs):
        if not _ANNOUNCES.search(" ".join(lines[first:last])):
            continue
        run: list[tuple[int, int]] = []
        for begin, end in paragraphs[number + 1 :]:
            text = " ".join(lines[begin:end])
            if any(ITEM.match(line) for line in lines[begin:end]) or not _FUTURE.search(text):
                break
            if run and any(line.strip() for line in lines[run[-1][1] : begin]):
                break
            run.append((begin, end))
        if len(run) >= 2:
            return run[0][0], run[-1][1]
    return None


def _action_table(header: str) -> bool:
    """A header whose first column is the action and another one an action item's."""
    names = [_column(cell.text) for cell in split_row(header, 1).cells]
    return bool(names) and names[0] == "Action" and any(n and n != "Action" for n in names[1:])


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class _Item:
    action: str
    owner: str = ""
    due: str = ""
    priority: str = ""
    status: str = ""
    ticket: str = ""
    group: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    #: Which of the section's parts (its text before any subheading is 0) it came from.
    part: int = 0


def action_items(lines: list[str], settings: Settings, report: Report) -> list[str]:
    """The section's action items, in whatever shape they were written, as one table.

    Items are list items (task boxes give the status), table rows, "Action item:" lines,
    and, in a section with neither list nor table, its paragraphs. A short list item whose
    own items are indented below it ("Testing" with its tests) names their group, as a
    subheading does."""
    blocks = read_blocks(lines)
    mask = blocks.code
    items: list[_Item] = []
    extra_columns: list[str] = []
    groups: list[tuple[str, list[str]]] = [("", [])]
    group = ""
    headed = _heading_items(lines, settings)
    if headed is not None:
        items, groups = headed
    # Items written as subheadings are read already: the walk below is for every other shape.
    i = 0 if headed is None else len(lines)
    while i < len(lines):
        line = lines[i]
        if mask[i]:
            groups[-1][1].append(line)
            i += 1
            continue
        heading = ATX.match(line)
        if heading:
            group = heading[2].strip()
            groups.append((line, []))
            i += 1
            continue
        if i in blocks.tables:
            head = [c.text for c in split_row(line, i + 1).cells]
            # A column under no name, or under one of ours already taken, is kept by position.
            named = [h.strip() or f"column {n}" for n, h in enumerate(head, start=1)]
            ours = [_column(h) for h in head]
            ours = [o if o not in ours[:n] else None for n, o in enumerate(ours)]
            if "Action" not in ours and None in ours:
                # A table without an action column: its first unnamed column says what to do.
                ours[ours.index(None)] = "Action"
            end = blocks.tables[i]
            for j in range(i + 2, end):
                cells = [c.text for c in split_row(lines[j], j + 1).cells]
                if not any(cell.strip() for cell in cells):
                    # An empty row (a table whose rows were broken across lines leaves
                    # some) holds no word and no action.
                    continue
                item = _Item("", group=EMPHASIS.sub("", group), part=len(groups) - 1)
                # A row longer than its header keeps its extra cells in the action.
                cells[len(head) - 1 :] = [" ".join(cells[len(head) - 1 :])]
                for name, original, cell in zip(ours, named, cells, strict=False):
                    if name:
                        setattr(item, name.lower(), cell)
                    else:
                        item.extra[original] = cell
                        if original not in extra_columns:
                            extra_columns.append(original)
                items.append(item)
            groups[-1][1].append(f"<!-- imported from a table headed: {' | '.join(head)} -->")
            report.mapped.append(
                "Action Items: table columns "
                + ", ".join(f"{h} -> {o or 'kept'}" for h, o in zip(head, ours, strict=True))
            )
            i = end
            continue
        item_match = ITEM.match(line)
        if item_match and len(item_match["indent"]) <= 1:
            text, children, k = _list_item(lines, i, mask)
            task = _TASK.match(text)
            status = ""
            if task:
                text = text[task.end() :].strip()
                status = "done" if task["done"] in "xX" else "open"
            if not text and not children:
                report.kept.append("Action Items: an empty list item kept as written")
                groups[-1][1].extend(lines[i:k])
                i = k
                continue
            name = EMPHASIS.sub("", group)
            if children and not task and _names_a_group(text):
                # "Testing:" above its tests: the group of the items below it.
                name = EMPHASIS.sub("", text).rstrip(":").strip()
                for child in children:
                    items.append(_action(child, "", name, len(groups) - 1, settings, group))
            else:
                text = " ".join([text, *children]).strip()
                items.append(_action(text, status, name, len(groups) - 1, settings, group))
            i = k
            continue
        if _LIST_LABEL.fullmatch(line.strip()) and ITEM.match(_next_line(lines, i + 1)):
            # "Completed:" above a list names the items' group, as a subheading does.
            group = _group_name(line)
            groups.append((line, []))
            i += 1
            continue
        said = _ACTION_LINE.match(line)
        if said:
            state = _LABEL_STATES.get((said["bold"] or said["label"]).casefold(), "")
            name = EMPHASIS.sub("", group)
            items.append(_action(line.strip(), state, name, len(groups) - 1, settings, group))
            i += 1
            continue
        groups[-1][1].append(line)
        i += 1
    if not items:
        items = _paragraph_items(groups, settings)
        if items:
            report.mapped.append("Action Items: each paragraph read as an item")
    else:
        items = _sole_paragraphs(items, groups, settings)
    if not items:
        if has_text(lines):
            report.kept.append("Action Items: no list or table found; kept as written")
        return lines
    for item in items:
        _settle(item, settings)
        _fold(item, extra_columns)
    if extra_columns:
        report.mapped.append(
            "Action Items: columns " + ", ".join(extra_columns) + " kept in the action's text"
        )
    columns = ["Action", "Owner", "Due", "Priority", "Status", "Ticket"]
    table = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    blanks: dict[str, list[str]] = {}
    for number, item in enumerate(items, start=1):
        for key in ("owner", "due", "priority"):
            if not getattr(item, key).strip():
                setattr(item, key, TBD)
                blanks.setdefault(key, []).append(str(number))
        cells = [item.action, item.owner, item.due, item.priority, item.status, item.ticket]
        table.append("| " + " | ".join(cells) + " |")
    for key, numbers in blanks.items():
        report.to_complete.append(f"Action items {', '.join(numbers)}: {key}")
    report.action_items = len(items)
    report.mapped.append(f"Action Items: {len(items)} rows as a table")
    # The note naming the source's heading stays above the table, as in other sections.
    lead = groups[0][1]
    notes = lead[: _leading_comments(lead)]
    groups[0] = ("", lead[len(notes) :])
    out = [*notes, "", *table, ""]
    # A subheading stays when text follows it, or when no row carries it in the Group column.
    names = [_group_name(title) for title, _ in groups]
    carried = {item.part for item in items if item.group == names[item.part]}
    for number, (title_line, rest) in enumerate(groups):
        if any(line.strip() for line in rest) or (title_line and number not in carried):
            out += [title_line, *rest] if title_line else rest
    return out


def _heading_items(
    lines: list[str], settings: Settings
) -> tuple[list[_Item], list[tuple[str, list[str]]]] | None:
    """Items written as subheadings ("#### 1) Cron cleanup `@dana`"), in a section with
    neither list nor table: each subheading and the paragraphs below it are one item, its
    owner the handle that ends it; what else sits below it (code, images) stays under it,
    after the table. None when the section is not written so."""
    blocks = read_blocks(lines)
    mask = blocks.code
    heads = [i for i in sorted(blocks.headings) if not mask[i]]
    titles = [_heading_text(lines[i]) for i in heads]
    if (
        len(heads) < 2
        or blocks.tables
        or any(not mask[k] and ITEM.match(line) for k, line in enumerate(lines))
        or not all(_NUMBERED.match(t) or _TRAILING_OWNER.search(t) for t in titles)
    ):
        return None
    groups: list[tuple[str, list[str]]] = [("", lines[: heads[0]])]
    items: list[_Item] = []
    for number, (start, title) in enumerate(zip(heads, titles, strict=True), start=1):
        end = heads[number] if number < len(heads) else len(lines)
        words: list[str] = []
        kept: list[str] = []
        for k in range(start + 1, end):
            if not mask[k] and lines[k].strip() and not _NOT_AN_ITEM.match(lines[k]):
                words.append(lines[k].strip())
            else:
                kept.append(lines[k])
        item = _item(": ".join([title, " ".join(words)]) if words else title, "", "", settings)
        handle = _TRAILING_OWNER.search(title)
        item.owner = item.owner or (handle["handle"] if handle else "")
        item.part = number
        items.append(item)
        # The subheading stays above what was kept under it; alone, it is in the table.
        groups.append((lines[start] if has_text(kept) else "", kept))
    return items, groups


def _heading_text(line: str) -> str:
    heading = ATX.match(line)
    return heading[2].strip() if heading else ""


def _fold(item: _Item, extra_columns: list[str]) -> None:
    """What has no column of ours goes into the action's text, where the checker reads it
    as the action's wording: the group first (``**Testing:** add a regression test``), the
    cells of other columns after it (``(Notes: done in the client)``)."""
    extras = [f"{name}: {item.extra[name]}" for name in extra_columns if item.extra.get(name)]
    if extras:
        item.action = f"{item.action} ({'; '.join(extras)})".strip()
    if item.group:
        # A group named with its own colon ("### Customer Support:") keeps just the one.
        item.action = f"**{item.group.rstrip(':').rstrip()}:** {item.action}".strip()


def _group_name(line: str) -> str:
    """The name a subheading or a "Completed:" label gives the items below it."""
    heading = ATX.match(line)
    if heading:
        return EMPHASIS.sub("", heading[2].strip())
    return EMPHASIS.sub("", line.strip()).rstrip(":").strip()


def _next_line(lines: list[str], start: int) -> str:
    """The next line with text (a blank line may sit between a label and its list)."""
    return next((line for line in lines[start : start + 3] if line.strip()), "")


def _list_item(lines: list[str], i: int, mask: tuple[bool, ...]) -> tuple[str, list[str], int]:
    """A list item's text, the items of its own list indented below it, and where it ends."""
    item = ITEM.match(lines[i])
    assert item is not None
    text = item["text"].strip()
    children: list[str] = []
    k = i + 1
    while k < len(lines) and not mask[k] and lines[k].startswith(("  ", "\t")) and lines[k].strip():
        if ITEM.match(lines[k].strip()):
            children.append(ITEM_TEXT.sub("", lines[k].strip()))
        elif children:
            children[-1] += " " + lines[k].strip()
        else:
            text += " " + lines[k].strip()
        k += 1
    return text, children, k


def _names_a_group(text: str) -> bool:
    """A short item such as "Testing" or "**QA:**" that heads the items below it."""
    clean = EMPHASIS.sub("", text.strip()).rstrip(":").strip()
    return 0 < len(clean.split()) <= 4 and not clean.endswith(".")


def _sole_paragraphs(
    items: list[_Item], groups: list[tuple[str, list[str]]], settings: Settings
) -> list[_Item]:
    """Beside subsections that list their items, a subsection that holds one paragraph only
    ("### Repo2docker" over "Limit memory available to build pods.") is one item too, in
    the order of the text."""
    listed = {item.part for item in items}
    found: list[_Item] = []
    for number, (title_line, rest) in enumerate(groups):
        said = [k for k, line in enumerate(rest) if line.strip()]
        if not title_line or number in listed or not said:
            continue
        one_paragraph = all(rest[k].strip() for k in range(said[0], said[-1] + 1))
        if not one_paragraph or any(_NOT_AN_ITEM.match(rest[k]) for k in said):
            continue
        part = [(title_line, rest)]
        for item in _paragraph_items(part, settings):
            item.part = number
            found.append(item)
        groups[number] = part[0]
    # Sorted by the part each item is in: the order of the text, items of a part in theirs.
    return sorted([*items, *found], key=lambda item: item.part)


def _paragraph_items(groups: list[tuple[str, list[str]]], settings: Settings) -> list[_Item]:
    """A section with neither list nor table: each paragraph is an item, taken out of the
    text it was in."""
    items: list[_Item] = []
    for number, (title_line, rest) in enumerate(groups):
        heading = ATX.match(title_line)
        name = EMPHASIS.sub("", heading[2].strip()) if heading else ""
        paragraph: list[str] = []
        kept: list[str] = []
        for line in [*rest, ""]:
            # Comments, images, HTML, a rule (``---``) and a list's empty item are not items.
            if line.strip() and not _NOT_AN_ITEM.match(line):
                paragraph.append(line.strip())
                continue
            if paragraph:
                items.append(_action(" ".join(paragraph), "", name, number, settings, name))
                paragraph = []
            kept.append(line)
        groups[number] = (title_line, kept[:-1])
    return items


def _action(
    text: str, status: str, group: str, part: int, settings: Settings, heading: str
) -> _Item:
    """One action item, its state read from its wording and from its group's name."""
    if not status and heading and _DONE_GROUP.search(heading):
        status = "done"
    item = _item(text, status, group, settings)
    item.part = part
    return item


def _leading_comments(lines: list[str]) -> int:
    """How many lines at the top are blank or ``<!-- ... -->`` comments."""
    count = 0
    for line in lines:
        if line.strip() and not re.fullmatch(r"\s*<!--.*-->\s*", line):
            break
        count += 1
    return count


def _settle(item: _Item, settings: Settings) -> None:
    """Status, priority and due date in the words the checker knows.

    A value with a match is rewritten (``Completed`` -> ``done``, ``High`` -> ``P1``); one
    without (``Q3`` as a due date) is left for a person. Either way the source's wording
    moves into the action, so nothing is lost."""
    notes = []
    status = item.status.strip()
    if status and status not in ACTION_STATUSES:
        notes.append(f"status: {status}")
        item.status = _ACTION_STATUS_WORDS.get(fold(status), "")
    priority = item.priority.strip()
    if priority and priority not in settings.priorities and priority != TBD:
        notes.append(f"priority: {priority}")
        item.priority = _priority_for(priority, settings.priorities)
    due = item.due.strip()
    if due and due != TBD and not ISO_DAY.fullmatch(due):
        notes.append(f"due: {due}")
        item.due = ""
    if notes:
        item.action = f"{item.action} ({'; '.join(notes)})".strip()


def _priority_for(text: str, priorities: tuple[str, ...]) -> str:
    folded = fold(text).replace(" ", "")
    number = re.fullmatch(r"p?(\d)", folded)
    if number and f"P{number[1]}" in priorities:
        return f"P{number[1]}"
    index = _PRIORITY_WORDS.get(folded)
    return priorities[min(index, len(priorities) - 1)] if index is not None else ""


def _column(header: str) -> str | None:
    clean = EMPHASIS.sub("", header.strip())
    if clean.casefold() in ("action", "owner", "due", "priority", "status", "ticket"):
        return clean.title()
    return column_for(clean)


def _item(text: str, status: str, group: str, settings: Settings) -> _Item:
    """A list item as an action item: the ticket pulled out; the owner, due date, priority
    and state when its wording gives them ("owner: Dana", "(@dana)", "due 2026-03-01",
    "(Estimated completion: March 3, 2026)", "(Completed)", a check mark)."""
    ticket = ""
    found = _TICKET.search(text)
    if found and (found.start() == 0 or found["key"]):
        ticket = found.group(0)
        if found.start() == 0:
            text = re.sub(r"^\s*[-–—:]\s*", "", text[found.end() :]).strip() or ticket
    owner = _OWNER.search(text)
    named = _LEAD_OWNER.match(text)
    priority = _PRIORITY.search(text)
    if not status:
        said = _STATE.search(text)
        status = _ACTION_STATUS_WORDS.get(fold(said["state"]), "") if said else ""
        status = status or ("done" if text.lstrip().startswith(("✅", "✔", "☑")) else "")
    who = owner["name"].strip() if owner else ""
    if not who and named and fold(named["name"] or "") not in _ACTION_STATUS_WORDS:
        who = (named["name"] or named["handle"]).strip()
    return _Item(
        as_cell(text),
        who,
        _due(text),
        priority["p"] if priority and priority["p"] in settings.priorities else "",
        status,
        ticket,
        group,
    )


def _due(text: str) -> str:
    """The due date an item's wording gives, as ``YYYY-MM-DD``; empty when it gives none or
    only a month ("(Estimated completion: February 2024)" stays in the wording for a person)."""
    for match in _DUE.finditer(text):
        lead = LEAD_DATE.match(match["rest"])
        found = read_day(lead["date"]) if lead else None
        if found is not None:
            return found.isoformat()
    return ""
