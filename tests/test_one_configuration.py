"""One configuration: ``postmortems check`` reads mkdocs.yml as MkDocs reads it, and passes or
fails together with ``mkdocs build`` (run as its command line, with the same strictness)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from mkdocs.__main__ import cli as mkdocs_cli

from conftest import VALID, VALID_NAME
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import ConfigError
from mkdocs_postmortems.core.config_file import load_settings, read_config
from mkdocs_postmortems.rules import RULES

SITE = "site_name: Parity\ntheme: {name: mkdocs}\ndocs_dir: docs\n"
WARNING_ONLY = VALID.replace("| P2 | open |", "| P2 | blocked |")
BROKEN = VALID.replace("severity: SEV2", "severity: SEV9")
AS_WARNING = "      rules: {PM405: warning}\n"


def _project(root: Path, config: str, files: dict[str, str], name: str = "mkdocs.yml") -> None:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    (root / name).write_text(config, encoding="utf-8")


def _plugin(options: str = "") -> str:
    return "plugins:\n  - postmortems" + (":\n" + options if options else "") + "\n"


# name: (config file name, its text, other files, expected result of both)
CASES: dict[str, tuple[str, str, dict[str, str], bool]] = {
    "clean": ("mkdocs.yml", SITE + _plugin(), {f"postmortems/{VALID_NAME}": VALID}, True),
    "clean, strict": (
        "mkdocs.yml",
        SITE + "strict: true\n" + _plugin(),
        {f"postmortems/{VALID_NAME}": VALID},
        True,
    ),
    "an error": ("mkdocs.yml", SITE + _plugin(), {f"postmortems/{VALID_NAME}": BROKEN}, False),
    "a warning": (
        "mkdocs.yml",
        SITE + _plugin(AS_WARNING),
        {f"postmortems/{VALID_NAME}": WARNING_ONLY},
        True,
    ),
    "a warning, strict": (
        "mkdocs.yml",
        SITE + "strict: true\n" + _plugin(AS_WARNING),
        {f"postmortems/{VALID_NAME}": WARNING_ONLY},
        False,
    ),
    "strict and the rule levels inherited": (
        "mkdocs.yml",
        "INHERIT: base.yml\nsite_name: Parity\n",
        {
            "base.yml": SITE + "strict: true\n" + _plugin(AS_WARNING),
            f"postmortems/{VALID_NAME}": WARNING_ONLY,
        },
        False,
    ),
    "folder inherited": (
        "mkdocs.yml",
        "INHERIT: config/base.yml\nsite_name: Parity\n",
        {
            "config/base.yml": SITE + _plugin("      folder: incidents\n"),
            f"incidents/{VALID_NAME}": VALID,
            f"postmortems/{VALID_NAME}": BROKEN,
        },
        True,
    ),
    "folder from the environment": (
        "mkdocs.yml",
        SITE + _plugin("      folder: !ENV [PARITY_FOLDER, postmortems]\n"),
        {f"incidents/{VALID_NAME}": VALID, f"postmortems/{VALID_NAME}": BROKEN},
        True,
    ),
    "strict from the environment": (
        "mkdocs.yml",
        SITE + "strict: !ENV [PARITY_STRICT, false]\n" + _plugin(AS_WARNING),
        {f"postmortems/{VALID_NAME}": WARNING_ONLY},
        False,
    ),
    "plugin as a plain string": (
        "mkdocs.yml",
        SITE + "plugins: postmortems\n",
        {f"postmortems/{VALID_NAME}": BROKEN},
        False,
    ),
    "plugin as a plain string, valid files": (
        "mkdocs.yml",
        SITE + "plugins: postmortems\n",
        {f"postmortems/{VALID_NAME}": VALID},
        False,
    ),
    "options level with the plugin's name": (
        "mkdocs.yml",
        SITE + "plugins:\n  - search\n  - postmortems:\n    folder: postmortems\n",
        {f"postmortems/{VALID_NAME}": VALID},
        False,
    ),
    "options that are not a mapping": (
        "mkdocs.yml",
        SITE + "plugins:\n  - search: [lang]\n  - postmortems\n",
        {f"postmortems/{VALID_NAME}": VALID},
        False,
    ),
    "enabled that is not a switch": (
        "mkdocs.yml",
        SITE + _plugin("      enabled: sometimes\n"),
        {f"postmortems/{VALID_NAME}": VALID},
        False,
    ),
    "enabled: off": (
        "mkdocs.yml",
        SITE + _plugin("      enabled: off\n"),
        {f"postmortems/{VALID_NAME}": VALID},
        True,
    ),
    "off as a rule level": (
        "mkdocs.yml",
        SITE + _plugin("      rules: {PM405: off}\n"),
        {f"postmortems/{VALID_NAME}": WARNING_ONLY},
        True,
    ),
    "!relative in a Markdown extension's options": (
        "mkdocs.yml",
        SITE
        + "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: !relative $config_dir\n"
        + _plugin(),
        {f"postmortems/{VALID_NAME}": VALID},
        True,
    ),
    "INHERIT in a circle": (
        "mkdocs.yml",
        "INHERIT: base.yml\n",
        {"base.yml": SITE + "INHERIT: mkdocs.yml\n", f"postmortems/{VALID_NAME}": VALID},
        False,
    ),
    "mkdocs.yaml": ("mkdocs.yaml", SITE + _plugin(), {f"postmortems/{VALID_NAME}": BROKEN}, False),
    "missing folder": ("mkdocs.yml", SITE + _plugin("      folder: postmortem\n"), {}, False),
    "empty folder": ("mkdocs.yml", SITE + _plugin(), {"postmortems/README.md": "# About\n"}, False),
    "folder outside the project": (
        "mkdocs.yml",
        SITE + _plugin("      folder: ../elsewhere\n"),
        {f"postmortems/{VALID_NAME}": VALID},
        False,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_check_and_mkdocs_build_pass_or_fail_together(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name, config, files, passes = CASES[case]
    root = tmp_path / "project"
    _project(root, config, files, name)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / VALID_NAME).write_text(VALID, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("PARITY_FOLDER", "incidents")
    monkeypatch.setenv("PARITY_STRICT", "true")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775000000")
    checked = main(["check"])
    built = CliRunner().invoke(mkdocs_cli, ["build", "-d", str(tmp_path / "site")])
    assert (checked == 0, built.exit_code == 0) == (passes, passes), (checked, built.output)


def test_explicit_config_file_with_short_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path / "p", SITE + _plugin(), {f"postmortems/{VALID_NAME}": BROKEN}, "site.yml")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "-f", "p/site.yml"]) == 1


def test_properdocs_config_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, SITE + _plugin("      folder: incidents\n"), {}, "properdocs.yml")
    (tmp_path / "incidents").mkdir()
    monkeypatch.chdir(tmp_path)
    assert load_settings(None, RULES).folder == "incidents"


def test_core_reader_matches_mkdocs_without_mkdocs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The core's own reader (used when MkDocs is not installed) reads INHERIT and !ENV as
    MkDocs' loader does."""
    from mkdocs_postmortems.adapters.mkdocs_config import read_config as mkdocs_read

    files = {
        "base/parent.yml": SITE + "extra: {a: 1, b: [1, 2]}\n" + _plugin("      folder: x\n"),
    }
    child = (
        "INHERIT: base/parent.yml\nextra: {b: [3], c: !ENV [NOPE, MY_VAR, fallback]}\n"
        "strict: !ENV MY_FLAG\n"
    )
    _project(tmp_path, child, files)
    monkeypatch.setenv("MY_VAR", "from env")
    monkeypatch.setenv("MY_FLAG", "true")
    path = tmp_path / "mkdocs.yml"
    assert read_config(path) == mkdocs_read(path)
    assert read_config(path)["extra"] == {"a": 1, "b": [3], "c": "from env"}


def test_missing_inherit_file_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("INHERIT: nope.yml\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"nope\.yml"):
        read_config(tmp_path / "mkdocs.yml")


def test_plugin_as_a_string_is_refused_as_mkdocs_refuses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump({"plugins": "postmortems"}))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=r"mkdocs\.yml:1:10: invalid 'plugins'"):
        load_settings(None, RULES)


def test_a_misindented_plugin_block_names_its_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(
        tmp_path,
        SITE + "plugins:\n  - search\n  - postmortems:\n    timezone: Europe/Berlin\n",
        {f"postmortems/{VALID_NAME}": VALID},
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (
        "postmortems: configuration error: mkdocs.yml:6:5: invalid 'plugins' entry: one "
        "plugin with its options is expected, and this entry has 2 keys (postmortems, "
        "timezone); indent a plugin's options under its name\n"
    )


SHAPES = [
    [],
    ["search", "postmortems"],
    ["search", {"postmortems": {"folder": "x"}}],
    [{"postmortems": None}],
    [{"postmortems": None, "folder": "x"}],
    [{}],
    [{1: {}}],
    [1],
    [None],
    ["search", {"search": ["lang"]}],
    [{"postmortems": "options"}],
    {"search": {}, "postmortems": {"folder": "x"}},
    {"search": None},
    {1: {}},
    {"postmortems": 3},
    "postmortems",
    3,
]


@pytest.mark.parametrize("plugins", SHAPES)
def test_the_plugins_shape_is_judged_as_mkdocs_judges_it(plugins: object, tmp_path: Path) -> None:
    """The core's reading of ``plugins`` (used after either reader) refuses exactly what
    MkDocs' own ``Plugins`` option refuses before it loads a plugin."""
    import copy

    from mkdocs.config.base import ValidationError
    from mkdocs.config.config_options import Plugins

    from mkdocs_postmortems.core.config_file import plugin_options

    try:
        if not isinstance(plugins, (list, tuple, dict)):
            raise ValidationError("not a list or dict")
        for name, options in Plugins._parse_configs(copy.deepcopy(plugins)):
            if options is not None and not isinstance(options, dict):
                raise ValidationError(f"Invalid config options for the '{name}' plugin.")
        mkdocs_accepts = True
    except ValidationError:
        mkdocs_accepts = False
    try:
        plugin_options({"plugins": plugins}, tmp_path / "mkdocs.yml")
        core_accepts = True
    except ConfigError:
        core_accepts = False
    assert core_accepts == mkdocs_accepts


def test_cli_falls_back_to_the_core_reader_without_mkdocs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where MkDocs is not installed, the adapter cannot be imported and the core reads the
    file, INHERIT and !ENV included."""
    import importlib
    import sys

    common = importlib.import_module("mkdocs_postmortems.cli.common")

    monkeypatch.setitem(sys.modules, "mkdocs_postmortems.adapters.mkdocs_config", None)
    _project(
        tmp_path,
        "INHERIT: base.yml\n",
        {
            "base.yml": SITE + "strict: !ENV [PARITY_STRICT, false]\n" + _plugin(AS_WARNING),
            f"postmortems/{VALID_NAME}": WARNING_ONLY,
        },
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PARITY_STRICT", "true")
    # The adapter cannot be imported, so this is the core's reading (or an ImportError).
    config = tmp_path / "mkdocs.yml"
    assert common.read_config(config) == read_config(config)
    assert main(["check"]) == 1
    monkeypatch.setenv("PARITY_STRICT", "false")
    assert main(["check"]) == 0


@pytest.mark.parametrize(("flag", "passes"), [([], True), (["--strict"], False)])
def test_strict_on_the_command_line_agrees_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: list[str], passes: bool
) -> None:
    _project(tmp_path, SITE + _plugin(AS_WARNING), {f"postmortems/{VALID_NAME}": WARNING_ONLY})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1775000000")
    checked = main(["check", *flag])
    built = CliRunner().invoke(mkdocs_cli, ["build", *flag, "-d", str(tmp_path / "site")])
    assert (checked == 0, built.exit_code == 0) == (passes, passes), (checked, built.output)
