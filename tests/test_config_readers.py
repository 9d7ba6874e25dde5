"""One truth about mkdocs.yml: MkDocs' own loader, and the core's fallback held to it.

The commands read the configuration with MkDocs' loader whenever MkDocs is installed
(``adapters/mkdocs_config.py``); the core's reader (``core/config_file.py``) serves only a
project without MkDocs. Every case here runs through both, and they must give the same
settings or the same one-line error at the same line. Where MkDocs' loader alone would fail
with a Python error or wait forever, both give that error.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_postmortems.adapters.mkdocs_config import read_config as mkdocs_reader
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import ConfigError, Settings
from mkdocs_postmortems.core.config_file import MAX_CONFIG_BYTES, load_settings
from mkdocs_postmortems.core.config_file import read_config as fallback_reader
from mkdocs_postmortems.rules import RULES
from test_optional_imports import run_without_extras

ENVIRONMENT = {"PM_FOLDER": "incidents", "PM_EMPTY": "", "PM_TRUE": "true", "PM_LIST": "[a, b]"}
SITE = "site_name: Readers\n"


def plugin(options: str = "") -> str:
    """A ``plugins`` list with the plugin and ``options`` (one per line) under it."""
    lines = "".join(f"      {line}\n" for line in options.splitlines())
    return "plugins:\n  - search\n  - postmortems" + (":\n" + lines if lines else "\n")


# name: (files, what both readers give: None for settings, else the error's pattern)
CASES: dict[str, tuple[dict[str, str | bytes], str | None]] = {
    "INHERIT chain of three files, relative to each": (
        {
            "mkdocs.yml": "INHERIT: config/site.yml\nsite_name: Top\n",
            "config/site.yml": "INHERIT: ../base/base.yml\nstrict: true\n",
            "base/base.yml": SITE + "strict: false\n" + plugin("folder: incidents"),
        },
        None,
    ),
    "INHERIT merges mappings deeply": (
        {
            "mkdocs.yml": "INHERIT: base.yml\nplugins:\n  postmortems:\n    timezone: Asia/Tokyo\n",
            "base.yml": SITE
            + "plugins:\n  search: {}\n  postmortems: {folder: incidents, timezone: UTC}\n",
        },
        None,
    ),
    "INHERIT replaces lists": (
        {
            "mkdocs.yml": "INHERIT: base.yml\nplugins: [search]\n",
            "base.yml": SITE + plugin("folder: incidents"),
        },
        None,
    ),
    "!ENV default used": (
        {"mkdocs.yml": SITE + plugin("folder: !ENV [PM_NOPE, incidents]")},
        None,
    ),
    "!ENV first set name of a list": (
        {"mkdocs.yml": SITE + plugin("folder: !ENV [PM_NOPE, PM_FOLDER, postmortems]")},
        None,
    ),
    "!ENV list of one name": ({"mkdocs.yml": SITE + plugin("folder: !ENV [PM_FOLDER]")}, None),
    "!ENV value is read as YAML reads a plain word": (
        {"mkdocs.yml": SITE + "strict: !ENV PM_TRUE\n" + plugin()},
        None,
    ),
    "!ENV value that looks like a list stays text": (
        {"mkdocs.yml": SITE + plugin("folder: !ENV PM_LIST")},
        None,
    ),
    "!ENV missing, no default": (
        {"mkdocs.yml": SITE + plugin("timezone: !ENV PM_NOPE")},
        r"^mkdocs\.yml:5:7: option 'postmortems\.timezone' must be a non-empty string$",
    ),
    "!ENV set but empty": (
        {"mkdocs.yml": SITE + "strict: !ENV PM_EMPTY\n" + plugin()},
        r"^mkdocs\.yml:2:1: 'strict' must be true or false$",
    ),
    "!ENV on a mapping": (
        {"mkdocs.yml": SITE + plugin("folder: !ENV {name: PM_FOLDER}")},
        r"^mkdocs\.yml:5:15: not valid YAML: expected a scalar or sequence node",
    ),
    "plugins as a mapping": (
        {"mkdocs.yml": SITE + "plugins:\n  search:\n  postmortems:\n    folder: incidents\n"},
        None,
    ),
    "plugins as a list with a bare name": ({"mkdocs.yml": SITE + plugin()}, None),
    "off, on and no": (
        {
            "mkdocs.yml": SITE
            + plugin(
                "enabled: on\nrules: {BL007: off, BL003: no, PM110: on}\npagefind: yes\n"
                "content_security_policy: no"
            )
        },
        None,
    ),
    "options level with the plugin's name": (
        {"mkdocs.yml": SITE + "plugins:\n  - search\n  - postmortems:\n    folder: incidents\n"},
        r"^mkdocs\.yml:4:5: invalid 'plugins' entry: one plugin with its options is expected",
    ),
    "unknown option": (
        {"mkdocs.yml": SITE + plugin("foldr: incidents")},
        r"^mkdocs\.yml:5:7: unknown option 'postmortems\.foldr' \(did you mean 'folder'\?\)$",
    ),
    "a bad rule level, inherited": (
        {
            "mkdocs.yml": "INHERIT: conf/base.yml\nsite_name: Child\n",
            "conf/base.yml": SITE + plugin("folder: incidents\nrules:\n  PM110: sometimes"),
        },
        r"^conf/base\.yml:7:9: option 'postmortems\.rules\.PM110' must be one of error, warning",
    ),
    "a bad option in a mapping of plugins": (
        {"mkdocs.yml": SITE + "plugins:\n  postmortems:\n    review_after_days: -1\n"},
        r"^mkdocs\.yml:4:5: option 'postmortems\.review_after_days' must be a whole number",
    ),
    "the child's option wins, and is named": (
        {
            "mkdocs.yml": "INHERIT: base.yml\nplugins:\n  postmortems:\n    timezone: Mars/Base\n",
            "base.yml": SITE + "plugins:\n  postmortems:\n    timezone: UTC\n",
        },
        r"^mkdocs\.yml:4:5: option 'postmortems\.timezone': unknown timezone 'Mars/Base'",
    ),
    "unknown top-level key (MkDocs' own business)": (
        {"mkdocs.yml": SITE + "site_nam: typo\n" + plugin()},
        None,
    ),
    "a tab": (
        {"mkdocs.yml": SITE + "plugins:\n\t- postmortems\n"},
        r"^mkdocs\.yml:3:1: not valid YAML: found character '\\t' that cannot start any token",
    ),
    "an empty file": ({"mkdocs.yml": ""}, None),
    "only a comment": ({"mkdocs.yml": "# nothing yet\n"}, None),
    "a YAML error": (
        {"mkdocs.yml": SITE + "plugins: [search\ntheme: material\n"},
        r"^mkdocs\.yml:3:6: not valid YAML: expected ',' or '\]', but got ':'",
    ),
    "a YAML error in an INHERITed parent": (
        {"mkdocs.yml": "INHERIT: conf/base.yml\n", "conf/base.yml": SITE + "nav: [a\n"},
        r"^conf/base\.yml:3:1: not valid YAML: expected ',' or '\]', but got '<stream end>'",
    ),
    "two documents": (
        {"mkdocs.yml": SITE + "---\n" + SITE},
        r"^mkdocs\.yml:2:1: not valid YAML: but found another document",
    ),
    "not a mapping: a list": (
        {"mkdocs.yml": "- site_name: List\n"},
        r"^mkdocs\.yml:1:1: the configuration must be a mapping of options .*, not a list$",
    ),
    "not a mapping: one word": (
        {"mkdocs.yml": "INHERITED\n"},
        r"^mkdocs\.yml:1:1: the configuration must be a mapping .*, not the single value",
    ),
    "a missing INHERIT target": (
        {"mkdocs.yml": SITE + "INHERIT: base.yml\n"},
        r"^mkdocs\.yml:2:1: the INHERIT file base\.yml does not exist$",
    ),
    "a missing INHERIT target in a parent": (
        {"mkdocs.yml": "INHERIT: conf/site.yml\n", "conf/site.yml": SITE + "INHERIT: nope.yml\n"},
        r"^conf/site\.yml:2:1: the INHERIT file conf/nope\.yml does not exist$",
    ),
    "INHERIT of itself": (
        {"mkdocs.yml": SITE + "INHERIT: mkdocs.yml\n"},
        r"^mkdocs\.yml:2:1: INHERIT mkdocs\.yml goes round in a circle$",
    ),
    "INHERIT in a circle of two": (
        {"mkdocs.yml": "INHERIT: base.yml\n", "base.yml": SITE + "INHERIT: ./mkdocs.yml\n"},
        r"^base\.yml:2:1: INHERIT \./mkdocs\.yml goes round in a circle$",
    ),
    "INHERIT that is not a name": (
        {"mkdocs.yml": SITE + "INHERIT: [base.yml]\n"},
        r"^mkdocs\.yml:2:1: INHERIT must name a file, such as base\.yml, not \['base\.yml'\]$",
    ),
    "INHERIT of nothing": (
        {"mkdocs.yml": SITE + "INHERIT:\n"},
        r"^mkdocs\.yml:2:1: INHERIT must name a file, such as base\.yml, not None$",
    ),
    "INHERIT of a folder": (
        {"mkdocs.yml": SITE + "INHERIT: conf\n", "conf/base.yml": SITE},
        r"^mkdocs\.yml:2:1: conf: not a regular file \(a folder\); not read$",
    ),
    "INHERIT of a file too large": (
        {"mkdocs.yml": SITE + "INHERIT: big.yml\n", "big.yml": "#" * (MAX_CONFIG_BYTES + 1)},
        r"^mkdocs\.yml:2:1: big\.yml: the file has more than 1,048,576 bytes, over the limit",
    ),
    "a tag neither knows": (
        {"mkdocs.yml": SITE + "extra:\n  when: !now today\n" + plugin()},
        r"^mkdocs\.yml:3:9: not valid YAML: could not determine a constructor for the tag '!now'",
    ),
    "!relative and !!python/name, outside the plugin's options": (
        {
            "mkdocs.yml": SITE
            + "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: !relative $config_dir\n"
            "  - pymdownx.emoji:\n      emoji_index: !!python/name:os.path.join\n"
            + plugin("folder: incidents")
        },
        None,
    ),
    "!relative on a list": (
        {"mkdocs.yml": SITE + "extra:\n  snippets: !relative [a]\n"},
        r"^mkdocs\.yml:3:13: not valid YAML: expected a scalar node, but found sequence",
    ),
    "a configuration file too large": (
        {"mkdocs.yml": SITE + "#" * MAX_CONFIG_BYTES},
        r"^mkdocs\.yml: the file has more than 1,048,576 bytes, over the limit",
    ),
    "not UTF-8": (
        {"mkdocs.yml": b"site_name: \xff\n"},
        r"^mkdocs\.yml: unreadable character at position 11 \(invalid start byte\)$",
    ),
    "a byte order mark": ({"mkdocs.yml": "\ufeff" + SITE + plugin()}, None),
}

Reader = Callable[[Path], Any]


def make_project(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def outcome(reader: Reader) -> Settings | str:
    """What the commands make of ./mkdocs.yml through ``reader``: settings, or the error."""
    try:
        return load_settings(Path("mkdocs.yml"), RULES, reader)
    except ConfigError as exc:
        return str(exc)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PM_NOPE", raising=False)

    def make(case: str) -> Path:
        root = tmp_path / "project"
        make_project(root, CASES[case][0])
        monkeypatch.chdir(root)
        return root

    return make


@pytest.mark.parametrize("case", list(CASES))
def test_both_readers_agree(case: str, project: Callable[[str], Path]) -> None:
    project(case)
    by_mkdocs, by_fallback = outcome(mkdocs_reader), outcome(fallback_reader)
    assert by_fallback == by_mkdocs
    expected = CASES[case][1]
    if expected is None:
        assert isinstance(by_mkdocs, Settings), by_mkdocs
    else:
        assert isinstance(by_mkdocs, str), by_mkdocs
        assert re.search(expected, by_mkdocs), by_mkdocs


def test_the_settings_are_read_as_written(project: Callable[[str], Path]) -> None:
    """The cases that read are not read as defaults by both: their options arrive."""
    project("INHERIT chain of three files, relative to each")
    settings = outcome(mkdocs_reader)
    assert isinstance(settings, Settings)
    assert (settings.folder, settings.strict) == ("incidents", True)


@pytest.mark.parametrize(
    ("case", "folder", "timezone"),
    [
        ("INHERIT merges mappings deeply", "incidents", "Asia/Tokyo"),
        ("INHERIT replaces lists", "postmortems", "UTC"),
        ("!ENV default used", "incidents", "UTC"),
        ("!ENV first set name of a list", "incidents", "UTC"),
        ("!ENV list of one name", "incidents", "UTC"),
        ("!ENV value that looks like a list stays text", "[a, b]", "UTC"),
        ("plugins as a mapping", "incidents", "UTC"),
    ],
)
def test_what_each_case_reads(
    case: str, folder: str, timezone: str, project: Callable[[str], Path]
) -> None:
    project(case)
    settings = outcome(fallback_reader)
    assert isinstance(settings, Settings), settings
    assert (settings.folder, settings.timezone) == (folder, timezone)


def test_off_on_and_no_read_as_switches(project: Callable[[str], Path]) -> None:
    project("off, on and no")
    settings = outcome(fallback_reader)
    assert isinstance(settings, Settings), settings
    assert settings.rules == {"BL007": "off", "BL003": "off"}
    assert (settings.pagefind, settings.content_security_policy) == (True, False)


def test_an_inherit_of_a_fifo_is_refused_without_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs' loader would wait for a writer forever; both readers refuse the FIFO."""
    make_project(tmp_path, {"mkdocs.yml": SITE + "INHERIT: pipe.yml\n"})
    os.mkfifo(tmp_path / "pipe.yml")
    monkeypatch.chdir(tmp_path)
    for reader in (mkdocs_reader, fallback_reader):
        assert outcome(reader) == "mkdocs.yml:2:1: pipe.yml: not a regular file (a FIFO); not read"


def test_where_the_readers_cannot_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``!!python/name:`` imports what it names under MkDocs; the fallback never runs code,
    reads it as nothing, and so cannot know that the module is missing (docs/configuration.md
    says so)."""
    make_project(tmp_path, {"mkdocs.yml": SITE + "extra:\n  x: !!python/name:no_such.thing\n"})
    monkeypatch.chdir(tmp_path)
    assert re.match(r"mkdocs\.yml:3:6: not valid YAML: .*no_such", str(outcome(mkdocs_reader)))
    assert isinstance(outcome(fallback_reader), Settings)
    assert fallback_reader(Path("mkdocs.yml"))["extra"] == {"x": None}


ERRORS = [case for case, (_, expected) in CASES.items() if expected]


@pytest.mark.parametrize("case", ERRORS)
def test_check_says_it_in_one_line(
    case: str, project: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The command (MkDocs' loader behind it) exits with 2 and the one-line message."""
    project(case)
    assert main(["check"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("postmortems: configuration error: "), error
    assert error.count("\n") == 1, error
    assert error.removeprefix("postmortems: configuration error: ").rstrip() == outcome(
        mkdocs_reader
    )


def test_without_mkdocs_the_command_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In an interpreter where MkDocs cannot be imported, the command line falls back to the
    core's reader, and every case reads as MkDocs' loader reads it here."""
    monkeypatch.delenv("PM_NOPE", raising=False)
    expected = {}
    for index, case in enumerate(CASES):
        root = tmp_path / str(index)
        make_project(root, CASES[case][0])
        monkeypatch.chdir(root)
        for name, value in ENVIRONMENT.items():
            monkeypatch.setenv(name, value)
        found = outcome(mkdocs_reader)
        expected[str(root)] = found if isinstance(found, str) else repr(found)
    monkeypatch.chdir(tmp_path)
    result = run_without_extras(
        f"""
        import json, os
        from pathlib import Path
        from mkdocs_postmortems.cli.common import read_config
        from mkdocs_postmortems.core.config import ConfigError
        from mkdocs_postmortems.core.config_file import load_settings
        from mkdocs_postmortems.rules import RULES
        try:
            import mkdocs
        except ImportError:
            pass
        else:
            raise SystemExit("MkDocs is importable")
        found = {{}}
        for root in {sorted(expected)!r}:
            os.chdir(root)
            try:
                found[root] = repr(load_settings(Path("mkdocs.yml"), RULES, read_config))
            except ConfigError as exc:
                found[root] = str(exc)
        print(json.dumps(found))
        """,
        tmp_path,
        blocked=("mkdocs",),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout) == expected


def test_a_broken_mkdocs_is_said_not_read_around(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """MkDocs installed but missing a package of its own: the build will fail, so the
    command says why rather than read the file another way."""
    make_project(tmp_path, {"mkdocs.yml": SITE + plugin()})
    monkeypatch.chdir(tmp_path)
    result = run_without_extras(
        """
        from mkdocs_postmortems.cli.main import main
        raise SystemExit(main(["rules"]))
        """,
        tmp_path,
        blocked=("mergedeep",),
    )
    assert result.returncode == 2, result.stderr[-3000:]
    assert result.stderr == (
        "postmortems: configuration error: MkDocs is installed but cannot be loaded to read "
        "mkdocs.yml: No module named 'mergedeep'\n"
    )


# Pieces of a mkdocs.yml, recombined by hypothesis: the shapes the readers could differ on
# (``!!python/name:`` aside: see test_where_the_readers_cannot_agree).
WORDS = ["on", "off", "yes", "no", "true", "~", "''", "3", "[a]", "{a: 1}", "incidents", "#x"]
VALUES = [
    *WORDS,
    "!ENV PM_TRUE",
    "!ENV PM_EMPTY",
    "!ENV PM_LIST",
    "!ENV PM_NOPE",
    "!ENV [PM_NOPE]",
    "!ENV [PM_NOPE, PM_FOLDER]",
    "!ENV [PM_NOPE, off]",
    "!ENV [PM_NOPE, [a, b]]",
    "!ENV []",
    "!relative $config_dir",
    "!!str 3",
    "!!binary aGk=",
    "!!set {a}",
]
OPTIONS = ["folder", "timezone", "pagefind", "enabled", "rules", "foldr", "strict"]


@st.composite
def configurations(draw: st.DrawFn) -> dict[str, str]:
    """A mkdocs.yml (and maybe a parent it INHERITs) made of the pieces above."""
    options = draw(st.dictionaries(st.sampled_from(OPTIONS), st.sampled_from(VALUES), max_size=3))
    lines = [
        f"{key}: {{BL007: {value}}}" if key == "rules" else f"{key}: {value}"
        for key, value in options.items()
    ]
    entry = "".join(f"      {line}\n" for line in lines)
    as_mapping = draw(st.booleans())
    plugins = (
        "plugins:\n  postmortems:\n" + entry.replace("      ", "    ")
        if as_mapping
        else "plugins:\n  - search\n  - postmortems" + (":\n" + entry if entry else "\n")
    )
    top = [SITE, f"strict: {draw(st.sampled_from(VALUES))}\n" if draw(st.booleans()) else ""]
    files: dict[str, str] = {}
    if draw(st.booleans()):
        files["base.yml"] = SITE + plugins
        top.insert(0, f"INHERIT: {draw(st.sampled_from(['base.yml', './base.yml', 'nope.yml']))}\n")
        if draw(st.booleans()):
            top.append(
                "plugins:\n  postmortems:\n    timezone: " + draw(st.sampled_from(VALUES)) + "\n"
            )
    else:
        top.append(plugins)
    files["mkdocs.yml"] = "".join(top)
    return files


@settings(max_examples=150, deadline=None)
@given(files=configurations())
def test_both_readers_agree_on_any_mix(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        for name, value in ENVIRONMENT.items():
            patch.setenv(name, value)
        patch.delenv("PM_NOPE", raising=False)
        make_project(Path(folder), dict(files))
        patch.chdir(folder)
        assert outcome(fallback_reader) == outcome(mkdocs_reader), files
