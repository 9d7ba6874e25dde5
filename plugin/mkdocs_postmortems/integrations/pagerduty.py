"""PagerDuty: its REST API's incident list, read as a register and fetched page by page.

The fields read, from PagerDuty's REST API v2 reference, "List incidents"
(https://developer.pagerduty.com/api-reference/9d0b4b12e36f9-list-incidents), are listed
in docs/register.md.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from mkdocs_postmortems.core.config import RegisterSettings
from mkdocs_postmortems.core.register import Incident, Problem
from mkdocs_postmortems.integrations.records import (
    Entries,
    Entry,
    json_incidents,
    nested_text,
    text_field,
)

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


@dataclass(frozen=True)
class Client:
    """Reads the incident list, bounded in time: each request, each retry, and the whole pull.

    ``sleep`` and ``clock`` are passed in so the retries can be tested without waiting.
    """

    token: str
    api_url: str = API_URL
    time_limit: float = 300.0
    attempts: int = 5
    page_size: int = 100
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def incidents(self, since: datetime, until: datetime) -> list[dict[str, Any]]:
        """Every incident created in [since, until), each with :data:`FIELDS` only.

        PagerDuty answers a range of at most six months, so the range is asked for in
        windows of 90 days, each paged with ``offset`` and ``more``.
        """
        deadline = self.clock() + self.time_limit
        found: dict[str, dict[str, Any]] = {}
        start = since
        while start < until:
            end = min(start + timedelta(days=90), until)
            for item in self._window(start, end, deadline):
                ident = item.get("id")
                if isinstance(ident, str) and ident not in found:
                    found[ident] = {key: item[key] for key in FIELDS if key in item}
            start = end
        return sorted(found.values(), key=lambda i: (str(i.get("created_at")), str(i.get("id"))))

    def _window(
        self, since: datetime, until: datetime, deadline: float
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
            page = self._get(url, deadline)
            items = page.get("incidents")
            if not isinstance(items, list):
                raise PullError(f'{url}: the answer has no "incidents" list')
            yield from (item for item in items if isinstance(item, dict))
            if page.get("more") is not True or not items:
                return
            offset += len(items)

    def _get(self, url: str, deadline: float) -> dict[str, Any]:
        """One page, retried on rate limits (429), server errors (5xx) and network errors,
        with exponential backoff that honours ``Retry-After``; never past ``deadline``."""
        # Imported here: every command reads the register, only ``pull`` reaches the network,
        # and the HTTP client (with TLS) is a fifth of ``check``'s start-up.
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            url,
            headers={
                "Authorization": f"Token token={self.token}",
                "Accept": "application/vnd.pagerduty+json;version=2",
                "User-Agent": "mkdocs-postmortems register pull",
            },
        )
        wait = 1.0
        last = ""
        for attempt in range(1, self.attempts + 1):
            left = deadline - self.clock()
            if left <= 0:
                break
            try:
                with urllib.request.urlopen(request, timeout=min(left, 60.0)) as response:
                    body = response.read()
            except urllib.error.HTTPError as exc:
                if exc.code in (401, 403):
                    raise PullError(
                        f"PagerDuty refused the token (HTTP {exc.code}): check PAGERDUTY_TOKEN, "
                        "a read-only API key is enough"
                    ) from None
                if exc.code != 429 and exc.code < 500:
                    raise PullError(f"{url}: HTTP {exc.code} {exc.reason}") from None
                last = f"HTTP {exc.code}"
                pause = _retry_after(exc.headers.get("Retry-After"), wait)
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                last = f"no answer ({reason})"
                pause = wait
            else:
                return _page(url, body)
            if attempt == self.attempts or self.clock() + pause >= deadline:
                break
            self.sleep(pause)
            wait = min(wait * 2, 60.0)
        raise PullError(
            f"gave up on {url} after {self.time_limit:g} s or {self.attempts} attempts: {last}"
        )


def _retry_after(header: str | None, default: float) -> float:
    """``Retry-After`` in seconds (PagerDuty sends a number); the backoff otherwise."""
    try:
        return max(0.0, float(header)) if header is not None else default
    except ValueError:
        return default


def _page(url: str, body: bytes) -> dict[str, Any]:
    try:
        page = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PullError(f"{url}: the answer is not JSON ({exc})") from None
    if not isinstance(page, dict):
        raise PullError(f"{url}: the answer is not a JSON object")
    return page


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
