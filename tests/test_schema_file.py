"""schema/postmortem.schema.json: the committed JSON Schema is current and describes real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import VALID
from mkdocs_postmortems.cli.schema import front_matter_schema
from mkdocs_postmortems.core import frontmatter
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import find_files

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "postmortem.schema.json"
REGENERATE = "(cd schema && postmortems schema > postmortem.schema.json)"


def front_matter(text: str) -> dict[str, object]:
    cut, problem = frontmatter.split(text)
    assert problem is None
    assert cut.yaml_text is not None
    front, hits = frontmatter.parse(cut.yaml_text, cut.closing_line)
    assert front is not None
    assert hits == []
    return front.data


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_schema_file_is_current() -> None:
    expected = json.dumps(front_matter_schema(Settings()), indent=2) + "\n"
    assert SCHEMA.read_text(encoding="utf-8") == expected, (
        f"{SCHEMA.relative_to(ROOT)} is stale; regenerate it from the repository root with: "
        f"{REGENERATE}"
    )


@pytest.mark.subprocess
def test_regenerate_command_prints_the_file(tmp_path: Path) -> None:
    """The command in the message: `postmortems schema` where no mkdocs.yml is, so defaults."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_postmortems.cli", "schema"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == SCHEMA.read_text(encoding="utf-8")


def test_every_example_post_mortem_is_valid(validator: jsonschema.protocols.Validator) -> None:
    files = find_files([ROOT / "postmortems"])
    assert len(files) >= 12
    for path in files:
        data = front_matter(path.read_text(encoding="utf-8"))
        errors = [error.message for error in validator.iter_errors(data)]
        assert errors == [], path.name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("severity: SEV2", "severity: SEV9"), "is not valid under any of the given schemas"),
        (("services: [", "servces: ["), "Additional properties are not allowed"),
        (("published: 2026-03-06\n", ""), "'published' is a required property"),
        (("started: 2026-03-04T14:02:00Z", "started: 4 March"), "does not match"),
    ],
)
def test_schema_rejects_what_the_checker_rejects(
    validator: jsonschema.protocols.Validator, change: tuple[str, str], message: str
) -> None:
    assert list(validator.iter_errors(front_matter(VALID))) == []
    broken = front_matter(VALID.replace(*change))
    assert any(message in error.message for error in validator.iter_errors(broken))
