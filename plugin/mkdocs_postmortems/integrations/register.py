"""Reading the incident register file in its configured format.

Each format module turns the file's text into :class:`~mkdocs_postmortems.core.register.
Incident` and :class:`~mkdocs_postmortems.core.register.Problem` entries, each with the line
it comes from; :func:`~mkdocs_postmortems.core.register.build_register` does the rest.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import tzinfo

from mkdocs_postmortems.core.config import RegisterSettings, Settings
from mkdocs_postmortems.core.edition import PUBLIC
from mkdocs_postmortems.core.files import Refused, read_regular
from mkdocs_postmortems.core.findings import Position
from mkdocs_postmortems.core.knowledge_base import display_path
from mkdocs_postmortems.core.register import REGISTER_UNREADABLE, Problem, Register, build_register
from mkdocs_postmortems.integrations import csv_export, incident_io, pagerduty
from mkdocs_postmortems.integrations.records import Entries

#: A register is a list of incidents: even ten years of a busy team's pages stay far below
#: this. Anything larger is not a register, and reading it would stall every build.
MAX_BYTES = 64 * 1024 * 1024

Reader = Callable[[str, RegisterSettings, tzinfo], Entries]


def load_register(settings: Settings) -> Register | None:
    """The configured register, or None when there is none.

    Raises :class:`~mkdocs_postmortems.core.register.RegisterError` (a configuration error)
    listing every problem at level ``error``.
    """
    config = settings.register
    # The register is internal: its incidents, numbers and links stay off the public edition.
    if config is None or settings.edition == PUBLIC:
        return None
    readers: dict[str, Reader] = {
        "pagerduty": pagerduty.read,
        "incident.io": incident_io.read,
        "csv": csv_export.read,
    }
    display = display_path(config.path, os.getcwd())
    text = _read_text(config)
    entries: Entries = (
        iter([text])
        if isinstance(text, Problem)
        else readers[config.format](text, config, settings.tz)
    )
    return build_register(display, entries, config, settings)


def _read_text(config: RegisterSettings) -> str | Problem:
    """The file's text, or the reason it cannot be read.

    Read as every file the tool reads: a regular file only (a link to ``/dev/zero`` or a
    FIFO is refused, never opened to block), and no more than :data:`MAX_BYTES`.
    """
    try:
        raw = read_regular(config.path, MAX_BYTES, "the most a register can sensibly hold")
    except Refused as exc:
        if not os.path.lexists(config.path):
            return Problem(
                REGISTER_UNREADABLE,
                Position(1),
                "the register file does not exist (register.path is relative to mkdocs.yml; "
                "in CI, fetch it first with `postmortems register pull`)",
            )
        return Problem(REGISTER_UNREADABLE, Position(1), f"the register: {exc.message}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Problem(
            REGISTER_UNREADABLE, Position(1), f"the register is not UTF-8 text (byte {exc.start})"
        )
