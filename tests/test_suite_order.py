"""The order of the parallel run (tests/conftest.py): whole modules, heaviest first, weighed
by their tests' marks, so that no long module starts last while the other worker idles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest

from conftest import COSTS, SECOND, cost, pytest_collection_modifyitems


class Item:
    """What the order reads of a collected test: its id and its marks."""

    def __init__(self, nodeid: str, *marks: pytest.MarkDecorator) -> None:
        self.nodeid = nodeid
        self.marks = [mark.mark for mark in marks]

    def iter_markers(self, name: str | None = None) -> Iterator[pytest.Mark]:
        return (mark for mark in self.marks if name is None or mark.name == name)


def weigh(item: Item) -> float:
    return cost(cast(Any, item))


def test_a_test_weighs_its_heaviest_mark_its_pages_or_its_seconds() -> None:
    assert weigh(Item("tests/test_a.py::t")) == 1
    assert weigh(Item("tests/test_a.py::t", pytest.mark.build)) == COSTS["build"]
    both = Item("tests/test_a.py::t", pytest.mark.subprocess, pytest.mark.build)
    assert weigh(both) == COSTS["build"]
    walk = Item("tests/test_a.py::t", pytest.mark.browser(pages=17))
    assert weigh(walk) == 17 * COSTS["browser"]
    typecheck = Item("tests/test_a.py::t", pytest.mark.subprocess, pytest.mark.slow(seconds=15))
    assert weigh(typecheck) == 15 * SECOND


def test_a_module_of_one_slow_test_starts_before_many_light_ones() -> None:
    """A type check of fifteen seconds, alone in its module, was weighed like one unit test
    and started last; the other worker waited for it."""
    items = [
        *(Item(f"tests/test_light.py::t{n}") for n in range(300)),
        Item("tests/test_builds.py::t", pytest.mark.build),
        Item("tests/test_repository.py::test_mypy", pytest.mark.slow(seconds=15)),
        *(Item(f"tests/test_builds.py::t{n}", pytest.mark.build) for n in range(3)),
    ]
    pytest_collection_modifyitems(cast(Any, items))
    modules = list(dict.fromkeys(item.nodeid.split("::")[0] for item in items))
    assert modules == ["tests/test_repository.py", "tests/test_builds.py", "tests/test_light.py"]
    # Within a module, the file's order.
    builds = [item.nodeid for item in items if "builds" in item.nodeid]
    assert builds == ["tests/test_builds.py::t", *(f"tests/test_builds.py::t{n}" for n in range(3))]
