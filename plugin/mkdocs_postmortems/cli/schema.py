"""The JSON Schema of the front matter, for editors (completion and inline validation)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from mkdocs_postmortems.core.config import EDITIONS, Settings
from mkdocs_postmortems.core.extra_fields import ExtraField
from mkdocs_postmortems.core.fields import ALWAYS, FOR_REVIEW, HIDE, TEXT_LIMIT
from mkdocs_postmortems.core.model import REVIEW_OUTCOMES, STATUSES

_DATETIME = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?\s*"
    r"([Zz]|UTC|[+-]\d{2}(:?\d{2})?)?$",
    "description": "ISO 8601 date and time; without an offset, the file's timezone key or "
    "the configured timezone.",
}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
_NAMES = {"type": "array", "items": {"type": "string", "minLength": 1}}


def front_matter_schema(settings: Settings) -> dict[str, Any]:
    """A draft 2020-12 schema matching the checker's front matter rules for these settings."""
    severities = [
        {"const": s.name, "description": f"{s.label}: {s.description}".strip(": ")}
        for s in settings.severities
    ]
    properties: dict[str, Any] = {
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "severity": {"oneOf": severities},
        "status": {"enum": list(STATUSES)},
        "started": {**_DATETIME, "description": "When the incident started."},
        "detected": {**_DATETIME, "description": "When it was detected (>= started)."},
        "resolved": {**_DATETIME, "description": "When it was resolved (>= detected)."},
        "published": {**_DATE, "description": "The day the write-up was published."},
        "reviewed": {**_DATE, "description": "The day of the effectiveness review."},
        "review_outcome": {
            "enum": list(REVIEW_OUTCOMES),
            "description": "Whether the actions worked, as the effectiveness review found.",
        },
        "review_note": {
            "type": "string",
            "description": "A sentence on what the effectiveness review found.",
        },
        "authors": {**_NAMES, "minItems": 1},
        "services": {**_NAMES, "minItems": 1},
        "tags": _NAMES,
        "facilitator": {"type": "string"},
        "timezone": {
            "type": "string",
            "minLength": 1,
            "description": "IANA timezone of this file's times without an offset.",
        },
        "impact": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "users_affected": {"type": "integer", "minimum": 0},
                "revenue": {"type": "string"},
                "data_loss": {"type": ["boolean", "string"]},
                "customer_comms": {"type": "string"},
            },
        },
        "related": {**_NAMES, "description": "Ids of related post-mortems."},
        "imported": {
            "type": "string",
            "minLength": 1,
            "description": "The file `postmortems import` read this write-up from. A history "
            "write-up: no deadlines, no review due, action items never overdue.",
        },
        "incident": {
            "description": "The incident register's id or number of the incident this "
            "write-up covers, or a list of them.",
            "oneOf": [
                {"type": "string", "minLength": 1},
                {"type": "integer"},
                {"type": "array", "items": {"type": ["string", "integer"]}, "minItems": 1},
            ],
        },
        "visibility": {
            "enum": list(EDITIONS),
            "description": "Whether the public edition publishes this post-mortem (default: "
            "the configured public_edition.default).",
        },
        "public_summary": {
            "type": "string",
            "minLength": 1,
            "description": "The summary the public edition shows instead of the Summary section's.",
        },
        "id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*$"},
        "ignore": {
            "type": "object",
            "description": "Rules silenced for this file, each with its reason.",
            "patternProperties": {r"^[A-Z]{2}\d{3}$": {"type": "string", "minLength": 1}},
            "additionalProperties": False,
        },
    }
    if settings.services is not None:
        properties["services"]["items"] = {"enum": list(settings.services)}
    properties.update(_page_keys())
    for spec in settings.extra_fields:
        properties[spec.name] = _extra(spec)
    required = [*ALWAYS, *(spec.name for spec in settings.extra_fields if spec.required)]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://mkdocs-postmortems.dev/schema/front-matter.json",
        "title": "Post-mortem front matter",
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
        "allOf": [
            {
                "if": {"properties": {"status": {"const": "in-review"}}, "required": ["status"]},
                "then": {"required": list(FOR_REVIEW)},
            },
            {
                "if": {"properties": {"status": {"const": "published"}}, "required": ["status"]},
                "then": {"required": [*FOR_REVIEW, "published"]},
            },
        ],
    }


def _extra(spec: ExtraField) -> dict[str, Any]:
    """A team's own key, as ``extra_fields`` declares it."""
    kinds: dict[str, dict[str, Any]] = {
        "string": {"type": ["string", "number"]},
        "number": {"type": "number"},
        "date": _DATE,
        "list": _NAMES,
        "one-of": {"enum": list(spec.values)},
    }
    return {
        **kinds[spec.type],
        "title": spec.title,
        "description": spec.description or "Defined in extra_fields.",
    }


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    schema = commands.add_parser(
        "schema", parents=[common], help="print the JSON Schema of the front matter"
    )
    schema.set_defaults(run=run_schema)


def run_schema(args: argparse.Namespace, settings: Settings) -> int:
    json.dump(front_matter_schema(settings), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def _page_keys() -> dict[str, Any]:
    """The page keys a post-mortem may set for MkDocs and mkdocs-material, in the one shape
    each is accepted in (core.fields checks the same)."""
    keys: dict[str, Any] = {
        "hide": {"type": "array", "items": {"enum": list(HIDE)}},
        "search": {
            "type": "object",
            "properties": {"exclude": {"type": "boolean"}},
            "required": ["exclude"],
            "additionalProperties": False,
        },
        "description": {"type": "string", "maxLength": TEXT_LIMIT},
        "comments": {"type": "boolean"},
    }
    for schema in keys.values():
        schema["description"] = "Page option for MkDocs or its theme."
    return dict(sorted(keys.items()))
