"""The Atom feed and the iCalendar files: parsed back by feedparser and icalendar, linked
from every page, the same bytes under SOURCE_DATE_EPOCH, escaped."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import feedparser
import icalendar
import pytest

from conftest import DRAFT, VALID, VALID_NAME
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.findings import Position
from mkdocs_postmortems.core.model import ActionItem, PostMortem
from mkdocs_postmortems.site import feeds
from mkdocs_postmortems.site.links import Site
from sitebuild import build_site, write_project

HOSTILE = (
    VALID.replace(
        "title: Checkout API returned 500s after a config push",
        "title: \"Checkout <script>alert('x')</script> & co; \\a bell\"",
    )
    .replace("authors: [Dana Whitfield]", "authors: ['Dana <b>Whitfield</b>']")
    .replace(
        "| Roll config out one region at a time | Omar Haddad |",
        "| Roll config out; one region\\then all, | Lucía Benítez |",
    )
)
OTHER = (
    VALID.replace("title: Checkout API", "title: Second checkout API")
    .replace("published: 2026-03-06", "published: 2026-03-09")
    .replace("| done | OPS-101 |", "| open | OPS-101 |")
)
EPOCH = "1780000000"  # 2026-05-28T20:26:40Z
NOW = datetime(2026, 5, 28, 20, 26, 40, tzinfo=timezone.utc)


def project(root: Path) -> Path:
    """The project of the shared site, laid out in ``root``; return its config file."""
    return write_project(
        root,
        {
            VALID_NAME: HOSTILE,
            "2026-03-04-second.md": OTHER,
            "2026-05-02-search-index-rebuild-stalled.md": DRAFT,
        },
        config={"site_name": "Acme & <Co>", "site_url": "https://incidents.example.org/kb/"},
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's site, built once for every test that only reads its files."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build_site(project(tmp_path_factory.mktemp("feeds")))


def test_the_feed_lists_published_post_mortems_with_categories(site: Path) -> None:
    parsed = feedparser.parse((site / "postmortems" / "feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Acme & <Co>"
    entries = parsed.entries
    # Newest publication first; the draft is not in the feed.
    assert [e.title for e in entries] == [
        "Second checkout API returned 500s after a config push",
        "Checkout <script>alert('x')</script> & co; \ufffd bell",
    ]
    second, first = entries
    assert second.link == "https://incidents.example.org/kb/postmortems/2026-03-04-second/"
    assert {(t.term, t.label) for t in first.tags} == {
        ("SEV2", "severity: SEV2"),
        ("checkout-api", "service: checkout-api"),
        ("config-service", "service: config-service"),
    }
    assert first.author == "Dana <b>Whitfield</b>"
    assert first.published_parsed[:3] == (2026, 3, 6)
    assert first.id.startswith("urn:uuid:")
    assert "connection pool size to zero" in first.summary
    assert parsed.feed.updated_parsed[:3] == (2026, 3, 9)


def test_every_page_links_the_feed_from_its_head(site: Path) -> None:
    pages = list(site.rglob("index.html"))
    assert len(pages) > 5
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert 'type="application/atom+xml"' in head, page
    post = (site / "postmortems" / "2026-03-04-second" / "index.html").read_text(encoding="utf-8")
    assert 'href="../feed.xml"' in post
    assert 'title="Acme &amp; &lt;Co&gt;: published post-mortems"' in post


def test_the_calendar_holds_open_action_items_and_write_up_deadlines(site: Path) -> None:
    calendar = icalendar.Calendar.from_ical((site / "postmortems" / "calendar.ics").read_bytes())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "2026-03-04-checkout-config-push-action-2@mkdocs-postmortems",
        "2026-03-04-second-action-1@mkdocs-postmortems",
        "2026-03-04-second-action-2@mkdocs-postmortems",
        "2026-05-02-search-index-rebuild-stalled-writeup@mkdocs-postmortems",
    }
    item = events["2026-03-04-checkout-config-push-action-2@mkdocs-postmortems"]
    # The text's comma, semicolon and backslash survive the round trip.
    assert str(item["summary"]) == "Due: Roll config out; one region\\then all,"
    assert item.decoded("dtstart") == date(2026, 4, 15)
    assert "Owner: Lucía Benítez" in str(item["description"])
    assert str(item["url"]) == (
        "https://incidents.example.org/kb/postmortems/2026-03-04-checkout-config-push/"
    )
    writeup = events["2026-05-02-search-index-rebuild-stalled-writeup@mkdocs-postmortems"]
    # A SEV1 draft of an ongoing incident: 48 hours from its start.
    assert writeup.decoded("dtstart") == datetime(2026, 5, 4, 8, 0, tzinfo=timezone.utc)
    # The day of the build, not its second: a build later that day writes the same calendar.
    assert item.decoded("dtstamp") == datetime(2026, 5, 28, tzinfo=timezone.utc)


def test_each_owner_has_a_calendar_linked_from_the_action_items_page(site: Path) -> None:
    folder = site / "postmortems" / "calendars"
    assert sorted(p.name for p in folder.iterdir()) == [
        "dana-whitfield.ics",
        "lucia-benitez.ics",
        "omar-haddad.ics",
    ]
    lucia = icalendar.Calendar.from_ical((folder / "lucia-benitez.ics").read_bytes())
    assert [str(e["uid"]) for e in lucia.walk("VEVENT")] == [
        "2026-03-04-checkout-config-push-action-2@mkdocs-postmortems"
    ]
    assert str(lucia["x-wr-calname"]) == "Acme & <Co>: action items of Lucía Benítez"
    page = (site / "action-items" / "index.html").read_text(encoding="utf-8")
    assert 'href="../postmortems/calendars/lucia-benitez.ics"' in page
    assert 'href="../postmortems/calendar.ics"' in page


@pytest.mark.build
def test_feed_and_calendars_are_reproducible(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same project built again, in a folder of its own: the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = {p.relative_to(site): p.read_bytes() for p in _subscriptions(site)}
    again = build_site(project(tmp_path))
    assert {p.relative_to(again): p.read_bytes() for p in _subscriptions(again)} == first


def _subscriptions(site: Path) -> list[Path]:
    return sorted([*site.rglob("*.ics"), site / "postmortems" / "feed.xml"])


@pytest.mark.build
def test_render_writes_them_for_other_generators(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    write_project(tmp_path, {VALID_NAME: OTHER})
    assert main(["render", "--out", "docs"]) == 0
    feed = feedparser.parse((tmp_path / "docs" / "postmortems" / "feed.xml").read_bytes())
    assert feed.bozo == 0
    # Without a site_url the links are relative to the feed.
    assert feed.entries[0].link.endswith("2026-03-04-checkout-config-push/")
    calendar = (tmp_path / "docs" / "postmortems" / "calendar.ics").read_bytes()
    assert icalendar.Calendar.from_ical(calendar).walk("VEVENT")


def test_calendar_text_carries_no_control_characters() -> None:
    pm = PostMortem(path=Path("x.md"), display="x.md", id="2026-03-04-x", title="T\x1b[31m")
    pm.status, pm.severity = "published", "SEV2"
    pm.action_items = [
        ActionItem(
            "Ring\x07 the bell\r\nthen stop",
            "Dana\x00",
            date(2026, 4, 1),
            "P1",
            "open",
            "",
            Position(1),
            Position(1),
        )
    ]
    files = feeds.calendars([pm], Site(Settings()), "KB\x0c", NOW)
    for data in files.values():
        assert not re.search(rb"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]", data)
        assert not re.search(rb"[^\n]\r(?!\n)", data)
        calendar = icalendar.Calendar.from_ical(data)
        (event,) = calendar.walk("VEVENT")
        assert str(event["summary"]) == "Due: Ring\ufffd the bell\ufffd\nthen stop"


def test_calendars_are_the_bytes_icalendar_writes_for_their_events() -> None:
    """Each event is serialised once and its lines reused by every calendar that holds it:
    each file is still exactly what icalendar writes for a calendar of those events, with
    long lines folded and ``,;\\`` escaped, in the order of their uids."""
    items = [
        ActionItem(
            f"Step {n}: drain the pool, then; restore it \\ in every region " * 3,
            owner,
            date(2026, 6, n),
            "P1",
            "open",
            f"OPS-{n}",
            Position(1),
            Position(1),
        )
        for n, owner in ((3, "Dana Whitfield"), (1, "Omar Haddad"), (2, "Dana Whitfield"))
    ]
    pm = PostMortem(path=Path("x.md"), display="x.md", id="2026-05-20-x", title="Pool, emptied")
    pm.status, pm.severity, pm.action_items = "in-review", "SEV1", items
    pm.started = pm.resolved = datetime(2026, 5, 20, 9, tzinfo=timezone.utc)
    files = feeds.calendars([pm], Site(Settings()), "KB", NOW)
    assert len(files) == 3  # the knowledge base's, and one per owner
    lines: dict[str, bytes] = {}
    for data in files.values():
        calendar = icalendar.Calendar.from_ical(data)
        expected = icalendar.Calendar()
        for name, value in calendar.property_items(recursive=False)[1:-1]:
            expected.add(name, value, encode=False)
        events = calendar.walk("VEVENT")
        for event in events:
            expected.add_component(event)
            uid = str(event["uid"])
            lines.setdefault(uid, event.to_ical())
            assert event.to_ical() == lines[uid]
        assert data == expected.to_ical()
        assert [str(e["uid"]) for e in events] == sorted(str(e["uid"]) for e in events)
        assert b"\r\n " in data  # folded
        assert b"drain the pool\\, then\\; restore it \\\\ in" in data.replace(b"\r\n ", b"")
    assert len(lines) == 4  # three action items and the write-up deadline


def _icalendar_event(pm: PostMortem, item: ActionItem | None, url: str) -> bytes:
    """The event as icalendar writes it (the reference the calendars are measured by): an
    action item's due date, or (``item`` None) the post-mortem's write-up deadline."""
    event = icalendar.Event()
    if item is not None:
        assert item.due is not None
        event.add("uid", f"{pm.id}-action-1@mkdocs-postmortems")
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        event.add("summary", feeds._NOT_ICAL.sub("\ufffd", f"Due: {item.action}"))
        details = [f"Owner: {item.owner}", f"Priority: {item.priority}", f"Status: {item.status}"]
        if item.ticket:
            details.append(f"Ticket: {item.ticket}")
        details.append(f"From: {pm.title or pm.id}")
        categories = ("action item", item.priority)
    else:
        assert pm.started is not None
        event.add("uid", f"{pm.id}-writeup@mkdocs-postmortems")
        event.add("dtstart", pm.started.astimezone(timezone.utc))
        event.add("duration", timedelta(minutes=30))
        event.add("summary", feeds._NOT_ICAL.sub("\ufffd", f"Write-up due: {pm.title}"))
        details = [
            f"{pm.severity} post-mortem, status {pm.status}. Authors: {', '.join(pm.authors)}"
        ]
        categories = ("write-up deadline", pm.severity)
    event.add("dtstamp", NOW)
    event.add("description", feeds._NOT_ICAL.sub("\ufffd", "\n".join(details)))
    if url:
        event.add("url", url)
    event.add("categories", [feeds._NOT_ICAL.sub("\ufffd", c) for c in categories if c])
    data: bytes = event.to_ical()
    return data


# Text at every length around the folding limit, in characters of 1 to 4 octets, with
# every character RFC 5545 escapes, and a backslash or caret where a line would break.
FILLERS = ["a", "é", "€", "🚒", "a\\", "^", ";", ",", "x\n", "\t", "é,", "é\\", "€^"]
TEXTS = [
    "S" * (n % 7) + filler * n
    for filler in FILLERS
    for n in range(20, 90, 1 if len(filler.encode()) == 1 else 3)
]


@pytest.mark.parametrize("chunk", range(0, len(TEXTS), 60))
def test_events_are_the_bytes_icalendar_writes(chunk: int) -> None:
    """The calendars write their events themselves (icalendar took 0.3 ms an event):
    every kind of text, folded and escaped, is the bytes icalendar writes for it."""
    for text in TEXTS[chunk : chunk + 60]:
        item = ActionItem(
            text,
            "Dana " + text[:9],
            date(2026, 6, 1),
            text[-3:],
            "open",
            text[:5],
            Position(1),
            Position(1),
        )
        pm = PostMortem(path=Path("x.md"), display="x.md", id="2026-05-20-x", title=text)
        pm.severity, pm.status, pm.authors = "SEV1", "draft", [text[:20], "Omar"]
        pm.started = datetime(2026, 5, 20, 9, 30, 15, 123456, tzinfo=timezone.utc)
        for url in ("", "https://kb.example/postmortems/2026-05-20-x/" + "p" * len(text)):
            _, action = feeds._action_event(pm, item, 1, url, NOW)
            assert action == _icalendar_event(pm, item, url), text
            _, deadline = feeds._deadline_event(pm, pm.started, url, NOW)
            assert deadline == _icalendar_event(pm, None, url), text


def test_the_calendar_head_is_the_bytes_icalendar_writes() -> None:
    expected = icalendar.Calendar()
    expected.add("prodid", feeds.PRODID)
    expected.add("version", "2.0")
    expected.add("calscale", "GREGORIAN")
    expected.add("x-wr-calname", "Larkspur knowledge base: action items of Lucía Benítez" * 2)
    written = feeds._calendar([], "Larkspur knowledge base: action items of Lucía Benítez" * 2)
    assert written == expected.to_ical()


def test_a_calendar_name_is_text() -> None:
    """The calendar's name is RFC 5545 text, escaped (icalendar writes an ``X-`` property
    as it is, and stops at a line break in a site's name)."""
    data = feeds._calendar([], "Ops; payments, cards\\new\nline")
    assert b"X-WR-CALNAME:Ops\\; payments\\, cards\\\\new\\nline\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n") == 6


def test_a_backslash_n_in_text_stays_as_written() -> None:
    """icalendar reads ``\\N`` in text it is given as a line break; the calendars keep a
    Windows path as its author wrote it."""
    item = ActionItem(
        "Clean C:\\Net\\logs",
        "Dana",
        date(2026, 6, 1),
        "P1",
        "open",
        "",
        Position(1),
        Position(1),
    )
    pm = PostMortem(path=Path("x.md"), display="x.md", id="2026-05-20-x", title="T")
    _, data = feeds._action_event(pm, item, 1, "", NOW)
    (event,) = icalendar.Calendar.from_ical(
        b"BEGIN:VCALENDAR\r\n" + data + b"END:VCALENDAR\r\n"
    ).walk("VEVENT")
    assert str(event["summary"]) == "Due: Clean C:\\Net\\logs"


@pytest.mark.build
def test_a_site_name_with_a_line_break_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line break in ``site_name`` stopped the build with icalendar's assertion."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config_file = write_project(
        tmp_path, {VALID_NAME: OTHER}, config={"site_name": "Acme\nKnowledge base"}
    )
    site = build_site(config_file)
    calendar = icalendar.Calendar.from_ical((site / "postmortems" / "calendar.ics").read_bytes())
    assert calendar.walk("VEVENT")
    assert (
        b"X-WR-CALNAME:Acme\\nKnowledge base: due dates\r\n"
        in (site / "postmortems" / "calendar.ics").read_bytes()
    )


# An id from a file name, when PM001 is lowered to a warning: line breaks that would start
# properties of their own, a space, a quote, markup, a letter outside ASCII, a stray "%".
HOSTILE_ID = '2026-05-20-x\r\nATTENDEE:mailto:evil@x.test\r\nX "<é> %zz'
# The properties the calendars write; any other name is a line the text made up.
PROPERTIES = {
    "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "X-WR-CALNAME", "SUMMARY", "DTSTART",
    "DTEND", "DURATION", "DTSTAMP", "UID", "CATEGORIES", "DESCRIPTION", "URL",
}  # fmt: skip
# What RFC 3986 allows in a URI, with "%" only as the start of an escape.
URI = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-F]{2})+")


def _content_lines(data: bytes) -> list[str]:
    """The calendar's content lines, unfolded: a CRLF and a space join two parts of one."""
    assert data.endswith(b"\r\n")
    return data.replace(b"\r\n ", b"")[:-2].decode("utf-8").split("\r\n")


def _hostile_postmortem() -> PostMortem:
    pm = PostMortem(path=Path("x.md"), display="x.md", id=HOSTILE_ID, title="T")
    pm.status, pm.severity = "in-review", "SEV1"
    pm.started = pm.resolved = datetime(2026, 5, 20, 9, tzinfo=timezone.utc)
    pm.action_items = [
        ActionItem("Fix", "Dana", date(2026, 6, 1), "P1", "open", "", Position(1), Position(1))
    ]
    return pm


def test_an_id_cannot_add_lines_to_a_calendar() -> None:
    site = Site(Settings(), base_url="https://kb.example/")
    files = feeds.calendars([_hostile_postmortem()], site, "KB", NOW)
    for data in files.values():
        lines = _content_lines(data)
        for line in lines:
            assert re.fullmatch(r"[A-Z-]+(;[^:]*)?:[^\r\n]*", line), line
            assert line.split(":")[0].split(";")[0] in PROPERTIES, line
        calendar = icalendar.Calendar.from_ical(data)
        for event in calendar.walk("VEVENT"):
            assert "ATTENDEE" not in event
            url = str(event["url"])
            assert URI.fullmatch(url), url
            assert unquote(url) == "https://kb.example/" + site.postmortem_url(HOSTILE_ID)
    assert sum(len(icalendar.Calendar.from_ical(d).walk("VEVENT")) for d in files.values()) == 3


def test_feed_links_are_uris_whatever_the_id() -> None:
    pm = _hostile_postmortem()
    pm.status, pm.published = "published", date(2026, 5, 21)
    for base in ("https://kb.example/", ""):
        site = Site(Settings(), base_url=base)
        data = feeds.atom([pm], site, "KB", NOW)
        assert feedparser.parse(data).bozo == 0
        (entry,) = ElementTree.fromstring(data).iter(f"{{{feeds.ATOM}}}entry")
        (link,) = entry.iter(f"{{{feeds.ATOM}}}link")
        href = link.get("href") or ""
        assert URI.fullmatch(href), href
        assert unquote(href).endswith(site.postmortem_url(HOSTILE_ID).split("/")[-2] + "/")


@pytest.mark.build
def test_a_build_with_the_file_name_rule_lowered_writes_a_clean_calendar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file name is the id: with PM001 a warning, the page and the events exist, and
    the name's line breaks stay inside the values they belong to."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    name = "2026-03-04-x\r\nATTENDEE:mailto:evil@x.test\r\nX.md"
    config_file = write_project(
        tmp_path,
        {name: OTHER},
        config={
            "site_url": "https://kb.example/",
            "plugins": [{"postmortems": {"rules": {"PM001": "warning"}}}],
        },
    )
    data = (build_site(config_file) / "postmortems" / "calendar.ics").read_bytes()
    lines = _content_lines(data)
    assert all(line.split(":")[0].split(";")[0] in PROPERTIES for line in lines), lines
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert events
    for event in events:
        assert "ATTENDEE" not in event
        assert URI.fullmatch(str(event["url"]))
        assert "%0D%0AATTENDEE:mailto:evil@x.test%0D%0AX/" in str(event["url"])


@pytest.mark.build
def test_render_writes_no_calendar_from_a_knowledge_base_with_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """PM001 an error (its default): as ``mkdocs build``, render writes nothing at all."""
    monkeypatch.chdir(tmp_path)
    write_project(tmp_path, {VALID_NAME: OTHER, "2026-03-05-x\r\nATTENDEE:x.md": OTHER})
    assert main(["render", "--out", "docs"]) == 1
    assert "PM001" in capsys.readouterr().err
    assert not (tmp_path / "docs" / "postmortems").exists()
