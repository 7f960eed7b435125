"""`${VAR}` in a probe's number, flag and duration fields (`status: ${CODE}`, `within: ${WAIT}`).

Such a field cannot be read when the tutorial is parsed: the text is kept in `Probe.deferred`
and read by the field's own reader once its variables have values (a run, `tutor verify`), so
the value obeys the same rules as one written out (`status: 200`, `mode: "0644"`, `within: 30s`).
A value that does not (`${CODE}` is `abc`) is a `DeferredFieldError`: the runner reports it at
the probe's file and line.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from . import fields as read
from .spec import Probe
from .variables import expand

__all__ = ["DeferredFieldError", "FROM_TEXT", "resolve"]

_INTEGER = re.compile(r"[+-]?\d+")
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


def _number(text: str) -> object:
    return int(text) if _INTEGER.fullmatch(text) else text


def _numbers(text: str) -> object:
    items = [item for item in re.split(r"[\s,]+", text) if item]
    return [_number(item) for item in items] if len(items) != 1 else _number(items[0])


def _flag(text: str) -> object:
    lowered = text.lower()
    return True if lowered in _TRUE else False if lowered in _FALSE else text


FROM_TEXT: dict[read.Reader, Callable[[str], object]] = {
    read.flag: _flag,
    read.integer: _number,
    read.exit_code: _number,
    read.statuses: _numbers,
    read.duration: str,
    read.positive_duration: str,
    read.mode: str,
    read.size: str,
}
"""The readers of fields that are not text, and how an expanded text becomes what they read."""


class DeferredFieldError(ValueError):
    """A field's value, once its variables are expanded, is not what the field takes."""

    def __init__(self, name: str, written: str, value: str, message: str, hint: str) -> None:
        super().__init__(f"`{name}: {written}` is {value!r} here, which {message}")
        self.name = name
        self.hint = hint


def resolve(probe: Probe, lookup: Callable[[str], str | None]) -> Probe:
    """The probe with its deferred fields read. Raises MissingVariable or DeferredFieldError."""
    if not probe.deferred:
        return probe
    from .registry import PROBE_TYPES

    readers = PROBE_TYPES[probe.kind].readers()
    changes: dict[str, object] = {"deferred": {}}
    for name, written in probe.deferred.items():
        value = expand(written, lookup).strip()
        reader = readers[name]
        try:
            changes[name] = reader(FROM_TEXT[reader](value))
        except ValueError as exc:
            message, hint = (str(exc.args[0]), str(exc.args[1])) if len(exc.args) == 2 else (str(exc), "")
            raise DeferredFieldError(name, written, value, message, hint) from None
    if "free" in changes:  # a disk probe's size: bytes and the unit written (see fields.disk_rules)
        changes["free"], changes["free_unit"] = changes["free"]  # type: ignore[misc]
    return dataclasses.replace(probe, **changes)  # type: ignore[arg-type]
