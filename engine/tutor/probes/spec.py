"""The probe vocabulary's values: one dataclass per probe type, and the error a bad mapping raises.

The types themselves (their fields, sentence and check) are declared once, in `registry`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


class ProbeSpecError(Exception):
    """A probe mapping that cannot be used as written."""

    def __init__(self, message: str, hint: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.line = line
        """0-based line in the verify text where the bad item starts; 0 when unknown."""

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


@dataclass(kw_only=True)
class Probe:
    """What every probe has. `spec` is the mapping as written, for reports and the linter."""

    kind: str
    """The probe type's name, as declared in `registry.PROBE_TYPES`."""
    subject: str
    """The value of the type key, as written (variables unexpanded)."""
    id: str | None = None
    """Capability name this probe proves (`provides: [{id: guest-images, …}]`)."""
    within: float = 0.0
    """Seconds to keep retrying; 0 means a single attempt."""
    interval: float = 1.0
    timeout: float = 10.0
    hint: str = ""
    description: str = ""
    """A sentence that replaces the generated one, when the author wants their own words."""
    spec: dict[str, Any] = field(default_factory=dict)
    deferred: dict[str, str] = field(default_factory=dict)
    """Fields that are not text but were written with `${VAR}` (`status: ${CODE}`): the text as
    written, read once the variables have values (`deferred.resolve`); the field keeps its default."""

    REGEX_FIELDS: ClassVar[frozenset[str]] = frozenset()
    """Fields holding regular expressions: variable values go in as literal text."""
    RAW_FIELDS: ClassVar[frozenset[str]] = frozenset()
    """Fields left as written at evaluation (the shell expands them itself)."""


@dataclass(kw_only=True)
class FileProbe(Probe):
    exists: bool = True
    contains: tuple[str, ...] = ()
    matches: str | None = None
    sha256: str | None = None
    """Lower-case hex digest."""
    mode: int | None = None
    """Permission bits, e.g. 0o644."""

    REGEX_FIELDS = frozenset({"matches"})


@dataclass(kw_only=True)
class DirProbe(Probe):
    exists: bool = True
    mode: int | None = None


@dataclass(kw_only=True)
class CommandProbe(Probe):
    exit: int = 0
    stdout: str | None = None
    stderr: str | None = None
    cwd: str | None = None

    REGEX_FIELDS = frozenset({"stdout", "stderr"})
    # Variables reach the command as environment variables, never pasted into its text.
    RAW_FIELDS = frozenset({"subject"})


@dataclass(kw_only=True)
class HttpProbe(Probe):
    status: tuple[int, ...] = ()
    """Accepted statuses; empty means any 2xx or 3xx."""
    body: str | None = None
    json: dict[str, Any] = field(default_factory=dict)
    """Dotted path → expected value; a string starting with `~` is a regex."""
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    insecure: bool = False

    REGEX_FIELDS = frozenset({"body"})


@dataclass(kw_only=True)
class PortProbe(Probe):
    host: str = "127.0.0.1"
    listening: bool = True


@dataclass(kw_only=True)
class ServiceProbe(Probe):
    active: bool | None = True
    enabled: bool | None = None
    """None: not checked."""


@dataclass(kw_only=True)
class ProcessProbe(Probe):
    running: bool = True

    REGEX_FIELDS = frozenset({"subject"})


@dataclass(kw_only=True)
class DiskProbe(Probe):
    free: int = 0
    """Minimum free bytes."""
    free_unit: str = "B"
    """The unit the author wrote, for sentences."""


@dataclass(kw_only=True)
class EnvProbe(Probe):
    set: bool = True
    value: str | None = None
    matches: str | None = None

    REGEX_FIELDS = frozenset({"matches"})


@dataclass(kw_only=True)
class LogProbe(Probe):
    contains: str | None = None
    matches: str | None = None

    REGEX_FIELDS = frozenset({"matches"})
