"""What search reads of a post-mortem page's action-items table: its text form, without the
table's tags (they cost search more to parse than the rest of the page). Material's own
search parser must join it into exactly the text it makes of the table."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from material.plugins.search.plugin import Parser

from conftest import VALID, write
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.rules import RULESET
from mkdocs_postmortems.site.links import Site
from mkdocs_postmortems.site.pages import Context, generated_site

NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
TABLE = """\
| Action | Owner | Due | Priority | Status | Ticket |
|--------|-------|-----|----------|--------|--------|
| Add a minimum of 1 to the pool size schema | Dana Whitfield | 2026-03-20 | P1 | done | OPS-101 |
| Roll config out one region at a time | Omar Haddad | 2026-04-15 | P2 | open | OPS-102 |
"""
# Cells search could join differently from the table: code spans (alone, first, last, only
# spaces, empty), empty cells, markup characters, entities, quotes, an overdue badge, a row
# longer than the header, and a table without a Status column.
HOSTILE = {
    "code spans": TABLE.replace("Add a minimum", "`pool_size` and `min`: keep `1`").replace(
        "OPS-102", "`OPS-102`"
    ),
    "blank code": TABLE.replace("Add a minimum of 1", "Add `   ` and ``` `` ```"),
    "empty cells": TABLE.replace("| P2 | open | OPS-102 |", "|  | open |  |"),
    "markup": TABLE.replace(
        "Roll config out", "Roll <b>config</b> & <i>x</i> &amp; \"q\" 'a' &lt; &#10; \\|"
    ),
    "overdue": TABLE.replace("2026-04-15 | P2 | open", "2026-04-15 | P2 | in-progress"),
    "long row": TABLE.replace("| OPS-102 |", "| OPS-102 | extra | `more` |"),
    "no status": TABLE.replace(" Status |", " Notes |"),
}


def pages(tmp_path: Path, table: str) -> dict[str, tuple[str, str]]:
    text = VALID.split("## Action Items")[0] + "## Action Items\n\n" + table
    write(tmp_path, "2026-03-04-checkout-config-push.md", text)
    settings = Settings(root=tmp_path)
    kb = load(settings, RULESET)
    site = generated_site(Context(kb, Site(settings), NOW))
    found = {}
    for src, page in site.pages.items():
        if "action-items" in page.blocks:
            block, text = page.blocks["action-items"], page.search["action-items"]
            assert callable(text)  # made from the block when search reads the page
            found[src] = (block, text(block))
    return found


def search_text(html: str) -> list[tuple[str, str]]:
    """The sections Material's search makes of a page holding ``html`` after a heading."""
    parser = Parser()
    parser.feed(f'<h2 id="action-items">Action Items</h2>\n{html}\n\n<p>After.</p>')
    parser.close()
    return [("".join(s.title).strip(), "".join(s.text).strip()) for s in parser.data]


@pytest.mark.parametrize("table", HOSTILE.values(), ids=HOSTILE.keys())
def test_search_reads_the_table_s_text_from_less_markup(tmp_path: Path, table: str) -> None:
    (table_html, text), *_ = pages(tmp_path, table).values()
    assert "<td" in table_html
    assert "<td" not in text
    assert "<span" not in text
    assert text.count("<") < table_html.count("<")
    assert search_text(text) == search_text(table_html)


def test_the_text_keeps_what_people_search_for(tmp_path: Path) -> None:
    (_, text), *_ = pages(tmp_path, HOSTILE["overdue"]).values()
    sections = dict(search_text(text))
    assert sections["Action Items"].startswith("Action Owner Due Priority Status Ticket ")
    assert "Dana Whitfield 2026-03-20 P1 done OPS-101" in sections["Action Items"]
    assert "in-progress overdue OPS-102 <p>After.</p>" in sections["Action Items"]
