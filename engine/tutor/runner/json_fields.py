"""Reading the fields of a JSON object the runner wrote earlier (the state file), types and ranges checked.

A state file is input like any other: edited by hand, truncated by a full disk, written by a
newer tutor. Each reader takes the object, the key and where the object sits (for the message),
and returns the value with the type the code expects, or raises `BadField` saying which field
is wrong and how: a wrong type never travels into the runner as a `TypeError` later.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from ..textsafe import excerpt

__all__ = ["BadField", "boolean", "entries", "integer", "name_map", "object_at", "optional_integer",
           "optional_text", "text", "text_list", "word"]

_MISSING = object()
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _shown(value: Any) -> str:
    return f'"{excerpt(value)}"' if isinstance(value, str) else excerpt(value)


class BadField(ValueError):
    """A field of the wrong type, out of range, or missing; `str()` says which and how."""


def object_at(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise BadField(f"{where} is {_shown(value)}, not an object")
    return value


def _get(data: Mapping[str, Any], key: str, where: str, default: Any) -> Any:
    value = data.get(key, _MISSING)
    if value is _MISSING:
        if default is _MISSING:
            raise BadField(f"{where} has no `{key}`")
        return default
    return value


def text(data: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> str:
    value = _get(data, key, where, default)
    if not isinstance(value, str):
        raise BadField(f"{where}.{key} is {_shown(value)}, not a text")
    return value


def optional_text(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    return None if value is None else text(data, key, where)


def word(data: Mapping[str, Any], key: str, where: str, allowed: Collection[str], default: Any = _MISSING) -> str:
    """A text from a closed set (a status)."""
    value = text(data, key, where, default)
    if value not in allowed:
        raise BadField(f"{where}.{key} is {_shown(value)}, not one of {', '.join(sorted(allowed))}")
    return value


def integer(data: Mapping[str, Any], key: str, where: str, low: int, high: int, default: Any = _MISSING) -> int:
    value = _get(data, key, where, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadField(f"{where}.{key} is {_shown(value)}, not a whole number")
    if not low <= value <= high:
        raise BadField(f"{where}.{key} is {_shown(value)}, outside {low}…{high}")
    return value


def optional_integer(data: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int | None:
    return None if data.get(key) is None else integer(data, key, where, low, high)


def boolean(data: Mapping[str, Any], key: str, where: str, default: Any = _MISSING) -> bool:
    value = _get(data, key, where, default)
    if not isinstance(value, bool):
        raise BadField(f"{where}.{key} is {_shown(value)}, not true or false")
    return value


def text_list(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    items = entries(data, key, where)
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise BadField(f"{where}.{key}[{index}] is {_shown(item)}, not a text")
    return list(items)


def entries(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    """A list (absent or null: empty)."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadField(f"{where}.{key} is {_shown(value)}, not a list")
    return value


def name_map(data: Mapping[str, Any], key: str, where: str) -> dict[str, str]:
    """Variable name → value (absent or null: empty). Both go into a process's environment, so the
    names are shell names and the values hold no NUL character."""
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadField(f"{where}.{key} is {_shown(value)}, not an object")
    for name, item in value.items():
        if not _NAME.fullmatch(name):
            raise BadField(f"{where}.{key} has the key {_shown(name)}, which is not a variable name")
        if not isinstance(item, str):
            raise BadField(f"{where}.{key}.{name} is {_shown(item)}, not a text")
        if "\0" in item:
            raise BadField(f"{where}.{key}.{name} holds a NUL character, which no environment variable can hold")
    return dict(value)
