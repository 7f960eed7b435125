"""Processes seen through /proc: who descends from whom, who shares a session, and stopping them.

The shell layer uses these to find every process a block started (its own process group,
`cmd &` jobs, setsid'd children that stayed in the session) and to stop them all.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

KILL_GRACE = 0.5
"""Seconds between SIGTERM and SIGKILL."""


@dataclass(frozen=True)
class ProcessInfo:
    ppid: int
    pgid: int
    sid: int
    start: int
    state: str


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def boot_ticks() -> int:
    """Now, in the clock of /proc/PID/stat's start time (ticks since boot)."""
    return int(time.clock_gettime(time.CLOCK_BOOTTIME) * _TICKS)


def stat(pid: int) -> ProcessInfo | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
        fields = data[data.rindex(b")") + 2:].split()
        return ProcessInfo(ppid=int(fields[1]), pgid=int(fields[2]), sid=int(fields[3]), start=int(fields[19]),
                     state=fields[0].decode())
    except (OSError, ValueError, IndexError):
        return None


def process_table() -> dict[int, ProcessInfo]:
    table: dict[int, ProcessInfo] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return table
    for entry in entries:
        if entry.isdigit():
            info = stat(int(entry))
            if info is not None:
                table[int(entry)] = info
    return table


def descendants_in(table: Mapping[int, ProcessInfo], root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, info in table.items():
        children.setdefault(info.ppid, []).append(pid)
    found: set[int] = set()
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def descendants(root: int) -> list[int]:
    """Processes below `root`, from /proc/PID/task/TID/children (cheap), or the whole table."""
    found: list[int] = []
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    children = [int(c) for c in f.read().split()]
            except FileNotFoundError:
                return sorted(descendants_in(process_table(), root))
            except (OSError, ValueError):
                continue
            found.extend(children)
            stack.extend(children)
    return found


def session_members(sid: int) -> list[int]:
    """Every process of the session `sid` and below its leader (what a closed shell leaves behind)."""
    table = process_table()
    members = {pid for pid, info in table.items() if info.sid == sid}
    members.update(descendants_in(table, sid))
    members.discard(sid)
    return [pid for pid in members if table.get(pid) is not None and table[pid].state != "Z"]


def alive(pid: int) -> bool:
    info = stat(pid)
    return info is not None and info.state not in ("Z", "X")


def kill(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def kill_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass



def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def terminate(pids: Iterable[int], grace: float = KILL_GRACE) -> None:
    """SIGTERM, then SIGKILL what is still there after `grace` seconds; waits until they are gone."""
    pending = [pid for pid in pids if alive(pid)]
    if not pending:
        return
    for pid in pending:
        kill(pid, signal.SIGTERM)
        kill(pid, signal.SIGCONT)
    deadline = time.monotonic() + grace
    while pending and time.monotonic() < deadline:
        time.sleep(0.01)
        pending = [pid for pid in pending if alive(pid)]
    for pid in pending:
        kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 2.0
    while pending and time.monotonic() < deadline:
        time.sleep(0.01)
        pending = [pid for pid in pending if alive(pid)]


# --- small helpers ------------------------------------------------------------------------------
