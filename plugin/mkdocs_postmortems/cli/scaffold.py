"""Starting a post-mortem: its file name, its text from the template, and a safe first write.

The new file is a ``draft`` that passes ``postmortems check`` as it is: every section is
there, with the guidance in HTML comments, which the checker (and the site) ignores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.core.files import create_file
from mkdocs_postmortems.core.knowledge_base import postmortem_path
from mkdocs_postmortems.rules.sections import TEMPLATE_EVENT, TEMPLATE_SUMMARY
from mkdocs_postmortems.site.render import render


@dataclass(frozen=True)
class Draft:
    """What the author told us about the incident."""

    title: str
    severity: str
    started: datetime
    services: tuple[str, ...]
    authors: tuple[str, ...] = ()
    resolved: datetime | None = None
    incident: str = ""  # the register's id, when the draft starts from the register


def path_for(draft: Draft, settings: Settings) -> Path:
    """``<folder>/YYYY/YYYY-MM-DD-slug.md``, dated by the start in the configured timezone."""
    return postmortem_path(settings.path, draft.started.astimezone(settings.tz).date(), draft.title)


def render_draft(draft: Draft, settings: Settings) -> str:
    """The text of the new post-mortem; every value the author typed is quoted for YAML."""
    started = draft.started.astimezone(settings.tz)
    return render(
        "postmortem.md.j2",
        title=yaml_scalar(draft.title),
        severity=yaml_scalar(draft.severity),
        started=_iso(started),
        services=[yaml_scalar(name) for name in draft.services],
        authors=[yaml_scalar(name) for name in draft.authors],
        resolved=_iso(draft.resolved.astimezone(settings.tz)) if draft.resolved else "",
        incident=yaml_scalar(draft.incident) if draft.incident else "",
        first_row=f"{started:%Y-%m-%d %H:%M}",
        timezone=settings.timezone,
        priorities=", ".join(settings.priorities),
        summary_placeholder=TEMPLATE_SUMMARY,
        event_placeholder=TEMPLATE_EVENT,
    )


def yaml_scalar(value: str) -> str:
    """``value`` as a one-line YAML scalar that reads back as the same string.

    PyYAML's emitter quotes exactly what needs quoting (``a: b #c``, ``yes``, ``123``,
    a leading ``*`` or ``!``) and leaves plain names plain.
    """
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1 << 30, default_style=None)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def write_new(path: Path, text: str, root: Path) -> None:
    """Write ``text`` to a file that must not exist yet (``FileExistsError``), all at once,
    inside the project and never through a symbolic link
    (:func:`~mkdocs_postmortems.core.files.create_file`; ``NotWritten`` otherwise)."""
    create_file(path, text.encode("utf-8"), root)


def _iso(moment: datetime) -> str:
    """``2026-03-04T14:02:00Z``, or with its offset outside UTC."""
    text = moment.isoformat(timespec="seconds")
    return text.removesuffix("+00:00") + "Z" if moment.utcoffset() == timedelta(0) else text
