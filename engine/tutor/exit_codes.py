"""The exit codes of `tutor`, documented in `tutor --help`; stable, because scripts and CI read them."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ExitCode"]


class ExitCode(IntEnum):
    OK = 0
    """Success; `tutor run`: the tutorial is done."""
    FAILED = 1
    """`tutor lint` found errors (or warnings with --strict); a step of `tutor run` failed."""
    USAGE = 2
    """A usage error or an invalid tutorial set (every `TutorError` ends here)."""
    PREFLIGHT = 3
    """`tutor run`: a missing prerequisite or a `requires` check that does not hold."""
    VERIFY = 4
    """`tutor run` / `tutor verify`: a check failed."""
    REBOOT = 5
    """`tutor run`: a step is done and the host must reboot (or is rebooting); run it again afterwards to go on."""
    INTERRUPTED = 130
    """`tutor run`: interrupted (Ctrl-C or a stop signal)."""
