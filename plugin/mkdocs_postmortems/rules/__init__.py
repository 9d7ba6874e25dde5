"""The checks, grouped by what they look at. Importing this package registers every rule.

A file check takes a post-mortem and the settings and yields hits; a knowledge-base check
sees every post-mortem at once. Adding a rule means defining it and its check in one module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mkdocs_postmortems.config import Settings
from mkdocs_postmortems.findings import Hit
from mkdocs_postmortems.model import PostMortem
from mkdocs_postmortems.rules import (
    action_items,
    blameless,
    fields,
    knowledge_base,
    sections,
    timeline,
)

FileCheck = Callable[[PostMortem, Settings], Iterable[Hit]]
KnowledgeBaseCheck = Callable[[list[PostMortem], Settings], Iterable[tuple[PostMortem, Hit]]]

FILE_CHECKS: tuple[FileCheck, ...] = (
    *fields.CHECKS,
    *sections.CHECKS,
    *timeline.CHECKS,
    *action_items.CHECKS,
    *blameless.CHECKS,
)
KNOWLEDGE_BASE_CHECKS: tuple[KnowledgeBaseCheck, ...] = (
    *knowledge_base.CHECKS,
    *blameless.KNOWLEDGE_BASE_CHECKS,
)
