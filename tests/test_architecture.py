"""The package keeps its shape: imports go down the layers, never in a circle, and only the
MkDocs adapter imports MkDocs.

    core      reading files, the knowledge base, deadlines (imports nothing above it)
    rules     the checks and their registry            (uses core)
    site      generator-neutral page building           (uses core)
    importers foreign formats in (Markdown flavours, HTML)  (uses core)
    adapters  the MkDocs plugin, MkDocs' config loader, the folder renderer (uses site, rules, core)
    cli       one module per command                     (uses all of the above)

Every import counts, at the top of a module or inside a function or a ``TYPE_CHECKING``
block: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "plugin" / "mkdocs_postmortems"
NAME = "mkdocs_postmortems"

# The command line sits above the adapters: it reads mkdocs.yml with MkDocs' own loader
# (adapters.mkdocs_config) when MkDocs is installed, and writes pages for other generators
# through adapters.folder.
LAYERS = {
    "core": 0,
    "rules": 1,
    "site": 1,
    "importers": 1,
    "integrations": 1,
    "adapters": 2,
    "cli": 3,
}
# The package's own face: ``__init__`` holds the version (core may read it), ``__main__``
# runs the command line.
FACES = {NAME: 0, f"{NAME}.__main__": 4}
GENERATOR_PACKAGES = ("mkdocs", "material", "properdocs", "zensical")


def package_sources() -> dict[str, str]:
    """Every module of the package, by dotted name, with its source."""
    sources = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        sources[".".join([NAME, *parts])] = path.read_text(encoding="utf-8")
    return sources


def imports_of(module: str, source: str, known: set[str]) -> set[str]:
    """The modules ``module`` imports: our own resolved to the module file, others by name."""
    return {
        candidate if candidate in known else base
        for base, candidate in import_names(module, source)
    }


# Each test changes one module of the package: the others are parsed once a run.
@functools.cache
def import_names(module: str, source: str) -> tuple[tuple[str, str], ...]:
    """Each name ``module`` imports, as (the module it names, that name as a submodule):
    ``import a.b`` is ``a.b`` twice, ``from a import b`` is ``a`` and ``a.b``."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")[: -node.level or None]
                base = ".".join([*package, base] if base else package)
            found.extend((base, f"{base}.{alias.name}") for alias in node.names)
    return tuple(found)


def layer(module: str) -> tuple[str, int]:
    if module in FACES:
        return module, FACES[module]
    room = module.split(".")[1]
    if room not in LAYERS:
        raise AssertionError(f"{module} is in no layer: put it under {', '.join(LAYERS)}")
    return room, LAYERS[room]


def violations(sources: dict[str, str]) -> list[str]:
    """Every import that goes up or sideways, every MkDocs import outside the adapters, and
    every import circle, as sentences."""
    known = set(sources)
    imported = {m: imports_of(m, s, known) for m, s in sources.items()}
    graph = {m: {i for i in targets if i in known} for m, targets in imported.items()}
    problems = []
    for module, targets in imported.items():
        room, level = layer(module)
        for target in sorted(targets):
            top = target.split(".")[0]
            if top in GENERATOR_PACKAGES and room != "adapters":
                problems.append(f"{module} imports {target}: only adapters/ may import {top}")
            if target not in known:
                continue
            other, other_level = layer(target)
            if other_level > level or (other_level == level and other != room):
                problems.append(f"{module} ({room}) imports {target} ({other}): up or sideways")
    problems.extend(f"import circle: {' -> '.join(c)}" for c in circles(graph))
    return problems


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle through each group of modules that import each other (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_keeps_its_layers() -> None:
    assert violations(package_sources()) == []


def test_every_layer_is_a_folder_of_the_package() -> None:
    rooms = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert rooms == set(LAYERS)


@pytest.mark.parametrize(
    ("module", "line", "expected"),
    [
        (
            f"{NAME}.core.model",
            "from mkdocs_postmortems.site.pages import Context",
            "core.model (core) imports mkdocs_postmortems.site.pages (site): up or sideways",
        ),
        (
            f"{NAME}.core.reader",
            "from mkdocs_postmortems.rules import RULESET",
            "(core) imports mkdocs_postmortems.rules (rules): up or sideways",
        ),
        (
            f"{NAME}.site.render",
            "from mkdocs_postmortems.rules import all_rules",
            "(site) imports mkdocs_postmortems.rules (rules): up or sideways",
        ),
        (
            f"{NAME}.rules.fields",
            "def f():\n    from mkdocs_postmortems.cli.main import main",
            "(rules) imports mkdocs_postmortems.cli.main (cli): up or sideways",
        ),
        (
            f"{NAME}.site.pages",
            "from mkdocs.structure.files import File",
            "imports mkdocs.structure.files: only adapters/ may import mkdocs",
        ),
        (
            f"{NAME}.cli.check",
            "import material.plugins",
            "imports material.plugins: only adapters/ may import material",
        ),
    ],
)
def test_an_upward_import_is_caught(module: str, line: str, expected: str) -> None:
    sources = package_sources()
    sources[module] += f"\n{line}\n"
    assert any(expected in problem for problem in violations(sources))


def test_an_import_circle_is_caught() -> None:
    sources = package_sources()
    sources[f"{NAME}.core.findings"] += "\nfrom mkdocs_postmortems.core import model\n"
    problems = [p for p in violations(sources) if p.startswith("import circle")]
    assert problems
    assert f"{NAME}.core.findings" in problems[0]
    assert f"{NAME}.core.model" in problems[0]


def test_a_module_outside_the_layers_is_caught() -> None:
    sources = package_sources()
    sources[f"{NAME}.helpers"] = "import os\n"
    with pytest.raises(AssertionError, match="in no layer"):
        violations(sources)
