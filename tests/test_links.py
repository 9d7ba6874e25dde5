"""Relative links between generated pages, as MkDocs would write them."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from mkdocs_postmortems.site.links import relative_url


def reference(target: str, here: str) -> str:
    """The slow, obviously right version: the standard library's relpath."""
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    result = posixpath.relpath("/" + target, "/" + base)
    if result == ".":
        return "./"
    if (not target or target.endswith("/")) and not result.endswith("/"):
        result += "/"
    return result


def test_examples() -> None:
    assert relative_url("postmortems/a/", "postmortems/b/") == "../a/"
    assert relative_url("postmortems/a/", "postmortems/a/") == "./"
    assert relative_url("incidents/", "") == "incidents/"
    assert relative_url("", "incidents/") == "../"
    assert relative_url("", "") == "./"
    assert relative_url("postmortems/a.html", "postmortems/b.html") == "a.html"
    assert relative_url("incidents.html", "postmortems/b.html") == "../incidents.html"
    assert relative_url("assets/pm.css", "postmortems/a/") == "../../assets/pm.css"
    assert relative_url("kb/postmortems/a/", "kb/incidents/") == "../postmortems/a/"


segment = st.sampled_from(["postmortems", "kb", "a", "b", "incidents", "x-y"])


@st.composite
def url(draw: st.DrawFn) -> str:
    folders = draw(st.lists(segment, max_size=4))
    leaf = draw(st.sampled_from(["", "page.html", "catalog.json", "index.html"]))
    return "".join(f"{name}/" for name in folders) + leaf


@given(url(), url())
def test_agrees_with_relpath(target: str, here: str) -> None:
    assert relative_url(target, here) == reference(target, here)
