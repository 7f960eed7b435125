"""What a run did, as values: filled by the executor, read by the summary table and the JUnit report."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

from .status import Status


@dataclass
class ProbeReport:
    sentence: str
    passed: bool
    found: str = ""
    hint: str = ""
    elapsed: float = 0.0


@dataclass
class StepReport:
    number: int
    title: str
    outcome: Status
    duration: float = 0.0
    message: str = ""
    """Why it failed, was skipped or interrupted, in one or a few lines."""
    output: str = ""
    """The tail of the failing block's output (already redacted)."""
    probes: list[ProbeReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class RunReport:
    slug: str
    title: str
    path: str
    steps: list[StepReport] = field(default_factory=list)
    exit_code: int = 0
    duration: float = 0.0
    message: str = ""
    provides: list[ProbeReport] = field(default_factory=list)


def host_name() -> str:
    """The name reports give this host (JUnit's `hostname` and `[host]` case names, JSON's `host`)."""
    return socket.gethostname() or "localhost"
