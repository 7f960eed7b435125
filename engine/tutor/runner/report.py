"""What a run did, as values: filled by the executor, read by the summary table and the JUnit report."""

from __future__ import annotations

from dataclasses import dataclass, field

# Outcomes of a step within one run (the state file keeps its own, longer-lived statuses).
PASSED = "passed"
FAILED = "failed"
INTERRUPTED = "interrupted"
SKIPPED = "skipped"
ALREADY_DONE = "already done"
NOT_RUN = "not run"


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
    outcome: str
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
