"""Mangled input never raises: every file yields findings, never a traceback."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DRAFT, VALID
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.rules import RULESET

FRAGMENTS = [
    "---",
    "...",
    "|",
    "| x |",
    "|---|",
    ":",
    ": :",
    "- ",
    "!!python/object:os.system",
    "&a",
    "*a",
    "\t",
    "## ",
    "# ",
    "```",
    "~~~",
    "<!--",
    "-->",
    "\ufeff",
    "\r\n",
    "\x00",
    "é",
    "🔥",
    "2026-13-02",
    "25:61",
    "{",
    "[",
    "'",
    '"',
    "\\",
    "<!-- postmortems: ignore BL003 x -->",
    "related: [x]",
    "id: ",
    "impact:\n  users_affected: -1",
    "status: in-review",
]

lines_of = st.sampled_from([VALID, DRAFT]).map(lambda text: text.split("\n"))


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    lines = draw(lines_of)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "cut", "swap"]))
        i = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if op == "delete" and lines:
            del lines[i]
        elif op == "insert":
            fragment = draw(st.sampled_from(FRAGMENTS) | st.text(max_size=20))
            lines.insert(i, fragment)
        elif op == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif op == "cut" and lines:
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.sampled_from(FRAGMENTS)) + line[at:]
        elif op == "swap" and len(lines) > 1:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=8)) + data[cut:]
    return data


def _check(folder: Path, data: bytes) -> None:
    target = folder / "postmortems" / "2026-03-04-checkout-config-push.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    kb = load(Settings(root=folder), RULESET)
    for finding in kb.findings:
        assert finding.line >= 1
        assert finding.col >= 1
        assert finding.format().count(":") >= 3


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=mangled())
def test_mangled_postmortems_never_raise(tmp_path: Path, data: bytes) -> None:
    _check(tmp_path, data)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_random_bytes_never_raise(tmp_path: Path, data: bytes) -> None:
    _check(tmp_path, data)
