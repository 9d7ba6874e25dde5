"""The leak check of the public edition: what, in the public text of a public post-mortem,
looks like it must stay inside.

It reads the file as the public edition publishes it (``core.edition.public_lines``: the
internal passages, keys and columns blanked where they are), so it reports every word at
the line and column the author wrote it, and nothing an internal part holds. It runs only
when the public edition is checked or built (``postmortems check --edition public``, the
plugin's ``edition: public``): the internal site publishes all of it on purpose.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate

from mkdocs_postmortems.core.config import EDITIONS, Settings
from mkdocs_postmortems.core.edition import PUBLIC, is_public, public_lines
from mkdocs_postmortems.core.findings import Hit, Position, define
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.rules.blameless import configured_people, people_of
from mkdocs_postmortems.rules.blameless.people import people_pattern

_MOVE = (
    "Move it into an internal passage (`<!-- internal -->` ... `<!-- /internal -->`), an "
    "internal key or column, or write the public text without it."
)
INVALID_VISIBILITY = define(
    "PM700",
    "invalid-visibility",
    "`visibility` is neither `internal` nor `public`.",
    why="A post-mortem whose visibility cannot be read would be published, or kept back, by "
    "accident.",
    fix="Write `visibility: public` or `visibility: internal`, or leave the key out for the "
    "configured default (`public_edition.default`).",
)
INTERNAL_HOST = define(
    "PM701",
    "public-internal-host",
    "The public text names an internal host, an internal address or a private IP address.",
    why="Host names and addresses map the inside of the network for whoever reads the page.",
    fix=_MOVE + " Configure the internal names in `public_edition.hosts`.",
)
EMAIL = define(
    "PM702",
    "public-email",
    "The public text holds an e-mail address.",
    why="An address names a person or an internal list, and invites mail nobody answers.",
    fix=_MOVE,
)
PERSON = define(
    "PM703",
    "public-person",
    "The public text names a person or a chat @handle.",
    why="A public post-mortem is about systems; a name there points at someone the company "
    "chose not to expose (the same names the blameless rules know).",
    fix=_MOVE + " Name the role instead (the on-call engineer).",
)
TICKET = define(
    "PM704",
    "public-ticket",
    "The public text holds a ticket id.",
    why="A customer cannot open the tracker, and its ids tell what the company works on.",
    fix=_MOVE + " The pattern is `public_edition.tickets`.",
)
SECRET = define(
    "PM705",
    "public-secret",
    "The public text holds what looks like a secret: an access key, a token, a private key, "
    "or a password.",
    why="A published secret is a compromised secret, even when revoked later: search "
    "engines and archives keep the page.",
    fix="Remove it from the file (and rotate it): a secret has no place in a post-mortem, "
    "internal or public.",
)
PLACEHOLDER = define(
    "PM706",
    "public-placeholder",
    "The public text holds a placeholder: `TBD`, `TODO`, `FIXME`, `XXX` or `???`.",
    why="Customers read the public edition as final; a placeholder says it is not.",
    fix="Write the text, or keep the passage internal until it is written.",
)
UNCLOSED = define(
    "PM707",
    "unclosed-internal-passage",
    "An internal passage (`<!-- internal -->`) is never closed with `<!-- /internal -->`.",
    why="The public edition leaves out everything from the opening marker to the end of the "
    "file, which is rarely what the author meant.",
    fix="Close the passage with `<!-- /internal -->` where the internal text ends.",
)

# Names only an internal network resolves, and the words that mark an internal zone.
_INTERNAL_LABELS = frozenset(
    ("corp", "internal", "intranet", "intra", "lan", "local", "localdomain", "localhost")
)

_HOST = re.compile(
    r"(?<![\w.@-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}(?![\w-])",
    re.IGNORECASE,
)
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]*\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w.@/-])@[A-Za-z][\w.-]*[\w]")
# Keys and tokens by the shapes their issuers give them, written in one letter case.
_KEY = re.compile(
    r"AKIA[0-9A-Z]{16}"
    r"|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{30,}"
    r"|xox[abposr]-[A-Za-z0-9-]{10,}"
    r"|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}|sk-[A-Za-z0-9_-]{20,}"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"
)
_ASSIGNED_WORDS = ("passw", "secret", "token", "key")
_ASSIGNED = re.compile(
    r"\b(?:password|passwd|secret|token|api[_-]?key)[ \t]*[:=][ \t]*[^\s`'\",;]{6,}",
    re.IGNORECASE,
)
# A long run of letters and digits (a token of no known shape), a secret when it mixes
# upper case, lower case and digits; hyphens are left out, so slugs and dates are never one.
_TOKEN = re.compile(r"(?<![\w/+=-])[A-Za-z0-9+/_]{32,}={0,2}(?![\w/+=-])")
_PRIVATE = tuple(
    ipaddress.IPv4Network(network)
    for network in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",  # carrier-grade NAT, and the addresses of many overlay networks
        "127.0.0.0/8",
        "169.254.0.0/16",
    )
)
_PLACEHOLDERS = ("TBD", "TODO", "FIXME", "XXX", "???")
_PLACEHOLDER = re.compile(r"\b(?:TBD|TODO|FIXME|XXX)\b|\?\?\?")


def check_visibility(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    if pm.front is not None and pm.visibility and pm.visibility not in EDITIONS:
        yield Hit(
            INVALID_VISIBILITY.code,
            pm.front.value_pos("visibility"),
            f"visibility '{pm.visibility}' is neither internal nor public",
        )


def check_leaks(pm: PostMortem, settings: Settings) -> Iterator[Hit]:
    """Every leak in the public text of a public post-mortem, in the public edition."""
    if settings.edition != PUBLIC or not is_public(pm, settings):
        return
    view = public_lines(pm, settings)
    if view is None:
        return
    for pos in view.unclosed:
        yield Hit(UNCLOSED.code, pos, "this internal passage is never closed")
    people = _people(pm, settings)
    hosts = _host_patterns(settings.public_edition.hosts)
    tickets = re.compile(settings.public_edition.tickets)
    # The whole public text at once, each pattern run once: a pattern per line cost as
    # much as reading the file. The lines keep their places, so an offset is a position.
    text = "\n".join(view.lines)
    starts = list(accumulate((len(line) + 1 for line in view.lines[:-1]), initial=0))
    for code, offset, what in _leaks(text, people, hosts, tickets):
        line = bisect.bisect_right(starts, offset)
        pos = Position(line, offset - starts[line - 1] + 1)
        yield Hit(code, pos, f"{what} in the public text")


def _leaks(
    text: str,
    people: frozenset[str],
    hosts: tuple[re.Pattern[str], ...],
    tickets: re.Pattern[str],
) -> Iterator[tuple[str, int, str]]:
    """Each leak in ``text``: its rule, where it starts, and what it is.

    A pattern is run only when the text holds what each of its matches needs (an ``@``, a
    label, a keyword): a plain search for that costs a hundredth of the pattern's, and most
    write-ups hold none of it."""
    lower = text.lower()
    at_sign = "@" in text
    emails = [(m.start(), m.end()) for m in _EMAIL.finditer(text)] if at_sign else []
    for start, end in emails:
        yield EMAIL.code, start, f"e-mail address '{text[start:end]}'"
    labelled = any(label in lower for label in _INTERNAL_LABELS)
    for match in _HOST.finditer(text) if hosts or labelled else ():
        if not _within(match.start(), emails) and _is_internal_host(match[0], hosts):
            yield INTERNAL_HOST.code, match.start(), f"internal host '{match[0]}'"
    for match in _IPV4.finditer(text):
        if _is_private(match[0]):
            yield INTERNAL_HOST.code, match.start(), f"private address '{match[0]}'"
    for match in _HANDLE.finditer(text) if at_sign else ():
        # In a code span, ``@`` is code (``dig @ns1``, a decorator), not a chat handle.
        line_start = text.rfind("\n", 0, match.start()) + 1
        if text.count("`", line_start, match.start()) % 2 == 0:
            yield PERSON.code, match.start(), f"handle '{match[0]}'"
    for match in _find_names(people, text):
        yield PERSON.code, match.start(), f"name '{match[0]}'"
    for match in tickets.finditer(text):
        yield TICKET.code, match.start(), f"ticket '{match[0]}'"
    for start, found in _secrets(text, lower):
        shown = found[:6] + "…" if len(found) > 6 else found
        yield SECRET.code, start, f"what looks like a secret ('{shown}')"
    placeholders = any(word in text for word in _PLACEHOLDERS)
    for match in _PLACEHOLDER.finditer(text) if placeholders else ():
        yield PLACEHOLDER.code, match.start(), f"placeholder '{match[0]}'"


_MIXED = (str.isupper, str.islower, str.isdigit)


def _secrets(text: str, lower: str) -> Iterator[tuple[int, str]]:
    """Where ``text`` (``lower`` in lower case) holds what looks like a secret, each place
    once."""
    found = {m.start(): m[0] for m in _KEY.finditer(text)}
    assigned = any(word in lower for word in _ASSIGNED_WORDS)
    for match in _ASSIGNED.finditer(text) if assigned else ():
        found.setdefault(match.start(), match[0])
    for match in _TOKEN.finditer(text) if len(text) >= 32 else ():
        token = match[0]
        mixed = all(any(test(c) for c in token) for test in _MIXED)
        if mixed and not any(start <= match.start() < start + len(f) for start, f in found.items()):
            found[match.start()] = token
    return iter(sorted(found.items()))


def _find_names(people: frozenset[str], text: str) -> Iterable[re.Match[str]]:
    """Where ``text`` names one of ``people``, as the blameless rules find names."""
    finder, _ = people_pattern(people)
    return finder(text) if finder is not None else ()


def _within(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= at < end for start, end in spans)


def _people(pm: PostMortem, settings: Settings) -> frozenset[str]:
    """The people the post-mortem and the configuration know by name."""
    return people_of(pm, settings) | configured_people(settings)


@lru_cache(maxsize=8)
def _host_patterns(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


def _is_internal_host(host: str, patterns: tuple[re.Pattern[str], ...]) -> bool:
    labels = host.lower().split(".")
    if any(label in _INTERNAL_LABELS for label in labels):
        return True
    return any(pattern.search(host) for pattern in patterns)


def _is_private(text: str) -> bool:
    """An address only an internal network routes. The documentation ranges (192.0.2.0/24,
    198.51.100.0/24, 203.0.113.0/24), which ``is_private`` counts too, are what a write-up
    uses to stand for a public address, so they are not named here."""
    try:
        address = ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return any(address in network for network in _PRIVATE)


CHECKS = (check_visibility, check_leaks)
