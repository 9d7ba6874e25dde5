"""Rendering with Jinja2 templates shipped in the package.

HTML templates are autoescaped: every value taken from a post-mortem is escaped on the pages
built from them. Markdown templates (``*.md.j2``) hold only the project's own text.
"""

from __future__ import annotations

import contextlib
import pickle
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, MutableMapping
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape

from mkdocs_postmortems.core.dates import plural
from mkdocs_postmortems.site.links import TICKET, ticket_url

if TYPE_CHECKING:
    from mkdocs_postmortems.core.findings import Rule
    from mkdocs_postmortems.site.links import Links
    from mkdocs_postmortems.site.views import Incident


class _Environment(jinja2.Environment):
    """Jinja2's environment, with each template's globals in a plain dictionary.

    Jinja chains a template's globals to the environment's (a ``ChainMap``, so that a change
    to the environment's globals shows in templates already loaded) and copies that chain
    into every render's context: 6 of the 11 microseconds a render takes. The plugin sets
    its globals once, before any template is loaded, so a copy made at load is the same.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


@cache
def environment() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.PackageLoader("mkdocs_postmortems.site", "templates"),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        # Templates ship in the package and never change while a build runs; checking them
        # for changes on every render was a tenth of the build time.
        auto_reload=False,
        bytecode_cache=_compiled_templates(),
    )
    env.filters.update(FILTERS)
    return env


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in its folder of the user's own (made private to
    them, refused when another user could write it), where a failure to read or write an
    entry means compiling the template again, never a failed build."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _compiled_templates() -> jinja2.BytecodeCache | None:
    """The templates compiled by an earlier run, when there is a safe place to keep them:
    compiling the forty templates was a twentieth of drawing a thousand post-mortems' pages,
    at every build."""
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):
        return None


# The small pieces every table row repeats, as filters: a Jinja macro call costs ten times
# as much, and a 1,000-incident site renders these a hundred thousand times. Each escapes
# every value it is given and returns markup.


def severity(incident: Incident, pagefind: bool = False, href: str = "") -> Markup:
    """An incident's severity badge, coloured by the level's rank; a link to the level's
    incidents when given ``href``."""
    attribute = ' data-pagefind-filter="severity"' if pagefind else ""
    badge = (
        f'<span class="pm-badge pm-sev pm-sev-{escape(incident.severity_rank)}" '
        f'title="{escape(incident.severity_label)}"{attribute}>'
        f"{escape(incident.severity)}</span>"
    )
    if href:
        badge = f'<a class="pm-badge-link" href="{escape(href)}">{badge}</a>'
    return Markup(badge)


def status(name: str, pagefind: bool = False) -> Markup:
    """A post-mortem's status badge."""
    attribute = ' data-pagefind-filter="status"' if pagefind else ""
    name = escape(name)
    return Markup(f'<span class="pm-badge pm-status pm-status-{name}"{attribute}>{name}</span>')


def item_status(name: str, days_late: int = 0) -> Markup:
    """An action item's state, and an "overdue" badge when it is past due."""
    name = escape(name)
    badge = f'<span class="pm-badge pm-item pm-item-{name}">{name}</span>'
    if days_late:
        badge += (
            f' <span class="pm-badge pm-late" title="{plural(days_late, "day")} past due">'
            "overdue</span>"
        )
    return Markup(badge)


def flags(incident: Incident) -> Markup:
    """What is wrong with an incident, in the words every page uses: "invalid",
    "write-up overdue", "N action items overdue" (badges with a leading space, or nothing)."""
    badges = []
    if not incident.valid:
        badges.append('<span class="pm-badge pm-invalid">invalid</span>')
    if incident.overdue:
        badges.append('<span class="pm-badge pm-late">write-up overdue</span>')
    if incident.overdue_items:
        count = incident.overdue_items
        noun = "action item" if count == 1 else "action items"
        badges.append(f'<span class="pm-badge pm-late-items">{count:d} {noun} overdue</span>')
    return Markup("".join(f" {badge}" for badge in badges))


def code(text: str) -> Markup:
    """Inline code spans in a table cell: escaped first, then wrapped, never interpreted."""
    text = str(text)
    if "`" not in text:
        return escape(text)  # most cells: one escape instead of a split and a join
    parts = text.split("`")
    return Markup(
        "".join(
            f"<code>{escape(part)}</code>" if index % 2 else str(escape(part))
            for index, part in enumerate(parts)
        )
    )


def tickets(text: str, patterns: Mapping[str, str]) -> Markup:
    """A cell with its ticket ids as links to the tracker (``tickets`` option); code spans
    and the rest of the text as :func:`code` shows them."""
    text = str(text)
    if not patterns:
        return code(text)
    return Markup(
        "".join(
            f"<code>{escape(part)}</code>" if index % 2 else _ticket_links(part, patterns)
            for index, part in enumerate(text.split("`"))
        )
    )


def _ticket_links(text: str, patterns: Mapping[str, str]) -> str:
    parts: list[str] = []
    end = 0
    for match in TICKET.finditer(text):
        url = ticket_url(match.group(0), patterns)
        if url:
            parts += [escape(text[end : match.start()]), _ticket_link(url, match.group(0))]
            end = match.end()
    parts.append(escape(text[end:]))
    return "".join(parts)


def _ticket_link(url: str, ident: str) -> str:
    return f'<a class="pm-ticket-link" href="{escape(url)}">{escape(ident)}</a>'


def incident_link(incident: Incident, links: Links) -> Markup:
    """A link to an incident's page, relative to the page being rendered (``links``)."""
    url = links.postmortem(incident.id)
    return Markup(f'<a href="{escape(url)}">{escape(incident.title)}</a>')


def chips(
    names: Iterable[str], pagefind_filter: str = "", link: Callable[[str], str] | None = None
) -> Markup:
    """Names (services, tags) as chips, optionally as a Pagefind filter; with ``link`` (a
    name to its URL, such as ``links.service``), each chip leads to what shares it."""
    attribute = f' data-pagefind-filter="{escape(pagefind_filter)}"' if pagefind_filter else ""
    shown = []
    for name in names:
        href = link(name) if link else ""
        if href:
            shown.append(f'<a class="pm-chip" href="{escape(href)}"{attribute}>{escape(name)}</a>')
        else:
            shown.append(f'<span class="pm-chip"{attribute}>{escape(name)}</span>')
    return Markup(" ".join(shown))


def person(name: str, links: Links) -> Markup:
    """An author's or facilitator's name, leading to the incidents that name them."""
    return _linked(name, links.person(name), "pm-person")


def owner(name: str, links: Links, number: int = 1) -> Markup:
    """An owner's name, leading to their open action items (to page ``number`` of them)."""
    return _linked(name, links.owner(name, number), "pm-owner")


def _linked(text: str, href: str, kind: str) -> Markup:
    if not href:
        return escape(text)
    return Markup(f'<a class="{kind}" href="{escape(href)}">{escape(text)}</a>')


def md(value: object) -> str:
    """A value from a post-mortem inside a line or a table cell of generated Markdown: a pipe
    would end the cell and a line break the row (Markdown templates are not autoescaped)."""
    return _UNESCAPED_PIPE.sub(r"\\|", _LINE_BREAK.sub(" ", str(value)))


# From the start of a run of spaces only: from each space of a long run, the rest of the
# run was read again.
_LINE_BREAK = re.compile(r"(?<!\s)\s*[\r\n]+\s*")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


FILTERS = {
    "severity": severity,
    "status": status,
    "item_status": item_status,
    "code": code,
    "flags": flags,
    "incident_link": incident_link,
    "chips": chips,
    "md": md,
    "person": person,
    "owner": owner,
    "tickets": tickets,
}


def render(template: str, **context: Any) -> str:
    return _template(template).render(**context)


@cache
def _template(name: str) -> jinja2.Template:
    """A template, looked up once per process: Jinja's own lookup (its cache's lock and
    key) was half of what rendering a small template costs, and a 1,000-incident site
    renders ten thousand."""
    return environment().get_template(name)


@cache
def render_once(template: str, **context: Hashable) -> str:
    """A template that shows no post-mortem (the wrappers every post-mortem page repeats),
    rendered once per process: templates never change while it runs, and rendering them
    again for each of a thousand pages cost a tenth of drawing the pages."""
    return render(template, **context)


def rules_reference(rules: Iterable[Rule]) -> str:
    """The rule reference page, in Markdown, from the rule registry."""
    return render("rules.md.j2", rules=list(rules))
