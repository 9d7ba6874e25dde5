"""Counting words, to show that an import kept every word of the source's prose."""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any

_WORD = re.compile(r"\w+")
# The numbers of an ordered list and the boxes of a task list are markup: a list item that
# becomes a table row drops them.
# An item whose text starts on the next line ("1." alone on its line) is markup too.
_NUMBERED = re.compile(
    r"^[ \t]*(?:\d{1,3}[.)](?:[ \t]+(?=\S)|[ \t]*$)|[-*+][ \t]+\[[ xX]\])", re.MULTILINE
)


# A backslash before punctuation is Markdown's escape (``\_word\_`` shows ``_word_``), and
# an entity is the character it names (``&amp;`` is no word): words as a reader sees them.
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")


def words(text: str) -> Counter[str]:
    """The words of ``text`` as a multiset, case folded (Markdown punctuation is not a word)."""
    text = html.unescape(_ESCAPE.sub("", _NUMBERED.sub(" ", text)))
    return Counter(match.group(0).casefold() for match in _WORD.finditer(text))


def value_words(value: Any) -> Counter[str]:
    """The words of a front-matter value, however nested."""
    if isinstance(value, dict):
        total: Counter[str] = Counter()
        for item in value.values():
            total += value_words(item)
        return total
    if isinstance(value, list):
        total = Counter()
        for item in value:
            total += value_words(item)
        return total
    return words("" if value is None else str(value))


def missing(source: Counter[str], result: str) -> Counter[str]:
    """The words of ``source`` that ``result`` does not hold as many times."""
    return source - words(result)
