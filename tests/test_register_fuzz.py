"""A mangled register never raises: every reader yields incidents and problems, and the
register is built or refused with a configuration error, never a traceback."""

from __future__ import annotations

import json
from datetime import timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_postmortems.core.config import Settings, settings_from_options
from mkdocs_postmortems.core.register import RegisterError, build_register
from mkdocs_postmortems.integrations import csv_export, incident_io, pagerduty
from mkdocs_postmortems.integrations.records import JsonDocument
from mkdocs_postmortems.rules import RULES

DATA = Path(__file__).resolve().parent / "data" / "register"
SOURCES = {
    "pagerduty": (DATA / "pagerduty.json").read_text(encoding="utf-8"),
    "incident.io": (DATA / "incident_io.json").read_text(encoding="utf-8"),
    "csv": (
        "id,title,severity,started,resolved,services,url\n"
        'A,"Checkout, down",SEV1,2026-05-18 22:10,2026-05-18 23:30,"a, b",https://x.test/A\n'
        "B,Search slow,SEV2,2026-05-17T10:00Z,,search,\n"
    ),
}
READERS = {"pagerduty": pagerduty.read, "incident.io": incident_io.read, "csv": csv_export.read}
FRAGMENTS = [
    '"',
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "1e999",
    "\n",
    "\\",
    "é",
    "\x00",
    "-1",
    '"2026-02-30T10:00:00Z"',
    '{"summary": 7}',
    "[[[[",
    '"resolved"',
    "true",
    # More digits than Python converts to an integer, and nesting deeper than it recurses.
    "1" * 4301,
    "[" * 5000,
]


def config_for(fmt: str) -> Settings:
    levels = {
        "P1": "SEV1",
        "P2": "SEV2",
        "P3": "SEV3",
        "low": None,
        "Critical": "SEV1",
        "Minor": "SEV3",
    }
    register = {"path": "r", "format": fmt, "severities": levels}
    return settings_from_options({"register": register}, Path("."), RULES)


@st.composite
def mangled(draw: st.DrawFn) -> tuple[str, str]:
    fmt = draw(st.sampled_from(sorted(SOURCES)))
    text = SOURCES[fmt]
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
    return fmt, text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled())
def test_a_mangled_register_never_raises(case: tuple[str, str]) -> None:
    fmt, text = case
    settings_ = config_for(fmt)
    assert settings_.register is not None
    entries = READERS[fmt](text, settings_.register, timezone.utc)
    try:
        register = build_register("r", entries, settings_.register, settings_)
    except RegisterError as exc:
        refused = str(exc)
    else:
        assert all(i.id and i.title for i in register.incidents)
        return
    assert refused.startswith("the incident register r has")


def test_the_unmangled_sources_read_cleanly() -> None:
    for fmt, text in SOURCES.items():
        settings_ = config_for(fmt)
        assert settings_.register is not None
        register = build_register(
            "r", READERS[fmt](text, settings_.register, timezone.utc), settings_.register, settings_
        )
        assert register.incidents
        json.dumps([i.id for i in register.incidents])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


@pytest.mark.slow(seconds=3)  # for the order of the parallel run (conftest.py)
@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(json_values, max_size=6),
    before=st.dictionaries(
        st.text(max_size=5).filter(lambda k: k != "incidents"), json_values, max_size=3
    ),
    after=st.dictionaries(
        st.text(max_size=5).filter(lambda k: k != "incidents"), json_values, max_size=3
    ),
    indent=st.sampled_from([None, 0, 1, 2, "\t"]),
    ascii_only=st.booleans(),
)
def test_json_positions_point_at_each_incident(
    items: list[Any], before: dict[str, Any], after: dict[str, Any], indent: Any, ascii_only: bool
) -> None:
    data = {**before, "incidents": items, **{k: v for k, v in after.items() if k not in before}}
    text = json.dumps(data, indent=indent, ensure_ascii=ascii_only)
    doc = JsonDocument(text)
    lines = text.split("\n")
    decode = json.JSONDecoder().raw_decode
    for index, item in enumerate(items):
        pos = doc.item_pos(index)
        offset = sum(len(line) + 1 for line in lines[: pos.line - 1]) + pos.col - 1
        assert decode(text, offset)[0] == item
