"""The one way the tool reads a file of the knowledge base, and what it refuses to read.

A post-mortem repository takes pull requests from many people. A file in it can be a
symbolic link to ``/etc/passwd`` or ``/dev/zero``, a FIFO that blocks the first reader
forever, or a file of gigabytes. Every read of a post-mortem (and of the service catalog)
goes through :func:`read_file`, which reads only a regular file whose real path lies inside
the project, and never more than a limit. What it refuses is a :class:`Refused` with the
code of the rule that reports it; the caller turns it into a finding.

Every file the tool writes (``new``, ``import``, ``render``) goes through the functions at
the end of this module: only inside the project, never through a symbolic link below the
project's folder, and never over anything but a regular file. What they refuse is a
:class:`NotWritten`, which the command reports as a usage error.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from mkdocs_postmortems.core.findings import define

DEFAULT_MAX_BYTES = 1 << 20
"""1 MiB: the longest real post-mortem seen is some 60 KB; ten times that is still prose."""

OUTSIDE_PROJECT = define(
    "PM020",
    "outside-project",
    "A post-mortem path lies outside the project, or is a symbolic link to a place outside it.",
    why="Following it would publish whatever it points at (`/etc/passwd`, another "
    "repository's files) on the site, and checks would pass on content nobody reviewed here.",
    fix="Copy the post-mortem into the folder instead of linking to it, or remove the link.",
    locked=True,
)
NOT_REGULAR = define(
    "PM021",
    "not-a-regular-file",
    "A post-mortem path is not a regular file that can be read (a FIFO, a device, a broken "
    "link, a folder named `*.md`, or no permission).",
    why="Reading a FIFO blocks forever and a device never ends; the tool reads regular files "
    "only, and says so rather than skipping the path.",
    fix="Replace it with a regular Markdown file, or remove it from the folder.",
    locked=True,
)
TOO_LARGE = define(
    "PM022",
    "file-too-large",
    "A post-mortem file is larger than the configured limit (`max_file_bytes`, 1 MiB by default).",
    why="A post-mortem is prose; a file of megabytes is a mistake (a log pasted in, a binary) "
    "and would slow every check and page build.",
    fix="Move logs and attachments out of the post-mortem and link to them; raise "
    "`max_file_bytes` only if a real write-up needs it.",
    locked=True,
)
MARKDOWN_NAME = define(
    "PM023",
    "markdown-extension",
    "A Markdown file in the post-mortem folder does not end in lowercase `.md`.",
    why="Only `.md` files are post-mortems; a `.MD` or `.markdown` file would otherwise be "
    "left out of the site and the checks without a word.",
    fix="Rename the file to end in `.md`, or prefix its name with `_` if it is not a post-mortem.",
    locked=True,
)
FOLDER_NOT_READ = define(
    "PM024",
    "folder-not-read",
    "A folder inside the post-mortem folder was not read: it is a symbolic link, or it "
    "cannot be listed.",
    why="Post-mortems in a folder the tool does not read would be missing from the site and "
    "the checks; a linked folder could also lead outside the project or into a loop.",
    fix="Move the post-mortems into a real folder inside the post-mortem folder, or fix its "
    "permissions.",
    locked=True,
)
NAME_NOT_UTF8 = define(
    "PM025",
    "file-name-not-utf8",
    "A file or folder name is not valid UTF-8.",
    why="Page addresses, search and every output are UTF-8; such a name cannot be published "
    "or even printed reliably.",
    fix="Rename it using UTF-8 (letters, digits and hyphens are safest).",
    locked=True,
)

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")


class Refused(Exception):
    """A path the tool will not read, with the code of the rule that reports it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def inside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path``, with every symbolic link resolved, lies inside ``root``."""
    return _within(real_path(path), root)


def _within(real: str, root: Path | str) -> bool:
    base = os.path.join(_real_folder(os.path.abspath(root)), "")
    return real == base[:-1] or real.startswith(base)


def real_path(path: Path | str) -> str:
    """``os.path.realpath``, resolving each folder once within :func:`folders_resolved_once`:
    resolving every file's whole path cost a third of ``check --changed``. A file that is
    itself a link is always resolved in full."""
    return _resolve(path)[0]


def _resolve(path: Path | str) -> tuple[str, os.stat_result | None]:
    """The real path of ``path`` and, when ``path`` is not a link, its status: the
    ``lstat`` that tells a link apart is then the ``stat`` of the file itself."""
    path = os.path.abspath(path)
    try:
        info = os.lstat(path)
    except (OSError, ValueError):
        info = None  # nothing there (as os.path.islink says): the folder is still resolved
    if info is not None and stat.S_ISLNK(info.st_mode):
        return os.path.realpath(path), None
    folder, name = os.path.split(path)
    return os.path.join(_real_folder(folder), name), info


@contextmanager
def folders_resolved_once() -> Iterator[None]:
    """Within the block, each folder's real path is resolved once (a run's reads: a
    knowledge base of 10,000 files has a few hundred folders). Outside any block every path
    is resolved afresh: the check that a read stays inside the project never meets an answer
    older than the run asking, whoever forgets to reset what (``mkdocs serve``, where a
    folder may have become a link since the last build)."""
    token = _FOLDERS.set({})
    try:
        yield
    finally:
        _FOLDERS.reset(token)


# The folders resolved by the run under way (None: no run, nothing kept); a context
# variable, so that a run in another thread or task keeps its own.
_FOLDERS: ContextVar[dict[str, str] | None] = ContextVar("postmortems_folders", default=None)


def _real_folder(folder: str) -> str:
    known = _FOLDERS.get()
    if known is None:
        return os.path.realpath(folder)
    real = known.get(folder)
    if real is None:
        real = known[folder] = os.path.realpath(folder)
    return real


def printable_path(path: Path | str) -> str:
    """A path as text that any output can encode: bytes that are not UTF-8 become ``\\xNN``."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


def is_utf8_name(path: Path | str) -> bool:
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_file(path: Path | str, root: Path | str, limit: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a regular file inside ``root``, at most ``limit`` of them.

    Raises :class:`Refused` for a path outside the project (after resolving links), for
    anything but a regular file, and for a file larger than ``limit``. The file is opened
    without blocking (a FIFO would otherwise wait for a writer) and checked again through
    its open descriptor, so a swap between the check and the read changes nothing.
    """
    real, info = _resolve(path)  # resolved once: it is a fifth of reading a small file
    if not _within(real, root):
        link = "a symbolic link to a place " if os.path.islink(path) else ""
        raise Refused(OUTSIDE_PROJECT.code, f"{link}outside the project; not read")
    return _read_regular(real, info, limit, "option max_file_bytes")


def read_regular(path: Path | str, limit: int, setting: str) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them, wherever it lies.

    For a file the user names for the tool itself (the incident register, which CI may fetch
    outside the project), with every rule of :func:`read_file` but the project's bounds: a
    FIFO, a device or a link to one is refused, and no more than ``limit`` bytes are read.
    ``setting`` names what sets the limit, for the message.
    """
    real, info = _resolve(path)
    return _read_regular(real, info, limit, setting)


def _read_regular(real: str, info: os.stat_result | None, limit: int, setting: str) -> bytes:
    try:
        before = info or os.stat(real)
    except OSError as exc:
        raise Refused(NOT_REGULAR.code, f"cannot read: {_reason(exc)}") from None
    if not stat.S_ISREG(before.st_mode):
        raise Refused(NOT_REGULAR.code, f"not a regular file ({_kind(before.st_mode)}); not read")
    if before.st_size > limit:
        raise Refused(TOO_LARGE.code, _too_large(before.st_size, limit, setting))
    try:
        fd = os.open(real, _READ_FLAGS)
    except OSError as exc:
        raise Refused(NOT_REGULAR.code, f"cannot read: {_reason(exc)}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused(NOT_REGULAR.code, "not a regular file; not read")
        chunks = []
        size = 0
        while chunk := os.read(fd, min(1 << 16, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise Refused(TOO_LARGE.code, _too_large(size, limit, setting))
        return b"".join(chunks)
    except OSError as exc:
        raise Refused(NOT_REGULAR.code, f"cannot read: {_reason(exc)}") from None
    finally:
        os.close(fd)


# Opened without blocking: a FIFO would otherwise wait for a writer.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _too_large(size: int, limit: int, setting: str) -> str:
    shown = f"{size:,} bytes" if size <= limit else f"more than {limit:,} bytes"
    return f"the file has {shown}, over the limit of {limit:,} ({setting}); not read"


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


class NotWritten(Exception):
    """A path the tool will not write or remove, with the reason in words."""


def writable(path: Path | str, root: Path | str, *, folder: bool = False) -> Path:
    """``path`` made absolute, once it is known that writing there touches nothing else.

    The path must lie inside ``root`` as written (a link is never resolved to get there),
    every folder on the way below ``root`` that exists must be a real folder, not a
    symbolic link, and the file itself, when it exists, must be a regular file. A link in
    the project (committed, or made by anyone who can open a pull request) would otherwise
    take a write or a removal out of the project. ``root`` itself may be reached through
    links: it is where the user chose to run.
    """
    absolute = Path(os.path.abspath(path))
    below = _below(absolute, root)
    if below is None:
        raise NotWritten(f"{printable_path(absolute)} is outside the project")
    current, relative = below
    for part in relative.parts:
        current = current / part
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            break  # nothing there yet: the rest of the way is made by the writer
        except OSError as exc:
            raise NotWritten(f"{printable_path(current)}: {_reason(exc)}") from None
        if stat.S_ISLNK(info.st_mode):
            raise NotWritten(f"{printable_path(current)} is a symbolic link; not followed")
        if (current != absolute or folder) and not stat.S_ISDIR(info.st_mode):
            raise NotWritten(f"{printable_path(current)} is not a folder")
        if current == absolute and not folder and not stat.S_ISREG(info.st_mode):
            raise NotWritten(f"{printable_path(current)} is {_kind(info.st_mode)}")
    return absolute


def _below(absolute: Path, root: Path | str) -> tuple[Path, Path] | None:
    """The root and ``absolute`` relative to it, the root as given or as its real path (the
    current folder is always a real path), or None when ``absolute`` lies in neither."""
    for base in (Path(os.path.abspath(root)), Path(_real_folder(os.path.abspath(root)))):
        if absolute == base or base in absolute.parents:
            return base, absolute.relative_to(base)
    return None


def make_folders(folder: Path | str, root: Path | str) -> Path:
    """Make ``folder`` and the folders on the way to it, inside ``root`` and never through
    a symbolic link (see :func:`writable`)."""
    absolute = writable(folder, root, folder=True)
    missing = []
    current = absolute
    while not os.path.lexists(current):
        missing.append(current)
        current = current.parent
    if not os.path.isdir(current):  # the root may be a link; below it, writable saw none
        raise NotWritten(f"{printable_path(current)} is not a folder")
    for each in reversed(missing):
        try:
            os.mkdir(each)
        except FileExistsError:
            writable(each, root, folder=True)  # made by someone else a moment ago
    return absolute


def create_file(path: Path | str, data: bytes, root: Path | str) -> Path:
    """Write a file that must not exist yet, all at once (``FileExistsError`` if it does).

    The bytes go to a new temporary file in the same folder, which is then hard-linked to
    its name: the link fails if the name exists, even when another writer made it a moment
    ago, and a reader never sees half a file. Where the file system has no hard links, an
    exclusive create does the same minus the all-at-once part.
    """
    absolute = writable(path, root)
    make_folders(absolute.parent, root)
    temporary = _write_temporary(absolute, data, sync=True)
    try:
        os.link(temporary, absolute)
    except FileExistsError:
        raise
    except OSError:
        _write_exclusive(absolute, data, sync=True)
    finally:
        temporary.unlink()
    return absolute


def replace_file(path: Path | str, data: bytes, root: Path | str) -> Path:
    """Write a file, replacing the one there through a rename: a reader never sees half a
    file, and a link put in its place is replaced, never written through. The caller has
    made sure the file there, if any, is its own to replace."""
    absolute = writable(path, root)
    make_folders(absolute.parent, root)
    temporary = _write_temporary(absolute, data, sync=False)
    try:
        os.replace(temporary, absolute)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return absolute


def remove_file(path: Path | str, root: Path | str) -> None:
    """Remove a regular file inside ``root``, never through a symbolic link."""
    os.unlink(writable(path, root))


def remove_empty_folder(folder: Path | str, root: Path | str) -> None:
    """Remove a folder that is empty, inside ``root``, never through a symbolic link."""
    absolute = writable(folder, root, folder=True)
    below = _below(absolute, root)
    if below is None or not below[1].parts:
        raise NotWritten(f"{printable_path(absolute)} is the project itself")
    os.rmdir(absolute)


def _write_temporary(path: Path, data: bytes, *, sync: bool) -> Path:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    _write_exclusive(temporary, data, sync=sync)
    return temporary


def _write_exclusive(path: Path, data: bytes, *, sync: bool) -> None:
    """``sync``: a file an author starts from survives a crash; a page render writes again
    each run is not worth a disk flush each (thousands a run)."""
    # O_EXCL never follows a link: a name that exists, as a link or not, fails the create.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o666)
    try:
        with open(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
