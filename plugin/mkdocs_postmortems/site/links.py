"""Where each page of the site lives, and relative links between them.

Pure path arithmetic, the same MkDocs does, so the core can render every page (and link
between pages in raw HTML, which MkDocs does not rewrite) without importing MkDocs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from mkdocs_postmortems.core.config import Settings

HOME = "home"
#: Where the pages of one owner's action items live, under the action-items page.
OWNERS = "owner"
_SLUG = re.compile(r"[^a-z0-9]+")


def slugs(names: Iterable[str]) -> dict[str, str]:
    """A URL segment for each name: lower-case ASCII words joined by ``-`` (``Lucía
    Benítez``: ``lucia-benitez``), numbered in sorted order when two names meet in one, so
    the same names always give the same URLs."""
    taken: set[str] = set()
    found = {}
    for name in sorted(set(names)):
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        base = _SLUG.sub("-", ascii_name.lower()).strip("-") or "unnamed"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        found[name] = slug
    return found


@dataclass(frozen=True)
class Facets:
    """The services and owners that have a page of their own, with their URL segments."""

    services: Mapping[str, str] = field(default_factory=dict)
    owners: Mapping[str, str] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((tuple(self.services.items()), tuple(self.owners.items())))


@dataclass(frozen=True)
class Site:
    """The site's layout: the settings' URLs, with or without directory URLs."""

    settings: Settings
    directory_urls: bool = True
    #: Links in the generated HTML relative to the page's source file rather than its URL:
    #: for generators that rewrite every relative link in a page as they rewrite Markdown
    #: links (Zensical). MkDocs passes raw HTML through, so links there are URL-relative.
    links_from_source: bool = False
    #: The site's name and public address (``site_name`` and ``site_url`` of mkdocs.yml): the
    #: feed and the calendars name the site, and link absolutely when the address is known.
    name: str = "Post-mortems"
    base_url: str = ""
    #: The services' and owners' pages (:mod:`mkdocs_postmortems.site.facets`), known once
    #: the knowledge base is read.
    facets: Facets = Facets()

    def postmortem_src(self, ident: str) -> str:
        return f"{self.settings.url_prefix}{ident}.md"

    def review_src(self, ident: str) -> str:
        """A post-mortem's review pack, under its page: ``postmortems/<id>/review.md``."""
        return f"{self.settings.url_prefix}{ident}/review.md"

    def review_url(self, ident: str) -> str:
        return self.url_of_src(self.review_src(ident))

    def invite_path(self, ident: str) -> str:
        """The review meeting's calendar invite, a site file beside the pack."""
        return f"{self.settings.url_prefix}{ident}/review.ics"

    def page_src(self, name: str) -> str:
        """``incidents.md`` rather than ``incidents/index.md``: same URL, and MkDocs' automatic
        navigation lists it as a page instead of a section holding one page (on every page)."""
        return "index.md" if name == HOME else f"{self.settings.pages[name].rstrip('/')}.md"

    def url_of_src(self, src: str) -> str:
        """The URL MkDocs gives a page at ``src`` (relative to the site root)."""
        stem = src[: -len(".md")]
        if not self.directory_urls:
            return f"{stem}.html"
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return f"{stem}/"

    def postmortem_url(self, ident: str) -> str:
        return self.url_of_src(self.postmortem_src(ident))

    def page_url(self, name: str) -> str:
        return self.url_of_src(self.page_src(name))

    def year_src(self, year: int, number: int = 1) -> str:
        """A page of one year's incidents, under the incidents page: ``incidents/2025.md``,
        then ``incidents/2025/2.md`` for a year too long for one page."""
        stem = f"{self.page_src('incidents')[: -len('.md')]}/{year}"
        return f"{stem}.md" if number == 1 else f"{stem}/{number}.md"

    def year_url(self, year: int, number: int = 1) -> str:
        return self.url_of_src(self.year_src(year, number))

    def service_src(self, name: str) -> str:
        """A service's own page, under the services page: ``services/checkout-api.md``."""
        return f"{self.page_src('services')[: -len('.md')]}/{self.facets.services[name]}.md"

    def owner_src(self, name: str, number: int = 1) -> str:
        """One page of an owner's open action items: ``action-items/owner/dana.md``, then
        ``action-items/owner/dana/2.md``."""
        stem = f"{self.page_src('action_items')[: -len('.md')]}/{OWNERS}/{self.facets.owners[name]}"
        return f"{stem}.md" if number == 1 else f"{stem}/{number}.md"

    def has_page(self, name: str) -> bool:
        if name == "find" and not self.settings.pagefind:
            return False
        return name == HOME or bool(self.settings.pages.get(name))

    def links_from(self, src: str) -> Links:
        return Links(self, src if self.links_from_source else self.url_of_src(src))


@dataclass(frozen=True)
class Links:
    """Links relative to one page, for templates: ``links.postmortem(id)``, ``links.page(name)``."""

    site: Site
    here: str

    def postmortem(self, ident: str) -> str:
        return relative_url(self.site.postmortem_url(ident), self.here)

    def page(self, name: str) -> str:
        return relative_url(self.site.page_url(name), self.here)

    def review(self, ident: str) -> str:
        return relative_url(self.site.review_url(ident), self.here)

    def year(self, year: int, number: int = 1) -> str:
        return relative_url(self.site.year_url(year, number), self.here)

    def asset(self, path: str) -> str:
        return relative_url(path, self.here)

    def explorer(self, name: str, value: str) -> str:
        """The incidents explorer filtered on one value (``?service=api``), or nothing
        when the incidents page is switched off."""
        if not self.site.has_page("incidents"):
            return ""
        return f"{self.page('incidents')}?{name}={quote(value, safe='')}"

    def severity(self, name: str) -> str:
        """A severity level's incidents: its section of the severity page."""
        if self.site.has_page("severity"):
            return f"{self.page('severity')}#{quote(name.lower(), safe='')}"
        return self.explorer("severity", name)

    def service(self, name: str) -> str:
        """A service's own page, or the explorer filtered on it."""
        if name in self.site.facets.services:
            return relative_url(self.site.url_of_src(self.site.service_src(name)), self.here)
        return self.explorer("service", name)

    def owner(self, name: str, number: int = 1) -> str:
        """An owner's open action items (empty for a name that owns none)."""
        if name not in self.site.facets.owners:
            return ""
        return relative_url(self.site.url_of_src(self.site.owner_src(name, number)), self.here)

    def period(self, year: int | str, number: int = 1) -> str:
        """The page of the year an incident started in (none for an undated one)."""
        if not isinstance(year, int) or not self.site.has_page("incidents"):
            return ""
        return self.year(year, number)

    def tag(self, name: str) -> str:
        return self.explorer("tag", name)

    def status(self, name: str) -> str:
        return self.explorer("status", name)

    def person(self, name: str) -> str:
        """An author's or facilitator's incidents: a full-text search for the name when the
        Pagefind search page is on (names are in every post-mortem's text)."""
        if not self.site.has_page("find"):
            return ""
        return f"{self.page('find')}?query={quote(name, safe='')}"


#: A ticket id as trackers write it: a project key, a hyphen, a number (``OPS-2620``).
TICKET = re.compile(r"\b([A-Z][A-Z0-9_]{0,31})-([0-9]{1,12})\b")


def ticket_url(ident: str, patterns: Mapping[str, str]) -> str:
    """The tracker's address of a ticket (``OPS-2620``) through the configured pattern of its
    project key, or "" when no pattern names the key. The id is URL-encoded whole, and only
    an ``http(s)`` address is ever given (the option is checked too: this holds whatever
    built the patterns)."""
    match = TICKET.fullmatch(ident)
    pattern = patterns.get(match.group(1)) if match else None
    if pattern is None:
        return ""
    url = pattern.replace("{id}", quote(ident, safe=""))
    return url if urlsplit(url).scheme in ("http", "https") else ""


def relative_url(target: str, here: str) -> str:
    """``target`` as seen from the page at ``here`` (both relative to the site root).

    Segment arithmetic on the two URLs (MkDocs' own URLs have no ``.`` or ``..`` segments):
    a 1,000-incident site computes some 50,000 of these, and ``posixpath.relpath`` was a
    tenth of the plugin's own time.
    """
    folders = here.split("/")[:-1]  # "a/b/" and "a/b/page.html" are both in folder a/b
    parts = target.split("/")
    common = 0
    limit = min(len(folders), len(parts) - 1)
    while common < limit and folders[common] == parts[common]:
        common += 1
    return "../" * (len(folders) - common) + "/".join(parts[common:]) or "./"
