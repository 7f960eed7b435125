"""Which processes of the runner's shell wait for the operator's input, as /proc tells it.

A process blocked in read(2) on the shell's terminal (or on /dev/tty, which password prompts of
getpass, sudo and ssh open) is waiting for input; one in poll/select with the terminal as its
stdin may be. Where /proc/PID/syscall cannot be read, or on an architecture whose syscall numbers
are not listed here, `available` is False and the shell falls back to what the output looks like.
"""

from __future__ import annotations

import os
import platform

from . import processes

__all__ = ["TerminalReaders"]

# read/readv/pread64 and poll/select/epoll variants, per architecture.
_READ_CALLS = {"x86_64": {0, 17, 19}, "aarch64": {63, 65, 67}}
_POLL_CALLS = {"x86_64": {7, 23, 232, 270, 271, 281, 441}, "aarch64": {22, 72, 73, 441}}


class TerminalReaders:
    """Scans a shell and its descendants for processes reading its terminal."""

    def __init__(self) -> None:
        arch = platform.machine()
        self._read_calls = _READ_CALLS.get(arch, set())
        self._poll_calls = _POLL_CALLS.get(arch, set())
        self.tty = ""
        """The shell's terminal device (its stdin), once attached."""
        self.available = False
        """/proc can tell, for this shell; otherwise callers use the text heuristic only."""

    def attach(self, shell_pid: int) -> None:
        """Note the shell's terminal, and whether /proc shows its syscalls."""
        try:
            self.tty = os.readlink(f"/proc/{shell_pid}/fd/0")
            with open(f"/proc/{shell_pid}/syscall") as f:
                f.read()
            self.available = bool(self._read_calls)
        except OSError:
            self.available = False

    def scan(self, shell_pid: int, since_tick: int) -> tuple[list[int], list[int]]:
        """Processes blocked reading the terminal, and those in poll/select with it as stdin.

        The shell itself counts (`read` is a builtin); processes started before `since_tick`
        (left running by earlier blocks) do not.
        """
        terminal = (self.tty, "/dev/tty")
        readers: list[int] = []
        pollers: list[int] = []
        for member in [shell_pid, *processes.descendants(shell_pid)]:
            try:
                with open(f"/proc/{member}/syscall") as f:
                    fields = f.read().split()
                number = int(fields[0])
                if member != shell_pid and (info := processes.stat(member)) is not None and info.start < since_tick:
                    continue
                if number in self._read_calls:
                    if os.readlink(f"/proc/{member}/fd/{int(fields[1], 16)}") in terminal:
                        readers.append(member)
                elif number in self._poll_calls and os.readlink(f"/proc/{member}/fd/0") in terminal:
                    pollers.append(member)
            except (OSError, ValueError, IndexError):
                continue
        return readers, pollers
