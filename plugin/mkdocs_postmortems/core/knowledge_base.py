"""The knowledge base: every post-mortem in the folder, checked together, with its findings."""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from mkdocs_postmortems.core import frontmatter
from mkdocs_postmortems.core.checks import Entry, Ruleset
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.edition import (
    PUBLIC,
    in_public_edition,
    only_public_links,
    public_version,
    published_settings,
)
from mkdocs_postmortems.core.fields import read_fields
from mkdocs_postmortems.core.files import (
    Refused,
    folders_resolved_once,
    is_utf8_name,
    printable_path,
    read_file,
)
from mkdocs_postmortems.core.findings import Finding, Hit
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.pool import chunks, ordered_map
from mkdocs_postmortems.core.reader import (
    is_candidate,
    is_postmortem_file,
    read_postmortem,
    without_bom,
)
from mkdocs_postmortems.core.suggestions import HINTS_PER_FILE, Suggestions

SLUG_LIMIT = 60
# From how many files a check is spread over worker processes, and the most files a worker
# is handed at once (small parts: a worker holds little at a time). Workers cost about a
# tenth more CPU time in all (starting, warming their caches, sending outlines back): on a
# busy 2-core machine they lost time at 300 files and won at 2,000.
PARALLEL_FROM = 500
PART_LIMIT = 250
# The slug of a title that has nothing to spell in ASCII (symbols only), with a hash of it.
FALLBACK_SLUG = "incident"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
# Where a transliteration runs syllables together: "ZhiFuFuWu" (支付服务) is four words.
_SYLLABLE = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass
class KnowledgeBase:
    settings: Settings
    postmortems: list[PostMortem] = field(default_factory=list)
    #: The findings of the post-mortems the public edition leaves out: the build and the
    #: check fail on them as on any other, though no page shows them.
    withheld: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return sorted([*self.withheld, *(f for pm in self.postmortems for f in pm.findings)])

    @property
    def indexed(self) -> list[PostMortem]:
        """Post-mortems whose front matter could be read, newest first."""
        readable = [
            pm for pm in self.postmortems if pm.readable and pm.started is not None and pm.has_page
        ]
        return sorted(readable, key=lambda pm: (pm.started, pm.id), reverse=True)

    def get(self, ident: str) -> PostMortem | None:
        return next((pm for pm in self.postmortems if pm.id == ident), None)


def find_files(paths: Iterable[Path]) -> list[Path]:
    """The paths under the given files and folders that are post-mortems or findings.

    Every file in a folder is a post-mortem, a finding, or left out by a documented rule:
    hidden names, ``README.*`` and ``_*`` files, and files that are not Markdown (images and
    other attachments). A folder the walk does not enter (a symbolic link, one it cannot
    list, a name that is not UTF-8) is listed too, so that reading it reports it.
    """
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(Path(name) for name in _candidates(path))
        elif is_postmortem_file(path) or path.exists() or path.is_symlink():
            found.add(path)
    return sorted(found)


def path_order(name: str) -> list[str]:
    """A sort key that orders the paths one walk finds as their ``Path`` objects do.

    ``Path`` compares a path's parts (``a/b`` comes before ``a-b/c``), in the file system's
    case; making a ``Path`` of each name just to sort them cost three times this key. Every
    name the walk finds is its root and then single names joined by the separator, so the
    split name has the same parts as the ``Path`` after the root's, which all names share.
    """
    return os.path.normcase(name).split(os.sep)


def slugify(title: str, limit: int = SLUG_LIMIT) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary within ``limit``.

    Other scripts are transliterated (``Lucía``: ``lucia``, ``Сбой оплаты``: ``sboy-oplaty``,
    ``支付服务中断``: ``zhi-fu-fu-wu-zhong-duan``); other characters separate words. A title
    with nothing to spell gets ``incident-`` and a short hash of the title: two such
    incidents on one day get two files.
    """
    words = _NOT_SLUG.sub(" ", transliterated(title).lower()).split()
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > limit:
            break
        slug = longer
    if not slug and words:
        slug = words[0][:limit]
    if slug:
        return slug
    import hashlib

    return f"{FALLBACK_SLUG}-{hashlib.sha256(title.encode('utf-8', 'replace')).hexdigest()[:8]}"


def transliterated(text: str) -> str:
    """``text`` in ASCII letters, as anyascii spells other scripts (imported only for a
    text that needs it): file names of titles, calendar names of owners."""
    if text.isascii():
        return text
    from anyascii import anyascii

    return _NOT_ASCII.sub(lambda run: _SYLLABLE.sub(" ", anyascii(run[0])), text)


def postmortem_path(folder: Path, day: date, title: str, suffix: str = "") -> Path:
    """``<folder>/YYYY/YYYY-MM-DD-slug.md``: the layout ``new`` and ``import`` write, by year."""
    return folder / f"{day:%Y}" / f"{day:%Y-%m-%d}-{slugify(title)}{suffix}.md"


def _candidates(folder: Path | str) -> Iterator[str]:
    """The paths :func:`find_files` finds in ``folder``, as strings (they are many)."""
    unlisted: list[str] = []
    for parent, dirs, files in os.walk(folder, onerror=lambda exc: unlisted.append(exc.filename)):
        entered = []
        for name in dirs:
            if name.startswith("."):
                continue
            path = os.path.join(parent, name)
            if os.path.islink(path) or not is_utf8_name(name):
                yield path
            else:
                entered.append(name)
        dirs[:] = entered
        for name in files:
            if is_candidate(name):
                yield os.path.join(parent, name)
    yield from (name for name in unlisted if name)


# Names the site writes beside the post-mortems' pages, which no id may take. With an empty
# ``url_prefix`` the post-mortems share the site root with MkDocs' and the theme's own files,
# and with Pagefind's: a large site's index comes in several folders, pagefind-2 and on,
# named in pagefind-bundles.js (site/pagefind.py).
_RESERVED_BESIDE = ("catalog.json", "index")
_RESERVED_AT_ROOT = (
    "assets",
    "search",
    "pagefind",
    "pagefind-bundles.js",
    "404",
    "sitemap.xml",
    "sitemap.xml.gz",
)
_RESERVED_PATTERN_AT_ROOT = re.compile(r"pagefind-[0-9]+")


@dataclass(frozen=True)
class ReservedIds:
    """The ids (case folded) whose page would collide with a file the site generates."""

    names: frozenset[str]
    pattern: re.Pattern[str] | None = None

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        if key in self.names:
            return True
        return self.pattern is not None and self.pattern.fullmatch(key) is not None


def reserved_ids(settings: Settings) -> ReservedIds:
    """The ids (case folded) whose page would collide with a file the site generates."""
    names = set(_RESERVED_BESIDE)
    if not settings.url_prefix:
        names.update(_RESERVED_AT_ROOT)
        names.update(url.split("/", 1)[0] for url in settings.pages.values() if url)
        return ReservedIds(frozenset(n.casefold() for n in names), _RESERVED_PATTERN_AT_ROOT)
    return ReservedIds(frozenset(name.casefold() for name in names))


def assign_pages(postmortems: list[PostMortem], settings: Settings) -> None:
    """Decide which post-mortems get a page: the first file to claim an id, in any letter
    case (``Same`` and ``same`` are one file on macOS and Windows), unless it is reserved."""
    reserved = reserved_ids(settings)
    taken: set[str] = set()
    for pm in postmortems:
        key = pm.id.casefold()
        pm.has_page = not pm.refused and key not in reserved and key not in taken
        if pm.has_page:
            taken.add(key)


def display_path(path: Path, cwd: str) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    absolute = os.path.abspath(path)
    if absolute.startswith(cwd + os.sep):
        relative = absolute[len(cwd) + 1 :]
        # An absolute path is normalised already: where the separator is "/", it is posix.
        return printable_path(relative if os.sep == "/" else Path(relative).as_posix())
    return printable_path(path.as_posix())


class ReadCache:
    """Each file's reading and file checks, kept from one load to the next (``mkdocs serve``
    rebuilds after every edit): a file whose size, modification time and inode are unchanged
    is not read again. Only the hits of its own checks are kept; the cross-file checks run
    afresh on every load, since another file's change can change them.

    A reading holds the settings it was made with (levels, severities, time zone, people,
    extra fields...): when the settings change (mkdocs.yml was edited), nothing is kept."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple[int, int, int], PostMortem, list[Hit]]] = {}
        self._made_with: tuple[Settings, Ruleset] | None = None
        self.reads = 0  # files read (not taken from the cache) since it was made

    def read(self, path: Path, display: str, settings: Settings, ruleset: Ruleset) -> PostMortem:
        made_with = (settings, ruleset)
        if self._made_with != made_with:
            self._entries.clear()
        # Kept even when equal: the next files of this load compare by identity at once.
        self._made_with = made_with
        absolute = os.path.abspath(path)
        try:
            info = os.stat(absolute)
            key: tuple[int, int, int] | None = (info.st_size, info.st_mtime_ns, info.st_ino)
        except OSError:
            key = None
        entry = self._entries.get(absolute)
        if (
            key is not None
            and entry is not None
            and entry[0] == key
            and entry[1].display == display
        ):
            _, pm, hits = entry
            pm.hits = list(hits)
            pm.findings = []
            return pm
        self.reads += 1
        pm = read_postmortem(path, display, settings, ruleset)
        if key is not None:
            self._entries[absolute] = (key, pm, list(pm.hits))
        return pm

    def keep_only(self, paths: Iterable[str]) -> None:
        """Forget the files that are gone."""
        wanted = set(paths)
        for absolute in [a for a in self._entries if a not in wanted]:
            del self._entries[absolute]


@folders_resolved_once()
def load(
    settings: Settings,
    ruleset: Ruleset,
    paths: Iterable[Path] | None = None,
    *,
    cache: ReadCache | None = None,
    for_pages: bool = False,
) -> KnowledgeBase:
    """Read, check and index the configured folder (and any extra files or folders); with a
    ``cache``, files unchanged since its last load are not read again.

    ``for_pages`` (a single build, which reads nothing again): each post-mortem keeps only
    what its pages need (:meth:`~mkdocs_postmortems.core.model.PostMortem.keep_for_pages`)
    as soon as its own checks have run and the checks across files have gathered from it.
    """
    if for_pages and cache is not None:
        raise ValueError("a cache keeps post-mortems whole for the next load")
    roots = [settings.path] if settings.path.exists() else []
    roots.extend(paths or ())
    files = find_files(roots)
    kb = KnowledgeBase(settings)
    unique = {os.path.abspath(path): path for path in files}
    keep: Callable[[PostMortem], PostMortem] = _for_pages if for_pages else _whole
    if settings.edition == PUBLIC:
        # Filtered at the source: every page is drawn from the public version alone.
        keep = partial(_public_then, keep, settings, ruleset)
    read = _read_each(unique.values(), settings, ruleset, keep, cache)
    kb.postmortems = read.kept
    if cache is not None:
        cache.keep_only(unique)
    assign_pages(kb.postmortems, settings)
    _check_across(read.entries, settings, ruleset)
    for pm in kb.postmortems:
        pm.findings = list(resolve_findings(pm, pm.hits, settings, ruleset))
    if settings.edition == PUBLIC:
        _publish(kb, settings)
    return kb


def _publish(kb: KnowledgeBase, settings: Settings) -> None:
    """Keep only what the public edition publishes; the others' findings still count."""
    published = []
    for pm in kb.postmortems:
        if not pm.readable or in_public_edition(pm, settings):
            published.append(pm)
        else:
            kb.withheld.extend(pm.findings)
    kb.postmortems = published
    kb.settings = published_settings(settings)
    only_public_links(published)


@dataclass(slots=True)
class Outline:
    """What :func:`check_folder` keeps of a post-mortem once its own checks have run: who it
    is, what was found, and the silences that decide which hits become findings."""

    id: str
    display: str
    hits: list[Hit]
    ignored: Mapping[str, str]
    line_ignored: Mapping[int, Mapping[str, str]]

    def __reduce__(self) -> tuple[Any, ...]:
        # From a worker process: most files silence nothing, and 10,000 pairs of empty
        # dictionaries are a megabyte; the outline made of None shares the one empty mapping.
        silences = (self.ignored or None, self.line_ignored or None)
        return (_outline_of, (self.id, self.display, self.hits, *silences))


# The silences of an outline that has none (read-only: every such outline shares them).
_NO_SILENCES: Mapping[Any, Any] = MappingProxyType({})


def _outline_of(
    ident: str,
    display: str,
    hits: list[Hit],
    ignored: Mapping[str, str] | None,
    line_ignored: Mapping[int, Mapping[str, str]] | None,
) -> Outline:
    return Outline(ident, display, hits, ignored or _NO_SILENCES, line_ignored or _NO_SILENCES)


@folders_resolved_once()
def check_folder(settings: Settings, ruleset: Ruleset, jobs: int = 1) -> list[Outline]:
    """Check the configured folder as :func:`load` does, with the same findings, keeping of
    each file only its :class:`Outline` and what the checks across files gather from it.

    ``postmortems check`` has no page to draw, so a file's parse (its text, body and YAML
    positions) is let go as soon as its own checks have run: memory grows by about a
    kilobyte per file rather than by the file's whole parse. With ``jobs`` above 1, the
    files are read in that many worker processes (:func:`_outlines_of`).
    """
    roots = [settings.path] if settings.path.exists() else []
    # Names as strings, each made a Path only while its file is read (10,000 Paths are
    # megabytes); in the order of find_files, which decides which of two equal ids is first.
    names = sorted({name for root in roots for name in _candidates(root)}, key=path_order)
    read = _outlines_of(names, settings, ruleset, jobs)
    _check_across(read.entries, settings, ruleset)
    return read.kept


def _outlines_of(
    names: Sequence[str], settings: Settings, ruleset: Ruleset, jobs: int, links: bool = False
) -> _Read[Outline]:
    """Read and check the files named, in order, keeping each one's :class:`Outline`.

    With ``jobs`` above 1 and enough files, worker processes read consecutive parts of the
    list and send back only the outlines and what the checks across files gather (a
    position, a few lines of Root Causes), merged here in the list's order: the checks
    across files then run on exactly what one process would have given them.
    """
    if jobs <= 1 or len(names) < PARALLEL_FROM:
        return _read_each(map(Path, names), settings, ruleset, _outline, links=links)
    read: _Read[Outline] = _Read()
    with _collector_paused():
        parts = chunks(names, jobs, PART_LIMIT)
        for part in ordered_map(_read_part, (settings, ruleset, links), parts, jobs):
            read.kept.extend(part.kept)
            read.entries.extend(part.entries)
            read.links.extend(part.links)
    return read


def _read_part(shared: tuple[Settings, Ruleset, bool], names: Sequence[str]) -> _Read[Outline]:
    """One worker's part of :func:`_outlines_of`."""
    settings, ruleset, links = shared
    with folders_resolved_once():
        return _read_each(map(Path, names), settings, ruleset, _outline, links=links)


def _outline(pm: PostMortem) -> Outline:
    return _outline_of(pm.id, pm.display, pm.hits, pm.ignored, pm.line_ignored)


def _whole(pm: PostMortem) -> PostMortem:
    return pm


def _for_pages(pm: PostMortem) -> PostMortem:
    pm.keep_for_pages()
    return pm


def _public_then(
    keep: Callable[[PostMortem], PostMortem], settings: Settings, ruleset: Ruleset, pm: PostMortem
) -> PostMortem:
    return keep(public_version(pm, settings, ruleset))


E = TypeVar("E", PostMortem, Outline)


@dataclass
class _Read(Generic[E]):
    """What :func:`_read_each` keeps of the files it read."""

    kept: list[E] = field(default_factory=list)
    # What the checks across files gather, beside the kept entry (refused files have none).
    entries: list[tuple[Entry, tuple[Any, ...]]] = field(default_factory=list)
    # Each file's id and the ids its ``related`` names (for check --changed; only when asked).
    links: list[tuple[str, list[str]]] = field(default_factory=list)


def _read_each(
    paths: Iterable[Path],
    settings: Settings,
    ruleset: Ruleset,
    keep: Callable[[PostMortem], E],
    cache: ReadCache | None = None,
    *,
    links: bool = False,
) -> _Read[E]:
    """Read and check each file (through ``cache`` if given), keeping ``keep(pm)`` of it (the
    post-mortem whole, what its pages need, or its outline) and what the checks across
    files need; the rest of the parse is let go."""
    read: _Read[E] = _Read()
    cwd = os.getcwd()
    reader = cache.read if cache is not None else read_postmortem
    with _collector_paused():
        for path in paths:
            pm = reader(path, display_path(path, cwd), settings, ruleset)
            # Gathered first: keep() may let go of what the checks across files read. A
            # refused path has no id of its own: it only has its finding.
            gathered = None if pm.refused else _gather(pm, settings, ruleset)
            kept = keep(pm)
            read.kept.append(kept)
            if gathered is not None:
                read.entries.append((kept, gathered))
                if links:
                    read.links.append((pm.id, pm.related))
    return read


def _gather(pm: PostMortem, settings: Settings, ruleset: Ruleset) -> tuple[Any, ...]:
    """What each check across files needs of ``pm``, in the ruleset's order."""
    return tuple(check.gather(pm, settings) for check in ruleset.knowledge_base_checks)


def _check_across(
    entries: Sequence[tuple[Entry, tuple[Any, ...]]], settings: Settings, ruleset: Ruleset
) -> None:
    """Run the checks across files; each hit goes to the entry it is about."""
    for index, check in enumerate(ruleset.knowledge_base_checks):
        for entry, hit in check.check(_Column(entries, index), settings):
            entry.hits.append(hit)


class _Column(Sequence[tuple[Entry, Any]]):
    """Each entry beside the part one check gathered from it, made as it is read: a list of
    those pairs per check was a megabyte at 10,000 files, all of it alive at once."""

    def __init__(self, entries: Sequence[tuple[Entry, tuple[Any, ...]]], index: int) -> None:
        self._entries = entries
        self._index = index

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, position: Any) -> Any:
        if isinstance(position, slice):
            return [(e, parts[self._index]) for e, parts in self._entries[position]]
        entry, parts = self._entries[position]
        return entry, parts[self._index]

    def __iter__(self) -> Iterator[tuple[Entry, Any]]:
        index = self._index
        return ((entry, parts[index]) for entry, parts in self._entries)


def load_changed(
    settings: Settings,
    ruleset: Ruleset,
    changed: Iterable[Path],
    removed_ids: Iterable[str] = (),
) -> KnowledgeBase:
    """Check only the changed files, with the cross-file rules still seeing the whole folder.

    The cross-file rules need every post-mortem's id but only the changed ones' content, so
    every other file is read just far enough to know its id (:func:`read_id`). That is what
    makes a pull request on a 10,000-file knowledge base take well under a second.

    An unchanged file that mentions one of ``removed_ids`` (the ids of deleted or renamed
    files) is checked too, so a link to a post-mortem that the change removed is reported.

    Trade-off: the blameless rules flag a person's name in Root Causes when the knowledge
    base knows it as a person (an author, facilitator or owner). Here that list holds the
    checked files' people and the configured ``people`` only; a name known only from an
    unchanged post-mortem is caught by the full check (``postmortems check``, ``mkdocs build``).

    The returned knowledge base holds the checked post-mortems only.
    """
    postmortems = _check_changed(
        settings,
        ruleset,
        changed,
        removed_ids,
        lambda paths: _read_each(paths, settings, ruleset, _whole, links=True),
    )
    for pm in postmortems:
        pm.findings = list(resolve_findings(pm, pm.hits, settings, ruleset))
    return KnowledgeBase(settings, postmortems)


def check_changed(
    settings: Settings,
    ruleset: Ruleset,
    changed: Iterable[Path],
    removed_ids: Iterable[str] = (),
    jobs: int = 1,
) -> list[Outline]:
    """:func:`load_changed` keeping only each checked file's :class:`Outline`, as
    :func:`check_folder` does (``postmortems check PATH...``, ``--changed``), in ``jobs``
    worker processes when there are many."""
    return _check_changed(
        settings,
        ruleset,
        changed,
        removed_ids,
        lambda paths: _outlines_of([str(p) for p in paths], settings, ruleset, jobs, links=True),
    )


@folders_resolved_once()
def _check_changed(
    settings: Settings,
    ruleset: Ruleset,
    changed: Iterable[Path],
    removed_ids: Iterable[str],
    read_checked: Callable[[list[Path]], _Read[E]],
) -> list[E]:
    """The changed files (and the unchanged ones that mention a removed id) read by
    ``read_checked``, in one process or in workers, with the checks across files run on them
    and on the ids of every other file."""
    cwd = os.getcwd()
    checked = {os.path.abspath(path): path for path in changed}
    gone = [ident.encode("utf-8") for ident in removed_ids if ident]
    others: dict[str, list[str]] = {}
    for absolute in _walk(settings.path):
        if absolute in checked:
            continue
        if not absolute.endswith(".md"):
            continue  # refused by its name: the full check reports it
        try:
            raw = read_file(absolute, settings.root, settings.max_file_bytes)
        except Refused:
            continue
        if any(ident in raw for ident in gone):
            checked[absolute] = Path(absolute)
            continue
        ident = read_id(raw, os.path.basename(absolute)[:-3], settings)
        others.setdefault(ident, []).append(absolute)
    read: _Read[E] = read_checked(sorted(checked.values()))
    unchanged: list[PostMortem] = [
        PostMortem(path=Path(absolute), display=display_path(Path(absolute), cwd), id=ident)
        for ident in sorted(_ids_in_question(read.links, others))
        for absolute in others[ident]
    ]
    # Unchanged files first: a duplicate id is reported on the later file, the changed one.
    everyone: list[tuple[Entry, tuple[Any, ...]]] = [
        *((pm, _gather(pm, settings, ruleset)) for pm in unchanged),
        *read.entries,
    ]
    _check_across(everyone, settings, ruleset)
    return read.kept


def _ids_in_question(links: list[tuple[str, list[str]]], others: dict[str, list[str]]) -> set[str]:
    """The ids of unchanged files that can change a finding on the checked ones.

    Those are the checked files' own ids (duplicates), the ids their ``related`` lists name,
    and, for a name that resolves nowhere, the closest id (the "did you mean" hint, chosen
    as :func:`~mkdocs_postmortems.config.did_you_mean` chooses it). Every other unchanged
    file would only be a bystander, and building 10,000 of those costs a tenth of a second.
    """
    own = {ident for ident, _ in links}
    wanted = own | {target for _, related in links for target in related}
    known = {*others, *own}
    suggestions = Suggestions(known)
    for _, related in links:
        unknown = [target for target in dict.fromkeys(related) if target not in known]
        for target in unknown[:HINTS_PER_FILE]:
            # The id the full check's hint names, and the ids it was chosen among: from any
            # subset that holds those, closest() answers alike; and every id a subset could
            # take for the only one with the same digits.
            hint = suggestions.closest(target)
            wanted.update([hint] if hint else [])
            wanted.update(suggestions.candidates(target))
            wanted.update(suggestions.numbered(target))
    # Ids are one in any letter case (check_unique_ids): `Same` duplicates an unchanged `same`.
    by_case: dict[str, list[str]] = {}
    for ident in others:
        by_case.setdefault(ident.casefold(), []).append(ident)
    return {ident for target in wanted for ident in by_case.get(target.casefold(), ())}


def _walk(folder: Path) -> list[str]:
    """The absolute paths :func:`find_files` would find in ``folder``, as sorted strings."""
    return sorted(_candidates(os.path.abspath(folder)))


# The closing line of the front matter, as frontmatter.split finds it (CRLF included).
_CLOSING = re.compile(rb"\n(?:---|\.\.\.)[ \t]*\r?(?=\n|$)")
_OPENING = re.compile(rb"(?:\xef\xbb\xbf)?---[ \t]*\r?(?:\n|$)")
# "id" as a word, found by its literal prefix (eight times faster than r"\bid\b"); the left
# edge is checked by hand.
_ID_THEN_EDGE = re.compile(rb"id\b")


def read_id(raw: bytes, stem: str, settings: Settings) -> str:
    """A post-mortem's id from its bytes, parsing no more than it must: ``stem`` (the file
    name without ``.md``) unless the front matter might set ``id``.

    The front matter can only set ``id`` if the word ``id`` (or an escape, which could spell
    it) appears between its ``---`` lines. Only then is it parsed, exactly as a full read
    parses it, so the answer is always the one :func:`load` gives.
    """
    opening = _OPENING.match(raw)
    if opening is None:
        return stem
    closing = _CLOSING.search(raw, opening.end() - 1)
    if closing is None:
        return stem
    if not _may_set_id(raw[opening.end() : closing.start()]):
        return stem
    try:
        text = without_bom(raw).decode()
    except UnicodeDecodeError:
        return stem
    cut, problem = frontmatter.split(text.replace("\r\n", "\n"))
    if problem is not None or cut.yaml_text is None:
        return stem
    pm = PostMortem(path=Path(f"{stem}.md"), display="", id=stem)
    pm.front, _ = frontmatter.parse(cut.yaml_text, cut.closing_line)
    if pm.front is not None:
        # Only the id is wanted: silences are not looked at, so no rule codes are needed.
        for _ in read_fields(pm, settings, ()):
            pass
    return pm.id


def _may_set_id(front: bytes) -> bool:
    """Whether the word ``id``, or an escape that could spell it, appears in ``front``."""
    if b"\\" in front:
        return True
    for match in _ID_THEN_EDGE.finditer(front):
        before = front[match.start() - 1 : match.start()]
        if not (before.isalnum() or before == b"_"):
            return True
    return False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while files are read.

    Reading allocates many small objects, and with whole post-mortems kept they all stay
    alive; each automatic collection walks every one of them again, which made a
    10,000-file run quadratic. Nothing here creates reference cycles that need collecting.
    (Worker processes were measured and rejected for :func:`load`: handing the parsed
    post-mortems back costs more than reading them. ``check`` hands back outlines.)
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def resolve_findings(
    pm: PostMortem | Outline, hits: Iterable[Hit], settings: Settings, ruleset: Ruleset
) -> Iterable[Finding]:
    """Give each hit its configured level and drop the ones that are off or silenced."""
    for hit in hits:
        rule = ruleset.rules[hit.code]
        level = settings.level(hit.code, rule.level)
        if level == "off" or hit.code in pm.ignored:
            continue
        if hit.code in pm.line_ignored.get(hit.pos.line, {}):
            continue
        yield Finding(pm.display, hit.pos.line, hit.pos.col, hit.code, hit.message, level)
