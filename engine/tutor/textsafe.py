"""Text from a tutorial as a terminal or a log shows it: control characters visible, values short.

What a reviewer reads must be what runs, so a control character in a block, a frontmatter
value or a check's output is never sent to a terminal to interpret: ESC shows as `␛`, a
carriage return as `^M`, other C0 controls in caret notation, and the characters that
reorder or hide text (bidirectional overrides, zero-width marks) as `<U+XXXX>`.
"""

from __future__ import annotations

import re

__all__ = ["EXCERPT", "excerpt", "has_control", "storable", "visible"]

EXCERPT = 60
"""How many characters of a value a message shows."""

_HIDDEN = "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _HIDDEN + "]")
_CONTROL_OR_BREAK = re.compile("[\x00-\x1f\x7f-\x9f" + _HIDDEN + "]")


def _show(char: str) -> str:
    code = ord(char)
    if code == 0x1B:
        return "␛"
    if code < 0x20:
        return "^" + chr(code + 0x40)
    if code == 0x7F:
        return "^?"
    return f"<U+{code:04X}>"


def visible(text: str, *, keep_lines: bool = True) -> str:
    """The text with its control characters made visible; line breaks and tabs stay when
    `keep_lines` (a code block), else they too become visible (a one-line value)."""
    pattern = _CONTROL if keep_lines else _CONTROL_OR_BREAK
    return pattern.sub(lambda m: _show(m.group(0)), text)


def has_control(text: str) -> bool:
    """Whether the text holds a control character other than a line break or a tab."""
    return _CONTROL.search(text) is not None


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """A short, one-line, visible excerpt of a value for a message (never the whole of a big one)."""
    text = value if isinstance(value, str) else _short_repr(value, limit)
    if len(text) > limit:
        text = text[:limit] + "…"
    return visible(text, keep_lines=False)


def _short_repr(value: object, limit: int, depth: int = 0) -> str:
    """A repr that costs about `limit` characters, whatever the value's size."""
    if isinstance(value, str):
        return repr(value[:limit])
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        bits = value.bit_length()
        if bits > 3 * limit:  # printing a 5000-digit int costs quadratic time, and Python refuses
            return f"an integer of about {int(bits * 0.30103) + 1} digits"
        return str(value)
    if depth > 2:
        return "…"
    if isinstance(value, dict):
        items = [f"{_short_repr(k, limit, depth + 1)}: {_short_repr(v, limit, depth + 1)}" for k, v in _first(value.items())]
        return "{" + ", ".join(items) + (", …" if len(value) > 4 else "") + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_short_repr(item, limit, depth + 1) for item in _first(value)]
        return "[" + ", ".join(items) + (", …" if len(value) > 4 else "") + "]"
    return type(value).__name__


def _first(items: object, count: int = 4) -> list:  # type: ignore[type-arg]
    from itertools import islice

    return list(islice(items, count))  # type: ignore[call-overload]


def storable(text: str) -> str:
    """The text as a UTF-8 file or a JSON document can hold it: a lone surrogate (a byte that was
    not UTF-8, kept by `surrogateescape`, e.g. in an exported value or a folder name) becomes U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text
