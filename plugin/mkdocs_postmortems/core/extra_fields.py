"""A team's own front-matter keys (``extra_fields``): declared once, typed, checked with
positions, and carried to the site, the catalogue and the editor schema.

```yaml
extra_fields:
  customer_tier: {type: one-of, values: [gold, silver, bronze], required: true}
  region: {type: string, label: Region}
  detection_source: {type: one-of, values: [alert, customer, employee]}
  cost_eur: {type: number}
  review_meeting: {type: date}
  teams: {type: list}
```
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from mkdocs_postmortems.core.dates import parse_date
from mkdocs_postmortems.core.findings import Hit, define
from mkdocs_postmortems.core.model import PostMortem

TYPES = ("string", "number", "date", "list", "one-of")
SPEC_KEYS = ("type", "values", "required", "label", "description", "internal")
_NAME = re.compile(r"[a-z][a-z0-9_]*")

INVALID_EXTRA = define(
    "PM115",
    "invalid-extra-field",
    "A team-defined field (`extra_fields`) has a value of the wrong type or outside its values.",
    why="Custom fields are filtered and compared across incidents; `Gold` and `gold`, or a "
    "number written as text, split one group into two.",
    fix="Write the value as the configuration declares it: the message names the type, or "
    "lists the allowed values.",
)
MISSING_EXTRA = define(
    "PM116",
    "missing-extra-field",
    "A team-defined field that the configuration marks `required: true` is missing.",
    why="The team decided every write-up records it, so that every incident can be found by it.",
    fix="Add the key to the front matter; `postmortems schema` lists it for editors.",
)


@dataclass(frozen=True)
class ExtraField:
    """One declared key: its type, allowed values (``one-of``), and whether it is required."""

    name: str
    type: str
    values: tuple[str, ...] = ()
    required: bool = False
    label: str = ""
    description: str = ""
    #: Left out of the public edition (``core.edition``), however public the post-mortem.
    internal: bool = False

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    @property
    def filterable(self) -> bool:
        """Text-like fields get a select in the incident explorer; numbers and dates do not."""
        return self.type in ("string", "one-of", "list")


def declare(value: Any, reserved: Collection[str]) -> tuple[ExtraField, ...]:
    """The ``extra_fields`` option read into fields; a ``ValueError`` names what is wrong.

    ``reserved`` are the keys the tool defines itself, which a team cannot redefine.
    """
    where = "option 'postmortems.extra_fields'"
    if not isinstance(value, dict):
        raise ValueError(f"{where} must map field names to their declarations")
    fields = []
    for name, spec in value.items():
        here = f"{where}.{name}"
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ValueError(f"{where}: '{name}' must be lower case letters, digits and _")
        if name in reserved:
            raise ValueError(f"{where}: '{name}' is a key the tool defines already")
        if isinstance(spec, str):
            spec = {"type": spec}
        if not isinstance(spec, dict):
            raise ValueError(f"{here} must be a mapping such as {{type: string}}")
        unknown = sorted(set(spec) - set(SPEC_KEYS))
        if unknown:
            raise ValueError(f"{here}: unknown key '{unknown[0]}'; use {', '.join(SPEC_KEYS)}")
        kind = spec.get("type")
        if kind not in TYPES:
            raise ValueError(f"{here}.type must be one of {', '.join(TYPES)}")
        values = spec.get("values")
        if kind == "one-of":
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) and v.strip() for v in values)
            ):
                raise ValueError(f"{here}.values must be a non-empty list of strings")
            if len(set(values)) != len(values):
                raise ValueError(f"{here}.values lists a value twice")
        elif values is not None:
            raise ValueError(f"{here}.values is only for type one-of")
        required, internal = spec.get("required", False), spec.get("internal", False)
        if not isinstance(required, bool):
            raise ValueError(f"{here}.required must be true or false")
        if not isinstance(internal, bool):
            raise ValueError(f"{here}.internal must be true or false")
        texts = {key: spec.get(key, "") for key in ("label", "description")}
        for key, text in texts.items():
            if not isinstance(text, str):
                raise ValueError(f"{here}.{key} must be a string")
        fields.append(
            ExtraField(
                name,
                kind,
                tuple(values or ()),
                required,
                texts["label"],
                texts["description"],
                internal,
            )
        )
    return tuple(fields)


def read_extra(pm: PostMortem, fields: tuple[ExtraField, ...]) -> Iterator[Hit]:
    """Check the declared keys of a post-mortem and keep their values in ``pm.extra``."""
    front = pm.front
    if front is None:
        return
    for spec in fields:
        if spec.name not in front.data or front.data[spec.name] is None:
            if spec.required:
                yield Hit(
                    MISSING_EXTRA.code,
                    front.end,
                    f"missing required key '{spec.name}' (declared in extra_fields)",
                )
            continue
        raw = front.data[spec.name]
        value, problem = _typed(spec, raw)
        if problem:
            yield Hit(INVALID_EXTRA.code, front.value_pos(spec.name), f"'{spec.name}' {problem}")
        else:
            pm.extra[spec.name] = value


def _typed(spec: ExtraField, raw: Any) -> tuple[Any, str]:
    """The value in its declared type, or the reason it is not one."""
    if spec.type == "number":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return raw, ""
        return None, f"must be a number, not {_shown(raw)}"
    if spec.type == "date":
        if isinstance(raw, date):
            return raw, ""
        try:
            return parse_date(str(raw)), ""
        except ValueError:
            return None, f"must be a date YYYY-MM-DD, not {_shown(raw)}"
    if spec.type == "list":
        items = raw if isinstance(raw, list) else None
        if items is None or not all(_is_text(i) for i in items):
            return None, f"must be a list of strings, e.g. `{spec.name}: [a, b]`"
        return [str(i).strip() for i in items], ""
    if not _is_text(raw):
        return None, f"must be a string, not {_shown(raw)}"
    text = str(raw).strip()
    if spec.type == "one-of" and text not in spec.values:
        return None, f"is {_shown(text)}; use one of {', '.join(spec.values)}"
    return text, ""


def _shown(value: Any) -> str:
    """A value as a message quotes it: short text as written, anything else by its kind
    (a message must not carry a whole hostile list or a megabyte of text)."""
    if isinstance(value, str):
        return f"'{value[:60]}...'" if len(value) > 60 else f"'{value}'"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "a mapping" if isinstance(value, dict) else "an empty value"


def _is_text(value: Any) -> bool:
    return (
        isinstance(value, (str, int, float))
        and not isinstance(value, bool)
        and bool(str(value).strip())
    )


def as_texts(value: Any) -> list[str]:
    """A kept value as the strings pages show and filter by."""
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, date):
        return [value.isoformat()]
    return [f"{value:g}" if isinstance(value, float) else str(value)]
