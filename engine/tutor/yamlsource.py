"""YAML with line numbers, and with a bound on what aliases may expand to.

The parser needs the line of every frontmatter key (diagnostics point at it) and
`--fix` needs the exact span of a value to rewrite it in place. Composing once
with libyaml when present keeps this as cheap as a plain `yaml.safe_load`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from .yamlplain import Plain, read_plain

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAGS_KEPT = 4096


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, remembering the tag of each plain scalar it has resolved.

    Resolving runs a regular expression per scalar, in Python, for every frontmatter and
    every verify block; the safe loader has no path resolvers, so a scalar's tag depends on
    its text and its style alone, and the same `true`, `8080` or `"$VAR"` recur everywhere."""

    _tags: dict[tuple[str, tuple[bool, bool]], str] = {}

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            if len(self._tags) >= _TAGS_KEPT or len(value) > 64:
                return super().resolve(kind, value, implicit)
            tag = self._tags[key] = super().resolve(kind, value, implicit)
        return tag

MAX_EXPANDED_NODES = 20_000
"""A document whose aliases expand past this many nodes is refused (a "YAML bomb")."""
MAX_EXPANDED_BYTES = 4 * 1024 * 1024
"""...or past this many characters of scalar text: few nodes can still repeat a long string."""


class YamlProblem(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        """0-based line in the YAML text."""


@dataclass
class Located:
    """A loaded YAML document plus the node tree for positions."""

    value: Any
    node: yaml.Node | None

    def key_lines(self) -> dict[str, int]:
        """0-based line of each top-level key of a mapping document."""
        if not isinstance(self.node, yaml.MappingNode):
            return {}
        return {str(k.value): k.start_mark.line for k, _ in self.node.value if isinstance(k, yaml.ScalarNode)}

    def value_node(self, key: str) -> yaml.Node | None:
        if not isinstance(self.node, yaml.MappingNode):
            return None
        for k, v in self.node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
        return None

    def item_lines(self, key: str) -> list[int]:
        """0-based line of each item of a top-level sequence (or mapping) value."""
        node = self.value_node(key)
        if isinstance(node, yaml.SequenceNode):
            return [item.start_mark.line for item in node.value]
        if isinstance(node, yaml.MappingNode):
            return [k.start_mark.line for k, _ in node.value]
        return []


    def root_item_lines(self) -> list[int]:
        """0-based line of each item of a sequence document."""
        if isinstance(self.node, yaml.SequenceNode):
            return [item.start_mark.line for item in self.node.value]
        return []


def load_located(text: str) -> Located:
    """Load one YAML document, raising YamlProblem with a line for anything wrong."""
    return _load(text, construct=True)


def load_lines(text: str) -> Located | Plain:
    """Load one YAML document for its value and lines only (no node): in one pass over its
    lines when it is of the plain shape (`yamlplain`), else as `load_located` does."""
    return read_plain(text) or load_located(text)


def check_syntax(text: str) -> None:
    """Raise YamlProblem if `text` is not one YAML document (one of the plain shape is, see `yamlplain`)."""
    if read_plain(text) is None:
        _load(text, construct=False)


def _load(text: str, construct: bool) -> Located:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located(None, None)
        if "*" in text:  # only aliases can expand; most documents have none
            _check_expansion(node)
        value = None
        if construct:
            try:
                # Aliases (shared values) and explicit tags take the full way.
                value = _plain_value(loader, node) if "*" not in text and "!" not in text else _SLOW
            except Exception:  # noqa: BLE001 - whatever it is, the full way reports it as it always has
                value = _SLOW
            if value is _SLOW:
                _refuse_duplicate_keys(node)
                value = _construct(loader, node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and exc.context_mark is not None and mark.line >= text.count("\n"):
            mark = exc.context_mark  # "got <stream end>": the opening construct is the useful place
        line = mark.line if mark is not None else 0
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{exc.context}, {problem}"
        raise YamlProblem(problem, line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc).splitlines()[0], 0) from None
    except RecursionError:
        raise YamlProblem("the document nests too deeply", 0) from None
    finally:
        loader.dispose()
    return Located(value, node)


_SLOW: Any = object()
"""What `_plain_value` returns for a document it leaves to PyYAML's constructor."""
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _plain_value(loader: Any, node: yaml.Node) -> Any:
    """The value of a document of plain mappings, sequences and scalars, built in one walk
    (PyYAML's constructor costs most of a frontmatter's load), or `_SLOW` for anything else:
    a repeated or non-scalar key, a merge key, a tag without a constructor. A scalar that does
    not construct raises; the caller then takes the full way, which reports it."""
    kind = type(node)
    if kind is yaml.ScalarNode:
        tag = node.tag
        if tag == _STR:
            return node.value
        make = loader.yaml_constructors.get(tag)
        return _SLOW if make is None or tag in (_SEQ, _MAP) else make(loader, node)
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        items = []
        for item in node.value:
            value = item.value if type(item) is yaml.ScalarNode and item.tag == _STR else _plain_value(loader, item)
            if value is _SLOW:
                return _SLOW
            items.append(value)
        return items
    if kind is yaml.MappingNode and node.tag == _MAP:
        out: dict[Any, Any] = {}
        raw: set[str] = set()
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode or key_node.value in raw or key_node.tag not in _PLAIN_KEY_TAGS:
                return _SLOW
            raw.add(key_node.value)
            key = key_node.value if key_node.tag == _STR else _plain_value(loader, key_node)
            if type(value_node) is yaml.ScalarNode and value_node.tag == _STR:
                value = value_node.value  # most values: read here, not in a call of its own
            else:
                value = _plain_value(loader, value_node)
            if value is _SLOW or key is _SLOW:
                return _SLOW
            out[key] = value
        return out
    return _SLOW


_PLAIN_KEY_TAGS = frozenset({_STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
                             "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"})
"""Keys `_plain_value` builds (not `<<`, a merge)."""


def _refuse_duplicate_keys(root: yaml.Node) -> None:
    """PyYAML keeps the last of two equal keys without a word, and `--fix` would then edit
    the other one: a repeated key is an error naming both lines."""
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:  # an alias: already checked where it is defined
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    line = key.start_mark.line
                    if key.value in first:
                        raise YamlProblem(
                            f"the key `{key.value[:60]}` appears twice, on lines {first[key.value] + 1} and "
                            f"{line + 1}; YAML keeps only the last one", line)
                    first[key.value] = line
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _construct(loader: Any, root: yaml.Node) -> Any:
    """Build the Python values; a scalar PyYAML cannot turn into one (`2024-02-30`, `!!int ""`,
    an int of 5,000 digits) becomes a YamlProblem at its line, not an exception."""
    try:
        return loader.construct_document(root)
    except (ValueError, IndexError, OverflowError, TypeError, AttributeError) as exc:
        node = _failing_scalar(loader, root)
        line = node.start_mark.line if node is not None else root.start_mark.line
        if node is None or not node.value:
            what = "an empty value" if node is not None else "a value"
        else:
            what = f"`{node.value[:40]}{'…' if len(node.value) > 40 else ''}`"
        reason = str(exc).split(";")[0][:120]
        raise YamlProblem(f"{what} cannot be read as its YAML type ({reason})", line) from None


def _failing_scalar(loader: Any, root: yaml.Node) -> yaml.ScalarNode | None:
    """The first scalar of the document that does not construct on its own."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node, deep=True)
            except Exception:  # noqa: BLE001 - any failure marks the culprit
                return node
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))
    return None


def _check_expansion(root: yaml.Node) -> None:
    """Refuse documents whose aliases would expand to a huge tree when walked."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise YamlProblem("the document refers to itself through an alias", node.start_mark.line)
        visiting.add(key)
        total = 1
        if isinstance(node, yaml.ScalarNode):
            total += len(node.value) * MAX_EXPANDED_NODES // MAX_EXPANDED_BYTES
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item)
                if total > MAX_EXPANDED_NODES:
                    break
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k) + size(v)
                if total > MAX_EXPANDED_NODES:
                    break
        visiting.discard(key)
        if total > MAX_EXPANDED_NODES:
            raise YamlProblem(
                f"aliases expand this document past {MAX_EXPANDED_NODES:,} values or "
                f"{MAX_EXPANDED_BYTES // (1024 * 1024)} MB of text (a \"YAML bomb\")",
                node.start_mark.line,
            )
        sizes[key] = total
        return total

    size(root)
