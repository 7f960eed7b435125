"""One vocabulary for what happened to a step or a tutorial: the state file, `tutor status`,
the run's summary, the events log and the JUnit report all say the same word."""

from __future__ import annotations

from enum import Enum

__all__ = ["Status"]


class Status(str, Enum):
    """A closed set of statuses; the value is the word written to files and shown to people."""

    RUNNING = "running"
    """Started and not finished (after a kill -9 `tutor status` shows it as interrupted)."""
    DONE = "done"
    """Ran to the end and its checks passed."""
    FAILED = "failed"
    """A command or a check failed."""
    INTERRUPTED = "interrupted"
    """Stopped by Ctrl-C or a stop signal."""
    SKIPPED = "skipped"
    """The operator chose not to run it."""
    PARTIAL = "partial"
    """A tutorial whose selected steps are done, but not all of its steps."""
    ALREADY_DONE = "already done"
    """Within one run: done by an earlier run, unchanged, its checks still pass; not run again."""
    NOT_RUN = "not run"
    """Within one run: outside the selected steps, or not reached after a failure."""

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    def is_finished(self) -> bool:
        """Done, in this run or an earlier one."""
        return self in (Status.DONE, Status.ALREADY_DONE)


STEP_STATUSES = (Status.DONE, Status.FAILED, Status.INTERRUPTED, Status.RUNNING, Status.SKIPPED)
"""What the state file holds for a step."""
TUTORIAL_STATUSES = (Status.DONE, Status.FAILED, Status.INTERRUPTED, Status.PARTIAL, Status.RUNNING)
"""What the state file holds for a tutorial."""
