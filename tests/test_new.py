"""`postmortems new`: a draft from the template that passes the checker as written."""

from __future__ import annotations

import builtins
import io
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_postmortems.cli import scaffold
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core import frontmatter, knowledge_base
from mkdocs_postmortems.core.config import SECTIONS, Settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.rules import RULESET

STARTED = "2026-03-04T14:02:00Z"
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty knowledge base; stdin is not a terminal and git has no user name."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return tmp_path


def new(*args: str) -> int:
    return main(["new", *args])


def only_postmortem(folder: Path) -> PostMortem:
    kb = load(Settings(root=folder), RULESET)
    assert len(kb.postmortems) == 1
    return kb.postmortems[0]


def test_new_writes_a_draft_that_passes_check_with_no_findings(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = new(
        "Checkout API returned 500s after a config push",
        "--severity",
        "SEV2",
        "--started",
        STARTED,
        "--services",
        "checkout-api, config-service",
        "--authors",
        "Dana Whitfield,Omar Haddad",
    )
    assert code == 0
    out, err = capsys.readouterr()
    path = "postmortems/2026/2026-03-04-checkout-api-returned-500s-after-a-config-push.md"
    assert out == path + "\n"
    assert f"edit it, then run `postmortems check {path}`" in err
    pm = only_postmortem(folder)
    assert [f.format() for f in pm.findings] == []
    assert (pm.title, pm.severity, pm.status) == (
        "Checkout API returned 500s after a config push",
        "SEV2",
        "draft",
    )
    assert pm.started is not None
    assert pm.started.isoformat() == "2026-03-04T14:02:00+00:00"
    assert pm.services == ["checkout-api", "config-service"]
    assert pm.authors == ["Dana Whitfield", "Omar Haddad"]
    assert main(["check", "--strict", path]) == 0
    assert "1 file checked: 0 errors, 0 warnings" in capsys.readouterr().out


def test_template_has_every_section_with_guidance_in_comments(folder: Path) -> None:
    assert new("Search stalled", "--severity", "SEV3", "--services", "search") == 0
    pm = only_postmortem(folder)
    assert pm.body is not None
    assert [section.name for section in pm.body.sections] == list(SECTIONS)
    for name in SECTIONS:
        section = pm.body.section(name)
        assert section is not None
        assert any("<!--" in line.text for line in section.lines), name
    # Guidance is all that most sections hold, and the checker calls them empty; a draft
    # needs only a Summary with something in it.
    empty = [name for name in SECTIONS if pm.body.section(name).is_empty]  # type: ignore[union-attr]
    assert empty == ["Impact", "Root Causes", "What Went Well", "What Could Be Improved"]


HOSTILE = [
    'a: b #c "d"',
    "- looks like a list item",
    "yes",
    "null",
    "0x1F",
    "'single' and \"double\" quotes",
    "[flow] {mapping}",
    "*alias &anchor !tag %directive @mention `code`",
    "Café crème: ünïcödé ✓ 🚒",
    "ends with a colon:",
    "? a question",
    "| pipe > fold",
    "--- not a document marker",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_yaml_hostile_values_round_trip(folder: Path, title: str) -> None:
    assert new(title, "--severity", "SEV4", "--services", f"on,{title}", "--authors", title) == 0
    pm = only_postmortem(folder)
    assert pm.title == title
    assert pm.services == ["on", title]
    assert pm.authors == [title]
    assert [f.format() for f in pm.findings] == []


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40))
def test_yaml_scalar_reads_back_as_the_same_string(text: str) -> None:
    value = " ".join(text.split())
    if not value:
        return
    front, hits = frontmatter.parse(f"title: {scaffold.yaml_scalar(value)}\n", 3)
    assert hits == []
    assert front is not None
    assert front.data == {"title": value}


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Checkout API returned 500s", "checkout-api-returned-500s"),
        ("Café crème: ünïcödé!", "cafe-creme-unicode"),
        ("  --Spaces,   punctuation & CAPS--  ", "spaces-punctuation-caps"),
        ("Déjà vu in São Paulo (Ωmega)", "deja-vu-in-sao-paulo-omega"),
        ("支付服务中断", "zhi-fu-fu-wu-zhong-duan"),
        ("Сбой оплаты", "sboy-oplaty"),
        ("Straße gesperrt", "strasse-gesperrt"),
        ("!!!", "incident-e84c538e"),
        ("x" * 80, "x" * 60),
    ],
)
def test_slug(title: str, slug: str) -> None:
    assert knowledge_base.slugify(title) == slug


def test_long_slug_is_cut_at_a_word_boundary() -> None:
    title = "Orders database ran out of connections after the pool size was lowered in staging"
    slug = knowledge_base.slugify(title)
    assert len(slug) <= knowledge_base.SLUG_LIMIT
    assert slug == "orders-database-ran-out-of-connections-after-the-pool-size"
    assert title.lower().replace(" ", "-").startswith(slug + "-")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_slug_is_always_a_valid_file_name_slug(title: str) -> None:
    slug = knowledge_base.slugify(title)
    assert SLUG.fullmatch(slug)
    assert len(slug) <= knowledge_base.SLUG_LIMIT


def test_never_overwrites(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("DNS outage", "--severity", "SEV1", "--services", "dns", "--started", STARTED)
    assert new(*args) == 0
    path = folder / "postmortems/2026/2026-03-04-dns-outage.md"
    path.write_text("the author's work\n", encoding="utf-8")
    capsys.readouterr()
    assert new(*args) == 1
    assert "postmortems/2026/2026-03-04-dns-outage.md already exists" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "the author's work\n"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_write_new_never_replaces_a_file_that_appeared_meanwhile(tmp_path: Path) -> None:
    target = tmp_path / "2026" / "2026-03-04-x.md"
    target.parent.mkdir()
    target.write_text("written by someone else\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        scaffold.write_new(target, "ours\n", tmp_path)
    assert target.read_text(encoding="utf-8") == "written by someone else\n"
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_write_new_without_hard_links_still_refuses_to_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "2026-03-04-x.md"
    scaffold.write_new(target, "ours\n", tmp_path)
    assert target.read_text(encoding="utf-8") == "ours\n"
    with pytest.raises(FileExistsError):
        scaffold.write_new(target, "again\n", tmp_path)
    assert target.read_text(encoding="utf-8") == "ours\n"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--severity", "SEV2", "--services", "api"], "TITLE"),
        (["Title", "--services", "api"], "--severity"),
        (["Title", "--severity", "SEV2"], "--services"),
    ],
)
def test_missing_input_without_a_terminal_is_a_usage_error(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    named: str,
) -> None:
    def no_questions(prompt: str = "") -> str:
        raise AssertionError("asked a question without a terminal")

    monkeypatch.setattr(builtins, "input", no_questions)
    assert new(*args) == 2
    err = capsys.readouterr().err
    assert f"{named} is required" in err
    assert "not a terminal" in err
    assert not (folder / "postmortems").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["T", "--severity", "SEV9", "--services", "a"], "unknown severity 'SEV9'"),
        (["T", "--severity", "SEV2", "--services", " , "], "name at least one service"),
        (["  ", "--severity", "SEV2", "--services", "a"], "the title is empty"),
        (["T" * 201, "--severity", "SEV2", "--services", "a"], "keep it to 200"),
        (["T", "--severity", "SEV2", "--services", "a", "--started", "yesterday"], "--started"),
        (
            ["T", "--severity", "SEV2", "--services", "a", "--started", "2026-02-30T10:00"],
            "not a real date and time",
        ),
    ],
)
def test_bad_input_is_a_usage_error(
    folder: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert new(*args) == 2
    assert message in capsys.readouterr().err
    assert not (folder / "postmortems").exists()


def test_asks_for_what_is_missing_at_a_terminal(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["", "Payments double-charged", "SEV9", "sev2", "payments-gateway, ledger"])
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(answers))
    assert new("--started", STARTED) == 0
    captured = capsys.readouterr()
    assert captured.out == "postmortems/2026/2026-03-04-payments-double-charged.md\n"
    assert "Title (what users experienced): " in captured.err
    assert "the title is empty" in captured.err
    assert "Severity: SEV1 (Critical), SEV2 (Major), SEV3 (Minor), SEV4 (Low): " in captured.err
    assert "unknown severity 'SEV9'" in captured.err
    pm = only_postmortem(folder)
    assert (pm.title, pm.severity) == ("Payments double-charged", "SEV2")
    assert pm.services == ["payments-gateway", "ledger"]
    assert pm.findings == []


def test_asks_only_for_what_is_missing(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    questions: list[str] = []
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr(builtins, "input", lambda prompt="": questions.append(prompt) or "search")
    assert new("Search stalled", "--severity", "SEV3") == 0
    assert len(questions) == 1
    assert only_postmortem(folder).services == ["search"]


def test_end_of_input_at_a_prompt_writes_nothing(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def end_of_input(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr(builtins, "input", end_of_input)
    assert new("--severity", "SEV2", "--services", "api") == 2
    assert "cancelled; nothing was written" in capsys.readouterr().err
    assert not (folder / "postmortems").exists()


def test_started_defaults_to_now_in_utc(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772632950")  # 2026-03-04 14:02:30 UTC
    assert new("Now", "--severity", "SEV3", "--services", "api") == 0
    text = (folder / "postmortems/2026/2026-03-04-now.md").read_text(encoding="utf-8")
    assert "\nstarted: 2026-03-04T14:02:00Z" in text


@pytest.mark.parametrize(
    ("timezone", "started", "name", "written"),
    [
        ("Europe/Berlin", "2026-03-04T00:30", "2026-03-04", "2026-03-04T00:30:00+01:00"),
        ("UTC", "2026-03-04T00:30+01:00", "2026-03-03", "2026-03-03T23:30:00Z"),
        ("America/New_York", "2026-03-04 02:00Z", "2026-03-03", "2026-03-03T21:00:00-05:00"),
    ],
)
def test_started_and_the_file_date_use_the_configured_timezone(
    folder: Path, timezone: str, started: str, name: str, written: str
) -> None:
    (folder / "mkdocs.yml").write_text(
        f"site_name: x\nplugins:\n  - postmortems:\n      timezone: {timezone}\n"
    )
    assert new("Late night", "--severity", "SEV3", "--services", "api", "--started", started) == 0
    path = folder / f"postmortems/{name[:4]}/{name}-late-night.md"
    assert f"\nstarted: {written}" in path.read_text(encoding="utf-8")
    assert main(["check", "--strict"]) == 0


def test_services_are_checked_against_the_catalog(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "services.yml").write_text("- checkout-api\n- search\n")
    (folder / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - postmortems:\n      service_catalog: services.yml\n"
    )
    assert new("T", "--severity", "SEV2", "--services", "checkout-apis") == 2
    assert "'checkout-apis' is not in the service catalog (did you mean 'checkout-api'?)" in (
        capsys.readouterr().err
    )
    assert new("T", "--severity", "SEV2", "--services", "checkout-api") == 0


def test_authors_default_to_the_git_user_name(folder: Path) -> None:
    (folder / "no-gitconfig").write_text("[user]\n\tname = Dana Whitfield\n")
    assert new("Cache stampede", "--severity", "SEV3", "--services", "cdn") == 0
    assert only_postmortem(folder).authors == ["Dana Whitfield"]


def test_without_git_there_are_no_authors_and_the_draft_is_still_clean(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(folder / "empty"))
    assert new("Cache stampede", "--severity", "SEV3", "--services", "cdn") == 0
    pm = only_postmortem(folder)
    assert pm.authors == []
    assert pm.findings == []
    assert "# authors:" in pm.path.read_text(encoding="utf-8")


def test_folder_comes_from_the_settings(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "site").mkdir()
    (folder / "site" / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - postmortems:\n      folder: incidents\n"
    )
    args = ("Queue lag", "--severity", "SEV3", "--services", "kafka", "--started", STARTED)
    assert new(*args, "--config-file", "site/mkdocs.yml") == 0
    assert capsys.readouterr().out == "site/incidents/2026/2026-03-04-queue-lag.md\n"


def test_two_titles_in_another_script_on_one_day_get_two_files(folder: Path) -> None:
    for title in ("支付服务中断", "搜索服务中断", "🔥🔥", "⚠ ⚠ ⚠"):
        assert new(title, "--severity", "SEV2", "--services", "pay", "--started", STARTED) == 0
    names = sorted(p.name for p in (folder / "postmortems" / "2026").iterdir())
    assert len(names) == 4
    assert "2026-03-04-zhi-fu-fu-wu-zhong-duan.md" in names
    assert all(SLUG.fullmatch(name[11:-3]) for name in names)


def test_started_in_the_future_is_refused(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772633000")  # 2026-03-04 14:03:20 UTC
    args = ("DNS outage", "--severity", "SEV1", "--services", "dns", "--started")
    assert new(*args, "2030-03-04T14:02:00Z") == 2
    assert capsys.readouterr().err == (
        "postmortems: new: --started: 2030-03-04 14:02 (UTC) is in the future; give the time "
        "the incident started (a time without an offset is in UTC)\n"
    )
    assert not (folder / "postmortems").exists()
    # A clock a few minutes ahead of this one is not a mistake.
    assert new(*args, "2026-03-04T14:10:00Z") == 0
