"""What the commands write: only inside the project, never through a symbolic link, never
over a file they did not write, and never a render into the post-mortem folder.

The links are made in temporary folders, as a pull request could commit them: a year
folder, a folder inside the docs folder, the docs folder itself.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import DRAFT, VALID, VALID_NAME
from mkdocs_postmortems.adapters.folder import MANIFEST
from mkdocs_postmortems.cli import main
from mkdocs_postmortems.core import files

EPOCH = "1795564800"  # 2026-11-25T00:00:00Z
IMPORT_SOURCE = Path(__file__).parent / "data" / "import" / "jekyll.md"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, with a file in it that no command may touch."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "keep.txt").write_text("not the project's\n", encoding="utf-8")
    return folder


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / "postmortems").mkdir(parents=True)
    (root / "postmortems" / VALID_NAME).write_text(VALID, encoding="utf-8")
    (root / "postmortems" / "2026-05-02-search-stall.md").write_text(DRAFT, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return root


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its text, links not followed."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
    return found


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a command that must be refused: exit 2, a one-line reason, no traceback."""
    assert main(list(args)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    return err


# ---------------------------------------------------------------- render


def test_render_refuses_a_linked_folder_inside_out(
    project: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(outside)
    (project / "docs" / "postmortems").symlink_to(outside, target_is_directory=True)
    err = refused(capsys, "render", "--out", "docs")
    assert "symbolic link" in err
    assert tree(outside) == before  # nothing written through the link
    assert sorted(p.name for p in (project / "docs").iterdir()) == ["index.md", "postmortems"]


def test_render_never_removes_through_a_link_a_manifest_names(
    project: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The manifest names a file and its hash; the folder it was in is now a link out of the
    project to a file with that very content. It is not removed."""
    assert main(["render", "--out", "docs"]) == 0
    pages = project / "docs" / "postmortems"
    (project / "postmortems" / "2026-05-02-search-stall.md").unlink()
    (outside / "2026-05-02-search-stall.md").write_bytes(
        (pages / "2026-05-02-search-stall.md").read_bytes()
    )
    shutil.rmtree(pages)
    pages.symlink_to(outside, target_is_directory=True)
    before = tree(outside)
    capsys.readouterr()
    err = refused(capsys, "render", "--out", "docs")
    assert "symbolic link" in err
    assert tree(outside) == before
    assert main(["render", "--out", "docs", "--clean"]) == 2
    assert tree(outside) == before


def test_render_refuses_an_out_folder_that_is_a_link(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "site-docs").symlink_to(project / "docs", target_is_directory=True)
    err = refused(capsys, "render", "--out", "site-docs")
    assert "symbolic link" in err
    assert tree(project / "docs") == {"index.md": "# Home\n"}


def test_render_refuses_an_out_folder_through_a_link_inside_it(
    project: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "generated").symlink_to(outside, target_is_directory=True)
    err = refused(capsys, "render", "--out", "generated/docs")
    assert "symbolic link" in err
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]


@pytest.mark.parametrize(
    ("out", "reason"),
    [
        (".", "the project's own folder"),
        ("postmortems", "post-mortem folder"),
        ("postmortems/site", "post-mortem folder"),
        ("postmortems/../postmortems/2026", "post-mortem folder"),
    ],
)
def test_render_refuses_the_project_and_the_postmortem_folder(
    project: Path, out: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(project)
    err = refused(capsys, "render", "--out", out)
    assert reason in err
    assert tree(project) == before


def test_render_refuses_a_folder_that_holds_the_postmortem_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "mkdocs.yml").write_text(
        "plugins:\n  - postmortems:\n      folder: docs/postmortems\n", encoding="utf-8"
    )
    (project / "postmortems").rename(project / "docs" / "postmortems")
    before = tree(project)
    err = refused(capsys, "render", "--out", "docs")
    assert "post-mortem folder" in err
    assert tree(project) == before


def test_render_replaces_a_planted_link_at_a_page_it_owns_never_writing_through(
    project: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link where a page of render's was is not render's: refused, the target untouched."""
    assert main(["render", "--out", "docs"]) == 0
    page = project / "docs" / "overdue.md"
    page.unlink()
    page.symlink_to(outside / "keep.txt")
    capsys.readouterr()
    err = refused(capsys, "render", "--out", "docs")
    assert "overdue.md" in err
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "not the project's\n"


# ---------------------------------------------------------------- bad manifests


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        "null",
        "1" * 100_000,
        "[" * 100_000 + "]" * 100_000,
        '{"version": 1, "files": {"a": {"b": "c"}}}',
        '{"version": 1, "files": {"overdue.md": "not a digest"}}',
        '{"version": 1, "files": {"": "' + "0" * 64 + '"}}',
        '{"version": 1, "files": {"a\\u0000b.md": "' + "0" * 64 + '"}}',
        '{"version": 1, "files": {"./overdue.md": "' + "0" * 64 + '"}}',
        '{"version": 1, "files": {"a\\\\..\\\\..\\\\x": "' + "0" * 64 + '"}}',
        '{"version": 1e999, "files": {}}',
    ],
    ids=[
        "list",
        "null",
        "huge-number",
        "deep",
        "nested-entry",
        "not-a-digest",
        "empty-path",
        "nul",
        "dot",
        "backslashes",
        "infinite-version",
    ],
)
def test_a_bad_manifest_is_a_clear_error_and_nothing_is_removed(
    project: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", "--out", "docs"]) == 0
    (project / "docs" / MANIFEST).write_text(text, encoding="utf-8")
    before = tree(project / "docs")
    capsys.readouterr()
    for args in (["render", "--out", "docs"], ["render", "--out", "docs", "--clean"]):
        err = refused(capsys, *args)
        assert MANIFEST in err
        assert tree(project / "docs") == before


def test_a_manifest_over_the_limit_is_refused_unread(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mkdocs_postmortems.adapters import folder

    monkeypatch.setattr(folder, "MANIFEST_MAX_BYTES", 100)
    (project / "docs" / MANIFEST).write_text(
        json.dumps({"version": 1, "files": {}, "about": "x" * 200}), encoding="utf-8"
    )
    err = refused(capsys, "render", "--out", "docs")
    assert "over the limit" in err


# ---------------------------------------------------------------- new and import


def test_new_refuses_a_year_folder_that_links_out_of_the_project(
    project: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "postmortems" / "2026").symlink_to(outside, target_is_directory=True)
    args = ["new", "DNS outage", "--severity", "SEV1", "--services", "dns"]
    err = refused(capsys, *args, "--started", "2026-03-04T14:02Z")
    assert "symbolic link" in err
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]


def test_new_refuses_a_year_folder_that_links_inside_the_project(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Even inside the project: the file would land where `check` does not read it."""
    (project / "elsewhere").mkdir()
    (project / "postmortems" / "2026").symlink_to(project / "elsewhere")
    args = ["new", "DNS outage", "--severity", "SEV1", "--services", "dns"]
    refused(capsys, *args, "--started", "2026-03-04T14:02Z")
    assert list((project / "elsewhere").iterdir()) == []


def test_import_refuses_a_year_folder_that_links_out_and_writes_nothing(
    project: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(IMPORT_SOURCE), "--dry-run", "--format", "json"]) == 0
    target = Path(json.loads(capsys.readouterr().out)["files"][0]["target"])
    year = project / target.parent
    year.symlink_to(outside, target_is_directory=True)
    err = refused(capsys, "import", str(IMPORT_SOURCE))
    assert "symbolic link" in err
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]


# ---------------------------------------------------------------- the write functions


def test_writable_refuses_every_link_on_the_way_and_at_the_end(
    tmp_path: Path, outside: Path
) -> None:
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "a" / "b").symlink_to(outside, target_is_directory=True)
    (root / "a" / "file.md").symlink_to(outside / "keep.txt")
    (root / "a" / "fifo").mkdir()
    for path in (
        root / "a" / "b" / "c" / "x.md",
        root / "a" / "b" / "keep.txt",
        root / "a" / "file.md",
    ):
        with pytest.raises(files.NotWritten, match="symbolic link"):
            files.writable(path, root)
    with pytest.raises(files.NotWritten, match="outside the project"):
        files.writable(root / ".." / "outside" / "keep.txt", root)
    with pytest.raises(files.NotWritten, match="a folder"):
        files.writable(root / "a" / "fifo", root)
    assert files.writable(root / "a" / "new" / "x.md", root) == root / "a" / "new" / "x.md"


def test_the_write_functions_never_go_through_a_link(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "year").symlink_to(outside, target_is_directory=True)
    (root / "page.md").symlink_to(outside / "keep.txt")
    with pytest.raises(files.NotWritten):
        files.create_file(root / "year" / "x.md", b"x", root)
    with pytest.raises(files.NotWritten):
        files.replace_file(root / "year" / "keep.txt", b"x", root)
    with pytest.raises(files.NotWritten):
        files.replace_file(root / "page.md", b"x", root)
    with pytest.raises(files.NotWritten):
        files.remove_file(root / "year" / "keep.txt", root)
    with pytest.raises(files.NotWritten):
        files.make_folders(root / "year" / "deeper", root)
    with pytest.raises(files.NotWritten):
        files.remove_empty_folder(root / "year", root)
    assert tree(outside) == {"keep.txt": "not the project's\n"}
    assert (root / "page.md").is_symlink()


def test_the_project_may_itself_be_reached_through_a_link(tmp_path: Path) -> None:
    """Where the user chose to run is theirs: only links below the project are refused."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "via").symlink_to(real, target_is_directory=True)
    files.create_file(tmp_path / "via" / "2026" / "x.md", b"x", tmp_path / "via")
    files.create_file(real / "2026" / "y.md", b"y", tmp_path / "via")
    assert sorted(os.listdir(real / "2026")) == ["x.md", "y.md"]
