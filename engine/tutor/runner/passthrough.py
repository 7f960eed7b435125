"""The operator's terminal while a block runs: keystrokes go to the command, as in a terminal.

At a terminal (stdin is a tty and tutor is in its foreground), each block runs with the
operator's terminal in raw mode: keys are read one by one and written to the shell's pty,
whose own line discipline echoes and edits them (a password prompt turns that echo off, as
it does anywhere). ISIG stays on, so Ctrl-C still reaches tutor and interrupts the block the
way it always does; the suspend key is off (a stopped runner would leave the terminal raw).
Output processing is off too (`stty -opost`): the kernel would look at every byte written and
turn each newline into a write of its own, which made the terminal the slowest hop of a
command's output. The runner's writer puts the `\r` before each newline itself (terminal_writer).

The window size is copied to the pty when the block starts and again on SIGWINCH. The
terminal's modes are put back when the block ends, whatever the reason (exit, failure, an
exception, Ctrl-C); only SIGKILL of tutor leaves them raw (`stty sane` repairs it).
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import termios
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .terminal_writer import MODES

__all__ = ["OperatorTerminal", "typing_mode"]

_ECHO_FLAGS = termios.ECHO | termios.ECHOE | termios.ECHOK | getattr(termios, "ECHOCTL", 0) | getattr(termios, "ECHOKE", 0)


class OperatorTerminal:
    """The operator's terminal (a tty on `fd`), and the pty its keys go to while a block runs."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.saved: list[Any] = termios.tcgetattr(fd)
        """The operator's modes as they were when tutor started."""
        self._target = -1

    @classmethod
    def attach(cls, fd: int = 0) -> OperatorTerminal | None:
        """The terminal on `fd` when it is one and tutor is in its foreground, else None (CI, pipes, `&`)."""
        try:
            if not os.isatty(fd) or os.tcgetpgrp(fd) != os.getpgrp():
                return None
            return cls(fd)
        except OSError:
            return None

    def window(self) -> tuple[int, int] | None:
        """(rows, columns) of the operator's terminal, or None when it does not say."""
        try:
            rows, columns, _, _ = struct.unpack("HHHH", fcntl.ioctl(self.fd, termios.TIOCGWINSZ, b"\0" * 8))
        except OSError:
            return None
        return (rows, columns) if rows and columns else None

    def copy_window(self, target: int) -> None:
        """Give the pty on `target` the operator's window size (the command gets SIGWINCH)."""
        size = self.window()
        if size is None:
            return
        try:
            fcntl.ioctl(target, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
        except OSError:
            pass

    def read_keys(self) -> bytes | None:
        """What the operator typed (after a poll said there is something): None when nothing
        after all, b"" when the terminal is gone."""
        try:
            return os.read(self.fd, 4096)
        except (BlockingIOError, InterruptedError):
            return None
        except OSError:
            return b""

    @contextmanager
    def keys_to(self, target: int) -> Iterator[None]:
        """Raw mode and window size for the time of one block; the modes come back in any case."""
        self._target = target
        self.copy_window(target)
        previous = self._follow_window()
        try:
            with MODES:  # not in the middle of a write made for the modes before
                termios.tcsetattr(self.fd, termios.TCSANOW, raw_mode(self.saved, self._disabled()))
        except termios.error:
            pass
        try:
            yield
        finally:
            self.restore()
            if previous is not None:
                signal.signal(signal.SIGWINCH, previous)
            self._target = -1

    def restore(self) -> None:
        """Put the operator's modes back (also safe to call when they were never changed)."""
        try:
            with MODES:
                termios.tcsetattr(self.fd, termios.TCSANOW, self.saved)
        except termios.error:
            pass

    def _follow_window(self) -> Any:
        if threading.current_thread() is not threading.main_thread():
            return None
        return signal.signal(signal.SIGWINCH, self._on_resize)

    def _on_resize(self, *_: object) -> None:
        if self._target >= 0:
            self.copy_window(self._target)

    def _disabled(self) -> int:
        try:
            value = os.fpathconf(self.fd, "PC_VDISABLE")
        except (OSError, ValueError):
            value = 0
        return value if value >= 0 else 0


def raw_mode(mode: list[Any], disabled: int = 0) -> list[Any]:
    """The operator's `mode` made raw for typing into a command: no echo, no line editing, every
    byte as it comes; Ctrl-C and Ctrl-\\ still signal tutor; no output processing (the writer makes line ends)."""
    new: list[Any] = [list(part) if isinstance(part, list) else part for part in mode]
    new[0] &= ~(termios.BRKINT | termios.ICRNL | termios.INPCK | termios.ISTRIP | termios.IXON)
    new[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN)
    new[1] &= ~termios.OPOST
    new[3] |= termios.ISIG
    cc = new[6]
    cc[termios.VMIN] = 1
    cc[termios.VTIME] = 0
    cc[termios.VSUSP] = bytes([disabled]) if isinstance(cc[termios.VSUSP], bytes) else disabled
    return new


def typing_mode(pty_mode: list[Any], operator: list[Any]) -> list[Any]:
    """The pty's modes while the operator types into a block: as a terminal's (echo, the operator's
    erase and kill keys), except that the suspend key is off (nothing in the runner's shell may stop)."""
    new: list[Any] = [list(part) if isinstance(part, list) else part for part in pty_mode]
    new[3] |= _ECHO_FLAGS | termios.ICANON | termios.ISIG | termios.IEXTEN
    new[0] |= termios.ICRNL
    cc, theirs = new[6], operator[6]
    for key in (termios.VERASE, termios.VKILL, getattr(termios, "VWERASE", termios.VKILL)):
        cc[key] = theirs[key]
    cc[termios.VSUSP] = b"\0" if isinstance(cc[termios.VSUSP], bytes) else 0
    return new


def without_echo(mode: list[Any]) -> list[Any]:
    """`mode` with echo off: the runner's own command line must not show."""
    new: list[Any] = [list(part) if isinstance(part, list) else part for part in mode]
    new[3] &= ~_ECHO_FLAGS
    return new


def flush_input(device: str) -> None:
    """Drop what was typed into the pty `device` and not read: it must never reach the shell as a command."""
    if not device:
        return
    try:
        fd = os.open(device, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return
    try:
        termios.tcflush(fd, termios.TCIFLUSH)
    except termios.error:
        pass
    finally:
        os.close(fd)
