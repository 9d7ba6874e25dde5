"""Reading a write-up in the shape it was exported in: Markdown with YAML, TOML or JSON front
matter (or none), and HTML from Confluence's "Export to HTML" or Google Docs' "Download as
HTML". Every source becomes front-matter values and a Markdown body.

python-frontmatter splits and parses the three front-matter flavours; the checker keeps its
own position-keeping YAML reader, since a finding must point at a line and a column.

HTML goes through markdownify rather than html2text: markdownify is MIT-licensed like this
project (html2text is GPL-3.0, which a team could not vendor freely), writes pipe tables by
default, and is a BeautifulSoup visitor we can steer (ATX headings, ``-`` bullets, no
escaping of ``_``) where html2text is a streaming parser with global switches. Both are
maintained (releases in 2025).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import frontmatter
from bs4 import BeautifulSoup, Tag
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler
from markdownify import MarkdownConverter

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

HTML_SUFFIXES = (".html", ".htm")


class SourceError(Exception):
    """A source that cannot be read as a write-up; the message says why."""


@dataclass
class Source:
    """One write-up, read: its front-matter values, its Markdown body, and how it came."""

    name: str
    meta: dict[str, Any]
    body: str
    flavour: str
    notes: list[str] = field(default_factory=list)


class _TomlHandler(BaseHandler):
    """``+++`` front matter, read with the standard library's tomllib.

    python-frontmatter's own TOML handler needs the ``toml`` package, unreleased since 2020.
    """

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


_HANDLERS: tuple[tuple[str, BaseHandler], ...] = (
    ("yaml", YAMLHandler()),
    ("toml", _TomlHandler()),
    ("json", JSONHandler()),
)


def read_source(name: str, text: str) -> Source:
    """The write-up in ``text`` (the content of the file called ``name``)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if name.lower().endswith(HTML_SUFFIXES) or _looks_like_html(text):
        return read_html(name, text)
    return read_markdown(name, text)


def read_markdown(name: str, text: str) -> Source:
    for flavour, handler in _HANDLERS:
        if not handler.detect(text):
            continue
        try:
            post = frontmatter.loads(text, handler=handler)
        except Exception as exc:  # each flavour's parser raises its own error types
            raise SourceError(f"the {flavour.upper()} front matter cannot be read: {exc}") from None
        if not isinstance(post.metadata, dict):
            raise SourceError(f"the {flavour.upper()} front matter is not a mapping")
        return Source(
            name, {str(k): _plain(v) for k, v in post.metadata.items()}, post.content, flavour
        )
    return Source(name, {}, text, "markdown")


def _plain(value: Any) -> Any:
    """Dates and times as ISO text, as the importer writes them back."""
    if isinstance(value, datetime):
        return value.isoformat(sep="T")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


class _Converter(MarkdownConverter):
    """markdownify, steered to write Markdown the checker reads."""

    def __init__(self) -> None:
        super().__init__(
            heading_style="ATX",
            bullets="-",
            escape_underscores=False,
            escape_asterisks=False,
            strip=["script", "style"],
        )


def read_html(name: str, text: str) -> Source:
    """A Confluence or Google Docs export: the page's content, not its chrome."""
    soup = BeautifulSoup(text, "html.parser")
    meta: dict[str, Any] = {}
    notes = []
    generator = soup.find("meta", attrs={"name": "generator"})
    confluence = soup.find(id="main-content") is not None or "Confluence" in text[:4000]
    google = soup.find(class_="doc-content") is not None or "docs-internal-guid" in text
    title_tag = soup.find(id="title-text") or soup.find("title")
    if title_tag is not None and title_tag.get_text(strip=True):
        title = " ".join(title_tag.get_text(" ", strip=True).split())
        # Confluence titles its export "Space : Page".
        meta["title"] = title.split(" : ", 1)[-1] if confluence else title
    author = soup.select_one(".page-metadata .author")
    if author is not None and author.get_text(strip=True):
        meta["author"] = author.get_text(" ", strip=True)
        notes.append("author taken from the page's 'Created by' line")
    root = soup.find(id="main-content") or soup.find(class_="wiki-content") or soup.body or soup
    assert isinstance(root, Tag)
    for tag in root.find_all(["script", "style"]):
        tag.decompose()
    if google:
        _google_styles(root)
    _unwrap_redirects(root)
    _header_rows(root)
    body = _Converter().convert_soup(root)
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    flavour = "confluence" if confluence else "google-docs" if google else "html"
    if generator is not None and flavour == "html":
        notes.append(f"generator: {generator.get('content')}")
    return Source(name, meta, body, flavour, notes)


_BOLD = re.compile(r"font-weight:\s*(?:700|bold)")
_ITALIC = re.compile(r"font-style:\s*italic")


def _google_styles(root: Tag) -> None:
    """Google Docs marks bold and italic with inline styles, not tags; make them tags."""
    for span in root.find_all("span", style=True):
        style = str(span.get("style", ""))
        if _BOLD.search(style):
            span.name = "strong"
        elif _ITALIC.search(style):
            span.name = "em"


def _header_rows(root: Tag) -> None:
    """A table without header cells (Google Docs writes none) gets its first row as header,
    as its authors meant; markdownify would otherwise put an empty header above it."""
    for table in root.find_all("table"):
        if table.find("th") is not None:
            continue
        first = table.find("tr")
        if first is not None:
            for cell in first.find_all("td", recursive=False):
                cell.name = "th"


def _unwrap_redirects(root: Tag) -> None:
    """Google Docs routes every link through google.com/url?q=...; keep the real address."""
    for link in root.find_all("a", href=True):
        url = urlparse(str(link["href"]))
        if url.netloc.endswith("google.com") and url.path == "/url":
            target = parse_qs(url.query).get("q")
            if target:
                link["href"] = target[0]


def imported_from(text: str) -> str | None:
    """The source name an earlier import recorded in ``imported:``, if the file has one."""
    text = text.removeprefix("\ufeff")
    if not YAMLHandler().detect(text):
        return None
    try:
        value = frontmatter.loads(text).metadata.get("imported")
    except Exception:  # a file a person broke is not ours to judge here; check reports it
        return None
    return str(value) if value else None
