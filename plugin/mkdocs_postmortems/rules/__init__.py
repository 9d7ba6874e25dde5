"""The checks, grouped by what they look at, and the registry of every rule.

A file check takes a post-mortem and the settings and yields hits; a knowledge-base check
sees every post-mortem at once. A rule is a module-level :class:`Rule` defined next to the
code that reports it, here or in the core modules that report reading problems (a file that
is not UTF-8, front matter that is not YAML, a value of the wrong type). The registry below
gathers them from those modules, so adding a rule means defining it and its check in one
module; adding a module of rules means naming it once here.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from mkdocs_postmortems.core import extra_fields, files, frontmatter, reader
from mkdocs_postmortems.core import fields as core_fields
from mkdocs_postmortems.core import register as core_register
from mkdocs_postmortems.core.checks import Ruleset
from mkdocs_postmortems.core.findings import Rule
from mkdocs_postmortems.rules import (
    action_items,
    blameless,
    edition,
    effectiveness,
    fields,
    knowledge_base,
    markup,
    sections,
    timeline,
)

_MODULES = (
    files,
    frontmatter,
    reader,
    core_fields,
    extra_fields,
    fields,
    sections,
    timeline,
    action_items,
    blameless,
    knowledge_base,
    core_register,
    markup,
    edition,
    effectiveness,
)


def _rules_in(modules: Iterable[ModuleType]) -> dict[str, Rule]:
    """Every rule a module defines at its top level (alone, or as the values of a mapping)."""
    found: dict[str, Rule] = {}
    for module in modules:
        for value in vars(module).values():
            candidates = value.values() if isinstance(value, dict) else (value,)
            for rule in candidates:
                if not isinstance(rule, Rule):
                    continue
                if found.get(rule.code, rule) is not rule:
                    raise ValueError(f"rule {rule.code} is defined twice")
                found[rule.code] = rule
    return dict(sorted(found.items()))


RULES: dict[str, Rule] = _rules_in(_MODULES)

RULESET = Ruleset(
    rules=RULES,
    file_checks=(
        *fields.CHECKS,
        *sections.CHECKS,
        *timeline.CHECKS,
        *action_items.CHECKS,
        *effectiveness.CHECKS,
        *markup.CHECKS,
        *blameless.CHECKS,
        *edition.CHECKS,
    ),
    knowledge_base_checks=(
        *knowledge_base.CHECKS,
        *blameless.KNOWLEDGE_BASE_CHECKS,
    ),
)


def all_rules() -> list[Rule]:
    """Every rule, in code order."""
    return list(RULES.values())
