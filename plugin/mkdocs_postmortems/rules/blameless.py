"""Blameless review rules (wired to the phrase matcher in ``mkdocs_postmortems.blameless``)."""

from __future__ import annotations

CHECKS = ()
