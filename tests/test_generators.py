"""The same knowledge base on three generators: MkDocs + Material (the plugin), ProperDocs +
Material (the plugin, on ProperDocs' own modules) and Zensical (``postmortems render``, then
``zensical build``). And ``render`` itself: what it writes, and what it never touches."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import DRAFT, VALID, VALID_NAME
from mkdocs_postmortems.adapters.folder import MANIFEST
from mkdocs_postmortems.cli import main

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1795564800"  # 2026-11-25T00:00:00Z, the day after the newest example incident
OVERDUE_DRAFT = "2026-10-14-checkout-network-policy-outage"  # the example's overdue SEV1
INDEX_PAGES = ("incidents", "severity", "action-items", "overdue", "services", "reliability")


# ---------------------------------------------------------------- render, on a small project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (tmp_path / "postmortems").mkdir()
    (tmp_path / "postmortems" / VALID_NAME).write_text(VALID, encoding="utf-8")
    (tmp_path / "postmortems" / "2026-05-02-search-stall.md").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    return tmp_path


def manifest(folder: Path) -> dict[str, str]:
    files: dict[str, str] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    return files


@pytest.mark.build
def test_render_writes_every_page_with_its_blocks_and_a_manifest(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", "--out", "docs"]) == 0
    docs = project / "docs"
    written = set(manifest(docs))
    assert {
        "postmortems/2026-03-04-checkout-config-push.md",
        "postmortems/2026-05-02-search-stall.md",
        "postmortems/catalog.json",
        "incidents.md",
        "overdue.md",
        "insights.md",
        "assets/postmortems/postmortems.css",
        "assets/postmortems/explorer.js",
    } <= written
    assert "index.md" not in written  # the user's own page
    page = (docs / "postmortems" / VALID_NAME).read_text(encoding="utf-8")
    assert "postmortems:block" not in page  # every block is in its place
    assert 'class="pm-card' in page
    # The author's body is written rendered and sanitized, as HTML the generator keeps.
    assert '<h2 id="root-causes">Root Causes' in page
    assert "## Root Causes" not in page
    assert f"{len(written)} files written, 0 unchanged, 0 removed" in capsys.readouterr().out


@pytest.mark.build
def test_render_again_rewrites_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--out", "docs"]) == 0
    before = {p: p.stat().st_mtime_ns for p in (project / "docs").rglob("*.md")}
    capsys.readouterr()
    assert main(["render", "--out", "docs"]) == 0
    assert "0 files written" in capsys.readouterr().out
    assert before == {p: p.stat().st_mtime_ns for p in (project / "docs").rglob("*.md")}


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.build
def test_render_later_the_same_day_writes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The feed, the calendars, the catalogue and the Overdue page carry the day, not the
    run's second: `zensical serve` beside a render loop sees no change until one is made."""
    assert main(["render", "--out", "docs"]) == 0
    before = snapshot(project / "docs")
    assert any(name.endswith(".ics") for name in before)
    capsys.readouterr()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 5 * 3600 + 17))
    assert main(["render", "--out", "docs"]) == 0
    after = snapshot(project / "docs")
    # A draft's review pack proposes its meeting at the next full hour: it alone moves with
    # the hour (and the manifest lists its new hash).
    moves = {MANIFEST, *(name for name in before if "/review." in name)}
    assert [name for name in before if after.get(name) != before[name] and name not in moves] == []
    assert after.keys() == before.keys()
    capsys.readouterr()
    assert main(["render", "--out", "docs"]) == 0
    assert "0 files written" in capsys.readouterr().out
    assert snapshot(project / "docs") == after


@pytest.mark.build
def test_render_after_an_edit_rewrites_only_what_shows_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", "--out", "docs"]) == 0
    before = snapshot(project / "docs")
    draft = project / "postmortems" / "2026-05-02-search-stall.md"
    draft.write_text(draft.read_text(encoding="utf-8") + "\nOne more sentence.\n", "utf-8")
    capsys.readouterr()
    assert main(["render", "--out", "docs"]) == 0
    after = snapshot(project / "docs")
    changed = sorted(name for name in before if after.get(name) != before[name])
    assert "postmortems/2026-05-02-search-stall.md" in changed
    # The other post-mortem's page, the assets and the index pages do not show that text.
    assert "postmortems/2026-03-04-checkout-config-push.md" not in changed
    assert not [name for name in changed if name.startswith("assets/")]
    assert "incidents.md" not in changed


@pytest.mark.build
def test_render_never_overwrites_a_file_it_did_not_write(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = project / "docs" / "incidents.md"
    mine.write_text("# My own list of incidents\n", encoding="utf-8")
    assert main(["render", "--out", "docs"]) == 2
    assert "incidents.md (not written by render)" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == "# My own list of incidents\n"
    assert not (project / "docs" / "postmortems").exists()  # nothing written at all
    assert not (project / "docs" / MANIFEST).exists()


@pytest.mark.build
def test_render_never_overwrites_a_file_changed_since(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", "--out", "docs"]) == 0
    edited = project / "docs" / "overdue.md"
    edited.write_text("edited by hand\n", encoding="utf-8")
    assert main(["render", "--out", "docs"]) == 2
    assert "overdue.md (changed since render wrote it)" in capsys.readouterr().err
    assert edited.read_text(encoding="utf-8") == "edited by hand\n"


@pytest.mark.build
def test_render_removes_only_its_own_stale_files(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    third = "2026-05-03-search-stall-again.md"
    (project / "postmortems" / third).write_text(
        DRAFT.replace("2026-05-02", "2026-05-03"), encoding="utf-8"
    )
    assert main(["render", "--out", "docs"]) == 0
    pages = project / "docs" / "postmortems"
    (project / "postmortems" / "2026-05-02-search-stall.md").unlink()
    (project / "postmortems" / third).unlink()
    (pages / third).write_text("kept by hand\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["render", "--out", "docs"]) == 0
    assert not (pages / "2026-05-02-search-stall.md").exists()  # ours, unchanged: removed
    assert "postmortems/2026-05-02-search-stall.md" not in manifest(project / "docs")
    assert (pages / third).read_text(encoding="utf-8") == "kept by hand\n"  # edited: kept
    assert f"postmortems/{third}" in manifest(project / "docs")  # and still protected
    assert f"kept postmortems/{third}" in capsys.readouterr().err


@pytest.mark.build
def test_render_clean_removes_what_it_wrote(project: Path) -> None:
    assert main(["render", "--out", "docs"]) == 0
    kept = project / "docs" / "severity.md"
    kept.write_text("edited\n", encoding="utf-8")
    assert main(["render", "--out", "docs", "--clean"]) == 0
    remaining = sorted(
        p.relative_to(project / "docs").as_posix() for p in (project / "docs").rglob("*")
    )
    assert remaining == [MANIFEST, "index.md", "severity.md"]
    assert manifest(project / "docs") == {"severity.md": manifest(project / "docs")["severity.md"]}


@pytest.mark.build
@pytest.mark.parametrize("out", ["../elsewhere", "/tmp"])
def test_render_refuses_a_folder_outside_the_project(
    project: Path, out: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", "--out", out]) == 2
    assert "is outside the project" in capsys.readouterr().err


@pytest.mark.build
@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"version": 99, "files": {}}',
        '{"version": 1, "files": {"../../etc/passwd": "x"}}',
        '{"version": 1, "files": ["a"]}',
    ],
)
def test_render_refuses_a_damaged_manifest(
    project: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "docs" / MANIFEST).write_text(text, encoding="utf-8")
    assert main(["render", "--out", "docs"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert MANIFEST in err


@pytest.mark.build
def test_render_with_errors_writes_nothing_as_mkdocs_build(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = VALID.replace("severity: SEV2", "severity: SEV9")
    (project / "postmortems" / VALID_NAME).write_text(broken, encoding="utf-8")
    assert main(["render", "--out", "docs"]) == 1
    err = capsys.readouterr().err
    assert "PM104" in err
    assert "nothing was written" in err
    assert sorted(p.name for p in (project / "docs").iterdir()) == ["index.md"]


@pytest.mark.build
def test_render_with_errors_writes_the_pages_when_asked(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = VALID.replace("severity: SEV2", "severity: SEV9")
    (project / "postmortems" / VALID_NAME).write_text(broken, encoding="utf-8")
    assert main(["render", "--out", "docs", "--with-errors"]) == 1
    assert "PM104" in capsys.readouterr().err
    page = (project / "docs" / "postmortems" / VALID_NAME).read_text(encoding="utf-8")
    assert "PM104" in page  # the findings banner, as under mkdocs serve


# ---------------------------------------------------------------- the example, three ways


class Content(HTMLParser):
    """The links and the text inside a page's main content (``<article>``), theme chrome left
    out: the tags a theme shows from the page's ``tags`` (Zensical does, without a plugin)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.chrome = 0
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        elif self.chrome or (tag == "nav" and "md-tags" in (dict(attrs).get("class") or "")):
            self.chrome += 1
        elif self.depth and tag == "a":
            href = dict(attrs).get("href") or ""
            if href and not href.startswith("#"):
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if self.chrome:
            self.chrome -= 1
        elif tag == "article" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.chrome and data.strip():
            self.text.append(data.strip())


def content(site: Path, url: str) -> Content:
    parser = Content()
    parser.feed((site / url / "index.html").read_text(encoding="utf-8"))
    return parser


def copy_example(folder: Path) -> Path:
    folder.mkdir()
    for name in ("mkdocs.yml", "docs", "postmortems"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy(source, folder / name)
    return folder


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def mkdocs_site(example_site: Path) -> Path:
    """The example as ``mkdocs build`` builds it in this process (``mkdocs build`` as a
    command is tested with the hostile knowledge base): the build the browser tests read
    (``example_site`` in conftest.py, with the same ``SOURCE_DATE_EPOCH``), made once for
    the run whichever of them asks first. ProperDocs and Zensical run as commands."""
    return example_site


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built by ProperDocs, which answers every ``mkdocs.*`` import with its own module: the
    run fails if any module of the MkDocs package is loaded all the same."""
    example = copy_example(tmp_path_factory.mktemp("properdocs") / "example")
    probe = (
        "import atexit, runpy, sys, os\n"
        "def mkdocs_modules():\n"
        "    return sorted(n for n, m in list(sys.modules.items())\n"
        "        if (getattr(m, '__file__', None) or '').find(os.sep + 'mkdocs' + os.sep) >= 0)\n"
        "def report():\n"
        "    found = mkdocs_modules()\n"
        "    if found: print('MKDOCS MODULES:', found); os._exit(3)\n"
        "atexit.register(report)\n"
        "sys.argv = ['properdocs', 'build', '-q']\n"
        "runpy.run_module('properdocs', run_name='__main__')\n"
    )
    run([sys.executable, "-c", probe], example)
    return example / "site"


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    example = copy_example(tmp_path_factory.mktemp("zensical") / "example")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(example)
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        assert main(["render", "--out", "docs"]) == 0
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent))
    assert zensical, "zensical is a test dependency: pip install -e '.[test]'"
    run([zensical, "build"], example)
    return example / "site"


def postmortem_ids() -> list[str]:
    return sorted(p.stem for p in (ROOT / "postmortems").rglob("*.md"))


@pytest.mark.parametrize("generator", ["mkdocs_site", "properdocs_site", "zensical_site"])
def test_every_generator_publishes_every_page_and_the_overdue_draft(
    generator: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(generator)
    for ident in postmortem_ids():
        assert (site / "postmortems" / ident / "index.html").is_file(), ident
    for name in INDEX_PAGES:
        assert (site / name / "index.html").is_file(), name
    overdue = content(site, "overdue")
    assert f"../postmortems/{OVERDUE_DRAFT}/" in overdue.links
    assert (site / "assets" / "postmortems" / "explorer.js").is_file()
    assert (site / "postmortems" / "catalog.json").is_file()
    incidents = (site / "incidents" / "index.html").read_text(encoding="utf-8")
    assert "explorer.js" in incidents
    assert len(re.findall(r"<tr data-id=", incidents)) == len(postmortem_ids())


@pytest.mark.parametrize("generator", ["properdocs_site", "zensical_site"])
def test_the_generated_pages_say_the_same_on_every_generator(
    generator: str, mkdocs_site: Path, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(generator)
    urls = [f"postmortems/{ident}" for ident in postmortem_ids()] + list(INDEX_PAGES)
    for url in urls:
        expected, actual = content(mkdocs_site, url), content(site, url)
        # The same targets, however each generator spells a link ("./" or "../incidents/").
        base = f"http://site/{url}/"
        assert [urljoin(base, h) for h in actual.links] == [
            urljoin(base, h) for h in expected.links
        ], url
        # Headings differ only in the permalink mark a theme adds.
        assert [t for t in actual.text if t != "¶"] == [t for t in expected.text if t != "¶"], url


def test_zensical_search_finds_the_rendered_postmortems(zensical_site: Path) -> None:
    index = json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))
    located = {item["location"].split("#")[0] for item in index["items"]}
    assert {f"postmortems/{ident}/" for ident in postmortem_ids()} <= located


def test_links_on_the_rendered_pages_resolve(zensical_site: Path) -> None:
    for url in [f"postmortems/{ident}" for ident in postmortem_ids()] + list(INDEX_PAGES):
        for href in content(zensical_site, url).links:
            if re.match(r"[a-z]+:", href):
                continue
            target = (zensical_site / url / href.split("?")[0].split("#")[0]).resolve()
            assert target.exists() or (target / "index.html").exists(), f"{url}: {href}"
