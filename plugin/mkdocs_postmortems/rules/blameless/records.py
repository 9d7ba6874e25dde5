"""Every blameless rule, in code order: the one list that the registry, the documentation
and the scan of prose read. A new rule is a record in the module of its family, named here.
"""

from __future__ import annotations

from typing import Final

from mkdocs_postmortems.rules.blameless.actions import (
    PLACEHOLDER_OWNER,
    TOO_MANY_ACTIONS,
    VAGUE_ACTION,
)
from mkdocs_postmortems.rules.blameless.engine import BlamelessRule, PhraseRule
from mkdocs_postmortems.rules.blameless.hindsight import HINDSIGHT
from mkdocs_postmortems.rules.blameless.human_error import HUMAN_ERROR
from mkdocs_postmortems.rules.blameless.judgment import JUDGMENT_WORD
from mkdocs_postmortems.rules.blameless.people import NAMED_INDIVIDUAL

RECORDS: Final[tuple[BlamelessRule, ...]] = (
    NAMED_INDIVIDUAL,
    HUMAN_ERROR,
    HINDSIGHT,
    JUDGMENT_WORD,
    VAGUE_ACTION,
    PLACEHOLDER_OWNER,
    TOO_MANY_ACTIONS,
)
PHRASE_RULES: Final = {record.code: record for record in RECORDS if isinstance(record, PhraseRule)}
"""The rules that flag phrases in prose, by code; the gate is built from their triggers."""
