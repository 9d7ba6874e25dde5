"""Subscriptions: an Atom feed of published post-mortems, and iCalendar files of what is due.

Both are site files, built with the pages (:func:`mkdocs_postmortems.site.pages.generated_site`)
so every generator publishes them. Both depend only on the knowledge base and ``now``, so a
build under ``SOURCE_DATE_EPOCH`` writes the same bytes every time.

The feed is written with the standard library's ElementTree: Atom is a small, fixed
vocabulary, the serializer escapes every value, and the output is byte-for-byte under our
control (feed libraries stamp the build time and their own generator into it). The
calendars are written here too, for speed: they hold a few fixed properties, and the
``icalendar`` package spent 0.3 ms on each event (the calendars were a fifth of the plugin's
own time building the index pages). The text escaping and line folding follow RFC 5545 as
icalendar writes them, and the tests compare the two byte for byte.
"""

from __future__ import annotations

import re
import urllib.parse
import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from xml.etree import ElementTree as ET

from mkdocs_postmortems.core import deadlines
from mkdocs_postmortems.core.fields import is_marker
from mkdocs_postmortems.core.knowledge_base import transliterated
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
# RFC 3986's reserved characters and "%" (an escape already made); the unreserved ones
# (letters, digits, "-._~") are never quoted.
_URI_SAFE = ":/?#[]@!$&'()*+,;=%"
_STRAY_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")
# A content line is folded before it reaches 75 octets (RFC 5545 allows 75 and a break).
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
        return uri(site.base_url.rstrip("/") + "/" + target)
    return uri(relative_url(target, here))


def uri(url: str) -> str:
    """``url`` as RFC 3986 allows it in a feed or a calendar: every character outside the
    URI's own (a line break, a space, a quote, a letter outside ASCII) percent-encoded as
    UTF-8, and a ``%`` that starts no escape encoded too. An id can hold any of them when
    the file-name rule (PM001) is lowered to a warning."""
    quoted = urllib.parse.quote(url, safe=_URI_SAFE)
    return _STRAY_PERCENT.sub("%25", quoted)


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
    # Each event is written once and its lines reused by every calendar that holds it: an
    # action item is in two calendars.
    events: list[_Serialised] = []
    by_owner: dict[str, list[_Serialised]] = defaultdict(list)
    for pm in postmortems:
        url = (
            uri(site.base_url.rstrip("/") + "/" + site.postmortem_url(pm.id))
            if site.base_url
            else ""
        )
        for number, item in enumerate(pm.action_items, start=1):
            if item.is_open and item.due:
                event = _action_event(pm, item, number, url, now)
                events.append(event)
                by_owner[item.owner].append(event)
        deadline = deadlines.writeup_deadline(pm, site.settings)
        if deadline and pm.status != "published":
            events.append(_deadline_event(pm, deadline, url, now))
    files = {calendar_path(site): _calendar(events, f"{title}: due dates")}
    for owner, path in owner_calendars(postmortems, site).items():
        files[path] = _calendar(by_owner[owner], f"{title}: action items of {owner}")
    return files


def owner_calendars(postmortems: Iterable[PostMortem], site: Site) -> dict[str, str]:
    """The calendar of each owner of open action items with a due date, by owner.

    The file name is the owner's name in lower-case ASCII words joined by ``-``
    (``Lucía Benítez``: ``lucia-benitez.ics``, ``Иван Петров``: ``ivan-petrov.ics``),
    numbered when two names meet in one.
    """
    # ``TBD`` (an owner still to name) is nobody's calendar: its items are in the main one.
    owners = sorted(
        {
            item.owner
            for pm in postmortems
            for item in pm.action_items
            if item.is_open and item.due and item.owner.strip() and not is_marker(item.owner)
        }
    )
    taken: set[str] = set()
    paths = {}
    for owner in owners:
        base = _SLUG.sub("-", transliterated(owner).lower()).strip("-") or "owner"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        paths[owner] = f"{site.settings.url_prefix}{OWNER_CALENDARS}{slug}.ics"
    return paths


def _action_event(
    pm: PostMortem, item: ActionItem, number: int, url: str, now: datetime
) -> _Serialised:
    assert item.due is not None
    details = [f"Owner: {item.owner}", f"Priority: {item.priority}", f"Status: {item.status}"]
    if item.ticket:
        details.append(f"Ticket: {item.ticket}")
    details.append(f"From: {pm.title or pm.id}")
    return _event(
        f"{pm.id}-action-{number}@mkdocs-postmortems",
        summary=f"Due: {item.action}",
        start=f"DTSTART;VALUE=DATE:{item.due:%Y%m%d}",
        end=f"DTEND;VALUE=DATE:{item.due + timedelta(days=1):%Y%m%d}",
        now=now,
        categories=("action item", item.priority),
        description="\n".join(details),
        url=url,
    )


def _deadline_event(pm: PostMortem, deadline: datetime, url: str, now: datetime) -> _Serialised:
    return _event(
        f"{pm.id}-writeup@mkdocs-postmortems",
        summary=f"Write-up due: {pm.title or pm.id}",
        start=f"DTSTART:{_utc(deadline)}",
        end="DURATION:PT30M",
        now=now,
        categories=("write-up deadline", pm.severity),
        description=(
            f"{pm.severity} post-mortem, status {pm.status or 'unknown'}. "
            f"Authors: {', '.join(pm.authors) or 'none listed'}"
        ),
        url=url,
    )


# An event's uid (the calendar's sort key) and its content lines, folded and escaped.
_Serialised = tuple[str, bytes]


def _event(
    uid: str,
    *,
    summary: str,
    start: str,
    end: str,
    now: datetime,
    categories: tuple[str, ...],
    description: str,
    url: str,
) -> _Serialised:
    """An event's content lines, in the order and with the escaping icalendar writes
    (``tests/test_feeds.py`` compares the two on every kind of text); ``start`` and ``end``
    are whole lines (a date or a moment, an end or a duration)."""
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text_value(summary)}",
        start,
        end,
        f"DTSTAMP:{_utc(now)}",
        f"UID:{_text_value(uid)}",
        f"CATEGORIES:{','.join(_text_value(name) for name in categories if name)}",
        f"DESCRIPTION:{_text_value(description)}",
    ]
    if url:
        lines.append(f"URL:{url}")  # a URI, encoded by uri(): RFC 5545 does not escape it
    lines.append("END:VEVENT")
    return uid, _content_lines(lines)


def _utc(moment: datetime) -> str:
    """A moment as an RFC 5545 UTC date-time (whole seconds)."""
    return f"{moment.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"


def _text_value(text: str) -> str:
    """RFC 5545 text (3.3.11): control characters replaced (a calendar can carry none but
    a tab; a carriage return too), then backslash, ``;``, ``,`` and newlines escaped."""
    return (
        _NOT_ICAL.sub("\ufffd", text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """A content line folded as RFC 5545 asks (3.1): at most 75 octets a line, each
    continuation led by a space, never inside a UTF-8 character; as icalendar folds, a line
    holds 74 octets at most and an escape's backslash (or a parameter's ``^``) moves to the
    next line rather than end one."""
    if len(line) < FOLD_AT and (line.isascii() or len(line.encode("utf-8")) < FOLD_AT):
        return line
    parts: list[str] = []
    current: list[str] = []
    octets = 0
    for char in line:
        size = len(char.encode("utf-8"))
        if current and octets + size >= FOLD_AT:
            carried = current.pop() if len(current) > 1 and current[-1] in "\\^" else ""
            parts.append("".join(current))
            current = [carried] if carried else []
            octets = len(carried)
        current.append(char)
        octets += size
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _calendar(events: list[_Serialised], name: str) -> bytes:
    """A calendar holding ``events``, in the order of their uids. Its name is text, as RFC
    5545 reads an ``X-`` property's value (3.8.8.2)."""
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_text_value(name)}",
    ]
    body = b"".join(data for _, data in sorted(events, key=lambda event: event[0]))
    return _content_lines(head) + body + b"END:VCALENDAR\r\n"


def _content_lines(lines: list[str]) -> bytes:
    """Lines as a calendar holds them: each folded, and ended by CRLF."""
    return "".join(_fold(line) + "\r\n" for line in lines).encode("utf-8")


def review_invite(
    pm: PostMortem,
    start: datetime,
    minutes: int,
    participants: list[str],
    url: str,
    now: datetime,
) -> bytes:
    """A calendar holding one event: the review meeting of ``pm``, before its write-up's
    deadline. Participants are named in the description (a calendar's attendees need e-mail
    addresses, which a post-mortem does not hold); ``url`` is the review pack's page."""
    lines = [
        f"Review meeting of the {pm.severity} post-mortem '{pm.title or pm.id}'.",
        "Blameless: we look for what to improve, not for someone to blame.",
        f"Participants: {', '.join(participants) or 'to be named'}",
    ]
    event = _event(
        f"{pm.id}-review@mkdocs-postmortems",
        summary=f"Post-mortem review: {pm.title or pm.id}",
        start=f"DTSTART:{_utc(start)}",
        end=f"DURATION:PT{minutes}M",
        now=now,
        categories=("post-mortem review", pm.severity),
        description="\n".join(lines),
        url=uri(url) if url else "",
    )
    return _calendar([event], f"Review: {pm.title or pm.id}")
