"""The shell session's private folder (`$TMPDIR/tutor-shell-PID-XXXXXXXX`, 0700), and the sweep of
those that runs killed with SIGKILL left behind.

The folder holds the rc file (until bash has read it) and each block's code while it runs;
the environment never lands there by name (see `ShellSession._unnamed_file`). A run that is
killed cannot remove it, so every new session first removes the folders, owned by this user,
whose PID is no longer alive. A pid that is alive again (recycled) keeps its folder: the next
sweep after that process ends takes it.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

__all__ = ["PREFIX", "new_session_folder", "sweep_stale_folders"]

PREFIX = "tutor-shell-"
_OURS = re.compile(re.escape(PREFIX) + r"(\d+)-[A-Za-z0-9_]+")


def new_session_folder() -> Path:
    """Sweep the stale folders, then make this session's (0700, named after this process)."""
    sweep_stale_folders()
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))


def sweep_stale_folders(directory: str | None = None) -> list[Path]:
    """Remove this user's session folders whose process is gone; returns what was removed."""
    folder = Path(directory or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.startswith(PREFIX)]
    except OSError:
        return removed
    for name in names:
        match = _OURS.fullmatch(name)
        if match is None or _alive(int(match.group(1))):
            continue
        path = folder / name
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
            continue  # never a symlink, never another user's
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid <= 1:
        return True  # not a name this module gives: leave it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
