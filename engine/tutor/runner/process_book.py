"""Process bookkeeping: the run's shell and backgrounds, written down as they start, so that a
run killed with SIGKILL leaves a record of what it left running; the next run stops those, and
`tutor status` lists what is kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .owned import KEPT, OwnedFile, OwnedProcess, owned, stop_leftovers

if TYPE_CHECKING:
    from .background import BackgroundProcess

__all__ = ["ProcessBook"]


class ProcessBook:
    """The owned-processes file of one tutorial, kept in step with what the run has running."""

    def __init__(self, directory: Path, slug: str, warn: Callable[[str], None]) -> None:
        self._file = OwnedFile(directory, slug)
        self._warn = warn
        self._before: list[OwnedProcess] = []
        """Kept backgrounds of earlier runs, still running: recorded on, never stopped."""
        self._seen: dict[tuple[str, int], OwnedProcess] = {}
        self._written: list[OwnedProcess] | None = None
        self.leftovers: list[tuple[OwnedProcess, int]] = []
        """What an earlier, killed run left running and this run stopped, with the number of processes."""

    def stop_leftovers(self) -> list[tuple[OwnedProcess, int]]:
        """Stop what an earlier run of this tutorial, killed with SIGKILL, left running."""
        recorded = self._file.load()
        if not recorded:
            return []
        self.leftovers, self._before = stop_leftovers(recorded)
        self._write(self._before)
        return self.leftovers

    def kept_running(self, name: str) -> bool:
        """A `keep` background of this name, started by an earlier run, still runs."""
        return any(e.kind == "background" and e.name == name for e in self._before)

    def note(self, shell_pid: int | None, backgrounds: Sequence[BackgroundProcess]) -> None:
        """Record the shell and the backgrounds as they are now; a write only when that changed."""
        entries = list(self._before)
        candidates: list[tuple[str, str, int | None, bool, str | None]] = [("shell", "shell", shell_pid, False, None)]
        candidates += [("background", p.name, p.pid, p.keep, str(p.log_path)) for p in backgrounds]
        for kind, name, pid, keep, log in candidates:
            if pid is None:
                continue
            entry = self._seen.get((kind, pid))
            if entry is None:
                entry = owned(kind, name, pid, keep=keep, log=log)
                if entry is None:
                    continue
                self._seen[(kind, pid)] = entry
            entries.append(entry)
        self._write(entries)

    def closed(self, backgrounds: Sequence[BackgroundProcess], interrupted: bool) -> None:
        """The shell is gone: what stays recorded is what is kept (nothing, when interrupted)."""
        kept = [] if interrupted else [
            replace(e, status=KEPT) for p in backgrounds
            if p.keep and p.is_running() and (e := self._seen.get(("background", p.pid))) is not None]
        self._write(self._before + kept)

    def _write(self, entries: list[OwnedProcess]) -> None:
        if entries == self._written:
            return
        try:
            self._file.save(entries)
        except OSError as exc:
            self._warn(f"cannot record this run's processes in {self._file.path}: {exc.strerror or exc}")
        self._written = entries
