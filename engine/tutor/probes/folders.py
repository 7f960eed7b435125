"""Relative paths in checks: taken from the folder the tutorial's shell is in, not tutor's own.

A tutorial written for people says "cd dstack", then "check that `.env` exists": the reader
means the `.env` in the folder they are in. So a relative `file`, `dir`, `disk` or `log` path,
and a `command` check's folder (its `cwd`, or none), are taken from the folder the runner gives
(`tutor run`: the shell's folder when the check runs; `tutor verify`: the folder the step ended
in). Without one they stay relative to tutor's working folder, as before.
"""

from __future__ import annotations

import dataclasses
import os

from .spec import CommandProbe, DirProbe, DiskProbe, FileProbe, LogProbe, Probe

__all__ = ["in_folder"]

_PATH_SUBJECTS = (FileProbe, DirProbe, DiskProbe, LogProbe)


def in_folder(probe: Probe, folder: str | None) -> Probe:
    """`probe` (its variables already expanded) with its relative path taken from `folder`."""
    if not folder:
        return probe
    if isinstance(probe, CommandProbe):
        if not probe.cwd:
            return dataclasses.replace(probe, cwd=folder)
        return probe if os.path.isabs(probe.cwd) else dataclasses.replace(probe, cwd=os.path.join(folder, probe.cwd))
    if isinstance(probe, _PATH_SUBJECTS) and probe.subject and not os.path.isabs(probe.subject):
        return dataclasses.replace(probe, subject=os.path.join(folder, probe.subject))
    return probe

