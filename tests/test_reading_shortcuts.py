"""The shortcuts that make reading fast give what the long way gives: each section's share
of the body, the cells of a row, the blameless gate on ASCII and other text, the positions
of front-matter values, and a file's status."""

from __future__ import annotations

import os
import string
from pathlib import Path

import pytest
import yaml

from conftest import VALID, VALID_NAME, Checker, write
from mkdocs_postmortems.core import frontmatter, knowledge_base
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.files import read_file
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.core.markdown import read_body, split_row
from mkdocs_postmortems.rules import RULESET, blameless
from mkdocs_postmortems.rules.blameless import gate, prose
from mkdocs_postmortems.rules.blameless.engine import mask

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


GATE_TEXTS = [
    "The deploy failed because the operator made a mistake.",
    "The engineer should have known better.",
    "Nothing here blames anyone: the cache expired.",
    "Requests to kafka failed; the rollout could not be stopped.",
    "mis-keyed the value, copy-pasted the config",
    "copy.pasted, re-typed, (human error), *careless*, **by mistake**, |fat-fingered|",
    "human error at the very start",
    "first line\nhuman error at a line start\n\n",
    "The outage was human <!-- a note --> error.",
    "It was human <!---->error",
    "A mistake made by `deploy-bot` in the job",
    "A mistake made by https://example.com/bot in the job",
    "`x`human error and `y`blame",
    "it was human error\nrates were fine",
    "should have\nbeen caught",
    "> the customer said it was human error",
    "The über-engineer should have checked.",
    "Café staff forgot the mistake",
    "naïve retries\nwith the operator's fault",
    "İstanbul: the operator should have known",
    "Ünïcode ınput: the pilot error",
    "",
    # A trigger word after every kind of character that is no word character, and after
    # some that are (a digit, an underscore: no word starts there).
    *(f"x{mark}human error, {mark}should have" for mark in string.punctuation + "\t\r0_"),
]


@pytest.mark.parametrize("text", GATE_TEXTS)
def test_the_gate_over_a_document_is_the_gate_over_each_line(text: str) -> None:
    """One pass over a whole document opens exactly where some line would, tried line by
    line as scan_prose tries it: the Unicode gate on the lowercased line, each rule on the
    line with code spans, links and comments masked, ending where the line ends."""
    rules = prose.PHRASE_RULES
    expected = len(text.lower()) != len(text) or any(
        rules[code].pattern.match(mask(line), found.start())
        for line in text.split("\n")
        for found in prose.GATE.pattern.finditer(line.lower())
        for code in prose.GATE.codes.get(found.group(0), ())
    )
    assert prose.may_blame(text) == expected


@pytest.mark.parametrize("text", GATE_TEXTS)
def test_the_word_starts_of_the_spaced_copy_hold_every_trigger_word(text: str) -> None:
    """Every trigger word the word-boundary gate finds, line by line, is at a candidate."""
    low = text.lower()
    spaced = b" " + low.encode("ascii", "replace").translate(gate.SPACED)
    found = {m.start() for m in prose.GATE.word_starts.finditer(spaced)}
    offset = 0
    for line in low.split("\n"):
        for trigger in prose.GATE.pattern.finditer(line):
            assert offset + trigger.start() in found
        offset += len(line) + 1


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


@pytest.mark.parametrize("spelling", ["{root}", "{root}/", "{root}//", "{root}/./", "relative"])
def test_the_walk_is_sorted_as_paths_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    """The names a walk finds sort by their split text exactly as by their ``Path``."""
    root = tmp_path / "postmortems"
    names = [
        "a/b.md",
        "a-b/c.md",
        "a.b/c.md",
        "a b/c.md",
        "ab/c.md",
        "A/b.md",
        "a/B.md",
        "a/b/c.md",
        "a/b-c.md",
        "a/b.c.md",
        ".hidden.md",
        "2026/2026-03-04-x.md",
        "2026-03/x.md",
        "2026/03/x.md",
        "é/x.md",
        "e/x.md",
        "z.md",
    ]
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    monkeypatch.chdir(tmp_path)
    top = "postmortems" if spelling == "relative" else spelling.format(root=root)
    found = list(knowledge_base._candidates(top))
    assert len(found) == len(names)
    assert sorted(found, key=knowledge_base.path_order) == sorted(found, key=Path)


class _PlainLoader(frontmatter._Base):  # type: ignore[misc]
    """The loader without its shortcuts: the base resolver's every step, at every node."""

    yaml_implicit_resolvers = frontmatter._Loader.yaml_implicit_resolvers


def _tags(node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return (node.tag, [(_tags(k), _tags(v)) for k, v in node.value])
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, [_tags(item) for item in node.value])
    return (node.tag, node.value)


@pytest.mark.parametrize(
    "text",
    [
        "title: x\nseverity: SEV2\nstarted: 2026-03-04T14:05:00Z\n",
        "a: 'quoted'\nb: \"double\"\nc: |\n  literal\nd: >\n  folded\n",
        "n: 1\nf: 1.5\nb: yes\nz: ~\ne:\nlist: [a, 'b', 3, null]\n",
        "nested:\n  - {k: v, 'q': 2}\n  - - deep\n    - 0x1f\n",
        "? [complex, key]\n: value\n'': empty\n",
        "anchor: &a [1, 2]\nalias: *a\n",
        "tagged: !!str 12\nlocal: ! 12\nseq: !!seq [1]\n",
        "- a list\n- at the top\n",
        "plain: 12\nquoted: '12'\nboth: [12, \"12\", yes, 'yes', null, 'null', ~]\n",
        "just a scalar\n",
    ],
)
def test_the_loader_resolves_every_node_as_the_base_resolver_does(text: str) -> None:
    """No path resolvers: a node that is not a plain scalar gets its kind's default tag,
    and there is no path to track from node to node."""
    assert not frontmatter._Loader.yaml_path_resolvers
    fast = yaml.compose(text, Loader=frontmatter._Loader)
    plain = yaml.compose(text, Loader=_PlainLoader)
    assert _tags(fast) == _tags(plain)


def test_a_folder_is_told_apart_only_when_it_is_not_read_as_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folders named like post-mortems get their own findings, whichever name they have;
    a regular file is read without asking whether it is a folder."""
    project = tmp_path / "project"
    write(tmp_path / "shared", VALID_NAME, VALID)
    write(project, VALID_NAME, VALID)
    folder = project / "postmortems"
    (folder / "2026-01-01-outside.md").symlink_to(tmp_path / "shared" / "postmortems")
    (folder / "2026-01-02-inside.md").symlink_to(folder)
    (folder / "2026-01-03-inside.MD").symlink_to(folder)
    (folder / "2026-01-04-file.MD").write_text(VALID)
    asked: list[str] = []
    is_dir = Path.is_dir
    monkeypatch.setattr(Path, "is_dir", lambda p: asked.append(p.name) or is_dir(p))
    kb = load(Settings(root=project), RULESET)
    found = sorted((f.path.rsplit("/", 1)[1], f.code, f.message) for f in kb.findings)
    assert [(name, code) for name, code, _ in found] == [
        ("2026-01-01-outside.md", "PM020"),
        ("2026-01-02-inside.md", "PM024"),
        ("2026-01-03-inside.MD", "PM024"),
        ("2026-01-04-file.MD", "PM023"),
    ]
    messages = [message for _, _, message in found]
    assert messages[0].startswith("a symbolic link to a folder outside the project")
    assert messages[1] == messages[2]
    assert messages[1].startswith("a symbolic link to a folder; not followed")
    assert "does not end in lowercase .md" in messages[3]
    assert VALID_NAME not in asked


@pytest.mark.parametrize(
    "phrase",
    [
        "The push was a human <!-- as the log says --> error.",
        "The push was a mistake made by `deploy-bot` on the primary.",
        "The push was `manual`human error.",
        "The push was human error\nrates stayed flat, though.",
        "> The vendor wrote that it was human error.",
    ],
)
def test_the_gate_lets_through_every_finding_the_lines_have(
    check: Checker, monkeypatch: pytest.MonkeyPatch, phrase: str
) -> None:
    """The blameless findings of a body are those found with no gate at all, where the
    phrase spans a comment, a code span or a link, or ends its line."""
    text = VALID.replace("The alert fired within seven minutes.", phrase)
    gated = [(f.code, f.line, f.col) for f in check(text) if f.code.startswith("BL")]
    monkeypatch.setattr(prose, "may_blame", lambda text: True)
    monkeypatch.setattr(blameless, "may_blame", lambda text: True)
    plain = [(f.code, f.line, f.col) for f in check(text) if f.code.startswith("BL")]
    assert gated == plain
    assert phrase.startswith(">") or plain


PEOPLE = frozenset({"Priya Raman", "Dana Whitfield"})
KNOWN = frozenset({"Omar Haddad", "Priya Raman", "Dana Whitfield"})
NAME_TEXTS = [
    "Priya Raman ran the migration on the primary.",
    "Priya ran the migration.",
    "The job was started by Omar Haddad at night.",
    "Dana<!-- the on-call engineer -->Whitfield restarted it.",
    "The runbook said to ask @jdoe first.",
    "x.Priya Raman and Priya-Raman and Priya_ are parts of other words",
    "`Priya Raman` is a test fixture, as is https://example.com/Priya",
    "Omar alone is no whole name, and priya raman is no capitalised one.",
    "first line\nPriya Raman on the second\n",
    "",
]


@pytest.mark.parametrize("text", NAME_TEXTS)
def test_the_name_gate_opens_wherever_a_line_names_someone(text: str) -> None:
    """The look at a whole Root Causes section opens wherever scan_prose, line by line,
    finds a name or a handle (BL001); it stays shut on the texts that name nobody."""
    named = any(
        match.code == "BL001"
        for line in text.split("\n")
        for match in prose.scan_prose(line, PEOPLE, names_people=True, known=KNOWN)
    )
    opened = prose.may_name(text, PEOPLE, KNOWN)
    assert opened == named


def test_the_name_gate_may_open_for_a_name_across_two_lines() -> None:
    """Searched together, the lines may show a name no single line holds: the gate opens,
    and the lines, each read alone, report nothing."""
    text = "the job was started by Omar\nHaddad's script"
    assert prose.may_name(text, PEOPLE, KNOWN)
    assert not any(
        prose.scan_prose(line, PEOPLE, names_people=True, known=KNOWN) for line in text.split("\n")
    )


@pytest.mark.parametrize("cause", [text for text in NAME_TEXTS if text] + ["nobody at all"])
def test_the_root_causes_gate_lets_through_every_finding_the_lines_have(
    check: Checker, monkeypatch: pytest.MonkeyPatch, cause: str
) -> None:
    """A Root Causes section's findings are those found with no gate at all."""
    text = VALID.replace(
        "The config service accepted a pool size of zero because its schema had no minimum.",
        cause,
    ).replace("authors: [", "authors: [Priya Raman, ")
    gated = [(f.code, f.line, f.col) for f in check(text) if f.code.startswith("BL")]
    monkeypatch.setattr(blameless, "may_name", lambda text, people, known: True)
    monkeypatch.setattr(blameless, "may_blame", lambda text: True)
    plain = [(f.code, f.line, f.col) for f in check(text) if f.code.startswith("BL")]
    assert gated == plain
    named = {code for code, _, _ in plain} == {"BL001"}
    assert named == (cause not in QUIET_CAUSES)


# Causes that name nobody this post-mortem or the knowledge base knows (its people are
# Dana Whitfield, Omar Haddad, the owners and Priya Raman).
QUIET_CAUSES = {
    "x.Priya Raman and Priya-Raman and Priya_ are parts of other words",
    "`Priya Raman` is a test fixture, as is https://example.com/Priya",
    "nobody at all",
}
