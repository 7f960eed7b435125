"""The display's writes to a terminal, made by a thread from a bounded queue (`terminal_writer`):
everything arrives, in order, before `flush()` returns and before the process ends; a terminal
that is gone drops what is queued without an error."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

from tutor.runner import terminal_writer
from tutor.runner.terminal_writer import QueuedTerminal, Tolerant, line_ends

ENGINE = Path(terminal_writer.__file__).resolve().parents[2]


class Drain:
    """Reads the master side of a pty as fast as it comes, in a thread."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.data = bytearray()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            while chunk := os.read(self.master, 65536):
                self.data += chunk
        except OSError:  # EIO: the slave side was closed
            pass


def raw_pty() -> tuple[int, int]:
    import tty

    master, slave = pty.openpty()
    tty.setraw(slave)  # no output processing: the bytes arrive as the writer sends them
    return master, slave


def test_a_terminal_gets_a_queued_writer_and_anything_else_a_plain_one(tmp_path: Path) -> None:
    master, slave = raw_pty()
    with os.fdopen(slave, "w", encoding="utf-8", closefd=True) as stream:
        assert isinstance(QueuedTerminal.over(stream), QueuedTerminal)
    os.close(master)
    with open(tmp_path / "file", "w", encoding="utf-8") as plain:
        writer = QueuedTerminal.over(plain)
        assert type(writer) is Tolerant
        writer.write("text")
        writer.flush()
    assert (tmp_path / "file").read_text() == "text"


def test_everything_written_arrives_in_order_once_flush_returns() -> None:
    master, slave = raw_pty()
    drain = Drain(master)
    stream = os.fdopen(slave, "w", encoding="utf-8")
    writer = QueuedTerminal.over(stream)
    pieces = [f"{i:06d}:" + "é" * (i % 97) + "\n" for i in range(20000)]  # far past the queue's limit
    for piece in pieces:
        writer.write(piece)
        writer.push()
    writer.flush()
    expected = "".join(pieces).replace("\n", "\r\n").encode("utf-8")  # a raw terminal: the writer adds the \r
    stream.close()
    drain.thread.join(10)
    os.close(master)
    assert bytes(drain.data) == expected


def test_a_terminal_that_is_gone_drops_the_output_without_an_error() -> None:
    master, slave = raw_pty()
    stream = os.fdopen(slave, "w", encoding="utf-8")
    writer = QueuedTerminal.over(stream)
    os.close(master)  # the operator's SSH session ended: writes fail with EIO
    for _ in range(100):
        writer.write("x" * 65536)
    writer.flush()  # returns: nothing is left to wait for
    assert writer.write("more") == 4
    stream.close()


def test_output_queued_just_before_the_process_ends_still_reaches_the_terminal() -> None:
    master, slave = raw_pty()
    program = (
        "import sys\n"
        "from tutor.runner.display import Display\n"
        "display = Display(tty=True)\n"
        "for i in range(2000):\n"
        "    display.output(f'line {i:05d} ' + 'z' * 500 + '\\n')\n"
    )  # no flush: the process ends with output still queued
    child = subprocess.Popen([sys.executable, "-c", program], stdin=slave, stdout=slave, stderr=slave,
                             env={**os.environ, "PYTHONPATH": str(ENGINE)})
    os.close(slave)
    drain = Drain(master)
    assert child.wait(60) == 0
    drain.thread.join(10)
    os.close(master)
    shown = bytes(drain.data).decode("utf-8", "replace").replace("\r\n", "\n")
    assert shown.count("\n") >= 2000 and "line 01999 " in shown
    assert [line[:10] for line in shown.splitlines() if line.startswith("line ")] == [f"line {i:05d}" for i in range(2000)]


def test_the_writer_adds_the_carriage_return_only_where_the_terminal_does_not() -> None:
    import termios

    master, slave = pty.openpty()
    try:
        assert line_ends(slave, b"a\nb\r\n") == b"a\nb\r\n"  # the terminal adds it itself (opost onlcr)
        mode = termios.tcgetattr(slave)
        mode[1] &= ~termios.OPOST
        termios.tcsetattr(slave, termios.TCSANOW, mode)
        assert line_ends(slave, b"a\nb\r\nc\rd") == b"a\r\nb\r\nc\rd"  # once each; a redraw stays a redraw
        assert line_ends(slave, b"no newline") == b"no newline"
    finally:
        os.close(master)
        os.close(slave)
