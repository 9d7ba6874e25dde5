"""The plugin and the commands without the ``[site]`` extra's optional packages.

ProperDocs, or MkDocs with a theme of its own, runs the plugin with none of mkdocs-material,
Pagefind or cbor2 installed: nothing may import them before it needs them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import VALID, VALID_NAME, write

# A meta-path finder that makes the optional packages not installed, in a fresh interpreter.
WITHOUT_EXTRAS = textwrap.dedent(
    """
    import sys

    class Missing:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Missing())
    """
)


def run_without_extras(
    code: str, cwd: Path, blocked: tuple[str, ...] = ("cbor2", "pagefind", "material")
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", f"BLOCKED = {blocked!r}\n" + WITHOUT_EXTRAS + textwrap.dedent(code)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_site_builds_without_pagefind_cbor2_or_material(tmp_path: Path) -> None:
    write(tmp_path, VALID_NAME, VALID)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Incidents\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Incidents\ntheme: {name: mkdocs}\nplugins:\n  - postmortems\n",
        encoding="utf-8",
    )
    result = run_without_extras(
        """
        from mkdocs.__main__ import cli
        cli(["build", "--quiet"], standalone_mode=False)
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "site" / "postmortems" / VALID_NAME[:-3] / "index.html").is_file()


def test_pagefind_on_without_cbor2_stops_before_the_build_with_a_clear_error(
    tmp_path: Path,
) -> None:
    result = run_without_extras(
        """
        from mkdocs_postmortems.site.pagefind import PagefindError, pagefind_executable
        try:
            pagefind_executable()
        except PagefindError as exc:
            print(exc)
        """,
        tmp_path,
        blocked=("cbor2",),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == "cbor2, which Pagefind's index needs, is not installed\n"
