"""The template filters: every value escaped, markup only where the filter writes it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2.bccache import bc_magic as MAGIC
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


# A process that loads every template, and says how many it had to compile and what one
# renders to: the cache of compiled templates lives in the temporary folder it is given.
LOAD_ALL = """
import jinja2
compiled = []
original = jinja2.Environment.compile
def counted(self, *args, **kwargs):
    compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
    return original(self, *args, **kwargs)
jinja2.Environment.compile = counted
from mkdocs_postmortems.site.render import environment, render
for name in environment().list_templates():
    environment().get_template(name)
print(len(compiled), render("postmortem_start.html", pagefind=True).strip())
"""


def load_all(tmp: Path) -> tuple[int, str]:
    """Run :data:`LOAD_ALL` with ``tmp`` as its temporary folder: templates compiled, output."""
    environ = {**os.environ, "TMPDIR": str(tmp)}
    done = subprocess.run(
        [sys.executable, "-c", LOAD_ALL], capture_output=True, text=True, env=environ, check=True
    )
    count, output = done.stdout.split(" ", 1)
    return int(count), output


@pytest.mark.subprocess
def test_templates_compiled_by_one_run_are_not_compiled_again_by_the_next(tmp_path: Path) -> None:
    templates = len(environment().list_templates())
    first, shown = load_all(tmp_path)
    assert first == templates
    again, shown_again = load_all(tmp_path)
    assert again == 0
    assert shown_again == shown
    folder = tmp_path / f"_jinja2-cache-{os.getuid()}"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # the user's own


@pytest.mark.subprocess
def test_a_damaged_compiled_template_is_compiled_again(tmp_path: Path) -> None:
    templates = len(environment().list_templates())
    _, shown = load_all(tmp_path)
    entries = list((tmp_path / f"_jinja2-cache-{os.getuid()}").iterdir())
    assert len(entries) == templates
    for number, entry in enumerate(entries):
        data = entry.read_bytes()
        # Cut short, zeroed, or another version's: each is compiled again, none fails.
        other = MAGIC[:-1] + bytes([MAGIC[-1] ^ 1]) + data[len(MAGIC) :]
        entry.write_bytes((data[:40], b"\0" * len(data), other)[number % 3])
    again, shown_again = load_all(tmp_path)
    assert again == templates
    assert shown_again == shown


@pytest.mark.subprocess
def test_a_cache_folder_that_is_not_the_users_own_is_not_used(tmp_path: Path) -> None:
    """A link where the folder should be (another user could have placed it): templates
    are compiled at every run, and nothing is written through the link."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / f"_jinja2-cache-{os.getuid()}").symlink_to(elsewhere)
    templates = len(environment().list_templates())
    first, shown = load_all(tmp_path)
    again, shown_again = load_all(tmp_path)
    assert first == again == templates
    assert shown_again == shown
    assert list(elsewhere.iterdir()) == []
