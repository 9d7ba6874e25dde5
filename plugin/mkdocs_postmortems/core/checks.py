"""What the core asks of the rules: the checks to run and the rules they report.

The core reads files and indexes the knowledge base; it does not know which rules exist.
The rules package builds one :class:`Ruleset` and hands it to :func:`~mkdocs_postmortems.core.
knowledge_base.load`, so the layers above choose the checks and the core never imports them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Hit, Rule
from mkdocs_postmortems.core.model import PostMortem

FileCheck = Callable[[PostMortem, Settings], Iterable[Hit]]
T = TypeVar("T")


class Entry(Protocol):
    """A post-mortem as the checks across files see it: a :class:`PostMortem`, or the
    :class:`~mkdocs_postmortems.core.knowledge_base.Outline` that stays of one once its own
    checks have run. A hit appended to ``hits`` becomes one of its findings."""

    @property
    def id(self) -> str: ...

    @property
    def display(self) -> str: ...

    @property
    def hits(self) -> list[Hit]: ...


@dataclass(frozen=True)
class KnowledgeBaseCheck(Generic[T]):
    """A check that needs every post-mortem at once (unique ids, links between them), in two
    steps, so that no file's whole parse must live until the last file is read:

    - ``gather`` takes what the check needs from one post-mortem while it is whole (a
      position, the lines of one section), right after that file's own checks;
    - ``check`` sees every file's gathered part, beside its :class:`Entry`, and reports hits.

    ``postmortems check`` keeps only the gathered parts, which is what lets it check 10,000
    files in a few tens of MiB; the site keeps the post-mortems whole anyway.
    """

    gather: Callable[[PostMortem, Settings], T]
    check: Callable[[Sequence[tuple[Entry, T]], Settings], Iterable[tuple[Entry, Hit]]]


@dataclass(frozen=True)
class Ruleset:
    """Every rule by code (for levels and silences), and the checks that report them."""

    rules: Mapping[str, Rule]
    file_checks: tuple[FileCheck, ...]
    knowledge_base_checks: tuple[KnowledgeBaseCheck[Any], ...]
