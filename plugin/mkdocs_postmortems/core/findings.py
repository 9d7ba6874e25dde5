"""Findings and the rules that produce them.

Every problem the tool reports is a :class:`Finding` with a stable code. A :class:`Rule`
carries that code with its default level and its documentation, so the rule reference is
generated from the same objects that report problems and cannot drift from them. A rule is
defined next to the code that reports it; the registry of every rule lives in
:mod:`mkdocs_postmortems.rules`, which gathers them from the modules that define them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Level = Literal["error", "warning", "off"]
LEVELS: tuple[Level, ...] = ("error", "warning", "off")


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
        return f"{self.path}:{self.line}:{self.col}: {self.level} {self.code} {self.message}"


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
) -> Rule:
    """A rule, defined as a module-level name next to the code that reports it."""
    return Rule(code, name, summary, why, fix, level, example)
