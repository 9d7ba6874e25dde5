"""Related incidents and recurrence, from an index built once per knowledge base.

Comparing every incident with every other one is quadratic, which a 10,000-incident
knowledge base cannot afford; the index makes both questions cost about the same per page
whatever the size of the knowledge base.
"""

from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from itertools import combinations

from mkdocs_postmortems.core.model import PostMortem

MAX_RELATED = 5
# Candidates per shared service or tag: the incidents nearest in time on either side.
WINDOW = 15


# A post-mortem as a related candidate: its id, service and tag masks, and start.
_Candidate = tuple[str, int, int, float]


@dataclass(frozen=True)
class Relation:
    postmortem: PostMortem
    explicit: bool
    shared_services: tuple[str, ...]
    shared_tags: tuple[str, ...]


def _started(pm: PostMortem) -> float:
    return pm.started.timestamp() if pm.started else 0.0


class RelatedIndex:
    """Incidents by service, by tag and by set of services, each list in time order."""

    def __init__(self, postmortems: list[PostMortem]) -> None:
        ordered = sorted(postmortems, key=lambda pm: (_started(pm), pm.id))
        self.by_id = {pm.id: pm for pm in ordered}
        self.at = {pm.id: _started(pm) for pm in ordered}
        # Services and tags as bit masks: a shared count is one AND and a bit count.
        self.bits: dict[tuple[str, str], int] = {}
        self.masks = {pm.id: self._masks(pm, add=True) for pm in ordered}
        self.linked_from: dict[str, list[PostMortem]] = defaultdict(list)
        # Each candidate with what ranking it needs (id, masks, start), in time order: the
        # ranking reads a thousand candidates a build, and looked each part up by id.
        self.keyed: dict[tuple[str, str], list[_Candidate]] = defaultdict(list)
        self.service_sets: dict[frozenset[str], list[float]] = defaultdict(list)
        for pm in ordered:
            for target in pm.related:
                self.linked_from[target].append(pm)
            candidate = (pm.id, *self.masks[pm.id], self.at[pm.id])
            for key in self._keys(pm):
                self.keyed[key].append(candidate)
            for subset in _subsets(pm.services):
                self.service_sets[subset].append(_started(pm))
        self.times = {key: [c[3] for c in candidates] for key, candidates in self.keyed.items()}

    def _masks(self, pm: PostMortem, *, add: bool = False) -> tuple[int, int]:
        """Bit masks of the services and tags; ``add`` gives unseen ones a new bit."""
        services = tags = 0
        for key in self._keys(pm):
            kind = key[0]
            bit = self.bits.setdefault(key, 1 << len(self.bits)) if add else self.bits.get(key, 0)
            if kind == "service":
                services |= bit
            else:
                tags |= bit
        return services, tags

    @staticmethod
    def _keys(pm: PostMortem) -> list[tuple[str, str]]:
        return [("service", s) for s in dict.fromkeys(pm.services)] + [
            ("tag", t) for t in dict.fromkeys(pm.tags)
        ]

    def related(self, pm: PostMortem, limit: int = MAX_RELATED) -> list[Relation]:
        """Up to ``limit`` related post-mortems, best first.

        Explicit links (either direction) come first, in the order written; then others
        ranked by shared services (a recurrence on the same system matters most), then
        shared tags (the failure kind), then nearness in time.
        """
        explicit = [self.by_id[i] for i in dict.fromkeys(pm.related) if i in self.by_id]
        explicit += [o for o in self.linked_from.get(pm.id, []) if o not in explicit]
        explicit = [o for o in explicit if o is not pm]
        services, tags = self.masks.get(pm.id) or self._masks(pm)
        at = self.at.get(pm.id, _started(pm))
        seen = {o.id for o in explicit} | {pm.id}
        ranked: list[tuple[int, float, str]] = []
        for key in self._keys(pm):
            times, candidates = self.times.get(key, []), self.keyed.get(key, [])
            middle = bisect.bisect_left(times, at)
            for ident, other_services, other_tags, other_at in candidates[
                max(0, middle - WINDOW) : middle + WINDOW
            ]:
                if ident in seen:
                    continue
                seen.add(ident)
                score = 3 * (services & other_services).bit_count()
                score += 2 * (tags & other_tags).bit_count()
                ranked.append((-score, abs(other_at - at), ident))
        wanted = max(0, limit - len(explicit))
        chosen = explicit + [self.by_id[ident] for *_, ident in heapq.nsmallest(wanted, ranked)]
        return [
            Relation(
                other,
                other in explicit,
                tuple(s for s in other.services if s in pm.services),
                tuple(t for t in other.tags if t in pm.tags),
            )
            for other in chosen[:limit]
        ]

    def repeats(self, pm: PostMortem, window: timedelta) -> list[PostMortem]:
        """The incidents this one repeats: started up to ``window`` before it, on one of its
        services and of one of its kinds (a tag, the failure's kind), newest first. The
        same system failing the same way again is what the actions were meant to prevent."""
        services, tags = self.masks.get(pm.id) or self._masks(pm)
        if not services or not tags:
            return []
        at = self.at.get(pm.id, _started(pm))
        since = at - window.total_seconds()
        found: dict[str, float] = {}
        for service in dict.fromkeys(pm.services):
            key = ("service", service)
            times, candidates = self.times.get(key, []), self.keyed.get(key, [])
            first, last = bisect.bisect_left(times, since), bisect.bisect_left(times, at)
            for ident, _, other_tags, other_at in candidates[first:last]:
                if ident != pm.id and other_tags & tags:
                    found[ident] = other_at
        return [self.by_id[i] for i in sorted(found, key=lambda i: (-found[i], i))]

    def previous_on_services(self, pm: PostMortem) -> int:
        """How many earlier incidents touched at least one of this incident's services.

        Inclusion-exclusion over the sets of its services, each counted by a bisection in
        the time-ordered list of incidents that have all of them.
        """
        at = _started(pm)
        total = 0
        for subset in _subsets(pm.services):
            sign = 1 if len(subset) % 2 else -1
            total += sign * bisect.bisect_left(self.service_sets.get(subset, []), at)
        return total


def _subsets(names: list[str]) -> list[frozenset[str]]:
    unique = list(dict.fromkeys(names))[:6]
    return [
        frozenset(combo)
        for size in range(1, len(unique) + 1)
        for combo in combinations(unique, size)
    ]
