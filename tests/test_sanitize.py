"""The allowlist sanitizer of the author's HTML (core/sanitize.py), PM210 that reads the same
allowlist, and the pages built with both: MkDocs through the plugin, ``render`` for the
generators that do not run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import VALID, VALID_NAME, Checker
from mkdocs_postmortems.adapters.folder import markdown_renderer
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.sanitize import MAX_DEPTH, clean, removals
from mkdocs_postmortems.site.pages import assemble, placeholder
from sitebuild import build_site, html, write_project
from xss_corpus import ATTACKER, VECTORS, audit, bodies

SUMMARY = "A configuration push set the checkout connection pool size to zero."
PAGE = "postmortems/2026-03-04-checkout-config-push"
# The extensions of the repository's own mkdocs.yml.
EXTENSIONS = [
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    {"toc": {"permalink": True}},
    "pymdownx.details",
    "pymdownx.superfences",
]
to_html = markdown_renderer(EXTENSIONS)


def with_summary(extra: str) -> str:
    return VALID.replace(SUMMARY, f"{SUMMARY}\n\n{extra}")


def summary_line(offset: int = 0) -> int:
    """The file line of the first line after the Summary's own line and a blank one."""
    return VALID.split("\n").index(SUMMARY) + 3 + offset


def after_the_action_items(page: str) -> str:
    """What follows the action-items table up to the end of the post-mortem: the author's
    alone, where :func:`xss_corpus.bodies` puts the vectors."""
    rest = page.split("pm-action-items", 1)[1].split("</table></div>", 1)[1]
    return rest.split("</div><!-- /pm-postmortem -->", 1)[0]


def article(site: Path) -> str:
    page = html(site, PAGE)
    return page.split('<article class="md-content__inner md-typeset">', 1)[1]


# -------------------------------------------------------------------------- the allowlist


def test_what_a_postmortem_needs_is_kept() -> None:
    """Headings with toc anchors, admonitions, details, footnotes-style ids, attr_list
    classes and ids, aligned tables, highlighted code, kbd, sup, sub, del, images, links."""
    markdown = (
        "## Impact { #impact-detail .wide }\n\n"
        '!!! note "Customer comms"\n    Status page at **14:20**.\n\n'
        "??? warning\n    Folded.\n\n"
        "| Left | Centre |\n|:-----|:------:|\n| a | b |\n\n"
        "```python\nprint('x')\n```\n\n"
        "Press <kbd>Ctrl</kbd>, x<sup>2</sup> H<sub>2</sub>O <del>old</del> "
        '[runbook](../runbooks/db.md#failover "Failover") <https://status.example.com> '
        "[mail](mailto:oncall@example.com) ![graph](graph.png){ width=300 }\n\n"
        "<details open><summary>Logs</summary>\n\nsnipped\n\n</details>\n"
    )
    rendered = to_html(markdown)
    cleaned = clean(rendered)
    assert list(removals(markdown)) == []
    for kept in (
        '<h2 class="wide" id="impact-detail">Impact',
        'class="headerlink" href="#impact-detail"',
        'class="admonition note"',
        '<p class="admonition-title">Customer comms</p>',
        '<details class="warning">',
        'style="text-align:left"',
        'style="text-align:center"',
        '<div class="highlight"><pre><span></span><code>',
        "<kbd>Ctrl</kbd>",
        "<sup>2</sup>",
        "<sub>2</sub>",
        "<del>old</del>",
        '<a href="../runbooks/db.md#failover" title="Failover">runbook</a>',
        '<a href="https://status.example.com">',
        '<a href="mailto:oncall@example.com">mail</a>',
        '<img alt="graph" src="graph.png" width="300">',
        '<details open=""><summary>Logs</summary>',
    ):
        assert kept in cleaned, kept
    assert audit(cleaned) == []


@pytest.mark.parametrize("vector", VECTORS)
def test_no_vector_of_the_corpus_survives_the_sanitizer(vector: str) -> None:
    assert audit(clean(to_html(vector))) == []


@pytest.mark.parametrize("vector", VECTORS)
def test_the_checker_reports_every_vector_of_the_corpus(check: Checker, vector: str) -> None:
    findings = [f for f in check(with_summary(vector)) if f.code == "PM210"]
    assert findings, vector
    assert all(f.line >= summary_line() for f in findings)


def test_every_line_break_and_encoding_is_read_as_a_browser_reads_it() -> None:
    for url in (
        "javascript:x",
        "JaVaScRiPt:x",
        " javascript:x",
        "\x0e javascript:x",
        "java\nscript:x",
        "java\tscript:x",
        "vbscript:x",
        "data:text/html,x",
    ):
        assert clean(f'<a href="{url}">a</a>') == "<a>a</a>", repr(url)


def test_elements_nest_no_deeper_than_the_bound() -> None:
    """Each block element cost the parser the depth it opened at: 100,000 unclosed <div>
    took five minutes to sanitize. Deeper start tags are dropped, their text kept."""
    cleaned = clean("<div>" * 100_000 + "deep" + "</div>" * 100_000)
    assert cleaned.count("<div>") == MAX_DEPTH
    assert "deep" in cleaned
    shallow = "<div>" * 600 + "</x><div>" * 600  # a stray end tag closes nothing
    assert clean(shallow).count("<div>") == MAX_DEPTH


def test_an_author_id_cannot_stand_in_for_one_of_the_theme() -> None:
    """mkdocs-material reads its configuration from the first ``#__config`` of the page."""
    assert clean('<p id="__config">{}</p><p id="fn:1">x</p>') == '<p>{}</p><p id="fn:1">x</p>'


# ------------------------------------------------------------ PM210: where, over line breaks


@pytest.mark.parametrize(
    ("extra", "line", "col", "what"),
    [
        # 1. A <base> moved every script of the page to another origin, unreported.
        (f'<base href="https://{ATTACKER}/">', 0, 1, "element <base>"),
        # 2. Tags and links split over lines, unreported and live.
        ("<svg><animate onbegin\n=alert(document.domain) attributeName=x>", 0, 1, "<svg>"),
        ('<a href=\n"javascript:alert(1)">x</a>', 0, 4, "'javascript' in href="),
        ("[x](\njavascript:alert(1))", 1, 1, "link to a URL with the scheme 'javascript'"),
        ('Read <a href="java\nscript:alert(1)">this</a>', 0, 9, "'javascript' in href="),
        ('A paragraph.\n{: onclick="alert(1)" }', 1, 4, "attribute onclick="),
    ],
)
def test_markup_the_page_leaves_out_is_reported_where_it_is_written(
    check: Checker, extra: str, line: int, col: int, what: str
) -> None:
    findings = [f for f in check(with_summary(extra)) if f.code == "PM210"]
    assert findings, extra
    first = findings[0]
    assert (first.line, first.col) == (summary_line(line), col)
    assert what in first.message
    assert first.message.endswith("is not allowed and is left out of the published page")


@pytest.mark.parametrize(
    "extra",
    [
        "```html\n<script>alert(1)</script>\n```",
        "We saw `<base href=x>` and `[x](javascript:y)` in the logs.",
        "The load was 3 < 5 and 7 > 2; see [the runbook](https://runbooks.example.com).",
        "Pool size {min=1} was missing in prose.",
        # A footnote whose text starts like a scheme, not a link reference.
        "We missed the SLO.[^2]\n\n[^2]: SLO: service level objective",
        "<details><summary>More</summary>\n\nText.\n\n</details>",
    ],
)
def test_code_and_allowed_markup_are_not_findings(check: Checker, extra: str) -> None:
    assert "PM210" not in {f.code for f in check(with_summary(extra))}


# ---------------------------------------------------------------------- the built pages


@pytest.mark.build
def test_the_mkdocs_page_holds_nothing_of_the_corpus(tmp_path: Path) -> None:
    """1, 2 and 3: whatever raw HTML reaches the Markdown (written, imported, split over
    lines), the page holds only what the allowlist keeps."""
    config = write_project(tmp_path, {VALID_NAME: bodies(len(VECTORS))[0]})
    page = html(build_site(config), PAGE)
    assert audit(after_the_action_items(page)) == []
    assert "<base" not in page
    assert f"https://{ATTACKER}/xss.js" not in page


@pytest.mark.build
def test_a_fake_placeholder_moves_nothing(tmp_path: Path) -> None:
    """4. The action-items table stays under Action Items and the page's wrapper closes at
    the end, whatever the body says; the fake placeholders are not on the page."""
    fakes = "<!-- postmortems:block:action-items -->\n\n<!-- postmortems:block:end -->"
    config = write_project(tmp_path, {VALID_NAME: with_summary(fakes)})
    page = html(build_site(config), PAGE)
    assert "postmortems:block" not in page
    assert page.index('id="action-items"') < page.index("pm-action-items")
    assert page.count("<!-- /pm-postmortem -->") == 1
    assert page.index('id="action-items"') < page.index("<!-- /pm-postmortem -->")


def test_a_placeholder_is_unforgeable_in_assembly() -> None:
    real = placeholder("end")
    assert real != "<!-- postmortems:block:end -->"
    html_ = "<p>a</p><!-- postmortems:block:end -->" + real
    assert assemble(html_, {"end": "</div>"}, authored=True) == "<p>a</p></div>"


@pytest.mark.build
def test_the_rule_turned_off_publishes_no_script(tmp_path: Path) -> None:
    """5. Whether the page is safe was a side effect of PM210: with the rule off, the
    script was published."""
    vectors = '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">'
    config = write_project(
        tmp_path,
        {VALID_NAME: with_summary(vectors)},
        config={"plugins": ["search", {"postmortems": {"rules": {"PM210": "off"}}}]},
    )
    content = article(build_site(config))
    assert "PM210" not in content
    assert "<script>alert" not in content
    assert 'onerror="alert' not in content
    assert '<img src="x">' in content


@pytest.mark.build
def test_render_writes_the_body_sanitized(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """3, 4 for generators that render the Markdown themselves (Zensical): render writes
    the body rendered, sanitized, with the blocks where they belong."""
    monkeypatch.chdir(tmp_path)
    fakes = "<!-- postmortems:block:action-items -->\n\n<!-- postmortems:block:end -->"
    write_project(
        tmp_path, {VALID_NAME: with_summary(fakes) + bodies(len(VECTORS))[0][len(VALID) :]}
    )
    assert main(["render", "--out", "docs", "--with-errors"]) == 1  # PM210 is an error
    page = (tmp_path / "docs" / "postmortems" / VALID_NAME).read_text(encoding="utf-8")
    body = page.split("\n---\n", 1)[1]
    assert body.lstrip().startswith('<div class="pm-postmortem"')
    assert body.rstrip().endswith("</div><!-- /pm-postmortem -->")
    assert audit(after_the_action_items(page)) == []
    assert "postmortems:block" not in page
    assert page.index('id="action-items"') < page.index("pm-action-items")


@pytest.mark.build
@pytest.mark.parametrize(
    ("extensions", "message"),
    [
        (["no_such_extension"], "ModuleNotFoundError: No module named 'no_such_extension'"),
        ([{"toc": 3}], "cannot read the entry {'toc': 3}"),
    ],
)
def test_render_names_a_markdown_extension_it_cannot_load(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extensions: list[object],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_project(tmp_path, {VALID_NAME: VALID}, config={"markdown_extensions": extensions})
    assert main(["render", "--out", "docs"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("postmortems: render:")
    assert message in error
    assert error.count("\n") == 1
    assert not (tmp_path / "docs" / "postmortems").exists()


def files_of(folder: Path, pattern: str = "*") -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob(pattern) if p.is_file()}


@pytest.mark.build
@pytest.mark.subprocess
def test_render_is_byte_identical_across_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The placeholders' secret differs from one process to the next (this one and a child
    process); no output holds it."""
    roots = [tmp_path / "one", tmp_path / "two"]
    for root in roots:
        write_project(root, {VALID_NAME: with_summary("<b>bold</b> <script>x</script>")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564800")
    with monkeypatch.context() as here:
        here.chdir(roots[0])
        main(["render", "--out", "docs"])
    subprocess.run(
        [sys.executable, "-m", "mkdocs_postmortems", "render", "--out", "docs"],
        cwd=roots[1],
        capture_output=True,
        check=False,
    )
    outputs = [files_of(root / "docs", "*.md") for root in roots]
    assert outputs[0]
    assert outputs[0] == outputs[1]


@pytest.mark.build
@pytest.mark.subprocess
def test_mkdocs_builds_are_byte_identical_across_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Search reads each page while its blocks stand in as placeholders: none is left. One
    build in this process, one in a child process, each with its own secret."""
    roots = [tmp_path / "one", tmp_path / "two"]
    body = with_summary("<b>bold</b>\n\n<!-- postmortems:block:end -->")
    for root in roots:
        write_project(root, {VALID_NAME: body})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795564800")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    with monkeypatch.context() as here:
        here.chdir(roots[0])
        build_site(roots[0] / "mkdocs.yml")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=roots[1],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    sites = [files_of(root / "site") for root in roots]
    assert len(sites[0]) > 10
    assert sites[0] == sites[1]
    assert not any(b"postmortems:block" in data for data in sites[0].values())


# ---------------------------------------------------------------------- property


ALLOWED_MARKDOWN = (
    "Plain prose with **strong**, *em* and `code <b>`.",
    "## A heading",
    "- a list item\n- another",
    "| a | b |\n|---|:-:|\n| 1 | 2 |",
    '!!! note "Title"\n    Inside.',
    "```js\nalert('shown, not run')\n```",
    "[a link](https://example.com) and ![an image](img.png)",
    "<details><summary>s</summary>\n\nbody\n\n</details>",
    "<kbd>Ctrl</kbd> x<sup>2</sup>",
    "Text { #an-id .a-class }",
    "> quoted",
)
HOSTILE = (*VECTORS, '<a href="', "javascript:alert(1)", "onerror=alert(1)>", "<img src=x ", "<svg")


@st.composite
def body(draw: st.DrawFn) -> str:
    parts = []
    for fragment in draw(st.lists(st.sampled_from(ALLOWED_MARKDOWN + HOSTILE), max_size=8)):
        # A hostile fragment split anywhere by a line break, a blank line or a tab.
        cut = draw(st.integers(0, len(fragment)))
        glue = draw(st.sampled_from(("", "\n", "\n\n", "\t", " ")))
        parts.append(fragment[:cut] + glue + fragment[cut:])
        parts.append(draw(st.sampled_from((" ", "\n", "\n\n"))))
    return "".join(parts)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body())
def test_sanitized_content_never_holds_markup_outside_the_allowlist(markdown: str) -> None:
    page = assemble(to_html(markdown), {}, authored=True)
    assert audit(page) == [], markdown
