"""One `sudo -v` before step 1, so that the blocks that use sudo do not stop at a password prompt.

It runs in the runner's own shell (sudo caches the credential for that terminal), and only
when it is needed: not as root, not when `sudo -n true` already succeeds. At a terminal the
operator types the password into it (the keys go to sudo; nothing of it is stored). Without
a terminal nobody is asked: the run says how to let it go on without a password.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .display import Display
    from .plan import PlannedStep, RunPlan
    from .shell import ShellSession

__all__ = ["authorise_sudo", "sudo_steps"]

CHECK_TIMEOUT = 10.0
"""Seconds `sudo -n true` may take (a slow name service) before it counts as "asks for a password"."""


def sudo_steps(plan: RunPlan, steps: Sequence[PlannedStep]) -> list[int]:
    """Numbers of the `steps` with a block that runs `sudo` in the runner's shell."""
    return [step.number for step in steps
            if any(b.uses_sudo and b.runs and not b.manual and not plan.on_another_machine(step, b) for b in step.blocks)]


def authorise_sudo(shell: ShellSession, display: Display, numbers: Sequence[int], *, terminal: bool,
                   euid: int | None = None, path: str | None = None) -> str | None:
    """Make sudo's credential ready for the run; None when it is (or nothing can be done), else why
    the run cannot start (the operator did not get through `sudo -v`)."""
    if not numbers or (os.geteuid() if euid is None else euid) == 0:
        return None
    which = ", ".join(map(str, numbers))
    steps = f"step{'s' if len(numbers) > 1 else ''} {which}"
    if shutil.which("sudo", path=path if path is not None else shell.env.get("PATH", os.defpath)) is None:
        display.warn(f"{steps} use{'s' if len(numbers) == 1 else ''} sudo, and sudo is not installed on this host: "
                     f"those blocks will fail (install sudo, or run tutor as root)")
        return None
    if shell.succeeds("sudo -n true", timeout=CHECK_TIMEOUT):
        return None
    if not terminal:
        display.warn(f"{steps} use{'s' if len(numbers) == 1 else ''} sudo, which asks for a password here, and no terminal "
                     f"is attached to type it: a block will stop at its prompt. Run tutor as root, or allow this "
                     f"user sudo without a password (NOPASSWD in sudoers) for the run")
        return None
    display.note(f"{steps} use{'s' if len(numbers) == 1 else ''} sudo: type your password once now, for the whole run")
    display.command("sudo -v")
    outcome = shell.run("sudo -v")
    if outcome.ok:
        return None
    return (f"tutor: `sudo -v` did not succeed (exit status {outcome.exit_code}), and {steps} need{'s' if len(numbers) == 1 else ''} "
            f"sudo; nothing ran.\n  Run it again and type your password at sudo's prompt, or run tutor as root.")
