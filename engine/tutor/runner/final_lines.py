"""Output as a terminal leaves it, line by line: what the transcript stores and a pipe is given.

A terminal draws a `\\r` progress bar ("\\r 10%" … "\\r100%\\n") in place; a file or a pipe
would get every redraw glued on one line. `FinalLines` turns a stream of output into its final
lines: colours and other escape sequences removed, each line as the last `\\r` redraw left it.

Its cost is linear in the output: the line being built is kept as pieces and folded (redraws
applied) only when it grows past `LONG_LINE`; a long line without any `\\r` is given out in
pieces before its newline (on a terminal, too, a `\\r` only goes back to the start of the last
row a long line wrapped onto).
"""

from __future__ import annotations

import re

__all__ = ["ESCAPES", "FinalLines", "LONG_LINE", "plain"]

ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"          # CSI: colours, cursor movement
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: window titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*\x1b\\"         # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]"                    # two-character sequences
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"  # other control characters (not \t \n \r)
)
_PARTIAL_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|[PX^_][^\x1b]*)?$")
LONG_LINE = 65536
"""Characters of an unfinished line kept before it is folded."""
_TAIL = 4096
"""Characters of a long line without `\\r` kept back when the rest of it is given out."""


_SPECIAL = ("\r", "\x1b", "\x08", "\x07", "\x00", "\x7f")
"""What a line must hold for `plain` to change it, in practice (`str.find` is ten times faster than
a regex class; a line with only a rarer control character keeps it)."""


def plain(line: str) -> str:
    """A line as a terminal leaves it: escapes removed, text after `\\r` written over what was there."""
    if not any(special in line for special in _SPECIAL):
        return line
    line = ESCAPES.sub("", line)
    if "\r" not in line:
        return line
    shown = ""
    for part in line.split("\r"):
        shown = part + shown[len(part):]
    return shown


class FinalLines:
    """`feed(text)` returns the final form of the lines `text` completes (and of the start of a very
    long line); `flush()` the final form of the unfinished line, without a newline."""

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._size = 0
        self._fold_at = LONG_LINE

    @property
    def at_line_start(self) -> bool:
        return not self._pieces

    def feed(self, text: str) -> str:
        if not text:
            return ""
        end = text.rfind("\n")
        if end < 0:
            self._pieces.append(text)
            self._size += len(text)
            return self._fold() if self._size > self._fold_at else ""
        line = "".join(self._pieces) + text[:end] if self._pieces else text[:end]
        rest = text[end + 1:]
        self._pieces = [rest] if rest else []
        self._size = len(rest)
        self._fold_at = LONG_LINE
        if not any(special in line for special in _SPECIAL):  # plain text, by fast scans: no copy
            return line + "\n"
        return "\n".join(plain(part) for part in line.split("\n")) + "\n"

    def flush(self) -> str:
        line = "".join(self._pieces)
        self._pieces, self._size, self._fold_at = [], 0, LONG_LINE
        return plain(line)

    def _fold(self) -> str:
        """Apply the redraws of the unfinished line; give out the start of a long one. Returns what
        is given out (no newline)."""
        line = "".join(self._pieces)
        escape = line.rfind("\x1b")
        if escape >= 0 and _PARTIAL_ESCAPE.search(line, escape):
            # An escape sequence is not finished yet: fold later (twice as far), never each time.
            self._pieces, self._fold_at = [line], 2 * len(line)
            return ""
        cr = line.rfind("\r")
        # The text after the last \r is where the cursor is: it stays as written, over what is before.
        base, current = (plain(line[:cr]), line[cr:]) if cr >= 0 else (plain(line), "")
        given = ""
        if len(base) > _TAIL and not current:
            given, base = base[:-_TAIL], base[-_TAIL:]
        line = base + current
        self._pieces, self._size = [line], len(line)
        self._fold_at = max(LONG_LINE, 2 * len(line))
        return given


