"""``postmortems import`` on hostile sources, one named test per defect: text an export shows
that became HTML, links followed out of the source folder, alias bombs, quadratic headings,
tracebacks that stopped a run halfway, front matter that did not parse back, sources taken
for one another, and escape sequences printed raw in the report.

Every hostile source is made here, not committed.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core import frontmatter
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.importers import html_lists as html_lists_module
from mkdocs_postmortems.importers import markdown as markdown_module
from mkdocs_postmortems.importers import sections as sections_module
from mkdocs_postmortems.importers import updates as updates_module
from mkdocs_postmortems.importers.convert import Report, convert
from mkdocs_postmortems.importers.sources import SourceError, imported_from, read_source
from mkdocs_postmortems.rules import RULESET
from test_hostile import finishes

CONFIG = "plugins:\n  - postmortems:\n      folder: postmortems\n"
GOOD = "---\ntitle: Good one\ndate: 2024-03-04T10:00:00Z\n---\n\n## Summary\n\nFine.\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, dict]]:
    code = main(["import", *args, "--format", "json"])
    files = json.loads(capsys.readouterr().out)["files"]
    return code, {Path(f["source"]).name: f for f in files}


def written(project: Path) -> list[Path]:
    return sorted((project / "postmortems").rglob("*.md"))


# --- 3: text an HTML export shows stays text -------------------------------------------

EXPORT = """<html><head><title>Stored XSS in the status page 2024-05-06</title></head><body>
<h1>Stored XSS in the status page 2024-05-06</h1>
<h2>Summary</h2>
<p>A note held &lt;base href="https://evil.example/"&gt; and
&lt;script&gt;alert(document.cookie)&lt;/script&gt;, &lt;img src=x onerror=alert(1)&gt;.</p>
<p>[click here](javascript:alert(1)) and *not emphasis* and _not either_ and max_connections.</p>
<p><a href="x)<img src=x onerror=alert(1)>">a link</a> <img alt="a](javascript:alert(1)) <b>" src="p q.png"></p>
<p># not a heading</p>
<p>- not a list item</p>
<h2>Impact {: onclick="alert(1)" }</h2>
<p>Users saw `code` &amp;amp; &lt;b&gt;tags&lt;/b&gt;.</p>
<table><tr><th>Time</th><th>Event</th></tr><tr><td>10:00</td><td>a | b &lt;i&gt;</td></tr></table>
</body></html>
"""


def test_text_an_html_export_shows_stays_text(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "xss.html").write_text(EXPORT, encoding="utf-8")
    code, reports = run_json(capsys, "xss.html")
    assert code == 0
    assert reports["xss.html"]["lost_words"] == []
    text = Path(reports["xss.html"]["target"]).read_text(encoding="utf-8")
    _, body = text.split("\n---\n", 1)
    page = markdown.markdown(body, extensions=["tables", "attr_list", "md_in_html"])
    # No element or attribute the export showed as text became one.
    soup = BeautifulSoup(page, "html.parser")
    made = {tag.name for tag in soup.find_all(True)}
    assert made <= {"h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "a", "img"}
    assert not [a for tag in soup.find_all(True) for a in tag.attrs if a.startswith("on")]
    # The export's one link and one image, with their address and description whole.
    (link,) = soup.find_all("a")
    assert link["href"] == "x%29%3Cimg%20src=x%20onerror=alert%281%29%3E"
    (image,) = soup.find_all("img")
    assert image["alt"] == "a](javascript:alert(1)) <b>"
    # And the reader sees what the export showed.
    for shown in (
        '&lt;base href="https://evil.example/"&gt;',
        "&lt;script&gt;alert(document.cookie)&lt;/script&gt;",
        "[click here](javascript:alert(1))",
        "*not emphasis*",
        "_not either_",
        "max_connections",
        "# not a heading",
        "- not a list item",
        "<code>code</code>" if "<code>" in page else "`code`",
        "&amp;amp; &lt;b&gt;tags&lt;/b&gt;",
        "a | b &lt;i&gt;",
    ):
        assert shown in page, shown
    assert 'Impact {: onclick="alert(1)" }</h3>' in page
    assert "max_connections" in text  # an underscore inside a word needs no escape


SHOWN = [*"ab _*`[](){}<>&#-+=|\\!.~1:", "\n", "snake_case", "10.", "http://x", "&amp;"]
SHOWN += ["<b>", "<!--", "-->", "# x", "---", "> q", "{: #id }", "[a]: /b"]


PLACES = {
    "paragraph": ("<p>{}</p>", ""),
    "after a line break": ("<p>x<br>{}</p>", "x"),
    "list item": ("<ul><li>{}</li></ul>", ""),
    "bold": ("<p><b>{}</b></p>", ""),
    "heading": ("<h3>{}</h3>", ""),
    "table cell": ("<table><tr><th>h</th></tr><tr><td>{}</td></tr></table>", "h"),
}


@pytest.mark.parametrize(("html_around", "before"), PLACES.values(), ids=PLACES.keys())
@settings(max_examples=100, deadline=None)
@given(pieces=st.lists(st.sampled_from(SHOWN), min_size=1, max_size=25))
def test_text_of_an_export_shows_on_the_page_as_it_did(
    html_around: str, before: str, pieces: list[str]
) -> None:
    """The Markdown the importer writes, rendered as MkDocs renders it, shows the text of
    the export: nothing in it became markup, and nothing was lost."""
    text = "".join(pieces)
    if "<p>" not in html_around:
        text = text.replace("\n", " ")  # one line, as a heading, a cell or an item is
    source = "<html><body>" + html_around.format(html.escape(text)) + "</body></html>"
    body = read_source("x.html", source).body
    page = markdown.markdown(body, extensions=["tables", "attr_list", "md_in_html"])
    shown = BeautifulSoup(page, "html.parser").get_text()
    assert shown.split() == f"{before} {text}".split()


# --- 8: links and other files that are not regular -------------------------------------


def test_links_in_a_source_folder_are_refused_unread(
    project: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    secret_dir = tmp_path_factory.mktemp("elsewhere")
    secret = secret_dir / "credentials.md"
    secret.write_text("---\ntitle: t\ndate: 2024-01-02\n---\nAWS_SECRET=hunter2\n", "utf-8")
    old = project / "old"
    (old / "sub").mkdir(parents=True)
    (old / "good.md").write_text(GOOD, encoding="utf-8")
    (old / "leak.md").symlink_to(secret)
    (old / "inside.md").symlink_to(old / "good.md")
    (old / "linked-folder").symlink_to(secret_dir, target_is_directory=True)
    os.mkfifo(old / "sub" / "pipe.md")
    code, reports = finishes(lambda: run_json(capsys, "old"), seconds=30)
    assert code == 1
    assert reports["good.md"]["outcome"] == "imported"
    for name in ("leak.md", "inside.md", "linked-folder"):
        assert reports[name]["outcome"] == "failed", name
        assert "symbolic link" in reports[name]["to_complete"][0]
    assert reports["pipe.md"]["outcome"] == "failed"
    assert "not a regular file" in reports["pipe.md"]["to_complete"][0]
    assert len(written(project)) == 1
    assert all("hunter2" not in p.read_text(encoding="utf-8") for p in written(project))


def test_a_link_named_on_the_command_line_is_refused_too(
    project: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # A shell glob (old/*.md) names links as well as files: naming is no sign of intent.
    secret = tmp_path_factory.mktemp("elsewhere") / "environ.md"
    secret.write_text("---\ntitle: t\ndate: 2024-01-02\n---\nTOKEN=hunter2\n", "utf-8")
    (project / "named.md").symlink_to(secret)
    code, reports = run_json(capsys, "named.md")
    assert code == 1
    assert reports["named.md"]["outcome"] == "failed"
    assert "symbolic link" in reports["named.md"]["to_complete"][0]
    assert written(project) == []


# --- 12: alias bombs, quadratic paths, tracebacks ----------------------------------------


def billion_laughs() -> str:
    lines = ["---", "title: Laughs", "date: 2024-01-02", 'a0: &a0 ["lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join([*lines, "---", "", "## Summary", "", "x", ""])


def test_a_yaml_alias_bomb_is_refused_and_the_run_goes_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = project / "old"
    old.mkdir()
    (old / "a-bomb.md").write_text(billion_laughs(), encoding="utf-8")
    (old / "b-good.md").write_text(GOOD, encoding="utf-8")
    code, reports = finishes(lambda: run_json(capsys, "old"), seconds=30)
    assert code == 1
    assert reports["a-bomb.md"]["outcome"] == "failed"
    assert "aliases" in reports["a-bomb.md"]["to_complete"][0]
    assert reports["b-good.md"]["outcome"] == "imported"


def test_yaml_the_checker_refuses_is_refused_at_its_line() -> None:
    for text, line in (
        ("---\ntitle: x\nkey: : x\n---\nx\n", 3),
        ("---\ntitle: x\ndate: 2024-01-02\nevil: !!python/object/apply:os.system [id]\n---\n", 4),
    ):
        with pytest.raises(SourceError, match=f"YAML front matter .* line {line}:"):
            read_source("x.md", text)


def test_a_heading_with_a_long_run_of_spaces_is_read_in_linear_time() -> None:
    # The closing-# pattern took over 15 s at 40 kB; at 1 MB it would take days.
    line = "## a" + " " * 1_000_000 + "b ##"
    heading = finishes(lambda: markdown_module.ATX.match(line), seconds=30)
    assert heading is not None
    assert heading[1] == "##"
    assert heading[2] == "a" + " " * 1_000_000 + "b"


LONG_LINES = {
    # 40 kB took over 15 s (the closing-# pattern); 20 kB after "due", 32 s (two \s* runs).
    # 200 kB each: what was quadratic takes minutes at this length, what is linear a tenth
    # of a second, so the guard can be a few seconds and the inputs small.
    "heading with spaces": "## a" + " " * 200_000 + "b",
    "action item with spaces after due": "## Action Items\n\n- due" + " " * 200_000 + "x",
    # What a Markdown reader's inline and nesting rules have been quadratic on.
    "stars": "*" * 200_000,
    "brackets": "[" * 200_000,
    "pipes": "|" * 200_000,
    "backticks": "`" * 200_000,
    # Each level of the list reads the whole line again (is it a thematic break?), up to
    # the reader's 20 levels: linear, but some seconds at a megabyte on a busy machine.
    "list markers": "- " * 20_000 + "x",
    "table row of pipes": "| Time | Event |\n|---|---|\n" + "|" * 200_000,
    # 5,000 lines (200 kB): quadratic would take minutes, the CommonMark reader's linear
    # pass some seconds on a busy machine (20,000 lines came near the guard's 30 s).
    "nested lists": "## Action Items\n\n"
    + "".join("  " * (i % 40) + "- x\n" for i in range(5_000)),
}


@pytest.mark.slow(seconds=2)  # for the order of the parallel run (conftest.py)
@pytest.mark.parametrize("line", LONG_LINES.values(), ids=LONG_LINES.keys())
def test_one_long_line_converts_in_linear_time(line: str) -> None:
    text = "# Outage 2024-01-02\n\n" + line + "\n"
    conversion = finishes(
        lambda: convert(read_source("x.md", text), Settings(root=Path("."))), seconds=5
    )
    assert conversion.report.lost == []


@pytest.mark.slow(seconds=3)  # for the order of the parallel run (conftest.py)
def test_deeply_nested_html_is_refused_in_linear_time() -> None:
    # The export's searches looked at every element's ancestors: 300,000 nested elements
    # took 88 s; these 50,000, some minutes.
    text = "<html><body><h1>Deep 2024-01-02</h1>" + "<b>" * 50_000 + "x</body></html>"

    def refused() -> str:
        with pytest.raises(SourceError) as error:
            read_source("deep.html", text)
        return str(error.value)

    assert "more than 100 deep" in finishes(refused, seconds=60)


def test_many_headings_without_a_section_are_placed_in_linear_time() -> None:
    # Each unmatched block looked at every block after it: 60,000 headings took 52 s, and
    # these 50,000 would take over half a minute (each looks at 25,000 others on average, in
    # Python); placed in linear time, a fraction of a second.
    blocks = [sections_module.Block(None, "", "")]
    blocks += [sections_module.Block(None, f"Note {i}", f"## Note {i}") for i in range(50_000)]
    blocks.append(sections_module.Block("Impact", "Impact", "## Impact"))
    sections = finishes(lambda: sections_module.merge_sections(blocks, Report("x.md")), seconds=15)
    assert list(sections) == ["Impact"]


@pytest.mark.slow(seconds=4)  # for the order of the parallel run (conftest.py)
def test_many_headings_import_with_every_word() -> None:
    text = "# Outage 2024-01-02\n\n" + "".join(f"## Note {i}\n\nx\n\n" for i in range(2_000))
    conversion = convert(read_source("x.md", text), Settings(root=Path(".")))
    assert conversion.report.lost == []
    assert conversion.text.count("\n### Note ") == 2_000


def nested_json(depth: int) -> str:
    return (
        '{\n"title": "Deep", "date": "2024-01-02", "tags": '
        + "[" * depth
        + "]" * depth
        + "\n}\n\n## Summary\n\nx\n"
    )


HOSTILE = {
    "yaml-400-deep.md": "---\ntitle: Deep\ndate: 2024-01-02\ntags: "
    + "[" * 400
    + "]" * 400
    + "\n---\n\n## Summary\n\nx\n",
    "json-900-deep.md": nested_json(900),
    "toml-900-deep.md": '+++\ntitle = "Deep"\ndate = "2024-01-02"\ntags = '
    + "[" * 900
    + "]" * 900
    + "\n+++\n\n## Summary\n\nx\n",
    "html-600-deep.html": "<html><body><h1>Deep 2024-01-02</h1>"
    + "<div>" * 600
    + "x"
    + "</div>" * 600
    + "</body></html>",
    "json-surrogate.md": '{\n"title": "Lone \\ud800 surrogate", "date": "2024-01-02"\n}\n\nx\n',
    "year-1.md": "---\ntitle: Early\nstarted: 0001-01-01T00:00:00+05:00\n---\n\nx\n",
    "year-9999.md": "---\ntitle: Late\nstarted: 9999-12-31 23:00 -05:00\n---\n\nx\n",
    "timeline-year-1.md": "# Early\n\n## Timeline\n\n- 0001-01-01 00:00 +05:00 start\n",
    "timeline-year-9999.md": "# Late\n\n## Timeline\n\n- 9999-12-31 23:00 -05:00 start\n",
    "timeline-placeholder-year-9999.md": "# Late\n\n## Timeline\n\n| Time | Event |\n|---|---|\n"
    "| 9999-12-31 HH:mm | start |\n| 10:00 | more |\n",
    "timeline-rolls-over.md": "---\ntitle: Rolls\nstarted: 9999-12-31T22:00:00\n---\n\n"
    "## Timeline\n\n| Time | Event |\n|---|---|\n| 23:00 | a |\n| 01:00 | b |\n",
}


def test_each_hostile_source_is_a_failure_of_its_own_and_the_run_goes_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = project / "old"
    old.mkdir()
    for name, text in HOSTILE.items():
        (old / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    (old / "zz-good.md").write_text(GOOD, encoding="utf-8")
    code, reports = run_json(capsys, "old")
    assert code == 1
    assert reports["zz-good.md"]["outcome"] == "imported"
    for name in HOSTILE:
        assert reports[name]["outcome"] == "failed", (name, reports[name])
        why = reports[name]["to_complete"]
        assert len(why) == 1, why
        assert "Error" not in why[0], why
    assert len(written(project)) == 1


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("yaml-400-deep.md", "nests too deep"),
        ("json-900-deep.md", "nests more than 40 levels"),
        ("toml-900-deep.md", "nests too deep"),
        ("html-600-deep.html", "nests elements more than 100 deep"),
        ("json-surrogate.md", "lone surrogate"),
        ("year-1.md", "not a date in the years 1970-2199"),
        ("year-9999.md", "not a date in the years 1970-2199"),
        ("timeline-year-1.md", "no date found"),
        ("timeline-year-9999.md", "no date found"),
        ("timeline-placeholder-year-9999.md", "no date found"),
        ("timeline-rolls-over.md", "not a date in the years 1970-2199"),
    ],
)
def test_each_hostile_source_says_why(name: str, reason: str) -> None:
    with pytest.raises(SourceError, match=re.escape(reason)):
        convert(read_source(name, HOSTILE[name]), Settings(root=Path(".")))


# --- 12: the front matter is written by a YAML emitter and reads back --------------------

TITLES = ["Bell\x07 and \x1b[31mred\x1b[0m", 'quote " and \\ back', "line\u2028sep\x85nel", "#: -"]


@pytest.mark.parametrize("title", TITLES)
def test_a_title_with_controls_is_written_as_yaml_that_reads_back(
    title: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = json.dumps(
        {"title": title, "date": "2024-01-02", "status": f"odd\x1b{title}"}, indent=1
    )
    (project / "odd.md").write_text(source + "\n\n## Summary\n\nx\n", encoding="utf-8")
    code, reports = run_json(capsys, "odd.md")
    assert code == 0, reports
    (path,) = written(project)
    kb = load(Settings(root=project, folder="postmortems"), RULESET)
    (pm,) = kb.postmortems
    assert pm.front is not None
    cut, _ = frontmatter.split(path.read_text(encoding="utf-8"))
    assert cut.yaml_text is not None
    front, _ = frontmatter.parse(cut.yaml_text, cut.closing_line)
    assert front is not None
    assert front.data["title"] == " ".join(title.split())  # the emitter escaped, YAML read
    assert pm.imported == "odd.md"
    assert not [f for f in kb.findings if f.code in ("PM006", "PM008", "PM009")]
    # And a second run knows it.
    code, reports = run_json(capsys, "odd.md")
    assert reports["odd.md"]["outcome"] == "already-imported"
    assert written(project) == [path]


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=40), st.text(max_size=20))
def test_any_title_and_name_read_back(title: str, name: str) -> None:
    meta = json.dumps({"title": title, "date": "2024-01-02", "facilitator": name}, indent=1)
    try:
        conversion = convert(read_source(f"{name}.md", meta + "\n\nx\n"), Settings(root=Path(".")))
    except SourceError:
        return  # a lone surrogate, said so
    cut, _ = frontmatter.split(conversion.text)
    assert cut.yaml_text is not None
    front, hits = frontmatter.parse(cut.yaml_text, cut.closing_line)
    assert front is not None, hits
    assert front.data["imported"] == f"{name}.md"
    assert front.data["title"] == " ".join(conversion.title.split())


# Text that YAML would read as something else when written plain: a key, an alias, an
# anchor, a tag, a flow mapping, a boolean, a date; scripts other than Latin; line breaks.
AWKWARD = [
    "Cause: a colon",
    "*alias first",
    "&anchor first",
    "!tag first",
    "{not: a mapping}",
    "yes",
    "2024-01-02",
    "Пожар в дата-центре",
    "数据库宕机 🔥",
    "line one\nline two",
    "bell\x07 and line\u2028separators\x85",
]


def _front(text: str) -> dict[str, object]:
    cut, _ = frontmatter.split(text)
    assert cut.yaml_text is not None
    front, hits = frontmatter.parse(cut.yaml_text, cut.closing_line)
    assert front is not None, hits
    return dict(front.data)


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_text_reads_back_wherever_it_is_written(text: str) -> None:
    """Every value the importer writes, and every source wording it keeps in a comment,
    reads back as the text it was (on one line) and adds no key."""
    one_line = " ".join(text.split())
    meta = {
        "title": text,
        "date": f"2024-01-02 10:00 {text}",
        "severity": text,
        "status": text,
        "authors": [text, "Dana"],
        "services": [text],
        "facilitator": text,
    }
    source = json.dumps(meta, indent=1) + "\n\n## Summary\n\nx\n"
    data = _front(convert(read_source(f"{text}.md", source), Settings(root=Path("."))).text)
    assert data["title"] == one_line
    assert data["authors"] == [one_line, "Dana"]
    assert data["services"] == [one_line]
    assert data["facilitator"] == one_line
    assert data["imported"] == f"{text}.md"
    assert data["severity"] == "TBD"  # no match; the wording is in a comment
    assert set(data) <= {
        "title",
        "severity",
        "status",
        "started",
        "detected",
        "resolved",
        "published",
        "authors",
        "services",
        "facilitator",
        "imported",
    }


@pytest.mark.parametrize("text", [t for t in AWKWARD if "\n" not in t])
def test_an_awkward_first_heading_is_the_title_and_reads_back(text: str) -> None:
    source = f"# {text}\n\nOn 2024-01-02 it broke.\n\n## Summary\n\nx\n"
    conversion = convert(read_source("notes.md", source), Settings(root=Path(".")))
    one_line = " ".join(text.split())
    assert _front(conversion.text)["title"] == one_line == " ".join(conversion.title.split())


# --- 12: "already imported" knows the source, not only its name ------------------------


def test_sources_with_the_same_name_in_two_folders_are_both_imported(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for year in ("2019", "2020"):
        folder = project / "old" / year
        folder.mkdir(parents=True)
        (folder / "postmortem.md").write_text(
            GOOD.replace("2024-03-04", f"{year}-03-04").replace("Good one", f"Outage {year}"),
            encoding="utf-8",
        )
    main(["import", "old/2019"])
    capsys.readouterr()
    # Named through the folder above, the first is known by its day and title too.
    code, reports = run_json(capsys, "old")
    assert code == 0
    assert [r["outcome"] for r in reports.values()] == ["imported"]
    assert [p.name for p in written(project)] == [
        "2019-03-04-outage-2019.md",
        "2020-03-04-outage-2020.md",
    ]
    markers = [imported_from(p.read_text(encoding="utf-8")) for p in written(project)]
    assert markers == ["postmortem.md", "2020/postmortem.md"]
    main(["import", "old"])
    assert "2 already imported, skipped." in capsys.readouterr().out
    assert len(written(project)) == 2


def test_a_name_with_a_run_of_spaces_is_imported_once(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "Outage  notes   2024-03-04.md").write_text(GOOD, encoding="utf-8")
    assert run_json(capsys, "Outage  notes   2024-03-04.md")[0] == 0
    _, reports = run_json(capsys, "Outage  notes   2024-03-04.md")
    assert reports["Outage  notes   2024-03-04.md"]["outcome"] == "already-imported"
    assert len(written(project)) == 1


# --- 16: the report is printable ---------------------------------------------------------


def test_the_text_report_prints_no_control_characters(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "evil\x1b]0;pwned\x07\nfake.md:1:1: error PM001 forged.md"
    status = "\x1b[2J\x1b[31mclosed\r\nold.md: imported -> forged"
    (project / name).write_text(
        json.dumps({"title": "T\x1b[5m", "date": "2024-01-02", "status": status}, indent=1)
        + "\n\nx\n",
        encoding="utf-8",
    )
    (project / "bad\x1b[31m.md").write_text("no date at all\n", encoding="utf-8")
    code = main(["import", name, "bad\x1b[31m.md"])
    out = capsys.readouterr().out
    assert code == 1
    for control in ("\x1b", "\r", "\x07"):
        assert control not in out
    assert not any(line.startswith(("fake.md", "old.md")) for line in out.splitlines())
    assert "\\x1b" in out


def test_a_file_name_that_is_not_utf8_is_refused_with_its_reason(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "old").mkdir()
    (project / os.fsdecode(b"old/bad\xff 2024-01-02.md")).write_text(GOOD, encoding="utf-8")
    (project / "old" / "good.md").write_text(GOOD, encoding="utf-8")
    code = main(["import", "old"])
    out = capsys.readouterr().out
    assert code == 1
    assert "old/bad\\xff 2024-01-02.md: NOT imported" in out
    assert "the file name is not UTF-8" in out
    assert len(written(project)) == 1


def test_too_many_sources_with_one_day_and_title_fail_one_by_one(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = project / "old"
    old.mkdir()
    for number in range(22):
        (old / f"copy-{number:02d}.md").write_text(GOOD, encoding="utf-8")
    code, reports = run_json(capsys, "old")
    assert code == 1
    outcomes = [reports[f"copy-{number:02d}.md"]["outcome"] for number in range(22)]
    assert outcomes == ["imported"] * 20 + ["failed"] * 2
    assert "20 files already have this day and title" in reports["copy-21.md"]["to_complete"]


@pytest.mark.slow(seconds=4)  # for the order of the parallel run (conftest.py)
def test_many_labelled_lists_are_read_in_linear_time() -> None:
    # Each labelled item measured the indentation of its nested list once per nested line:
    # 20,000 items took over three minutes; these 50,000 lines take well under a second.
    lines = ["- **Review actions**:", *(["  - add an alert", ""] * 25_000)]
    out = finishes(lambda: sections_module.labelled_lists(lines, Report("x.md")), seconds=30)
    assert out[:4] == ["", "## Review actions", "", "- add an alert"]


@pytest.mark.parametrize(
    "title", ["Outage 🔥date 2024-01-02", "a\\U0001F525b 2024-01-02", "🔥 2024-01-02"]
)
def test_a_title_past_the_basic_plane_keeps_its_words_and_reads_back(title: str) -> None:
    conversion = convert(read_source("x.md", f"# {title}\n\nBody.\n"), Settings(root=Path(".")))
    assert conversion.report.lost == []
    front = yaml.safe_load(conversion.text.split("---")[1])
    assert front["title"] == title


@pytest.mark.slow(seconds=3)  # for the order of the parallel run (conftest.py)
def test_many_status_updates_each_a_section_are_read_in_linear_time() -> None:
    # Each section's end is the next heading at its level, looked for from that heading on,
    # and whether a section is plain is read once for the whole text: 10,000 updates take
    # a few seconds, not the minutes a scan of every later heading for each would.
    lines = "".join(
        f"## Investigating\n\nStill looking {i}.\n\nPosted Jan 2, 2024 - 10:{i % 60:02d} UTC\n\n"
        for i in range(10_000)
    ).split("\n")
    out = finishes(lambda: updates_module.sectioned_updates(lines, Report("x.md")), seconds=30)
    assert out[:3] == [
        "## Timeline",
        "",
        "Jan 2, 2024 - 10:00 UTC **Investigating**: Still looking 0. <!-- Posted -->",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "<ul>" + "<li>x" * 200_000 + "</ul>",
        "<ul>\n" * 200_000,
        "<ul>" + "<li>a</li>" * 100_000 + "</ul>",
    ],
    ids=["items left open", "lists never closed", "one long list"],
)
def test_html_lists_are_read_in_linear_time(text: str) -> None:
    # An item's words stop at the next item's tag, and each list finds its closing line in
    # a table made in one pass: a megabyte of open items or of unclosed lists is a fraction
    # of a second, where a lazy match to the closing tag from every item was quadratic.
    lines = text.split("\n")
    out = finishes(lambda: html_lists_module.html_lists(lines, Report("x.md")), seconds=30)
    assert len(out) >= 1


def test_a_status_label_with_a_long_run_of_spaces_is_read_in_linear_time() -> None:
    # "Update" and 4,000 spaces took half a second (two runs of spaces side by side); these
    # 200,000 would take minutes where a linear read takes a fraction of a second.
    from mkdocs_postmortems.importers.leads import post_label

    assert finishes(lambda: post_label("Update" + " " * 200_000), seconds=5)[1] is None
