"""The public edition: a knowledge base with something internal planted in every place a
value can reach is built twice, internal and public, by MkDocs (a second config that
INHERITs the first), ProperDocs and ``render`` + Zensical; every output file of the public
builds is searched for every planted string, and the internal build holds them all. The
leak check finds every planted leak where it is written."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from browser import save_screenshot, screenshot_on_failure, serve
from conftest import VALID
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import ConfigError, Settings, settings_from_options
from mkdocs_postmortems.core.config_file import load_settings
from mkdocs_postmortems.core.edition import public_text
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.core.reader import read_postmortem
from mkdocs_postmortems.rules import RULES, RULESET
from sitebuild import build_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# What must never reach the public edition, one unique string per place it is planted.
PLANTED = {
    "author": "Quillon Marsh",
    "facilitator": "Ysolde Prent",
    "owner": "Bartholomew Quince",
    "ticket": "OPS-77810",
    "passage host": "pay-db7.corp.example.com",
    "passage secret": "AKIAPLANTED0SECRET12",
    "comment": "zirconium-comment-note",
    "internal summary": "The ledger quartz migration script",
    "extra field": "Initech Zirconia",
    "extra field label": "Account holder",
    "internal title": "Tourmaline ledger outage",
    "internal id": "tourmaline-ledger-outage",
    "internal tag": "tourmaline-tag",
    "internal body": "basalt-runbook-step",
    "internal services": "obsidian-service",
    "internal impact": "jasper-impact-note",
}
PUBLIC_SUMMARY = "Card payments failed for some customers for 40 minutes."

PUBLIC_PM = f"""\
---
title: Card payments failed after a certificate rotation
visibility: public
severity: SEV2
status: published
started: 2026-03-04T14:02:00Z
detected: 2026-03-04T14:09:00Z
resolved: 2026-03-04T15:30:00Z
published: 2026-03-06
authors: [{PLANTED["author"]}]
facilitator: {PLANTED["facilitator"]}
customer: {PLANTED["extra field"]}
services: [payments-api]
tags: [certificates]
related: [2026-02-01-tourmaline-ledger-outage]
---

## Summary

{PLANTED["internal summary"]} rotated the certificate early.

## Public summary

{PUBLIC_SUMMARY}

## Timeline

| Time | Event |
|------|-------|
| 2026-03-04 14:02 | A new certificate was rolled out |
| 14:09 | The error-rate alert paged the on-call engineer |
| 15:30 | The previous certificate was restored |

## Impact

Card payments failed for 40 minutes.

<!-- {PLANTED["comment"]} -->

## Root Causes

The rotation job accepted a certificate without the intermediate chain.

<!-- internal -->
The job ran on {PLANTED["passage host"]} with the key {PLANTED["passage secret"]}.

```text
{PLANTED["passage host"]}: handshake failed
```
<!-- /internal -->

## What Went Well

The alert fired within seven minutes.

## What Could Be Improved

Certificates reach every region at once.

## Action Items

| Action | Owner | Due | Priority | Status | Ticket |
|--------|-------|-----|----------|--------|--------|
| Check the chain before a rotation | {PLANTED["owner"]} | 2026-03-20 | P1 | open | {PLANTED["ticket"]} |
"""

INTERNAL_PM = f"""\
---
title: {PLANTED["internal title"]}
severity: SEV3
status: published
started: 2026-02-01T10:00:00Z
detected: 2026-02-01T10:05:00Z
resolved: 2026-02-01T11:00:00Z
published: 2026-02-03
authors: [Platform team]
services: [{PLANTED["internal services"]}]
tags: [{PLANTED["internal tag"]}]
impact:
  customer_comms: {PLANTED["internal impact"]}
related: [2026-03-04-card-payments-certificate]
---

## Summary

The ledger stopped; {PLANTED["internal body"]} restarted it.

## Timeline

| Time | Event |
|------|-------|
| 2026-02-01 10:00 | The ledger stopped |
| 11:00 | The ledger was restarted |

## Impact

Nobody outside noticed.

## Root Causes

A disk filled up.

## What Went Well

The alert fired.

## What Could Be Improved

Disk alerts.

## Action Items

| Action | Owner | Due | Priority | Status | Ticket |
|--------|-------|-----|----------|--------|--------|
| Alert on disk use | Platform team | 2026-03-01 | P2 | done | OPS-77811 |
"""

POSTMORTEMS = {
    "2026/2026-03-04-card-payments-certificate.md": PUBLIC_PM,
    "2026/2026-02-01-tourmaline-ledger-outage.md": INTERNAL_PM,
}
OPTIONS = {
    "folder": "postmortems",
    "pagefind": True,
    "extra_fields": {"customer": {"type": "string", "internal": True, "label": "Account holder"}},
    "public_edition": {"url": "https://status.example.com/postmortems/"},
}
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}


def write_project(root: Path, generator_config: str = "mkdocs.yml") -> Path:
    for name, text in POSTMORTEMS.items():
        path = root / "postmortems" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Incidents\n", encoding="utf-8")
    config = {
        "site_name": "Payments incidents",
        "site_url": "https://intranet.example.com/",
        "theme": {"name": "material"},
        # The mapping form, so that a config that INHERITs this one merges its options in.
        "plugins": {"search": {}, "postmortems": OPTIONS},
        "markdown_extensions": ["admonition", "tables", "md_in_html", "attr_list"],
    }
    (root / generator_config).write_text(yaml.safe_dump(config), encoding="utf-8")
    # The public edition: the same configuration, the edition option and its own site.
    public = {
        "INHERIT": generator_config,
        "site_url": "https://status.example.com/",
        "site_dir": "public-site",
        "plugins": {"postmortems": {"edition": "public"}},
    }
    (root / f"public-{generator_config}").write_text(yaml.safe_dump(public), encoding="utf-8")
    return root


def run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"


def render(root: Path, *options: str) -> None:
    """``postmortems render --out docs`` in this process: the pages it writes are what is
    tested (the generators' builds run as commands)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
        assert main(["render", "--out", "docs", *options]) == 0


def every_text(site: Path) -> dict[str, str]:
    """Every output file as text, Pagefind's gzip'd files decompressed."""
    texts = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        texts[str(path.relative_to(site))] = data.decode("utf-8", "replace")
    return texts


def leaks(site: Path) -> list[tuple[str, str]]:
    texts = every_text(site)
    return [
        (name, file) for name in PLANTED.values() for file, text in texts.items() if name in text
    ]


@pytest.fixture(scope="module")
def mkdocs_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Both editions built in this process, as ``mkdocs build`` and ``mkdocs build -f
    public-mkdocs.yml`` build them (ProperDocs and Zensical run as commands below)."""
    root = write_project(tmp_path_factory.mktemp("mkdocs"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        for name in ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING"):
            patch.setenv(name, ENV[name])
        internal = build_site(root / "mkdocs.yml")
        public = build_site(root / "public-mkdocs.yml")
    assert (internal, public) == (root / "site", root / "public-site")
    return internal, public


@pytest.fixture(scope="module")
def properdocs_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_project(tmp_path_factory.mktemp("properdocs"), "properdocs.yml")
    run([sys.executable, "-m", "properdocs", "build", "-q", "-f", "public-properdocs.yml"], root)
    return root / "public-site"


@pytest.fixture(scope="module")
def zensical_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_project(tmp_path_factory.mktemp("zensical"))
    render(root, "--edition", "public")
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent))
    assert zensical, "zensical is a test dependency: pip install -e '.[test]'"
    (root / "zensical.toml").write_text(
        '[project]\nsite_name = "Payments incidents"\nsite_dir = "public-site"\n'
        'extra_css = ["assets/postmortems/postmortems.css"]\n',
        encoding="utf-8",
    )
    run([zensical, "build"], root)
    return root / "public-site"


def test_the_internal_build_holds_every_planted_string(mkdocs_builds: tuple[Path, Path]) -> None:
    internal, _ = mkdocs_builds
    texts = "\n".join(every_text(internal).values())
    # An HTML comment is in no build: the sanitizer drops it from every page.
    missing = [value for key, value in PLANTED.items() if value not in texts and key != "comment"]
    assert missing == []


def test_the_public_mkdocs_build_holds_none_of_them(mkdocs_builds: tuple[Path, Path]) -> None:
    _, public = mkdocs_builds
    assert (public / "pagefind").is_dir()  # Pagefind's files are searched too
    assert leaks(public) == []
    page = public / "postmortems" / "2026-03-04-card-payments-certificate" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert PUBLIC_SUMMARY in text
    assert "intranet.example.com" not in "\n".join(every_text(public).values())


def test_the_internal_site_links_the_public_version(mkdocs_builds: tuple[Path, Path]) -> None:
    internal, public = mkdocs_builds
    page = internal / "postmortems" / "2026-03-04-card-payments-certificate" / "index.html"
    url = "https://status.example.com/postmortems/2026-03-04-card-payments-certificate/"
    text = page.read_text(encoding="utf-8")
    assert url in text
    # The internal passage is boxed, whole: its prose and its code block.
    box = text[text.index('<div class="pm-internal"') :]
    box = box[: box.index("</div>")]
    assert box.count(PLANTED["passage host"]) == 2
    assert PLANTED["passage secret"] in box
    other = internal / "postmortems" / "2026-02-01-tourmaline-ledger-outage" / "index.html"
    assert "status.example.com" not in other.read_text(encoding="utf-8")
    assert not (public / "postmortems" / "2026-02-01-tourmaline-ledger-outage").exists()


def test_the_public_properdocs_build_holds_none_of_them(properdocs_build: Path) -> None:
    assert (properdocs_build / "postmortems" / "2026-03-04-card-payments-certificate").is_dir()
    assert leaks(properdocs_build) == []


def test_the_public_zensical_build_holds_none_of_them(zensical_build: Path) -> None:
    assert any("card-payments-certificate" in name for name in every_text(zensical_build))
    assert leaks(zensical_build) == []


PAGE = "postmortems/2026-03-04-card-payments-certificate/"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_a_public_page_reads_well_on_both_screens(
    browser: Browser,
    mkdocs_builds: tuple[Path, Path],
    width: int,
    request: pytest.FixtureRequest,
) -> None:
    """The public page shows its public summary and its action items without the internal
    columns, and fits the screen; the internal page links it."""
    _, public = mkdocs_builds
    with serve(public.parent) as url:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            page.goto(f"{url}public-site/{PAGE}")
            article = page.locator("article")
            assert PUBLIC_SUMMARY in article.inner_text()
            headers = page.locator(".pm-action-items th, table th").all_inner_texts()
            assert "Action" in headers
            assert "Owner" not in headers
            assert "Ticket" not in headers
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            save_screenshot(page, f"public-edition-{width}")
            page.goto(f"{url}site/{PAGE}")
            link = page.get_by_role("link", name="Read the public version")
            assert link.is_visible()
            assert link.get_attribute("href") == f"https://status.example.com/{PAGE}"
            marked = page.locator(".pm-internal")
            assert marked.is_visible()
            assert PLANTED["passage host"] in marked.inner_text()
        finally:
            screenshot_on_failure(request, page)
            context.close()


# The leak check: one public post-mortem with a leak in every place public text can hold,
# each at a known line and column.
LEAKY = VALID.replace("title: Checkout", "visibility: public\ntitle: Checkout").replace(
    "## Impact\n",
    "## Impact\n\n"
    "Requests to pay-db7.corp.example.com and 10.20.30.40 timed out.\n"
    "Mail oncall@example.com or ask @dana.w; Dana Whitfield knows.\n"
    "See OPS-4242 and the key AKIAPLANTED0SECRET12 (TBD).\n"
    "<!-- internal -->\nThis passage names db9.corp.example.com and is fine.\n",
)
EXPECTED = [
    ("PM701", 35, 13),
    ("PM701", 35, 42),
    ("PM702", 36, 6),
    ("PM703", 36, 32),
    ("PM703", 36, 41),
    ("PM704", 37, 5),
    ("PM705", 37, 26),
    ("PM706", 37, 48),
    ("PM707", 38, 1),
]


def public_settings(root: Path, **options: object) -> Settings:
    return settings_from_options({"edition": "public", **options}, root, RULES)


def leak_findings(root: Path, text: str, **options: object) -> list[tuple[str, int, int]]:
    path = root / "postmortems" / "2026" / "2026-03-04-checkout-config-push.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    kb = load(public_settings(root, **options), RULESET)
    return [(f.code, f.line, f.col) for f in kb.findings if f.code.startswith("PM7")]


def test_the_leak_check_finds_every_planted_leak_where_it_is(tmp_path: Path) -> None:
    assert leak_findings(tmp_path, LEAKY) == EXPECTED


def test_a_clean_public_postmortem_has_no_leak(tmp_path: Path) -> None:
    clean = VALID.replace("title: Checkout", "visibility: public\ntitle: Checkout")
    assert leak_findings(tmp_path, clean) == []


def test_the_internal_edition_checks_no_leak(tmp_path: Path) -> None:
    path = tmp_path / "postmortems" / "2026" / "2026-03-04-checkout-config-push.md"
    path.parent.mkdir(parents=True)
    path.write_text(LEAKY, encoding="utf-8")
    kb = load(Settings(root=tmp_path), RULESET)
    assert [f for f in kb.findings if f.code.startswith("PM7")] == []


def test_configured_hosts_and_tickets(tmp_path: Path) -> None:
    text = VALID.replace("title: Checkout", "visibility: public\ntitle: Checkout").replace(
        "## Impact\n", "## Impact\n\nThe vault.acme-ops.net host and case #4411 were slow.\n"
    )
    options = {"public_edition": {"hosts": [r"\.acme-ops\.net$"], "tickets": r"#\d{4}"}}
    assert leak_findings(tmp_path, text, **options) == [("PM701", 35, 5), ("PM704", 35, 38)]


def test_public_text_drops_internal_columns_passages_keys_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "postmortems" / "2026" / "2026-03-04-card-payments-certificate.md"
    path.parent.mkdir(parents=True)
    path.write_text(PUBLIC_PM, encoding="utf-8")
    settings = public_settings(tmp_path, **{"extra_fields": OPTIONS["extra_fields"]})
    text = public_text(read_postmortem(path, "x.md", settings, RULESET), settings)
    # The link to the internal post-mortem is dropped once the public ones are known.
    left = [value for key, value in PLANTED.items() if value in text and key != "internal id"]
    assert left == []
    assert "| Action | Due | Priority | Status |" in text
    assert PUBLIC_SUMMARY in text
    assert "## Public summary" not in text


def test_a_bad_visibility_and_edition_are_refused(tmp_path: Path) -> None:
    text = VALID.replace("title: Checkout", "visibility: customers\ntitle: Checkout")
    path = tmp_path / "postmortems" / "2026" / "2026-03-04-checkout-config-push.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    kb = load(Settings(root=tmp_path), RULESET)
    assert [(f.code, f.line, f.col) for f in kb.findings] == [("PM700", 2, 13)]
    with pytest.raises(ConfigError, match="edition' must be one of internal, public"):
        settings_from_options({"edition": "customers"}, tmp_path, RULES)
    with pytest.raises(ConfigError, match=r"public_edition': unknown key 'hsts'"):
        settings_from_options({"public_edition": {"hsts": []}}, tmp_path, RULES)


def test_check_edition_public_fails_on_a_leak(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "postmortems" / "2026" / "2026-03-04-checkout-config-push.md"
    path.parent.mkdir(parents=True)
    path.write_text(LEAKY, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [postmortems]\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", ENV["SOURCE_DATE_EPOCH"])
    main(["check"])
    assert "PM70" not in capsys.readouterr().out
    assert main(["check", "--edition", "public"]) == 1
    public = capsys.readouterr().out
    assert "2026-03-04-checkout-config-push.md:37:26: error PM705" in public
    assert json.dumps(public)  # printable


def public_body(root: Path, body: str, facilitator: str = "facilitator: Omar Haddad\n") -> str:
    """The public text of a public post-mortem with ``body`` after its Summary."""
    text = VALID.replace("title: Checkout", "visibility: public\ntitle: Checkout")
    text = text.replace("facilitator: Omar Haddad\n", facilitator)
    text = text.replace("## Timeline\n", f"{body}\n## Timeline\n", 1)
    path = root / "postmortems" / "2026" / "2026-03-04-checkout-config-push.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    settings = public_settings(root)
    return public_text(read_postmortem(path, "x.md", settings, RULESET), settings)


def test_a_passage_within_a_line_and_a_comment_across_lines_are_left_out(tmp_path: Path) -> None:
    body = (
        "The pool held <!-- internal -->on db-7 <!-- /internal -->zero connections.\n\n"
        "<!--\na note on\nseveral lines\n-->\nKept.\n"
    )
    text = public_body(tmp_path, body)
    assert "The pool held " in text
    assert "zero connections." in text
    assert "db-7" not in text
    assert "several lines" not in text
    assert "Kept." in text


def test_a_marker_in_a_code_block_is_code(tmp_path: Path) -> None:
    body = "```html\n<!-- internal -->\nshown as code\n```\n\nAfter the block.\n"
    text = public_body(tmp_path, body)
    assert "<!-- internal -->\nshown as code" in text
    assert "After the block." in text


def test_internal_keys_are_left_out_whatever_their_layout(tmp_path: Path) -> None:
    facilitator = '"facilitator": Ysolde Prent\n# Quillon Marsh reviewed it\n'
    text = public_body(tmp_path, "", facilitator)
    assert "Ysolde" not in text
    assert "Quillon" not in text
    assert "Dana Whitfield" not in text  # authors: [...] of the example
    assert "services: [checkout-api, config-service]" in text


def test_public_edition_options_are_checked(tmp_path: Path) -> None:
    for options, message in [
        ({"url": "status.example.com"}, "url' must be an http"),
        ({"hosts": ["(unclosed"]}, "is not a pattern"),
        ({"default": "secret"}, "default' must be one of internal, public"),
        ({"columns": "Owner"}, "must be a list of non-empty strings"),
    ]:
        with pytest.raises(ConfigError, match=message):
            settings_from_options({"public_edition": options}, tmp_path, RULES)


def position(text: str, found: str) -> tuple[int, int]:
    at = text.index(found)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def test_leaks_in_the_front_matter_and_tables_are_found_where_they_are(tmp_path: Path) -> None:
    text = (
        VALID.replace(
            "title: Checkout API returned 500s",
            "visibility: public\npublic_summary: Write to ops@example.com\n"
            "title: Checkout API on api.internal returned 500s",
        )
        .replace("tags: [config, deploy]", "tags: [config, OPS-999]")
        .replace("| Add a minimum of 1", "| Rotate the key on 10.0.0.5 and add a minimum of 1")
    )
    expected = [
        ("PM701", *position(text, "api.internal")),
        ("PM701", *position(text, "10.0.0.5")),
        ("PM702", *position(text, "ops@example.com")),
        ("PM704", *position(text, "OPS-999")),
    ]
    assert sorted(leak_findings(tmp_path, text)) == sorted(expected)


@pytest.mark.build
def test_render_boxes_the_internal_passages_for_zensical(tmp_path: Path) -> None:
    """The internal site built through ``render`` marks the passage as MkDocs does: the box
    holds the passage, rendered."""
    root = write_project(tmp_path)
    render(root)
    page = next((root / "docs").rglob("2026-03-04-card-payments-certificate*.md"))
    text = page.read_text(encoding="utf-8")
    box = text[text.index('<div class="pm-internal"') :]
    assert box.startswith('<div class="pm-internal" title=')
    assert box.index(PLANTED["passage host"]) < box.index("</div>")


def test_action_items_in_an_internal_passage_are_left_out(tmp_path: Path) -> None:
    text = VALID.replace("title: Checkout", "visibility: public\ntitle: Checkout").replace(
        "| Action | Owner", "<!-- internal -->\n\n| Action | Owner"
    )
    text += "\n<!-- /internal -->\n"
    path = tmp_path / "postmortems" / "2026" / "2026-03-04-checkout-config-push.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    internal = load(Settings(root=tmp_path), RULESET).postmortems[0]
    assert len(internal.action_items) == 2
    (public,) = load(public_settings(tmp_path), RULESET).postmortems
    assert public.action_items == []


def test_the_public_edition_fails_on_an_internal_postmortems_error(tmp_path: Path) -> None:
    """An internal post-mortem has no page in the public edition, but its errors still fail
    the build, as they fail ``postmortems check``: one knowledge base, one gate."""
    path = tmp_path / "postmortems" / "2026" / "2026-03-04-checkout-config-push.md"
    path.parent.mkdir(parents=True)
    path.write_text(VALID.replace("severity: SEV2", "severity: SEV9"), encoding="utf-8")
    kb = load(public_settings(tmp_path), RULESET)
    assert kb.postmortems == []
    assert [f.code for f in kb.findings] == ["PM104"]


def test_the_examples_public_postmortem_is_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example marks one post-mortem public; its public text passes the leak check."""
    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    settings = replace(load_settings(root / "mkdocs.yml", RULES), edition="public")
    kb = load(settings, RULESET)
    assert [pm.id for pm in kb.postmortems] == ["2025-02-27-api-tls-certificate-expiry"]
    assert [f.format() for f in kb.findings if f.code.startswith("PM7")] == []


def test_documentation_addresses_and_code_are_no_leak(tmp_path: Path) -> None:
    text = VALID.replace("title: Checkout", "visibility: public\ntitle: Checkout").replace(
        "## Impact\n",
        "## Impact\n\nClients of 203.0.113.45 ran `dig @ns1.example checkout` and @oncall.\n",
    )
    assert leak_findings(tmp_path, text) == [("PM703", 35, *position(text, "@oncall")[1:])]
