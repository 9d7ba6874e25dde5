"""What the conversion of one source gives: the new text, and the report for the person
who reviews it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mkdocs_postmortems.core.fields import TO_COMPLETE_MARKER

TBD = TO_COMPLETE_MARKER


@dataclass
class Report:
    """What the import of one source did: for the person who reviews it."""

    source: str
    flavour: str = ""
    target: str = ""
    outcome: str = ""
    mapped: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    to_complete: list[str] = field(default_factory=list)
    #: Moments read from the text, written with a marker until a person confirms them.
    inferred: list[str] = field(default_factory=list)
    words: int = 0
    words_kept: int = 0
    lost: list[str] = field(default_factory=list)
    timeline_rows: int = 0
    action_items: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "flavour": self.flavour,
            "target": self.target,
            "outcome": self.outcome,
            "mapped": self.mapped,
            "kept": self.kept,
            "to_complete": self.to_complete,
            "inferred": self.inferred,
            "words": self.words,
            "words_kept": self.words_kept,
            "lost_words": self.lost,
            "timeline_rows": self.timeline_rows,
            "action_items": self.action_items,
        }


@dataclass
class Conversion:
    """The new post-mortem: its start (which names the file), its title and its text."""

    started: datetime
    title: str
    text: str
    report: Report
