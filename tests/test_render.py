"""The template filters: every value escaped, markup only where the filter writes it."""

from __future__ import annotations

from types import SimpleNamespace

from markupsafe import Markup

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.site.links import Site
from mkdocs_postmortems.site.render import (
    chips,
    code,
    environment,
    incident_link,
    item_status,
    render,
    render_once,
    severity,
    status,
)

HOSTILE = '<script>alert("x")</script>'


def test_code_wraps_backtick_spans_and_escapes_everything() -> None:
    assert code("Raise `max_connections` & <retry>") == (
        "Raise <code>max_connections</code> &amp; &lt;retry&gt;"
    )
    assert code(f"`{HOSTILE}`") == "<code>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</code>"
    assert code("no spans") == "no spans"
    assert code(HOSTILE) == "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
    assert isinstance(code("x"), Markup)


def test_a_template_that_shows_no_post_mortem_is_rendered_once() -> None:
    once = render_once("postmortem_start.html", pagefind=True)
    assert once == render("postmortem_start.html", pagefind=True)
    assert render_once("postmortem_start.html", pagefind=True) is once
    assert "data-pagefind-body" not in render_once("postmortem_start.html", pagefind=False)


def test_badges_escape_their_values() -> None:
    incident = SimpleNamespace(severity=HOSTILE, severity_label='"Major"', severity_rank=1)
    badge = severity(incident)
    assert "<script>" not in badge
    assert 'title="&#34;Major&#34;"' in badge
    assert 'data-pagefind-filter="severity"' in severity(incident, pagefind=True)
    assert "<script>" not in status(HOSTILE)
    assert item_status("open") == '<span class="pm-badge pm-item pm-item-open">open</span>'
    assert 'title="3 days past due">overdue</span>' in item_status("open", 3)


def test_chips_and_links_escape_names_and_titles() -> None:
    assert chips(["api", HOSTILE]).count('<span class="pm-chip">') == 2
    assert "<script>" not in chips([HOSTILE])
    assert 'data-pagefind-filter="tag"' in chips(["db"], "tag")
    links = Site(Settings()).links_from("incidents.md")
    incident = SimpleNamespace(id="2026-01-10-cdn", title=HOSTILE)
    link = incident_link(incident, links)
    assert link.startswith('<a href="../postmortems/2026-01-10-cdn/">&lt;script&gt;')


def test_filters_output_is_not_escaped_twice_in_templates() -> None:
    template = environment().from_string("{{ text | code }} {{ names | chips }}")
    out = template.render(text="a `b` <c>", names=["x&y"])
    assert out == 'a <code>b</code> &lt;c&gt; <span class="pm-chip">x&amp;y</span>'
