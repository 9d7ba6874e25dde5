"""Pagefind fed during the build: the same index as Pagefind's command makes of the written
site, and every way it can fail reported, never a hang or a process left behind."""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from conftest import VALID
from mkdocs_postmortems.adapters import mkdocs as adapter
from mkdocs_postmortems.site import pagefind
from mkdocs_postmortems.site.pagefind import Indexer, index_written_site, make_deterministic
from mkdocs_postmortems.site.pagefind import _read as read
from sitebuild import build_as, build_site, write_project

PLUGINS = ["search", {"postmortems": {"pagefind": True}}]
STATIC_PAGE = (
    "<!doctype html><html lang=en><head><title>Legacy</title></head><body>"
    "<main data-pagefind-body><h1>Legacy runbook</h1><p>Rotate the quokka keys.</p></main>"
    "</body></html>"
)


def postmortems() -> dict[str, str]:
    return {
        f"2026-03-0{day}-incident-{day}.md": VALID.replace("2026-03-04", f"2026-03-0{day}")
        .replace("severity: SEV2", f"severity: SEV{day % 4 + 1}")
        .replace("tags: [config, deploy]", f"tags: [tag-{day}, deploy]")
        for day in range(1, 6)
    }


def fragments(bundle: Path) -> dict[str, dict[str, Any]]:
    """Each indexed page's fragment (its URL, words, filters and meta), by URL."""
    found = {}
    for path in (bundle / "fragment").iterdir():
        raw = gzip.decompress(path.read_bytes())
        fragment = json.loads(raw[raw.index(b"{") :])
        found[fragment["url"]] = fragment
    return found


def filters(bundle: Path) -> dict[str, dict[str, list[str]]]:
    """Each filter's values with the URLs of their pages (the files number the pages in the
    order they were indexed, which differs between the two ways)."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    [details] = entry["languages"].values()
    meta = read(bundle / f"pagefind.{details['hash']}.pf_meta")
    urls = [fragment_url(bundle, name) for name, _ in meta[1]]
    found = {}
    for name, file in meta[3]:
        values = read(bundle / "filter" / f"{file}.pf_filter")[1]
        found[name] = {value: sorted(urls[page] for page in pages) for value, pages in values}
    return found


def fragment_url(bundle: Path, name: str) -> str:
    raw = gzip.decompress((bundle / "fragment" / f"{name}.pf_fragment").read_bytes())
    return str(json.loads(raw[raw.index(b"{") :])["url"])


def indexed_by_command(site: Path, again: Path) -> Path:
    """A copy of ``site`` at ``again`` indexed by Pagefind's command instead, as the plugin
    puts the index in order."""
    shutil.copytree(site, again)
    shutil.rmtree(again / "pagefind")
    index_written_site(again, [adapter.PAGEFIND_IGNORED])
    make_deterministic(again / "pagefind")
    return again


def page_count(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


@pytest.mark.build
@pytest.mark.parametrize("directory_urls", [True, False])
def test_the_index_made_during_the_build_is_the_one_pagefind_makes_of_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directory_urls: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    docs = {
        "index.md": "# Home\n",
        # A hand-written page that asks to be indexed, under a name Pagefind does not encode,
        # and an HTML file MkDocs copies without rendering it.
        "équipe runbook.md": '# Équipe\n\n<div data-pagefind-body markdown>\nOn call: "wombat" rota.\n</div>\n',
        "legacy/old.html": STATIC_PAGE,
    }
    config = {"plugins": PLUGINS, "use_directory_urls": directory_urls}
    write_project(tmp_path, postmortems(), docs=docs, config=config)
    site = build_site(tmp_path / "mkdocs.yml")

    again = indexed_by_command(site, tmp_path / "again")
    ours, theirs = fragments(site / "pagefind"), fragments(again / "pagefind")
    assert ours == theirs
    assert page_count(site / "pagefind") == page_count(again / "pagefind") == 7
    team = "/équipe runbook/" if directory_urls else "/équipe runbook.html"
    assert {team, "/legacy/old.html"} <= ours.keys()
    assert "wombat" in ours[team]["content"]
    assert "quokka" in ours["/legacy/old.html"]["content"]
    assert filters(site / "pagefind") == filters(again / "pagefind")
    suffix = "/" if directory_urls else ".html"
    assert filters(site / "pagefind")["severity"]["SEV2"] == [
        f"/postmortems/2026-03-01-incident-1{suffix}",
        f"/postmortems/2026-03-05-incident-5{suffix}",
    ]


PAGE = (
    '<!doctype html><html lang="en"><head><title>T</title></head><body>'
    '<nav><a href="/">Home</a></nav><div class="pm-postmortem" data-pagefind-body>'
    "<h1>Incident</h1></div><footer>f</footer></body></html>"
)


def test_pagefind_is_sent_the_head_and_the_page_from_its_indexed_element_on() -> None:
    """The navigation before the element is left out: Pagefind indexes only inside it (the
    build's index against the command's, above, shows the index is the same)."""
    assert pagefind.indexed_part(PAGE) == (
        '<!doctype html><html lang="en"><head><title>T</title></head><body>'
        '<div class="pm-postmortem" data-pagefind-body><h1>Incident</h1></div>'
        "<footer>f</footer></body></html>"
    )


@pytest.mark.parametrize(
    "page",
    [
        PAGE.replace("data-pagefind-body", ""),
        PAGE.replace("<nav>", '<nav data-pagefind-meta="x">'),
        PAGE.replace("<nav>", "<nav><H1>The page's title</H1>"),
        PAGE.replace("<nav>", '<nav><img src="logo.png" alt="">'),
        PAGE.replace("<nav>", "<nav><script>'<p data-pagefind-body>'</script>"),
        PAGE.replace("<nav>", "<nav><!-- <p data-pagefind-body> -->"),
        PAGE.replace("<head><title>T</title></head><body>", "<body><title>T</title>"),
    ],
    ids=[
        "no element",
        "an attribute before it",
        "a heading before it",
        "an image before it",
        "in a script",
        "in a comment",
        "no head",
    ],
)
def test_pagefind_is_sent_the_whole_page_when_what_comes_before_its_element_may_count(
    page: str,
) -> None:
    assert pagefind.indexed_part(page) == page


@pytest.mark.parametrize(
    "before",
    ["<!-- an old <!-- note -->", "<script>var tag = '<script';</script>", "<style></style>"],
    ids=["a comment that holds <!--", "a script that holds <script", "a style"],
)
def test_what_html_has_closed_before_the_element_does_not_count(before: str) -> None:
    """A comment ends at its first ``-->`` and a script at its first ``</script``, as
    HTML reads them: closed before the element, they leave it where it is."""
    page = PAGE.replace("<nav>", f"<nav>{before}")
    assert pagefind.indexed_part(page) == pagefind.indexed_part(PAGE)


HOOK = """
from pathlib import Path
from mkdocs.plugins import event_priority

@event_priority(100)
def on_post_build(config):
    page = Path(config.site_dir) / "postmortems" / "2026-03-02-incident-2" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("data-pagefind-body>", "data-pagefind-body><p>zebrafish</p>", 1), encoding="utf-8")
"""


@pytest.mark.build
def test_a_page_another_plugin_changes_after_it_is_written_is_indexed_as_it_is_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hook.py").write_text(HOOK, encoding="utf-8")
    write_project(tmp_path, postmortems(), config={"plugins": PLUGINS, "hooks": ["hook.py"]})
    site = build_site(tmp_path / "mkdocs.yml")
    found = fragments(site / "pagefind")
    assert len(found) == 5
    assert "zebrafish" in found["/postmortems/2026-03-02-incident-2/"]["content"]


def test_no_pagefind_is_a_clear_error_before_the_pages_are_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "pagefind.service", None)  # not installed
    config_file = write_project(tmp_path, postmortems(), config={"plugins": PLUGINS})
    assert build_error(config_file, caplog) == (
        "postmortems: Pagefind is not installed"
        " (it comes with: pip install 'mkdocs-postmortems[site]')"
    )
    assert not (tmp_path / "site" / "postmortems").exists()


def test_a_pagefind_binary_that_cannot_run_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    config_file = write_project(tmp_path, postmortems(), config={"plugins": PLUGINS})
    message = build_error(config_file, caplog)
    assert message.startswith("postmortems: cannot run Pagefind: [Errno 2]")
    assert "no-such-pagefind" in message


def build_error(config_file: Path, caplog: pytest.LogCaptureFixture) -> str:
    """The error a build stops with (MkDocs logs a plugin's error and aborts)."""
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_site(config_file)
    [message] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    return message


def fake_pagefind(tmp_path: Path, body: str) -> Path:
    """An executable standing in for Pagefind's binary."""
    path = tmp_path / "fake-pagefind"
    path.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    path.chmod(0o755)
    return path


def started(monkeypatch: pytest.MonkeyPatch) -> list[Indexer]:
    """The indexers the plugin starts from now on."""
    indexers: list[Indexer] = []

    class Kept(Indexer):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            indexers.append(self)

    monkeypatch.setattr(adapter, "Indexer", Kept)
    return indexers


# Each speaks Pagefind's service protocol (base64-encoded JSON messages ended by commas).
SERVICE = r"""
import base64, json, sys
def reply(message_id, payload):
    out = json.dumps({"message_id": message_id, "payload": payload}).encode()
    sys.stdout.buffer.write(base64.b64encode(out) + b",")
    sys.stdout.buffer.flush()
data = b""
while chunk := sys.stdin.buffer.read1(65536):
    data += chunk
    *messages, data = data.split(b",")
    for raw in messages:
        message = json.loads(base64.b64decode(raw))
        answer(message["message_id"], message["payload"])
"""
# Fails on one page.
FAILING_SERVICE = """
def answer(message_id, payload):
    kind = payload["type"]
    if kind == "NewIndex":
        reply(message_id, {"type": "NewIndex", "index_id": 0})
    elif kind == "AddFile" and "incident-3" in payload["url"]:
        reply(message_id, {"type": "Error", "message": "cannot parse this page"})
    elif kind == "AddFile":
        reply(message_id, {"type": "IndexedFile", "page_url": payload["url"]})
    else:
        reply(message_id, {"type": kind})
"""
# Answers what is no reply, then an index that is no number.
GARBLED_SERVICE = """
def answer(message_id, payload):
    reply([message_id], {"type": "NewIndex", "index_id": 0})
    reply(message_id, ["NewIndex"])
    reply(message_id, {"type": "NewIndex", "index_id": "zero"})
"""


@pytest.mark.parametrize(
    ("script", "message"),
    [
        pytest.param(
            "import sys\nsys.stderr.write('error: the index store is read-only\\n')\nsys.exit(3)\n",
            "it stopped with exit code 3: error: the index store is read-only",
            id="stops",
        ),
        pytest.param(
            SERVICE.replace("answer(", "fail(").replace(
                "def reply", FAILING_SERVICE.replace("def answer", "def fail") + "def reply"
            ),
            "postmortems/2026-03-03-incident-3/index.html: cannot parse this page",
            id="cannot-index-a-page",
        ),
        pytest.param(
            SERVICE.replace("answer(", "garble(").replace(
                "def reply", GARBLED_SERVICE.replace("def answer", "def garble") + "def reply"
            ),
            "it made no index: it answered 'zero'",
            id="garbled",
        ),
    ],
)
def test_what_goes_wrong_in_pagefind_is_reported_and_it_is_stopped(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    script: str,
    message: str,
) -> None:
    """In its own words or naming the page, never waited for, with no process or thread
    left behind to fail later."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, script)))
    thread_errors: list[object] = []
    monkeypatch.setattr(threading, "excepthook", thread_errors.append)
    indexers = started(monkeypatch)
    config_file = write_project(tmp_path, postmortems(), config={"plugins": PLUGINS})
    assert build_error(config_file, caplog) == f"postmortems: Pagefind failed: {message}"
    assert len(indexers) == 1
    assert indexers[0]._process.poll() is not None
    assert not indexers[0]._reader.is_alive()
    assert thread_errors == []


@pytest.mark.build
def test_a_failed_build_stops_pagefind_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hook.py").write_text(
        "def on_post_page(output, page, config):\n"
        "    if 'incident-3' in page.url:\n"
        "        raise RuntimeError('a theme bug')\n"
        "    return output\n",
        encoding="utf-8",
    )
    indexers = started(monkeypatch)
    write_project(tmp_path, postmortems(), config={"plugins": PLUGINS, "hooks": ["hook.py"]})
    with pytest.raises(RuntimeError, match="a theme bug"):
        build_site(tmp_path / "mkdocs.yml")
    assert len(indexers) == 1
    assert indexers[0]._process.poll() is not None
    assert not (tmp_path / "site" / "pagefind").exists()


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("index.html", "/"),
        ("incidents/index.html", "/incidents/"),
        ("postmortems/x/index.html", "/postmortems/x/"),
        ("postmortems/x.html", "/postmortems/x.html"),
        ("a/myindex.html", "/a/myindex.html"),
        ("é x/index.html", "/é x/"),
        ("a#b?c%20.html", "/a#b?c%20.html"),
        (os.fsdecode(b"caf\xe9/index.html"), "/caf\ufffd/"),  # as Pagefind shows it
    ],
)
def test_pages_get_the_urls_pagefind_gives_the_written_files(path: str, url: str) -> None:
    assert pagefind.page_url(path) == url


def test_a_page_is_fed_as_mkdocs_writes_it(tmp_path: Path) -> None:
    """Non-ASCII text and a lone surrogate (MkDocs writes a character reference for it): the
    page as fed is the file as written, so the index is not taken for stale."""
    site = tmp_path / "site"
    (site / "p").mkdir(parents=True)
    html = "<html lang=en><body><main data-pagefind-body>Zürich \ud800 outage</main></body></html>"
    (site / "p" / "index.html").write_bytes(html.encode("utf-8", "xmlcharrefreplace"))
    indexer = Indexer(pagefind.pagefind_executable(), [])
    try:
        indexer.add("p/index.html", html)
        assert indexer.finish(site)
    finally:
        indexer.close()
    [fragment] = fragments(site / "pagefind").values()
    assert fragment["url"] == "/p/"
    assert "Zürich" in fragment["content"]


def within(seconds: float, work: Callable[[], object]) -> object:
    """What ``work`` returns or raises, failing the test if it has not ended in ``seconds``
    (a hang is left behind on a daemon thread rather than stopping the suite)."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed to the test, whatever it is
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still running after {seconds} s"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


# Pagefind's answer to a message it cannot read: an error tied to no message.
UNREADABLE_SERVICE = r"""
import base64, json, sys
reply = {"message_id": None, "payload": {"type": "Error", "original_message": None,
         "message": "lone leading surrogate in hex escape at line 1 column 9"}}
while chunk := sys.stdin.buffer.read1(65536):
    for _ in range(chunk.count(b",")):
        sys.stdout.buffer.write(base64.b64encode(json.dumps(reply).encode()) + b",")
        sys.stdout.buffer.flush()
"""


def test_an_error_pagefind_ties_to_no_message_ends_the_wait(tmp_path: Path) -> None:
    indexer = Indexer(fake_pagefind(tmp_path, UNREADABLE_SERVICE), [])
    try:
        with pytest.raises(pagefind.PagefindError, match="lone leading surrogate"):
            within(20, indexer.ready)
    finally:
        indexer.close(abort=True)


@pytest.mark.build
def test_a_site_folder_named_in_bytes_that_are_not_utf8_gets_its_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index's files are written by the plugin, so any folder the build can write to
    will do."""
    monkeypatch.chdir(tmp_path)
    config_file = write_project(tmp_path, postmortems(), config={"plugins": PLUGINS})
    site = within(120, lambda: build_as(config_file, "build", tmp_path / os.fsdecode(b"site-\xe9")))
    assert len(fragments(site / "pagefind")) == 5


# Sends the index's files back in one long reply, a few bytes at a time.
BUNDLE_SERVICE = """
def answer(message_id, payload):
    if payload["type"] == "NewIndex":
        reply(message_id, {"type": "NewIndex", "index_id": 0})
    elif payload["type"] == "GetFiles":
        files = [
            {"path": path, "content": base64.b64encode(content.encode()).decode()}
            for path, content in FILES
        ]
        out = base64.b64encode(json.dumps({"message_id": message_id, "payload": {"type": "GetFiles", "files": files}}).encode()) + b","
        for at in range(0, len(out), 7001):
            sys.stdout.buffer.write(out[at : at + 7001])
            sys.stdout.buffer.flush()
"""


@pytest.mark.parametrize(
    ("files", "error"),
    [
        (
            [
                ("pagefind-entry.json", '{"version": "1"}'),
                ("fragment/en_1.pf_fragment", "x" * 300_000),
            ],
            None,
        ),
        ([("../escaped.json", "{}")], "it sent a file outside its folder: '../escaped.json'"),
        (
            [("fragment/../../x.json", "{}")],
            "it sent a file outside its folder: 'fragment/../../x.json'",
        ),
        ([("/tmp/x.json", "{}")], "it sent a file outside its folder: '/tmp/x.json'"),
    ],
)
def test_the_index_is_written_from_the_files_pagefind_sends(
    tmp_path: Path, files: list[tuple[str, str]], error: str | None
) -> None:
    """Pagefind answers a request to write the files before its last writes reach the disk
    (and exits at once when its input ends), so it is asked for them instead: the long reply
    is read whole and every file lands in the bundle, none outside it."""
    script = f"FILES = {files!r}\n" + SERVICE.replace("answer(", "send_back(").replace(
        "def reply", BUNDLE_SERVICE.replace("def answer", "def send_back") + "def reply"
    )
    site = tmp_path / "site"
    site.mkdir()
    indexer = Indexer(fake_pagefind(tmp_path, script), [])
    try:
        if error is None:
            assert indexer.finish(site)
        else:
            with pytest.raises(pagefind.PagefindError, match=re.escape(error)):
                indexer.finish(site)
    finally:
        indexer.close()
    written = {
        p.relative_to(tmp_path).as_posix(): p.read_text()
        for p in tmp_path.rglob("*")
        if p.suffix in {".json", ".pf_fragment"}
    }
    expected = {f"site/pagefind/{path}": content for path, content in files}
    assert written == ({} if error else expected)


@pytest.mark.build
def test_a_file_whose_name_is_not_utf8_is_indexed_as_pagefind_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    docs = {"index.md": "# Home\n", os.fsdecode(b"caf\xe9.html"): STATIC_PAGE}
    write_project(tmp_path, postmortems(), docs=docs, config={"plugins": PLUGINS})
    site = build_site(tmp_path / "mkdocs.yml")
    assert "quokka" in fragments(site / "pagefind")["/caf\ufffd.html"]["content"]


def test_a_pagefind_that_never_answers_is_an_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    script = "import time\ntime.sleep(600)\n"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, script)))
    monkeypatch.setattr(pagefind, "START_TIMEOUT", 1)
    indexers = started(monkeypatch)
    config_file = write_project(tmp_path, postmortems(), config={"plugins": PLUGINS})
    message = within(60, lambda: build_error(config_file, caplog))
    assert message == "postmortems: Pagefind failed: it did not answer in 1 seconds"
    assert indexers[0]._process.poll() is not None


@pytest.mark.build
def test_a_gzipped_html_file_is_read_as_pagefind_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind's command unpacks an .html file that starts with gzip's signature."""
    monkeypatch.chdir(tmp_path)
    write_project(tmp_path, postmortems(), config={"plugins": PLUGINS})
    (tmp_path / "docs" / "packed.html").write_bytes(gzip.compress(STATIC_PAGE.encode()))
    (tmp_path / "docs" / "broken.html").write_bytes(b"\x1f\x8b\x08 not gzip")
    site = build_site(tmp_path / "mkdocs.yml")
    again = tmp_path / "again"
    shutil.copytree(site, again)
    shutil.rmtree(again / "pagefind")
    index_written_site(again, [adapter.PAGEFIND_IGNORED])
    ours = fragments(site / "pagefind")
    assert ours == fragments(again / "pagefind")
    assert "quokka" in ours["/packed.html"]["content"]


SAME_SIZE_HOOK = """
from pathlib import Path

def on_post_build(config):
    page = Path(config.site_dir) / "runbook" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("wombat", "possum"), encoding="utf-8")
"""


@pytest.mark.build
def test_a_page_changed_after_it_is_written_to_the_same_size_is_indexed_as_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hook.py").write_text(SAME_SIZE_HOOK, encoding="utf-8")
    runbook = "# Runbook\n\n<div data-pagefind-body markdown>\nThe wombat rota.\n</div>\n"
    docs = {"index.md": "# Home\n", "runbook.md": runbook}
    config = {"plugins": PLUGINS, "hooks": ["hook.py"]}
    write_project(tmp_path, postmortems(), docs=docs, config=config)
    site = build_site(tmp_path / "mkdocs.yml")
    content = fragments(site / "pagefind")["/runbook/"]["content"]
    assert "possum" in content
    assert "wombat" not in content


def test_a_pagefind_that_stops_at_once_is_reported_by_ready(tmp_path: Path) -> None:
    """Whether it stops before or after the first message is written to it, the same error
    comes from the same place (the build's message does not depend on the race)."""
    for _ in range(20):
        indexer = Indexer(Path("/bin/false"), [])
        try:
            with pytest.raises(pagefind.PagefindError, match=r"^it stopped with exit code 1$"):
                within(20, indexer.ready)
        finally:
            indexer.close()


LISTING = (
    '<!doctype html><html lang="en"><head><title>Incidents</title></head><body>'
    "<main><h1>Incidents</h1><p>Every incident of the year, listed.</p></main></body></html>"
)
SHOUTED = (
    '<!doctype html><html lang="en"><head><title>Otter</title></head><body>'
    "<MAIN DATA-PAGEFIND-BODY><h1>Otter</h1><p>The otter rota.</p></MAIN></body></html>"
)


def fed(site: Path, pages: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Write ``pages`` into ``site``, feed them to an indexer, write the index; return the
    files sent to Pagefind, in order."""
    for path, text in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    sent: list[str] = []
    send = Indexer._add

    def spy(self: Indexer, path: str, html: str) -> None:
        sent.append(path)
        send(self, path, html)

    monkeypatch.setattr(Indexer, "_add", spy)
    indexer = Indexer(pagefind.pagefind_executable(), [])
    try:
        for path, text in pages.items():
            indexer.add(path, text)
        assert indexer.finish(site)
    finally:
        indexer.close()
    return sent


def test_a_page_without_a_body_element_is_not_sent_once_a_page_has_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind would read the listing, keep it until the index is written, then leave it
    out; the attribute counts in any letter case, as HTML reads it."""
    site = tmp_path / "site"
    pages = {"a/index.html": PAGE, "incidents/index.html": LISTING, "c/index.html": SHOUTED}
    assert fed(site, pages, monkeypatch) == ["a/index.html", "c/index.html"]
    assert fragments(site / "pagefind").keys() == {"/a/", "/c/"}


def test_a_site_without_a_body_element_has_every_page_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Then Pagefind indexes every page: the pages held back are sent from the site."""
    site = tmp_path / "site"
    other = LISTING.replace("Incidents", "Services")
    pages = {"incidents/index.html": LISTING, "services/index.html": other}
    assert fed(site, pages, monkeypatch) == ["incidents/index.html", "services/index.html"]
    assert fragments(site / "pagefind").keys() == {"/incidents/", "/services/"}


def test_a_page_held_back_and_changed_on_disk_has_the_site_indexed_as_written(
    tmp_path: Path,
) -> None:
    """A page not sent is still one the index must agree with: changed after it was
    written (another plugin may add a body element), the written site is indexed instead."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "b").mkdir()
    (site / "b" / "index.html").write_text(SHOUTED, encoding="utf-8")
    indexer = Indexer(pagefind.pagefind_executable(), [])
    try:
        indexer.add("a/index.html", PAGE)
        indexer.add("b/index.html", LISTING)
        assert not indexer.finish(site)
    finally:
        indexer.close()


@pytest.mark.build
def test_pagefind_indexes_what_a_reader_looks_an_incident_up_by_not_what_the_page_restates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header's duration, impact and dates, the card's times, counts and row names, the
    timeline's drawing and the action items' column names say again what the page says:
    every word a page keeps costs Pagefind memory until the index is written. Its filters
    and metadata, which the results show, stay."""
    monkeypatch.chdir(tmp_path)
    write_project(tmp_path, postmortems(), config={"plugins": PLUGINS})
    site = build_site(tmp_path / "mkdocs.yml")
    fragment = fragments(site / "pagefind")["/postmortems/2026-03-01-incident-1/"]
    words = fragment["content"]
    for kept in (
        "Checkout API returned 500s after a config push",
        "SEV2",
        "published",
        "2026-03-01-incident-1",
        "pool size to zero",
        "Error-rate alert paged",
        "checkout-api config-service",
        "tag-1 deploy",
        "Dana Whitfield",
        "Omar Haddad",
        "status page update at 14:20",
        "Roll config out one region at a time",
        "OPS-102",
    ):
        assert kept in words, kept
    for restated in (
        "1 h 28 min",
        "1,200 users",
        "Started",
        "Time to detect",
        "Users affected",
        "Authors",
        "on one time axis",
        "Owner Due Priority",
        "· ·",
    ):
        assert restated not in words, restated
    assert fragment["meta"]["date"] == "2026-03-01"
    assert fragment["meta"]["title"] == (
        "Checkout API returned 500s after a config push · SEV2 · 2026-03-01 · published"
        " · checkout-api, config-service"
    )
    assert fragment["filters"] == {
        "service": ["checkout-api", "config-service"],
        "severity": ["SEV2"],
        "status": ["published"],
        "tag": ["tag-1", "deploy"],
    }


@pytest.mark.parametrize(
    "html",
    [
        PAGE,
        STATIC_PAGE,
        LISTING,
        "<p>data-pagefind-body</p><div data-pagefind-body>",
        '<a title="<" data-pagefind-body>',
        '<a title=">" data-pagefind-body>',
        "<div data-pagefind-bodyx><p data-pagefind-body/>",
        "<div\ndata-pagefind-body='yes'>",
        "<1 data-pagefind-body>",
        "<a xdata-pagefind-body>",
        "<a x-data-pagefind-body><b data-pagefind-body>",
        "<a data-pagefind-body",
    ],
)
def test_the_indexed_element_is_found_where_its_pattern_finds_it(html: str) -> None:
    """Looked for around each mention of the attribute, not from every ``<`` of the page."""
    found = pagefind.BODY_TAG.search(html)
    assert pagefind._body_tag_start(html) == (-1 if found is None else found.start())


# The setting Pagefind's allocator (jemalloc, built in under a prefix) reads.
ALLOCATOR = "_RJEM_MALLOC_CONF"
# Writes down the allocator setting it was started with, then stops.
TELLS_ITS_ALLOCATOR = f"""
import os, sys
with open(sys.argv[0] + ".allocator", "w") as told:
    told.write(os.environ.get({ALLOCATOR!r}, "(none)"))
"""


@pytest.mark.parametrize(("ours", "told"), [(None, "dirty_decay_ms:0"), ("narenas:1", "narenas:1")])
@pytest.mark.parametrize("way", ["service", "command"])
def test_pagefind_hands_freed_memory_back_unless_the_environment_says_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str, ours: str | None, told: str
) -> None:
    """Pagefind's allocator kept what it freed for ten seconds: the service peaked a third
    above what it used while it built the index. Both ways of running it are told to hand
    memory back at once; a setting of the environment's own is kept."""
    executable = fake_pagefind(tmp_path, TELLS_ITS_ALLOCATOR)
    if ours is None:
        monkeypatch.delenv(ALLOCATOR, raising=False)
    else:
        monkeypatch.setenv(ALLOCATOR, ours)
    if way == "service":
        indexer = Indexer(executable, [])
        with pytest.raises(pagefind.PagefindError, match="it stopped"):
            within(20, indexer.ready)
        indexer.close()
    else:
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(executable))
        index_written_site(tmp_path, [])
    assert Path(f"{executable}.allocator").read_text() == told
