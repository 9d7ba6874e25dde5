"""A Slack workspace export: the zip Slack makes, or the folder it unpacks to.

The layout, from Slack's help page "How to read Slack data exports": ``channels.json``
(``id``, ``name``, ``pins[].id``), ``users.json`` (``id``, ``name``, ``real_name``,
``profile.real_name``, ``profile.display_name``, ``is_bot``) and one folder per channel
holding a ``YYYY-MM-DD.json`` list of messages per day (``ts``, ``user``, ``text``,
``subtype``, ``thread_ts``, ``reactions[].name``, ``pinned_to``, ``bot_id``, ``username``,
``attachments[].fallback``).

Kept: plain messages, bot messages, file shares, thread replies and replies broadcast to
the channel. Dropped: joins, leaves, topic and name changes, and the ``message_changed``
and ``message_deleted`` events of edits (the message itself carries its last text). Slack
markup (``<@U123>``, ``<#C1|name>``, ``<https://x|label>``, ``&lt;``, emoji codes) is turned
into the text a reader sees in Slack.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from mkdocs_postmortems.core.timeline_events import Event
from mkdocs_postmortems.integrations.timeline.exports import (
    MAX_CHANNEL_BYTES,
    MAX_MESSAGE,
    Archive,
    ExportError,
    Folder,
    field,
    load_json,
    short,
)

# What a message is, by subtype: an allowlist, so a new kind of event Slack adds is left out.
KEPT_SUBTYPES = frozenset(("", "bot_message", "thread_broadcast", "file_share", "me_message"))
DEFAULT_REACTIONS = ("pushpin", "round_pushpin", "timeline")
_DAY_FILE = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\.json")
_MARKUP = re.compile(r"<([^<>\n]{1,2000})>")
_EMOJI = re.compile(r":([a-z0-9_+'-]{1,60}):(?::skin-tone-\d:)?")
# The emoji of incident channels, as characters; any other code stays as it is written.
EMOJI = {
    "white_check_mark": "✅",
    "heavy_check_mark": "✔️",
    "x": "❌",
    "warning": "⚠️",
    "rotating_light": "🚨",
    "fire": "🔥",
    "eyes": "👀",
    "pushpin": "📌",
    "round_pushpin": "📍",
    "thumbsup": "👍",
    "+1": "👍",
    "thumbsdown": "👎",
    "-1": "👎",
    "tada": "🎉",
    "rocket": "🚀",
    "red_circle": "🔴",
    "large_green_circle": "🟢",
    "green_circle": "🟢",
    "large_yellow_circle": "🟡",
    "rewind": "⏪",
    "hourglass": "⌛",
    "pager": "📟",
    "mag": "🔍",
    "bug": "🐛",
    "ok": "🆗",
    "sos": "🆘",
    "slightly_smiling_face": "🙂",
    "pray": "🙏",
}


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    pins: frozenset[str]


def read_export(
    export: Folder | Archive,
    channel: str | None,
    reactions: Collection[str],
    window: tuple[date | None, date | None] = (None, None),
) -> list[Event]:
    """The messages of one channel of the export, as events; with a ``window`` of days,
    only the day files around it are read (a day file's date is Slack's, so a day of
    margin on each side keeps every message of the window)."""
    names = set(export.names())
    channels = _channels(export, names)
    chosen = _choose(channels, channel, export.name)
    users = _users(export, names)
    by_id = {c.id: c.name for c in channels}
    days = sorted(
        n
        for n in names
        if n.startswith(f"{chosen.name}/") and _DAY_FILE.fullmatch(n.split("/")[-1])
    )
    if not days:
        raise ExportError(
            f"channel #{chosen.name} has no day files ({chosen.name}/YYYY-MM-DD.json)"
        )
    days = [name for name in days if _in_window(name, window)]
    messages: list[dict[str, Any]] = []
    total = 0
    for name in days:
        raw = export.read(name)
        total += len(raw)
        if total > MAX_CHANNEL_BYTES:
            raise ExportError(
                f"#{chosen.name} holds more than {MAX_CHANNEL_BYTES:,} bytes of messages; "
                "export a shorter period"
            )
        data = load_json(raw)
        if not isinstance(data, list):
            raise ExportError(f"{name}: not a list of messages")
        messages.extend(m for m in data if isinstance(m, dict))
    wanted = {r.strip(":") for r in reactions}
    return [e for m in messages if (e := _event(m, chosen, users, by_id, wanted)) is not None]


def _in_window(name: str, window: tuple[date | None, date | None]) -> bool:
    try:
        day = date.fromisoformat(name.rsplit("/", 1)[-1][:10])
    except ValueError:  # a 31st of February: read, as any other day file
        return True
    first, last = window
    margin = timedelta(days=1)
    return (first is None or day >= first - margin) and (last is None or day <= last + margin)


def _channels(export: Folder | Archive, names: set[str]) -> list[Channel]:
    if "channels.json" not in names:
        raise ExportError(
            "no channels.json: not a Slack export (or only a public-channel part of one)"
        )
    data = load_json(export.read("channels.json"))
    if not isinstance(data, list):
        raise ExportError("channels.json: not a list of channels")
    channels = []
    for item in data:
        if isinstance(item, dict) and short(item.get("name"), 200):
            pins = _list(item.get("pins"))
            channels.append(
                Channel(
                    short(item.get("id"), 64),
                    short(item.get("name"), 200),
                    frozenset(short(field(p, "id"), 64) for p in pins),
                )
            )
    return channels


def _choose(channels: list[Channel], wanted: str | None, where: str) -> Channel:
    known = ", ".join(f"#{c.name}" for c in channels[:20]) or "none"
    if wanted is None:
        if len(channels) == 1:
            return channels[0]
        raise ExportError(
            f"the export has {len(channels)} channels; choose one with --channel ({known})"
        )
    name = wanted.lstrip("#")
    for channel in channels:
        if channel.name == name or channel.id == name:
            return channel
    raise ExportError(f"no channel #{name} in {where} ({known})")


def _users(export: Folder | Archive, names: set[str]) -> dict[str, str]:
    """Each user's name as people know it: the real name, else the display name."""
    if "users.json" not in names:
        return {}
    data = load_json(export.read("users.json"))
    users = {}
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict):
            continue
        name = (
            short(field(item, "profile", "real_name"), 200)
            or short(item.get("real_name"), 200)
            or short(field(item, "profile", "display_name"), 200)
            or short(item.get("name"), 200)
        )
        users[short(item.get("id"), 64)] = name
    return users


def _event(
    message: dict[str, Any],
    channel: Channel,
    users: dict[str, str],
    channels: dict[str, str],
    reactions: set[str],
) -> Event | None:
    subtype = short(message.get("subtype"), 100)
    if subtype not in KEPT_SUBTYPES:
        return None
    ts = short(message.get("ts"), 40)
    at = _time(ts)
    if at is None:
        return None
    user = short(message.get("user"), 64)
    bot = subtype == "bot_message" or bool(message.get("bot_id"))
    actor = (
        users.get(user)
        or short(field(message, "user_profile", "real_name"), 200)
        or short(message.get("username"), 200)
        or short(field(message, "bot_profile", "name"), 200)
        or user
    )
    text = readable(_text(message), users, channels)
    if not text:
        return None
    parent = short(message.get("thread_ts"), 40)
    if parent == ts:
        parent = ""
    if parent:
        text = f"↳ {text}"
    names = {short(field(r, "name"), 100).split("::")[0] for r in _list(message.get("reactions"))}
    pinned = ts in channel.pins or channel.id in _list(message.get("pinned_to"))
    return Event(
        at, text, actor, "slack", "chat", ts, parent, pinned or bool(names & reactions), bot
    )


def _text(message: dict[str, Any]) -> str:
    text = short(message.get("text"), MAX_MESSAGE)
    if text.strip():
        return text
    for attachment in _list(message.get("attachments")):
        for key in ("fallback", "title", "pretext", "text"):
            found = short(field(attachment, key), MAX_MESSAGE)
            if found.strip():
                return found
    return ""


def _list(value: Any) -> list[Any]:
    return value[:1000] if isinstance(value, list) else []


def _time(ts: str) -> datetime | None:
    try:
        seconds = float(ts)
    except ValueError:
        return None
    if not math.isfinite(seconds) or not 0 < seconds < 32503680000:  # before the year 3000
        return None
    return datetime.fromtimestamp(seconds, timezone.utc)


def readable(text: str, users: dict[str, str], channels: dict[str, str]) -> str:
    """Slack's markup as a reader sees it in Slack."""

    def link(match: re.Match[str]) -> str:
        inside = match.group(1)
        target, _, label = inside.partition("|")
        if target.startswith("@"):
            return "@" + (label or users.get(target[1:], target[1:]))
        if target.startswith("#"):
            return "#" + (label or channels.get(target[1:], target[1:]))
        if target.startswith("!"):
            return label or "@" + target[1:].split("^")[0]
        if label and label != target:
            return f"{label} ({target})"
        return target.removeprefix("mailto:")

    text = _MARKUP.sub(link, text)
    text = _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)
    # Slack escapes only these three in message text.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
