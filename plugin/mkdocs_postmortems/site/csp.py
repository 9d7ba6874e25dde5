"""The Content-Security-Policy of the site's pages, as a ``<meta>`` at the top of their head.

Defence in depth behind the sanitizer (:mod:`mkdocs_postmortems.core.sanitize`): were some
markup of an author's to get through, the browser would still run no script but the site's
own files and the theme's inline scripts, load nothing from elsewhere but what the theme's
own head names, and take no ``<base>``, plugin object or form to another site.

The theme's inline scripts are allowed by their hashes, read from each page as written (the
theme writes a page's depth into one of them), outside the post-mortem's own content.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache

from mkdocs_postmortems.site.render import render

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(r"<link\b([^>]*)>", re.IGNORECASE)
_SOURCE = re.compile(r"""\b(?:src|href)\s*=\s*["']?((?:https?:)?//[^/"'\s>]+)""", re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
_STYLESHEET = re.compile(r"""\brel\s*=\s*["']?stylesheet\b""", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>(\s*<meta charset=[^>]*>)?", re.IGNORECASE)
# Types a browser runs as script; any other (JSON, the theme's configuration) is data.
_SCRIPT_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
# What Google Fonts' stylesheet loads the fonts from (mkdocs-material's default fonts).
_FONT_FILES = {"https://fonts.googleapis.com": "https://fonts.gstatic.com"}


def policy(chrome: str, *, wasm: bool) -> str:
    """The policy for a page whose theme markup (everything but the author's content) is
    ``chrome``; ``wasm``: the page may run Pagefind's WebAssembly."""
    return _policy(tuple(_SCRIPT.findall(chrome)), tuple(_LINK.findall(chrome)), wasm=wasm)


# The theme writes the same few scripts and stylesheets into every page (one script differs
# with the page's depth): a build's thousand pages have a handful of policies, each made
# (scripts hashed, origins read) once.
@lru_cache(maxsize=64)
def _policy(scripts: tuple[tuple[str, str], ...], links: tuple[str, ...], *, wasm: bool) -> str:
    """The policy of a page whose theme markup holds ``scripts`` (each one's attributes
    and code) and ``links`` (each one's attributes)."""
    scripts_allowed, styles, fonts = ["'self'"], ["'self'", "'unsafe-inline'"], ["'self'", "data:"]
    for attributes, code in scripts:
        source = _SOURCE.search(attributes)
        kind = _TYPE.search(attributes)
        if source:
            _add(scripts_allowed, _origin(source[1]))
        elif (kind[1].lower() if kind else "") in _SCRIPT_TYPES and code.strip():
            digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest())
            _add(scripts_allowed, f"'sha256-{digest.decode('ascii')}'")
    for attributes in links:
        source = _SOURCE.search(attributes)
        if source and _STYLESHEET.search(attributes):
            origin = _origin(source[1])
            _add(styles, origin)
            if origin in _FONT_FILES:
                _add(fonts, _FONT_FILES[origin])
    if wasm:
        scripts_allowed.append("'wasm-unsafe-eval'")
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src {' '.join(scripts_allowed)}",
            f"style-src {' '.join(styles)}",
            f"font-src {' '.join(fonts)}",
            # Authors show graphs from their dashboards; an image runs no script.
            "img-src * data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        )
    )


def with_policy(output: str, content: str | None, *, wasm: bool) -> str:
    """``output`` (a page as written) with its policy at the top of its head, before any
    script. ``content``: the author's part of the page, whose scripts are never allowed."""
    chrome = output.replace(content, "", 1) if content else output
    tag = _meta(policy(chrome, wasm=wasm))
    head = _HEAD.search(output)
    if head is None:
        return output
    return f"{output[: head.end()]}{tag}{output[head.end() :]}"


@lru_cache(maxsize=64)
def _meta(policy: str) -> str:
    return render("csp_meta.html", policy=policy).strip()


def _origin(source: str) -> str:
    return source if source.lower().startswith("http") else f"https:{source}"


def _add(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)
