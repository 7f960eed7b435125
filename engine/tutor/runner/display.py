"""The live terminal view of a run: step headers, commands, their output, a status line, the summary.

On a terminal, a command's output is written as it comes, byte for byte but for the escape
sequences that could set the clipboard or the title (`osc_filter`): a `\r` progress bar redraws
in place and colours show. While a command runs longer than a second, a status line under its
output names the command running now and the time it has taken (`status_line`); it is drawn only
at the start of an empty line, so it never covers a progress bar or a prompt.

Anywhere else (a pipe, CI, a file) there are no redraws and no status line: each line is given
once it is complete, as a terminal would have left it (`final_lines`: the last redraw of a
progress bar, no colour codes), so the runner adds no cost per block beyond a write.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from ..textsafe import visible
from .final_lines import FinalLines
from .osc_filter import OscFilter
from .status_line import FRAMES, StatusLine
from .terminal_writer import QueuedTerminal, Tolerant, adds_carriage_return

if TYPE_CHECKING:
    from .report import RunReport, StepReport

SPINNER_DELAY = 1.0
"""Seconds a command runs before the status line appears."""
STATUS_TICK = 0.25
"""Seconds between two redraws of the status line."""
QUIET = 0.5
"""Seconds without output before the status line is drawn again under it."""
_RESET = "\x1b[0m"
_SCREEN_ON = ("\x1b[?1049h", "\x1b[?1047h", "\x1b[?47h")
_SCREEN_OFF = ("\x1b[?1049l", "\x1b[?1047l", "\x1b[?47l")
_LEAVE_FULL_SCREEN = "\x1b[r\x1b[0m\x1b[?25h\x1b[?1l\x1b>\x1b[?1049l"
"""What a full-screen program does on its way out (scroll region, colours, cursor, keypad, the
alternate screen), for one that was killed before it could."""


class Display:
    def __init__(self, *, quiet: bool = False, out: IO[str] | None = None, err: IO[str] | None = None,
                 tty: bool | None = None) -> None:
        self.out: Any = QueuedTerminal.over(out or sys.stdout)
        self.err: Any = Tolerant(err or sys.stderr)
        self.quiet = quiet
        self.tty = self.out.isatty() if tty is None else tty
        self._console: Any = None
        self._osc = OscFilter()
        self._lock = threading.RLock()
        self._status = StatusLine(self.out)
        self._final = FinalLines()
        self._handed_over = threading.Event()
        self._full_screen = False
        """A command switched to the alternate screen and has not switched back."""
        """Set while a command has the terminal (the operator types into it): no status line over it."""
        self._open_line = False
        """The last output did not end with a newline (a prompt, a progress bar)."""
        self._coloured = False
        """A command's output had escape sequences: the colour is reset before the runner's next line."""
        self._last_output = 0.0

    # --- plain lines ---------------------------------------------------------------------

    @property
    def console(self) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(file=self.out, highlight=False, soft_wrap=True,
                                    force_terminal=self.tty if self.tty else None, no_color=not self.tty)
        return self._console

    def line(self, text: str = "", style: str = "") -> None:
        self._end_partial()
        if self.tty:
            with self._lock:
                self.console.print(text, style=style or None, markup=False)
        else:
            self.out.write(text + "\n")
            self.out.flush()

    def error(self, text: str) -> None:
        """Messages that say why the run stopped go to stderr, whole."""
        self._end_partial()
        self.out.flush()
        self.err.write(text if text.endswith("\n") else text + "\n")
        self.err.flush()

    def header(self, text: str) -> None:
        self.line("")
        self.line(text, "bold cyan")

    def note(self, text: str) -> None:
        self.line(text, "dim")

    def ok(self, text: str) -> None:
        self.line(f"✓ {text}", "green")

    def warn(self, text: str) -> None:
        self.line(f"! {text}", "yellow")

    def fail(self, text: str) -> None:
        self.line(f"✗ {text}", "bold red")

    def command(self, code: str) -> None:
        """Echo a block's commands, `$ ` before the first line and `> ` before continuation lines."""
        if self.quiet:
            return
        lines = visible(code.rstrip("\n")).split("\n")  # an escape in the code must not hide what runs
        for index, text in enumerate(lines):
            self.line(("$ " if index == 0 else "> ") + text, "bold")

    # --- command output --------------------------------------------------------------------

    def output(self, text: str) -> None:
        if self.quiet or not text:
            return
        text = self._osc.feed(text.replace("\r\n", "\n") if "\r" in text else text)  # never the clipboard or the title
        if not text:
            return
        if self.tty:
            self._to_terminal(text)
        else:
            self._to_pipe(text)

    def _to_terminal(self, text: str) -> None:
        """As it comes; `\\r\\n` for each newline when the terminal does not add the `\\r` itself
        (raw mode), so that lines start at the margin."""
        with self._lock:
            self._status.erase()
            makes_line_ends = getattr(self.out, "makes_line_ends", False) or _adds_carriage_return(self.out)
            text_out = text if makes_line_ends else text.replace("\n", "\r\n")
            self.out.write(text_out)
            self.out.push()  # written by the queue's thread while the next output is read
            self._open_line = not text.endswith("\n")
            escapes = "\x1b" in text  # one C scan; looking for "\x1b[?" first costs fifty
            self._coloured = self._coloured or escapes
            self._last_output = time.monotonic()
            if escapes and "\x1b[?" in text:
                self._track_screen(text)

    def _track_screen(self, text: str) -> None:
        on = max(text.rfind(code) for code in _SCREEN_ON)
        off = max(text.rfind(code) for code in _SCREEN_OFF)
        if on != off:
            self._full_screen = on > off

    def _leave_full_screen(self) -> None:
        """After a block: a full-screen program killed in it (Ctrl-C, a timeout) leaves the terminal
        on its alternate screen, where the runner's messages would be lost; switch back."""
        if self._full_screen:
            self._full_screen = False
            self.out.write(_LEAVE_FULL_SCREEN)
            self.out.flush()

    def _to_pipe(self, text: str) -> None:
        done = self._final.feed(text)
        if done:
            self.out.write(done)
            self.out.flush()
            self._open_line = not done.endswith("\n")

    def _end_partial(self) -> None:
        """Finish a line the command left open, so the runner's own lines start at the margin."""
        if self.tty:
            with self._lock:
                self._status.erase()
                if self._open_line:
                    self.out.write("\r\n")
                    self._open_line = False
                if self._coloured:
                    self.out.write(_RESET)
                    self._coloured = False
                self.out.flush()
            return
        rest = self._final.flush()
        if rest or self._open_line:
            self.out.write(rest + "\n")
            self.out.flush()
            self._open_line = False

    # --- status line -------------------------------------------------------------------------

    @contextmanager
    def running(self, label: str, now_running: Callable[[], str | None] | None = None) -> Iterator[None]:
        """While a command runs: after a second, a status line with what runs and the elapsed time
        (terminal only). `now_running` names the command running now (None: `label` is shown)."""
        if not self.tty:
            yield
            return
        started = time.monotonic()
        done = threading.Event()

        def spin() -> None:
            if done.wait(SPINNER_DELAY):
                return
            frame = 0
            while not done.is_set():
                name = (now_running() if now_running is not None else None) or label
                with self._lock:
                    if done.is_set():
                        return
                    if not self._open_line and not self._handed_over.is_set() and time.monotonic() - self._last_output >= QUIET:
                        self._status.draw(FRAMES[frame % len(FRAMES)], name, _duration(time.monotonic() - started))
                        frame += 1
                done.wait(STATUS_TICK)

        threading.Thread(target=spin, daemon=True).start()
        try:
            yield
        finally:
            with self._lock:
                done.set()
                self._status.erase()
                self._leave_full_screen()
            self._end_partial()
            self._handed_over.clear()

    def hand_over(self) -> None:
        """The running command takes the operator's input (a prompt, an editor): no status line for the
        rest of it, since one drawn at the start of an empty line would land in what they type or see."""
        with self._lock:
            self._handed_over.set()
            self._status.erase()

    # --- asking ------------------------------------------------------------------------------

    def ask(self, question: str) -> bool:
        self._end_partial()
        try:
            answer = input(f"{question} [y/N] ")
        except EOFError:
            return False
        return answer.strip().lower() in ("y", "yes")

    def wait_for_enter(self, text: str) -> None:
        self._end_partial()
        try:
            input(text)
        except EOFError:
            pass

    # --- summary -----------------------------------------------------------------------------

    def summary(self, report: RunReport) -> None:
        """A table on a terminal; aligned plain lines anywhere else (cheap, and easy to grep)."""
        rows = [(str(step.number), step.title, _result(step), _checks(step), _duration(step.duration) if step.duration else "—")
                for step in report.steps]
        if not self.tty:
            self._end_partial()
            header = ("Step", "Title", "Result", "Checks", "Time")
            widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]
            lines = ["", f"{report.title} ({report.slug})"]
            lines += ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in [header, *rows]]
            self.out.write("\n".join(lines) + "\n")
            self.out.flush()
            return
        from rich.table import Table
        from rich.text import Text

        from .status import Status

        styles = {Status.DONE: "green", Status.FAILED: "bold red", Status.INTERRUPTED: "bold yellow", Status.ALREADY_DONE: "dim"}
        table = Table(title=Text(f"{report.title} ({report.slug})"), title_justify="left", show_edge=False)
        for column in ("Step", "Title", "Result", "Checks", "Time"):
            table.add_column(column, overflow="fold")
        for step, (number, title, result, checks, duration) in zip(report.steps, rows):
            table.add_row(number, Text(title), Text(result, style=styles.get(step.outcome, "")), checks, duration)
        self._end_partial()
        self.line("")
        self.console.print(table)


def _adds_carriage_return(out: Any) -> bool:
    """Whether the terminal `out` writes to turns `\\n` into `\\r\\n` itself (`stty opost onlcr`)."""
    try:
        return adds_carriage_return(out.fileno())
    except (OSError, ValueError, AttributeError):
        return False


def _result(step: StepReport) -> str:
    count = len(step.warnings)
    return step.outcome + (f" ({count} warning{'s' if count > 1 else ''})" if count else "")


def _checks(step: StepReport) -> str:
    if not step.probes:
        return "—"
    return f"{sum(1 for p in step.probes if p.passed)}/{len(step.probes)}"


def _duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes} min {secs:02d} s"
