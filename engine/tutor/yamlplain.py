"""The plain YAML most frontmatters and verify blocks are written in, read in one pass over its lines.

libyaml composes a node with two marks for every value and calls back into Python to resolve
each scalar's type: 50 us for a 16-line frontmatter, 10 us for a two-line verify block, a
sixth of a whole parse, for documents that are nearly always block mappings and sequences of
one-line scalars. `read_plain` reads exactly that shape and gives up (None) on anything else:
comments after a value and the escapes `\\"` `\\\\` `\\/` are the only extras it takes; block
scalars, multi-line strings, other escapes, anchors, tags, flow mappings, empty values, repeated keys, tabs and characters YAML
refuses are left to libyaml, which stays the reference. Plain scalars are typed by PyYAML's
own resolver and constructors, so `yes`, `0x1F` or `2026-11-22` read as they always have.
tests/model/test_yaml_plain.py checks the two agree on generated documents and on every
frontmatter and verify block of the corpus.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

_LINE = re.compile(r"^( *)(?:#.*|(- (?! ))?(?:([A-Za-z_][A-Za-z0-9_.-]*):(?: +(.*\S))?|(.*\S)))? *$", re.MULTILINE)
"""One line: its indent, `- ` (an item), then `key: value` (`key:` when a block follows), or any other
text; a comment line or a blank one has neither. Trailing spaces are left out."""
_DOUBLE = re.compile(r'"([^"\\]*(?:\\["\\/][^"\\]*)*)"(?:[ ]+#.*)?\Z')
"""A double-quoted string on one line whose only escapes are `\\"`, `\\\\` and `\\/` (shell commands have many)."""
_ESCAPED = re.compile(r'\\(["\\/])')
_SINGLE = re.compile(r"'([^']*)'(?:[ ]+#.*)?\Z")
_FLOW = re.compile(r"\[([^\[\]{}#:]*)\](?:[ ]+#.*)?\Z")
_REFUSED = re.compile("[^\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
"""What this reader does not take anywhere in a document: tabs, carriage returns, the line
breaks YAML knows beside \\n (NEL, U+2028, U+2029), a byte order mark, and what YAML refuses (control characters)."""
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
"""A plain scalar starting with one of these is something else (or a rarer form of a scalar)."""
_STR = "tag:yaml.org,2002:str"
_KEPT = 4096

_resolver = Resolver()
_constructor = SafeConstructor()
_scalars: dict[str, tuple[str, Any]] = {}
"""Plain scalar text → (tag, value): the same `true`, `8080` and dates recur in every file (all immutable)."""
_values: dict[str, Any] = {}
"""A value's text as written (quotes and comment included) → its value, for scalars (all immutable)."""
_UNKNOWN: Any = object()


class Plain:
    """A document `read_plain` read, with the lines `Located` gives (0-based)."""

    __slots__ = ("value", "_key_lines", "_item_lines", "_root_items")

    def __init__(self, value: Any, key_lines: dict[str, int], item_lines: dict[str, list[int]], root_items: list[int]) -> None:
        self.value = value
        self._key_lines, self._item_lines, self._root_items = key_lines, item_lines, root_items

    def key_lines(self) -> dict[str, int]:
        return self._key_lines

    def item_lines(self, key: str) -> list[int]:
        return self._item_lines.get(key, [])

    def root_item_lines(self) -> list[int]:
        return self._root_items


class _GiveUp(Exception):
    """The document is not of the plain shape: libyaml reads it."""


def read_plain(text: str) -> Plain | None:
    """`text` read as YAML if it is of the plain shape, else None."""
    if _REFUSED.search(text) is not None:
        return None
    # (line, indent, after "- "?, key, value after "key: ", other text), blank and comment lines left out
    entries = [(number, len(m[1]), m[2] is not None, m[3], m[4], m[5])
               for number, m in enumerate(_LINE.finditer(text)) if m[3] is not None or m[5] is not None]
    if not entries:
        return None
    reader = _Reader(entries)
    try:
        value, lines = reader.node(entries[0][1], 0)
    except _GiveUp:
        return None
    if reader.at < len(entries):
        return None  # a line out of place: libyaml says what is wrong with it
    if isinstance(value, dict):
        return Plain(value, reader.top_keys, reader.top_items, [])
    return Plain(value, {}, {}, lines)


Entry = tuple[int, int, bool, "str | None", "str | None", "str | None"]


class _Reader:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.count = len(entries)
        self.at = 0
        self.top_keys: dict[str, int] = {}
        self.top_items: dict[str, list[int]] = {}

    def node(self, indent: int, depth: int) -> tuple[Any, list[int]]:
        """The block mapping or sequence whose lines start at `indent`, and the lines of its items."""
        if depth > 20:
            raise _GiveUp
        if self.entries[self.at][2]:
            return self.sequence(indent, depth)
        return self.mapping(indent, depth, None)

    def sequence(self, indent: int, depth: int) -> tuple[list[Any], list[int]]:
        items: list[Any] = []
        lines: list[int] = []
        entries, count = self.entries, self.count
        while self.at < count:
            entry = entries[self.at]
            if entry[1] != indent or not entry[2]:
                break
            self.at += 1
            lines.append(entry[0])
            if entry[3] is not None:
                items.append(self.mapping(indent + 2, depth + 1, entry)[0])
            else:
                items.append(_scalar(entry[5])[0])  # type: ignore[arg-type]
                if self.at < count and entries[self.at][1] > indent:
                    raise _GiveUp  # a line that continues the scalar (folded)
        return items, lines

    def mapping(self, indent: int, depth: int, first: Entry | None) -> tuple[dict[str, Any], list[int]]:
        out: dict[str, Any] = {}
        lines: list[int] = []
        top = depth == 0
        entries, count = self.entries, self.count
        while True:
            if first is not None:
                entry, first = first, None
            else:
                if self.at >= count:
                    break
                entry = entries[self.at]
                if entry[1] != indent or entry[2]:
                    break
                self.at += 1
            number, _, _, key, rest, _ = entry
            if key is None or key in out or _resolve(key)[0] != _STR:
                raise _GiveUp  # not `key: …`; a repeated key (an error libyaml reports); `true:` (not a string key)
            item_lines: list[int]
            if rest:
                value, items = _scalar(rest)
                item_lines = [number] * items  # a flow list's items are all on its line
                if self.at < count and entries[self.at][1] > indent:
                    raise _GiveUp  # a line that continues the scalar (folded)
            elif self.at < count and (entries[self.at][1] > indent or (entries[self.at][1] == indent and entries[self.at][2])):
                value, item_lines = self.node(entries[self.at][1], depth + 1)
            else:
                raise _GiveUp  # an empty value
            out[key] = value
            lines.append(number)
            if top:
                self.top_keys[key] = number
                if isinstance(value, (list, dict)):
                    self.top_items[key] = item_lines
        return out, lines


def _scalar(text: str) -> tuple[Any, int]:
    """The value of a one-line scalar or flow list, and its number of items (0 for a scalar)."""
    known = _values.get(text, _UNKNOWN)
    if known is not _UNKNOWN:
        return known, 0
    first = text[0]
    if first == '"' or first == "'":
        value = _quoted(text)
        _remember(text, value)
        return value, 0
    if first == "[":
        match = _FLOW.match(text)
        if match is None:
            raise _GiveUp
        inner = match.group(1).strip(" ")
        if not inner:
            return [], 0
        items = [_flow_item(part.strip(" ")) for part in inner.split(",")]
        return items, len(items)
    comment = text.find(" #")
    value = _plain(text if comment < 0 else text[:comment].rstrip(" "))
    _remember(text, value)
    return value, 0


def _remember(text: str, value: Any) -> None:
    if len(_values) < _KEPT and len(text) <= 64:
        _values[text] = value


def _flow_item(text: str) -> Any:
    if not text:
        raise _GiveUp
    if text[0] == '"' or text[0] == "'":
        return _quoted(text)
    return _plain(text)


def _quoted(text: str) -> str:
    match = (_DOUBLE if text[0] == '"' else _SINGLE).match(text)
    if match is None:
        raise _GiveUp
    value = match.group(1)
    return _ESCAPED.sub(r"\1", value) if text[0] == '"' and "\\" in value else value


def _plain(text: str) -> Any:
    if text[0] in _INDICATORS or ": " in text or text.endswith(":"):
        raise _GiveUp
    return _resolve(text)[1]


def _resolve(text: str) -> tuple[str, Any]:
    known = _scalars.get(text)
    if known is not None:
        return known
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))
    if tag == _STR:
        known = (tag, text)
    else:
        make = _constructor.yaml_constructors.get(tag)
        if make is None or tag.endswith((":seq", ":map")):
            raise _GiveUp
        try:
            known = (tag, make(_constructor, yaml.ScalarNode(tag, text)))
        except Exception:  # noqa: BLE001 - `2024-02-30`: libyaml's way reports it
            raise _GiveUp from None
    if len(_scalars) < _KEPT and len(text) <= 64:
        _scalars[text] = known
    return known
