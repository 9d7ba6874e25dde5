"""Every install line of the docs works as written, or names the step that makes it work.

The package is not on a package index: a line that installs ``mkdocs-postmortems`` by name
alone fails for every reader. It is installed from a tag of this repository (made by the
release workflow), from a wheel built from a clone, or, in this repository only, from the
clone itself. ``tests/test_adopt.py`` runs the tag and wheel lines of docs/adopt.md; this
file holds every other line to the same forms and versions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOME = "https://github.com/mkdocs-postmortems/mkdocs-postmortems"
FILES = sorted(
    [
        ROOT / "README.md",
        ROOT / ".pre-commit-hooks.yaml",
        ROOT / ".gitlab-ci.yml",
        *(ROOT / "docs").glob("*.md"),
        *(ROOT / ".github" / "workflows").glob("*.yml"),
    ]
)
# Where installing the clone itself (``pip install -e .``) is right: this repository's own
# development and CI; each says what to write in a repository of one's own instead.
FROM_THE_CLONE = {
    "README.md",
    "first-postmortem.md",
    ".gitlab-ci.yml",
    *(p.name for p in (ROOT / ".github" / "workflows").glob("*.yml")),
}
# A requirement on this package: its name, extras, and where it comes from.
REQUIREMENT = re.compile(r"(?<![\w/.-])mkdocs-postmortems(\[[\w,]+\])?(?P<rest>[^\"'\s]*\S*)")


def version() -> str:
    found = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert found
    return found[1]


def install_lines() -> list[tuple[str, str]]:
    lines = []
    for path in FILES:
        text = path.read_text(encoding="utf-8").replace("\\\n", " ")
        lines += [(path.name, line) for line in text.splitlines() if "pip install" in line]
    return lines


def test_there_are_install_lines_to_check() -> None:
    assert len(install_lines()) > 10


@pytest.mark.parametrize(("name", "line"), install_lines())
def test_the_package_is_never_installed_by_name_alone(name: str, line: str) -> None:
    # docs/releasing.md writes the version to come as X.Y.Z.
    pinned = "vX.Y.Z" if name == "releasing.md" else f"v{version()}"
    for match in REQUIREMENT.finditer(line):
        after = line[match.end(1) if match[1] else match.start() + len("mkdocs-postmortems") :]
        assert re.match(rf" @ git\+(https://\.\.\.|{re.escape(HOME)})@{pinned}\b", after), (
            name,
            line,
        )
    # A command (not a mention in a sentence, such as "replace `pip install -e .`") that
    # installs the clone itself.
    if re.search(r"^[\s$-]*(run: )?[\w/.]*python3? -m pip install .*-e ['\"]?\.", line):
        assert name in FROM_THE_CLONE, (name, line)
    wheel = re.search(r"mkdocs_postmortems-([^-]+)-py3-none-any\.whl", line)
    if wheel:
        assert wheel[1] in (version(), "$VERSION"), (name, line)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_pinned_version_is_this_version(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.name == "releasing.md":
        text = text.replace("vX.Y.Z", "")
    pins = re.findall(r"mkdocs-postmortems@v([\w.]+)|rev: v([\w.]+)|--branch v([\w.]+)", text)
    for pin in pins:
        assert "".join(pin) == version(), (path.name, pin)


def test_the_code_scanning_upload_is_the_current_major_version() -> None:
    uses = [
        int(found)
        for path in FILES
        for found in re.findall(r"codeql-action/upload-sarif@v(\d+)", path.read_text())
    ]
    assert uses
    assert min(uses) >= 4
