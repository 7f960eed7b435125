"""Where a shell command reads a variable the way the shell itself would.

The site shows the reader's value (or the default) in place of `$NAME` and `${NAME}`,
but only where bash would expand it: unquoted, inside double quotes, or in the body of
a here-document whose delimiter is not quoted. Text in single quotes, `$'…'`, comments,
escaped dollars and quoted here-documents stay as written, and so does every reference
after the block assigns the name itself (`NAME=…`, `export NAME=…`, `read NAME`,
`for NAME in`). Forms with operators (`${NAME:-x}`, `${#NAME}`) are left alone.

Each reference carries its quoting, so a value is inserted with the escaping that keeps
the command meaning what it says (see `quoted`).
"""

from __future__ import annotations

import enum
import re
import shlex
from dataclasses import dataclass
from collections.abc import Collection


class Quoting(enum.Enum):
    """The context a reference sits in, which decides how a value must be escaped."""

    NONE = "none"
    """Unquoted: the shell splits the value into words on blanks, and so does the page; a word
    with characters the shell would read as syntax is single-quoted."""
    DOUBLE = "double"
    """Inside "…": backslash, dollar, backtick and double quote are escaped."""
    HEREDOC = "heredoc"
    """In an unquoted here-document body: backslash, dollar and backtick are escaped."""
    TEXT = "text"
    """In a sentence, not in a command: the value as it is."""
    SINGLE = "single"
    """Always single-quoted, `'` written `'\\''`: the `export` lines the reader copies."""


@dataclass(frozen=True, slots=True)
class Reference:
    start: int
    end: int
    name: str
    quoting: Quoting


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")
_HEREDOC = re.compile(r"<<(-?)[ \t]*(?:'([^'\n]*)'|\"([^\"\n]*)\"|\\?([A-Za-z0-9_.-]+))")
_ASSIGNS = re.compile(
    r"(?:(?:export|local|readonly|declare(?:[ \t]+-\w+)*)[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)\+?="
    r"|for[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]+in\b"
    r"|read(?:[ \t]+-\w+)*((?:[ \t]+[A-Za-z_][A-Za-z0-9_]*)+)"
)
_WORD_START = " \t\n;&|()"


def quoted(value: str, quoting: Quoting) -> str:
    """The text to show for `value` in a reference's context, so the shell reads exactly `value`."""
    if quoting is Quoting.DOUBLE:
        return re.sub(r'([\\$`"])', r"\\\1", value)
    if quoting is Quoting.TEXT:
        return value
    if quoting is Quoting.SINGLE:
        return "'" + value.replace("'", "'\\''") + "'"
    if quoting is Quoting.HEREDOC:
        return re.sub(r"([\\$`])", r"\\\1", value)
    # Unquoted: "curl jq" is two words to the shell, so it shows as two words (globbing aside).
    return " ".join(word if _PLAIN.fullmatch(word) else shlex.quote(word) for word in value.split())


def references(code: str, names: Collection[str]) -> list[Reference]:
    """The references to `names` that bash would expand, in order."""
    return _Scanner(code, set(names)).run()


class _Scanner:
    def __init__(self, code: str, names: set[str]) -> None:
        self.code = code
        self.names = names
        self.assigned: set[str] = set()
        self.found: list[Reference] = []
        self.heredocs: list[tuple[str, bool, bool]] = []
        """Pending here-documents of the current line: (delimiter, quoted, strip tabs)."""

    def run(self) -> list[Reference]:
        self.words(0, closer=None)
        return self.found

    def words(self, i: int, closer: str | None) -> int:
        """Unquoted text from i; returns the index after `closer` (`)` or a backtick), or the end."""
        code, n = self.code, len(self.code)
        while i < n:
            char = code[i]
            at_word_start = i == 0 or code[i - 1] in _WORD_START
            if closer is not None and char == closer:
                return i + 1
            if char == "\n":
                i = self.heredoc_bodies(i + 1)
                continue
            if char == "\\":
                i += 2
            elif char == "'":
                end = code.find("'", i + 1)
                i = n if end < 0 else end + 1
            elif char == '"':
                i = self.double(i + 1)
            elif char == "`":
                i = self.words(i + 1, closer="`")
            elif char == "#" and at_word_start:
                end = code.find("\n", i)
                i = n if end < 0 else end
            elif char == "$":
                i = self.dollar(i, Quoting.NONE)
            elif char == "<" and code.startswith("<<", i) and not code.startswith("<<<", i):
                match = _HEREDOC.match(code, i)
                if match:
                    delimiter = match.group(2) if match.group(2) is not None else match.group(3)
                    is_quoted = delimiter is not None or match.group(0).find("\\") >= 0
                    word = delimiter if delimiter is not None else match.group(4)
                    self.heredocs.append((word, is_quoted, match.group(1) == "-"))
                    i = match.end()
                else:
                    i += 2
            else:
                if at_word_start:
                    self.note_assignment(i)
                i += 1
        return i

    def double(self, i: int) -> int:
        code, n = self.code, len(self.code)
        while i < n:
            char = code[i]
            if char == '"':
                return i + 1
            if char == "\\":
                i += 2
            elif char == "`":
                i = self.words(i + 1, closer="`")
            elif char == "$":
                i = self.dollar(i, Quoting.DOUBLE)
            else:
                i += 1
        return i

    def dollar(self, i: int, quoting: Quoting) -> int:
        """At a `$`: a reference, a command substitution, `$'…'`, or a lone dollar."""
        code = self.code
        following = code[i + 1 : i + 2]
        if following == "(":
            return self.words(i + 2, closer=")")
        if following == "'" and quoting is Quoting.NONE:
            j = i + 2
            while j < len(code) and code[j] != "'":
                j += 2 if code[j] == "\\" else 1
            return j + 1
        if following == "{":
            match = _NAME.match(code, i + 2)
            close = code.find("}", i + 2)
            if match and match.end() == close:
                self.reference(i, close + 1, match.group(0), quoting)
            return (close + 1) if close >= 0 else len(code)
        match = _NAME.match(code, i + 1)
        if match:
            self.reference(i, match.end(), match.group(0), quoting)
            return match.end()
        return i + 1

    def reference(self, start: int, end: int, name: str, quoting: Quoting) -> None:
        if name in self.names and name not in self.assigned:
            self.found.append(Reference(start, end, name, quoting))

    def note_assignment(self, i: int) -> None:
        match = _ASSIGNS.match(self.code, i)
        if match is None:
            return
        if match.group(1) or match.group(2):
            self.assigned.add(match.group(1) or match.group(2))
        elif match.group(3):
            self.assigned.update(match.group(3).split())

    def heredoc_bodies(self, i: int) -> int:
        """After a newline: skip the bodies of the here-documents opened on the line before."""
        pending, self.heredocs = self.heredocs, []
        code = self.code
        for delimiter, is_quoted, strip_tabs in pending:
            while i < len(code):
                end = code.find("\n", i)
                end = len(code) if end < 0 else end
                line = code[i:end]
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    i = end + 1
                    break
                if not is_quoted:
                    self.heredoc_line(i, end)
                i = end + 1
        return i

    def heredoc_line(self, i: int, end: int) -> None:
        code = self.code
        while i < end:
            char = code[i]
            if char == "\\":
                i += 2
            elif char == "$":
                if code[i + 1 : i + 2] == "(":
                    i = self.words(i + 2, closer=")")
                else:
                    i = self.dollar(i, Quoting.HEREDOC)
            elif char == "`":
                i = self.words(i + 1, closer="`")
            else:
                i += 1
