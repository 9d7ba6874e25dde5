"""``extra_fields``: a team's own front-matter keys, typed, checked with positions, and shown
on the site, in the catalogue and in the editor schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import VALID, VALID_NAME, Checker
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import ConfigError, settings_from_options
from mkdocs_postmortems.rules import RULES
from sitebuild import build_site, html, write_project

FIELDS: dict[str, Any] = {
    "customer_tier": {"type": "one-of", "values": ["gold", "silver"], "required": True},
    "region": {"type": "string", "label": "Region"},
    "cost_eur": {"type": "number"},
    "review_meeting": {"type": "date"},
    "teams": "list",
}
GOOD = VALID.replace(
    "severity: SEV2\n",
    "severity: SEV2\ncustomer_tier: gold\nregion: eu-west <b>\ncost_eur: 1200.5\n"
    "review_meeting: 2026-03-10\nteams: [payments, sre]\n",
)


def settings(root: Path, fields: Any = None) -> Any:
    return settings_from_options(
        {"extra_fields": FIELDS if fields is None else fields}, root, RULES
    )


def test_declared_fields_are_accepted_and_typed(check: Checker, tmp_path: Path) -> None:
    assert check(GOOD, settings=settings(tmp_path)) == []


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("customer_tier: Gold", (4, 16, "'customer_tier' is 'Gold'; use one of gold, silver")),
        ("customer_tier: gold\ncost_eur: lots", (5, 11, "'cost_eur' must be a number")),
        ("customer_tier: gold\nreview_meeting: 2026-02-30", (5, 17, "must be a date")),
        ("customer_tier: gold\nteams: payments", (5, 8, "'teams' must be a list of strings")),
        ("customer_tier: gold\nregion: [a, b]", (5, 9, "'region' must be a string")),
    ],
)
def test_a_wrong_value_is_reported_at_its_place(
    check: Checker, tmp_path: Path, lines: str, expected: tuple[int, int, str]
) -> None:
    text = VALID.replace("severity: SEV2\n", f"severity: SEV2\n{lines}\n")
    found = check(text, settings=settings(tmp_path))
    assert [(f.line, f.col, f.code) for f in found] == [(*expected[:2], "PM115")]
    assert expected[2] in found[0].message


def test_a_missing_required_field_points_at_the_end_of_the_front_matter(
    check: Checker, tmp_path: Path
) -> None:
    found = check(VALID, settings=settings(tmp_path))
    assert [(f.line, f.col, f.code) for f in found] == [(18, 1, "PM116")]


def test_undeclared_keys_are_still_unknown_with_a_hint(check: Checker, tmp_path: Path) -> None:
    text = GOOD.replace("region:", "regoin:")
    found = check(text, settings=settings(tmp_path))
    assert [f.code for f in found] == ["PM101"]
    assert "did you mean 'region'" in found[0].message


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([], "must map field names"),
        ({"Tier": "string"}, "lower case"),
        ({"severity": "string"}, "defines already"),
        ({"hide": "string"}, "defines already"),
        ({"tier": {"type": "enum"}}, "type must be one of"),
        ({"tier": {"type": "one-of"}}, "values must be a non-empty list"),
        ({"tier": {"type": "one-of", "values": ["a", "a"]}}, "twice"),
        ({"tier": {"type": "string", "values": ["a"]}}, "only for type one-of"),
        ({"tier": {"type": "string", "required": "yes"}}, "true or false"),
        ({"tier": {"type": "string", "lable": "x"}}, "unknown key 'lable'"),
    ],
)
def test_bad_declarations_are_config_errors(tmp_path: Path, fields: Any, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings(tmp_path, fields)


def test_the_schema_lists_the_fields_for_editors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    config = {"site_name": "x", "plugins": [{"postmortems": {"extra_fields": FIELDS}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    front = yaml.load(GOOD.split("---\n")[1], Loader=yaml.BaseLoader)
    front["impact"] = {"users_affected": 1200}  # BaseLoader reads every scalar as text
    front["cost_eur"] = 1200.5
    validator.validate(front)
    assert "customer_tier" in schema["required"]
    assert schema["properties"]["customer_tier"]["enum"] == ["gold", "silver"]
    assert schema["properties"]["region"]["title"] == "Region"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**front, "customer_tier": "Gold"})


@pytest.mark.build
def test_the_site_shows_filters_and_catalogues_the_fields(tmp_path: Path) -> None:
    other = GOOD.replace("customer_tier: gold", "customer_tier: silver").replace(
        "title: Checkout", "title: Other checkout"
    )
    config_file = write_project(
        tmp_path,
        {VALID_NAME: GOOD, "2026-03-04-other.md": other},
        config={"plugins": ["search", {"postmortems": {"extra_fields": FIELDS}}]},
    )
    site = build_site(config_file, strict=True)
    page = html(site, "postmortems/2026-03-04-checkout-config-push")
    assert "<dt>Customer tier</dt> <dd>gold</dd>" in page
    assert "<dt>Region</dt> <dd>eu-west &lt;b&gt;</dd>" in page
    assert "<dt>Teams</dt> <dd>payments, sre</dd>" in page
    assert "<dt>Cost eur</dt> <dd>1200.5</dd>" in page
    incidents = html(site, "incidents")
    assert 'name="x-customer_tier" data-pm-extra' in incidents
    assert "<option>gold</option><option>silver</option>" in incidents
    assert 'data-x-customer_tier="gold"' in incidents
    assert 'data-x-teams="payments|sre"' in incidents
    assert "data-x-cost_eur" not in incidents  # numbers are shown, not filtered
    catalogue = json.loads((site / "postmortems" / "catalog.json").read_text(encoding="utf-8"))
    records = {r["id"]: r for r in catalogue["incidents"]}
    assert records["2026-03-04-checkout-config-push"]["extra"] == {
        "customer_tier": "gold",
        "region": "eu-west <b>",
        "cost_eur": 1200.5,
        "review_meeting": "2026-03-10",
        "teams": ["payments", "sre"],
    }


def test_a_huge_wrong_value_is_not_copied_into_the_message(check: Checker, tmp_path: Path) -> None:
    items = ", ".join(str(n) for n in range(5000))
    text = VALID.replace(
        "severity: SEV2\n",
        f"severity: SEV2\ncustomer_tier: {'x' * 10000}\ncost_eur: [{items}]\n",
    )
    found = check(text, settings=settings(tmp_path))
    assert [(f.line, f.code) for f in found] == [(4, "PM115"), (5, "PM115")]
    assert all(len(f.message) < 200 for f in found)
    assert found[1].message == "'cost_eur' must be a number, not a list"
