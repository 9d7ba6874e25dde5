"""Counts and lateness as a reader says them: "1 day", "3 hours late", "1 error"."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import DRAFT, VALID, VALID_NAME, write
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.dates import how_late, plural
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.rules import RULESET
from mkdocs_postmortems.site.links import Site
from mkdocs_postmortems.site.pages import Context, generated_site, index_page
from mkdocs_postmortems.site.render import item_status
from mkdocs_postmortems.site.views import Formatter


@pytest.mark.parametrize(
    ("late_by", "said"),
    [
        (timedelta(minutes=20), "less than an hour"),
        (timedelta(hours=1, minutes=5), "1 hour"),
        (timedelta(hours=3, minutes=59), "3 hours"),
        (timedelta(hours=23, minutes=59), "23 hours"),
        (timedelta(days=1, hours=5), "1 day"),
        (timedelta(days=12), "12 days"),
    ],
)
def test_lateness_is_in_hours_under_a_day(late_by: timedelta, said: str) -> None:
    assert how_late(late_by) == said
    assert Formatter(Settings()).late(late_by) == said


def test_plurals() -> None:
    assert [plural(n, "error") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    assert 'title="1 day past due"' in item_status("open", 1)


def test_overdue_says_hours_for_a_write_up_three_hours_late(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    # A SEV1 draft started 2026-05-02 08:00 UTC with no resolution: due 48 hours later.
    write(tmp_path, "2026-05-02-search-index-stalled.md", DRAFT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1777892400")  # 2026-05-04 11:00 UTC
    assert main(["overdue"]) == 1
    out = capsys.readouterr().out
    assert "SEV1 draft, due 2026-05-04 08:00, 3 hours late: Search index" in out
    assert "0 days" not in out


def test_one_incident_is_one_incident_and_one_day_one_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, VALID_NAME, VALID)
    assert main(["stats", "--today", "2026-05-01"]) == 0
    assert ": 1 incident\n" in capsys.readouterr().out
    settings = Settings(root=tmp_path, review_after=timedelta(days=1))
    kb = load(settings, RULESET)
    page = index_page(
        "severity", Context(kb, Site(settings), datetime(2026, 5, 1, tzinfo=timezone.utc))
    )
    text = page.markdown + "".join(page.blocks.values())
    assert "an effectiveness review 1 day after it is published" in text


def test_the_overdue_page_and_the_banner_say_hours(tmp_path: Path) -> None:
    write(tmp_path, "2026-05-02-search-index-stalled.md", DRAFT)
    settings = Settings(root=tmp_path)
    kb = load(settings, RULESET)
    ctx = Context(kb, Site(settings), datetime(2026, 5, 4, 11, 0, tzinfo=timezone.utc))
    page = index_page("overdue", ctx)
    overdue = page.markdown + "".join(page.blocks.values())
    assert 'data-label="Late">3 hours</td>' in overdue
    # The post-mortem's own page (a draft also has a review pack page under its id).
    drawn = generated_site(ctx).pages[ctx.site.postmortem_src("2026-05-02-search-index-stalled")]
    banner = drawn.markdown + "".join(drawn.blocks.values())
    assert "and is 3 hours late." in banner
