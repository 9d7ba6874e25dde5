"""What the knowledge base changed: the action items done, by what they improve and by
service. A post-mortem feeds runbooks, monitoring, tests, the design, training and the way
of working; this is the list of what actually reached them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from mkdocs_postmortems.core.model import ActionItem, PostMortem

#: The group of the items done without a kind.
NO_KIND = ""


@dataclass(frozen=True)
class KindGroup:
    """The items of one kind that are done, by service (an item of an incident on several
    services is listed under each: each service changed)."""

    kind: str
    total: int  # every done item of the kind, listed or not
    services: list[tuple[str, list[ActionItem]]]


def done_by_kind(
    postmortems: Iterable[PostMortem], kinds: tuple[str, ...], listed: int
) -> list[KindGroup]:
    """The done items in the configured kinds' order, then those without a kind; a kind with
    nothing done is left out. Services by name, items newest incident first (the order of
    ``postmortems``, which the knowledge base lists newest first). Each kind lists its
    newest ``listed`` items and counts them all, as the other index pages do."""
    by_kind: dict[str, dict[str, list[ActionItem]]] = defaultdict(lambda: defaultdict(list))
    totals: dict[str, int] = defaultdict(int)
    for pm in postmortems:
        for item in pm.action_items:
            if item.status != "done":
                continue
            totals[item.kind] += 1
            if totals[item.kind] > listed:
                continue
            for service in dict.fromkeys(pm.services or ("",)):
                by_kind[item.kind][service].append(item)
    return [
        KindGroup(kind, totals[kind], sorted(by_kind[kind].items()))
        for kind in (*kinds, NO_KIND)
        if kind in by_kind
    ]
