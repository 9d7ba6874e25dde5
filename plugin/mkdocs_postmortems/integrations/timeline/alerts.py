"""Alerts: the webhook payloads of Prometheus Alertmanager and of Grafana Alerting.

Both post the same shape (Alertmanager's webhook receiver documentation; Grafana's "webhook
notifier" page): ``status``, ``receiver``, ``alerts[]`` with ``status``, ``labels.alertname``,
``annotations.summary``, ``startsAt``, ``endsAt`` and ``fingerprint``; Grafana adds
``orgId``. A file holds one payload, a list of them, or one per line (JSON Lines), as a
receiver logs them. A firing alert is an event at ``startsAt``, a resolved one at
``endsAt``; an alert repeated in later notifications is one event.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from mkdocs_postmortems.core.timeline_events import Event, Kind
from mkdocs_postmortems.integrations.timeline.exports import ExportError, field, short, when


def is_alert_payload(data: Any) -> bool:
    first = data[0] if isinstance(data, list) and data else data
    return (
        isinstance(first, dict)
        and isinstance(first.get("alerts"), list)
        and ("receiver" in first or "groupKey" in first or "orgId" in first)
    )


def alerts(data: Any, tz: tzinfo) -> list[Event]:
    payloads = data if isinstance(data, list) else [data]
    seen: set[tuple[str, str, str]] = set()
    events = []
    for number, payload in enumerate(payloads):
        if not isinstance(payload, dict) or not isinstance(payload.get("alerts"), list):
            raise ExportError(f"payload {number}: not a webhook payload with 'alerts'")
        source = "grafana" if "orgId" in payload else "alertmanager"
        actor = "Grafana" if source == "grafana" else "Alertmanager"
        for index, alert in enumerate(payload["alerts"]):
            where = f"payload {number}, alerts[{index}]"
            if not isinstance(alert, dict):
                raise ExportError(f"{where}: not an object")
            resolved = short(alert.get("status")) == "resolved"
            stamp = alert.get("endsAt") if resolved else alert.get("startsAt")
            at = when(stamp, f"{where}.{'endsAt' if resolved else 'startsAt'}", tz)
            name = short(field(alert, "labels", "alertname"), 200) or "alert"
            summary = short(field(alert, "annotations", "summary"))
            fingerprint = short(alert.get("fingerprint"), 64) or name
            key = (fingerprint, "resolved" if resolved else "firing", at.isoformat())
            if key in seen:
                continue
            seen.add(key)
            verb = "resolved" if resolved else "firing"
            text = f"Alert {name} {verb}" + (f": {summary}" if summary else "")
            kind: Kind = "resolve" if resolved else "alert"
            events.append(Event(at, text, actor, source, kind, "/".join(key), bot=True))
    return events
