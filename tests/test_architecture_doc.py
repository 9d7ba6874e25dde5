"""ARCHITECTURE.md stays the map of the package: every module is named in the table, in the
rows of its folder, and each folder heads one group of rows."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "plugin" / "mkdocs_postmortems"


def table() -> list[tuple[str, set[str]]]:
    """Each row of the module table: its folder (carried down from the row that names it)
    and the module names in its second column."""
    rows: list[tuple[str, set[str]]] = []
    folder = ""
    for line in (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or len(cells) < 3 or cells[0] in ("folder", "---"):
            continue
        folder = cells[0].strip("`").rstrip("/") or folder
        rows.append((folder if cells[0] else "", set(re.findall(r"`([a-z_]+)`", cells[1]))))
    return rows


def test_every_module_is_on_the_map() -> None:
    named: dict[str, set[str]] = {}
    folder = ""
    for head, modules in table():
        folder = head or folder
        named.setdefault(folder, set()).update(modules)
    missing = [
        path.relative_to(PACKAGE).with_suffix("").as_posix()
        for path in sorted(PACKAGE.glob("*/**/*.py"))
        if path.stem not in ("__init__", "__main__")
        and path.stem not in named.get(path.parent.relative_to(PACKAGE).as_posix(), set())
    ]
    assert missing == []


def test_each_folder_heads_one_group_of_rows() -> None:
    heads = [head for head, _ in table() if head]
    assert sorted(heads) == sorted(set(heads))
