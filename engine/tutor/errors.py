"""The few exceptions the engine raises for bad user input.

Anything a user can cause is reported as a message with a place and a hint;
the CLI turns these into one line on stderr and an exit code, never a traceback.
"""

from __future__ import annotations


class TutorError(Exception):
    """Bad input from a user: a path, a flag, a config. `str()` is the message."""

    def __init__(self, message: str, hint: str = "", path: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path and self.line else (f"{self.path}: " if self.path else "")
        text = f"{where}{self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class UsageError(TutorError):
    """A command-line option or argument that cannot be used as given."""
