"""Processes a run owns that could outlive it, written down so a run killed with SIGKILL is cleaned up next time.

A run that ends normally, or by Ctrl-C/SIGTERM, stops its processes itself. One killed with
SIGKILL (OOM killer, `kill -9`) cannot: the pty hang-up ends most of the running block, but
what runs in a session of its own (`{background}` blocks, a block's `nohup` job left in the
shell's session) survives, and the next run of the tutorial fails with "address already in use".

So while a run is in progress, `<state-dir>/runs/<slug>.json` lists them, rewritten atomically:

    {"slug": "background-server", "updated": "2025-12-07T10:00:03+00:00",
     "processes": [
       {"kind": "shell", "name": "shell", "pid": 4100, "pgid": 4100, "sid": 4100, "start": 812345,
        "keep": false, "log": null, "status": "running"},
       {"kind": "background", "name": "serve", "pid": 4188, "pgid": 4188, "sid": 4188, "start": 812399,
        "keep": false, "log": "/…/background-server-20251207T100001Z.serve.log", "status": "running"}]}

`start` is the process's start time from /proc/PID/stat (ticks since boot), so a recycled pid
is never taken for ours. A run that ends cleanly removes its entries, except its `keep`
backgrounds, which stay as "kept" (for `tutor status`) and are never stopped by tutor. An
entry still "running" when the next run takes the tutorial's lock was left by a run that
was killed: `stop_leftovers` stops its process group and session.

Not covered: a process a block moved to a new session of its own (`setsid cmd`) is in no
recorded group or session, so nothing identifies it after the fact.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from . import json_fields as F
from . import processes
from .state import now

RUNS_DIR = "runs"
RUNNING, KEPT = "running", "kept"
_PID_MAX = 2**22
"""The kernel's largest pid (PID_MAX_LIMIT)."""


@dataclass(frozen=True)
class OwnedProcess:
    kind: str
    """"shell" (the persistent shell, its session) or "background" (a background block, its group and session)."""
    name: str
    pid: int
    pgid: int
    sid: int
    start: int
    keep: bool = False
    log: str | None = None
    status: str = RUNNING

    def is_ours(self) -> bool:
        """Still alive, and the same process as recorded (not a recycled pid)."""
        info = processes.stat(self.pid)
        return info is not None and info.state not in ("Z", "X") and info.start == self.start

    def leader_gone(self) -> bool:
        info = processes.stat(self.pid)
        return info is None or info.state in ("Z", "X")

    def label(self) -> str:
        return "the shell's session" if self.kind == "shell" else f'background "{self.name}"'


def owned(kind: str, name: str, pid: int, *, keep: bool = False, log: str | None = None) -> OwnedProcess | None:
    """The record of a process just started; None if it is already gone."""
    info = processes.stat(pid)
    if info is None:
        return None
    return OwnedProcess(kind, name, pid, info.pgid, info.sid, info.start, keep, log)


class OwnedFile:
    """`<state-dir>/runs/<slug>.json`; written only by the run holding the tutorial's lock."""

    def __init__(self, state_dir: Path, slug: str) -> None:
        self.slug = slug
        self.path = state_dir / RUNS_DIR / f"{slug}.json"

    def load(self) -> list[OwnedProcess]:
        """What is recorded; an unreadable or malformed file counts as empty (it only ever helps)."""
        try:
            data = F.object_at(json.loads(self.path.read_text(encoding="utf-8")), "runs file")
            return [_entry(entry, f"processes[{i}]") for i, entry in enumerate(F.entries(data, "processes", "runs file"))]
        except (OSError, ValueError, RecursionError):  # F.BadField is a ValueError
            return []

    def save(self, entries: Iterable[OwnedProcess]) -> None:
        from ..atomic import write_atomically

        listed = list(entries)
        if not listed:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"slug": self.slug, "updated": now(), "processes": [asdict(e) for e in listed]}, ensure_ascii=False)
        write_atomically(self.path, text + "\n")

    def kept_alive(self) -> list[OwnedProcess]:
        """Kept backgrounds that still run (for `tutor status`; reads only)."""
        return [e for e in self.load() if e.keep and e.kind == "background" and e.is_ours()]


def _entry(value: Any, where: str) -> OwnedProcess:
    """An entry with its types and ranges checked: the pids are signalled, so 0, 1 or -1 is never taken."""
    data = F.object_at(value, where)
    return OwnedProcess(kind=F.word(data, "kind", where, ("shell", "background")), name=F.text(data, "name", where),
                        pid=F.integer(data, "pid", where, 2, _PID_MAX), pgid=F.integer(data, "pgid", where, 2, _PID_MAX),
                        sid=F.integer(data, "sid", where, 2, _PID_MAX), start=F.integer(data, "start", where, 0, 2**63),
                        keep=F.boolean(data, "keep", where, False), log=F.optional_text(data, "log", where),
                        status=F.word(data, "status", where, (RUNNING, KEPT), RUNNING))


def stop_leftovers(entries: Iterable[OwnedProcess], grace: float = 2.0) -> tuple[list[tuple[OwnedProcess, int]], list[OwnedProcess]]:
    """Stop what a killed run left running; returns (entry, processes stopped) per group, and the entries to keep.

    `keep` entries are never touched; those still alive stay recorded as "kept". For the others,
    the leader must be the recorded process (same start time) or gone: a pid that still names a
    group or session cannot be given to a new process, so the members left are ours.
    """
    stopped: list[tuple[OwnedProcess, int]] = []
    remaining: list[OwnedProcess] = []
    for entry in entries:
        if entry.keep:
            if entry.is_ours():
                remaining.append(replace(entry, status=KEPT))
            continue
        if entry.status != RUNNING:
            continue
        ours = entry.is_ours()
        if not ours and not entry.leader_gone():
            continue  # the pid was given to another process since
        table = processes.process_table()
        members: set[int] = set()
        if entry.sid == entry.pid == entry.pgid:  # it led its own session: never sweep a session it only joined
            members = {pid for pid, info in table.items()
                       if (info.sid == entry.sid or info.pgid == entry.pgid) and info.state not in ("Z", "X")}
        if ours:
            members |= processes.descendants_in(table, entry.pid) | {entry.pid}
        members -= {0, 1}
        if not members:
            continue
        processes.terminate(sorted(members), grace=grace)
        stopped.append((entry, len(members)))
    return stopped, remaining
