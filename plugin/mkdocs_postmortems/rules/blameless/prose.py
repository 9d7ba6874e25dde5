"""Blaming language in prose: the phrase rules (BL002-BL004) and names (BL001), line by line.

The checker calls in here once per Markdown line (:func:`scan_prose`), and first once per
document (:func:`may_blame`, :func:`may_name`) to skip the many documents where no line
can be flagged. The phrase rules are tried only where the gate (:mod:`gate`), built from
their own patterns, finds one of their trigger phrases.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from mkdocs_postmortems.rules.blameless.engine import BlameMatch, mask
from mkdocs_postmortems.rules.blameless.gate import SPACED, build_gate
from mkdocs_postmortems.rules.blameless.people import (
    NAMED_INDIVIDUAL,
    NameFinder,
    names_in,
    people_pattern,
)
from mkdocs_postmortems.rules.blameless.records import PHRASE_RULES

GATE: Final = build_gate({code: rule.triggers for code, rule in PHRASE_RULES.items()})


def may_blame(text: str) -> bool:
    """False when no prose rule (BL002-BL004) can match in any line of ``text``.

    One pass of the gate over a whole document, trying each rule's phrase only where a
    trigger word starts, is far cheaper than a call per line, and most post-mortems contain
    no blaming phrase at all. Names (BL001) are not gated: they depend on the people passed
    to :func:`scan_prose`. A phrase is tried as :func:`scan_prose` tries it: in its own line
    (a phrase ends where its line does), with code spans, links and comments masked.
    """
    low = text.lower()
    if len(low) != len(text):
        return True
    # The space in front stands for the start: each candidate's space is at the index, in
    # the copy, of the word start it stands for in ``text``. A character beyond ASCII is a
    # space there too (one ``?`` per character); if it is a letter, the candidate after it
    # is no word start, and the gate itself, which reads ``low``, says so.
    spaced = b" " + low.encode("ascii", "replace").translate(SPACED)
    for candidate in GATE.word_starts.finditer(spaced):
        start = candidate.start()
        gate = GATE.pattern.match(low, start)
        if gate is None:
            continue
        first = text.rfind("\n", 0, start) + 1
        end = text.find("\n", start)
        line = mask(text[first:] if end == -1 else text[first:end])
        for code in GATE.codes.get(gate.group(0), ()):
            if PHRASE_RULES[code].pattern.match(line, start - first):
                return True
    return False


def may_name(text: str, people: Collection[str], known: Collection[str]) -> bool:
    """False when :func:`scan_prose` with ``names_people`` can flag no name (BL001) in any
    line of ``text``: no ``@`` and none of the names, found as it finds them.

    The lines are masked one by one, as :func:`scan_prose` masks each, and searched
    together: a name is no more found in its own line than in the lines joined (a line
    break, like the line's ends, is no word character), so this is never False where a
    line would be flagged.
    """
    if "@" in text:
        return True
    masked = "\n".join([mask(line) for line in text.split("\n")])
    for names, first_names in ((people, True), (known, False)):
        if names:
            finder, _ = people_pattern(names, first_names=first_names)
            if finder is not None and next(iter(finder(masked)), None) is not None:
                return True
    return False


def scan_prose(
    line: str,
    people: Collection[str] = (),
    *,
    names_people: bool = False,
    known: Collection[str] = (),
) -> list[BlameMatch]:
    """Flag blaming language (BL002-BL004, and BL001 when ``names_people``) in one line.

    ``line`` is one line of Markdown prose (a paragraph line, list item or table row); the
    caller skips fenced code and front matter. Block-quote lines return nothing because they
    quote someone else (a customer, a vendor's status page). Inline code spans, URLs and
    HTML comments are never flagged. ``people`` are names to treat as individuals: for
    BL001 (only when ``names_people``, which the caller sets for the Root Causes section)
    and, in every section, to recognise "Alice failed to ..." as a person's omission. The
    first word of a person's full name counts too ("Priya" for "Priya Raman"). ``known``
    are more people, known from elsewhere (other post-mortems, the configuration): they
    are matched only by their whole name. Callers pass people only, never teams, companies
    or services (see :func:`looks_like_person` and :func:`is_group_name`).

    Returns matches sorted by position; overlapping matches of the same rule are merged
    into the first.
    """
    if not line or line.lstrip(" \t").startswith(">"):
        return []
    low = line.lower()
    gate, text = (GATE.pattern, low) if len(low) == len(line) else (GATE.anycase, line)
    # A few characters change length when lowercased ("İ"); then match case-insensitively
    # on the line itself so that offsets stay exact.
    first = gate.search(text)
    want_names = names_people and ("@" in line or bool(people) or bool(known))
    if first is None and not want_names:
        return []
    candidates = (
        [(m.start(), m.group(0).lower()) for m in gate.finditer(text, first.start())]
        if first is not None
        else []
    )
    masked = mask(line)
    person_tokens: frozenset[str] = frozenset()
    finders: list[NameFinder] = []
    for names, first_names in ((people, True), (known, False)):
        if names:
            finder, tokens = people_pattern(names, first_names=first_names)
            person_tokens |= tokens
            if finder is not None:
                finders.append(finder)
    found: list[BlameMatch] = []

    def add(code: str, start: int, end: int, message: str) -> None:
        found.append(BlameMatch(code, start, end, line[start:end], message))

    if want_names:
        for start, end, message in names_in(line, masked, finders):
            add(NAMED_INDIVIDUAL.code, start, end, message)
    for pos, stem in candidates:
        for code in GATE.codes.get(stem, ()):
            rule = PHRASE_RULES[code]
            hit = rule.pattern.match(masked, pos)
            verdict = rule.judge(hit, masked, line, person_tokens) if hit is not None else None
            if verdict is not None:
                add(code, *verdict)
    return _dedupe(found)


def _dedupe(found: list[BlameMatch]) -> list[BlameMatch]:
    found.sort(key=lambda f: (f.start, -f.end, f.code))
    kept: list[BlameMatch] = []
    last_end: dict[str, int] = {}
    for f in found:
        if f.start < last_end.get(f.code, -1):
            continue
        kept.append(f)
        last_end[f.code] = f.end
    return kept
