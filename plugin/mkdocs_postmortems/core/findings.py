"""Findings and the rules that produce them.

Every problem the tool reports is a :class:`Finding` with a stable code. A :class:`Rule`
carries that code with its default level and its documentation, so the rule reference is
generated from the same objects that report problems and cannot drift from them. A rule is
defined next to the code that reports it; the registry of every rule lives in
:mod:`mkdocs_postmortems.rules`, which gathers them from the modules that define them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

# ``info`` is information for a person, not a problem: it is listed, and no strict run (the
# check's ``--strict``, ``mkdocs build --strict``) fails on it.
Level = Literal["error", "warning", "info", "off"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info", "off")


class Position(NamedTuple):
    """A 1-based line and column in a file (a tuple: tens of thousands are made per run)."""

    line: int
    col: int = 1


@dataclass(frozen=True)
class Rule:
    """A diagnostic code, its default level, and what a reader needs to fix it."""

    code: str
    name: str
    summary: str
    why: str
    fix: str
    level: Level = "error"
    example: str = ""
    # A locked rule reports a file or page the site leaves out: silencing it (``off``,
    # ``ignore``) would lose a post-mortem without a word, so it can be a warning at most.
    locked: bool = False


def is_locked(code: str, rules: Collection[str]) -> bool:
    """Whether ``code`` names a locked rule (``rules`` maps codes to rules, or lists codes)."""
    rule = rules.get(code) if isinstance(rules, Mapping) else None
    return isinstance(rule, Rule) and rule.locked


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place: ``path:line:col: level CODE message``."""

    path: str
    line: int
    col: int
    code: str
    message: str = field(compare=False)
    level: Level = field(default="error", compare=False)

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.level} {self.code} {self.message}"
        return printable(text)


# Line breaks and other controls that a key, an id or a file name can carry into a message:
# printed raw, they would split a finding over two lines, and the second could pass for a
# finding of its own ("path:1:1: ...") in a CI log.
_CONTROLS = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
}


def printable(text: str) -> str:
    """``text`` on one line, encodable as UTF-8: controls and lone surrogates escaped.

    The one place where text from a post-mortem is made safe for a line-oriented output.
    """
    text = text.translate(_CONTROLS)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


@dataclass(frozen=True)
class Hit:
    """A finding before it knows its file and its configured level."""

    code: str
    pos: Position
    message: str


def define(
    code: str,
    name: str,
    summary: str,
    *,
    why: str,
    fix: str,
    level: Level = "error",
    example: str = "",
    locked: bool = False,
) -> Rule:
    """A rule, defined as a module-level name next to the code that reports it."""
    return Rule(code, name, summary, why, fix, level, example, locked)
