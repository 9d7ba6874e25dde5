"""BL001: a person named in the root cause; and who counts as a person.

A root cause that names someone invites the conclusion that replacing or retraining them
fixes the system. Only people count: teams, companies and services are named in root
causes all the time, so a name is a person's only when it has the shape of one
(:func:`looks_like_person`) and no word of it makes it a group (:func:`is_group_name`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator
from functools import lru_cache, partial
from typing import Final

from mkdocs_postmortems.core.findings import define
from mkdocs_postmortems.rules.blameless import words
from mkdocs_postmortems.rules.blameless.engine import BlamelessRule, Verdict


def _message(phrase: str, *, name: bool = False) -> str:
    """The message; a name (not a handle) may be a team the rules could not tell apart."""
    team = f"; if \"{phrase}\" is a team, list it under the 'teams' option" if name else ""
    return (
        f'named individual: "{phrase}" puts a person in the root cause; describe the role '
        "and the situation instead (what did the on-call engineer see, what did the system "
        f"allow?){team}"
    )


NAMED_INDIVIDUAL: Final = BlamelessRule(
    define(
        "BL001",
        "named-individual",
        "A person (not a team, company or service) is named in the Root Causes section.",
        why="A root cause that names a person invites the conclusion that replacing or "
        "retraining that person fixes the system, and makes the next person less willing "
        "to speak up.",
        fix="Describe the role and the situation instead: what the on-call engineer saw, which "
        "tool made the step easy to get wrong. Teams, companies and services are not "
        "people; list a team whose name looks like a person's under the `teams` option.",
        level="warning",
        example="Before: `Root cause: @jdoe ran the migration on the primary.`  \n"
        "After: `The migration tool accepted the primary's DSN; nothing marked it as production.`",
    ),
    _message,
)


# A handle: "@" not preceded by a word character (that would be an e-mail address), a
# letter, then handle characters; not followed by "/" (an npm scope or a GitHub team).
HANDLE: Final = re.compile(
    r"(?<![\w.+%-])@[A-Za-z][\w-]*(?:\.[\w-]+)*(?![\w/@-]|\.\w)",
)
# "the @retry decorator", "annotation @Transactional": code written without backticks.
_CODE_NEIGHBOUR: Final = re.compile(
    r"(?:decorators?|annotations?|directives?|macros?)\b", re.IGNORECASE
)


def is_code_handle(masked: str, start: int, end: int) -> bool:
    after = masked[end : end + 16].lstrip()
    before = masked[max(0, start - 16) : start].rstrip()
    if _CODE_NEIGHBOUR.match(after):
        return True
    last = before.rsplit(None, 1)[-1] if before else ""
    return _CODE_NEIGHBOUR.fullmatch(last) is not None


_NAME_PARTS: Final = re.compile(r"[\s_/]+|-(?=[a-z])|(?<=[a-z])(?=[A-Z])")


@lru_cache(maxsize=4096)
def _group_words_in(name: str) -> bool:
    """Whether a word of ``name`` is a group or company word; cached, names repeat a lot."""
    folded = " ".join(name.lower().split())
    if "on-call" in folded or "on call" in folded:
        return True
    parts = [p.lower() for p in _NAME_PARTS.split(name) if p]
    return any(p in words.GROUP_WORDS or p in words.COMPANY_WORDS for p in parts)


def is_group_name(name: str, teams: Collection[str] = ()) -> bool:
    """True if ``name`` names a team, a rota, a company or a product line, not a person.

    ``teams`` are the team names a knowledge base configures; beyond those, a name is a
    group when one of its words (split at spaces, hyphens, underscores and camelCase) is a
    group word ("Platform team", "payments-squad", "PlatformOps", "SRE", "on-call") or a
    company suffix ("Acme Labs", "Initech Inc.").
    """
    text = name.strip().lstrip("@").replace("\u2019", "'")
    if not text:
        return True
    if teams:
        folded = " ".join(text.lower().split())
        if any(folded == " ".join(t.lower().split()) for t in teams):
            return True
    return _group_words_in(text)


@lru_cache(maxsize=4096)
def looks_like_person(name: str) -> bool:
    """True if ``name`` has the shape of a person's name: "Priya Raman", "Dana", "J. O'Neil".

    One to four words, each capitalised with lower case after the capital (so "AWS",
    "PostHog" and "s3-bucket" are not names), allowing initials, hyphenated and
    apostrophe names, "Mc"/"Mac" and particles such as "van" or "de". A handle ("@jdoe") is
    a person too. Group names are not people (:func:`is_group_name`).
    """
    text = name.strip().replace("\u2019", "'")
    if text.startswith("@"):
        return HANDLE.fullmatch(text) is not None and not is_group_handle(text)
    if not text or is_group_name(text):
        return False
    parts = text.split()
    if len(parts) > 4:
        return False
    return all(_name_word(w, first=i == 0) for i, w in enumerate(parts))


def _name_word(word: str, *, first: bool) -> bool:
    if not first and word.lower() in words.PARTICLES:
        return True
    word = word.rstrip(".")
    if len(word) == 1:
        return word.isupper()
    for piece in re.split(r"[-']", word):
        for prefix in ("Mac", "Mc"):
            if piece.startswith(prefix) and len(piece) > len(prefix) + 1:
                piece = piece[len(prefix) :]
                break
        if not piece.isalpha():
            return False
        if piece.upper() == piece.lower():
            continue  # a script without case (Han, Devanagari, ...): nothing to check
        if not piece[0].isupper():
            return False
        if len(piece) > 1 and not piece[1:].islower():
            return False
    return True


def is_group_handle(handle: str) -> bool:
    """A team's alias, not a person: "@platform-team", "@payments-oncall", "@sre".

    Stricter than :func:`is_group_name`: people often put their role in their handle
    ("@ana-sre"), so a role word counts only when it is the whole handle.
    """
    parts = [p.lower() for p in _NAME_PARTS.split(handle[1:]) if p]
    if len(parts) == 1:
        return parts[0] in words.GROUP_WORDS
    return any(p in words.TEAM_HANDLE_WORDS for p in parts) or "on-call" in handle.lower()


# Finds the people's names in a line of masked prose.
NameFinder = Callable[[str], Iterable[re.Match[str]]]
_PEOPLE_CACHE: dict[tuple[frozenset[str], bool], tuple[NameFinder | None, frozenset[str]]] = {}
_PEOPLE_CACHE_MAX: Final = 64


def people_pattern(
    people: Collection[str], *, first_names: bool = True
) -> tuple[NameFinder | None, frozenset[str]]:
    """Compile (once per distinct set of names) a pattern for the given people.

    Capitalised names match case-sensitively, so a "Rose" on the team does not flag "rose".
    With ``first_names``, the first word of a full name is matched too, since write-ups
    usually say "Alice", not "Alice Chen": only when the full name has the shape of a
    person's name (never "Platform" from "Platform team") and the first word is not a month
    or weekday ("May Lin" must not flag "May 3"). Names known from elsewhere in the
    knowledge base are matched whole only. Returns the pattern and the set of name words,
    used by the subject heuristic.
    """
    names_key = (
        people
        if isinstance(people, frozenset)
        else frozenset(p.strip() for p in people if p and p.strip())
    )
    key = (names_key, first_names)
    cached = _PEOPLE_CACHE.get(key)
    if cached is not None:
        return cached
    names: set[str] = set(names_key)
    if first_names:
        for full in names_key:
            parts = full.split()
            if (
                len(parts) > 1
                and len(parts[0].rstrip(".")) > 1
                and parts[0].lower() not in words.PERSON_PREFIX_STOP
                and looks_like_person(full)
            ):
                names.add(parts[0].rstrip("."))
    alternatives = [_alternative(name) for name in sorted(names, key=lambda n: (-len(n), n))]
    finder = _name_finder(alternatives) if alternatives else None
    tokens = frozenset(w for n in names for w in n.split())
    if len(_PEOPLE_CACHE) >= _PEOPLE_CACHE_MAX:
        _PEOPLE_CACHE.clear()
    _PEOPLE_CACHE[key] = (finder, tokens)
    return finder, tokens


def _alternative(name: str) -> str:
    """A name as a pattern: its words apart by any space; in any case if written in lower
    case (a handle-like name), as written otherwise."""
    body = r"\s+".join(re.escape(p) for p in name.split())
    return body if name[:1].isupper() else f"(?i:{body})"


def _name_finder(alternatives: list[str]) -> NameFinder:
    r"""Where the names are: not after a word character, ``@``, ``.`` or ``-``, and not
    followed by a word character or ``-``.

    When every name starts with a letter as written, the regex engine tries only the
    positions one of those letters is at, several times faster than trying the leading
    ``(?<![\w@.-])`` at every position; :func:`_names_in` then checks what a match follows.
    A name in any case starts with a group, the engine tries every position anyway, and
    there the lookbehind is the quicker refusal, so it stays.
    """
    names = "(?:" + "|".join(alternatives) + r")(?![\w-])"
    if any(alternative.startswith("(?i:") for alternative in alternatives):
        return re.compile(f"(?<!{_JOINED})" + names).finditer
    return partial(_names_in, re.compile(names))


# What a name must not follow: then it is part of a word, an address or a handle. One
# class for both ways of refusing it (the lookbehind and :func:`_names_in`).
_JOINED: Final = r"[\w@.-]"
_NAME_JOINED: Final = re.compile(_JOINED)


def _names_in(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` that do not follow what :data:`_NAME_JOINED` matches,
    as a leading lookbehind would find them: a match refused for what it follows is tried
    again one position on, as the engine would."""
    at = 0
    while (m := pattern.search(text, at)) is not None:
        start = m.start()
        if start and _NAME_JOINED.match(text, start - 1):
            at = start + 1
            continue
        yield m
        at = m.end()


def names_in(line: str, masked: str, finders: Iterable[NameFinder]) -> Iterator[Verdict]:
    """Where ``line`` names a person (its ``masked`` copy is searched): a handle that is no
    broadcast (``@here``), no team's alias and no code (``@retry decorator``), and the names
    the ``finders`` find."""
    if "@" in line:
        for m in HANDLE.finditer(masked):
            if (
                m.group(0).lower() not in words.BROADCAST_HANDLES
                and not is_group_handle(m.group(0))
                and not is_code_handle(masked, m.start(), m.end())
            ):
                yield m.start(), m.end(), _message(m.group(0))
    for find in finders:
        for m in find(masked):
            yield m.start(), m.end(), _message(m.group(0), name=True)
