"""Split a file into front matter and body, and read the YAML keeping every position.

MkDocs renders unparsable front matter as text without a word, and the usual front matter
libraries drop line numbers, so this reader composes PyYAML nodes itself: every key and value
keeps its mark. The resolver has no timestamp rule, so a date stays the string the author wrote
and a bad one is reported where it stands. No tag is ever constructed into an object, and
aliases are expanded under a budget, so a hostile file cannot run code or exhaust memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

from mkdocs_postmortems.core.findings import Hit, Position, define

NO_FRONT_MATTER = define(
    "PM004",
    "no-front-matter",
    "The file does not start with YAML front matter.",
    why="Severity, status and dates live in the front matter; without it the file cannot be "
    "indexed, and MkDocs would render the YAML as text.",
    fix="Start the file with a line `---`, the keys, and a closing `---` line.",
)
UNTERMINATED = define(
    "PM005",
    "unterminated-front-matter",
    "The front matter has no closing `---` line.",
    why="Without the closing line the whole file would be read as YAML.",
    fix="Add a line `---` after the last key.",
)
YAML_SYNTAX = define(
    "PM006",
    "yaml-syntax",
    "The front matter is not valid YAML.",
    why="An unparsable header hides every other problem and drops the post-mortem from the "
    "indexes.",
    fix="Fix the YAML at the position given; quote values that contain `: ` or start with a "
    "special character.",
)
NOT_MAPPING = define(
    "PM007",
    "front-matter-not-mapping",
    "The front matter is a list or a scalar, not a mapping of keys.",
    why="Every field of a post-mortem is a key; a list or a bare value has none.",
    fix="Write the front matter as `key: value` lines.",
)
UNSAFE_TAG = define(
    "PM008",
    "yaml-tag",
    "The front matter uses an explicit YAML tag such as `!!python/object`.",
    why="Tags can make a YAML loader build arbitrary objects; post-mortems need plain values, "
    "and the tool never constructs tagged values.",
    fix="Remove the tag and write a plain string, number, list or mapping.",
)
TOO_COMPLEX = define(
    "PM009",
    "yaml-too-large",
    "The front matter expands to too many values (usually through YAML aliases).",
    why="Nested aliases can expand exponentially (a 'billion laughs' file) and exhaust memory.",
    fix="Write the values out without anchors and aliases.",
)
DUPLICATE_KEY = define(
    "PM010",
    "duplicate-key",
    "A key appears twice in the same mapping.",
    why="YAML keeps only the last value, silently discarding the first.",
    fix="Remove one of the two keys.",
)

_BUDGET = 10_000
_MAX_DEPTH = 40
# Positions are kept for top-level keys and one level below (list items, impact keys).
_KEPT_DEPTH = 2
_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:timestamp",
}
_BOOL = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_OPENING = re.compile(r"---[ \t]*$")

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """The safe loader's parser and resolver, without the implicit timestamp rule."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    }
    _resolved: ClassVar[dict[str, str]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """The tag of a node, remembered for plain scalars.

        A plain scalar's tag depends on its text alone, and the same keys and values
        (``severity``, ``SEV2``, ``false``) recur in every file, so most lookups hit; a miss
        tries the resolvers for its first character, as the base method does, without its
        list building. Any other node (a quoted scalar, a list, a mapping) gets its kind's
        default tag: with no path resolvers, that is all the base method would find.
        """
        if kind is not _SCALAR_NODE or not implicit[0]:
            return _DEFAULT_TAGS[kind]
        tag = self._resolved.get(value)
        if tag is None:
            tag = _STR
            for candidate, pattern in _IMPLICIT.get(value[:1], ()):
                if pattern.match(value):
                    tag = candidate
                    break
            if len(self._resolved) >= 4096:
                self._resolved.clear()
            self._resolved[value] = tag
        return tag

    # The composer calls these two at every node to track the path for path resolvers;
    # this loader has none, so there is nothing to track (the base methods look that up).
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_SCALAR_NODE = yaml.ScalarNode
# The implicit resolvers by first character ("" for the empty scalar). The safe loader has
# none that applies to every character (PyYAML's ``None`` entry), so a scalar's first
# character is all that selects them.
_IMPLICIT: dict[str | None, list[tuple[str, Any]]] = _Loader.yaml_implicit_resolvers
_DEFAULT_TAGS = {
    yaml.ScalarNode: _Loader.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: _Loader.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: _Loader.DEFAULT_MAPPING_TAG,
}

Path_ = tuple[str | int, ...]


@dataclass
class FrontMatter:
    """The parsed front matter: values, and where every key and value stands, by path.

    Positions are kept as YAML marks and converted only when a finding asks for one: a
    clean file, the common case, never pays for the conversion.
    """

    data: dict[str, Any] = field(default_factory=dict)
    values: dict[Path_, Any] = field(default_factory=dict)
    keys: dict[Path_, Any] = field(default_factory=dict)
    end: Position = field(default_factory=lambda: Position(1))

    def value_pos(self, *path: str | int) -> Position:
        mark = self.values.get(path) or self.keys.get(path[:1])
        return _pos(mark) if mark is not None else self.end

    def key_pos(self, key: str) -> Position:
        mark = self.keys.get((key,))
        return _pos(mark) if mark is not None else self.end

    def key_pos_in(self, *path: str) -> Position | None:
        """Where a nested key (``impact.revenue``) stands, if it is there."""
        mark = self.keys.get(path)
        return _pos(mark) if mark is not None else None


@dataclass
class Split:
    """A file's text cut in two: the YAML (if any) and the body with its first line number."""

    yaml_text: str | None
    body: str
    body_line: int
    closing_line: int


def split(text: str) -> tuple[Split, Hit | None]:
    """Cut off the front matter the way MkDocs does: a ``---`` line first, ``---``/``...`` after."""
    first, _, rest = text.partition("\n")
    if not _OPENING.match(first):
        return Split(None, text, 1, 1), Hit(
            NO_FRONT_MATTER.code, Position(1, 1), "no front matter: the file must start with '---'"
        )
    closing = _CLOSING.search(rest)
    if closing is None:
        return Split(None, text, 1, 1), Hit(
            UNTERMINATED.code, Position(1, 1), "front matter opened here is never closed by '---'"
        )
    yaml_text = rest[: closing.start()]
    closing_line = 2 + yaml_text.count("\n")
    body = rest[closing.end() + 1 :]
    return Split(yaml_text, body, closing_line + 1, closing_line), None


def parse(yaml_text: str, closing_line: int) -> tuple[FrontMatter | None, list[Hit]]:
    """Parse the YAML between the ``---`` lines; line 1 of ``yaml_text`` is file line 2."""
    front = FrontMatter(end=Position(closing_line, 1))
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _pos(mark) if mark is not None else Position(2, 1)
        problem = exc.problem or "invalid YAML"
        if "mapping values are not allowed" in problem:
            # The usual cause: a value with ": " in it, such as a title.
            problem += "; a value containing ': ' must be quoted, e.g. title: \"Checkout: 500s\""
        return None, [Hit(YAML_SYNTAX.code, pos, f"invalid YAML: {problem}")]
    except yaml.YAMLError as exc:
        return None, [Hit(YAML_SYNTAX.code, Position(2, 1), f"invalid YAML: {exc}")]
    if node is None:
        return front, []
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        return None, [
            Hit(NOT_MAPPING.code, _pos(node.start_mark), f"front matter is {kind}, not a mapping")
        ]
    builder = _Builder(front)
    try:
        data = builder.build(node, ())
    except _TooLarge:
        return None, [
            Hit(
                TOO_COMPLEX.code,
                _pos(node.start_mark),
                f"front matter nests too deep or expands to more than {_BUDGET} values (aliases?)",
            )
        ]
    front.data = data if isinstance(data, dict) else {}
    return (None if builder.fatal else front), builder.hits


class _TooLarge(Exception):
    pass


class _Builder:
    """Turns nodes into plain values, recording positions and refusing tags."""

    def __init__(self, front: FrontMatter) -> None:
        self.front = front
        self.hits: list[Hit] = []
        self.budget = _BUDGET
        self.fatal = False

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.budget -= 1
        depth = len(path)
        if self.budget < 0 or depth > _MAX_DEPTH:
            # Depth also catches an alias that contains itself, which never ends.
            raise _TooLarge
        if depth <= _KEPT_DEPTH:
            self.front.values.setdefault(path, node.start_mark)
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag not in _PLAIN_TAGS:
            self.fatal = True
            self.hits.append(
                Hit(UNSAFE_TAG.code, _pos(node.start_mark), f"YAML tag '{tag}' is not allowed")
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return _scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STR:
                key = key_node.value
            else:
                key = self.build(key_node, (*path, "<key>"))
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    key = str(key)
            if key in result:
                self.hits.append(
                    Hit(DUPLICATE_KEY.code, _pos(key_node.start_mark), f"duplicate key '{key}'")
                )
            key_path = (*path, str(key))
            if len(path) < _KEPT_DEPTH:
                self.front.keys[key_path] = key_node.start_mark
            result[key] = self.build(value_node, key_path)
        return result


def _scalar(node: yaml.Node) -> Any:
    value: str = node.value
    tag = node.tag
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return _BOOL.get(value.lower(), value)
    if tag == "tag:yaml.org,2002:int":
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if tag == "tag:yaml.org,2002:float":
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    return value


def _pos(mark: Any) -> Position:
    """A YAML mark (0-based, line 0 = the line after ``---``) as a file position."""
    return Position(mark.line + 2, mark.column + 1)
