"""`${VAR}` and `$VAR` in probe fields: finding them, expanding them, keeping secrets out of sight.

A `$` followed by a letter or `{` can never match anything in a regular expression
(it anchors an end of line that a letter cannot follow), so expanding variables in
regex fields takes nothing away; their values are inserted as literal text.
`$$` stands for a literal `$`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

from ..secret_names import MASK, is_secret_name

_REFERENCE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*)|(\$))")
# In shell text `${NAME:-default}` and friends also read NAME.
_SHELL_REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_SHELL_ASSIGNMENT = re.compile(r"(?:^|[\s;&|(])(?:for\s+)?([A-Za-z_][A-Za-z0-9_]*)(?:=|\s+in\b)")


class MissingVariable(Exception):
    """A field refers to a variable that has no value in this run."""

    def __init__(self, name: str) -> None:
        super().__init__(f"variable {name} has no value")
        self.name = name


def references(text: str) -> set[str]:
    """The variable names a probe field refers to (`$$` is a literal dollar, not a reference)."""
    if "$" not in text:
        return set()
    return {m.group(1) or m.group(2) for m in _REFERENCE.finditer(text) if not m.group(3)}


def shell_references(command: str) -> set[str]:
    """The names a shell command reads, minus those it assigns itself (`X=…`, `for X in`)."""
    return set(_SHELL_REFERENCE.findall(command)) - set(_SHELL_ASSIGNMENT.findall(command))


def expand(text: str, lookup: Callable[[str], str | None], *, literal: bool = False, lenient: bool = False) -> str:
    """Replace each reference with its value.

    `literal` escapes values for use inside a regular expression. An unknown name raises
    MissingVariable, or with `lenient` stays as written (for sentences and hints).
    """

    def replace(match: re.Match[str]) -> str:
        if match.group(3):
            return "$"
        name = match.group(1) or match.group(2)
        value = lookup(name)
        if value is None:
            if lenient:
                return match.group(0)
            raise MissingVariable(name)
        return re.escape(value) if literal else value

    return _REFERENCE.sub(replace, text)


def placeholder(text: str) -> str:
    """The text with each reference replaced by a plain word: for validating a regex before values exist."""
    return _REFERENCE.sub(lambda m: "$" if m.group(3) else "x", text)


def masked_lookup(
    variables: Mapping[str, str] | None, secrets: Collection[str] = ()
) -> Callable[[str], str | None]:
    """A lookup for display: known values, except secret ones, which read `***`."""
    values = variables or {}

    def lookup(name: str) -> str | None:
        if name not in values:
            return None
        return MASK if (name in secrets or is_secret_name(name)) else str(values[name])

    return lookup


def scrub(text: str, secret_values: Collection[str]) -> str:
    """Remove secret values from observed text (command output, bodies) before it is shown."""
    for value in sorted(secret_values, key=len, reverse=True):
        if len(value) >= 4:
            text = text.replace(value, MASK)
    return text
