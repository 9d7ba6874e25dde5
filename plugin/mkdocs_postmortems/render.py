"""Rendering with Jinja2 templates shipped in the package.

HTML templates are autoescaped: every value taken from a post-mortem is escaped on the pages
built from them. Markdown templates (``*.md.j2``) hold only the project's own text.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from mkdocs_postmortems.findings import all_rules


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mkdocs_postmortems", "templates"),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        # Templates ship in the package and never change while a build runs; checking them
        # for changes on every render was a tenth of the build time.
        auto_reload=False,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def rules_reference() -> str:
    """The rule reference page, in Markdown, from the rule registry."""
    return render("rules.md.j2", rules=all_rules())
