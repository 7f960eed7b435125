"""The one way the engine writes a file: next to the target, then renamed over it.

A reader (or a run killed with SIGKILL) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(path: Path, text: str, *, durable: bool = False, mode: int | None = None) -> None:
    """Write `text` to `path` atomically.

    `durable` also flushes the data to disk before the rename, so it survives a power cut.
    `mode` sets the file's permissions; without it an existing file keeps its own, and a new
    one is private (0600, as the temporary file is created).
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        elif path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
