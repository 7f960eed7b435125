"""The one line under a running command's output that says what runs and for how long.

It is drawn only at the start of an empty line (after a command's newline, never under a
progress bar it is redrawing or a prompt waiting for an answer), erased before anything else
is written, and cut to the terminal's width so that it never wraps: `\\r` and "erase line"
then always take it away whole.
"""

from __future__ import annotations

import os
from typing import Any

from ..textsafe import visible

__all__ = ["FRAMES", "StatusLine"]

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_ERASE = "\r\x1b[2K"


class StatusLine:
    """Draws and erases the status on `out` (a terminal); the caller holds the display's lock."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.shown = False

    def draw(self, frame: str, label: str, elapsed: str) -> None:
        width = _width(self.out) - 1
        label = visible(label, keep_lines=False)
        room = max(0, width - len(frame) - len(elapsed) - 3)
        if len(label) > room:
            label = label[:max(0, room - 1)] + "…"
        self.out.write(f"{_ERASE}{frame} {label}  \x1b[2m{elapsed}\x1b[0m")
        self.out.flush()
        self.shown = True

    def erase(self) -> None:
        if self.shown:
            self.out.write(_ERASE)
            self.shown = False


def _width(out: Any) -> int:
    try:
        return os.get_terminal_size(out.fileno()).columns or 80
    except (OSError, ValueError, AttributeError):
        return 80
