"""docs/adopt.md, followed word for word by a new user in an empty folder.

Every command of its walkthrough (sections 1 to 3) runs in order in one shell, and every
file it shows is written where it says, with one substitution: the project's GitHub
address becomes a local clone of this checkout, tagged as the docs' version, since tests
do not reach GitHub. So the walkthrough installs from a git tag and from a wheel built from
a clone, starts a post-mortem, checks it, builds the site and commits through the
pre-commit hook: any step that fails for a new user fails here.

pip installs with no index, from a folder of wheels of the dependencies repacked from the
ones installed with the tests (``tests/wheelhouse.py``): the walkthrough runs offline and in
seconds, and the package itself is still built from the clone of this checkout at each
step that installs it (the tag, the wheel, the pre-commit hook's own environment).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import isolated_git
from wheelhouse import build_wheelhouse, offline_pip

ROOT = Path(__file__).resolve().parent.parent
GITHUB = "https://github.com/mkdocs-postmortems/mkdocs-postmortems"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def project_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^version = "([^"]+)"', text, re.M)
    assert found
    return found[1]


def walkthrough() -> str:
    """Sections 1 to 3 of docs/adopt.md."""
    text = (ROOT / "docs" / "adopt.md").read_text(encoding="utf-8")
    start, end = text.index("\n## 1. "), text.index("\n## 4. ")
    return text[start:end]


def script_of(markdown: str) -> str:
    """The walkthrough as one shell script: each ``$`` line of a console block, and each
    file block (its first line a comment naming the file) written where it says."""
    lines = ["set -eux"]
    for lang, body in BLOCK.findall(markdown):
        first = body.split("\n", 1)[0]
        if lang == "console":
            lines += [line[2:] for line in body.splitlines() if line.startswith("$ ")]
        elif lang == "yaml" and re.fullmatch(r"# [\w./-]+", first):
            lines.append(f"cat > {first[2:]} <<'END_OF_FILE'\n{body}END_OF_FILE")
    return "\n".join(lines) + "\n"


def test_the_walkthrough_names_this_version() -> None:
    version = project_version()
    text = walkthrough()
    assert f"@v{version}" in text
    assert f"rev: v{version}" in text
    assert f"mkdocs_postmortems-{version}-py3-none-any.whl" in text


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the walkthrough installs besides the package: its ``[site]`` requirements and
    pre-commit."""
    return build_wheelhouse(
        tmp_path_factory.mktemp("wheelhouse"),
        ["mkdocs-postmortems[site]", "pre-commit"],
        leave_out="mkdocs-postmortems",
    )


def new_users_python(folder: Path) -> str:
    """A folder whose ``python3`` is the interpreter the tests run on (outside their virtual
    environment): the repacked wheels with compiled parts are built for that one."""
    folder.mkdir()
    (folder / "python3").symlink_to(getattr(sys, "_base_executable", sys.executable))
    return str(folder)


@pytest.mark.install
def test_a_new_user_follows_adopt_md_word_for_word(tmp_path: Path, wheelhouse: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("VIRTUAL_ENV", "PYTHON", "PRE_COMMIT", "SOURCE_DATE", "PIP_"))
    }
    env.update(isolated_git(tmp_path))
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-cache")
    env.update(offline_pip(wheelhouse))
    env["NO_MKDOCS_2_WARNING"] = "1"
    # The project's own virtual environment must not leak into the new user's shell.
    venv_bin = str(Path(sys.executable).parent)
    path = [p for p in env["PATH"].split(os.pathsep) if p != venv_bin]
    env["PATH"] = os.pathsep.join([new_users_python(tmp_path / "python"), *path])

    version = project_version()
    upstream = tmp_path / "upstream"
    subprocess.run(
        ["git", "clone", "--quiet", str(ROOT), str(upstream)], env=env, check=True, timeout=120
    )
    subprocess.run(
        ["git", "-C", str(upstream), "tag", f"v{version}"], env=env, check=True, timeout=60
    )
    # file://localhost/...: older pip refuses a git+file:/// URL with no host.
    script = script_of(walkthrough()).replace(GITHUB, f"file://localhost{upstream.as_posix()}")
    assert "pre-commit install" in script
    assert "mkdocs build --strict" in script

    kb = tmp_path / "incidents"
    kb.mkdir()
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=kb,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"postmortems check\.+Passed", result.stdout + result.stderr)
    assert (kb / "site" / "index.html").is_file()
    # The package the site was built with is the one installed from the clone, not a
    # repacked wheel nor the checkout the tests import.
    installed = subprocess.run(
        [
            kb / ".venv" / "bin" / "python",
            "-c",
            "import mkdocs_postmortems as m; print(m.__file__)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(installed).is_relative_to(kb / ".venv"), installed
    assert not list(wheelhouse.glob("mkdocs_postmortems*"))
    assert (kb / "site" / "postmortems" / "feed.xml").is_file()
    (written,) = (kb / "postmortems").rglob("*.md")
    log = subprocess.run(
        ["git", "log", "--name-only", "--format=%s"],
        cwd=kb,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Start the incident knowledge base" in log
    assert written.relative_to(kb).as_posix() in log

    # The hook now stands guard: a broken post-mortem cannot be committed.
    broken = written.with_name(written.name.replace(".md", "-copy.md"))
    broken.write_text(written.read_text(encoding="utf-8").replace("SEV2", "SEV9"), "utf-8")
    subprocess.run(["git", "add", "."], cwd=kb, env=env, check=True)
    commit = subprocess.run(
        ["git", "commit", "-m", "broken"],
        cwd=kb,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert commit.returncode == 1
    assert "PM104" in commit.stdout + commit.stderr
