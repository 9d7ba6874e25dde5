"""The knowledge base: every post-mortem in the folder, checked together, with its findings."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs_postmortems.config import Settings
from mkdocs_postmortems.findings import RULES, Finding, Hit
from mkdocs_postmortems.model import ActionItem, PostMortem
from mkdocs_postmortems.reader import is_postmortem_file, read_postmortem
from mkdocs_postmortems.rules import KNOWLEDGE_BASE_CHECKS


@dataclass
class KnowledgeBase:
    settings: Settings
    postmortems: list[PostMortem] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return sorted(f for pm in self.postmortems for f in pm.findings)

    @property
    def indexed(self) -> list[PostMortem]:
        """Post-mortems whose front matter could be read, newest first."""
        readable = [pm for pm in self.postmortems if pm.readable and pm.started is not None]
        return sorted(readable, key=lambda pm: (pm.started, pm.id), reverse=True)

    @property
    def action_items(self) -> list[ActionItem]:
        return [item for pm in self.indexed for item in pm.action_items]

    def get(self, ident: str) -> PostMortem | None:
        return next((pm for pm in self.postmortems if pm.id == ident), None)


def find_files(paths: Iterable[Path]) -> list[Path]:
    """The post-mortem files under the given files and folders, sorted, without duplicates."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.update(Path(folder, name) for name in files if is_postmortem_file(Path(name)))
        elif is_postmortem_file(path) or path.exists():
            found.add(path)
    return sorted(found)


def display_path(path: Path, cwd: str) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    absolute = os.path.abspath(path)
    if absolute.startswith(cwd + os.sep):
        return Path(absolute[len(cwd) + 1 :]).as_posix()
    return path.as_posix()


def load(settings: Settings, paths: Iterable[Path] | None = None) -> KnowledgeBase:
    """Read, check and index the configured folder (and any extra files or folders)."""
    roots = [settings.path] if settings.path.exists() else []
    roots.extend(paths or ())
    files = find_files(roots)
    kb = KnowledgeBase(settings)
    cwd = os.getcwd()
    unique = {os.path.abspath(path): path for path in files}
    jobs = [(path, display_path(path, cwd), settings) for path in unique.values()]
    kb.postmortems = _read_all(jobs)
    for check in KNOWLEDGE_BASE_CHECKS:
        for pm, hit in check(kb.postmortems, settings):
            pm.hits.append(hit)
    for pm in kb.postmortems:
        pm.findings = list(resolve_findings(pm, pm.hits, settings))
    return kb


def _read_all(jobs: list[tuple[Path, str, Settings]]) -> list[PostMortem]:
    """Read and check every file with the cyclic garbage collector paused.

    Reading allocates many small objects that all stay alive; each automatic collection
    walks every one of them again, which made a 10,000-file run quadratic. Nothing here
    creates reference cycles that need collecting. (Worker processes were measured and
    rejected: handing the parsed post-mortems back costs more than reading them.)
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [read_postmortem(*job) for job in jobs]
    finally:
        if enabled:
            gc.enable()


def resolve_findings(pm: PostMortem, hits: Iterable[Hit], settings: Settings) -> Iterable[Finding]:
    """Give each hit its configured level and drop the ones that are off or silenced."""
    for hit in hits:
        rule = RULES[hit.code]
        level = settings.level(hit.code, rule.level)
        if level == "off" or hit.code in pm.ignored:
            continue
        if hit.code in pm.line_ignored.get(hit.pos.line, {}):
            continue
        yield Finding(pm.display, hit.pos.line, hit.pos.col, hit.code, hit.message, level)
