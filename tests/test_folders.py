"""A folder that does not exist, holds no post-mortems, or lies outside the project is a
configuration error (exit 2) for every command, never a clean run over nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import VALID, VALID_NAME
from mkdocs_postmortems.cli.main import main


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "none"))
    return root


def _folder(root: Path, folder: str) -> None:
    (root / "mkdocs.yml").write_text(
        f"site_name: x\nplugins:\n  - postmortems:\n      folder: {folder}\n", encoding="utf-8"
    )


@pytest.mark.parametrize("command", [["check"], ["overdue"]])
def test_misspelt_folder_is_a_configuration_error(
    project: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    (project / "postmortems").mkdir()
    (project / "postmortems" / VALID_NAME).write_text(VALID, encoding="utf-8")
    _folder(project, "postmortem")
    assert main(command) == 2
    err = capsys.readouterr().err
    assert "the folder 'postmortem' does not exist" in err
    assert "did you mean 'postmortems'?" in err


@pytest.mark.parametrize("command", [["check"], ["overdue"]])
def test_folder_without_postmortems_is_a_configuration_error(
    project: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    (project / "postmortems").mkdir()
    (project / "postmortems" / "README.md").write_text("# Our incidents\n", encoding="utf-8")
    assert main(command) == 2
    assert "holds no post-mortems" in capsys.readouterr().err


@pytest.mark.parametrize("folder", ["/etc", "../elsewhere", "postmortems/../../elsewhere"])
@pytest.mark.parametrize(
    "command",
    [["check"], ["overdue"], ["new", "Disk full", "--severity", "SEV3", "--services", "db"]],
)
def test_folder_outside_the_project_is_refused_by_every_command(
    project: Path, capsys: pytest.CaptureFixture[str], folder: str, command: list[str]
) -> None:
    _folder(project, folder)
    (project.parent / "elsewhere").mkdir(exist_ok=True)
    assert main(command) == 2
    assert "is outside the project" in capsys.readouterr().err
    assert not list((project.parent / "elsewhere").iterdir())


def test_new_starts_a_brand_new_knowledge_base(project: Path) -> None:
    _folder(project, "reviews")
    assert main(["new", "Disk full", "--severity", "SEV3", "--services", "db"]) == 0
    assert len(list((project / "reviews").rglob("*.md"))) == 1
    assert main(["check"]) == 0


def test_the_inside_the_project_check_never_answers_from_an_earlier_run(tmp_path: Path) -> None:
    """A folder resolved once is not trusted later: replaced by a link out of the project
    between two checks, with nobody resetting anything, the second check sees the link."""
    from mkdocs_postmortems.core.files import folders_resolved_once, inside, read_file

    root, outside = tmp_path / "project", tmp_path / "elsewhere"
    (root / "postmortems").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.md").write_text("secret\n", encoding="utf-8")
    (root / "postmortems" / "secret.md").write_text("ours\n", encoding="utf-8")
    target = root / "postmortems" / "secret.md"
    with folders_resolved_once():
        assert inside(target, root)
    assert inside(target, root)
    (root / "postmortems" / "secret.md").unlink()
    (root / "postmortems").rmdir()
    (root / "postmortems").symlink_to(outside, target_is_directory=True)
    assert not inside(target, root)
    with folders_resolved_once():
        assert not inside(target, root)
        with pytest.raises(Exception, match="outside"):
            read_file(target, root)
