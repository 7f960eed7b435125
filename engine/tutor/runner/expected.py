"""Comparing a block's output with the "Expected output:" fence that follows it.

Modes (the `match` attribute of the expected-output fence):

- tolerant (the default): colour codes and carriage returns are dropped, runs of spaces and
  tabs count as one space, blank lines and leading/trailing spaces are ignored. Every expected
  line must then appear in the output, in order, each within one output line; other output may
  come before, between and after them. Inside a line `...` matches any text; a line that is
  only `...` stands for any number of lines and is there for the reader.
- contains: the whole expected text, whitespace-normalized the same way, appears in the output.
- exact: the output equals the expected text, ignoring trailing spaces and blank lines at the
  start and end.
- regex: the expected text is a regular expression searched in the output (multi-line mode).

A mismatch is a warning unless the run is `--strict-output`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..attributes import MatchMode

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
"""An OSC ends at BEL or ST (ESC \\); reading past an ESC for a BEL rescanned the output from every OSC."""
_SPACES = re.compile(r"[ \t\f\v]+")
WILDCARD = "..."


@dataclass
class Mismatch:
    mode: MatchMode
    message: str
    """What did not match, in one line: "expected line 3 not found: `Serving HTTP on …`"."""


def _clean(text: str) -> str:
    text = _ANSI.sub("", text).replace("\r\n", "\n")
    # A bare \r (progress bars) keeps only what was drawn last on the line.
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def _normalized_lines(text: str) -> list[str]:
    lines = (_SPACES.sub(" ", line).strip() for line in _clean(text).split("\n"))
    return [line for line in lines if line]


def _line_matches(parts: list[str], text: str) -> bool:
    """Whether the literal `parts` occur in `text` in order (the `...` between them match
    anything). Leftmost search of each part is exact for this, and costs a few `str.find`
    calls where a `.*?` regex backtracked for minutes on a long line."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def compare(expected: str, actual: str, mode: MatchMode = MatchMode.TOLERANT) -> Mismatch | None:
    if mode == MatchMode.EXACT:
        want = _clean(expected).strip("\n").split("\n")
        got = _clean(actual).strip("\n").split("\n")
        want, got = [line.rstrip() for line in want], [line.rstrip() for line in got]
        if want == got:
            return None
        for index, (a, b) in enumerate(zip(want, got)):
            if a != b:
                return Mismatch(mode, f"line {index + 1} differs: expected `{a}`, got `{b}`")
        return Mismatch(mode, f"expected {len(want)} lines, got {len(got)}")
    if mode == MatchMode.CONTAINS:
        want_text = " ".join(_normalized_lines(expected))
        if want_text in " ".join(_normalized_lines(actual)):
            return None
        return Mismatch(mode, f"the output does not contain `{_short(want_text)}`")
    if mode == MatchMode.REGEX:
        try:
            pattern = re.compile(expected.strip("\n"), re.MULTILINE)
        except re.error as exc:
            return Mismatch(mode, f"the expected output is not a valid regular expression: {exc}")
        if pattern.search(_clean(actual)):
            return None
        return Mismatch(mode, f"the output does not match the regular expression `{_short(expected.strip())}`")
    got_lines = _normalized_lines(actual)
    position = 0
    for number, line in enumerate(_normalized_lines(expected), 1):
        if line == WILDCARD:
            continue
        parts = line.split(WILDCARD)
        while position < len(got_lines) and not _line_matches(parts, got_lines[position]):
            position += 1
        if position == len(got_lines):
            return Mismatch(MatchMode.TOLERANT, f"expected line {number} not found (in order) in the output: `{_short(line)}`")
        position += 1
    return None


def _short(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "…"
