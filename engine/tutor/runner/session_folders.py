"""The shell session's private folder (`tutor-shell-PID-XXXXXXXX`, 0700), and the sweep of
those that runs killed with SIGKILL left behind.

Where: in `$TMPDIR` when it is set; else in a folder held in memory (`$XDG_RUNTIME_DIR`, the
user's own, else `/dev/shm`), else in `/tmp`. Each block's code is a file created and removed
there: on a disk mounted with `discard` that cost 0.2 ms a block, a quarter of the runner's own
time per block (bench/runner_overhead.py), and in memory next to nothing.

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
    places = session_places()
    for place in places:
        sweep_stale_folders(place)
    for place in places[:-1]:
        try:
            return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=place))
        except OSError:
            continue  # full or not writable: the next place
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=places[-1]))


def session_places() -> list[str]:
    """Where a session folder may go, in order of preference (see the module's doc)."""
    if os.environ.get("TMPDIR"):
        return [tempfile.gettempdir()]
    places = []
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and _own_private_folder(runtime):
        places.append(runtime)
    if _shared_sticky_folder("/dev/shm"):
        places.append("/dev/shm")
    return [*places, tempfile.gettempdir()]


def _own_private_folder(path: str) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) & 0o077 == 0


def _shared_sticky_folder(path: str) -> bool:
    """A world-writable folder where only a file's owner may remove it (as /tmp is)."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and bool(info.st_mode & stat.S_ISVTX) and os.access(path, os.W_OK | os.X_OK)


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
