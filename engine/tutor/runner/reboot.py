"""A `reboot` block: the step is recorded done, the host reboots, the next `tutor run` continues.

The reboot itself is `systemctl reboot` (through sudo when tutor is not root), or the command in
`TUTOR_REBOOT_COMMAND`: hosts that reboot another way, and the tests, which must not.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

REBOOT_COMMAND_VARIABLE = "TUTOR_REBOOT_COMMAND"


@dataclass(frozen=True)
class PendingReboot:
    """A step whose `reboot` block ran: the run stops after it and the host reboots."""

    step_number: int
    step_total: int
    step_title: str
    where: str
    """FILE:LINE of the reboot block."""


def reboot_command(environ: Mapping[str, str]) -> list[str]:
    override = environ.get(REBOOT_COMMAND_VARIABLE, "").strip()
    if override:
        return shlex.split(override)
    command = ["systemctl", "reboot"]
    return command if os.geteuid() == 0 else ["sudo", *command]


def run_reboot(command: list[str]) -> str | None:
    """Start the reboot; None when the command was accepted, else what went wrong."""
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        return f"`{command[0]}` is not installed"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        return f"`{shlex.join(command)}` exited with status {done.returncode}" + (f": {detail[-1]}" if detail else "")
    return None
