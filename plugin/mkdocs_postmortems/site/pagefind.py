"""Pagefind's index: fed page by page during the build, and made byte-identical from one
build of the same site to the next.

**Fed during the build.** Run after the build, Pagefind's command reads the whole written
site again; on a thousand post-mortems that took about a third as long as the build itself,
on top of it. Its service mode (the same binary, ``--service``) takes pages one at a time,
so :class:`Indexer` hands it each page as MkDocs writes it and Pagefind indexes on another
core while MkDocs renders; after the build only the index is left to write. Pagefind's own
Python API drives the same service, but its reader sleeps a tenth of a second before taking
each reply (a hundred seconds for a thousand pages); the protocol is small (JSON messages in
base64, each ended by a comma), so it is spoken here.

**In sorted order.** Pagefind writes each filter's values in the order of a hash map whose
seed is random, so two builds of the same pages differ in the filter files, in the metadata
file that names them, and in the entry file that names that (the file names are hashes of the
content). Here the values and the filters are put in sorted order and the three kinds of file
are written again under names hashed the same way, so the site (and any cache or diff of it)
stays stable.

**Memory handed back at once.** Pagefind's peak is when it builds the index: it holds
every word of every page it was sent, copies all of it, and builds the index beside both.
Its allocator is told to hand memory back to the system as soon as it is freed
(:func:`pagefind_environment`): what is left is what Pagefind uses, about 120 MiB at a
thousand post-mortems where it was 150 to 170. What else was measured and left alone: the
index written by the service itself rather than sent back peaks the same; one thread
(``RAYON_NUM_THREADS``, ``TOKIO_WORKER_THREADS``) did not lower it, one arena of the
allocator lowered it less (to 137 MiB); pages do not queue up in the service during a
build (MkDocs renders a page in several times the time Pagefind indexes it), and sent all
at once they left the peak where it was.

**In batches.** What Pagefind holds grows with every page it was sent, about 100 KB a
post-mortem: at ten thousand post-mortems its service peaked at 1,088 MiB, four times a
plain build's. So once a service was sent :data:`BATCH_PAGES` pages, its index is written
(aside, in the same sorted order) and it stops, handing its memory back, and a new service
takes the next pages: the peak is a batch's, whatever the site's size. The first batch's
bundle is ``pagefind/``, the next ``pagefind-2/`` and on, named in ``pagefind-bundles.js``,
which the search page loads to merge them (Pagefind's ``mergeIndex``); a site under the
bound gets its one bundle as before. The batches follow the order MkDocs writes the pages
in, or, when the written site is indexed, the order of its files' paths: the same pages
make the same bundles, build after build.

The files are gzip-compressed CBOR after a ``pagefind_dcd`` signature; the JavaScript finds
them through the entry and metadata files only, so the names just have to agree.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import IO, Any, NoReturn

SIGNATURE = b"pagefind_dcd"
# How a gzip stream starts (its magic number and the deflate method).
GZIP_SIGNATURE = b"\x1f\x8b\x08"
# The folder Pagefind writes its bundle to, inside the site; a site indexed in batches has
# one such folder a batch, the second named pagefind-2 (bundle_name()).
BUNDLE = "pagefind"
BUNDLE_FOLDER = re.compile(r"pagefind(?:-[0-9]+)?")
# The script, at the top of the site, that names the bundles after the first.
BUNDLE_LIST = "pagefind-bundles.js"
# How many pages one service is sent before its index is written and a new one takes the
# next: Pagefind keeps every word until it writes the index, so its peak grows with the
# pages of a batch, not of the site. About what a thousand post-mortems send (each one's
# page and the few hand-written pages that name the attribute), whose index is made in one
# piece as before; a full batch of post-mortem pages peaked at 173 MiB, under MkDocs' own
# peak at ten thousand. Smaller batches lower that peak but add bundles, and each bundle
# adds requests to every query and scores its pages on its own.
BATCH_PAGES = 1500
# How long a service that was asked to stop may take before it is killed, in seconds.
STOP_TIMEOUT = 10
# How long a service may take to make the index before it is taken for stuck, in seconds
# (it takes a few hundredths of a second; a binary that never answers hung the build).
START_TIMEOUT = 30
# The pipe to the service, in bytes: a page is some tens of kilobytes once encoded, and in a
# pipe of the usual 64 KiB the build waited for Pagefind to take each one.
PIPE_SIZE = 1 << 20
# How much of the service's replies is read at a time, in bytes.
READ_SIZE = 1 << 20
# What Pagefind reads anywhere in a page: its attributes, and the first heading and image,
# which are a page's title and image unless the page names them.
SPOKEN = ("data-pagefind", "<h1", "<img")
# The start tag of the element Pagefind indexes alone once a page of the site has one.
BODY_TAG = re.compile(r"<[A-Za-z][\w-]*\s[^>]*\bdata-pagefind-body(?=[\s=/>])")
# The attribute's name anywhere in a page, in any letter case (as HTML reads names): a page
# without it has no such element.
BODY_NAME = "data-pagefind-body"
BODY_NAME_ANY_CASE = re.compile(re.escape(BODY_NAME), re.IGNORECASE)
# The setting of the allocator built into Pagefind's binary (jemalloc, read under this
# prefixed name), and the value given unless the environment has its own: memory freed is
# handed back to the system at once rather than ten seconds later.
ALLOCATOR_SETTING = "_RJEM_MALLOC_CONF"
ALLOCATOR_VALUE = "dirty_decay_ms:0"


class PagefindError(Exception):
    """Pagefind could not be started, or failed on the site."""


def pagefind_executable() -> Path:
    """Where Pagefind's binary is, found as Pagefind's own Python package finds it."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        executable = None
    else:
        executable = get_executable()
    if executable is None:
        raise PagefindError("Pagefind is not installed")
    _cbor()  # needed after the build to put the index in order: fail before it, not after
    return executable


def _cbor() -> ModuleType:
    """cbor2, which reads and writes Pagefind's index files. Imported only with Pagefind on:
    it comes with the ``[site]`` extra, and a site without Pagefind (a ProperDocs build, a
    ``pip install mkdocs-postmortems`` without extras) must not need it."""
    try:
        import cbor2
    except ImportError:
        raise PagefindError("cbor2, which Pagefind's index needs, is not installed") from None
    return cbor2


def page_url(path: str) -> str:
    """The URL Pagefind's command gives the written file ``path`` (relative to the site,
    with ``/``): the path itself, without the file name ``index.html``, not percent-encoded,
    and the bytes of a name that are not UTF-8 replaced (the service's JSON cannot carry them)."""
    url = _readable(path)
    folder, _, name = url.rpartition("/")
    if name == "index.html":
        return f"/{folder}/" if folder else "/"
    return f"/{url}"


def indexed_part(html: str) -> str:
    """What Pagefind needs of a page that marks its body (``data-pagefind-body``): the
    head, then the page from that element on; the whole page otherwise.

    Pagefind indexes only inside that element, yet parses the page before it too: the
    theme's header and navigation, over half of a post-mortem's page on the example site,
    and about a quarter of Pagefind's work. What it reads from the head (the language, the
    title) is kept, and the page is sent whole when anything before the element speaks to
    Pagefind (a ``data-pagefind-*`` attribute, a first heading or image, which it takes
    for the page's title and image) or the head does not come first. The index is the one
    Pagefind's command makes of the written page.
    """
    start = _body_tag_start(html)
    if start == -1:
        return html
    head_end = html.find("</head>", 0, start)
    if head_end == -1 or not _between_tags(html, start):
        return html
    before = html[head_end:start].lower()
    if any(word in before for word in SPOKEN):
        return html
    return f"{html[: head_end + len('</head>')]}<body>{html[start:]}"


def _body_tag_start(html: str) -> int:
    """Where the first start tag with a ``data-pagefind-body`` attribute begins, or -1: what
    ``BODY_TAG.search(html)`` finds, looked for only around each mention of the name.

    Searched from every ``<`` of the page, the pattern read each tag's attributes again from
    each of their characters (the head's policy, the theme's icons): 0.46 ms of CPU a
    post-mortem page on the build's main thread, 0.01 ms this way. A tag that holds the
    name starts after the last ``>`` before it, so the match is looked for there alone.
    """
    at = html.find(BODY_NAME)
    while at != -1:
        end = at + len(BODY_NAME)
        found = BODY_TAG.search(html, html.rfind(">", 0, at) + 1, end + 1)
        if found is not None:
            return found.start()
        at = html.find(BODY_NAME, end)
    return -1


def may_hold_body(html: str) -> bool:
    """Whether the page may have a ``data-pagefind-body`` element: it names the attribute
    somewhere, in any letter case (in its text too: then Pagefind's own parse decides)."""
    return BODY_NAME in html or BODY_NAME_ANY_CASE.search(html) is not None


def _between_tags(html: str, at: int) -> bool:
    """Whether ``at`` is outside every script, style and comment before it (there, what
    looks like a tag is text): the last of each that opens before it also closes before it.

    As HTML reads them, the first ``</script``, ``</style`` or ``-->`` ends what is open;
    counting openings and closings (what this did) read the whole page before ``at`` six
    times (0.10 ms a post-mortem page, 0.04 ms this way), and took a ``<!--`` written
    inside a comment for one more to close.
    """
    return all(
        html.rfind(opening, 0, at) <= html.rfind(closing, 0, at)
        for opening, closing in (("<script", "</script"), ("<style", "</style"), ("<!--", "-->"))
    )


class Indexer:
    """Pagefind's service, fed each page as the build writes it.

    :meth:`add` sends a page and returns at once; the replies are read on a thread, and any
    error among them is raised by :meth:`finish`, which also indexes the site's other HTML
    files (those MkDocs copies or writes from templates, such as ``404.html``) and writes the
    index. Pagefind indexes exactly what its command would: every ``.html`` file of the site.

    Once a page of the site has a ``data-pagefind-body`` element, Pagefind indexes only the
    pages that have one, yet it reads every page it is sent and keeps what it read until the
    index is written. So a page without one is held back (:func:`may_hold_body`); it is sent
    only if, in the end, no page had one. At a thousand post-mortems, the index pages held
    back (every incident, action item and service listed) were six of the twenty megabytes
    of pages, and a tenth of what the service kept.

    Once :data:`BATCH_PAGES` pages were sent to one service, the next page goes to a new
    one: the first service writes its index (kept aside until :meth:`finish` puts every
    bundle in the site) and stops, handing its memory back.
    """

    def __init__(self, executable: Path, exclude_selectors: list[str]) -> None:
        self._executable = executable
        self._exclude_selectors = exclude_selectors
        self._fed: dict[str, tuple[int, int]] = {}  # file: its size and CRC-32, as written
        self._held: list[str] = []  # the files written without a body element, not sent
        self._bodies = 0  # the pages sent that may have one
        # The bundles of the batches already written, aside until finish() (created then).
        self._aside: tempfile.TemporaryDirectory[str] | None = None
        self._written: list[str] = []
        self._start()

    @property
    def bundles(self) -> list[str]:
        """The bundles written so far, by their folder in the site, the first first."""
        return list(self._written)

    def add(self, path: str, html: str) -> None:
        """Index the page written to ``path`` (relative to the site, with ``/``)."""
        try:
            data = html.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: MkDocs writes a reference
            data = html.encode("utf-8", "xmlcharrefreplace")
            html = data.decode("utf-8")
        self._fed[path] = (len(data), zlib.crc32(data))
        self._send_or_hold(path, html, indexed_part)

    def finish(self, site: Path) -> bool:
        """Index the site's HTML files not fed yet and write the index into the site.

        Returns False, having written nothing, when a page fed differs from the file on
        disk (another plugin changed or removed it after MkDocs wrote it): the index would
        not be the site's. The caller then indexes the written site instead.
        """
        written = _html_files(site)
        if any(written.get(path) != size for path, (size, _) in self._fed.items()):
            return False
        # A change that keeps the size (a placeholder filled in with as many characters)
        # shows only in the content; reading the pages back overlaps Pagefind's indexing.
        if any(zlib.crc32(_site_file(site, path)) != crc for path, (_, crc) in self._fed.items()):
            return False
        for path in sorted(written.keys() - self._fed.keys()):
            html = _unzipped(_site_file(site, path)).decode("utf-8", "replace")
            self._send_or_hold(path, html, str)
        if not self._bodies:  # no page has a body element: Pagefind indexes every page
            for path in self._held:
                self._add(path, _unzipped(_site_file(site, path)).decode("utf-8", "replace"))
        if not self._written:  # one batch: written straight into the site, as it always was
            self._write_service(site / BUNDLE)
            self._written.append(BUNDLE)
            return True
        self._write_batch()
        assert self._aside is not None
        for name in self._written:
            _move_bundle(Path(self._aside.name) / name, site / name)
        return True

    def close(self, *, abort: bool = False) -> None:
        """Stop the service and let go of its pipes: once it has ended its work, or at
        once (``abort``) when the build failed."""
        try:
            self._stop(abort=abort)
        finally:
            if self._aside is not None:
                self._aside.cleanup()
                self._aside = None

    def _send_or_hold(self, path: str, html: str, part: Callable[[str], str]) -> None:
        """Send ``part(html)`` if the page may have a body element, else hold it back."""
        if may_hold_body(html):
            self._bodies += 1
            self._add(path, part(html))
        else:
            self._held.append(path)

    def _add(self, path: str, html: str) -> None:
        if len(self._pages) >= BATCH_PAGES:
            self._write_batch()
            self._start()
        self._send_page(path, html)

    def _write_batch(self) -> None:
        """Have the service write its batch's index aside, and stop it."""
        if self._aside is None:
            self._aside = tempfile.TemporaryDirectory(prefix="pagefind-")
        name = bundle_name(len(self._written) + 1)
        self._write_service(Path(self._aside.name) / name)
        self._written.append(name)
        self._stop()

    def _start(self) -> None:
        """Start a service for the next batch, with nothing sent to it yet."""
        # What the service writes to stderr, read only if it fails; closed by close().
        self._errors_file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._process = subprocess.Popen(
                [str(self._executable), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._errors_file,
                env=pagefind_environment(),
            )
        except OSError as exc:
            self._errors_file.close()
            raise PagefindError(f"cannot run Pagefind: {exc}") from None
        if sys.platform == "linux":  # room for a few pages, not a part of one
            import fcntl

            assert self._process.stdin is not None
            with contextlib.suppress(OSError):
                fcntl.fcntl(self._process.stdin.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        self._replies: dict[int, dict[str, Any]] = {}
        self._awaited: set[int] = set()
        self._failures: dict[int, str] = {}
        self._pages: dict[int, str] = {}  # message id: the file it sent
        self._noise = b""
        self._ended = False
        self._sent = 0
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, name="pagefind-replies", daemon=True)
        self._reader.start()
        config = {"exclude_selectors": self._exclude_selectors}
        try:
            self._new_index = self._send({"type": "NewIndex", "config": config}, awaited=True)
        except PagefindError:  # it already stopped: ready() says why, as for a later stop
            self._new_index = self._sent
        self._index: int | None = None

    def _send_page(self, path: str, html: str) -> None:
        payload = {
            "type": "AddFile",
            "index_id": self._index_id(),
            "url": page_url(path),
            "file_path": None,
            "file_contents": html,
        }
        self._pages[self._send(payload)] = path

    def _write_service(self, bundle: Path) -> None:
        """Write the index of the pages sent into ``bundle``, or raise the first error the
        service gave on them."""
        # The index's files come back in the reply and are written here. Asked to write
        # them itself, the service answers before its last writes reach the disk, and on the
        # end of its input it exits at once: the files it was still writing were left empty.
        # Its peak is not in the reply but in building the index: it is the same either way.
        reply = self._wait(
            self._send({"type": "GetFiles", "index_id": self._index_id()}, awaited=True)
        )
        if self._failures:
            message_id = min(self._failures)
            raise PagefindError(
                f"{self._pages.get(message_id, 'the index')}: {self._failures[message_id]}"
            )
        _write_bundle(bundle, reply.get("files"))

    def _stop(self, *, abort: bool = False) -> None:
        """Stop the service and let go of its pipes: once it has ended its work, or at
        once (``abort``) when the build failed."""
        process = self._process
        if abort:
            process.kill()
        assert process.stdin is not None
        with contextlib.suppress(OSError):
            process.stdin.close()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self._reader.join(STOP_TIMEOUT)
        if process.stdout is not None:
            process.stdout.close()
        self._errors_file.close()

    def ready(self) -> None:
        """Wait until the service has made the index (it takes a few hundredths of a second
        to start): a binary that cannot run, or never answers, is found out here."""
        if self._index is None:
            index = self._wait(self._new_index, START_TIMEOUT).get("index_id")
            if not isinstance(index, int):
                raise PagefindError(f"it made no index: it answered {index!r}")
            self._index = index

    def _index_id(self) -> int:
        self.ready()
        assert self._index is not None
        return self._index

    def _send(self, payload: dict[str, Any], *, awaited: bool = False) -> int:
        self._sent += 1
        message_id = self._sent
        if awaited:
            with self._changed:
                self._awaited.add(message_id)
        # ASCII escapes: a third quicker to make than UTF-8 for pages of markup.
        message = json.dumps({"message_id": message_id, "payload": payload})
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(base64.b64encode(message.encode("ascii")) + b",")
            stdin.flush()
        except OSError:
            raise PagefindError(self._stopped()) from None
        return message_id

    def _wait(self, message_id: int, timeout: float | None = None) -> dict[str, Any]:
        with self._changed:
            # An error the service ties to no message (0: one it could not read) ends the
            # wait too, since that message may be this one and would never be answered.
            answered = self._changed.wait_for(
                lambda: (
                    message_id in self._replies
                    or self._ended
                    or message_id in self._failures
                    or 0 in self._failures
                ),
                timeout,
            )
            if not answered:
                raise PagefindError(f"it did not answer in {timeout} seconds")
            if message_id in self._replies:
                return self._replies.pop(message_id)
            failure = self._failures.get(message_id, self._failures.get(0))
            raise PagefindError(self._stopped() if failure is None else failure)

    def _stopped(self) -> str:
        """Why the service stopped answering, in its own words when it left any."""
        # Its pipes close as it exits, a moment before its exit code can be had.
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(STOP_TIMEOUT)
        self._errors_file.seek(0)
        said = (
            self._errors_file.read().decode("utf-8", "replace")
            + self._noise.decode("utf-8", "replace")
        ).strip()
        code = self._process.returncode
        status = "it stopped" if code is None else f"it stopped with exit code {code}"
        return f"{status}: {said}" if said else status

    def _read(self) -> None:
        """Take the service's replies as they come (on their own thread)."""
        stdout = self._process.stdout
        assert stdout is not None
        # The reply holding the index is megabytes long: its pieces are kept apart until
        # its end comes, not joined again at every read.
        pieces: list[bytes] = []
        try:
            while chunk := os.read(stdout.fileno(), READ_SIZE):
                if b"," not in chunk:
                    pieces.append(chunk)
                    continue
                first, *replies, rest = chunk.split(b",")
                self._take(b"".join([*pieces, first]))
                for reply in replies:
                    self._take(reply)
                pieces = [rest] if rest else []
        finally:
            # However the reading ends, nothing waits for a reply that will not come.
            with self._changed:
                self._noise += b"".join(pieces)
                self._ended = True
                self._changed.notify_all()

    def _take(self, raw: bytes) -> None:
        try:
            reply = json.loads(base64.b64decode(raw, validate=True))
            message_id = reply.get("message_id")
            payload = reply["payload"]
        except (binascii.Error, ValueError, AttributeError, KeyError, TypeError):
            payload = None
        if not isinstance(payload, dict):  # not a reply: kept to show if the service fails
            with self._changed:
                self._noise += raw + b","
            return
        with self._changed:
            if payload.get("type") == "Error":
                self._failures[message_id if isinstance(message_id, int) else 0] = str(
                    payload.get("message", "an error")
                )
            elif isinstance(message_id, int) and message_id in self._awaited:
                self._awaited.discard(message_id)
                self._replies[message_id] = payload
            self._changed.notify_all()


def index_written_site(site: Path, exclude_selectors: list[str]) -> list[str]:
    """Index the site as written (when :class:`Indexer`'s pages are no longer the site's);
    return the bundles written, the first first.

    A site with no more HTML files than a batch takes is indexed by Pagefind's command, in
    one bundle; a larger one is fed to the service in the order of its files' paths, in
    batches as during a build.
    """
    if len(_html_files(site)) > BATCH_PAGES:
        indexer = Indexer(pagefind_executable(), exclude_selectors)
        try:
            indexer.finish(site)
        finally:
            indexer.close()
        return indexer.bundles
    command = [str(pagefind_executable()), "--site", str(site), "--silent"]
    for selector in exclude_selectors:
        command += ["--exclude-selectors", selector]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, check=False, env=pagefind_environment()
        )
    except OSError as exc:
        raise PagefindError(f"cannot run Pagefind: {exc}") from None
    if result.returncode != 0:
        raise PagefindError(
            (result.stderr or result.stdout).strip() or f"exit code {result.returncode}"
        )
    return [BUNDLE]


def bundle_name(batch: int) -> str:
    """The folder in the site of the index of batch ``batch`` (from 1)."""
    return BUNDLE if batch == 1 else f"{BUNDLE}-{batch}"


def write_bundle_list(site: Path, bundles: list[str]) -> None:
    """Name the bundles after the first in a script the search page loads (a script, not
    data it fetches: a browser reads it from disk too), as folders of the site."""
    names = json.dumps([f"{name}/" for name in bundles[1:]])
    script = f"window.pmPagefindBundles = {names};\n"
    try:
        (site / BUNDLE_LIST).write_text(script, encoding="utf-8")
    except OSError as exc:
        raise PagefindError(f"cannot write {BUNDLE_LIST}: {exc}") from None


def pagefind_environment() -> dict[str, str]:
    """The environment Pagefind runs in: this one's, its allocator told to hand memory back
    as soon as it is freed (unless the environment already tells it something).

    Pagefind keeps every word of every page until it writes the index, then builds the
    index beside a copy of all of it: at a thousand post-mortems its memory grows from 40 to
    100 MiB in that moment. Its allocator (jemalloc, one arena per thread) keeps what was
    freed for ten seconds before handing it back, and what one thread freed while reading
    the pages is not reused by the thread building the index: that came on top, and the
    service peaked at 150 to 170 MiB. Handed back at once, the peak is what is in use, 120
    MiB, for about a fifth more of the service's CPU time (half a second, most of it spent
    on the second core while MkDocs writes the pages): whole builds of that site,
    alternated with and without it, took no longer (medians of four each, 61 and 67 s on a
    shared machine). A binary built with another allocator ignores the variable.
    """
    environment = dict(os.environ)
    environment.setdefault(ALLOCATOR_SETTING, ALLOCATOR_VALUE)
    return environment


def _html_files(site: Path) -> dict[str, int]:
    """The site's HTML files outside Pagefind's own folders, by path, with their sizes."""
    found = {}
    for folder, folders, names in os.walk(site, onerror=_unreadable):
        if folder == str(site):
            folders[:] = [name for name in folders if not BUNDLE_FOLDER.fullmatch(name)]
        relative = os.path.relpath(folder, site).replace(os.sep, "/")
        prefix = "" if relative == "." else f"{relative}/"
        for name in names:
            if name.endswith(".html"):
                try:
                    found[prefix + name] = os.stat(os.path.join(folder, name)).st_size
                except OSError as exc:
                    _unreadable(exc)
    return found


def _write_bundle(bundle: Path, files: Any) -> None:
    """Write the index's files (as the service sends them: paths inside the bundle, content
    in base64) into ``bundle``."""
    if not isinstance(files, list):
        raise PagefindError(f"it sent no files for the index: {files!r:.200}")
    made: set[str] = set()
    for file in files:
        try:
            path, data = file["path"], base64.b64decode(file["content"], validate=True)
            if not isinstance(path, str):
                raise TypeError(path)
        except (TypeError, KeyError, binascii.Error, ValueError):
            raise PagefindError(f"it sent a file it did not describe: {file!r:.200}") from None
        # A relative path of plain names, nothing that climbs out of the bundle.
        parts = path.replace("\\", "/").split("/")
        if os.path.isabs(path) or any(part in ("", ".", "..") for part in parts):
            raise PagefindError(f"it sent a file outside its folder: {path!r:.200}")
        folder = os.path.join(bundle, *parts[:-1])
        target = os.path.join(folder, parts[-1])
        try:
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            with open(target, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise PagefindError(f"cannot write {target}: {exc}") from None


def _move_bundle(aside: Path, bundle: Path) -> None:
    """Put a bundle written aside into the site, in place of any left from a build before."""
    try:
        if bundle.is_dir() and not bundle.is_symlink():
            shutil.rmtree(bundle)
        shutil.move(aside, bundle)
    except OSError as exc:
        raise PagefindError(f"cannot write {bundle}: {exc}") from None


def _site_file(site: Path, path: str) -> bytes:
    try:
        return (site / path).read_bytes()
    except OSError as exc:
        raise PagefindError(f"cannot read {path} from the site: {exc}") from None


def _unzipped(data: bytes) -> bytes:
    """A file's content as Pagefind's command reads it: gzip-compressed HTML (a file that
    starts with gzip's signature) is unpacked; if it cannot be, it is left as it is."""
    if data.startswith(GZIP_SIGNATURE):
        with contextlib.suppress(OSError, EOFError, zlib.error):
            return gzip.decompress(data)
    return data


def _readable(path: str) -> str:
    """``path`` as Pagefind shows a file name: bytes that are not UTF-8 replaced."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _unreadable(exc: OSError) -> NoReturn:
    raise PagefindError(f"cannot read the site: {exc}")


def make_deterministic(bundle: Path) -> None:
    """Rewrite the index in ``bundle`` (the site's ``pagefind/`` folder) in sorted order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, details in entry["languages"].items():
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = meta[3]
        for item in filters:
            item[1] = _sorted_filter(bundle / "filter", item[1], language)
        filters.sort(key=lambda item: item[0])
        details["hash"] = _write(bundle, meta_path, meta, language, "pagefind.{}.pf_meta", 10)
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    entry_path.write_text(text, encoding="utf-8")


def _sorted_filter(folder: Path, name: str, language: str) -> str:
    path = folder / f"{name}.pf_filter"
    data = _read(path)
    data[1].sort(key=lambda value: value[0])
    return _write(folder, path, data, language, "{}.pf_filter", 7)


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a Pagefind file")
    return _cbor().loads(raw[len(SIGNATURE) :])


def _write(folder: Path, old: Path, data: Any, language: str, pattern: str, digits: int) -> str:
    """Write ``data`` under a name hashed from it; return that name's hash part."""
    content = gzip.compress(SIGNATURE + _cbor().dumps(data), mtime=0)
    name = f"{language}_{hashlib.sha256(content).hexdigest()[:digits]}"
    new = folder / pattern.format(name)
    old.unlink()
    new.write_bytes(content)
    return name
