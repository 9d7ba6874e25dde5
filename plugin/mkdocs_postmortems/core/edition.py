"""The public edition: which post-mortems a public site shows, and what of them.

Everything the public edition leaves out is taken out here, once, from the text of the
file, before the post-mortem is read for its pages: every page, feed, calendar, catalogue
entry, explorer row, search text and insights figure is then drawn from a post-mortem that
never held the internal parts, so no output can forget to leave them out.

What is internal:

- a post-mortem whose ``visibility`` (or the configured default) is not ``public``;
- a passage between ``<!-- internal -->`` and ``<!-- /internal -->``, and every other HTML
  comment (Markdown passes comments into the page's source);
- the front-matter keys of ``public_edition.keys`` and the ``extra_fields`` declared
  ``internal: true``, and the table columns of ``public_edition.columns``;
- the Summary section, when ``public_summary:`` or a ``## Public summary`` section says
  what the public should read instead.

:func:`public_lines` blanks the internal parts with spaces, keeping every line and column
where it was: the leak check reads it and reports at the places the author wrote.
:func:`public_text` removes them, for the pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from mkdocs_postmortems.core import frontmatter
from mkdocs_postmortems.core.checks import Ruleset
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Position
from mkdocs_postmortems.core.markdown import SECTIONS, cell_spans
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.reader import read_text

PUBLIC = "public"
PUBLIC_SUMMARY = "Public summary"
_SUMMARY = SECTIONS[0]
# A top-level key of the front matter, as a block style mapping writes it at column 0.
# A run of blanks is read from its start only ((?<![ \t])): a key's end tried at each blank
# of a long run read the rest of the run each time.
_TOP_KEY = re.compile(r"""(["']?)([^\s#:"'][^:]*?)\1(?<![ \t])[ \t]*:(?:[ \t]|$)""")
_MARKER = re.compile(r"<!--\s*(/?)internal\s*-->", re.IGNORECASE)
_HEADING = re.compile(r"#{1,2}[ \t]+(.*?)[ \t#]*$")


def is_public(pm: PostMortem, settings: Settings) -> bool:
    """Whether ``pm`` is in the public edition: its own ``visibility``, or the default."""
    return (pm.visibility or settings.public_edition.default) == PUBLIC


def in_public_edition(pm: PostMortem, settings: Settings) -> bool:
    """Whether the public edition publishes ``pm``: public, and published (a draft is not
    final, and its public text has not been through review)."""
    return is_public(pm, settings) and pm.status == "published"


def only_public_links(postmortems: list[PostMortem]) -> None:
    """Keep in ``related`` only the post-mortems the public edition publishes: the id of an
    internal one names what it is about."""
    published = {pm.id for pm in postmortems}
    for pm in postmortems:
        pm.related = [ident for ident in pm.related if ident in published]


def public_url(pm: PostMortem, settings: Settings) -> str:
    """Where the public edition publishes ``pm``, for the internal site's link to it: empty
    in the public edition itself, for an internal post-mortem, and without
    ``public_edition.url`` (the address of the public edition's post-mortems)."""
    base = settings.public_edition.url
    if not base or settings.edition == PUBLIC or not in_public_edition(pm, settings):
        return ""
    return f"{base.rstrip('/')}/{pm.id}/"


def published_settings(settings: Settings) -> Settings:
    """The settings the public edition's pages are drawn with: the internal ``extra_fields``
    are not declared, so no header, explorer filter or catalogue column names them."""
    if settings.edition != PUBLIC:
        return settings
    public = tuple(spec for spec in settings.extra_fields if not spec.internal)
    return replace(settings, extra_fields=public)


def internal_passages(lines: list[str]) -> list[tuple[int, int]]:
    """The internal passages of a body whose markers stand alone on their lines, outside
    code blocks: each as the indexes of its opening and closing marker's lines (what the
    internal site can mark; a marker within a line of prose is left as the comment it is)."""
    passages = []
    opened: int | None = None
    fence = ""
    for index, text in enumerate(lines):
        stripped = text.strip()
        if stripped.startswith(("```", "~~~")):
            fence = "" if fence and stripped.startswith(fence) else fence or stripped[:3]
            continue
        marker = _MARKER.fullmatch(stripped) if not fence else None
        if marker is None:
            continue
        if not marker[1] and opened is None:
            opened = index
        elif marker[1] and opened is not None:
            passages.append((opened, index))
            opened = None
    return passages


def internal_keys(settings: Settings) -> frozenset[str]:
    """The front-matter keys no public page shows."""
    extra = (spec.name for spec in settings.extra_fields if spec.internal)
    return frozenset((*settings.public_edition.keys, *extra))


def internal_columns(settings: Settings) -> frozenset[str]:
    return frozenset(name.casefold() for name in settings.public_edition.columns)


@dataclass
class PublicLines:
    """A file's lines as the public edition has them (1-based, by line number), the lines
    of its front matter, and the internal passages that were opened and never closed."""

    lines: list[str]
    front: range
    unclosed: list[Position]
    #: Each table line's spans of internal cells, blanked in ``lines``.
    cells: list[tuple[int, list[tuple[int, int]]]]


def public_lines(pm: PostMortem, settings: Settings) -> PublicLines | None:
    """Every line of ``pm``'s file with the internal parts blanked with spaces, so each public
    word keeps its line and column; None when the file could not be read."""
    if pm.front is None or pm.body is None or not pm.raw_text:
        return None
    lines = pm.raw_text.split("\n")
    cut, _ = frontmatter.split(pm.raw_text)
    front = range(2, cut.closing_line)
    _blank_keys(lines, front, internal_keys(settings))
    unclosed = _blank_passages(lines, pm)
    cells = _internal_cells(lines, pm, settings)
    for number, spans in cells:
        text = lines[number - 1]
        for start, end in spans:
            text = text[:start] + " " * (end - start) + text[end:]
        lines[number - 1] = text
    return PublicLines(lines, front, unclosed, cells)


def public_text(pm: PostMortem, settings: Settings, view: PublicLines | None = None) -> str:
    """The text of ``pm``'s file with every internal part taken out: what its public page,
    and everything else the public edition draws from it, is made of. ``view`` is
    :func:`public_lines` of it, when the caller has it already."""
    view = view or public_lines(pm, settings)
    if view is None:
        return ""
    lines = list(view.lines)
    for number, spans in view.cells:
        text = lines[number - 1]
        for start, end in reversed(spans):
            # The cell goes with the pipe before it, so the row keeps its shape.
            before = text.rfind("|", 0, start)
            text = text[: before if before != -1 else start] + text[end:]
        lines[number - 1] = text
    body_start = view.front.stop  # the 0-based index of the line after the closing ---
    body = _with_public_summary(lines[body_start:], pm.public_summary)
    return "\n".join([*lines[:body_start], *body])


def public_version(pm: PostMortem, settings: Settings, ruleset: Ruleset) -> PostMortem:
    """The post-mortem the public edition draws its pages from: read again from
    :func:`public_text`, with the file's own findings (reported where the author wrote
    them). A post-mortem that is not public, or could not be read, is returned as it is."""
    if pm.refused or not pm.readable or not is_public(pm, settings):
        return pm
    view = public_lines(pm, settings)
    assert view is not None  # a readable post-mortem has its lines
    public = PostMortem(path=Path(pm.path), display=pm.display, id=pm.path.stem)
    # The checks ran on the file itself; only the reading is done again.
    text = public_text(pm, settings, view)
    read_text(public, text, settings, Ruleset(ruleset.rules, (), ()))
    public.hits, public.ignored, public.line_ignored = pm.hits, pm.ignored, pm.line_ignored
    public.has_page = pm.has_page
    columns = internal_columns(settings)
    # The items as the checks read them, less those of rows in an internal passage.
    public.action_items = [
        replace(
            item,
            owner="" if "owner" in columns else item.owner,
            ticket="" if "ticket" in columns else item.ticket,
        )
        for item in pm.action_items
        if view.lines[item.pos.line - 1].strip()
    ]
    if pm.public_summary:
        public.summary = pm.public_summary
    return public


def _blank_keys(lines: list[str], front: range, keys: frozenset[str]) -> None:
    """Blank the internal keys' blocks and every comment of the front matter."""
    inside = False
    for number in front:
        text = lines[number - 1]
        top = _TOP_KEY.match(text)
        if top is not None:
            inside = top[2] in keys
        if inside or text.lstrip().startswith("#"):
            lines[number - 1] = " " * len(text)


def _blank_passages(lines: list[str], pm: PostMortem) -> list[Position]:
    """Blank every HTML comment of the body, and what lies between ``<!-- internal -->`` and
    ``<!-- /internal -->``, code blocks included; comments inside code blocks are code."""
    assert pm.body is not None
    opened: Position | None = None
    comment: list[str] | None = None  # the comment being read, across lines
    started = Position(1)  # where it starts
    for line in pm.body.lines:
        text = line.text
        if line.kind == "code" and comment is None:
            if opened is not None:
                lines[line.number - 1] = " " * len(text)
            continue
        kept = list(text)
        at = 0
        while at < len(text):
            if comment is not None:
                end = text.find("-->", at)
                stop = len(text) if end == -1 else end + 3
                comment.append(text[at : stop - 3 if end != -1 else stop])
                kept[at:stop] = " " * (stop - at)
                if end != -1:
                    marker = "".join(comment).strip().casefold()
                    if marker == "internal" and opened is None:
                        opened = started
                    elif marker == "/internal":
                        opened = None
                    comment = None
                at = stop
                continue
            start = text.find("<!--", at)
            stop = len(text) if start == -1 else start
            if opened is not None:
                kept[at:stop] = " " * (stop - at)
            if start == -1:
                break
            kept[start : start + 4] = "    "
            comment, at, started = [], start + 4, Position(line.number, start + 1)
        lines[line.number - 1] = "".join(kept)
    return [opened] if opened is not None else []


def _internal_cells(
    lines: list[str], pm: PostMortem, settings: Settings
) -> list[tuple[int, list[tuple[int, int]]]]:
    """Each table line's spans of internal columns (header, delimiter and rows)."""
    columns = internal_columns(settings)
    assert pm.body is not None
    found = []
    for table in pm.body.tables:
        hidden = {i for i, cell in enumerate(table.header) if cell.text.casefold() in columns}
        if not hidden:
            continue
        numbers = [table.line, table.line + 1, *(row.line for row in table.rows)]
        for number in numbers:
            spans = cell_spans(lines[number - 1])
            found.append((number, [span for i, span in enumerate(spans) if i in hidden]))
    return found


def _with_public_summary(body: list[str], summary: str) -> list[str]:
    """The body with its Summary section's text replaced by the public summary: the
    ``## Public summary`` section (taken out), or else the ``public_summary`` key."""
    sections = _sections(body)
    own = sections.get(PUBLIC_SUMMARY.casefold())
    text = body[own[0] + 1 : own[1]] if own else ["", summary, ""] if summary else None
    if own:
        body = body[: own[0]] + body[own[1] :]
        sections = _sections(body)
    target = sections.get(_SUMMARY.casefold())
    if text is None or target is None:
        return body
    return [*body[: target[0] + 1], *text, *body[target[1] :]]


def _sections(body: list[str]) -> dict[str, tuple[int, int]]:
    """Each second-level heading's name (case folded) and its lines, heading to next one."""
    starts = []
    fence = ""
    for index, text in enumerate(body):
        if text.lstrip().startswith(("```", "~~~")):
            fence = "" if fence else text.lstrip()[:3]
        elif not fence and text.startswith("## "):
            heading = _HEADING.match(text)
            if heading is not None:
                starts.append((heading[1].casefold(), index))
    ends = [index for _, index in starts[1:]] + [len(body)]
    return {name: (start, end) for (name, start), end in zip(starts, ends, strict=True)}
