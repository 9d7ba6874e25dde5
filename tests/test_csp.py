"""The Content-Security-Policy ``<meta>`` of the site's pages (site/csp.py)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from conftest import VALID, VALID_NAME
from mkdocs_postmortems.site.csp import policy, with_policy
from sitebuild import build_site, html, write_project

PAGE = "postmortems/2026-03-04-checkout-config-push"


def sha(code: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()}'"


def directives(text: str) -> dict[str, list[str]]:
    parts = (part.split() for part in text.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def test_the_theme_inline_scripts_are_allowed_by_hash_and_nothing_else() -> None:
    chrome = (
        "<head><script>var a=1</script>"
        '<script id="__config" type="application/json">{"base": "."}</script>'
        '<script src="https://cdn.example.com/x.js"></script>'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        "</head>"
    )
    found = directives(policy(chrome, wasm=False))
    assert found["script-src"] == ["'self'", sha("var a=1"), "https://cdn.example.com"]
    assert "https://fonts.googleapis.com" in found["style-src"]
    assert "https://fonts.gstatic.com" in found["font-src"]
    assert found["object-src"] == ["'none'"]
    assert found["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in found["script-src"]
    assert "'wasm-unsafe-eval'" in directives(policy(chrome, wasm=True))["script-src"]


def test_each_page_gets_the_policy_of_its_own_scripts() -> None:
    """Policies are made once per set of the theme's scripts and stylesheets: a page whose
    inline script differs by one character, or that loads one more stylesheet, never gets
    the policy made for another page, whatever the order the pages come in."""
    pages = [
        "<head><script>var depth='..'</script></head>",
        "<head><script>var depth='../..'</script></head>",
        "<head><script>var depth='..'</script>"
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css"></head>',
    ]
    for _ in range(2):
        found = [directives(policy(page, wasm=False)) for page in pages]
        assert found[0]["script-src"] == ["'self'", sha("var depth='..'")]
        assert found[1]["script-src"] == ["'self'", sha("var depth='../..'")]
        assert found[2]["script-src"] == found[0]["script-src"]
        assert "https://fonts.googleapis.com" not in found[0]["style-src"]
        assert "https://fonts.googleapis.com" in found[2]["style-src"]
    tagged = [with_policy(f"<html>{page}<body></body></html>", None, wasm=False) for page in pages]
    assert len(set(tagged)) == 3
    assert sha("var depth='../..'") in tagged[1].replace("&#39;", "'")


def test_a_script_in_the_content_is_never_hashed() -> None:
    content = "<p>x</p><script>alert(1)</script>"
    output = f'<html><head>\n<meta charset="utf-8"></head><body>{content}</body></html>'
    written = with_policy(output, content, wasm=False)
    assert sha("alert(1)") not in written.replace("&#39;", "'")
    # First in the head after the charset: it governs every script that follows.
    assert re.match(r'<html><head>\n<meta charset="utf-8"><meta http-equiv="Content-Se', written)


@pytest.mark.build
def test_every_page_of_a_build_has_the_policy_before_its_first_script(tmp_path: Path) -> None:
    config = write_project(tmp_path, {VALID_NAME: VALID})
    site = build_site(config)
    assert "Content-Security-Policy" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    for url in (PAGE, "incidents", "index.html", "404.html"):
        page = html(site, url) if "." not in url else (site / url).read_text(encoding="utf-8")
        meta = page.find('http-equiv="Content-Security-Policy"')
        assert 0 < meta < page.find("<script"), url


@pytest.mark.build
def test_the_policy_can_be_turned_off(tmp_path: Path) -> None:
    config = write_project(
        tmp_path,
        {VALID_NAME: VALID},
        config={"plugins": ["search", {"postmortems": {"content_security_policy": False}}]},
    )
    assert "Content-Security-Policy" not in html(build_site(config), PAGE)
