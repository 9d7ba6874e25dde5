"""The distributions: PEP 639 licence metadata, and an sdist that holds what it needs."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from email.parser import Parser
from pathlib import Path

import pytest

from wheelhouse import bundled_wheels, offline_pip

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow(seconds=9)  # for the order of the parallel run (conftest.py)
@pytest.mark.subprocess
def test_the_sdist_has_the_package_and_its_licence_but_no_tests(tmp_path: Path) -> None:
    # The build backend comes from virtualenv's bundled wheels: no package index, no wait.
    env = {**os.environ, **offline_pip(bundled_wheels())}
    result = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "License classifiers are deprecated" not in result.stdout + result.stderr
    assert "`project.license` as a TOML table is deprecated" not in result.stdout + result.stderr
    (sdist,) = tmp_path.glob("mkdocs_postmortems-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        top = next(iter(archive.getnames())).split("/")[0]
        member = archive.extractfile(f"{top}/PKG-INFO")
        assert member is not None
        metadata = Parser().parsestr(member.read().decode("utf-8"))
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert float(metadata["Metadata-Version"]) >= 2.4
    assert {"LICENSE", "README.md", "pyproject.toml"} <= names
    assert "plugin/mkdocs_postmortems/site/templates/feed_link.html" in names
    assert "plugin/mkdocs_postmortems/site/assets/explorer.js" in names
    # Leaving the tests out, rather than half of them without conftest.py and tests/data.
    assert not [name for name in names if name.startswith("tests/")]
    assert not [name for name in names if "__pycache__" in name]
