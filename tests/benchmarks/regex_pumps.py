"""Find the package's regular expressions that take more than linear time on a long line.

Every module of the package is imported and every compiled pattern it holds is collected:
its module attributes (also inside tuples, lists, dicts and the records a module defines),
its classes' attributes, and the patterns written as literals inside functions
(``re.search(r"...", ...)``, ``re.compile(...)``, read from the source). Each pattern is then
tried on "pumps": a long run of one character or of a pair (spaces, tabs, digits, letters,
punctuation, ``: ``, ``a ``...) after a prefix the pattern itself suggests (the text its
first elements match: the words it starts with, a label, a heading's hashes). A pump is
timed with ``search`` and ``match`` at two lengths; what grows much faster than the length
(a quadratic pattern grows 64 times when the line grows 8 times, a linear one 8 times) is
flagged, and so is anything that has not finished within a second at the shorter length.

    python tests/benchmarks/regex_pumps.py [--short 2000] [--long 16000] [--module NAME]

prints the flagged patterns, each with where it is defined, the pump and its two times, and
exits 1 when there is one. ``tests/test_linear_patterns.py`` walks the same cases at one
length under a time guard, so that a new quadratic pattern fails the suite.
"""

from __future__ import annotations

import argparse
import ast
import functools
import importlib
import itertools
import pkgutil
import re
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from types import FrameType, ModuleType
from typing import Any

PACKAGE = "mkdocs_postmortems"
#: What a long run of a human's text, or a hostile one, is made of.
UNITS = (
    *" \t0a:-.,(*|[_#>/)",
    ": ",
    "a ",
    "0 ",
    "- ",
    ". ",
    ", ",
    "0:",
    "a-",
    "a.",
    "ab ",
)
#: Flags a literal pattern inside a function may be given.
_FLAG_NAMES = {
    name: getattr(re, name)
    for name in ("I", "IGNORECASE", "M", "MULTILINE", "S", "DOTALL", "X", "VERBOSE", "A")
}
_CALLS = frozenset(("compile", "search", "match", "fullmatch", "sub", "subn", "finditer"))
_CALLS |= frozenset(("findall", "split"))
#: At most this many prefixes per pattern, and texts per part of a pattern.
_MOST_PREFIXES = 48
_MOST_TEXTS = 6


@dataclass(frozen=True)
class Found:
    """One pattern of the package, where it is defined, and how the code uses it: with
    ``match`` (from a given place, as ``match`` and ``fullmatch`` do) or with ``search``
    (anywhere in the text, as ``sub``, ``finditer``, ``findall`` and ``split`` do too)."""

    where: str
    pattern: re.Pattern[Any]
    methods: tuple[str, ...] = ("search", "match")


@dataclass(frozen=True)
class Case:
    """A pattern tried on a prefix and a run of a unit, with ``search`` or ``match``."""

    found: Found
    prefix: str
    unit: str
    method: str

    def text(self, length: int) -> str:
        return self.prefix + self.unit * (length // len(self.unit))

    def run(self, length: int) -> None:
        text = self.text(length)
        # A pattern of bytes reads each byte as the character of that number.
        binary = isinstance(self.found.pattern.pattern, bytes)
        searched = text.encode("latin-1") if binary else text
        getattr(self.found.pattern, self.method)(searched)

    def describe(self) -> str:
        return f"{self.found.where}: {self.method}({self.prefix!r} + {self.unit!r} * n)"


# --- collecting the patterns ---------------------------------------------------------------


def modules() -> Iterator[ModuleType]:
    package = importlib.import_module(PACKAGE)
    yield package
    for info in pkgutil.walk_packages(package.__path__, PACKAGE + "."):
        if not info.name.endswith(".__main__"):  # which would run the command line
            yield importlib.import_module(info.name)


@functools.cache
def _tree(module: ModuleType) -> ast.Module:
    source = getattr(module, "__file__", None)
    if source is None:
        return ast.Module(body=[], type_ignores=[])
    return ast.parse(Path(source).read_text(encoding="utf-8"))


def patterns() -> list[Found]:
    """Every pattern the package's modules hold or write as a literal, once each."""
    every = list(modules())
    uses = _uses(every)
    seen: dict[tuple[str, int], Found] = {}
    for module in every:
        for where, pattern in _held(module):
            key = (pattern.pattern, pattern.flags)
            methods = uses.get(id(pattern), {"search", "match"})
            if key in seen:  # the same pattern held twice: what both are used for
                methods = methods | set(seen[key].methods)
                where = seen[key].where
            seen[key] = Found(where, pattern, tuple(sorted(methods, reverse=True)))
        for where, method, pattern in _literals(module):
            seen.setdefault((pattern.pattern, pattern.flags), Found(where, pattern, (method,)))
    return list(seen.values())


_SEARCHING = frozenset(("search", "sub", "subn", "finditer", "findall", "split"))
_MATCHING = frozenset(("match", "fullmatch"))


def _uses(every: list[ModuleType]) -> dict[int, set[str]]:
    """For each pattern a module names (its own or one it imports), how it is used: only
    ``match`` when every use is a call of ``match`` or ``fullmatch`` on it, ``search`` when
    they all search; both when it is also used otherwise (handed on, held in a table), so
    that what it is used for cannot be told."""
    methods: dict[int, set[str]] = {}
    for module in every:
        tree = _tree(module)
        called: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in _SEARCHING | _MATCHING:
                pattern = _named(module, node.value)
                if pattern is not None:
                    called.add(id(node.value))
                    kind = "match" if node.attr in _MATCHING else "search"
                    methods.setdefault(id(pattern), set()).add(kind)
        for node in ast.walk(tree):
            pattern = _named(module, node)
            loaded = isinstance(getattr(node, "ctx", None), ast.Load)
            if pattern is not None and loaded and id(node) not in called:
                methods.setdefault(id(pattern), set()).update(("search", "match"))
    return methods


def _named(module: ModuleType, node: ast.AST) -> re.Pattern[str] | None:
    """The pattern a name or a dotted name in ``module`` stands for, if it is one."""
    if isinstance(node, ast.Name):
        value = vars(module).get(node.id)
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        value = getattr(vars(module).get(node.value.id), node.attr, None)
    else:
        return None
    return value if isinstance(value, re.Pattern) else None


def _held(module: ModuleType) -> Iterator[tuple[str, re.Pattern[str]]]:
    """The patterns a module defines (not the ones it imports: they are named where they
    are defined)."""
    defined = _defined(module)
    for name, value in vars(module).items():
        if name in defined:
            yield from _within(f"{module.__name__}.{name}", value, 3)


def _defined(module: ModuleType) -> set[str]:
    names = set()
    for node in _tree(module).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node]
        for target in targets:
            if isinstance(target, ast.Name | ast.AnnAssign):
                names.add(target.id if isinstance(target, ast.Name) else _target(target))
            elif isinstance(target, ast.ClassDef):
                names.add(target.name)
    return names


def _target(node: ast.AnnAssign) -> str:
    return node.target.id if isinstance(node.target, ast.Name) else ""


def _within(where: str, value: Any, depth: int) -> Iterator[tuple[str, re.Pattern[str]]]:
    if isinstance(value, re.Pattern):
        yield where, value
        return
    if depth == 0 or isinstance(value, str | bytes | int | float | ModuleType):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _within(f"{where}[{key!r}]", item, depth - 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from _within(f"{where}[{index}]", item, depth - 1)
    elif str(getattr(value, "__module__", "")).startswith(PACKAGE) and _fields(value):
        # The package's classes and records (a rule with its pattern, the blameless gate).
        for name, item in _fields(value).items():
            if not callable(item) or isinstance(item, re.Pattern):
                yield from _within(f"{where}.{name}", item, depth - 1)


def _fields(value: Any) -> dict[str, Any]:
    if hasattr(value, "__dict__"):
        return dict(vars(value))
    slots = getattr(type(value), "__slots__", ())
    return {name: getattr(value, name) for name in slots if hasattr(value, name)}


def _literals(module: ModuleType) -> Iterator[tuple[str, str, re.Pattern[str]]]:
    """The patterns written as string literals in a call of ``re``."""
    for node in ast.walk(_tree(module)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr in _CALLS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            continue
        flags = _flags(node)
        if flags is not None:
            where = f"{module.__name__}:{node.lineno}"
            method = "match" if node.func.attr in _MATCHING else "search"
            yield where, method, re.compile(node.args[0].value, flags)


def _flags(call: ast.Call) -> int | None:
    given = [k.value for k in call.keywords if k.arg == "flags"]
    if call.func.attr == "compile" and len(call.args) > 1:  # type: ignore[attr-defined]
        given.append(call.args[1])
    if call.func.attr in ("search", "match", "fullmatch", "findall", "finditer", "split"):  # type: ignore[attr-defined]
        given += call.args[2:3] if call.func.attr != "split" else call.args[3:4]  # type: ignore[attr-defined]
    flags = 0
    for expression in given:
        for name in ast.walk(expression):
            if isinstance(name, ast.Attribute) and name.attr in _FLAG_NAMES:
                flags |= _FLAG_NAMES[name.attr]
            elif isinstance(name, ast.Name) and name.id != "re":
                return None  # flags from a variable: the module's own pattern holds them
    return flags


# --- prefixes the pattern suggests -----------------------------------------------------------


def prefixes(pattern: re.Pattern[str]) -> list[str]:
    """Texts the pattern's first elements match, for each count of first elements, down into
    the alternatives and groups of the pattern: where a pump meets each of its runs."""
    try:
        parsed = list(sre_parse.parse(pattern.pattern, pattern.flags))
    except re.error:
        return [""]
    found: dict[str, None] = {"": None}
    for prefix in _heads(parsed):
        found.setdefault(prefix, None)
        if len(found) >= _MOST_PREFIXES:
            break
    return list(found)


def _heads(items: list[Any]) -> Iterator[str]:
    """For each element of a sequence: the texts before it, then the heads inside it."""
    for count, (op, argument) in enumerate(items):
        befores = _texts(items[:count])
        if op not in _PLAIN:  # a run can start where an element can repeat or choose
            yield from befores
        inner = _inner(op, argument)
        for before, inside in itertools.product(befores[:2], inner):
            yield from (before + head for head in _heads(list(inside)))
    yield from _texts(items)


_PLAIN = (sre.LITERAL, sre.NOT_LITERAL, sre.AT, sre.ANY)


def _inner(op: Any, argument: Any) -> list[Any]:
    if op is sre.BRANCH:
        return list(argument[1])
    if op is sre.SUBPATTERN:
        return [argument[3]]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        return [argument[2]]
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return [argument]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [argument[1]]
    return []


def _texts(items: Iterable[Any]) -> list[str]:
    """A few texts the sequence matches (one per alternative, for the first alternatives)."""
    texts = [""]
    for op, argument in items:
        choices = _element(op, argument)
        if not choices:
            continue
        texts = [a + b for a, b in itertools.product(texts, choices)][:_MOST_TEXTS]
    return texts


def _element(op: Any, argument: Any) -> list[str]:
    if op is sre.LITERAL:
        return [chr(argument)]
    if op is sre.NOT_LITERAL:
        return ["a" if argument != ord("a") else "b"]
    if op is sre.ANY:
        return ["a"]
    if op is sre.IN:
        return [_member(argument)]
    if op is sre.BRANCH:
        return [text for branch in argument[1] for text in _texts(branch)][:_MOST_TEXTS]
    if op in (sre.SUBPATTERN, getattr(sre, "ATOMIC_GROUP", None)):
        return _texts(argument[3] if op is sre.SUBPATTERN else argument)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, _, inside = argument
        return [text * max(low, 1) for text in _texts(inside)][:_MOST_TEXTS]
    return []


_CANDIDATES = "a0 A:-._,/#(x\t*|[>)"


def _member(items: Any) -> str:
    """A character of a class ``[...]``: the first of some common ones that it holds."""
    negate = any(op is sre.NEGATE for op, _ in items)
    for char in _CANDIDATES:
        if _holds(items, char) != negate:
            return char
    return "a"


def _holds(items: Any, char: str) -> bool:
    code = ord(char)
    for op, argument in items:
        if op is sre.LITERAL and argument == code:
            return True
        if op is sre.RANGE and argument[0] <= code <= argument[1]:
            return True
        if op is sre.CATEGORY and _category(argument, char):
            return True
    return False


def _category(category: Any, char: str) -> bool:
    name = str(category).removeprefix("CATEGORY_").lower()
    test = {
        "digit": char.isdigit(),
        "space": char.isspace(),
        "word": char.isalnum() or char == "_",
    }
    base = name.removeprefix("not_")
    return test.get(base, False) != name.startswith("not_")


def cases(found: Found, most: int = _MOST_PREFIXES) -> Iterator[Case]:
    """Each of the first ``most`` prefixes with each run the pattern can read more than a
    few characters of: a run no repetition of the pattern reads is given up on within the
    pattern's length."""
    runs = _runs(found.pattern)
    for prefix in prefixes(found.pattern)[:most]:
        for unit in runs:
            for method in found.methods:
                yield Case(found, prefix, unit, method)


def _runs(pattern: re.Pattern[str]) -> list[str]:
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except re.error:
        return list(UNITS)
    bodies = list(_repeated(list(parsed)))
    return [unit for unit in UNITS if any(_starts(body, char) for body in bodies for char in unit)]


def _repeated(items: list[Any]) -> Iterator[list[Any]]:
    """The bodies of the repetitions of more than a few times, wherever they are."""
    for op, argument in items:
        if op in _REPEATS and argument[1] > 4:
            yield list(argument[2])
        for inside in _inner(op, argument):
            yield from _repeated(list(inside))


def _starts(body: list[Any], char: str) -> bool:
    """Whether ``body`` may begin with ``char`` (yes when it cannot be told)."""
    for op, argument in body:
        if op is sre.LITERAL:
            return chr(argument) == char or chr(argument).lower() == char.lower()
        if op is sre.NOT_LITERAL:
            return chr(argument) != char
        if op is sre.IN:
            negate = any(kind is sre.NEGATE for kind, _ in argument)
            return _holds(argument, char) != negate or _holds(argument, char.swapcase()) != negate
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        return True
    return True


_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None))


# --- timing ----------------------------------------------------------------------------------


INFINITE = float("inf")


class TooLong(Exception):
    """A case ran past its allowance."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise TooLong


def timed(work: Callable[[], None], allowance: float) -> float:
    """Processor seconds ``work`` took, or infinity once it has taken ``allowance`` (the
    regular expression engine looks at signals as it runs, so a long match is stopped)."""
    previous = signal.signal(signal.SIGPROF, _stop)
    try:
        return _within_allowance(work, allowance)
    finally:
        signal.signal(signal.SIGPROF, previous)


def _within_allowance(work: Callable[[], None], allowance: float) -> float:
    """``timed``, with the handler of SIGPROF already in place."""
    signal.setitimer(signal.ITIMER_PROF, allowance)
    started = time.process_time()
    try:
        work()
    except TooLong:
        return INFINITE
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    return time.process_time() - started


@dataclass(frozen=True)
class Flagged:
    case: Case
    short: float
    long: float


def audit(
    found: Iterable[Found],
    short: int,
    long: int,
    threshold: float = 0.0005,
    most: int = _MOST_PREFIXES,
) -> Iterator[Flagged]:
    """The first case of each pattern whose time grows faster than linearly from ``short``
    to ``long``. Each case is screened: one that took over ``threshold`` at the short
    length (a linear scan of a few thousand characters takes some microseconds) and over
    20 times its time at an eighth of it (8 times, when linear) is measured at both lengths,
    twice over, before it is flagged. Times are the processor's: a busy machine lengthens
    the clock's."""
    previous = signal.signal(signal.SIGPROF, _stop)
    try:
        for each in found:
            for case in cases(each, most):
                if not _candidate(case, short, threshold):
                    continue
                first, second = _grows(case, short, long)
                if second == INFINITE and _grows(case, short, long)[1] == INFINITE:
                    yield Flagged(case, first, second)
                    break
    finally:
        signal.signal(signal.SIGPROF, previous)


def _candidate(case: Case, short: int, threshold: float) -> bool:
    """Whether a case is worth measuring: read on the clock, the best of a few runs (the
    processor time this machine keeps moves in steps of 4 ms)."""
    took = _clock(case, short, 2)
    return took >= threshold and took > 20 * _clock(case, short // 8, 3)


def _clock(case: Case, length: int, runs: int) -> float:
    best = INFINITE
    for _ in range(runs):
        started = time.perf_counter()
        if _within_allowance(lambda: case.run(length), 0.5) == INFINITE:
            return INFINITE
        best = min(best, time.perf_counter() - started)
    return best


def _grows(case: Case, short: int, long: int) -> tuple[float, float]:
    """The processor time of a run at the short length, and of one at the long length, or
    infinity once it is more than four times what a linear growth would take (a linear
    scan grows somewhat faster than the length: longer texts leave the processor's caches).
    The short runs are repeated for some hundredths of a second: the processor's time moves
    in steps."""
    runs, spent = 0, 0.0
    while spent < 0.04 and runs < 200:
        took = _within_allowance(lambda: case.run(short), 0.5)
        if took == INFINITE:
            return INFINITE, INFINITE
        runs, spent = runs + 1, spent + took
    first = spent / runs
    allowed = max(first * long / short * 4, 0.05)
    return first, _within_allowance(lambda: case.run(long), allowed)


def _ms(seconds: float) -> str:
    return "over 0.5 s" if seconds == INFINITE else f"{seconds * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", type=int, default=2_000)
    parser.add_argument("--long", type=int, default=16_000)
    parser.add_argument("--module", default="", help="only patterns defined in this module")
    args = parser.parse_args(argv)
    started = time.process_time()
    found = [f for f in patterns() if f.where.startswith(PACKAGE + "." + args.module)]
    count = sum(1 for each in found for _ in cases(each))
    print(f"{len(found)} patterns, {count} cases")
    flagged = []
    for each in audit(found, args.short, args.long):
        flagged.append(each)
        print(f"{each.case.describe()}\n    {_ms(each.short)} at {args.short:,}", flush=True)
    print(f"{len(flagged)} flagged; {time.process_time() - started:.1f} s of CPU")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
