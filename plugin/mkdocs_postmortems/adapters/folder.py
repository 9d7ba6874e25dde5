"""The generated pages as files in a folder, for site generators that do not run the plugin
(Zensical, or any generator that builds Markdown with Python-Markdown from a docs folder).

The pages are the ones the MkDocs plugin hands to MkDocs, at the same source paths and so
the same URLs, with their HTML blocks in place. Every file written is listed, with a hash of
its content, in a manifest in the folder: a later run replaces and removes only files that
it wrote and nobody changed since, and refuses to touch anything else.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import markdown

from mkdocs_postmortems.core.files import (
    NotWritten,
    Refused,
    read_file,
    remove_empty_folder,
    remove_file,
    replace_file,
    writable,
)
from mkdocs_postmortems.site.pages import GeneratedSite

MANIFEST = ".postmortems-render.json"
MANIFEST_VERSION = 1
# A manifest line is some 100 bytes: 64 MiB lists more pages than any site has.
MANIFEST_MAX_BYTES = 64 << 20
# The largest file render writes is the explorer's data, some 2 KB a post-mortem; a file
# larger than this was not written by render, and is not read to find that out.
CONTENT_MAX_BYTES = 64 << 20
_SHA256 = re.compile("[0-9a-f]{64}")
# The extensions MkDocs (and Zensical, reading mkdocs.yml) always adds to a site's own.
_DEFAULT_EXTENSIONS = ("toc", "tables", "fenced_code")


class RenderError(Exception):
    """The folder cannot be written without touching a file that is not ours."""


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # stale, but changed by someone: left alone


def contents(generated: GeneratedSite, to_html: Callable[[str], str]) -> dict[str, bytes]:
    """Every file of the generated site, by its path relative to the docs folder.

    A page that holds an author's text is written as HTML, rendered with ``to_html`` and
    sanitized (:meth:`RenderedPage.rendered`): the generator runs no code of ours after its
    own Markdown rendering, so the author's raw HTML must not reach it as Markdown. The other
    pages are ours alone and stay Markdown with their blocks inlined."""
    files = {
        src: (page.rendered(to_html) if page.authored else page.inlined()).encode("utf-8")
        for src, page in generated.pages.items()
    }
    files.update(generated.files)
    return dict(sorted(files.items()))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(out: Path, root: Path) -> dict[str, str]:
    """What an earlier run wrote. A manifest that cannot be proved to be one (not JSON, a
    number of a million digits, lists nested a million deep, an entry that is not a plain
    path and a SHA-256) is refused whole: nothing is removed on its word."""
    path = out / MANIFEST
    if not os.path.lexists(path):
        return {}
    try:
        data = json.loads(read_file(path, root, MANIFEST_MAX_BYTES).decode("utf-8"))
    except Refused as exc:
        raise RenderError(f"{path}: {exc.message}; remove it") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        # ValueError: not JSON, or an integer past Python's digit limit.
        reason = "lists or objects nested too deep" if isinstance(exc, RecursionError) else exc
        raise RenderError(f"cannot read {path}: {reason}; remove it to start afresh") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        raise RenderError(f"{path} is not a manifest of this version; remove it to start afresh")
    if not isinstance(files, dict):
        raise RenderError(f"{path} is damaged; remove it to start afresh")
    for relative, digest in files.items():
        _target(out, relative)
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise RenderError(f"{path} is damaged: {relative!r} has no SHA-256; remove it")
    return files


def _target(out: Path, relative: str) -> Path:
    """A path inside ``out``; a manifest entry that points elsewhere is refused."""
    pure = PurePosixPath(relative)
    if (
        pure.is_absolute()
        or not pure.parts
        or any(part in (".", "..") for part in pure.parts)
        or "\\" in relative
        or "\0" in relative
        or pure.as_posix() != relative
    ):
        raise RenderError(f"{out / MANIFEST} names a path outside the folder: {relative!r}")
    return out.joinpath(*pure.parts)


def _current(path: Path, root: Path) -> str | None:
    """The digest of the file at ``path``, None when there is none. Raises ``NotWritten``
    for a path through a link or to anything but a regular file: never render's."""
    writable(path, root)
    if not os.path.lexists(path):
        return None
    try:
        return _digest(read_file(path, root, CONTENT_MAX_BYTES))
    except Refused:
        return "not a file render wrote"


def _check(out: Path, root: Path, files: dict[str, bytes], previous: dict[str, str]) -> None:
    """Refuse the run, before anything is written or removed, when a file it would write is
    not its own, or a path it would write or remove goes through a link."""
    blocked = []
    for relative in sorted({*files, *previous}):
        path = _target(out, relative)
        try:
            on_disk = _current(path, root)
        except NotWritten as exc:
            blocked.append(str(exc))
            continue
        if relative in files and on_disk is not None and previous.get(relative) != on_disk:
            reason = (
                "changed since render wrote it" if relative in previous else "not written by render"
            )
            blocked.append(f"{path} ({reason})")
    try:
        writable(out / MANIFEST, root)
    except NotWritten as exc:
        blocked.append(str(exc))
    if blocked:
        raise RenderError(
            "render would overwrite files it does not own, or write through a link: "
            + ", ".join(dict.fromkeys(blocked))  # a linked folder is named once
            + "; move them away, or render into another folder"
        )


def markdown_renderer(extensions: Any) -> Callable[[str], str]:
    """Markdown to HTML as the site's generator renders it: Python-Markdown with MkDocs'
    default extensions and the ``markdown_extensions`` of the site's configuration (a list of
    names and one-key mappings, or a mapping, as MkDocs takes them)."""
    names, configs = _extensions(extensions)
    try:
        processor = markdown.Markdown(extensions=names, extension_configs=configs)
    except Exception as exc:  # an extension's own error: any type
        raise RenderError(
            f"cannot load the markdown_extensions ({type(exc).__name__}: {exc})"
        ) from None

    def to_html(text: str) -> str:
        return str(processor.reset().convert(text))

    return to_html


def _extensions(extensions: Any) -> tuple[list[str], dict[str, dict[str, Any]]]:
    names = list(_DEFAULT_EXTENSIONS)
    configs: dict[str, dict[str, Any]] = {}
    entries = extensions.items() if isinstance(extensions, dict) else (extensions or [])
    for entry in entries:
        name, options = (
            entry
            if isinstance(entry, tuple)
            else next(iter(entry.items()))
            if isinstance(entry, dict) and len(entry) == 1
            else (entry, None)
        )
        if not isinstance(name, str) or not isinstance(options, (dict, type(None))):
            raise RenderError(f"markdown_extensions: cannot read the entry {entry!r}")
        if name not in names:
            names.append(name)
        if options:
            configs[name] = dict(options)
    return names, configs


def render(
    generated: GeneratedSite, out: Path, root: Path, to_html: Callable[[str], str]
) -> Outcome:
    """Write the generated site into ``out``; remove what an earlier run wrote and no longer
    generates. Every check is made before the first file is written."""
    files = contents(generated, to_html)
    previous = _read_manifest(out, root)
    _check(out, root, files, previous)
    outcome = Outcome()
    for relative, data in files.items():
        path = _target(out, relative)
        if previous.get(relative) == _digest(data) and _current(path, root) == _digest(data):
            outcome.unchanged.append(relative)
            continue
        replace_file(path, data, root)
        outcome.written.append(relative)
    manifest = {relative: _digest(data) for relative, data in files.items()}
    for relative in sorted(set(previous) - set(files)):
        _remove_if_ours(out, root, relative, previous[relative], outcome, manifest)
    listing = _manifest_bytes(manifest)
    if _current(out / MANIFEST, root) != _digest(listing):  # unchanged: mtime kept too
        replace_file(out / MANIFEST, listing, root)
    return outcome


def clean(out: Path, root: Path) -> Outcome:
    """Remove every file the last render wrote and nobody changed since, and the manifest."""
    previous = _read_manifest(out, root)
    _check(out, root, {}, previous)
    outcome = Outcome()
    left: dict[str, str] = {}
    for relative, digest in sorted(previous.items()):
        _remove_if_ours(out, root, relative, digest, outcome, left)
    if left:
        replace_file(out / MANIFEST, _manifest_bytes(left), root)
    elif os.path.lexists(out / MANIFEST):
        remove_file(out / MANIFEST, root)
    return outcome


def _remove_if_ours(
    out: Path, root: Path, relative: str, digest: str, outcome: Outcome, manifest: dict[str, str]
) -> None:
    """Remove a file render wrote, unless someone changed it: that one stays, and stays listed
    in the manifest so that a later run still will not overwrite it."""
    path = _target(out, relative)
    on_disk = _current(path, root)
    if on_disk is None:
        return
    if on_disk != digest:
        outcome.kept.append(relative)
        manifest[relative] = digest
        return
    remove_file(path, root)
    outcome.removed.append(relative)
    parent = path.parent
    while parent != out and parent.is_dir() and not any(parent.iterdir()):
        remove_empty_folder(parent, root)
        parent = parent.parent


def _manifest_bytes(files: dict[str, str]) -> bytes:
    payload = {
        "version": MANIFEST_VERSION,
        "about": "Files written by `postmortems render`; it replaces or removes only these, "
        "and only while their content is what it wrote.",
        "files": dict(sorted(files.items())),
    }
    return (json.dumps(payload, indent=1) + "\n").encode("utf-8")
