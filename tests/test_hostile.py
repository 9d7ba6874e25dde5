"""Hostile and careless input, one named test per defect: a file that links out of the
project, a FIFO, a huge value, a date at the end of the calendar, a configuration value that
used to raise, a page key that broke the build, a value that forged a finding line.

tests/test_hostile_pipeline.py runs the same kinds of input through the whole pipeline.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DRAFT, VALID, VALID_NAME, Checker, write
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.config import ConfigError, Settings, settings_from_options
from mkdocs_postmortems.core.dates import now
from mkdocs_postmortems.core.findings import Finding
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase, load
from mkdocs_postmortems.rules import RULES, RULESET
from sitebuild import build_site, html, write_project

SECRET = "TOP-SECRET-7f3a9c"


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


# How much longer than its CPU time a guarded process may take on the clock: on a machine
# shared with other jobs it may wait for a core most of the time; it is stopped at this
# multiple even if it never runs (stuck waiting, not working).
WAITING = 10


def finishes(work: Callable[[], Any], seconds: float = 30) -> Any:
    """Run ``work`` in a forked process and return its result; fail, instead of hanging the
    suite, once it has used ``seconds`` of CPU time (or ``WAITING`` times that on the clock).

    A hang guard, not a speed test: every input here takes a second at most once fixed, and
    minutes, or forever, before. CPU time, not the clock: on a busy machine the same work
    took 17 s where 15 were allowed. A process, not a thread: a regular expression never
    lets go of the interpreter lock, so a thread could not be given up on.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=lambda: sender.send(work()), daemon=True)
    process.start()
    sender.close()
    started = time.monotonic()
    try:
        while not receiver.poll(0.1):
            used = cpu_seconds(process.pid)
            waited = time.monotonic() - started
            if (waited if used is None else used) > seconds or waited > seconds * WAITING:
                pytest.fail(f"still running after {seconds} s")
        try:
            return receiver.recv()
        except EOFError:
            pytest.fail("the work raised (its traceback is above)")
    finally:
        process.kill()
        process.join()


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user and system) the running process ``pid`` has used, as Linux's
    /proc tells it; None where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    # After the command's name, in parentheses: the state, then utime and stime at 12, 13.
    fields = stat.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def kb_in(root: Path) -> KnowledgeBase:
    return load(Settings(root=root), RULESET)


# --- Security ----------------------------------------------------------------------------


PAYLOAD = '`"><img src=x onerror=alert(1)>`'


@pytest.mark.build
def test_summary_markup_never_reaches_meta_description_unescaped(tmp_path: Path) -> None:
    text = VALID.replace("A configuration push set", f"{PAYLOAD} A configuration push set", 1)
    config = write_project(tmp_path, {VALID_NAME: text})
    page = html(build_site(config), "postmortems/2026-03-04-checkout-config-push")
    head = page.split("</head>", 1)[0]
    assert "<img" not in head
    assert 'content="`&#34;&gt;&lt;img src=x onerror=alert(1)&gt;`' in head


@pytest.mark.build
def test_description_key_cannot_break_out_of_the_meta_tag(tmp_path: Path) -> None:
    text = VALID.replace("tags:", 'description: "say \\"hi\\" <b>"\ntags:')
    config = write_project(tmp_path, {VALID_NAME: text})
    head = html(build_site(config), "postmortems/2026-03-04-checkout-config-push")
    assert '<meta name="description" content="say &#34;hi&#34; &lt;b&gt;">' in head


def test_symlink_to_a_file_outside_the_project_is_refused_unread(tmp_path: Path) -> None:
    project = tmp_path / "project"
    outside = tmp_path / "elsewhere.md"
    outside.write_text(VALID.replace("Checkout API", SECRET), encoding="utf-8")
    write(project, "README.md", "")
    (project / "postmortems" / "2026-01-06-notes.md").symlink_to("/etc/passwd")
    (project / "postmortems" / VALID_NAME).symlink_to(outside)
    kb = kb_in(project)
    assert [(f.code, f.path.rsplit("/", 1)[1]) for f in kb.findings] == [
        ("PM020", "2026-01-06-notes.md"),
        ("PM020", VALID_NAME),
    ]
    assert all(pm.refused and not pm.raw_text and pm.front is None for pm in kb.postmortems)
    assert not kb.indexed


def test_symlinked_folders_are_reported_not_followed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(tmp_path / "shared", VALID_NAME, VALID)
    write(project, VALID_NAME, VALID)
    (project / "postmortems" / "outside").symlink_to(tmp_path / "shared" / "postmortems")
    (project / "postmortems" / "inside").symlink_to(project / "postmortems")
    kb = kb_in(project)
    found = {(f.code, f.path.rsplit("/", 1)[1]) for f in kb.findings}
    assert found == {("PM020", "outside"), ("PM024", "inside")}
    assert [pm.path.name for pm in kb.postmortems if pm.has_page] == [VALID_NAME]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("url_prefix", "../../x"),
        ("url_prefix", "a/../b"),
        ("url_prefix", "./x"),
        ("pages", {"incidents": "../outside"}),
        ("pages", {"overdue": "a\\b"}),
    ],
)
def test_pages_cannot_be_written_outside_the_site(option: str, value: Any) -> None:
    with pytest.raises(ConfigError, match=f"postmortems.{option}"):
        settings_from_options({option: value}, Path.cwd(), RULES)


# --- Hangs and exhaustion ----------------------------------------------------------------


def test_fifo_is_refused_without_blocking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "postmortems").mkdir()
    os.mkfifo(tmp_path / "postmortems" / "2026-01-02-fifo.md")
    findings = finishes(lambda: kb_in(tmp_path).findings)
    assert [(f.code, f.message) for f in findings] == [
        ("PM021", "not a regular file (a FIFO); not read")
    ]


def test_symlink_to_dev_zero_is_refused_without_reading(tmp_path: Path) -> None:
    write(tmp_path, "README.md", "")
    (tmp_path / "postmortems" / "2026-01-03-zero.md").symlink_to("/dev/zero")
    assert codes(finishes(lambda: kb_in(tmp_path).findings)) == {"PM020"}
    # Inside the project, a device is refused for what it is.
    from mkdocs_postmortems.core.files import Refused, read_file

    with pytest.raises(Refused, match="a device"):
        read_file("/dev/zero", "/")


def test_file_over_the_size_limit_is_a_finding(check: Checker, tmp_path: Path) -> None:
    settings = settings_from_options({"max_file_bytes": 1000}, tmp_path, RULES)
    findings = check(VALID + "x" * 1000, settings=settings)
    assert [f.code for f in findings] == ["PM022"]
    assert "over the limit of 1,000 (option max_file_bytes)" in findings[0].message


def test_default_size_limit_is_one_mebibyte(check: Checker) -> None:
    assert "PM022" not in codes(check(VALID + "x" * 900_000))
    assert "PM022" in codes(check(VALID + "x" * (1 << 20)))


@pytest.mark.parametrize("value", [0, -1, True, "1MB", 1 << 31])
def test_max_file_bytes_must_be_a_sensible_number(value: Any) -> None:
    with pytest.raises(ConfigError, match=r"postmortems\.max_file_bytes"):
        settings_from_options({"max_file_bytes": value}, Path.cwd(), RULES)


LONG_LINES = {
    # Each took from 1 s (heading, delimiter) to 50 s (silence) at a tenth of this length.
    "unclosed silence": "<!-- postmortems: ignore BL001" + "A" * 1_000_000,
    "many open silences": "a " + "<!-- postmortems: ignore BL001 x " * 30_000,
    "many comment openings": "a " + "<!--" * 200_000,
    "heading with spaces": "# a" + " " * 1_000_000 + "x",
    "table delimiter with spaces": "| a |\n|-" + " " * 1_000_000 + "x",
}


@pytest.mark.parametrize("line", LONG_LINES.values(), ids=LONG_LINES.keys())
def test_one_long_line_is_read_in_linear_time(check: Checker, tmp_path: Path, line: str) -> None:
    settings = Settings(root=tmp_path)
    # First in the Timeline: its table is looked for there, line by line.
    text = VALID.replace("## Timeline\n", f"## Timeline\n\n{line}\n")
    finishes(lambda: check(text, settings=settings), seconds=30)


def test_huge_names_are_findings_and_never_reach_the_name_matching(check: Checker) -> None:
    name = "Omar " * 80_000
    text = VALID.replace("facilitator: Omar Haddad", f"facilitator: {name}").replace(
        "| Omar Haddad | 2026-04-15", f"| {name} | 2026-04-15"
    )
    findings = finishes(lambda: check(text))
    assert [(f.code, f.line) for f in findings] == [("PM120", 10), ("PM120", 53)]


@pytest.mark.parametrize(
    ("key", "value"),
    [("services", "[" + "a" * 101 + "]"), ("tags", "[" + "t" * 101 + "]"), ("id", "a" * 101)],
)
def test_names_and_ids_have_a_length_limit(check: Checker, key: str, value: str) -> None:
    text = VALID.replace("tags: [config, deploy]", f"tags: [config, deploy]\n{key}: {value}")
    if key != "id":
        text = VALID.replace(f"{key}: [", f"{key}: [{value[1:-1]}, ", 1)
    assert codes(check(text)) & {"PM120", "PM112"}


# --- Crashes -----------------------------------------------------------------------------


DATE_CASES = {
    "started at the first day, far east": (
        "started: 2026-03-04T14:02:00Z",
        "started: 0001-01-01T00:00:00+14:00",
    ),
    "started at the last day": ("started: 2026-03-04T14:02:00Z", "started: 9999-12-31T20:00Z"),
    "published at the end": ("published: 2026-03-06", "published: 9999-12-10"),
    "resolved at the end": ("resolved: 2026-03-04T15:30:00Z", "resolved: 9999-12-31T23:00:00Z"),
    "due at the end": ("| 2026-04-15 |", "| 9999-12-31 |"),
}


@pytest.mark.parametrize(("old", "new"), DATE_CASES.values(), ids=DATE_CASES.keys())
@pytest.mark.parametrize("timezone", ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_dates_at_the_ends_of_the_calendar_are_findings(
    check: Checker, tmp_path: Path, old: str, new: str, timezone: str
) -> None:
    settings = Settings(root=tmp_path, timezone=timezone)
    text = VALID.replace("severity: SEV2", "severity: SEV1").replace(old, new)
    findings = check(text, settings=settings)
    assert any(f.code in ("PM103", "PM403") and "outside the years" in f.message for f in findings)
    kb = load(settings, RULESET)
    for moment in (now(), now(date(9000, 12, 31)), now(date(1900, 1, 1))):
        deadlines.report(kb.indexed, settings, moment)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "9001-01-01"])
def test_today_at_the_ends_of_the_calendar_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, VALID_NAME, VALID)
    for command in ("overdue", "check"):
        with pytest.raises(SystemExit) as exit_:
            main([command, "--today", day])
        assert exit_.value.code == 2
        assert "outside the years 1900-9000" in capsys.readouterr().err


@pytest.mark.parametrize("started", ["0001-01-01T00:00+14:00", "9999-12-31T23:59Z", "0001-01-01"])
def test_new_started_at_the_ends_of_the_calendar_is_a_usage_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    started: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["new", "Checkout down", "--severity", "SEV2", "--services", "api"]
    assert main([*args, "--started", started, "--authors", "A"]) == 2
    assert "--started" in capsys.readouterr().err
    assert not (tmp_path / "postmortems").exists()


def test_source_date_epoch_at_the_end_of_the_calendar_is_an_error() -> None:
    with pytest.raises(ValueError, match="outside the years"):
        now(environ={"SOURCE_DATE_EPOCH": "253402300799"})


CONFIG_CASES = {
    "page name is a number": ({"pages": {1: "x"}}, "postmortems.pages"),
    "severity key is a number": ({"severities": [{"name": "X", 1: 2}]}, "postmortems.severities"),
    "deadline infinite": (
        {"severities": [{"name": "X", "deadline_hours": float("inf")}]},
        "deadline_hours",
    ),
    "deadline not a number": (
        {"severities": [{"name": "X", "deadline_hours": float("nan")}]},
        "deadline_hours",
    ),
    "deadline of millennia": (
        {"severities": [{"name": "X", "deadline_hours": 100_000_000}]},
        "deadline_hours",
    ),
    "review after eons": ({"review_after_days": 10_000_000_000}, "postmortems.review_after_days"),
    "option name is a number": ({1: "x"}, "postmortems.1"),
    "rules code is a number": ({"rules": {1: "off"}}, "postmortems.rules"),
}


@pytest.mark.parametrize(("options", "named"), CONFIG_CASES.values(), ids=CONFIG_CASES.keys())
def test_bad_option_values_are_config_errors_naming_the_option(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    options: dict[Any, Any],
    named: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        settings_from_options(options, tmp_path, RULES)
    config = {"site_name": "x", "plugins": [{"postmortems": options}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert main(["check"]) == 2
    assert named in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "named"),
    [("site_name: x\n1: x\n", "option 1"), ("site_name: x\nplugins: 5\n", "'plugins'")],
)
def test_bad_mkdocs_yml_is_a_config_error_naming_the_option(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    named: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert main(["check"]) == 2
    assert named in capsys.readouterr().err


# Values of a post-mortem's own keys that once broke the build, with the finding each is now.
BROKE_THE_BUILD = [
    ("id: catalog.json", "PM502"),
    ("id: Index", "PM502"),
    ("id: " + "a" * 300, "PM120"),
    ("template: nope.html", "PM122"),
    ("search: 5", "PM122"),
    ("hide: [everything]", "PM122"),
    ("icon: ../../../etc/passwd", "PM122"),
    ("comments: maybe", "PM102"),
]


@pytest.mark.parametrize(("extra", "code"), BROKE_THE_BUILD)
def test_values_that_broke_the_build_are_findings(tmp_path: Path, extra: str, code: str) -> None:
    text = VALID.replace("tags:", f"{extra}\ntags:")
    write_project(tmp_path, {VALID_NAME: text, "2026-05-02-b.md": DRAFT})
    assert code in codes(kb_in(tmp_path).findings)


@pytest.mark.build
def test_the_site_builds_with_every_value_that_broke_the_build(tmp_path: Path) -> None:
    """One build with each value in a post-mortem of its own: each is its file's finding,
    and none stops the build."""
    files = {
        f"2026-03-04-broke-{n}.md": VALID.replace("tags:", f"{extra}\ntags:")
        for n, (extra, _) in enumerate(BROKE_THE_BUILD)
    }
    config = write_project(tmp_path, {**files, "2026-05-02-b.md": DRAFT})
    findings = kb_in(tmp_path).findings
    for name, (extra, code) in zip(files, BROKE_THE_BUILD, strict=True):
        assert code in [f.code for f in findings if f.path.endswith(f"/postmortems/{name}")], extra
    site = build_site(config)
    assert (site / "postmortems" / "catalog.json").is_file()
    assert (site / "postmortems" / "2026-05-02-b" / "index.html").is_file()


def test_reserved_ids_follow_an_empty_url_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(root=tmp_path, url_prefix="")
    for ident in ("incidents", "assets", "search", "sitemap.xml", "catalog.json"):
        write(tmp_path, f"2026-03-0{len(ident) % 9 + 1}-{ident[:3]}.md", VALID)
    text = VALID.replace("tags:", "id: Incidents\ntags:")
    write(tmp_path, VALID_NAME, text)
    kb = load(settings, RULESET)
    assert [f.code for f in kb.findings if f.path.endswith(VALID_NAME)] == ["PM502"]


@pytest.mark.subprocess
def test_non_utf8_file_names_are_findings_even_with_strict_utf8_output(tmp_path: Path) -> None:
    write(tmp_path, VALID_NAME, VALID)
    folder = os.fsencode(tmp_path / "postmortems")
    with open(os.path.join(folder, b"2026-03-05-caf\xe9.md"), "wb") as file:
        file.write(VALID.encode())
    os.mkdir(os.path.join(folder, b"d\xe9j\xe0"))
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_postmortems", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    lines = sorted(result.stdout.splitlines()[:2])
    assert lines == [
        "postmortems/2026-03-05-caf\\xe9.md:1:1: error PM025 the name is not UTF-8; not read",
        "postmortems/d\\xe9j\\xe0:1:1: error PM025 the name is not UTF-8; not read",
    ]


# --- Wrong results and silent loss -------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["PM500", "PM502", "PM020", "PM021", "PM022", "PM023", "PM024", "PM025"]
)
def test_rules_that_lose_a_postmortem_cannot_be_turned_off(code: str) -> None:
    with pytest.raises(ConfigError, match=f"postmortems.rules.{code}' cannot be off"):
        settings_from_options({"rules": {code: "off"}}, Path.cwd(), RULES)
    settings_from_options({"rules": {code: "warning"}}, Path.cwd(), RULES)


def test_duplicate_id_cannot_be_silenced_in_the_file(tmp_path: Path) -> None:
    other = VALID.replace(
        "tags:", "id: 2026-03-04-checkout-config-push\nignore: {PM500: mine}\ntags:"
    )
    comment = (
        other.replace("ignore: {PM500: mine}\n", "")
        + "<!-- postmortems: ignore-file PM500 mine -->\n"
    )
    kb = None
    for name, text in (("2026-03-04-copy.md", other), ("2026-03-04-copy.md", comment)):
        write(tmp_path, VALID_NAME, VALID)
        write(tmp_path, name, text)
        kb = kb_in(tmp_path)
        mine = [f for f in kb.findings if f.path.endswith(name)]
        assert {"PM500", "PM011"} <= codes(mine)
        assert any("PM500 cannot be silenced" in f.message for f in mine)
    assert kb is not None
    assert [pm.path.name for pm in kb.postmortems if pm.has_page] == [VALID_NAME]


def test_ids_that_differ_only_in_case_collide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, VALID_NAME, VALID.replace("tags:", "id: Same\ntags:"))
    write(tmp_path, "2026-03-04-other.md", VALID.replace("tags:", "id: same\ntags:"))
    kb = kb_in(tmp_path)
    assert [(f.code, f.path) for f in kb.findings] == [("PM500", "postmortems/2026-03-04-other.md")]
    assert "as 'Same'; ids ignore letter case" in kb.findings[0].message
    assert [pm.id for pm in kb.indexed] == ["Same"]


def test_an_index_page_cannot_take_a_postmortems_address() -> None:
    with pytest.raises(ConfigError, match="inside the post-mortems' folder"):
        settings_from_options(
            {"pages": {"incidents": "postmortems/2026-03-04-a"}}, Path.cwd(), RULES
        )
    # The folder itself is fine: the incidents list at /postmortems/.
    settings_from_options({"pages": {"incidents": "postmortems"}}, Path.cwd(), RULES)


def test_every_markdown_looking_file_is_a_postmortem_or_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("2026-03-04-a.MD", "2026-03-04-b.markdown", "sub/2026-03-04-c.Md"):
        write(tmp_path, name, VALID)
    for name in ("README.md", "_template.md", "diagram.png", ".hidden/x.md", "locked/x.md"):
        write(tmp_path, name, VALID)
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.chdir(tmp_path)
    kb = kb_in(tmp_path)
    found = sorted((f.code, f.path) for f in kb.findings)
    assert found == [
        ("PM023", "postmortems/2026-03-04-a.MD"),
        ("PM023", "postmortems/2026-03-04-b.markdown"),
        ("PM023", "postmortems/sub/2026-03-04-c.Md"),
        ("PM024", "postmortems/locked"),
    ]


@pytest.mark.build
def test_images_beside_postmortems_in_docs_are_kept(tmp_path: Path) -> None:
    text = VALID.replace("## Timeline", "![graph](graph.png)\n\n## Timeline")
    config = write_project(
        tmp_path,
        {VALID_NAME: text},
        folder="docs/postmortems",
        config={"plugins": ["search", {"postmortems": {"folder": "docs/postmortems"}}]},
    )
    (tmp_path / "docs" / "postmortems" / "graph.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site = build_site(config, strict=True)
    assert (site / "postmortems" / "graph.png").read_bytes() == b"\x89PNG\r\n\x1a\n"
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    assert 'src="../graph.png"' in page


@pytest.mark.build
@pytest.mark.parametrize("char", ["\x81", "\ufffe", "\U0001fffe", "\x07"])
def test_invisible_characters_in_a_title_are_findings_and_the_page_keeps_its_title(
    tmp_path: Path, char: str
) -> None:
    escaped = char.encode("unicode_escape").decode().replace("\\x", "\\u00")
    text = VALID.replace("title: Checkout API", f'title: "Checkout{escaped} API')
    text = text.replace("config push\n", 'config push"\n', 1)
    findings = [f for f in kb_of_text(tmp_path, text) if f.code == "PM121"]
    assert [(f.line, f.col) for f in findings] == [(2, 8)]
    config = write_project(tmp_path, {VALID_NAME: text})
    page = html(build_site(config), "postmortems/2026-03-04-checkout-config-push")
    assert "<title>Checkout\ufffd API returned 500s after a config push" in page


def kb_of_text(root: Path, text: str) -> list[Finding]:
    write(root, VALID_NAME, text)
    return kb_in(root).findings


@pytest.mark.parametrize(
    "extra",
    [
        '"x\\npostmortems/forged.md:1:1: error PM999 forged": 1',
        'related: ["a\\nb.md:1:1: error PM999 forged"]',
        'services: ["api\\r\\nb.md:1:1: error PM999"]',
    ],
)
def test_a_value_cannot_split_a_finding_over_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], extra: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, VALID_NAME, VALID.replace("tags:", f"{extra}\ntags:"))
    assert main(["check"]) == 1
    findings, summary = capsys.readouterr().out.split("\n\n")
    assert summary.startswith("1 file checked")
    assert all(line.startswith(f"postmortems/{VALID_NAME}:") for line in findings.splitlines())


def test_a_file_name_cannot_forge_a_finding_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "x\nforged.md:1:1: error PM999 forged.md", VALID)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert not any(line.startswith("forged.md") for line in out.splitlines())
    assert "postmortems/x\\x0aforged.md:1:1: error PM999 forged.md:1:1: error PM001" in out


@pytest.mark.build
def test_pagefind_builds_are_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    files = {
        f"2026-03-0{day}-incident-{day}.md": VALID.replace("2026-03-04", f"2026-03-0{day}")
        .replace("severity: SEV2", f"severity: SEV{day % 4 + 1}")
        .replace("tags: [config, deploy]", f"tags: [tag-{day}, deploy, t{day * 7 % 5}]")
        .replace("[checkout-api, config-service]", f"[svc-{day % 3}, svc-{day}]")
        for day in range(1, 10)
    }
    config = write_project(
        tmp_path, files, config={"plugins": [{"postmortems": {"pagefind": True}}]}
    )
    sites = []
    for name in ("one", "two"):
        settings = yaml.safe_load(config.read_text(encoding="utf-8"))
        settings["site_dir"] = str(tmp_path / name)
        config.write_text(yaml.safe_dump(settings), encoding="utf-8")
        site = build_site(config)
        sites.append({p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()})
    assert any(path.suffix == ".pf_filter" for path in sites[0])
    assert sites[0].keys() == sites[1].keys()
    assert [path for path in sites[0] if sites[0][path] != sites[1][path]] == []


def test_blameless_rules_read_code_spans_in_linear_time(check: Checker) -> None:
    """450,000 code spans on one line: 2 s now, half a minute when each span copied the line."""
    prose = "`a" * 450_000
    text = VALID.replace("The config service accepted", f"{prose} The config service accepted")
    finishes(lambda: check(text), seconds=15)


@pytest.mark.parametrize(
    ("markup", "reported"),
    [
        ("<a" * 150_000, True),
        ('<a "' * 75_000, True),
        ("<!--" * 75_000, False),
        ("<a " + "b=1 " * 75_000, True),
    ],
)
def test_markup_is_read_in_linear_time(check: Checker, markup: str, reported: bool) -> None:
    """Unclosed tags, quotes and comments: the standard library's HTMLParser read the rest
    of the body again at each one (minutes for 600 KB, so a minute at these 300 KB, well
    over the guard); the checker's scanner reads it once."""
    text = VALID.replace("The alert fired within seven minutes.", markup)
    findings = finishes(lambda: check(text), seconds=15)
    assert ("PM210" in codes(findings)) is reported


@pytest.mark.build
@pytest.mark.parametrize(
    ("line", "col", "kept"),
    [
        ('Seen: <img src=x onerror="alert(1)">', 18, '<img src="x"'),
        ("<script>alert(1)</script>", 1, ""),
        ("A [status page](javascript:alert(1)) <b>link</b>", 17, "<b>link</b>"),
        ("<IFRAME src=https://example.com>", 1, ""),
    ],
)
def test_raw_html_that_runs_script_in_the_body_is_a_finding_and_never_published(
    tmp_path: Path, line: str, col: int, kept: str
) -> None:
    text = VALID.replace("The alert fired within seven minutes.", line)
    config = write_project(tmp_path, {VALID_NAME: text})
    findings = [f for f in kb_of_text(tmp_path, text) if f.code == "PM210"]
    assert [(f.line, f.col) for f in findings] == [(42, col)]
    page = html(build_site(config), "postmortems/2026-03-04-checkout-config-push")
    article = page.split('<article class="md-content__inner md-typeset">', 1)[1]
    # The body is published as Markdown, with what the allowlist keeps of its markup.
    assert 'class="pm-source"' not in article
    assert "The config service accepted" in article
    assert kept in article
    assert "<script>alert" not in article
    assert "<iframe" not in article.lower()
    assert 'onerror="alert' not in article
    assert "javascript:" not in article


@pytest.mark.parametrize(
    "line",
    [
        "We saw `<script>alert(1)</script>` in the logs.",
        "The online status = up, and the <b>only</b> issue was DNS.",
        "JavaScript: the checkout page's bundle failed to load.",
    ],
)
def test_code_spans_and_prose_about_script_are_not_findings(check: Checker, line: str) -> None:
    text = VALID.replace("The alert fired within seven minutes.", line)
    assert "PM210" not in codes(check(text))


@pytest.mark.parametrize("line", ["one ` backtick <b>", "`a` and ` <b>", "<b>`"])
def test_unpaired_backticks_beside_markup_are_read(check: Checker, line: str) -> None:
    text = VALID.replace("The alert fired within seven minutes.", line)
    assert "PM210" not in codes(check(text))
