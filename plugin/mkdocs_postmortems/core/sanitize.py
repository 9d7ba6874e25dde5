"""What an author's HTML may hold on a published page: one allowlist, and the two things
that read it.

The body of a post-mortem is Markdown, and Markdown passes raw HTML through; attr_list
lets an author write any attribute. So the rendered body goes through :func:`clean`
(nh3, the binding of the Rust sanitizer ammonia, which parses HTML as a browser does)
before it reaches a page, and the checker asks :func:`removals` what :func:`clean` would
take out, with its place in the Markdown, so the author hears of it before the page does.

The allowlist is modelled on what GitHub and GitLab keep of rendered Markdown, plus the
classes, ids and table alignment that the Markdown extensions a MkDocs site uses produce
(admonitions, code highlighting, footnotes, toc anchors, attr_list, details).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from functools import lru_cache
from html import escape, unescape

import nh3

#: The elements an author's HTML may hold; any other is taken out, its text kept (the text
#: of ``script`` and ``style`` goes too: see ``_DROPPED_WITH_CONTENT``).
TAGS = frozenset(
    {
        *("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "br", "hr", "wbr"),
        *("ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "code"),
        *("table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"),
        *("a", "img", "figure", "figcaption", "details", "summary"),
        *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup"),
        *("kbd", "samp", "var", "abbr", "cite", "dfn", "q", "time", "ruby", "rt", "rp"),
    }
)
#: Attributes allowed on every element above: ``id`` and ``class`` are what toc anchors,
#: footnotes, admonitions, code highlighting and attr_list's ``{#id .class}`` produce.
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
#: Attributes allowed on one element each.
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height", "align", "loading"}),
    "th": frozenset({"style", "align", "colspan", "rowspan"}),
    "td": frozenset({"style", "align", "colspan", "rowspan"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "details": frozenset({"open"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
}
#: The schemes a link or an image may use; a URL without a scheme (relative, or ``#anchor``)
#: is kept. No ``data:``: it would hide a page or a script from review in an encoding, and
#: an image belongs in the repository beside the post-mortem.
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: The only property of a ``style`` attribute that stays: Python-Markdown's tables align
#: their columns with it.
STYLE_PROPERTIES = frozenset({"text-align"})
#: An id must start with a letter or digit: the theme's own ids start with ``__``
#: (mkdocs-material reads its configuration from ``#__config``), so an author's element
#: cannot stand in for one of them.
_ID = re.compile(r"[^\W_][\w.:-]{0,199}")
_DROPPED_WITH_CONTENT = frozenset({"script", "style"})
# The attributes nh3 reads as URLs and checks against URL_SCHEMES.
_URL_ATTRIBUTES = frozenset({"href", "src"})


def _filter(element: str, attribute: str, value: str) -> str | None:
    if attribute == "id" and not _ID.fullmatch(value):
        return None
    return value


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={"*": set(GLOBAL_ATTRIBUTES), **{k: set(v) for k, v in ATTRIBUTES.items()}},
        attribute_filter=_filter,
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
        strip_comments=True,
        # The links are the author's as written: no ``rel`` added (no link opens a window).
        link_rel=None,
    )


def clean(html: str) -> str:
    """``html`` with every element, attribute and URL outside the allowlist taken out."""
    return _cleaner().clean(_within_depth(html) if html.count("<") > MAX_DEPTH else html)


#: How deep elements may nest; a start tag deeper than this is dropped (its text stays).
#: The HTML parser's work for each block element grows with the depth it opens at: 100,000
#: unclosed ``<div>`` (500 KB) took nh3 five minutes. Chromium nests no deeper than 512.
MAX_DEPTH = 512
# Elements that never hold others: they open nothing.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr", "param", "keygen", "frame", "basefont", "bgsound"}
)
_MARKUP = re.compile(r"<(?:(/?)([A-Za-z][^\t\n\f\r />]*)[^>]*>?|!--(?:.*?-->|.*))", re.DOTALL)


def _within_depth(html: str) -> str:
    """``html`` without the start tags that would open an element deeper than MAX_DEPTH.

    The depth is counted as written, an end tag closing the innermost open element of its
    name: never less than the parser's (which also closes elements implied closed), so no
    element goes deeper than MAX_DEPTH. What is dropped here is then sanitized like the
    rest; read in one pass (a tag without its ">" runs to the end).
    """
    open_elements: list[str] = []
    counts: dict[str, int] = {}
    parts: list[str] = []
    kept = 0
    for tag in _MARKUP.finditer(html):
        name = (tag[2] or "").lower()
        if not name:
            continue  # a comment
        if tag[1]:
            if counts.get(name):
                while open_elements:
                    closed = open_elements.pop()
                    counts[closed] -= 1
                    if closed == name:
                        break
            continue
        if name in _VOID or tag[0].endswith("/>"):
            continue
        if len(open_elements) >= MAX_DEPTH:
            parts.append(html[kept : tag.start()])
            kept = tag.end()
            continue
        open_elements.append(name)
        counts[name] = counts.get(name, 0) + 1
    parts.append(html[kept:])
    return "".join(parts)


def url_allowed(url: str) -> bool:
    """Whether :func:`clean` keeps ``url`` in a link: asked of nh3 itself, so the two never
    disagree on how a URL is read (entities, blanks and control characters in a scheme)."""
    return 'href="' in clean(f'<a href="{escape(url)}">')


@dataclass(frozen=True, order=True)
class Removal:
    """Something :func:`clean` would take out: where it starts in the text (1-based line,
    0-based offset in the line) and what it is."""

    line: int
    offset: int
    what: str


def removals(markdown: str) -> Iterator[Removal]:
    """What :func:`clean` would take out of the page made from ``markdown``: each element,
    attribute and link whose scheme is outside the allowlist, read over the whole text (a tag
    or a link may run over several lines). Code (fenced, indented, spans) should be blanked
    by the caller, offsets kept: it is shown, never run."""
    if "<" in markdown:
        yield from _tags(markdown)
    if "](" in markdown or "]:" in markdown:
        yield from _links(markdown)
    if "{" in markdown:
        yield from _attribute_lists(markdown)


# HTML's tokenizer, as far as the checker needs it: a start tag's name, then its attributes,
# each a name and an optional value (quoted, or up to a blank or ">"). Every pattern is
# matched where the last one ended, and consumes what it matched, so the text is read once
# (the standard library's HTMLParser reads an unclosed tag again at each "<" after it: a
# body of "<a<a<a..." took minutes).
_BLANK = "\t\n\f\r "
_TAG_OPEN = re.compile(r"<(?:([A-Za-z])|(/)|(!--)|([!?]))")
_TAG_NAME = re.compile(rf"[^{_BLANK}/>]*")
_ATTRIBUTE = re.compile(
    rf"""[{_BLANK}/]*([^{_BLANK}/>][^{_BLANK}/=>]*)"""
    rf"""(?:[{_BLANK}]*=[{_BLANK}]*("[^"]*"?|'[^']*'?|[^{_BLANK}>]*))?"""
)
_TAG_END = re.compile(rf"[{_BLANK}/]*>?")
# Elements whose content is text, not markup, up to their end tag.
_RAW_TEXT = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
)


def _tags(text: str) -> Iterator[Removal]:
    """Every start tag of raw HTML in ``text``, judged by the allowlist."""
    where = _Lines(text)
    lowered = text.lower()
    position = text.find("<")
    while position >= 0:
        opening = _TAG_OPEN.match(text, position)
        if opening is None:
            end = position + 1
        elif opening[1]:
            end, name = yield from _start_tag(text, position, where)
            if name in _RAW_TEXT:
                closing = lowered.find(f"</{name}", end)
                end = len(text) if closing < 0 else closing
        elif opening[3]:
            closing = text.find("-->", opening.end())
            end = len(text) if closing < 0 else closing + 3
        else:  # an end tag, a declaration, a processing instruction: up to the next ">"
            closing = text.find(">", opening.end())
            end = len(text) if closing < 0 else closing + 1
        position = text.find("<", end)


def _start_tag(text: str, start: int, where: _Lines) -> Generator[Removal, None, tuple[int, str]]:
    """Judge the start tag at ``start``; return where it ends and its name."""
    name_match = _TAG_NAME.match(text, start + 1)
    assert name_match is not None  # the pattern matches the empty string
    name = name_match[0].lower()
    attributes: list[tuple[int, str, str]] = []
    position = name_match.end()
    while True:
        attribute = _ATTRIBUTE.match(text, position)
        if attribute is None:
            break
        value = attribute[2] or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1] if len(value) > 1 and value[-1] == value[0] else value[1:]
        attributes.append((attribute.start(1), attribute[1].lower(), unescape(value)))
        position = attribute.end()
    end = _TAG_END.match(text, position)
    position = end.end() if end else position
    if ":" in name or "@" in name:
        # Markdown's autolink (``<https://...>``, ``<name@example.com>``), not an element.
        url = text[start + 1 : position].rstrip(">")
        if ":" in url.split("@", 1)[0] and not url_allowed(url):
            yield where.removal(start, f"link to a URL {_scheme(url)}")
        return position, ""
    if name not in TAGS:
        yield where.removal(start, f"element <{name}>")
        return position, name
    allowed = GLOBAL_ATTRIBUTES | ATTRIBUTES.get(name, frozenset())
    for at, attribute_name, value in attributes:
        problem = _attribute_problem(name, attribute_name, value, allowed)
        if problem:
            yield where.removal(at, problem)
    return position, name


def _attribute_problem(tag: str, name: str, value: str, allowed: frozenset[str]) -> str:
    """What is wrong with an attribute of ``tag`` ("" in an attr_list), or ""."""
    where = f"on <{tag}>" if tag else "in an attribute list"
    if name not in allowed:
        return f"attribute {name}= {where}"
    if name in _URL_ATTRIBUTES and not url_allowed(value):
        return f"URL {_scheme(value)} in {name}= {where}"
    if name == "id" and _filter(tag, name, value) is None:
        return f"id {value[:40]!r} {where} (an id starts with a letter or digit)"
    if name == "style" and any(
        declaration.split(":", 1)[0].strip().lower() not in STYLE_PROPERTIES
        for declaration in value.split(";")
        if declaration.strip()
    ):
        return f"style {where} other than {', '.join(sorted(STYLE_PROPERTIES))}"
    return ""


# A Markdown link or image's destination (``](url``, ``](<url>``, blanks and line breaks
# before it allowed), and a link reference definition's (``[ref]: url``; a footnote's
# ``[^1]: text`` is not one).
_DESTINATION = re.compile(r"\]\(\s*<?([^\s>)]+)|^ {0,3}\[(?!\^)[^\]\n]+\]:\s*<?(\S+)", re.MULTILINE)


def _links(text: str) -> Iterator[Removal]:
    where = _Lines(text)
    for match in _DESTINATION.finditer(text):
        url = match[1] or match[2]
        if ":" not in url or url_allowed(url):
            continue
        yield where.removal(
            match.start(1) if match[1] else match.start(2), f"link to a URL {_scheme(url)}"
        )


class _Lines:
    """Line and offset of a position in a text, by a search among its line starts (counting
    line breaks from the start for each made long bodies quadratic)."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def removal(self, position: int, what: str) -> Removal:
        line = bisect_right(self.starts, position)
        return Removal(line, position - self.starts[line - 1], what)


# attr_list's ``{: #id .class key="value" }``: at the end of a line (a block's or a heading's
# attributes) or right after an inline element (a link, an image, emphasis, code). No two
# parts of a pattern can match the same characters, and a key starts only after a blank:
# each character is looked at a bounded number of times, whatever the line.
_ATTRIBUTE_LIST = re.compile(
    r"(?<=[)\]*_`])\{:?([^{}\n=]*=[^{}\n]*)\}|\{:?([^{}\n=]*=[^{}\n]*)\}[ \t]*$", re.MULTILINE
)
_LIST_ATTRIBUTE = re.compile(r"""(?<!\S)([^\s=#.'"]+)[ \t]*=[ \t]*("[^"]*"|'[^']*'|[^\s"']+)""")
# Every attribute some allowed element takes, for a list whose element is not known here.
_ANY_ELEMENT = GLOBAL_ATTRIBUTES.union(*ATTRIBUTES.values())


def _attribute_lists(text: str) -> Iterator[Removal]:
    where = _Lines(text)
    for match in _ATTRIBUTE_LIST.finditer(text):
        group = 1 if match[1] is not None else 2
        for attribute in _LIST_ATTRIBUTE.finditer(match[group]):
            name, value = attribute[1].lower(), attribute[2].strip("\"'")
            problem = _attribute_problem("", name, value, _ANY_ELEMENT)
            if problem:
                yield where.removal(match.start(group) + attribute.start(), problem)


def _scheme(url: str) -> str:
    """The scheme of ``url`` as a browser would read it (blanks and controls dropped), for
    the message."""
    scheme = "".join(ch for ch in url.split(":", 1)[0] if ch > " ").lower()
    return f"with the scheme {scheme[:20]!r}" if ":" in url else f"{url[:40]!r}"
