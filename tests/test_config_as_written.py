"""docs/configuration.md as written: every example a user copies into ``mkdocs.yml`` is
accepted by the commands (both readers) and by the MkDocs plugin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from mkdocs_postmortems.adapters.mkdocs import PostmortemsPlugin
from mkdocs_postmortems.adapters.mkdocs_config import read_config as mkdocs_read_config
from mkdocs_postmortems.core.config import ConfigError, settings_from_options
from mkdocs_postmortems.core.config_file import load_settings, read_config
from mkdocs_postmortems.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.S | re.M)
READERS = pytest.mark.parametrize("reader", [read_config, mkdocs_read_config])


def yaml_blocks() -> list[str]:
    return BLOCK.findall((ROOT / "docs" / "configuration.md").read_text(encoding="utf-8"))


def as_mkdocs_yml(block: str) -> str | None:
    """A block as the mkdocs.yml it belongs in: a whole ``plugins:`` list as is, a fragment
    of the plugin's options (indented as under ``- postmortems:``) inside one; None for
    the blocks that are not mkdocs.yml (front matter, a service catalog)."""
    if block.startswith("plugins:"):
        return "site_name: Example\n" + block
    if block.startswith("      ") and not block.lstrip().startswith("register:"):
        return "site_name: Example\nplugins:\n  - postmortems:\n" + block
    return None


CONFIGS = [c for c in map(as_mkdocs_yml, yaml_blocks()) if c is not None]


def test_the_examples_are_found() -> None:
    assert len(CONFIGS) >= 6
    assert any("BL007: off" in config for config in CONFIGS)


@READERS
@pytest.mark.parametrize("config", CONFIGS)
def test_every_example_is_accepted_as_written(tmp_path: Path, reader, config: str) -> None:
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    (tmp_path / "services.yml").write_text("- checkout-api\n", encoding="utf-8")
    load_settings(tmp_path / "mkdocs.yml", RULES, reader)


@READERS
def test_off_turns_a_rule_off_and_on_keeps_its_own_level(tmp_path: Path, reader) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - postmortems:\n      rules: {BL007: off, BL003: no, PM110: on, BL001: Off,"
        " PM111: 'yes', PM112: 'off'}\n",
        encoding="utf-8",
    )
    settings = load_settings(tmp_path / "mkdocs.yml", RULES, reader)
    assert settings.rules == {"BL007": "off", "BL003": "off", "BL001": "off", "PM112": "off"}
    assert settings.level("PM110", "warning") == "warning"


@pytest.mark.parametrize("written", ["maybe", 1, None, ["off"], {"off": 1}])
def test_other_rule_levels_are_still_refused(tmp_path: Path, written: object) -> None:
    with pytest.raises(
        ConfigError, match=r"rules\.BL007' must be one of error, warning, info, off"
    ):
        settings_from_options({"rules": {"BL007": written}}, tmp_path, RULES)


def test_a_locked_rule_cannot_be_turned_off_with_no(tmp_path: Path) -> None:
    locked = next(code for code, rule in RULES.items() if rule.locked)
    with pytest.raises(ConfigError, match="cannot be off"):
        settings_from_options({"rules": {locked: False}}, tmp_path, RULES)


@pytest.mark.parametrize(("written", "value"), [(True, True), ("on", True), ("no", False)])
def test_switches_read_on_and_off(tmp_path: Path, written: object, value: bool) -> None:
    assert settings_from_options({"pagefind": written}, tmp_path, RULES).pagefind is value
    with pytest.raises(ConfigError, match="must be true or false"):
        settings_from_options({"pagefind": "sometimes"}, tmp_path, RULES)


def test_the_plugin_takes_off_as_a_rule_level(tmp_path: Path) -> None:
    (tmp_path / "postmortems").mkdir()
    options = yaml.safe_load("rules: {BL007: off}\nenabled: on\n")
    errors, _ = PostmortemsPlugin().load_config(options, str(tmp_path / "mkdocs.yml"))
    assert errors == []
