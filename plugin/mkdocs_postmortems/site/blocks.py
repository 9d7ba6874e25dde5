"""A page as Markdown with its generated HTML kept apart as blocks: the placeholders the
Markdown holds, the blocks put back after rendering (the author's HTML between them
sanitized), and the text search reads in place of a block."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape

from mkdocs_postmortems.core.sanitize import clean

#: What search reads in place of a block: a text, or a function of the block's HTML.
SearchText = str | Callable[[str], str]


# A run of tags other than a code span's.
_TAGS = re.compile(r"(?:<(?!/?code>)[^>]*>)+")


def text_form(html: str) -> str:
    """A block of ours as search reads it, from far less markup: each run of tags becomes
    an empty comment, but code spans stay.

    Material's search splits text at every tag, joins it collapsing whitespace, and keeps
    only a few tags (``p``, ``code``, ``pre``, lists, ``sub``, ``sup``). A comment splits the
    text where the tags did, so search makes the same text of it (the tests compare the two
    with its own parser); it costs a fraction of a tag to parse. Only for blocks whose other
    tags search drops, with every attribute escaped (the action-items table): its cells,
    labels and badges cost search more than the rest of the page.
    """
    return _TAGS.sub("<!---->", html)


@dataclass
class RenderedPage:
    """A page's Markdown, with its generated HTML kept apart as blocks.

    The Markdown holds a placeholder comment per block. MkDocs gets the blocks back after the
    Markdown is rendered, so the Markdown processor never parses the (often large) generated
    HTML: parsing it again cost more than the rest of the build.
    """

    markdown: str
    blocks: dict[str, str] = field(default_factory=dict)
    #: What the site's search indexes in place of a block: plain text for the header card,
    #: nothing for the related incidents, or a function making it from the block when search
    #: reads the page (:func:`text_form`, for the action items). Parsing their markup doubled
    #: search's share of the build, and none of it helps a query.
    search: dict[str, SearchText] = field(default_factory=dict)
    #: The Markdown holds an author's text (a post-mortem's body): its HTML is sanitized
    #: before the blocks go back in (:func:`assemble`).
    authored: bool = False

    def add(self, key: str, html: str, *, search: SearchText | None = None) -> str:
        """Keep a block (and its text for search); return the placeholder for the Markdown."""
        self.blocks[key] = html
        if search is not None:
            self.search[key] = search
        return placeholder(key)

    def inlined(self) -> str:
        """The Markdown with every block in its place, for a generator that gives the plugin
        no event to put them back: Python-Markdown passes block-level HTML through as it is.
        Only for a page of ours alone: one with an author's text is :meth:`rendered`."""
        markdown = self.markdown
        for key, html in self.blocks.items():
            markdown = markdown.replace(placeholder(key), html.strip("\n"), 1)
        return markdown

    def html(self, rendered: str) -> str:
        """The page's HTML from the HTML its Markdown was rendered to (:func:`assemble`)."""
        return assemble(rendered, self.blocks, authored=self.authored)

    def rendered(self, to_html: Callable[[str], str]) -> str:
        """The page for a generator that renders its Markdown itself and gives the plugin no
        event after it: the front matter as it is, then the page rendered here (``to_html``:
        Markdown to HTML with the site's extensions), sanitized and with its blocks in place.
        The page is then one HTML element from start to end, which Python-Markdown passes
        through as it is, so the author's Markdown is never rendered again unsanitized."""
        front, _, markdown = self.markdown.partition(_FRONT_MATTER_END)
        return f"{front}{_FRONT_MATTER_END}\n{self.html(to_html(markdown)).strip()}\n"


def assemble(html: str, blocks: Mapping[str, str], *, authored: bool) -> str:
    """A page's HTML with every block in place of its placeholder; on a page that holds an
    author's text, each stretch of HTML between two blocks (the author's, never ours) is
    sanitized first, on its own, so that no element of the author's runs into a block.

    Blocks are ours: rendered by autoescaped templates, they go in as they are. An author
    cannot write a placeholder (see :func:`placeholder`), so a body moves no block.
    """
    parts = _PLACEHOLDER.split(html)
    for index, part in enumerate(parts):
        if index % 2:
            parts[index] = blocks.get(part, placeholder(part))
        elif authored and part.strip():
            parts[index] = clean(part)
    return "".join(parts)


_FRONT_MATTER_END = "\n---\n"
#: A secret of this process in every placeholder. It never reaches a page or a file, so an
#: author cannot write a placeholder into a body to move a block or close the page's
#: wrapper early; and a build's output does not depend on it.
_NONCE = secrets.token_hex(16)
_PLACEHOLDER = re.compile(rf"<!-- postmortems:block:{_NONCE}:([\w-]+) -->")


def placeholder(key: str) -> str:
    return f"<!-- postmortems:block:{_NONCE}:{key} -->"


def front_matter(meta: dict[str, Any]) -> str:
    """The one place where values become page metadata for MkDocs and its theme.

    mkdocs-material prints ``title`` and ``description`` into ``<title>`` and
    ``<meta content="...">`` without escaping them, and other themes and plugins may put any
    string of the metadata into HTML the same way. So every string is HTML-escaped here (a
    browser shows the entities as the characters). The metadata is written as JSON, which is
    valid YAML and many times faster to write; ``ensure_ascii`` spells every character
    beyond ASCII as an escape, so no control character or noncharacter can make the YAML
    unreadable (MkDocs would then drop the page's title without a word).
    """
    return f"---\n{json.dumps(_escaped(meta), ensure_ascii=True)}\n---"


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return str(escape(value))
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    return value
