"""What the shell runs right now, read from /proc: the name the status line gives a block.

A block of several lines runs one command after another; its first line says nothing about the
one running now. The shell's children are the commands it started (`sleep 5`, the two sides of
`curl … | tar …`); a child that is a copy of the shell itself (a subshell, `$( … )`) is looked
into. The newest of them is the command now running (with the others started in the same
instant: a pipeline). Nothing is read while no status line is shown, and only the shell's own
branch of the process tree is visited, so it costs a few small /proc reads every half second.
Without /proc (or while the shell runs only builtins) there is no answer: the caller says
something else.
"""

from __future__ import annotations

import os
import shlex

from . import processes

__all__ = ["running_command"]

_SAME_INSTANT = 2
"""Clock ticks (1/100 s) apart that commands can start and still be one pipeline."""
_DEPTH = 4
_LONGEST = 300


def running_command(shell_pid: int) -> str | None:
    """The command line(s) the shell at `shell_pid` runs now, as `curl -fsSL URL | tar -x`, or None."""
    shell = _argv(shell_pid)
    if shell is None:
        return None
    found: list[tuple[int, int, list[str]]] = []
    _visit(shell_pid, shell, found, 0)
    if not found:
        return None
    newest = max(start for start, _, _ in found)
    running = sorted((start, pid, argv) for start, pid, argv in found if start >= newest - _SAME_INSTANT)
    text = " | ".join(_shown(argv) for _, _, argv in running)
    return text if len(text) <= _LONGEST else text[:_LONGEST] + "…"


def _visit(pid: int, shell: list[str], found: list[tuple[int, int, list[str]]], depth: int) -> None:
    for child in _children(pid):
        argv = _argv(child)
        info = processes.stat(child)
        if argv is None or info is None or info.state == "Z":
            continue
        if argv == shell:
            if depth < _DEPTH:
                _visit(child, shell, found, depth + 1)
        elif argv:
            found.append((info.start, child, argv))


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", "rb") as handle:
            return [int(p) for p in handle.read().split()]
    except (OSError, ValueError):
        pass
    table = processes.process_table()  # a kernel without the children file: the whole table, once
    return [p for p, info in table.items() if info.ppid == pid]


def _argv(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return [part.decode("utf-8", "replace") for part in data.rstrip(b"\0").split(b"\0")] if data else []


def _shown(argv: list[str]) -> str:
    name = os.path.basename(argv[0]) or argv[0]
    return shlex.join([name, *argv[1:]])
