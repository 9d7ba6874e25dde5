"""`postmortems check` over the whole folder keeps only each file's outline, with the same
findings as the full load the site uses."""

from __future__ import annotations

import gc
import json
import os
import weakref
from pathlib import Path

import pytest

from conftest import DRAFT, VALID, VALID_NAME, write
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core import knowledge_base, reader
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import (
    check_changed,
    check_folder,
    load,
    load_changed,
    resolve_findings,
)
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.rules import RULESET

OTHER = "2026-05-02-search-index-stalled.md"
# A person the knowledge base knows from another file's front matter, named in Root Causes.
BLAMES_KNOWN = VALID.replace(
    "because its schema had no minimum.",
    "because its schema had no minimum. Priya Raman forgot to check it, a careless mistake.",
).replace("Omar Haddad", "Priya Raman")


def messy(root: Path) -> None:
    """A folder with every kind of finding the checks across files report, and silences."""
    write(root, VALID_NAME, VALID)
    write(root, OTHER, DRAFT)
    # Same id in another letter case, in another year: a duplicate.
    write(
        root,
        "2025/2025-01-02-dup.md",
        VALID.replace("---\n", "---\nid: 2026-03-04-CHECKOUT-config-push\n", 1),
    )
    # A reserved id, a related id that resolves nowhere, one that does.
    write(root, "2026-03-05-reserved.md", VALID.replace("---\n", "---\nid: catalog.json\n", 1))
    write(
        root,
        "2026-03-06-related.md",
        VALID.replace("---\n", f"---\nrelated: [nowhere, {OTHER[:-3]}]\n", 1),
    )
    # A known person named in Root Causes (known from the other file's facilitator).
    write(root, "2026-03-07-blames.md", BLAMES_KNOWN)
    write(
        root,
        "2026-03-08-silenced.md",
        "<!-- postmortems: ignore-file PM502 a test -->\n"
        + VALID.replace("---\n", "---\nid: Catalog.JSON\n", 1),
    )
    write(root, "2026-03-09-not-utf8.md", VALID.encode() + b"\xff")
    write(root, "Bad Name.md", VALID)
    write(root, "2026-03-10-no-front-matter.md", "## Summary\n\nNothing above.\n")
    os.symlink("/etc/hostname", root / "postmortems" / "2026-03-11-outside.md")


def test_same_findings_as_the_full_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    messy(tmp_path)
    monkeypatch.chdir(tmp_path)
    settings = Settings(root=tmp_path)
    full = load(settings, RULESET).findings
    outlines = check_folder(settings, RULESET)
    lean = sorted(f for o in outlines for f in resolve_findings(o, o.hits, settings, RULESET))
    assert lean == full
    assert len(outlines) == len(load(settings, RULESET).postmortems) == 11
    # The checks across files did run: duplicates, reserved ids, broken links, known names.
    assert {"PM500", "PM501", "PM502", "BL001", "PM003", "PM001", "PM020"} <= {f.code for f in lean}
    assert [f.path for f in lean if f.code == "PM502"] == ["postmortems/2026-03-05-reserved.md"]


def test_cli_prints_what_the_full_load_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    messy(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    full = load(Settings(root=tmp_path), RULESET).findings
    assert printed["files"] == 11
    assert [
        (f["path"], f["line"], f["col"], f["code"], f["message"]) for f in printed["findings"]
    ] == [(f.path, f.line, f.col, f.code, f.message) for f in full]


def test_no_post_mortem_outlives_its_own_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each parsed file is let go once its checks have run: nothing but the outline stays."""
    messy(tmp_path)
    monkeypatch.chdir(tmp_path)
    alive: list[weakref.ref[PostMortem]] = []
    read = reader.read_postmortem

    def watched(*args: object, **kwargs: object) -> PostMortem:
        pm = read(*args, **kwargs)  # type: ignore[arg-type]
        alive.append(weakref.ref(pm))
        return pm

    monkeypatch.setattr(knowledge_base, "read_postmortem", watched)
    outlines = check_folder(Settings(root=tmp_path), RULESET)
    gc.collect()
    assert len(alive) == len(outlines) == 11
    assert [ref for ref in alive if ref() is not None] == []


def test_given_files_the_same_findings_as_the_full_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check PATH...` and `--changed` keep outlines too, and find what load_changed finds."""
    messy(tmp_path)
    monkeypatch.chdir(tmp_path)
    settings = Settings(root=tmp_path)
    folder = tmp_path / "postmortems"
    given = [folder / "2025/2025-01-02-dup.md", folder / "2026-03-07-blames.md"]
    given.append(folder / "2026-03-09-not-utf8.md")
    full = load_changed(settings, RULESET, given, ["2026-05-02-search-index-stalled"]).findings
    outlines = check_changed(settings, RULESET, given, ["2026-05-02-search-index-stalled"])
    lean = sorted(f for o in outlines for f in resolve_findings(o, o.hits, settings, RULESET))
    assert lean == full
    assert {"PM500", "PM501", "BL001", "PM003"} <= {f.code for f in lean}
    # The unchanged file that links the removed id is checked too.
    assert "postmortems/2026-03-06-related.md" in [o.display for o in outlines]
    assert len(outlines) == 4
