"""A block's guards (`creates=`, `removes=`, `unless=`): whether `tutor run` skips the block.

The same keys become Ansible's `creates`/`removes` and a guard task in the export, so a
guarded block is skipped by the runner exactly when the exported task would be: a relative
path is taken from the block's folder, `${VAR}` expands as in `cwd`, and `unless` runs in
bash with the run's variables and what the shell has exported, in that folder.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..attributes import FenceOptions

UNLESS_TIMEOUT = 60.0
"""Seconds an `unless` command may take before the guard counts as not met (the block runs)."""


@dataclass(frozen=True)
class GuardSkip:
    """The block is skipped; `reason` says which guard held, in words for the operator."""

    reason: str


def guard_skip(options: FenceOptions, folder: str, environment: Mapping[str, str],
               expand: Callable[[str, str], str]) -> GuardSkip | None:
    """Why the block is skipped, or None when it runs.

    `expand(text, attribute)` expands `${VAR}` in an attribute's value (and raises the
    runner's own error for a variable with no value); `folder` is where the block would run.
    """
    if options.creates is not None:
        path = _path(expand(options.creates, "creates"), folder)
        if os.path.lexists(path):
            return GuardSkip(f"{path} exists (creates={options.creates})")
    if options.removes is not None:
        path = _path(expand(options.removes, "removes"), folder)
        if not os.path.lexists(path):
            return GuardSkip(f"{path} does not exist (removes={options.removes})")
    if options.unless is not None and _succeeds(options.unless, folder, environment):
        return GuardSkip(f"`{options.unless}` succeeded (unless=)")
    return None


def _path(text: str, folder: str) -> str:
    return os.path.join(folder, os.path.expanduser(text))


def _succeeds(command: str, folder: str, environment: Mapping[str, str]) -> bool:
    """The guard command's status, like the export's guard task: bash, errexit and pipefail, no input."""
    try:
        done = subprocess.run(["bash", "-o", "errexit", "-o", "pipefail", "-c", command], cwd=folder,
                              env=dict(environment), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=UNLESS_TIMEOUT, start_new_session=True)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
