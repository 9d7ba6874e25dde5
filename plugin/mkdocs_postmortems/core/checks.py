"""What the core asks of the rules: the checks to run and the rules they report.

The core reads files and indexes the knowledge base; it does not know which rules exist.
The rules package builds one :class:`Ruleset` and hands it to :func:`~mkdocs_postmortems.core.
knowledge_base.load`, so the layers above choose the checks and the core never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Hit, Rule
from mkdocs_postmortems.core.model import PostMortem

FileCheck = Callable[[PostMortem, Settings], Iterable[Hit]]
KnowledgeBaseCheck = Callable[[list[PostMortem], Settings], Iterable[tuple[PostMortem, Hit]]]


@dataclass(frozen=True)
class Ruleset:
    """Every rule by code (for levels and silences), and the checks that report them."""

    rules: Mapping[str, Rule]
    file_checks: tuple[FileCheck, ...]
    knowledge_base_checks: tuple[KnowledgeBaseCheck, ...]
