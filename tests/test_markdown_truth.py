"""The checker's Markdown is the site's Markdown: every example and fixture, and a set of
tricky bodies, rendered with Python-Markdown and the site's extensions (from mkdocs.yml),
must give the same second-level headings and the same tables as ``core.markdown`` reads."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from conftest import DRAFT, VALID
from mkdocs_postmortems.core import frontmatter
from mkdocs_postmortems.core.markdown import read_body

ROOT = Path(__file__).resolve().parent.parent

TRICKY = {
    "table under text": "## Timeline\n\nWe saw this:\n| Time | Event |\n|---|---|\n| 14:00 | a |\n",
    "table under heading": "## Timeline\n| Time | Event |\n|---|---|\n| 14:00 | a |\n",
    "table under comment": "## Timeline\n<!-- times in UTC -->\n| Time | Event |\n|---|---|\n",
    "table under list": "## Timeline\n\n- first\n| Time | Event |\n|---|---|\n| 14:00 | a |\n",
    "table under fence": "## Timeline\n\n```\nx\n```\n| Time | Event |\n|---|---|\n",
    "heading under table": "## Timeline\n\n| Time | Event |\n|---|---|\n| 14:00 | a |\n## Impact\n\nx\n",
    "line without pipes in table": "## A\n\n| a | b |\n|---|---|\n| 1 | 2 |\nmore\n| 3 | 4 |\n",
    "comment ends a table": "## A\n\n| a | b |\n|---|---|\n| 1 | 2 |\n<!-- c -->\n| 3 | 4 |\n",
    "delimiter of another width": "## A\n\n| a | b | c |\n|---|---|\n| 1 | 2 | 3 |\n",
    "one column needs borders": "## A\n\na\n---\n\n| a |\n|---|\n| 1 |\n",
    "no outer pipes": "## A\n\na | b\n--|--\n1 | 2\n",
    "heading without a space": "##Summary\n\ntext\n\n## Impact\n\nx\n",
    "indented heading": " ## Summary\n\ntext\n",
    "closing hashes": "## Summary ##\n\ntext\n",
    "setext": "Summary\n-------\n\ntext\n",
    "setext in a paragraph": "para\nSummary\n-------\n",
    "setext with a pipe": "a | b\n-----\n\ntext\n",
    "hash line in a paragraph": "## Summary\n\nWe used\n#incidents to talk\n",
    "heading in a fence": "## Summary\n\n```\n## Impact\n```\n",
    "heading in a comment": "## Summary\n\n<!--\n## Impact\n-->\n",
    "delimiter without hyphens": "## A\n\nx | y\n: | :\n1 | 2\n\n| a | b |\n|   |   |\n",
    "delimiter cell without hyphens": "## A\n\n| a | b |\n|---| |\n| 1 | 2 |\n",
    "extra and missing cells": "## A\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| 4 |\n",
    "one column above a blank line": "## A\n\n| a |\n\ntext\n",
    "one column above a line of spaces": "## A\n\n| a |\n   \ntext\n",
}


def _extensions() -> list[object]:
    """The site's ``markdown_extensions``, as mkdocs.yml lists them."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        if isinstance(entry, dict):
            (name, options), *_ = entry.items()
            names.append(name)
            configs[name] = {k: v for k, v in (options or {}).items() if k != "permalink"}
        else:
            names.append(entry)
    return [names, configs]


class _Shape(HTMLParser):
    """The second-level headings and the tables (header cells, number of rows) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.tables: list[tuple[list[str], int]] = []
        self._text: list[str] | None = None
        self._in = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2" or tag == "th":
            self._text = []
        if tag == "table":
            self.tables.append(([], 0))
        if tag in ("thead", "tbody"):
            self._in = tag
        if tag == "tr" and self._in == "tbody":
            header, rows = self.tables[-1]
            self.tables[-1] = (header, rows + 1)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._text is not None:
            self.headings.append("".join(self._text).strip())
            self._text = None
        if tag == "th" and self._text is not None:
            self.tables[-1][0].append("".join(self._text).strip())
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _bodies() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "postmortems").rglob("*.md")):
        found.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    found += [("conftest VALID", VALID), ("conftest DRAFT", DRAFT)]
    found += [(name, f"---\ntitle: x\n---\n{body}") for name, body in TRICKY.items()]
    return found


@pytest.mark.parametrize(("name", "text"), _bodies(), ids=[name for name, _ in _bodies()])
def test_checker_and_renderer_see_the_same_headings_and_tables(name: str, text: str) -> None:
    cut, problem = frontmatter.split(text)
    assert problem is None
    names, configs = _extensions()
    html = markdown.markdown(cut.body, extensions=names, extension_configs=configs)
    shape = _Shape()
    shape.feed(html)
    body = read_body(cut.body, cut.body_line)
    level_two = [s.title.strip("*_` ") for s in body.sections]
    assert level_two == shape.headings
    # Python-Markdown writes one empty row under a table that has none.
    tables = [([cell.text for cell in t.header], len(t.rows) or 1) for t in body.tables]
    assert tables == shape.tables
