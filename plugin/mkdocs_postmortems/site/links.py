"""Where each page of the site lives, and relative links between them.

Pure path arithmetic, the same MkDocs does, so the core can render every page (and link
between pages in raw HTML, which MkDocs does not rewrite) without importing MkDocs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from mkdocs_postmortems.core.config import Settings

HOME = "home"


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

    def year_src(self, year: int) -> str:
        """A page of one year's incidents, under the incidents page: ``incidents/2025.md``."""
        return f"{self.page_src('incidents')[: -len('.md')]}/{year}.md"

    def year_url(self, year: int) -> str:
        return self.url_of_src(self.year_src(year))

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

    def year(self, year: int) -> str:
        return relative_url(self.site.year_url(year), self.here)

    def asset(self, path: str) -> str:
        return relative_url(path, self.here)


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
