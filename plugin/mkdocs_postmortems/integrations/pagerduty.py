"""PagerDuty: its REST API's incident list, read as a register and fetched page by page.

The fields read, from PagerDuty's REST API v2 reference, "List incidents"
(https://developer.pagerduty.com/api-reference/9d0b4b12e36f9-list-incidents), are listed
in docs/register.md.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from mkdocs_postmortems.core.config import RegisterSettings
from mkdocs_postmortems.core.register import Incident, Problem
from mkdocs_postmortems.integrations.records import (
    Entries,
    Entry,
    json_incidents,
    max_digits,
    nested_text,
    text_field,
)

if TYPE_CHECKING:
    import socket
    from http.client import HTTPMessage

EXPECTED = 'PagerDuty\'s incident list ({"incidents": [...], "limit", "offset", "more"})'
API_URL = "https://api.pagerduty.com"
#: Marks a file ``register pull`` wrote, which it may refresh without ``--overwrite``.
PULL_MARK = "postmortems register pull"
#: The fields of an incident the register reads; ``register pull`` keeps only these.
FIELDS = (
    "id",
    "incident_number",
    "title",
    "created_at",
    "status",
    "last_status_change_at",
    "priority",
    "urgency",
    "service",
    "html_url",
)


def read(text: str, config: RegisterSettings, tz: tzinfo) -> Entries:
    for found in json_incidents(
        text, EXPECTED, (("reference", "name", "incident_status"), "incident.io", "incident.io")
    ):
        if isinstance(found, Problem):
            yield found
            continue
        pos, where, item = found
        entry = Entry(pos, where, tz)
        ident = entry.required(text_field(item, "id"), "'id'")
        title = entry.required(text_field(item, "title") or text_field(item, "summary"), "'title'")
        started = entry.time(item.get("created_at"), "'created_at'", required=True)
        resolved = None
        if item.get("status") == "resolved":
            resolved = entry.time(
                item.get("last_status_change_at"), "'last_status_change_at'", required=True
            )
        yield from entry.problems
        if entry.problems or started is None:
            continue
        service = nested_text(item, "service", "summary")
        yield Incident(
            id=ident,
            title=title,
            started=started,
            resolved=resolved,
            # Without a priority, PagerDuty's urgency (high, low) is the level to map.
            level=nested_text(item, "priority", "summary") or text_field(item, "urgency"),
            number=text_field(item, "incident_number"),
            services=(service,) if service else (),
            url=text_field(item, "html_url"),
            pos=entry.pos,
            where=where,
        )


class PullError(Exception):
    """The API could not be read; the message says why and what to check."""


#: One answer (a page of 100 incidents is some 300 KB): anything larger is not a page.
MAX_ANSWER_BYTES = 16 * 1024 * 1024
#: All the answers of one pull, by default: some 100,000 incidents.
MAX_BYTES = 256 * 1024 * 1024
#: What is read of an error's body, for its message.
MAX_ERROR_BYTES = 64 * 1024
#: Redirects followed within the API's origin; one to another origin is refused.
MAX_REDIRECTS = 5
#: How long one connection may sit silent before the attempt counts as failed.
STALL_SECONDS = 60.0
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass
class _Budget:
    """What is left of the pull: the deadline on ``clock`` and the bytes still allowed."""

    deadline: float
    bytes_left: int


@dataclass(frozen=True)
class _Answer:
    status: int
    reason: str
    headers: HTTPMessage
    body: bytes


class _NoAnswer(Exception):
    """A network failure worth another attempt."""


@dataclass(frozen=True)
class Client:
    """Reads the incident list, bounded in time and in bytes: each read, each retry, and
    the whole pull. The token is sent to the origin of ``api_url`` and nowhere else.

    ``sleep`` and ``clock`` are passed in so the retries can be tested without waiting.
    """

    token: str
    api_url: str = API_URL
    time_limit: float = 300.0
    attempts: int = 5
    page_size: int = 100
    max_bytes: int = MAX_BYTES
    max_answer_bytes: int = MAX_ANSWER_BYTES
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def incidents(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Every incident created in [since, until), each with :data:`FIELDS` only.

        PagerDuty answers a range of at most six months, so the range is asked for in
        windows of 90 days, each paged with ``offset`` and ``more``.
        """
        wrong = api_url_problem(self.api_url)
        if wrong:
            raise PullError(f"--api-url {wrong}")
        wrong = token_problem(self.token)
        if wrong:
            raise PullError(f"the token {wrong}")
        budget = _Budget(self.clock() + self.time_limit, self.max_bytes)
        found: dict[str, dict[str, Any]] = {}
        start = since
        while start < until:
            end = min(start + timedelta(days=90), until)
            for item in self._window(start, end, budget):
                ident = item.get("id")
                if isinstance(ident, str) and ident not in found:
                    found[ident] = _kept(item)
            start = end
        return sorted(found.values(), key=lambda i: (str(i.get("created_at")), str(i.get("id"))))

    def _window(
        self, since: datetime, until: datetime, budget: _Budget
    ) -> Iterator[dict[str, Any]]:
        offset = 0
        while True:
            query = {
                "since": since.isoformat(),
                "until": until.isoformat(),
                "limit": str(self.page_size),
                "offset": str(offset),
                "time_zone": "UTC",
                "sort_by": "created_at:asc",
            }
            url = f"{self.api_url.rstrip('/')}/incidents?{urllib.parse.urlencode(query)}"
            page = self._get(url, budget)
            items = page.get("incidents")
            if not isinstance(items, list):
                raise PullError(f'{url}: the answer has no "incidents" list')
            yield from (item for item in items if isinstance(item, dict))
            if page.get("more") is not True or not items:
                return
            offset += len(items)

    def _get(self, url: str, budget: _Budget) -> dict[str, Any]:
        """One page, retried on rate limits (429), server errors (5xx) and network errors,
        with exponential backoff that honours ``Retry-After``; never past the deadline."""
        wait = 1.0
        for attempt in range(1, self.attempts + 1):
            tried = f"{attempt} attempt{'s' if attempt > 1 else ''}"
            try:
                answer = self._fetch(url, budget)
            except _NoAnswer as exc:
                last, pause, why = f"no answer ({exc})", wait, "the next attempt"
            else:
                if 200 <= answer.status < 300:
                    return _page(url, answer.body)
                if answer.status in (401, 403):
                    raise PullError(
                        f"PagerDuty refused the token (HTTP {answer.status}): check "
                        "PAGERDUTY_TOKEN, a read-only API key is enough"
                    )
                said = _error_text(answer.body)
                if answer.status != 429 and answer.status < 500:
                    raise PullError(f"{url}: HTTP {answer.status} {answer.reason}{said}")
                last = f"HTTP {answer.status}{said}"
                asked = _retry_after(answer.headers.get("Retry-After"))
                pause = wait if asked is None else asked
                why = "the next attempt" if asked is None else f"waiting {asked:g} s as asked"
            if attempt == self.attempts:
                raise PullError(f"gave up on {url} after {tried}: {last}")
            if self.clock() + pause >= budget.deadline:
                raise PullError(
                    f"gave up on {url} after {tried}: {last}; {why} would pass the time limit "
                    f"of {self.time_limit:g} s"
                )
            self.sleep(pause)
            wait = min(wait * 2, 60.0)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _fetch(self, url: str, budget: _Budget) -> _Answer:
        """The answer at ``url``, following redirects within the API's origin only."""
        for _ in range(MAX_REDIRECTS + 1):
            answer = self._exchange(url, budget)
            if answer.status not in _REDIRECTS:
                return answer
            url = _same_origin(url, answer.headers.get("Location") or "")
        raise PullError(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _exchange(self, url: str, budget: _Budget) -> _Answer:
        """One request and its answer, cut off at the deadline and at the byte limits."""
        # Imported here: every command reads the register, only ``pull`` reaches the network,
        # and the HTTP client (with TLS) is a fifth of ``check``'s start-up.
        import http.client
        import ssl

        left = budget.deadline - self.clock()
        if left <= 0:
            raise PullError(f"gave up on {url}: the time limit of {self.time_limit:g} s ran out")
        parts = urllib.parse.urlsplit(url)
        secure = parts.scheme == "https"
        host, port = parts.hostname or "", parts.port or (443 if secure else 80)
        timeout = min(left, STALL_SECONDS)
        raw = _connect(host, port, timeout, lambda: budget.deadline - self.clock())
        if raw is None:
            raise PullError(
                f"gave up on {url}: the time limit of {self.time_limit:g} s ran out while "
                f"looking up {host}"
            )
        # Armed on the connection itself, before TLS: a handshake can trickle in too.
        watchdog = _Watchdog(raw, budget.deadline - self.clock())
        connection: http.client.HTTPConnection | None = None
        response: http.client.HTTPResponse | None = None
        try:
            if secure:
                connection = http.client.HTTPSConnection(parts.netloc, timeout=timeout)
                connection.sock = ssl.create_default_context().wrap_socket(
                    raw, server_hostname=host
                )
            else:
                connection = http.client.HTTPConnection(parts.netloc, timeout=timeout)
                connection.sock = raw
            target = f"{parts.path or '/'}?{parts.query}" if parts.query else parts.path or "/"
            connection.request("GET", target, headers=self._headers())
            response = connection.getresponse()
            if response.status in _REDIRECTS:
                return _Answer(response.status, response.reason, response.headers, b"")
            ok = 200 <= response.status < 300
            limit = min(self.max_answer_bytes, budget.bytes_left) if ok else MAX_ERROR_BYTES
            body = _read_body(response, limit, lambda: self._too_large(url, budget))
            if watchdog.fired:  # the cut ends a body that runs to the connection's close
                raise OSError("cut off at the deadline")
            if ok:
                budget.bytes_left -= len(body)
            return _Answer(response.status, response.reason, response.headers, body[:limit])
        except (OSError, http.client.HTTPException) as exc:
            # The socket's own timeout is the time left too, and may go off first.
            if watchdog.fired or self.clock() >= budget.deadline:
                raise PullError(
                    f"gave up on {url}: the time limit of {self.time_limit:g} s ran out while "
                    "waiting for the answer"
                ) from None
            raise _NoAnswer(_reason(exc)) from None
        finally:
            watchdog.stop()
            for part in (response, connection, raw):
                if part is not None:
                    part.close()

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Token token={self.token}",
            "Accept": "application/vnd.pagerduty+json;version=2",
            "User-Agent": "mkdocs-postmortems register pull",
        }

    def _too_large(self, url: str, budget: _Budget) -> PullError:
        if budget.bytes_left < self.max_answer_bytes:
            return PullError(
                f"{url}: the answers together are larger than {self.max_bytes:,} bytes "
                "(--max-bytes)"
            )
        return PullError(
            f"{url}: the answer is larger than {self.max_answer_bytes:,} bytes; a page of "
            "incidents is far smaller"
        )


def _connect(
    host: str, port: int, timeout: float, left: Callable[[], float]
) -> socket.socket | None:
    """A connection to ``host``; None when the name lookup outlasts the time ``left``.

    The system's resolver knows no deadline of ours, so it runs beside the pull, which
    waits for it no longer than the time left (the lookup then ends on its own).
    """
    import socket

    found: list[list[Any] | OSError] = []

    def look_up() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            found.append(exc)

    lookup = threading.Thread(target=look_up, daemon=True)
    lookup.start()
    lookup.join(max(left(), 0.0))
    if not found:
        return None
    if isinstance(found[0], OSError):
        raise _NoAnswer(_reason(found[0]))
    error: OSError = OSError("the name has no address")
    for _family, _kind, _proto, _name, address in found[0]:
        seconds = min(timeout, left())
        if seconds <= 0:
            return None
        try:
            return socket.create_connection(address[:2], timeout=seconds)
        except OSError as exc:
            error = exc
    raise _NoAnswer(_reason(error))


class _Watchdog:
    """Cuts a connection off at the deadline.

    A socket timeout bounds one wait for data, not an answer that trickles in a byte at a
    time: only a cut from outside ends that read at the deadline. The cut is a shutdown of a
    duplicate of the socket: it ends the connection under whatever wraps it (TLS, HTTP),
    whichever object holds the socket by then.
    """

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        self.fired = False
        self._sock = sock.dup()
        self._lock = threading.Lock()
        self._stopped = False
        self._timer = threading.Timer(max(seconds, 0.0), self._cut)
        self._timer.daemon = True
        self._timer.start()

    def _cut(self) -> None:
        import socket

        with self._lock:
            if self._stopped:
                return
            self.fired = True
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._sock.close()
        self._timer.cancel()


def _read_body(response: Any, limit: int, too_large: Callable[[], PullError]) -> bytes:
    """The body, refused as soon as it is known to pass ``limit`` (by its declared length,
    or while it is read): it is never held whole."""
    declared = response.getheader("Content-Length") or ""
    if declared.isdigit() and (len(declared) > 18 or int(declared) > limit):
        raise too_large()
    chunks: list[bytes] = []
    size = 0
    # read1: one receive at a time, so the watchdog's cut is seen at once.
    while chunk := response.read1(1 << 16):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise too_large()
    return b"".join(chunks)


#: PagerDuty's API keys have 20 characters; a longer value is a paste gone wrong.
MAX_TOKEN_LENGTH = 256
#: The hosts an ``http://`` API address may name: a local stand-in never crosses a network.
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def api_url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as the API's address, or None: https (http only for this
    machine, where the token crosses no network), a host, and no credentials of its own."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "must be an https:// address such as https://api.eu.pagerduty.com"
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        return "must use https: over http the token would cross the network in clear"
    if parts.username is not None or parts.password is not None:
        return "must not hold a user name or password: the token is the only credential"
    if parts.query or parts.fragment:
        return "must not hold a query or a fragment"
    try:
        parts.port  # noqa: B018 (it raises on a port that is not a number)
    except ValueError:
        return "has a port that is not a number from 0 to 65535"
    return None


def token_problem(token: str) -> str | None:
    """Why ``token`` cannot go into a request header, or None. The token itself is never
    part of the answer: the message ends up in CI logs."""
    for index, char in enumerate(token, 1):
        if "!" <= char <= "~":
            continue
        if char in "\r\n":
            kind = "a line break"
        elif char.isspace():
            kind = "a space"
        else:
            kind = f"the character U+{ord(char):04X}"
        return (
            f"holds {kind} (character {index} of {len(token)}); an API key is printable "
            "ASCII only (letters, digits, signs): copy it again"
        )
    if len(token) > MAX_TOKEN_LENGTH:
        return (
            f"is {len(token)} characters long; a PagerDuty API key has some 20 (at most "
            f"{MAX_TOKEN_LENGTH} are accepted)"
        )
    return None


def _same_origin(url: str, location: str) -> str:
    """Where a redirect leads, if that is the same origin (scheme, host and port): the token
    goes nowhere else, and https is never given up for http."""
    target = urllib.parse.urljoin(url, location)
    if _origin(target) != _origin(url):
        where = urllib.parse.urlsplit(target)
        raise PullError(
            f"{url}: the API redirects to another origin ({where.scheme}://{where.netloc}); "
            "the token is sent to --api-url's origin only, so the redirect was not followed "
            "(check --api-url)"
        )
    return target


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    default = {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme, (parts.hostname or ""), port or default


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
    return str(reason) or type(exc).__name__


def _retry_after(header: str | None) -> float | None:
    """``Retry-After`` in seconds (PagerDuty sends a number); None without one."""
    try:
        return max(0.0, float(header)) if header is not None else None
    except ValueError:
        return None


def _error_text(body: bytes) -> str:
    """PagerDuty's error message (``{"error": {"message", "errors"}}``), shortened."""
    try:
        error = json.loads(body.decode("utf-8")).get("error")
    except (ValueError, RecursionError, AttributeError):
        return ""
    if not isinstance(error, dict):
        return ""
    errors = error.get("errors")
    said = [error.get("message"), *(errors if isinstance(errors, list) else [])]
    text = "; ".join(s for s in said if isinstance(s, str) and s.strip())
    return f": {text[:300]}" if text else ""


def _page(url: str, body: bytes) -> dict[str, Any]:
    try:
        page = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PullError(f"{url}: the answer is not JSON ({exc})") from None
    except RecursionError:
        raise PullError(f"{url}: the answer's JSON is nested too deeply") from None
    except ValueError:
        raise PullError(
            f"{url}: the answer holds a number of more than {max_digits()} digits"
        ) from None
    if not isinstance(page, dict):
        raise PullError(f"{url}: the answer is not a JSON object")
    return page


def _kept(item: dict[str, Any]) -> dict[str, Any]:
    """The fields the register reads, and of a nested one (``priority``, ``service``) only
    its ``summary``: the register file holds nothing it does not read."""
    kept: dict[str, Any] = {}
    for key in FIELDS:
        if key not in item:
            continue
        value = item[key]
        if isinstance(value, dict):
            summary = value.get("summary")
            kept[key] = {"summary": summary} if isinstance(summary, str) else {}
        elif value is None or isinstance(value, (str, int, float)):
            kept[key] = value
    return kept


def register_file(
    incidents: list[dict[str, Any]], since: datetime, until: datetime
) -> dict[str, Any]:
    """The register as written by ``register pull``: one page of PagerDuty's list holding
    every incident, so the file reads like the API's answer, plus a mark saying who wrote it."""
    return {
        "incidents": incidents,
        "limit": len(incidents),
        "offset": 0,
        "more": False,
        "pulled_by": PULL_MARK,
        "since": since.isoformat(),
        "until": until.isoformat(),
    }
