"""The hostile knowledge base: every kind of hostile or careless input, in one project, through
the whole pipeline: ``postmortems check``, ``postmortems overdue``, ``mkdocs build``, and the
built pages in Chromium.

For every case: no traceback, no hang (each command has a timeout), no script run in the
browser, no byte of a file outside the project in the site, and every file in the folder is
a page, a finding that says why it is not, or left out by a documented rule. The project is
built once (a few seconds); each case then asserts on its own files. Hypothesis adds
generated values through the same core and page building at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DRAFT, VALID
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.rules import RULES, RULESET
from sitebuild import BASE_CONFIG, build_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SECRET = "OUTSIDE-SECRET-5b1e0c"
PWNED = "window.__pwned=1;alert(1)"
XSS = (
    f'"><img src=x onerror="{PWNED}">',
    f"</title><script>{PWNED}</script>",
    f"'><svg onload={PWNED}>",
)
# A "now" past every deadline of the cases (2026-06-01), so overdue has work to do.
EPOCH = "1780272000"
TIMEOUT = 90
# Codes whose file gets no page: the finding is the only trace of it, so it is never silenced.
NO_PAGE = {"PM020", "PM021", "PM022", "PM023", "PM024", "PM025", "PM500", "PM502"}


@dataclass(frozen=True)
class Case:
    """Files written into ``postmortems/<name>/``, the codes reported on them, their pages."""

    setup: Callable[[Path, Path], None]
    codes: frozenset[str]
    pages: int


def text(folder: Path, name: str, content: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def valid(*replacements: tuple[str, str]) -> str:
    result = VALID
    for old, new in replacements:
        assert old in result, old
        result = result.replace(old, new, 1)
    return result


def with_keys(*lines: str) -> str:
    return valid(("tags: [config, deploy]", "\n".join(["tags: [config, deploy]", *lines])))


def one(name: str, content: str | bytes) -> Callable[[Path, Path], None]:
    def setup(folder: Path, outside: Path) -> None:
        text(folder, name, content)

    return setup


def link(name: str, target: Callable[[Path], Path | str]) -> Callable[[Path, Path], None]:
    def setup(folder: Path, outside: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).symlink_to(target(outside))

    return setup


def several(*setups: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    def setup(folder: Path, outside: Path) -> None:
        for step in setups:
            step(folder, outside)

    return setup


def fifo(folder: Path, outside: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "2026-01-02-fifo.md")


def non_utf8_name(folder: Path, outside: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(os.path.join(os.fsencode(folder), b"2026-03-04-caf\xe9.md"), "wb") as file:
        file.write(VALID.encode())


ESCAPED_XSS = "\n".join(f"  - {json.dumps(payload)}" for payload in XSS)
FIELDS_XSS = valid(
    ("title: Checkout API returned 500s after a config push", f"title: {json.dumps(XSS[1])}"),
    ("authors: [Dana Whitfield]", f"authors:\n{ESCAPED_XSS}"),
    ("facilitator: Omar Haddad", f"facilitator: {json.dumps(XSS[0])}"),
    ("services: [checkout-api, config-service]", f"services:\n{ESCAPED_XSS}"),
    ("tags: [config, deploy]", f"tags:\n{ESCAPED_XSS}"),
    ("revenue: about 3% of hourly checkout volume", f"revenue: {json.dumps(XSS[2])}"),
    ("| Dana Whitfield | 2026-03-20", f"| {XSS[0]} | 2026-03-20"),
    ("| Roll config out one region at a time |", f"| {XSS[2]} |"),
)

CASES: dict[str, Case] = {
    # Security
    "summary-markup": Case(
        one("2026-03-04-summary.md", valid(("A configuration push", f"`{XSS[0]}` A push"))),
        frozenset(),
        1,
    ),
    "description-markup": Case(
        one("2026-03-04-description.md", with_keys(f"description: {json.dumps(XSS[0])}")),
        frozenset(),
        1,
    ),
    "field-markup": Case(one("2026-03-04-fields.md", FIELDS_XSS), frozenset(), 1),
    "body-markup": Case(
        one(
            "2026-03-04-body.md",
            valid(("The alert fired within seven minutes.", f"Seen: {XSS[0]} {XSS[1]}")),
        ),
        frozenset({"PM210"}),
        1,
    ),
    "link-to-passwd": Case(
        link("2026-01-06-notes.md", lambda _: "/etc/passwd"), frozenset({"PM020"}), 0
    ),
    "link-to-outside-postmortem": Case(
        link("2026-03-04-shared.md", lambda outside: outside / "2026-03-04-secret.md"),
        frozenset({"PM020"}),
        0,
    ),
    "link-to-outside-folder": Case(
        link("elsewhere", lambda outside: outside), frozenset({"PM020"}), 0
    ),
    "link-to-inside-folder": Case(
        link(
            "again", lambda outside: outside.parent / "project" / "postmortems" / "summary-markup"
        ),
        frozenset({"PM024"}),
        0,
    ),
    # Hangs and exhaustion
    "link-to-dev-zero": Case(
        link("2026-01-03-zero.md", lambda _: "/dev/zero"), frozenset({"PM020"}), 0
    ),
    "fifo": Case(fifo, frozenset({"PM021"}), 0),
    "too-large": Case(one("2026-03-04-large.md", VALID + "x" * (1 << 20)), frozenset({"PM022"}), 0),
    "unclosed-silence": Case(
        one(
            "2026-03-04-silence.md",
            valid(
                ("## Impact", "<!-- postmortems: ignore BL001" + "A" * 200_000 + "\n\n## Impact")
            ),
        ),
        frozenset(),
        1,
    ),
    # Long headings and table lines are left to tests/test_hostile.py: the Markdown renderer
    # MkDocs uses is itself slow on them (see docs/security.md), so no site is built of them.
    "huge-names": Case(
        one(
            "2026-03-04-names.md",
            valid(
                ("facilitator: Omar Haddad", "facilitator: " + "Omar " * 80_000),
                ("| Omar Haddad | 2026-04-15", "| " + "Ann " * 80_000 + " | 2026-04-15"),
            ),
        ),
        frozenset({"PM120"}),
        1,
    ),
    # Crashes
    "started-far-east": Case(
        one("2026-03-04-east.md", valid(("2026-03-04T14:02:00Z", "0001-01-01T00:00:00+14:00"))),
        frozenset({"PM103"}),
        1,
    ),
    "started-at-the-end": Case(
        one("2026-03-04-end.md", valid(("2026-03-04T14:02:00Z", "9999-12-31T20:00Z"))),
        frozenset({"PM103"}),
        1,
    ),
    "published-at-the-end": Case(
        one("2026-03-04-published.md", valid(("published: 2026-03-06", "published: 9999-12-10"))),
        frozenset({"PM103"}),
        1,
    ),
    "sev1-resolved-at-the-end": Case(
        one(
            "2026-03-04-resolved.md",
            valid(
                ("severity: SEV2", "severity: SEV1"), ("2026-03-04T15:30:00Z", "9999-12-31T23:00Z")
            ),
        ),
        frozenset({"PM103"}),
        1,
    ),
    "draft-ongoing-at-the-end": Case(
        one("2026-05-02-ongoing.md", DRAFT.replace("2026-05-02T08:00:00Z", "9999-12-31T23:59Z")),
        frozenset({"PM103"}),
        1,
    ),
    "id-catalog-json": Case(
        one("2026-03-04-catalog.md", with_keys("id: catalog.json")), frozenset({"PM502"}), 0
    ),
    "id-too-long": Case(
        one("2026-03-04-long.md", with_keys("id: " + "a" * 300)), frozenset({"PM120"}), 1
    ),
    "page-keys": Case(
        one("2026-03-04-keys.md", with_keys("template: nope.html", "search: 5", "icon: ../../x")),
        frozenset({"PM122"}),
        1,
    ),
    "non-utf8-name": Case(non_utf8_name, frozenset({"PM025"}), 0),
    # Wrong results and silent loss
    "duplicate-silenced": Case(
        several(
            one("2026-03-04-first.md", with_keys("id: twin")),
            one("2026-03-04-second.md", with_keys("id: twin", "ignore: {PM500: hide it}")),
        ),
        frozenset({"PM500", "PM011"}),
        1,
    ),
    "ids-differ-in-case": Case(
        several(
            one("2026-03-04-upper.md", with_keys("id: Same")),
            one("2026-03-04-lower.md", with_keys("id: same")),
        ),
        frozenset({"PM500"}),
        1,
    ),
    "other-markdown-names": Case(
        several(one("2026-03-04-a.MD", VALID), one("2026-03-04-b.markdown", VALID)),
        frozenset({"PM023"}),
        0,
    ),
    "invisible-characters": Case(
        one(
            "2026-03-04-invisible.md",
            valid(
                ("title: Checkout API", 'title: "Checkout\\x81\\uFFFE API'), ("push\n", 'push"\n')
            ),
        ),
        frozenset({"PM121"}),
        1,
    ),
    "forged-lines": Case(
        several(
            one(
                "2026-03-04-forged.md",
                with_keys(
                    '"x\\npostmortems/a.md:1:1: error PM999 forged": 1', 'related: ["a\\nb"]'
                ),
            ),
            one("x\nforged.md:1:1: error PM999 forged.md", VALID),
        ),
        frozenset({"PM101", "PM121", "PM001"}),
        2,
    ),
    "documented-exceptions": Case(
        several(
            one("README.md", "# About"), one("_template.md", DRAFT), one("graph.png", b"\x89PNG")
        ),
        frozenset(),
        0,
    ),
}


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": EPOCH,
        "PYTHONIOENCODING": "utf-8:strict",
        "NO_MKDOCS_2_WARNING": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )


@dataclass
class Built:
    project: Path
    site: Path
    check: subprocess.CompletedProcess[str]
    overdue: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]
    findings: list[dict[str, Any]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    base = tmp_path_factory.mktemp("hostile")
    outside, project = base / "outside", base / "project"
    text(outside, "2026-03-04-secret.md", VALID.replace("Checkout API", SECRET))
    text(outside, "notes.txt", SECRET)
    for name, case in CASES.items():
        case.setup(project / "postmortems" / name, outside)
    text(project / "docs", "index.md", "# Home\n")
    config = {
        **BASE_CONFIG,
        # The furthest-east zone: a date at the end of the calendar overflowed here first.
        "plugins": [
            "search",
            {
                "postmortems": {
                    "timezone": "Pacific/Kiritimati",
                    # `mkdocs build` fails on errors, as `check` does; as warnings, the
                    # findings are still reported and the build publishes what it can.
                    "rules": dict.fromkeys(RULES, "warning"),
                }
            },
        ],
    }
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    check = run(["mkdocs_postmortems", "check", "--strict", "--format", "json"], project)
    overdue = run(["mkdocs_postmortems", "overdue"], project)
    build = run(["mkdocs", "build", "-d", str(base / "site")], project)
    findings = json.loads(check.stdout)["findings"] if check.stdout else []
    return Built(project, base / "site", check, overdue, build, findings)


def test_check_reports_findings_without_a_traceback(built: Built) -> None:
    assert "Traceback" not in built.check.stderr, built.check.stderr
    assert built.check.returncode == 1


def test_overdue_runs_without_a_traceback(built: Built) -> None:
    assert "Traceback" not in built.overdue.stderr, built.overdue.stderr
    assert built.overdue.returncode == 1
    assert "Overdue write-ups" in built.overdue.stdout


def test_mkdocs_build_succeeds_and_logs_the_findings(built: Built) -> None:
    assert "Traceback" not in built.build.stderr, built.build.stderr
    assert built.build.returncode == 0, built.build.stderr[-3000:]
    assert "PM020" in built.build.stderr


def test_every_log_line_is_one_finding(
    built: Built, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Newlines in keys, ids and file names are escaped: no line can pass for a finding.

    In process: the text report is what is tested, the child process is the fixture's."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(built.project)
    # Every rule is a warning in this project: without --strict, check passes.
    assert main(["check"]) == 0
    stdout = capsys.readouterr().out
    # What a strict UTF-8 terminal would refuse (a lone surrogate from a file name) fails here.
    stdout.encode("utf-8")
    lines = stdout.split("\n\n")[0].splitlines()
    assert len(lines) == len(built.findings)
    assert all(line.startswith("postmortems/") for line in lines)
    assert not any("PM999" in line.split(": ", 1)[0] for line in lines)


@pytest.mark.parametrize("name", CASES)
def test_case_is_reported_and_paged(built: Built, name: str) -> None:
    case = CASES[name]
    mine = [f for f in built.findings if f["path"].startswith(f"postmortems/{name}/")]
    assert case.codes <= {f["code"] for f in mine}, mine
    settings = Settings(root=built.project, timezone="Pacific/Kiritimati")
    cwd = os.getcwd()
    os.chdir(built.project)
    try:
        kb = load(settings, RULESET)
    finally:
        os.chdir(cwd)
    paged = [pm for pm in kb.postmortems if pm.display.startswith(f"postmortems/{name}/")]
    assert sum(pm.has_page for pm in paged) == case.pages
    for pm in paged:
        page = built.site / "postmortems" / pm.id / "index.html"
        # A file without a page may share its id with one that has it (a duplicate).
        assert page.is_file() or not pm.has_page, pm.display


def test_every_file_is_a_page_a_finding_or_a_documented_exception(built: Built) -> None:
    """Pages = the files in the folder - those a finding says get no page - the documented
    exceptions (``README.md``, ``_*`` names, files that are not Markdown)."""
    candidates = set()
    for parent, dirs, files in os.walk(built.project / "postmortems"):
        for name in [*files, *dirs]:
            path = os.path.join(parent, name)
            if name in ("README.md", "_template.md", "graph.png"):
                continue
            if os.path.isdir(path) and not os.path.islink(path):
                continue
            shown = os.fsencode(os.path.relpath(path, built.project))
            candidates.add(shown.decode("utf-8", "backslashreplace").replace("\n", "\\x0a"))
    without_page = {f["path"] for f in built.findings if f["code"] in NO_PAGE}
    assert without_page <= candidates
    pages = list((built.site / "postmortems").glob("*/index.html"))
    assert len(pages) == len(candidates - without_page)
    assert len(pages) == sum(case.pages for case in CASES.values())


def test_no_byte_of_a_file_outside_the_project_reaches_the_site(built: Built) -> None:
    leaked = []
    for path in built.site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if SECRET.encode() in data or b"root:x:0:0" in data:
                leaked.append(path)
    assert leaked == []


def test_no_page_metadata_carries_markup(built: Built) -> None:
    for page in built.site.rglob("*.html"):
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        for markup in ("<img src=x", "<svg onload", "<script>window.__pwned"):
            assert markup not in head, page


@pytest.mark.browser
def test_no_script_runs_in_any_page(built: Built, browser: Browser) -> None:
    """Every page of the hostile site, opened in Chromium: no dialog, and no payload set its
    window flag (each one runs ``window.__pwned=1;alert(1)``)."""
    from browser import serve

    pages = sorted(p.relative_to(built.site).as_posix() for p in built.site.rglob("*.html"))
    dialogs: list[str] = []
    ran = []
    with serve(built.site) as base:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for url in pages:
            page.goto(base + url, wait_until="load")
            if page.evaluate("() => window.__pwned === 1"):
                ran.append(url)
        page.close()
    assert len(pages) > sum(case.pages for case in CASES.values())
    assert dialogs == []
    assert ran == []


# --- Generated input ---------------------------------------------------------------------

HOSTILE = st.lists(
    st.sampled_from(
        [
            '"',
            "'",
            "<",
            ">",
            "&",
            "`",
            "\n",
            "\\",
            "|",
            "#",
            "-",
            ":",
            "{",
            "}",
            "\x81",
            "\ufffe",
            "\u2028",
            "é",
            "a",
            " ",
            "<!--",
            "-->",
            "<script>",
            PWNED,
            "%",
        ]
    ),
    max_size=12,
).map("".join)


@pytest.mark.build
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cases=st.lists(st.tuples(*[HOSTILE] * 5), min_size=4, max_size=6))
def test_generated_values_build_without_markup_in_the_head(
    tmp_path_factory: pytest.TempPathFactory, cases: list[tuple[str, str, str, str, str]]
) -> None:
    """Several post-mortems of generated values in each build: a build is what costs, and
    every page's head is checked."""
    root = tmp_path_factory.mktemp("generated")
    for number, (title, summary, service, description, owner) in enumerate(cases):
        content = valid(
            (
                "title: Checkout API returned 500s after a config push",
                f"title: {json.dumps(title)}",
            ),
            ("services: [checkout-api, config-service]", f"services: [{json.dumps(service)}]"),
            ("tags: [config, deploy]", f"tags: [config]\ndescription: {json.dumps(description)}"),
            ("A configuration push", summary.replace("\n", " ") + " A configuration push"),
            ("| Dana Whitfield |", f"| {owner.replace(chr(10), ' ').replace('|', '/')} |"),
        )
        text(root / "postmortems", f"2026-03-04-generated-{number}.md", content)
    text(root / "docs", "index.md", "# Home\n")
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump({**BASE_CONFIG, "site_dir": str(root / "site")}), encoding="utf-8"
    )
    cwd = os.getcwd()
    os.chdir(root)
    try:
        kb = load(Settings(root=root), RULESET)
        site = build_site(root / "mkdocs.yml")
    finally:
        os.chdir(cwd)
    assert len(kb.postmortems) == len(cases)
    for postmortem in kb.postmortems:
        page = site / "postmortems" / postmortem.id / "index.html"
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert "<script>window" not in head
        assert f'onerror="{PWNED}' not in head


@pytest.mark.subprocess
def test_mkdocs_serve_keeps_answering_after_an_edit_to_the_calendars_end(tmp_path: Path) -> None:
    """An edit that used to raise in the plugin left every request of ``mkdocs serve``
    waiting until the file was fixed."""
    import socket
    import time
    import urllib.request

    name = "2026-03-04-checkout.md"
    text(tmp_path / "postmortems", name, VALID)
    text(tmp_path / "docs", "index.md", "# Home\n")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(BASE_CONFIG), encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The log is read as it comes: the rebuild after the edit is seen by its finding, not
    # waited for by a guess at how long the watcher takes.
    log: list[str] = []
    rebuilt = threading.Event()

    def read_log() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            log.append(line)
            if "PM103" in line:
                rebuilt.set()

    reader = threading.Thread(target=read_log, daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}/postmortems/2026-03-04-checkout/"

    def fetch() -> int:
        with urllib.request.urlopen(url, timeout=15) as response:
            return int(response.status)

    try:
        for _ in range(100):
            try:
                assert fetch() == 200
                break
            except OSError:
                time.sleep(0.2)
        edited = VALID.replace("published: 2026-03-06", "published: 9999-12-10")
        text(tmp_path / "postmortems", name, edited)
        assert rebuilt.wait(60), "".join(log)
        # Asked while the rebuild that reports the finding runs or right after it: the old
        # defect left the request waiting.
        assert fetch() == 200
    finally:
        server.kill()
        server.wait(timeout=30)
        reader.join(timeout=30)
    errors = "".join(log)
    assert "Traceback" not in errors, errors
    assert "PM103" in errors
