"""`postmortems check --changed`: the files a branch changed, checked against every other file."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import DRAFT, VALID, isolated_git, write
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import _walk, find_files, load, load_changed, read_id
from mkdocs_postmortems.rules import RULESET

# Reviewed, every action item done: clean whatever the day.
CLEAN = VALID.replace("tags:", "reviewed: 2026-03-20\nreview_outcome: effective\ntags:").replace(
    "| open |", "| done |"
)
OLD = "2026-03-04-checkout-config-push.md"
OTHER = "2026-05-02-search-index-stalled.md"
BROKEN = CLEAN.replace("severity: SEV2", "severity: SEV9")


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, encoding="utf-8"
    )
    return result.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose `main` holds two clean post-mortems, on a branch `change`."""
    for key, value in isolated_git(tmp_path).items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = tmp_path / "kb"
    root.mkdir()
    monkeypatch.chdir(root)
    git(root, "init", "-q", "-b", "main")
    write(root, f"2026/{OLD}", CLEAN)
    write(root, f"2026/{OTHER}", DRAFT)
    (root / "README.md").write_text("# Incidents\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "knowledge base")
    git(root, "switch", "-q", "-c", "change")
    return root


def check_changed(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", "--changed", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_nothing_changed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_changed(capsys) == (0, "0 files checked: 0 errors, 0 warnings\n")


@pytest.mark.parametrize("state", ["committed", "staged", "unstaged", "untracked"])
def test_every_kind_of_change_is_checked(
    repo: Path, capsys: pytest.CaptureFixture[str], state: str
) -> None:
    path = repo / "postmortems/2026" / (OLD if state != "untracked" else "2026-03-04-new.md")
    path.write_text(BROKEN, encoding="utf-8")
    if state in ("committed", "staged"):
        git(repo, "add", "-A")
    if state == "committed":
        git(repo, "commit", "-q", "-m", "break it")
    code, out = check_changed(capsys)
    assert code == 1
    assert f"postmortems/2026/{path.name}:3:11: error PM104 unknown severity 'SEV9'" in out
    assert "1 file checked: 1 error" in out


def test_ignored_files_and_files_outside_the_folder_are_not_checked(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".gitignore").write_text("*.scratch.md\n")
    write(repo, "2026/2026-03-04-notes.scratch.md", BROKEN)
    (repo / "docs").mkdir()
    (repo / "docs" / "2026-03-04-elsewhere.md").write_text(BROKEN)
    (repo / "postmortems" / "README.md").write_text("no front matter\n")
    write(repo, "2026/_template.md", "no front matter\n")
    assert check_changed(capsys) == (0, "0 files checked: 0 errors, 0 warnings\n")


def test_a_deleted_file_is_not_checked(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "rm", "-q", f"postmortems/2026/{OTHER}")
    git(repo, "commit", "-q", "-m", "remove")
    assert check_changed(capsys, "main") == (0, "0 files checked: 0 errors, 0 warnings\n")


def test_a_link_to_a_deleted_file_is_reported_on_the_unchanged_file_that_has_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stem = Path(OTHER).stem
    write(repo, f"2026/{OLD}", CLEAN.replace("tags:", f"related: [{stem}]\ntags:"))
    git(repo, "commit", "-qam", "link")
    git(repo, "switch", "-q", "-c", "cleanup")
    git(repo, "rm", "-q", f"postmortems/2026/{OTHER}")
    code, out = check_changed(capsys, "change")
    assert code == 1
    assert f"error PM501 related id '{stem}' does not exist" in out
    assert out.startswith(f"postmortems/2026/{OLD}:")


def test_a_renamed_file_is_checked_under_its_new_name(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo, "mv", f"postmortems/2026/{OLD}", "postmortems/2026/2026-03-04-checkout-outage.md")
    code, out = check_changed(capsys)
    assert (code, out) == (0, "1 file checked: 0 errors, 0 warnings\n")


def test_changed_related_names_a_missing_id(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    typo = "2026-05-02-search-index-staled"
    write(repo, "2026/2026-06-01-new.md", CLEAN.replace("2026-03-04", "2026-06-01", 3))
    text = (repo / "postmortems/2026/2026-06-01-new.md").read_text()
    write(repo, "2026/2026-06-01-new.md", text.replace("tags:", f"related: [{typo}]\ntags:"))
    code, out = check_changed(capsys)
    assert code == 1
    hint = "(did you mean '2026-05-02-search-index-stalled'?)"
    assert f"error PM501 related id '{typo}' does not exist {hint}" in out
    # The same finding as the full check gives.
    assert main(["check"]) == 1
    assert f"related id '{typo}' does not exist {hint}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("ident", "noted"),
    [
        ("2026-05-02-search-index-stalled", ""),
        # Ids are one in any letter case: the unchanged file is found by its folded id.
        ("2026-05-02-Search-Index-Stalled", " (as '2026-05-02-search-index-stalled'"),
    ],
)
def test_changed_file_duplicates_the_id_of_an_unchanged_file(
    repo: Path, capsys: pytest.CaptureFixture[str], ident: str, noted: str
) -> None:
    # The changed file sorts first, so the full check reports the duplicate on the other;
    # the changed-files check reports it where the change is.
    write(repo, f"2026/{OLD}", CLEAN.replace("tags:", f"id: {ident}\ntags:"))
    code, out = check_changed(capsys)
    assert code == 1
    assert (
        f"postmortems/2026/{OLD}:14:5: error PM500 id '{ident}' is "
        f"already used by postmortems/2026/{OTHER}{noted}"
    ) in out


def test_related_may_name_an_explicit_id_of_an_unchanged_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, f"2026/{OTHER}", DRAFT.replace("status:", "id: search-stall\nstatus:"))
    git(repo, "commit", "-qam", "explicit id")
    write(repo, f"2026/{OLD}", CLEAN.replace("tags:", "related: [search-stall]\ntags:"))
    assert check_changed(capsys, "HEAD") == (0, "1 file checked: 0 errors, 0 warnings\n")


def test_github_and_json_formats(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, f"2026/{OLD}", BROKEN)
    code, out = check_changed(capsys, "main", "--format", "github")
    assert code == 1
    assert out.startswith(
        f"::error file=postmortems/2026/{OLD},line=3,col=11,title=PM104::unknown severity"
    )
    assert main(["check", "--changed", "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert (payload["files"], payload["errors"]) == (1, 1)


def test_default_base_is_origin_head(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--branch", "main", str(repo), str(clone))
    monkeypatch.chdir(clone)
    git(clone, "branch", "-q", "-m", "main", "feature")  # no local main: origin/HEAD it is
    write(clone, f"2026/{OLD}", BROKEN)
    git(clone, "commit", "-qam", "break")
    code, out = check_changed(capsys)
    assert code == 1
    assert "1 file checked: 1 error" in out


def test_no_default_branch_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "branch", "-q", "-m", "main", "trunk")
    code, out = check_changed(capsys)
    assert code == 2
    assert "cannot find the default branch (tried origin/HEAD, main, master)" in out


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("no-such-branch", "'no-such-branch' is not a commit"),
        ("--output=/tmp/x", "'--output=/tmp/x' is not a git ref"),
    ],
)
def test_bad_ref_is_a_usage_error(
    repo: Path, capsys: pytest.CaptureFixture[str], ref: str, message: str
) -> None:
    assert main(["check", f"--changed={ref}"]) == 2
    assert f"postmortems: --changed: {message}" in capsys.readouterr().err


def test_unrelated_history_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "switch", "-q", "--orphan", "island")
    git(repo, "commit", "-q", "--allow-empty", "-m", "unrelated")
    code, out = check_changed(capsys, "main")
    assert code == 2
    assert "no common commit" in out
    assert "fetch-depth: 0" in out


def test_not_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    write(tmp_path, OLD, CLEAN)
    code, out = check_changed(capsys)
    assert code == 2
    assert "is not in a git repository" in out


def test_git_missing(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(repo / "no-bin"))
    code, out = check_changed(capsys)
    assert code == 2
    assert "git is not installed" in out


def test_changed_and_paths_do_not_mix(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--changed", "main", "postmortems"]) == 2
    assert "give it no PATH" in capsys.readouterr().err


# read_id must give the id a full read gives, for every way a file can (not) set one.
ID_CASES = {
    "plain.md": "---\nid: plain-id\ntitle: x\n---\n",
    "double.md": '---\n"id": double-id\n---\n',
    "single.md": "---\n'id' : single-id\n---\n",
    "complex.md": "---\n? id\n: complex-id\n---\n",
    "flow.md": "---\n{title: x, id: flow-id}\n---\n",
    "escaped.md": '---\n"\\x69d": escaped-id\n---\n',
    "number.md": "---\nid: 42\n---\n",
    "crlf.md": "---\r\nid: crlf-id\r\n---\r\n",
    "bom.md": "\ufeff---\nid: bom-id\n---\n",
    "nested.md": "---\nimpact:\n  id: nested\n---\n",
    "body.md": "---\ntitle: x\n---\n\nid: body-only\n",
    "after-dots.md": "---\ntitle: x\n...\nid: after-the-end\n",
    "not-url-safe.md": "---\nid: not url safe\n---\n",
    "empty.md": "---\nid: ''\n---\n",
    "unclosed.md": "---\nid: never-closed\n",
    "no-front-matter.md": "id: not-front-matter\n",
    "late-opening.md": "\n---\nid: too-late\n---\n",
    "valid-word.md": "---\nvalid: x\nuser_id: y\nidle: z\n---\n",
    "duplicate-key.md": "---\nid: first\nid: second\n---\n",
    "tagged.md": "---\nid: !!python/name:os.system\n---\n",
}


def test_read_id_agrees_with_a_full_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in ID_CASES.items():
        write(tmp_path, name, text)
    write(tmp_path, "latin1.md", "---\nid: caf\xe9\n---\n".encode("latin-1"))
    settings = Settings(root=tmp_path)
    full = {pm.path.name: pm.id for pm in load(settings, RULESET).postmortems}
    quick = {
        path.name: read_id(path.read_bytes(), path.stem, settings)
        for path in (tmp_path / "postmortems").iterdir()
    }
    assert quick == full
    assert full["plain.md"] == "plain-id"
    assert full["escaped.md"] == "escaped-id"
    assert full["body.md"] == "body"


def test_load_changed_matches_load_on_the_changed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in ID_CASES.items():
        write(tmp_path, name, text)
    changed = write(tmp_path, "2026-06-01-linked.md", "---\nrelated: [plain-id, flow-idd]\n---\n")
    settings = Settings(root=tmp_path)
    quick = load_changed(settings, RULESET, [changed])
    full = [f for f in load(settings, RULESET).findings if f.path.endswith("linked.md")]
    assert [f.format() for f in quick.findings] == [f.format() for f in full]
    assert any("did you mean 'flow-id'" in f.message for f in full)


def test_quick_walk_finds_what_find_files_finds(tmp_path: Path) -> None:
    names = ["a.md", ".md", "..md", "README.md", "_x.md", "x.MD", "readme.md", "x.md.bak"]
    for name in [*names, "sub/b.md", "sub/c.markdown", ".hidden/d.md", "img.png"]:
        write(tmp_path, name, "x")
    expected = [str(path.resolve()) for path in find_files([tmp_path / "postmortems"])]
    assert _walk(tmp_path / "postmortems") == expected
    found = [Path(p).name for p in expected]
    assert found == ["..md", ".md", "a.md", "readme.md", "b.md", "c.markdown", "x.MD"]


def test_a_postmortem_that_repeats_an_earlier_one_names_it_and_its_open_items(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pull request adding an incident like one in the knowledge base: a notice names the
    earlier one and what it left open; the check's result is that of the findings alone."""
    earlier = repo / "postmortems/2026" / OLD
    earlier.write_text(CLEAN.replace("| done | OPS-102 |", "| open | OPS-102 |"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "an item still open")
    git(repo, "switch", "-q", "-c", "repeat")
    again = CLEAN.replace("2026-03-04", "2026-04-20").replace("2026-03-06", "2026-04-22")
    again = again.replace("2026-03-20", "2026-05-20")
    write(repo, "2026/2026-04-20-checkout-config-push-again.md", again)
    code, out = check_changed(capsys, "change")
    assert code == 0
    notice = (
        "postmortems/2026/2026-04-20-checkout-config-push-again.md:1:1: notice has this happened "
        "before? 2026-03-04-checkout-config-push (SEV2, 2026-03-04; same service: checkout-api, "
        "config-service · same kind: config, deploy) has 1 open action item: 'Roll config out "
        "one region at a time' (Omar Haddad)"
    )
    assert notice in out
    assert "1 file checked: 0 errors, 0 warnings" in out
    code, out = check_changed(capsys, "change", "--format", "github")
    assert code == 0
    assert (
        "::notice file=postmortems/2026/2026-04-20-checkout-config-push-again.md,line=1,"
        "title=Similar incident::has this happened before? 2026-03-04-checkout-config-push"
    ) in out
    # With an error in the file the exit code is the findings', notices or not.
    write(repo, "2026/2026-04-20-checkout-config-push-again.md", again.replace("SEV2", "SEV9"))
    code, out = check_changed(capsys, "change", "--format", "json")
    assert code == 1
    payload = json.loads(out)
    assert payload["errors"] == 1
    assert payload["notices"][0]["path"].endswith("2026-04-20-checkout-config-push-again.md")


def test_an_unrelated_change_has_no_notice(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, f"2026/{OTHER}", DRAFT.replace("rebuild stalled", "rebuild stalled again"))
    code, out = check_changed(capsys)
    assert code == 0
    assert "notice" not in out
