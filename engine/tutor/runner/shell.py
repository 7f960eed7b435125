"""One persistent bash per run, driven on a pty: runs a tutorial's blocks the way a reader's terminal would.

How a block runs
----------------
The block's code is written to a private file (a 0700 folder of the session) and the shell
is sent one line: `__tutor_pre SEQ FILE [DIR] && builtin source FILE; { __tutor_post $?; } 2>/dev/null`.
Sourcing, at the top level, keeps everything the block does for the next block: `cd`, `export`,
plain shell variables, `declare`, functions, aliases, `set -u`. Commands read their stdin from the
pty, never from the block's text.

*Errexit.* While a block runs, an ERR trap with `errtrace` and `pipefail` stands in for
`set -e`: the first command that fails (a non-zero simple command or pipeline, anywhere: first
line, inside a function, in a subshell) makes the block return with that status; the rest of the
block does not run, and `failed_line` says which line of the block failed. The usual `set -e`
exceptions hold (`if cmd`, `cmd || …`, `! cmd`). A failing command substitution
(`x=$(false)`) fails the block too. A pipeline whose only failures are SIGPIPE (141) before a
last command that succeeded (`journalctl | head`) is not a failure, as it is not in a terminal;
inside `$(…)` it still is. `set -e` written in a block changes nothing (the block already stops
at the first failure) and, like `set -x` and `set -v`, does not outlast the block: a runner
shell must survive its blocks. The runner's own commands never appear in a `set -x` trace.
`set +e` changes nothing either. A block cannot switch failure detection off: one that leaves the
ERR trap changed (`trap - ERR`, `trap '' ERR`, a trap of its own, `builtin trap`) or errtrace off
(`set +E`) fails, with a line saying so, since a failing command could have gone unseen; so does
one that leaves pipefail off (`set +o pipefail`: `false | true` would pass). The next block has the
runner's trap and pipefail back. A block that turns them off and back on, or does so inside a
subshell or a script it runs, is out of the runner's sight (SECURITY.md).

*`exit N`* in a block ends the block with status N (a function named `exit` stands in for the
builtin at the block's level; in subshells and scripts `exit` is the real one). The session
goes on. `return N` at the block's level does the same.

*`export`* is a function over the builtin (same arguments, status and errors): after it, the
value of each variable it exported whose name is a secret's (`DB_PASSWORD`, see secret_names)
goes to the runner as a marker, hex-encoded, which the output never shows; the redactor masks it
in everything the block prints after that.

*Completion* is a marker with a random nonce and the block's sequence number, printed by the
wrapper (or, if the block was cut short by SIGINT, by PROMPT_COMMAND); it never reaches the output.

Prompts, timeouts, interrupts
-----------------------------
`prompts` are (expect, send) pairs: when the output since the previous answer contains `expect`
(literal text), `send` and Enter are typed, once a process of the block is reading the terminal.
Each pair answers once, in whatever order the prompts come. The answer is shown in the output as a
terminal would echo it (except after prompts that look like a password prompt).

A prompt nobody answers fails fast: when the block has printed nothing for `prompt_wait` seconds
(1 s) and one of its processes is blocked reading the terminal (seen in /proc), or — where /proc
cannot tell — the output ends in something prompt-like (`? `, `: `, `[y/N]`, `Password:`), the
block is stopped and `unexpected_prompt` holds the last line it printed.

*Typing into a block.* With an `operator` terminal (tutor at a terminal, see passthrough.py),
a visible block runs with the operator's keys going to its pty, and the pty echoes them as a
terminal would (turned on by the block's command line once bash has read it, so the runner's
own line never shows). Keys typed while nothing of the block reads the terminal wait until
something does, and whole lines typed but never read are read and dropped before the
completion marker: what the operator types never reaches bash as a command. A prompt nobody
answers is then not stopped: `on_waiting` is told its line once (None when a full-screen
program has the terminal, or when the operator starts typing), and the block waits, within
its timeout. Without an operator, or once its terminal is gone, such a prompt fails fast.

Stopping a block (timeout, `interrupt` event, unexpected prompt) starts as Ctrl-C does in a
terminal: SIGINT to the shell's process group stops the foreground command, and bash abandons the
rest of the block. Then every process the block started in the shell's session (its `cmd &` jobs
too) gets SIGTERM and, 0.5 s later, SIGKILL; the session stays usable. If bash is not back within
a second (the block ignores SIGINT, or its command takes its time to exit), bash is frozen
(SIGSTOP) so that no later line of the block can run, the block's processes are killed, and the
shell is replaced: the next call starts a new bash in the folder the old one was in, with the
session's env and everything given to `export()`. What blocks set themselves is lost, and the
outcome's `shell_restarted` says so. The same happens when a block ends the shell (`exec …`,
`kill $$`). One gap remains, as in a terminal: a command that catches SIGINT and exits with
status 0 within that second lets bash go on to the next line.

Background processes
--------------------
`start_background` starts a background block beside the shell (see `background`), with the
shell's exported variables and folder at that moment.

The shell's environment gets PAGER, GIT_PAGER, SYSTEMD_PAGER and MANPAGER=cat, and TERM=dumb, unless
the given env sets them: nobody is there to page through `systemctl status`.
"""

from __future__ import annotations

import codecs
import math
import os
import re
import secrets as _secrets
import select
import shlex
import shutil
import signal
import tempfile
import termios
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import processes
from .background import BackgroundProcess, start_background
from .block import Block, BlockOutcome
from .passthrough import OperatorTerminal, flush_input, typing_mode, without_echo
from .redact import SECRET_NAME, Redactor
from .running_command import running_command
from .session_folders import new_session_folder
from .spawn_env import EnvironmentValueError, checked_environment, environment_problem
from .terminal_readers import TerminalReaders
from .terminal_writer import write_all

if TYPE_CHECKING:
    from pexpect import spawn

RC_FILE = Path(__file__).with_name("rc.bash")
"""The shell's rc file (its functions are described above), shipped beside this module."""
WINDOW = (50, 250)
"""Rows and columns of the shell's terminal: wide, so tools do not wrap or truncate."""
PROMPT_WAIT = 1.0
"""Seconds of silence after which a block that waits for input is stopped."""
STARTUP_TIMEOUT = 15.0
INTERNAL_TIMEOUT = 15.0

_POLL = 0.05
_BATCH = 256 * 1024
"""Bytes of output read at most before they are handed on (see `_read_more`)."""
_ANSWER_POLL = 0.005
_QUIET_RECHECK = 0.25
_ABORT_GRACE = 1.0
_INTERRUPT_REPEAT = 0.05
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PROMPT_LIKE = re.compile(r"(?:[?:>#$\])]|password|passphrase)[ \t]*$", re.IGNORECASE)
_DEFAULT_ENV = {"PAGER": "cat", "GIT_PAGER": "cat", "SYSTEMD_PAGER": "cat", "MANPAGER": "cat", "TERM": "dumb"}



class ShellError(RuntimeError):
    """The shell could not be started, or one of the runner's own commands failed in it."""


class ShellSession:
    """A persistent bash on a pty; see the module docstring for the behaviour of each call."""

    def __init__(self, env: Mapping[str, str] | None = None, cwd: str | None = None,
                 redactor: Redactor | None = None, on_output: Callable[[str], None] | None = None,
                 *, prompt_wait: float = PROMPT_WAIT, shell: str = "bash", operator: OperatorTerminal | None = None,
                 on_waiting: Callable[[str | None], None] | None = None) -> None:
        """`env`: the shell's environment (default: this process's); `cwd`: its first folder;
        `on_output`: called with each piece of (redacted) output as it comes; `shell`: the bash to run;
        `operator`: the terminal whose keys go to the blocks (see "Typing into a block");
        `on_waiting`: told the prompt line when a block waits for the operator's input."""
        base = dict(os.environ if env is None else env)
        for name, value in _DEFAULT_ENV.items():
            base.setdefault(name, value)
        self.env = base
        self.initial_cwd = cwd
        self.redactor = redactor if redactor is not None else Redactor()
        self.on_output = on_output
        self.prompt_wait = prompt_wait
        self.shell = shell
        self.backgrounds: list[BackgroundProcess] = []
        self._exported: dict[str, str] = {}
        self._child: spawn | None = None
        self._fd = -1
        self._poller: select.poll | None = None
        self._dir: Path | None = None
        self._seq = 0
        self.marker: re.Pattern[str] = re.compile("(?!)")
        self.marker_head = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.carry = ""
        self._last_cwd = cwd
        self._needs_restart = False
        self._closed = False
        self._readers = TerminalReaders()
        self.operator = operator
        self.on_waiting = on_waiting
        self._quiet_mode: list[Any] | None = None
        """The pty's modes (echo off) before each command line, when an operator types into blocks."""
        self._held = b""
        self._keys_open = operator is not None

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> ShellSession:
        if self._closed:
            raise ShellError("this shell session is closed")
        if self._child is None:
            if self._dir is None:
                try:
                    self._dir = new_session_folder()
                except OSError as exc:
                    raise ShellError(f"cannot make the shell's private folder in {tempfile.gettempdir()}: "
                                     f"{exc.strerror or exc}") from None
            self._spawn(self.initial_cwd)
        return self

    def close(self) -> None:
        """Stop the backgrounds not kept, end the shell, and kill anything its blocks left running."""
        if self._closed:
            return
        self._closed = True
        try:
            for background in self.backgrounds:
                if not background.keep:
                    background.stop()
        finally:
            self._end_shell(gracefully=True)
            if self._dir is not None:
                shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> ShellSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The shell's pid (None before start or after the shell was lost)."""
        return self._child.pid if self._child is not None else None

    def running_command(self) -> str | None:
        """The command the shell runs now, from /proc (`running_command`); None when it runs only
        builtins or /proc cannot tell. Safe to call from another thread (the status line's)."""
        child = self._child
        return running_command(child.pid) if child is not None else None

    @property
    def cwd(self) -> str | None:
        """The shell's current folder (physical path)."""
        pid = self.pid
        if pid is not None:
            try:
                return os.readlink(f"/proc/{pid}/cwd")
            except OSError:
                pass
        return self._last_cwd

    # --- running blocks ------------------------------------------------------------------------

    def run(self, code: str, *, timeout: float | None = None, prompts: Sequence[tuple[str, str]] = (),
            cwd: str | None = None, interrupt: threading.Event | None = None) -> BlockOutcome:
        """Run one block in the shell (see the module docstring); never raises for what the block does.

        Not thread-safe: one block at a time. An `interrupt` already set means the block is not started.
        """
        if interrupt is not None and interrupt.is_set():
            return BlockOutcome(exit_code=None, output="", interrupted=True)
        return self._execute(code, timeout=timeout, prompts=prompts, cwd=cwd, interrupt=interrupt, visible=True)

    def succeeds(self, code: str, *, timeout: float) -> bool:
        """Whether `code` exits 0 in the shell, run unseen (its output shown nowhere, no keys typed into it)."""
        outcome = self._execute(code, timeout=timeout, visible=False)
        return outcome.exit_code == 0 and not outcome.timed_out

    def export(self, variables: Mapping[str, str]) -> None:
        """Export variables into the shell. Values travel in a private file, never as command text or echo."""
        lines = []
        for name, value in variables.items():
            if not _NAME.fullmatch(name):
                raise ValueError(f"{name!r} is not a shell variable name")
            problem = environment_problem(name, value)
            if problem is not None:
                raise EnvironmentValueError(name, problem)
            lines.append(f"builtin export {name}={shlex.quote(value)}")
        if not lines:
            return
        self._ensure_shell()
        with self._unnamed_file(("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")) as (_, path):
            outcome = self._internal(f"builtin source {shlex.quote(path)}")
        if outcome.exit_code != 0:
            raise ShellError(f"could not export {', '.join(variables)}: {outcome.output.strip()}")
        self._exported.update(variables)

    def chdir(self, folder: str) -> None:
        """Move the shell to `folder` (a resumed run puts back where a skipped step left it)."""
        outcome = self._internal(f"builtin cd -- {shlex.quote(folder)}")
        if outcome.exit_code != 0:
            raise ShellError(f"could not change to {folder}: {outcome.output.strip()}")

    def environment(self) -> dict[str, str]:
        """The variables the shell exports right now (unredacted: handle with care).

        They travel through a file that has no name (see `_unnamed_file`): a run killed at any
        moment leaves no copy of the environment, secrets included, on disk.
        """
        self._ensure_shell()
        with self._unnamed_file() as (fd, path):
            outcome = self._internal(f"__tutor_env {shlex.quote(path)}")
            if outcome.exit_code != 0:
                raise ShellError(f"could not read the shell's environment: {outcome.output.strip()}")
            data = _read_all(fd).decode("utf-8", "surrogateescape")
        result: dict[str, str] = {}
        for item in data.split("\0"):
            name, sep, value = item.partition("=")
            if sep:
                result[name] = value
        return result

    @contextmanager
    def _unnamed_file(self, content: bytes = b"") -> Iterator[tuple[int, str]]:
        """A private file with no name, and a path the shell can open it by (`/proc/PID/fd/N`).

        Created in the session's 0700 folder and unlinked at once, before anything is written
        to it; the kernel frees it when tutor closes it or dies. Without /proc the file keeps
        its name until the call is over (removed in `finally`, and by the next start-up's sweep).
        """
        assert self._dir is not None
        try:
            fd, name = tempfile.mkstemp(dir=self._dir, prefix="io-")
        except OSError as exc:
            raise ShellError(f"cannot write in {self._dir}: {exc.strerror or exc}") from None
        by_proc = f"/proc/{os.getpid()}/fd/{fd}"
        named = not os.path.exists(by_proc)
        if not named:
            os.unlink(name)
        try:
            if content:
                write_all(fd, content)
            yield fd, (name if named else by_proc)
        finally:
            os.close(fd)
            if named:
                Path(name).unlink(missing_ok=True)

    # --- background processes ------------------------------------------------------------------

    def start_background(self, code: str, name: str, cwd: str | None = None, log_path: Path | None = None,
                         *, keep: bool = False) -> BackgroundProcess:
        """Start a long-running process in its own session; its redacted output goes to `log_path`."""
        env = self.environment()
        base = self.cwd or os.getcwd()
        folder = os.path.join(base, os.path.expanduser(cwd)) if cwd else base
        if not os.path.isdir(folder):
            raise ShellError(f"the folder {folder} does not exist")
        background = start_background(code, name, shell=self.shell, env=env, folder=folder, log_path=log_path,
                                      redactor=self.redactor, keep=keep)
        self.backgrounds.append(background)
        return background

    def stop_backgrounds(self, keep: Iterable[str] = ()) -> None:
        """Stop every background process except those named in `keep`, which `close()` will leave running."""
        kept = set(keep)
        for background in self.backgrounds:
            if background.name in kept:
                background.keep = True
            else:
                background.stop()

    # --- the shell process ---------------------------------------------------------------------

    def _spawn(self, cwd: str | None) -> None:
        import pexpect

        assert self._dir is not None
        nonce = _secrets.token_hex(8)
        self.marker_head = f"__TUTOR_DONE_{nonce}:"
        self.marker = re.compile(re.escape(self.marker_head) + r"(\d+):(\d+):(\d*):([pi])__")
        rc = self._dir / "rc.bash"
        try:
            stty = shutil.which("stty") if self.operator is not None else None
            rc.write_text(RC_FILE.read_text(encoding="utf-8").replace("@NONCE@", nonce)
                          .replace("@SECRET_NAME@", SECRET_NAME.pattern)
                          .replace("@STTY@", shlex.quote(stty) if stty else "''"), encoding="utf-8")
        except OSError as exc:
            raise ShellError(f"cannot write the shell's rc file in {self._dir}: {exc.strerror or exc}") from None
        try:
            env = checked_environment({**self.env, **self._exported})
        except EnvironmentValueError as exc:
            raise ShellError(f"cannot start {self.shell}: {exc}") from None
        parent = os.getpid()
        try:
            child = pexpect.spawn(self.shell, ["--noprofile", "--rcfile", str(rc), "--noediting", "-i"], env=env,
                                  cwd=cwd, echo=False, dimensions=WINDOW, encoding=None, timeout=None,
                                  preexec_fn=_default_signals)
        except BaseException as exc:
            if os.getpid() != parent:
                _end_failed_child(exc)
            if isinstance(exc, (OSError, pexpect.ExceptionPexpect)):
                raise ShellError(f"cannot start {self.shell}{f' in {cwd}' if cwd else ''}: {exc}") from None
            raise
        child.delaybeforesend = None
        _no_output_processing(child.child_fd)
        child.ptyproc.delayafterclose = 0.0  # the shell is already gone when the pty is closed
        self._child = child
        self._fd = child.child_fd
        self._poller = select.poll()
        self._poller.register(self._fd, select.POLLIN)
        if self.operator is not None:
            self._quiet_mode = without_echo(typing_mode(termios.tcgetattr(self._fd), self.operator.saved))
            self.operator.copy_window(self._fd)
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.carry = ""
        self._needs_restart = False
        outcome = self._execute(":", timeout=STARTUP_TIMEOUT, visible=False)
        rc.unlink(missing_ok=True)  # read by now; a killed run leaves as little as possible behind
        if outcome.exit_code != 0:
            detail = outcome.output.strip() or ("it did not answer" if outcome.timed_out else "it ended")
            self._end_shell(gracefully=False)
            raise ShellError(f"cannot start {self.shell}: {detail}")
        self._readers.attach(child.pid)
        self._last_cwd = self.cwd

    def _ensure_shell(self) -> None:
        if self._closed:
            raise ShellError("this shell session is closed")
        if self._child is None:
            if self._needs_restart:
                cwd = self._last_cwd if self._last_cwd and os.path.isdir(self._last_cwd) else self.initial_cwd
                self._spawn(cwd)
            else:
                self.start()

    def _end_shell(self, gracefully: bool) -> None:
        """End the shell and every process of its session (the block's leftovers, `cmd &` jobs)."""
        child = self._child
        if child is None:
            return
        pid = child.pid
        try:
            self._last_cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            pass
        if gracefully and child.isalive():
            try:
                write_all(self._fd, b"builtin exit 0\n")
                deadline = time.monotonic() + 1.0
                while child.isalive() and time.monotonic() < deadline:
                    time.sleep(0.005)
            except OSError:
                pass
        if child.isalive():
            processes.kill(pid, signal.SIGKILL)
        processes.terminate(processes.session_members(pid))
        try:
            child.close(force=True)
        except Exception:  # noqa: BLE001 — pexpect raises its own error if the child will not die; it is dead
            pass
        processes.terminate(processes.session_members(pid))
        self._child = None
        self._poller = None
        self._fd = -1

    def _lose_shell(self) -> None:
        """The shell cannot go on: end it; the next call starts a new one where this one was."""
        self._end_shell(gracefully=False)
        self._needs_restart = True

    # --- one block -----------------------------------------------------------------------------

    def _internal(self, code: str, timeout: float = INTERNAL_TIMEOUT) -> BlockOutcome:
        outcome = self._execute(code, timeout=timeout, visible=False)
        if outcome.timed_out or outcome.shell_restarted:
            raise ShellError("the shell did not answer the runner's own command")
        return outcome

    def _execute(self, code: str, *, timeout: float | None, prompts: Sequence[tuple[str, str]] = (),
                 cwd: str | None = None, interrupt: threading.Event | None = None, visible: bool) -> BlockOutcome:
        if self._child is None:
            self._ensure_shell()
        assert self._dir is not None
        self._seq += 1
        path = self._dir / f"b{self._seq}.sh"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                write_all(fd, code.encode("utf-8", "surrogateescape"))
            finally:
                os.close(fd)
        except OSError as exc:  # a full $TMPDIR: the block cannot be handed to the shell
            path.unlink(missing_ok=True)
            raise ShellError(f"cannot write the block's code in {self._dir}: {exc.strerror or exc}") from None
        args = [str(self._seq), str(path)] + ([cwd] if cwd is not None else [])
        typing = visible and self.operator is not None
        line = (f"__tutor_pre {' '.join(map(shlex.quote, args))} && {'__tutor_keys && ' if typing else ''}"
                f"builtin source {shlex.quote(str(path))}; {{ __tutor_post $?; }} 2>/dev/null\n")
        block = Block(self, self._seq, prompts, visible)
        block.echoes = typing
        self._quiet_pty()
        try:
            if self.carry:
                carry, self.carry = self.carry, ""
                block.feed(carry)
            write_all(self._fd, line.encode("utf-8", "surrogateescape"))
            try:
                if typing:
                    assert self.operator is not None
                    with self.operator.keys_to(self._fd):
                        self._wait(block, timeout, interrupt)
                else:
                    self._wait(block, timeout, interrupt)
            except BaseException:
                # KeyboardInterrupt in the caller, an on_output that raised: never leave the block running
                if not block.done and self._child is not None:
                    block.visible = False
                    self._stop_block(block)
                raise
        finally:
            path.unlink(missing_ok=True)
        if block.done and visible:
            try:
                self._last_cwd = os.readlink(f"/proc/{self.pid}/cwd")
            except OSError:
                pass
        return block.outcome()

    def _wait(self, block: Block, timeout: float | None, interrupt: threading.Event | None) -> None:
        keys = block.echoes and self._keys_open and self._poller is not None and self.operator is not None
        if keys:
            assert self._poller is not None and self.operator is not None
            self._poller.register(self.operator.fd, select.POLLIN)
        try:
            self._wait_for(block, timeout, interrupt)
        finally:
            if keys and self._poller is not None and self.operator is not None and self._keys_open:
                self._poller.unregister(self.operator.fd)
            self._held = b""

    def _wait_for(self, block: Block, timeout: float | None, interrupt: threading.Event | None) -> None:
        deadline = None if timeout is None else block.started + timeout
        last_activity = block.started
        next_check = 0.0
        while not block.done:
            now = time.monotonic()
            wait = _ANSWER_POLL if block.answer is not None else _POLL
            if deadline is not None:
                wait = max(0.0, min(wait, deadline - now))
            state = self._read(block, wait)
            if block.done:
                return
            if state == "eof":
                self._shell_ended(block)
                return
            now = time.monotonic()
            if state in ("data", "keys"):
                last_activity = now
            if self._held:
                self._forward(block)
            block.match_prompts()
            if interrupt is not None and interrupt.is_set():
                block.interrupted = True
                self._stop_block(block)
                return
            if deadline is not None and now >= deadline:
                self._stop_block(block, timed_out=True)
                return
            if not block.visible:
                pass
            elif block.answer is not None:
                if self._may_answer(block):
                    block.send_answer()
                    last_activity = time.monotonic()
            elif now - last_activity >= self.prompt_wait and now >= next_check:
                next_check = now + _QUIET_RECHECK
                prompt = self._waiting_for_input(block)
                if block.done:
                    return
                if prompt is not None and block.echoes and self._keys_open:
                    self._announce(block, prompt)
                elif prompt is not None:
                    block.unexpected_prompt = prompt
                    self._stop_block(block)
                    return
            if state == "idle" and self._child is not None and not self._child.isalive():
                self._shell_ended(block)
                return

    def _read(self, block: Block, wait: float) -> str:
        """Read what is there (waiting up to `wait` s); 'data', 'idle' or 'eof'."""
        assert self._poller is not None
        events = self._poller.poll(math.ceil(wait * 1000))
        if not events:
            return "idle"
        if self.operator is not None and any(fd == self.operator.fd for fd, _ in events):
            self._take_keys(block)
            if not any(fd == self._fd for fd, _ in events):
                return "keys"
        try:
            data = os.read(self._fd, 65536)
        except OSError:
            return "eof"
        if not data:
            return "eof"
        block.feed(self._decoder.decode(self._read_more(data)))
        return "data"

    def _read_more(self, data: bytes) -> bytes:
        """`data` and what else is there already: a pty gives 4 KB per read, and each piece of output
        costs a decode, a marker search, a write to the terminal and a cast event, whatever its size.

        Read without blocking until the pty has nothing more, not after a poll for each 4 KB: a poll
        of a pty whose buffer is empty waits for the kernel to move the next piece in, just as the
        read does, so polling first made that wait and its system call twice per piece."""
        parts = [data]
        size = len(data)
        os.set_blocking(self._fd, False)
        try:
            while size < _BATCH:
                try:
                    more = os.read(self._fd, 65536)
                except OSError:  # BlockingIOError: nothing more now; EIO: the shell is gone (the next read says so)
                    break
                if not more:
                    break
                parts.append(more)
                size += len(more)
        finally:
            os.set_blocking(self._fd, True)
        return b"".join(parts) if len(parts) > 1 else data

    def _drain(self, block: Block, until: float = 0.0) -> bool:
        """Read until the block is done or nothing more comes by `until`; True when done."""
        while not block.done:
            state = self._read(block, max(0.0, until - time.monotonic()))
            if state == "eof" or (state == "idle" and time.monotonic() >= until):
                break
        return block.done

    # --- the operator's keys (see passthrough.py) ----------------------------------------------

    def _take_keys(self, block: Block) -> None:
        """Keys the operator typed: to the block's terminal once something of the block reads it."""
        assert self.operator is not None and self._poller is not None
        keys = self.operator.read_keys()
        if keys is None:
            return
        if not keys:  # the operator's terminal is gone: prompts fail fast from now on
            self._poller.unregister(self.operator.fd)
            self._keys_open = False
            return
        self._held += keys
        if block.typed_at < 0 and self.on_waiting is not None:
            self.on_waiting(None)
        block.typed_at = block.newlines
        self._forward(block)

    def _forward(self, block: Block) -> None:
        """Keys typed while nothing of the block reads the terminal wait for a reader (never for bash)."""
        if self._readers.available and not self._pty_raw():
            readers, pollers = self._terminal_state(block)
            if not readers and not pollers:
                return
        data, self._held = self._held, b""
        write_all(self._fd, data)

    def _announce(self, block: Block, prompt: str) -> None:
        """Say once per prompt line that the block waits for the operator (nothing over a full-screen program)."""
        if block.newlines in (block.announced_at, block.typed_at):
            return
        block.announced_at = block.newlines
        if self.on_waiting is not None:
            self.on_waiting(None if self._pty_raw() else prompt)

    def _pty_raw(self) -> bool:
        """The block's terminal is out of line mode: a full-screen program (an editor, a pager) reads it."""
        try:
            return not termios.tcgetattr(self._fd)[3] & termios.ICANON
        except termios.error:
            return False

    def _quiet_pty(self) -> None:
        """Before a command line: the pty in line mode without echo, and nothing left of what was typed."""
        if self._quiet_mode is None or self._fd < 0:
            return
        try:
            termios.tcsetattr(self._fd, termios.TCSANOW, self._quiet_mode)
        except termios.error:
            pass
        flush_input(self._readers.tty)
        self._held = b""

    def type_keys(self, data: str) -> None:
        """Type `data` into the shell's terminal, as a person would."""
        write_all(self._fd, data.encode("utf-8", "surrogateescape"))

    # --- prompts -------------------------------------------------------------------------------

    def _may_answer(self, block: Block) -> bool:
        """Type an answer only into a process that reads the terminal, never into bash's next command line."""
        if self._drain(block):
            return False
        if not self._readers.available:
            return True
        readers, _ = self._terminal_state(block)
        return bool(readers)

    def _waiting_for_input(self, block: Block) -> str | None:
        if self._drain(block):
            return None
        last = block.last_line()
        if self._readers.available:
            readers, pollers = self._terminal_state(block)
            looks_like_prompt = bool(_PROMPT_LIKE.search(last))
            if not readers and not (pollers and looks_like_prompt):
                return None
        elif not _PROMPT_LIKE.search(last):
            return None
        shown = block.last_visible_line()
        return shown if shown else "(no prompt text: the command is waiting for input)"

    def _terminal_state(self, block: Block) -> tuple[list[int], list[int]]:
        pid = self.pid
        if pid is None:
            return [], []
        return self._readers.scan(pid, block.started_tick - 1)

    # --- stopping a block ----------------------------------------------------------------------

    def _stop_block(self, block: Block, timed_out: bool = False) -> None:
        """Ctrl-C the block, kill what it started, and make sure the shell is back (or lost)."""
        if self._drain(block):
            return  # it finished just now
        block.stopped = True
        block.timed_out = timed_out
        pid = self.pid
        assert pid is not None
        if not self._interrupt(block, pid):
            # Bash did not come back: freeze it first, so that no later line of the block can run.
            processes.kill(pid, signal.SIGSTOP)
            processes.terminate(self._block_processes(block))
            block.restarted = True
            self._lose_shell()
            return
        processes.terminate(self._block_processes(block))  # what the block left running (`cmd &`)
        try:
            self._internal(":", timeout=5.0)  # swallows whatever the interruption left on the terminal
        except ShellError:
            block.restarted = True
            self._lose_shell()

    def _interrupt(self, block: Block, pid: int) -> bool:
        """Ctrl-C until bash is back (a SIGINT that lands between two commands reaches no command)."""
        deadline = time.monotonic() + _ABORT_GRACE
        pause = _INTERRUPT_REPEAT
        while time.monotonic() < deadline:
            processes.kill_group(pid, signal.SIGINT)
            if self._drain(block, min(deadline, time.monotonic() + pause)):
                return True
            pause *= 2
        return False

    def _shell_ended(self, block: Block) -> None:
        child = self._child
        status: int | None = None
        if child is not None:
            deadline = time.monotonic() + 1.0
            while child.isalive() and time.monotonic() < deadline:
                time.sleep(0.01)
            if child.isalive():
                processes.kill(child.pid, signal.SIGKILL)
                child.wait()
            exit_status = child.exitstatus
            signal_status = child.signalstatus
            status = exit_status if exit_status is not None else (128 + signal_status if signal_status else None)
        self._drain(block)
        block.shell_status = status
        block.restarted = True
        self._lose_shell()

    def _block_processes(self, block: Block) -> list[int]:
        """Processes the block started: in the shell's session or below the shell, started since it began."""
        pid = self.pid
        if pid is None:
            return []
        table = processes.process_table()
        members = {p for p, info in table.items() if info.sid == pid}
        members.update(processes.descendants_in(table, pid))
        members.discard(pid)
        since = block.started_tick - 1
        return [p for p in members if p in table and table[p].start >= since and table[p].state != "Z"]


def _end_failed_child(exc: BaseException) -> NoReturn:
    """In the forked child, after a failed exec: say why on the terminal (the parent reads it as the
    shell's output) and end at once. Letting the exception climb would run the parent's own code
    in the child: its `finally` blocks, which remove the session's folder and write the state."""
    try:
        os.write(2, f"tutor: cannot start the shell: {type(exc).__name__}: {exc}\n".encode("utf-8", "replace"))
    finally:
        os._exit(127)


def _no_output_processing(fd: int) -> None:
    """Turn the pty's output processing off (`stty -opost`): a command's `\n` comes through as it
    wrote it, not as `\r\n`. The pty then handles output in blocks instead of looking at every
    byte, which makes a command's output reach the runner about a third faster; the runner turns
    newlines into what the operator's terminal needs itself (display.py)."""
    import termios

    try:
        attributes = termios.tcgetattr(fd)
        attributes[1] &= ~termios.OPOST
        termios.tcsetattr(fd, termios.TCSANOW, attributes)
    except (termios.error, OSError):
        pass  # output processing stays on: the runner reads `\r\n` as `\n` anyway


def _default_signals() -> None:
    # Python ignores SIGPIPE (and may run with SIGINT ignored, under nohup): a shell must start
    # with the dispositions a terminal gives it, or `yes | head -1` and Ctrl-C behave differently.
    for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _read_all(fd: int) -> bytes:
    parts = []
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        parts.append(chunk)
        offset += len(chunk)
    return b"".join(parts)


