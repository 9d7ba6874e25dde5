"""A synthetic Slack workspace export of one incident channel, made deterministically.

Written for the tests from Slack's documented export layout (channels.json, users.json,
one folder per channel with a YYYY-MM-DD.json list of messages per day); no real chat.
The incident runs across the night the clocks go back in Europe (2026-10-25, 03:00 CEST
becomes 02:00 CET at 01:00 UTC), its responders are in three time zones, and around the
few messages that matter are some 300 that do not: chatter, joins, an edit, a thread.

Run ``python make_slack.py FOLDER`` to write the export into FOLDER.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

CHANNEL = {"id": "C0INC42", "name": "inc-checkout-errors"}
OTHER = {"id": "C0GEN01", "name": "general"}
USERS = [
    {"id": "U0ALICE", "name": "alice", "real_name": "Alice Jensen", "tz": "Europe/Berlin"},
    {"id": "U0BOB", "name": "bob", "real_name": "Bob Rivera", "tz": "America/New_York"},
    {"id": "U0CHEN", "name": "chen", "real_name": "Chen Wei", "tz": "Asia/Singapore"},
    {"id": "U0DANA", "name": "dana", "real_name": "Dana Okafor", "tz": "Europe/Berlin"},
]
NOISE = (
    "looking at the logs",
    "anyone else seeing this?",
    "checking the pods",
    "ok",
    "brb",
    "still looking",
    "hmm",
    "let me check",
    "same here",
    "on it",
    "dashboards are slow to load",
    "nothing obvious in the gateway logs yet",
    "+1",
    "trying from my laptop",
    "which cluster?",
)


def at(hour: int, minute: int, second: int = 0, day: int = 25) -> datetime:
    """A moment in UTC on the night of the incident (day 24 is the evening before)."""
    return datetime(2026, 10, day, hour, minute, second, tzinfo=timezone.utc)


def ts(moment: datetime, serial: int = 0) -> str:
    return f"{int(moment.timestamp())}.{serial:06d}"


def user_message(user: str, moment: datetime, text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "message", "user": user, "text": text, "ts": ts(moment), **extra}


def bot_message(name: str, moment: datetime, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "subtype": "bot_message",
        "bot_id": f"B0{name.upper()[:6]}",
        "username": name,
        "text": text,
        "ts": ts(moment),
        **extra,
    }


PINNED = at(0, 20)
THREAD = at(0, 15)

# The messages that matter, in order; the test checks the timeline built from them.
KEY = [
    bot_message("deploybot", at(23, 52, day=24), "Deployed checkout-api v2.14.0 to production"),
    bot_message(
        "PagerDuty",
        at(23, 55, day=24),
        "",
        attachments=[
            {"fallback": ":rotating_light: Triggered #4521: Checkout error rate above 5%"}
        ],
    ),
    user_message("U0ALICE", at(23, 57, day=24), "ack, looking"),
    user_message("U0DANA", at(0, 1), "hi, here to help"),
    user_message("U0BOB", at(0, 5), "joining from NYC"),
    user_message(
        "U0CHEN",
        at(0, 12),
        "Errors began right after the 01:52 deploy, see <#C0INC42|inc-checkout-errors> "
        "and <https://grafana.example/d/checkout|the checkout dashboard> cc <@U0ALICE>",
    ),
    user_message("U0ALICE", THREAD, "which version was last good?", reply_count=1),
    user_message(
        "U0ALICE",
        PINNED,
        "Decision: go back to checkout-api v2.13.2 &amp; freeze deploys",
        pinned_to=[CHANNEL["id"]],
    ),
    user_message(
        "U0BOB",
        at(0, 25),
        "v2.13.2, rolled back is safe",
        thread_ts=ts(THREAD),
        parent_user_id="U0ALICE",
    ),
    user_message(
        "U0ALICE", at(0, 30), "Rollback started", edited={"user": "U0ALICE", "ts": ts(at(0, 31))}
    ),
    user_message("U0ALICE", at(1, 30), "Rollback finished, error rate dropping"),
    user_message(
        "U0CHEN",
        at(1, 45),
        "Support says checkouts work again :tada:",
        reactions=[{"name": "pushpin", "users": ["U0ALICE"], "count": 1}],
    ),
    bot_message("PagerDuty", at(2, 5), "Resolved #4521 by Alice Jensen"),
    user_message("U0ALICE", at(2, 10), "Incident resolved, thanks all"),
]
# The rows the default selection gives in Europe/Berlin: time cell, event cell, actor.
EXPECTED = [
    ("2026-10-25 01:52", "Deployed checkout-api v2.14.0 to production _(slack)_", "deploybot"),
    ("01:55", "🚨 Triggered #4521: Checkout error rate above 5% _(slack)_", "PagerDuty"),
    ("01:57", "ack, looking _(slack)_", "Alice Jensen"),
    ("02:01 +02:00", "hi, here to help _(slack)_", "Dana Okafor"),
    ("02:05 +02:00", "joining from NYC _(slack)_", "Bob Rivera"),
    (
        "02:12 +02:00",
        "Errors began right after the 01:52 deploy, see #inc-checkout-errors and the checkout "
        "dashboard (https://grafana.example/d/checkout) cc @Alice Jensen _(slack)_",
        "Chen Wei",
    ),
    ("02:15 +02:00", "which version was last good? _(slack)_", "Alice Jensen"),
    (
        "02:20 +02:00",
        "Decision: go back to checkout-api v2.13.2 &amp; freeze deploys _(slack)_",
        "Alice Jensen",
    ),
    ("02:25 +02:00", "↳ v2.13.2, rolled back is safe _(slack)_", "Bob Rivera"),
    ("02:30 +02:00", "Rollback started _(slack)_", "Alice Jensen"),
    ("02:30 +01:00", "Rollback finished, error rate dropping _(slack)_", "Alice Jensen"),
    ("02:45 +01:00", "Support says checkouts work again 🎉 _(slack)_", "Chen Wei"),
    ("03:05", "Resolved #4521 by Alice Jensen _(slack)_", "PagerDuty"),
    ("03:10", "Incident resolved, thanks all _(slack)_", "Alice Jensen"),
]


def noise(count: int = 300) -> list[dict[str, Any]]:
    """Chatter between the first and the last message that matters: no key verb, no time."""
    chance = random.Random(7)
    start, end = at(0, 13), at(2, 8)
    span = int((end - start).total_seconds())
    messages = []
    for serial in range(count):
        moment = start + timedelta(seconds=chance.randrange(span))
        user = chance.choice(USERS)["id"]
        message = user_message(user, moment, chance.choice(NOISE))
        message["ts"] = ts(moment, serial + 1)
        messages.append(message)
    return messages


def housekeeping() -> list[dict[str, Any]]:
    """Joins, a topic change and an edit event: never timeline rows."""
    events: list[dict[str, Any]] = [
        {
            "type": "message",
            "subtype": "channel_join",
            "user": user["id"],
            "text": f"<@{user['id']}> has joined the channel",
            "ts": ts(at(23, 56, day=24), index + 900),
        }
        for index, user in enumerate(USERS)
    ]
    events.append(
        {
            "type": "message",
            "subtype": "channel_topic",
            "user": "U0ALICE",
            "text": "set the channel topic: SEV2 checkout errors",
            "ts": ts(at(23, 58, day=24), 950),
        }
    )
    events.append(
        {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "message": {
                "type": "message",
                "user": "U0ALICE",
                "text": "Rollback started",
                "ts": ts(at(0, 30)),
            },
            "ts": ts(at(0, 31), 960),
        }
    )
    return events


def messages() -> list[dict[str, Any]]:
    return sorted([*KEY, *noise(), *housekeeping()], key=lambda m: float(m["ts"]))


def write_export(folder: Path) -> Path:
    """The export's files in ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    channels = [{**CHANNEL, "pins": [{"id": ts(PINNED), "type": "C", "user": "U0ALICE"}]}, OTHER]
    (folder / "channels.json").write_text(json.dumps(channels, indent=1), encoding="utf-8")
    users = [
        {**u, "profile": {"real_name": u["real_name"], "display_name": u["name"]}} for u in USERS
    ]
    (folder / "users.json").write_text(json.dumps(users, indent=1), encoding="utf-8")
    by_day: dict[str, list[dict[str, Any]]] = {}
    for message in messages():
        day = datetime.fromtimestamp(float(message["ts"]), timezone.utc).date().isoformat()
        by_day.setdefault(day, []).append(message)
    for name in (CHANNEL["name"], OTHER["name"]):
        (folder / name).mkdir(exist_ok=True)
    for day, listed in by_day.items():
        (folder / CHANNEL["name"] / f"{day}.json").write_text(
            json.dumps(listed, indent=1), encoding="utf-8"
        )
    (folder / OTHER["name"] / "2026-10-25.json").write_text(
        json.dumps([user_message("U0BOB", at(9, 0), "lunch?")]), encoding="utf-8"
    )
    return folder


if __name__ == "__main__":
    write_export(Path(sys.argv[1]))
