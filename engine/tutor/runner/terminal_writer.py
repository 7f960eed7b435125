"""Writing to the operator's terminal from a thread of its own.

A command's output crosses two terminals on its way to the operator: the shell's pty, which
the runner reads, and the operator's, which the runner writes. Each hands on at most a few KB
at a time, and written in turn, the two hops take about twice what the command's own write
to a terminal takes. With the writes in a thread of their own, the runner reads the next
piece while the terminal takes the last one, and the two hops overlap.

Order is kept: everything written to the display goes through the one queue. `flush()` waits
until the queue is written, so that whatever comes next by another way (stderr, `input()`'s
prompt, the shell's own terminal settings) comes after it; `push()` only hands text on.
A terminal that cannot be written any more (its SSH session gone) drops what is queued,
as `Tolerant` does.

While a block runs, the operator's terminal has its output processing off (passthrough.py):
the kernel would otherwise look at every byte the runner writes, and turn each newline into a
write of its own. The thread then writes `\r\n` for each newline itself, a C replace over the
piece. It looks at the terminal's modes as it writes, under `MODES`, which is also held while
they change: a piece is written under the modes it was made for, whoever queued it (Rich, the
status line, a command's output).
"""

from __future__ import annotations

import atexit
import os
import select
import termios
import threading
import weakref
from collections import deque
from typing import IO, Any

MODES = threading.RLock()
"""Held while the operator's terminal changes modes, and by the writing thread while it reads them and writes."""
QUEUE_LIMIT = 1 << 20
"""Bytes queued at most; a writer then waits (and the runner reads the command's output no faster than the terminal takes it)."""
_PIECE = 1 << 16


class Tolerant:
    """A stream that drops what cannot be written: a terminal gone with its SSH session (SIGHUP)
    must not stop the runner from stopping its processes and recording the interruption."""

    makes_line_ends = False
    """Whether the stream itself writes `\r\n` for `\n` where the terminal does not (raw output)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except (OSError, ValueError):
            return len(text)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except (OSError, ValueError):
            pass

    def push(self) -> None:
        self.flush()

    def isatty(self) -> bool:
        try:
            return self.stream.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        return self.stream.fileno()


class QueuedTerminal(Tolerant):
    """`Tolerant`, with the writes made by a thread (started at the first write) from a bounded queue."""

    makes_line_ends = True

    def __init__(self, stream: IO[str], fd: int) -> None:
        super().__init__(stream)
        self._fd = fd
        self._encoding = getattr(stream, "encoding", None) or "utf-8"
        self._queue: deque[bytes] = deque()
        self._size = 0
        self._writing = False
        self._gone = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        _open.add(self)

    @classmethod
    def over(cls, stream: IO[str]) -> Tolerant:
        """A queued writer over `stream` when it is a terminal with a descriptor, else a plain `Tolerant`."""
        plain = Tolerant(stream)
        if not plain.isatty():
            return plain
        try:
            fd = stream.fileno()
        except (OSError, ValueError, AttributeError):
            return plain
        plain.flush()  # what the stream holds goes first
        return cls(stream, fd)

    def write(self, text: str) -> int:
        data = text.encode(self._encoding, "replace")
        with self._changed:
            if self._gone or not data:
                return len(text)
            while self._size >= QUEUE_LIMIT and not self._gone:
                self._changed.wait()
            self._queue.append(data)
            self._size += len(data)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="tutor-terminal", daemon=True)
                self._thread.start()
            self._changed.notify_all()
        return len(text)

    def push(self) -> None:
        """Nothing to do: the thread writes what is queued as soon as it can."""

    def flush(self) -> None:
        """Wait until everything queued is on the terminal (or the terminal is gone)."""
        with self._changed:
            while (self._queue or self._writing) and not self._gone and self._thread is not None and self._thread.is_alive():
                self._changed.wait()

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._queue:
                    self._changed.wait()
                data = b"".join(self._queue) if len(self._queue) > 1 else self._queue[0]
                self._queue.clear()
                self._writing = True
            try:
                if not self._gone:
                    with MODES:
                        write_all(self._fd, line_ends(self._fd, data))
            except Exception:  # noqa: BLE001 - EIO, EPIPE, or anything else: writers must never wait for nothing
                self._gone = True
            with self._changed:
                self._writing = False
                self._size -= len(data)
                if self._gone:
                    self._queue.clear()
                    self._size = 0
                self._changed.notify_all()


def adds_carriage_return(fd: int) -> bool:
    """Whether the terminal on `fd` turns `\n` into `\r\n` itself (`stty opost onlcr`, not raw output)."""
    try:
        output_flags = termios.tcgetattr(fd)[1]
    except (termios.error, OSError, ValueError):
        return False
    return bool(output_flags & termios.OPOST and output_flags & termios.ONLCR)


def line_ends(fd: int, data: bytes) -> bytes:
    """`data` with `\r\n` for each newline when the terminal on `fd` does not add the `\r` itself."""
    if b"\n" not in data or adds_carriage_return(fd):
        return data
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to `fd`, in pieces, waiting while a non-blocking descriptor is full."""
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view[:_PIECE])
        except BlockingIOError:  # a program left the terminal non-blocking: wait until it takes more
            select.select([], [fd], [])
            continue
        view = view[written:]


_open: weakref.WeakSet[QueuedTerminal] = weakref.WeakSet()


@atexit.register
def _flush_all() -> Any:
    """What is queued reaches the terminal before the process ends (the thread is a daemon)."""
    for writer in list(_open):
        writer.flush()
