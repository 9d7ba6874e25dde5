"""The shortcuts that make reading fast give what the long way gives: each section's share
of the body, the cells of a row, the blameless gate on ASCII and other text, the positions
of front-matter values, and a file's status."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import VALID, Checker
from mkdocs_postmortems.core.files import read_file
from mkdocs_postmortems.core.markdown import read_body, split_row
from mkdocs_postmortems.rules import blameless_language

BODY = """\
# Checkout outage

Intro before any section.

## Summary

Text.
| Time | Event |
|---|---|
| 14:00 | glued under text |

Impact
------

| a | b |
|---|---|
| 1 | 2 |

### A third-level heading stays in its section

##

Under a heading with no title: in no section.

## Action Items

| Action | Owner |
|---|---|
| Fix it | Ana |
| Test it | Bo |

# A first-level heading ends the section

Not in Action Items.
"""


def test_each_section_gets_the_lines_tables_and_glued_tables_up_to_the_next_heading() -> None:
    body = read_body(BODY, 10)
    shares = {
        s.name: ([line.number for line in s.lines], [t.line for t in s.tables], s.glued)
        for s in body.sections
    }
    assert shares == {
        # Line 14 is the heading; its section runs to the Setext heading on line 21.
        "Summary": (list(range(15, 21)), [], [17]),
        # A Setext heading's underline (line 22) is the first line of its section, and a
        # heading with no title ends it (line 30).
        "Impact": (list(range(22, 30)), [24], []),
        # A first-level heading (line 41) ends a section too.
        "Action Items": (list(range(35, 41)), [36], []),
    }
    assert [t.line for t in body.tables] == [24, 36]
    assert body.glued == [17]


def test_an_empty_body_has_no_sections() -> None:
    assert read_body("", 5).sections == []


@pytest.mark.parametrize(
    "row",
    [
        "| a | b |",
        "a | b",
        "|a|",
        "| | x |",
        "||",
        "|  lead | trail  |   ",
        "| 2026-03-04 14:05 | x |",
        "   | indented | row |",
        "| only the first |",
        "no pipe at all",
        "|",
        "| |",
        "|  x",
        "  x  |",
        "|| y |",
        "| `a | b` | c |",
        "| a \\| b | c |",
    ],
)
def test_the_first_cell_and_the_count_are_those_of_the_full_split(row: str) -> None:
    fast = read_body(f"| h | i |\n|---|---|\n{row}\n", 1).tables[0].rows[0]
    full = split_row(row, 3).cells
    first = fast.first_cell()
    found = (first.text, first.line, first.col) if first else None
    assert found == ((full[0].text, full[0].line, full[0].col) if full else None)
    assert fast.cell_count() == len(full)


@pytest.mark.parametrize(
    "text",
    [
        "The deploy failed because the operator made a mistake.",
        "The engineer should have known better.",
        "Nothing here blames anyone: the cache expired.",
        "Requests to kafka failed; the rollout could not be stopped.",
        "mis-keyed the value, copy-pasted the config",
        "The über-engineer should have checked.",
        "Café staff forgot the mistake",
        "naïve retries\nwith the operator's fault",
        "İstanbul: the operator should have known",
        "",
    ],
)
def test_the_gate_on_ascii_text_is_the_unicode_gate(text: str) -> None:
    """ASCII text takes a cheaper gate; it must open exactly where the Unicode one does."""
    low = text.lower()
    rules = {"BL002": blameless_language._BL002, "BL003": blameless_language._BL003}
    rules["BL004"] = blameless_language._BL004
    expected = len(low) != len(text) or any(
        rules[code].match(low, gate.start())
        for gate in blameless_language._GATE.finditer(low)
        for code in blameless_language._GATE_CODES.get(gate.group(0), ())
    )
    assert blameless_language.may_blame(text) == expected
    if text.isascii():
        ascii_hits = [m.span() for m in blameless_language._GATE_ASCII.finditer(low)]
        assert ascii_hits == [m.span() for m in blameless_language._GATE.finditer(low)]


def test_a_value_is_located_only_when_it_has_a_finding_and_then_where_it_stands(
    check: Checker,
) -> None:
    """Positions of front-matter values are looked up lazily; the findings still point at
    the list item, the impact value or the key's value that holds the problem."""
    text = (
        VALID.replace("authors: [Dana Whitfield]", 'authors: [Dana Whitfield, "Bo\\u0007 Li"]')
        .replace("tags: [config, deploy]", f"tags: [config, {'x' * 300}]")
        .replace("revenue: about 3%", 'revenue: "about\\u0085 3%')
        .replace("of hourly checkout volume", 'of hourly checkout volume"')
        .replace("facilitator: Omar Haddad", 'facilitator: "Omar\\u200b\\u0001Haddad"')
    )
    found = [(f.code, f.line, f.col) for f in check(text) if f.code in ("PM120", "PM121")]
    assert found == [
        ("PM121", 9, 27),
        ("PM121", 10, 14),
        ("PM120", 12, 16),
        ("PM121", 15, 12),
    ]


def test_a_regular_file_is_read_with_one_status_and_a_link_through_its_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ``lstat`` that tells a link apart is the status of a file that is none."""
    (tmp_path / "a.md").write_text("plain")
    (tmp_path / "b.md").symlink_to(tmp_path / "a.md")
    calls: list[str] = []
    lstat, stat = os.lstat, os.stat
    monkeypatch.setattr(os, "lstat", lambda p, *a, **k: calls.append("lstat") or lstat(p, *a, **k))
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: calls.append("stat") or stat(p, *a, **k))
    assert read_file(tmp_path / "a.md", tmp_path) == b"plain"
    assert "stat" not in calls  # (resolving a new folder takes an lstat per part of it)
    calls.clear()
    assert read_file(tmp_path / "b.md", tmp_path) == b"plain"
    assert "stat" in calls
