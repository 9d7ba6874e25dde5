"""Reading a write-up in the shape it was exported in: Markdown with YAML, TOML or JSON front
matter (or none), and HTML from Confluence's "Export to HTML" or Google Docs' "Download as
HTML". Every source becomes front-matter values and a Markdown body.

python-frontmatter splits the three front-matter flavours and parses TOML and JSON; YAML is
parsed by the checker's own reader (:mod:`mkdocs_postmortems.core.frontmatter`), which
constructs no tags and expands aliases under a budget, so a "billion laughs" source is
refused as quickly as ``check`` refuses it. Values of every flavour are bounded in depth
and must be text that can be written back (no lone surrogates).

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
from urllib.parse import parse_qs, quote, urlparse

import frontmatter
from bs4 import BeautifulSoup, Tag
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler
from markdownify import MarkdownConverter

from mkdocs_postmortems.core import frontmatter as yaml_front
from mkdocs_postmortems.core.findings import printable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

HTML_SUFFIXES = (".html", ".htm")
# Front-matter values and HTML elements nested deeper than this are not a write-up; the
# limits also keep every walk over them far from Python's recursion limit.
MAX_DEPTH = 40
MAX_HTML_DEPTH = 100


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


class _YamlHandler(YAMLHandler):
    """``---`` front matter, read by the checker's reader: no tags, aliases under a budget."""

    def load(self, fm: str, **kwargs: object) -> Any:
        # python-frontmatter leaves the newline after the opening "---" on: without it, the
        # first line here is the file's second, as the reader counts.
        front, hits = yaml_front.parse(fm.removeprefix("\n"), 0)
        if front is None:
            hit = hits[0] if hits else None
            where = f"line {hit.pos.line}: {hit.message}" if hit else "not a mapping"
            raise SourceError(where)
        return front.data


_HANDLERS: tuple[tuple[str, BaseHandler], ...] = (
    ("yaml", _YamlHandler()),
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
        except RecursionError:
            raise SourceError(f"the {flavour.upper()} front matter nests too deep") from None
        except Exception as exc:  # each flavour's parser raises its own error types
            raise SourceError(f"the {flavour.upper()} front matter cannot be read: {exc}") from None
        if not isinstance(post.metadata, dict):
            raise SourceError(f"the {flavour.upper()} front matter is not a mapping")
        try:
            meta = _plain(post.metadata, 0)
        except SourceError as exc:
            raise SourceError(f"the {flavour.upper()} front matter {exc}") from None
        return _html_inside(Source(name, meta, post.content, flavour))
    meta, body = _metadata_block(text)
    return _html_inside(Source(name, meta, body, "metadata" if meta else "markdown"))


# A metadata line of MultiMarkdown and Pelican: a key (no spaces after its first word's
# run) and its value, at the very top of the file.
_META_LINE = re.compile(r"(?P<key>[A-Za-z][A-Za-z0-9_-]{0,30}):[ \t]+(?P<value>\S.*)$")


def _metadata_block(text: str) -> tuple[dict[str, Any], str]:
    """The ``key: value`` lines that open a MultiMarkdown or Pelican file, up to its first
    blank line, as front matter: every line of that first block must be one, and a title
    among them, or the block is the text's own (a first line "Summary: ..." is prose)."""
    head, sep, rest = text.partition("\n\n")
    found = [_META_LINE.match(line) for line in head.split("\n")]
    if not sep or not all(found) or len(found) > 40:
        return {}, text
    meta = {m["key"].lower(): _unquoted(m["value"].strip()) for m in found if m}
    return (meta, rest) if "title" in meta else ({}, text)


def _unquoted(value: str) -> str:
    quoted = len(value) >= 2 and value[0] == value[-1] and value[0] in "'\""
    return value[1:-1] if quoted else value


# A line that opens with an HTML element (``<p>``, ``<ul>``, ``<span style=...>``, ``<P>``):
# a name in one letter case. A name in mixed case (``<Update date=...>``) is an MDX
# component, which the Markdown around it is written for: no sign of an HTML page.
_HTML_LINE = re.compile(r"\s*</?(?:[a-z][a-z0-9]*|[A-Z][A-Z0-9]*)(?:\s[^>]*)?/?>")


def _html_inside(source: Source) -> Source:
    """A Markdown file whose body is mostly HTML (a blog post moved from an older engine
    kept its markup) is read as the HTML it is: its paragraphs, lists and breaks become
    Markdown, so the timeline and the lists inside are found. Other Markdown is unchanged."""
    lines = [line for line in source.body.split("\n") if line.strip()]
    marked = sum(1 for line in lines if _HTML_LINE.match(line))
    if not lines or marked * 2 < len(lines):
        return source
    soup = BeautifulSoup(source.body, "html.parser")
    _check_depth(soup)
    _markdown_safe_attributes(soup)
    body = _Converter().convert_soup(soup)
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    note = "HTML inside the Markdown read as HTML"
    return Source(source.name, source.meta, body, source.flavour, [*source.notes, note])


def _plain(value: Any, depth: int) -> Any:
    """Dates and times as ISO text, as the importer writes them back; SourceError for values
    nested too deep or holding text that cannot be written (a lone surrogate from JSON)."""
    if depth > MAX_DEPTH:
        raise SourceError(f"nests more than {MAX_DEPTH} levels deep")
    if isinstance(value, datetime):
        return value.isoformat(sep="T")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {_text(str(k)): _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, str):
        return _text(value)
    return value


def _text(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise SourceError(
            f"holds a character that is not text ({printable(value)!r}: a lone surrogate)"
        ) from None
    return value


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


class _Converter(MarkdownConverter):
    """markdownify, steered to write Markdown the checker reads, in which text stays text.

    An export shows ``&lt;base href=...&gt;`` or ``*`` as characters; written raw into
    Markdown they would become HTML or emphasis. markdownify 1.2's ``escape_misc`` writes
    ``\\<`` and ``\\&``, which Python-Markdown (MkDocs) does not read as escapes, so the
    escaping is ours: ``&``, ``<`` and ``>`` as entities (read the same by every Markdown),
    and Markdown's own characters with a backslash where they could start markup.
    """

    def __init__(self) -> None:
        super().__init__(
            heading_style="ATX",
            bullets="-",
            escape_underscores=False,
            escape_asterisks=False,
            escape_misc=False,
            strip=["script", "style"],
        )
        self._line_start = False

    def process_text(self, el: Any, parent_tags: set[str] | None = None) -> str:
        before = el.previous_sibling
        self._line_start = before is None or (isinstance(before, Tag) and before.name in _BLOCKS)
        # markdownify's type stubs declare only convert() and convert_soup().
        text: str = super().process_text(el, parent_tags=parent_tags)  # type: ignore[misc]
        return text

    def escape(self, text: str, parent_tags: set[str]) -> str:
        # A heading or a table cell (markdownify's "_inline") is one line: nothing in it
        # starts a block.
        one_line = "_inline" in parent_tags
        escaped = _escape_text(text, self._line_start and not one_line)
        # A heading's last "#"s would be read as its closing run.
        return escaped.replace("#", "\\#") if parent_tags & _HEADINGS else escaped


_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPECIAL = re.compile(r"[&<>\\`*\[\]{}|]|(?<![^\W_])_+|_+(?![^\W_])")
# What opens a block at the start of a line: a heading (Python-Markdown needs no space after
# the ``#``), a list item, a rule or an underline.
_BLOCK_START = re.compile(r"(?m)^([ \t]*)(#|[-+=]+(?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")


def _escape_text(text: str, line_start: bool) -> str:
    """Text as Markdown that shows it as it is.

    ``&``, ``<`` and ``>`` become entities; backslashes, backticks, ``*``, brackets, braces
    (``{...}`` would be read as attributes) and ``|`` (lines with it can make a table) a
    backslash escape, and so do underscores at the edge of a word (``_word_`` is emphasis,
    ``snake_case`` is not). At the start of a line, what would open a heading, a list or a
    rule is escaped too.
    """
    escaped = _SPECIAL.sub(_escape_one, text)
    if line_start:
        return _BLOCK_START.sub(_escape_block, escaped)
    first, newline, rest = escaped.partition("\n")
    return first + newline + _BLOCK_START.sub(_escape_block, rest) if newline else escaped


def _escape_one(match: re.Match[str]) -> str:
    found = match.group(0)
    return _ENTITIES.get(found) or "".join("\\" + c for c in found)


def _escape_block(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return indent + marker + "\\"  # the dot or parenthesis that follows is escaped
    if marker[0] == "=":
        return indent + "&#61;" + marker[1:]  # Python-Markdown has no escape for "="
    return indent + "\\" + marker


def read_html(name: str, text: str) -> Source:
    """A Confluence or Google Docs export: the page's content, not its chrome."""
    soup = BeautifulSoup(text, "html.parser")
    # First: the searches below look at each element's ancestors, quadratic when deep.
    _check_depth(soup)
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
    _markdown_safe_attributes(root)
    _header_rows(root)
    body = _Converter().convert_soup(root)
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    flavour = "confluence" if confluence else "google-docs" if google else "html"
    if generator is not None and flavour == "html":
        notes.append(f"generator: {generator.get('content')}")
    return Source(name, meta, body, flavour, notes)


def _check_depth(root: Tag) -> None:
    """SourceError for elements nested deeper than MAX_HTML_DEPTH: the converter walks the
    tree by recursion. Measured with a stack of our own, so the check itself cannot be."""
    stack = [(root, 0)]
    while stack:
        tag, depth = stack.pop()
        if depth > MAX_HTML_DEPTH:
            raise SourceError(f"the HTML nests elements more than {MAX_HTML_DEPTH} deep")
        stack.extend((child, depth + 1) for child in tag.children if isinstance(child, Tag))


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


_URL_BREAKS = re.compile(r'[\s()<>"`\\]')


def _markdown_safe_attributes(root: Tag) -> None:
    """Addresses and image descriptions that markdownify writes as they are, made unable to
    end the ``[...](...)`` they are written into: a ``)`` in an address ended the link and
    put the rest (``<img onerror=...>``) in the Markdown as HTML. The characters that could
    are percent-encoded in addresses and escaped in descriptions."""
    for tag in root.find_all(["a", "img"]):
        for name in ("href", "src"):
            value = tag.get(name)
            if isinstance(value, str):
                tag[name] = _URL_BREAKS.sub(lambda m: quote(m.group(0), safe=""), value)
        alt = tag.get("alt")
        if isinstance(alt, str):
            tag["alt"] = _escape_text(alt, line_start=False)


def _unwrap_redirects(root: Tag) -> None:
    """Google Docs routes every link through google.com/url?q=...; keep the real address."""
    for link in root.find_all("a", href=True):
        url = urlparse(str(link["href"]))
        if url.netloc.endswith("google.com") and url.path == "/url":
            target = parse_qs(url.query).get("q")
            if target:
                link["href"] = target[0]


def imported_from(text: str) -> str | None:
    """The source an earlier import recorded in ``imported:``, if the file has one.

    Read with the checker's bounded reader: the file is in the knowledge base, where anyone
    may have changed it."""
    split, problem = yaml_front.split(text.removeprefix("\ufeff"))
    if problem is not None or split.yaml_text is None:
        return None
    front, _ = yaml_front.parse(split.yaml_text, split.closing_line)
    value = front.data.get("imported") if front is not None else None
    return value if isinstance(value, str) and value else None
