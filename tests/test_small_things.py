"""What a user notices on the first day: a suggestion for a mistyped option, the README's
usage lines that run as shown, and no calendar for an owner still to be named."""

from __future__ import annotations

import io
import re
import shlex
from datetime import date
from pathlib import Path

import pytest

from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Position
from mkdocs_postmortems.core.model import ActionItem, PostMortem
from mkdocs_postmortems.site import feeds
from mkdocs_postmortems.site.links import Site

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["check", "--stirct"], "unrecognized arguments: --stirct (did you mean '--strict'?)"),
        (
            ["check", "--stirct", "--formt=json"],
            "(did you mean '--strict' for '--stirct', '--format' for '--formt'?)",
        ),
        (["overdue", "--tody", "2026-01-01"], "(did you mean '--today'?)"),
        (["chek"], "invalid choice: 'chek' (did you mean 'check'?)"),
    ],
)
def test_a_mistyped_option_gets_a_suggestion(
    argv: list[str], hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert hint in capsys.readouterr().err


def test_an_option_far_from_every_other_gets_no_suggestion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--zzzzzz"])
    assert capsys.readouterr().err.endswith("unrecognized arguments: --zzzzzz\n")


def readme_usage(command: str) -> list[str]:
    """The README's usage line of ``postmortems <command>``, without its optional parts."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = re.findall(rf"^\| `(postmortems {command} [^`]*)` \|", text, re.M)
    return shlex.split(re.sub(r"\s*\[[^\]]*\]", "", line))[1:]


def test_the_readme_shows_what_new_requires(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: nothing is asked
    argv = readme_usage('new "Title"')
    assert "--services" in argv
    assert main(argv) == 0


def test_an_owner_still_to_name_gets_no_calendar_of_its_own() -> None:
    def item(owner: str, number: int) -> ActionItem:
        return ActionItem(
            action=f"Fix {number}",
            owner=owner,
            due=date(2026, 4, number),
            priority="P1",
            status="open",
            ticket="",
            pos=Position(20 + number, 1),
            owner_pos=Position(20 + number, 3),
        )

    pm = PostMortem(path=Path("x.md"), display="x.md", id="2026-03-04-x", title="T")
    pm.action_items = [item("TBD", 1), item("", 2), item("Dana Whitfield", 3)]
    assert list(feeds.owner_calendars([pm], Site(Settings()))) == ["Dana Whitfield"]


def test_an_owner_named_in_another_script_gets_a_calendar_named_after_them() -> None:
    pm = PostMortem(path=Path("x.md"), display="x.md", id="2026-03-04-x", title="T")
    pm.action_items = [
        ActionItem(
            "Fix", name, date(2026, 4, 1), "P1", "open", "", Position(20, 1), Position(20, 3)
        )
        for name in ("Иван Петров", "李娜")
    ]
    paths = feeds.owner_calendars([pm], Site(Settings()))
    assert paths == {
        "Иван Петров": "postmortems/calendars/ivan-petrov.ics",
        "李娜": "postmortems/calendars/li-na.ics",
    }
