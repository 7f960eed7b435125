"""Escape sequences a command's output must not send to the operator's terminal raw.

OSC 52 writes the terminal's clipboard; OSC 0, 1 and 2 set the window and icon title. A command
(or a file it cats) could use them to plant a command in the clipboard or fake a title, so they
are dropped from what the runner shows; colours and cursor movement pass through. Output comes
in chunks, so an unterminated OSC at the end of a chunk is held until it ends (and dropped
entirely if it grows past `_MAX_HELD`, which no honest title or clipboard text does).
"""

from __future__ import annotations

import re

__all__ = ["OscFilter"]

_DROPPED = re.compile(r"\x1b\](?:0|1|2|52);[^\x07\x1b]*(?:\x07|\x1b\\)|\x9d(?:0|1|2|52);[^\x07\x9c]*(?:\x07|\x9c)")
_OPEN = re.compile(r"(?:\x1b(?:\](?:[0-9]{0,2}(?:;[^\x07\x1b]*)?)?)?|\x9d[^\x07\x9c]*)$")
_MAX_HELD = 1 << 20


class OscFilter:
    """`feed(chunk)` returns the chunk without clipboard and title sequences; `flush()` the rest."""

    def __init__(self) -> None:
        self._held = ""

    def feed(self, chunk: str) -> str:
        text = self._held + chunk if self._held else chunk
        self._held = ""
        if "\x1b" not in text and "\x9d" not in text:
            return text
        text = _DROPPED.sub("", text)
        tail = _OPEN.search(text, max(0, text.rfind("\x1b"), text.rfind("\x9d")))
        if tail is not None and tail.start() < len(text):
            held = text[tail.start():]
            text = text[:tail.start()]
            if len(held) <= _MAX_HELD:
                self._held = held
        return text

    def flush(self) -> str:
        """What is held at the end of the output: an OSC that never ended is dropped if it is one of ours."""
        held, self._held = self._held, ""
        return "" if re.match(r"(?:\x1b\]|\x9d)(?:0|1|2|52)(?:;|$)", held) else held
