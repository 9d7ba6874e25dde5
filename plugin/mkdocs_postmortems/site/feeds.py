"""Subscriptions: an Atom feed of published post-mortems, and iCalendar files of what is due.

Both are site files, built with the pages (:func:`mkdocs_postmortems.site.pages.generated_site`)
so every generator publishes them. Both depend only on the knowledge base and ``now``, so a
build under ``SOURCE_DATE_EPOCH`` writes the same bytes every time.

The feed is written with the standard library's ElementTree: Atom is a small, fixed
vocabulary, the serializer escapes every value, and the output is byte-for-byte under our
control (feed libraries stamp the build time and their own generator into it). The
calendars use the ``icalendar`` package, which folds lines and escapes text as RFC 5545
asks.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from xml.etree import ElementTree as ET

import icalendar
from icalendar.parser import Contentline

from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.model import ActionItem, PostMortem
from mkdocs_postmortems.site.links import Site, relative_url
from mkdocs_postmortems.site.render import render_once

ATOM = "http://www.w3.org/2005/Atom"
FEED = "feed.xml"
CALENDAR = "calendar.ics"
OWNER_CALENDARS = "calendars/"
PRODID = "-//mkdocs-postmortems//post-mortem deadlines//EN"
# Stable ids that need no site URL: the same post-mortem keeps its id when the site moves.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/mkdocs-postmortems")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# RFC 5545 text may hold no control character but a tab (a newline is written escaped).
_NOT_ICAL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_SLUG = re.compile(r"[^a-z0-9]+")
# icalendar folds a content line once it reaches 75 octets (RFC 5545 allows 75 and a break).
FOLD_AT = 75


def feed_path(site: Site) -> str:
    return f"{site.settings.url_prefix}{FEED}"


def calendar_path(site: Site) -> str:
    return f"{site.settings.url_prefix}{CALENDAR}"


def head_link(site: Site, page_url: str) -> str:
    """The ``<link>`` that lets a browser or feed reader find the feed from a page's head."""
    href = relative_url(feed_path(site), page_url)
    # Pages at the same depth share the link: a few renders a build instead of one a page.
    return render_once("feed_link.html", title=f"{site.name}: published post-mortems", href=href)


def atom(postmortems: Iterable[PostMortem], site: Site, title: str, now: datetime) -> bytes:
    """The published post-mortems, newest first, with severity and services as categories."""
    here = feed_path(site)
    published = sorted(
        ((pm.published, pm) for pm in postmortems if pm.status == "published" and pm.published),
        key=lambda pair: (pair[0], pair[1].id),
        reverse=True,
    )
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", _urn(f"feed:{here}"))
    updated = max((_stamp(day, site) for day, _ in published), default=now)
    _text(feed, "updated", _iso(updated))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=_href(site, here, here))
    ET.SubElement(
        feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=_href(site, "", here)
    )
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", title)
    _text(feed, "generator", "mkdocs-postmortems")
    for day, pm in published:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", pm.title or pm.id)
        _text(entry, "id", _urn(f"postmortem:{pm.id}"))
        stamp = _iso(_stamp(day, site))
        _text(entry, "published", stamp)
        _text(entry, "updated", stamp)
        ET.SubElement(
            entry,
            f"{{{ATOM}}}link",
            rel="alternate",
            type="text/html",
            href=_href(site, site.postmortem_url(pm.id), here),
        )
        for name in pm.authors:
            _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", name)
        if pm.severity:
            _category(entry, pm.severity, "severity")
        for service in pm.services:
            _category(entry, service, "service")
        if pm.summary:
            _text(entry, "summary", pm.summary)
    ET.indent(feed)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = _NOT_XML.sub("\ufffd", value)


def _category(entry: ET.Element, term: str, scheme: str) -> None:
    clean = _NOT_XML.sub("\ufffd", term)
    ET.SubElement(entry, f"{{{ATOM}}}category", term=clean, label=f"{scheme}: {clean}")


def _urn(name: str) -> str:
    return uuid.uuid5(_NAMESPACE, name).urn


def _href(site: Site, target: str, here: str) -> str:
    """An absolute URL when the site's address is known, else relative to the feed."""
    if site.base_url:
        return site.base_url.rstrip("/") + "/" + target
    return relative_url(target, here)


def _stamp(day: date, site: Site) -> datetime:
    """A publication day as a moment: its midnight in the configured timezone."""
    return datetime.combine(day, time(0), site.settings.tz)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def calendars(
    postmortems: Iterable[PostMortem], site: Site, title: str, now: datetime
) -> dict[str, bytes]:
    """The calendar of every open action item's due date and every write-up deadline still
    to meet, and one calendar per owner of open action items, by site path."""
    postmortems = list(postmortems)
    # Each event is serialised once and its lines reused by every calendar that holds it:
    # icalendar folds a line character by character, and an action item is in two calendars.
    events: list[_Serialised] = []
    by_owner: dict[str, list[_Serialised]] = defaultdict(list)
    for pm in postmortems:
        url = site.base_url.rstrip("/") + "/" + site.postmortem_url(pm.id) if site.base_url else ""
        for number, item in enumerate(pm.action_items, start=1):
            if item.is_open and item.due:
                event = _serialised(_action_event(pm, item, number, url, now))
                events.append(event)
                by_owner[item.owner].append(event)
        deadline = deadlines.writeup_deadline(pm, site.settings)
        if deadline and pm.status != "published":
            events.append(_serialised(_deadline_event(pm, deadline, url, now)))
    files = {calendar_path(site): _calendar(events, f"{title}: due dates")}
    for owner, path in owner_calendars(postmortems, site).items():
        files[path] = _calendar(by_owner[owner], f"{title}: action items of {owner}")
    return files


def owner_calendars(postmortems: Iterable[PostMortem], site: Site) -> dict[str, str]:
    """The calendar of each owner of open action items with a due date, by owner.

    The file name is the owner's name in lower-case ASCII words joined by ``-``
    (``Lucía Benítez``: ``lucia-benitez.ics``), numbered when two names meet in one.
    """
    owners = sorted(
        {item.owner for pm in postmortems for item in pm.action_items if item.is_open and item.due}
    )
    taken: set[str] = set()
    paths = {}
    for owner in owners:
        ascii_name = unicodedata.normalize("NFKD", owner).encode("ascii", "ignore").decode()
        base = _SLUG.sub("-", ascii_name.lower()).strip("-") or "owner"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        paths[owner] = f"{site.settings.url_prefix}{OWNER_CALENDARS}{slug}.ics"
    return paths


def _action_event(
    pm: PostMortem, item: ActionItem, number: int, url: str, now: datetime
) -> icalendar.Event:
    assert item.due is not None
    event = icalendar.Event()
    event.add("uid", f"{pm.id}-action-{number}@mkdocs-postmortems")
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", item.due)
    event.add("dtend", item.due + timedelta(days=1))
    event.add("summary", _ical(f"Due: {item.action}"))
    details = [f"Owner: {item.owner}", f"Priority: {item.priority}", f"Status: {item.status}"]
    if item.ticket:
        details.append(f"Ticket: {item.ticket}")
    details.append(f"From: {pm.title or pm.id}")
    event.add("description", _ical("\n".join(details)))
    if url:
        event.add("url", url)
    event.add("categories", [_ical(c) for c in ("action item", item.priority) if c])
    return event


def _deadline_event(pm: PostMortem, deadline: datetime, url: str, now: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{pm.id}-writeup@mkdocs-postmortems")
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", deadline.astimezone(timezone.utc))
    event.add("duration", timedelta(minutes=30))
    event.add("summary", _ical(f"Write-up due: {pm.title or pm.id}"))
    event.add(
        "description",
        _ical(
            f"{pm.severity} post-mortem, status {pm.status or 'unknown'}. "
            f"Authors: {', '.join(pm.authors) or 'none listed'}"
        ),
    )
    if url:
        event.add("url", url)
    event.add("categories", [_ical(c) for c in ("write-up deadline", pm.severity) if c])
    return event


def _ical(text: str) -> str:
    """Text a calendar can carry: icalendar escapes the rest (``,;\\`` and newlines)."""
    return _NOT_ICAL.sub("\ufffd", text)


# An event's uid (the calendar's sort key) and its content lines, folded and escaped.
_Serialised = tuple[str, bytes]


def _serialised(event: icalendar.Event) -> _Serialised:
    """What ``event.to_ical()`` writes: its content lines, each ended by CRLF. icalendar
    folds a line character by character, a sixth of the calendars' time, though only a line
    of 75 octets or more is ever folded: the others are written as they are."""
    data = b"".join(_folded(line) + b"\r\n" for line in event.content_lines() if line)
    return str(event["uid"]), data


def _folded(line: Contentline) -> bytes:
    data = line.encode("utf-8")
    if len(data) < FOLD_AT:
        return data
    folded: bytes = line.to_ical()  # type: ignore[no-untyped-call]
    return folded


def _calendar(events: list[_Serialised], name: str) -> bytes:
    """The calendar's own properties by icalendar, with the events' lines inside it, in the
    order of their uids: the bytes icalendar writes for a calendar holding those events."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _ical(name))
    head: bytes = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    body = b"".join(data for _, data in sorted(events, key=lambda event: event[0]))
    return head[: -len(end)] + body + end
