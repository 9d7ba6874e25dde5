"""``did you mean``: the choice a misspelt name most likely means.

Two indexes, because there are two costs to keep down. :class:`Suggestions` indexes the
trigrams of every choice once, so the many hints of one check (thousands of broken ids)
each cost about the same over 10 choices or 10,000, and it gives the same answer from any
subset holding the candidates (``check --changed`` relies on that). :class:`Hints` only
sorts the choices: over a register's hundreds of thousands of incident ids, where an
unknown id is rare, the trigram index alone costs about three times the sorting before the
first hint. Both pick the answer with :meth:`Suggestions.closest`.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import heapq
import re
from collections import Counter
from collections.abc import Collection
from typing import Any


def did_you_mean(word: object, choices: Any) -> str:
    """A ``did you mean`` hint, or nothing when no choice is close. Choices given as a tuple
    or a frozenset (the settings' lists, the time zones) are indexed once a run."""
    if isinstance(choices, (tuple, frozenset)):
        return _indexed(choices).hint(word)
    return Suggestions(choices).hint(word)


@functools.lru_cache(maxsize=16)
def _indexed(choices: tuple[object, ...] | frozenset[object]) -> Suggestions:
    return Suggestions(choices)


class Hints:
    """``did you mean`` over many choices (a register's 200,000 ids) at a bounded cost.

    :func:`closest` compares a word with every choice: over a second against such a
    register, for each unknown id. Here the choices are sorted once by their folded form,
    forwards and backwards, and a word is compared only with those that can be its answer:
    every choice equal to it once folded, every one with the same digits (so
    :func:`numbered_choices` counts as it would over all), and the :data:`NEIGHBOURS` on
    either side of it in both orders, where a misspelling's match lies (it keeps the start
    of the word, or its end). :func:`closest` picks from those as it would from all; where
    many choices are equally close (a number one digit away from many others), it may pick
    another of them.
    """

    #: Choices taken on each side of the word, in each order.
    NEIGHBOURS = 32

    def __init__(self, choices: Collection[str]) -> None:
        self._choices = sorted({c for c in choices if "\n" not in c})
        self._forward = _Sorted(_fold_all(self._choices))
        self._backward = _Sorted([folded[::-1] for folded in self._forward.keys])
        self._digits: _Sorted | None = None

    def did_you_mean(self, word: str) -> str:
        """The hint :func:`did_you_mean` gives, from the few choices that can be its answer."""
        folded = _fold(word)
        found = self._forward.near(folded, self.NEIGHBOURS)
        found += self._backward.near(folded[::-1], self.NEIGHBOURS)
        if folded.isdigit():
            if self._digits is None:
                self._digits = _Sorted(_DIGITS.sub("", "\n".join(self._choices)).split("\n"))
            found += self._digits.near(folded, 0)
        return did_you_mean(word, sorted({self._choices[at] for at in found}))


class _Sorted:
    """Keys (one per choice) in sorted order, searched by bisection."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self._order = sorted(range(len(keys)), key=keys.__getitem__)
        self._sorted = list(map(keys.__getitem__, self._order))

    def near(self, key: str, around: int) -> list[int]:
        """The choices whose key is ``key``, and ``around`` more on each side."""
        low = bisect.bisect_left(self._sorted, key)
        high = bisect.bisect_right(self._sorted, key, low)
        return self._order[max(0, low - around) : high + around]


_NOT_WORD = re.compile(r"[^\w\n]|_")
_DIGITS = re.compile(r"[^\d\n]")


def _fold_all(choices: list[str]) -> list[str]:
    """:func:`_fold` of each choice (none holds a line break), in two passes over one text:
    a few hundred thousand ids are folded at the speed of one."""
    return _NOT_WORD.sub("", "\n".join(choices).casefold()).split("\n")


def closest(word: str, choices: Collection[str]) -> str | None:
    """The choice ``word`` most likely means (see :meth:`Suggestions.closest`)."""
    return Suggestions(choices).closest(word)


def numbered_choices(word: str, choices: Collection[str]) -> list[str]:
    """For a ``word`` that is only digits once folded, the choices with the same digits."""
    return Suggestions(choices).numbered(word)


HINTS_PER_FILE = 20
"""A file gets a "did you mean" for its first 20 unknown names of a kind; every unknown name
is still reported. A file of 2,000 broken ``related`` ids gets its findings at once."""
CANDIDATES = 32
"""How many choices are compared by spelling (difflib) for one hint, whatever their number."""
_GRAM_TEXT = 64  # a longer word is compared by its first 64 characters' trigrams


class Suggestions:
    """The choices of a "did you mean" hint, indexed once, so that a hint costs about the same
    with 10 choices or 10,000.

    difflib compares a word with each choice in Python, some 10 microseconds a pair: 2,000
    broken ids among 400 post-mortems took over 30 seconds. Here a folded spelling and a
    number are looked up in a table, and difflib compares the word with at most
    :data:`CANDIDATES` choices: those sharing the most three-letter pieces (trigrams) with it.
    """

    def __init__(self, choices: Any) -> None:
        self._given = choices
        self.compared = 0  # difflib comparisons made: the cost a test can count

    # Built on the first hint, not before: a knowledge base without a broken link asks none.
    @functools.cached_property
    def choices(self) -> list[str]:
        return sorted({str(choice) for choice in self._given})

    @functools.cached_property
    def by_fold(self) -> dict[str, str]:
        """Each folded spelling's choice, the first in sorted order."""
        found: dict[str, str] = {}
        for choice in self.choices:
            found.setdefault(_fold(choice), choice)
        return found

    @functools.cached_property
    def by_digits(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for choice in self.choices:
            found.setdefault(re.sub(r"\D", "", choice), []).append(choice)
        return found

    @functools.cached_property
    def _grams(self) -> dict[str, list[int]]:
        """The choices (by position) holding each trigram of their folded spelling."""
        grams: dict[str, list[int]] = {}
        for index, choice in enumerate(self.choices):
            for gram in _trigrams(_fold(choice)):
                grams.setdefault(gram, []).append(index)
        return grams

    def hint(self, word: object) -> str:
        close = self.closest(str(word))
        return f" (did you mean '{close}'?)" if close else ""

    def closest(self, word: str) -> str | None:
        """The choice ``word`` most likely means: the same once case, spaces and
        punctuation are dropped (``sev 1``, ``In Review``), the only one with the same
        digits (``1`` for ``SEV1``), or the closest by spelling among :meth:`candidates`.

        The answer depends on the set of choices, not their order (of equally good ones,
        the first in sorted order wins), and is the same from any subset that holds the
        candidates: ``check --changed`` relies on that."""
        folded = _fold(word)
        if folded in self.by_fold:
            return self.by_fold[folded]
        numbered = self.numbered(word)
        if len(numbered) == 1:
            return numbered[0]
        candidates = self.candidates(word)
        self.compared += 2 * len(candidates)
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
        if close:
            return close[0]
        by_fold: dict[str, str] = {}
        for choice in candidates:
            by_fold.setdefault(_fold(choice), choice)
        close = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=0.6)
        return by_fold[close[0]] if close else None

    def numbered(self, word: str) -> list[str]:
        """For a ``word`` that is only digits once folded, the choices with the same digits."""
        folded = _fold(word)
        return list(self.by_digits.get(folded, ())) if folded.isdigit() else []

    def candidates(self, word: str) -> list[str]:
        """The choices compared by spelling: all of them when they are few, else the
        :data:`CANDIDATES` that share the most trigrams with ``word``, the first in sorted
        order among equals. Each choice's rank depends on the word and the choice alone, so
        any subset of the choices that holds these has these as its own."""
        if len(self.choices) <= CANDIDATES:
            return self.choices
        shared: Counter[int] = Counter()
        for gram in _trigrams(_fold(word)[:_GRAM_TEXT]):
            shared.update(self._grams.get(gram, ()))
        best = heapq.nsmallest(CANDIDATES, shared.items(), key=lambda pair: (-pair[1], pair[0]))
        chosen = sorted(index for index, _ in best)
        for index in range(len(self.choices)):  # too few share a trigram: the first others
            if len(chosen) >= CANDIDATES:
                break
            if index not in shared:
                chosen.append(index)
        return [self.choices[index] for index in sorted(chosen)]


def _trigrams(folded: str) -> set[str]:
    padded = f" {folded} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _fold(text: str) -> str:
    folded = text.casefold()
    # Most names and ids are letters and digits already: no pattern to run over them.
    return folded if folded.isalnum() else re.sub(r"[\W_]+", "", folded)
