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

*`exit N`* in a block ends the block with status N (a function named `exit` stands in for the
builtin at the block's level; in subshells and scripts `exit` is the real one). The session
goes on. `return N` at the block's level does the same.

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
`start_background` starts `bash -e -o pipefail -c CODE` in a new session (setsid), with the
shell's exported variables and folder at that moment, stdin from /dev/null, and its output
going through a small redacting pump into the log file, so the log holds no secret even
when the process is kept running after the run. Unexported shell variables and functions are
not visible to it (it is a new process, like a script the reader starts).

The shell's environment gets PAGER, GIT_PAGER, SYSTEMD_PAGER and MANPAGER=cat, and TERM=dumb, unless
the given env sets them: nobody is there to page through `systemctl status`.
"""

from __future__ import annotations

import codecs
import json
import math
import os
import platform
import re
import secrets as _secrets
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import processes
from .redact import PUMP_SCRIPT, Redactor, StreamRedactor

if TYPE_CHECKING:
    from pexpect import spawn

WINDOW = (50, 250)
"""Rows and columns of the shell's terminal: wide, so tools do not wrap or truncate."""
PROMPT_WAIT = 1.0
"""Seconds of silence after which a block that waits for input is stopped."""
STARTUP_TIMEOUT = 15.0
INTERNAL_TIMEOUT = 15.0
MAX_OUTPUT = 4 * 1024 * 1024
"""Characters of output kept in `BlockOutcome.output` (the end of it); `on_output` sees everything."""

_POLL = 0.05
_ANSWER_POLL = 0.005
_QUIET_RECHECK = 0.25
_ABORT_GRACE = 1.0
_INTERRUPT_REPEAT = 0.05
_OMITTED = "[… earlier output omitted …]\n"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_PROMPT_LIKE = re.compile(r"(?:[?:>#$\])]|password|passphrase)[ \t]*$", re.IGNORECASE)
_SECRET_PROMPT = re.compile(r"pass(?:word|phrase)|secret|token|\bpin\b", re.IGNORECASE)
_DEFAULT_ENV = {"PAGER": "cat", "GIT_PAGER": "cat", "SYSTEMD_PAGER": "cat", "MANPAGER": "cat", "TERM": "dumb"}

# read/readv/pread64 and poll/select/epoll variants, per architecture; elsewhere only the text heuristic applies.
_READ_CALLS = {"x86_64": {0, 17, 19}, "aarch64": {63, 65, 67}}
_POLL_CALLS = {"x86_64": {7, 23, 232, 270, 271, 281, 441}, "aarch64": {22, 72, 73, 441}}

_RC = r"""
PS1='' PS2='' PS0=''
builtin unset HISTFILE MAILCHECK TMOUT PROMPT_COMMAND
builtin set +o history +H +m
__tutor_nonce=@NONCE@
__tutor_active='' __tutor_seq=0 __tutor_file='' __tutor_line='' __tutor_exit='' __tutor_home='' __tutor_s=0 __tutor_l=0 __tutor_p='' __tutor_fd='' __tutor_pipe='' __tutor_pc='' __tutor_ps=0
__tutor_trap='{ __tutor_s=$? __tutor_l=$LINENO __tutor_p=${PIPESTATUS[*]}; if (( BASH_SUBSHELL )); then __tutor_sigpipe $__tutor_p || builtin exit "$__tutor_s"; else builtin set +e; if [[ -n ${BASH_SOURCE[0]-} ]]; then if __tutor_sigpipe $__tutor_p; then __tutor_pipe=1; else __tutor_pipe=""; if [[ -z $__tutor_line && ${BASH_SOURCE[0]} == "$__tutor_file" ]]; then __tutor_line=$__tutor_l; fi; builtin return "$__tutor_s"; fi; fi; fi; } 2>/dev/null'
__tutor_sigpipe() {  # a pipeline's statuses: only SIGPIPE (141) failures, before a last command that succeeded
    (( $# > 1 )) && [[ ${!#} == 0 ]] || builtin return 1
    local s
    for s in "$@"; do [[ $s == 0 || $s == 141 ]] || builtin return 1; done
}
__tutor_pre() {
    __tutor_seq=$1 __tutor_file=$2 __tutor_line='' __tutor_exit='' __tutor_home='' __tutor_pipe='' __tutor_active=1
    PROMPT_COMMAND=$__tutor_pc
    builtin trap -- "$__tutor_trap" ERR
    builtin set -E +m -o pipefail
    if (( $# >= 3 )); then
        __tutor_l=$PWD
        builtin cd -- "$3" || builtin return
        __tutor_home=$__tutor_l
    fi
}
__tutor_finish() {
    { builtin set +exv; } 2>/dev/null
    builtin trap - ERR
    if [[ -n $__tutor_exit ]]; then builtin set -- "$__tutor_exit" "$2"; fi
    if [[ $1 == 141 && -n $__tutor_pipe ]]; then builtin set -- 0 "$2"; fi
    if [[ -n $__tutor_home ]]; then builtin cd -- "$__tutor_home" || :; fi
    __tutor_active=''
    builtin printf '__TUTOR_DONE_%s:%s:%s:%s:%s__' "$__tutor_nonce" "$__tutor_seq" "$1" "$__tutor_line" "$2" > /dev/tty
}
__tutor_post() { __tutor_finish "$1" p; }
__tutor_prompt() {  # $__tutor_ps: the status of the command line, taken first thing by PROMPT_COMMAND
    __tutor_fd=''
    PS1='' PS2='' PS0=''
    if [[ -n $__tutor_active ]]; then __tutor_finish "$__tutor_ps" i; fi
}
__tutor_env() {
    local IFS=$'\n' __tutor_n
    for __tutor_n in $(builtin compgen -e); do builtin printf '%s=%s\0' "$__tutor_n" "${!__tutor_n-}"; done > "$1"
}
exit() {
    { (( BASH_SUBSHELL )) || [[ -z $__tutor_active ]]; } 2>/dev/null && builtin exit "$@"
    { builtin set +xv; } 2>/dev/null
    __tutor_exit=${1-$?}
    if [[ ! $__tutor_exit =~ ^-?[0-9]+$ ]]; then __tutor_exit=2; fi
    __tutor_exit=$(( __tutor_exit & 255 ))
    exec {__tutor_fd}>&2 2>/dev/null  # bash prints a newline on SIGINT; the block did not
    builtin kill -INT $$
}
# The runner's own commands run with stderr to /dev/null so that a block's `set -x` does not trace
# them; only the restoring of stderr after `exit` must happen outside that redirection.
__tutor_pc='__tutor_ps=$?; [[ -z $__tutor_fd ]] || exec 2>&"$__tutor_fd" {__tutor_fd}>&-; { __tutor_prompt; } 2>/dev/null'
PROMPT_COMMAND=$__tutor_pc
"""


class ShellError(RuntimeError):
    """The shell could not be started, or one of the runner's own commands failed in it."""


@dataclass
class BlockOutcome:
    exit_code: int | None
    """The block's status; None when it did not finish by itself (timeout, interrupt, unexpected prompt)."""
    output: str
    """What the terminal showed (stdout and stderr together), redacted, CRLF → LF, markers removed."""
    timed_out: bool = False
    interrupted: bool = False
    unexpected_prompt: str | None = None
    """The last line the block printed before it waited for input nobody gave."""
    duration: float = 0.0
    failed_line: int | None = None
    """1-based line of the block whose command failed, when bash could tell."""
    shell_restarted: bool = False
    """The shell was lost during this block; the next block runs in a new one (see the module doc)."""
    unused_prompts: tuple[str, ...] = ()
    """`expect` texts that never appeared."""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not (self.timed_out or self.interrupted or self.unexpected_prompt is not None)


class BackgroundProcess:
    """A long-running process started by `ShellSession.start_background`, in its own session."""

    def __init__(self, name: str, process: subprocess.Popen[bytes], pump: subprocess.Popen[bytes],
                 log_path: Path, command: str, redactor: Redactor, keep: bool = False) -> None:
        self.name = name
        self.command = command
        self.pid = process.pid
        self.pgid = process.pid
        self.log_path = log_path
        self.keep = keep
        """Left running by `ShellSession.close()`."""
        self._process = process
        self._pump = pump
        self._redactor = redactor
        self._stopped = False

    def is_running(self) -> bool:
        if self._stopped:
            return False
        if self._process.poll() is None:
            return True
        return processes.group_alive(self.pgid)

    @property
    def exit_code(self) -> int | None:
        """The status of the started process once it ended (negative: killed by that signal)."""
        return self._process.poll()

    def wait(self, timeout: float | None = None) -> int | None:
        """Wait for the process to end by itself (and its log to be complete); None if it is still running."""
        try:
            self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        try:
            self._pump.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            pass
        return self._process.returncode

    def stop(self, timeout: float = 5.0) -> int | None:
        """SIGTERM to the process group, SIGKILL after `timeout`; returns the exit code."""
        if not self._stopped:
            self._stopped = True
            if self._process.poll() is None or processes.group_alive(self.pgid):
                processes.kill_group(self.pgid, signal.SIGTERM)
                processes.kill_group(self.pgid, signal.SIGCONT)
                if not self._wait_group(timeout):
                    processes.kill_group(self.pgid, signal.SIGKILL)
                    self._wait_group(2.0)
        try:
            self._process.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            pass
        try:
            self._pump.wait(timeout=2.0)  # the log is complete once the pump has read to the end
        except subprocess.TimeoutExpired:
            self._pump.kill()
            self._pump.wait()
        return self._process.returncode

    def log_tail(self, lines: int = 20) -> str:
        """The end of the log, redacted (the log already is; this also masks secrets added since)."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 65536))
                data = f.read()
        except OSError:
            return ""
        text = data.decode("utf-8", "replace").replace("\r\n", "\n")
        return self._redactor.redact("\n".join(text.rstrip("\n").split("\n")[-lines:]))

    def _wait_group(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            self._process.poll()
            if self._process.returncode is not None and not processes.group_alive(self.pgid):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def __repr__(self) -> str:
        return f"BackgroundProcess(name={self.name!r}, pid={self.pid}, running={self.is_running()})"


class ShellSession:
    """A persistent bash on a pty; see the module docstring for the behaviour of each call."""

    def __init__(self, env: Mapping[str, str] | None = None, cwd: str | None = None,
                 redactor: Redactor | None = None, on_output: Callable[[str], None] | None = None,
                 *, prompt_wait: float = PROMPT_WAIT, shell: str = "bash") -> None:
        """`env`: the shell's environment (default: this process's); `cwd`: its first folder;
        `on_output`: called with each piece of (redacted) output as it comes; `shell`: the bash to run."""
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
        self._marker: re.Pattern[str] = re.compile("(?!)")
        self._marker_head = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._carry = ""
        self._tty = ""
        self._last_cwd = cwd
        self._needs_restart = False
        self._closed = False
        arch = platform.machine()
        self._read_calls = _READ_CALLS.get(arch, set())
        self._poll_calls = _POLL_CALLS.get(arch, set())
        self._proc_syscalls = False

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> ShellSession:
        if self._closed:
            raise ShellError("this shell session is closed")
        if self._child is None:
            if self._dir is None:
                self._dir = Path(tempfile.mkdtemp(prefix="tutor-shell-"))
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

    def export(self, variables: Mapping[str, str]) -> None:
        """Export variables into the shell. Values travel in a private file, never as command text or echo."""
        lines = []
        for name, value in variables.items():
            if not _NAME.fullmatch(name):
                raise ValueError(f"{name!r} is not a shell variable name")
            if "\0" in value:
                raise ValueError(f"the value of {name} contains a NUL character, which no environment variable can hold")
            lines.append(f"builtin export {name}={shlex.quote(value)}")
        if not lines:
            return
        outcome = self._internal("\n".join(lines))
        if outcome.exit_code != 0:
            raise ShellError(f"could not export {', '.join(variables)}: {outcome.output.strip()}")
        self._exported.update(variables)

    def environment(self) -> dict[str, str]:
        """The variables the shell exports right now (unredacted: handle with care)."""
        self._ensure_shell()
        assert self._dir is not None
        path = self._dir / "env"
        try:
            outcome = self._internal(f"__tutor_env {shlex.quote(str(path))}")
            if outcome.exit_code != 0:
                raise ShellError(f"could not read the shell's environment: {outcome.output.strip()}")
            data = path.read_bytes().decode("utf-8", "surrogateescape")
        finally:
            path.unlink(missing_ok=True)
        result: dict[str, str] = {}
        for item in data.split("\0"):
            name, sep, value = item.partition("=")
            if sep:
                result[name] = value
        return result

    # --- background processes ------------------------------------------------------------------

    def start_background(self, code: str, name: str, cwd: str | None = None, log_path: Path | None = None,
                         *, keep: bool = False) -> BackgroundProcess:
        """Start a long-running process in its own session; its redacted output goes to `log_path`."""
        env = self.environment()
        base = self.cwd or os.getcwd()
        folder = os.path.join(base, os.path.expanduser(cwd)) if cwd else base
        if not os.path.isdir(folder):
            raise ShellError(f"the folder {folder} does not exist")
        if log_path is None:
            handle, path = tempfile.mkstemp(prefix=f"tutor-{_safe_name(name)}-", suffix=".log")
            os.close(handle)
            log_path = Path(path)
        log_path = Path(log_path)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))  # fail here, not in the pump
        data_read, data_write = os.pipe()
        secrets_read, secrets_write = os.pipe()
        try:
            pump = subprocess.Popen([sys.executable, "-I", "-S", "-c", PUMP_SCRIPT, str(secrets_read), str(log_path)],
                                    stdin=data_read, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    pass_fds=(secrets_read,), start_new_session=True)
        except OSError:
            os.close(data_write)
            os.close(secrets_write)
            raise
        finally:
            os.close(data_read)
            os.close(secrets_read)
        try:
            os.write(secrets_write, json.dumps(sorted(self.redactor.secrets)).encode("utf-8", "surrogateescape"))
        finally:
            os.close(secrets_write)
        try:
            process = subprocess.Popen([self.shell, "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", code],
                                       env=env, cwd=folder, stdin=subprocess.DEVNULL, stdout=data_write,
                                       stderr=data_write, start_new_session=True)
        except OSError:
            os.close(data_write)
            pump.wait()
            raise
        os.close(data_write)
        background = BackgroundProcess(name, process, pump, log_path, code, self.redactor, keep=keep)
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
        self._marker_head = f"__TUTOR_DONE_{nonce}:"
        self._marker = re.compile(re.escape(self._marker_head) + r"(\d+):(\d+):(\d*):([pi])__")
        rc = self._dir / "rc.bash"
        rc.write_text(_RC.replace("@NONCE@", nonce), encoding="utf-8")
        env = {**self.env, **self._exported}
        try:
            child = pexpect.spawn(self.shell, ["--noprofile", "--rcfile", str(rc), "--noediting", "-i"], env=env,
                                  cwd=cwd, echo=False, dimensions=WINDOW, encoding=None, timeout=None,
                                  preexec_fn=_default_signals)
        except (OSError, pexpect.ExceptionPexpect) as exc:
            raise ShellError(f"cannot start {self.shell}{f' in {cwd}' if cwd else ''}: {exc}") from None
        child.delaybeforesend = None
        child.ptyproc.delayafterclose = 0.0  # the shell is already gone when the pty is closed
        self._child = child
        self._fd = child.child_fd
        self._poller = select.poll()
        self._poller.register(self._fd, select.POLLIN)
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._carry = ""
        self._needs_restart = False
        outcome = self._execute(":", timeout=STARTUP_TIMEOUT, visible=False)
        rc.unlink(missing_ok=True)  # read by now; a killed run leaves as little as possible behind
        if outcome.exit_code != 0:
            detail = outcome.output.strip() or ("it did not answer" if outcome.timed_out else "it ended")
            self._end_shell(gracefully=False)
            raise ShellError(f"cannot start {self.shell}: {detail}")
        try:
            self._tty = os.readlink(f"/proc/{child.pid}/fd/0")
            with open(f"/proc/{child.pid}/syscall") as f:
                f.read()
            self._proc_syscalls = bool(self._read_calls)
        except OSError:
            self._proc_syscalls = False
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
                _write_all(self._fd, b"builtin exit 0\n")
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
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            _write_all(fd, code.encode("utf-8", "surrogateescape"))
        finally:
            os.close(fd)
        args = [str(self._seq), str(path)] + ([cwd] if cwd is not None else [])
        line = (f"__tutor_pre {' '.join(map(shlex.quote, args))} && builtin source {shlex.quote(str(path))}; "
                f"{{ __tutor_post $?; }} 2>/dev/null\n")
        block = _Block(self, self._seq, prompts, visible)
        try:
            if self._carry:
                carry, self._carry = self._carry, ""
                block.feed(carry)
            _write_all(self._fd, line.encode("utf-8", "surrogateescape"))
            try:
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

    def _wait(self, block: _Block, timeout: float | None, interrupt: threading.Event | None) -> None:
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
            if state == "data":
                last_activity = now
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
                if prompt is not None:
                    block.unexpected_prompt = prompt
                    self._stop_block(block)
                    return
            if state == "idle" and self._child is not None and not self._child.isalive():
                self._shell_ended(block)
                return

    def _read(self, block: _Block, wait: float) -> str:
        """Read what is there (waiting up to `wait` s); 'data', 'idle' or 'eof'."""
        assert self._poller is not None
        if not self._poller.poll(math.ceil(wait * 1000)):
            return "idle"
        try:
            data = os.read(self._fd, 65536)
        except OSError:
            return "eof"
        if not data:
            return "eof"
        block.feed(self._decoder.decode(data))
        return "data"

    def _drain(self, block: _Block, until: float = 0.0) -> bool:
        """Read until the block is done or nothing more comes by `until`; True when done."""
        while not block.done:
            state = self._read(block, max(0.0, until - time.monotonic()))
            if state == "eof" or (state == "idle" and time.monotonic() >= until):
                break
        return block.done

    def _write(self, data: str) -> None:
        _write_all(self._fd, data.encode("utf-8", "surrogateescape"))

    # --- prompts -------------------------------------------------------------------------------

    def _may_answer(self, block: _Block) -> bool:
        """Type an answer only into a process that reads the terminal, never into bash's next command line."""
        if self._drain(block):
            return False
        if not self._proc_syscalls:
            return True
        readers, _ = self._terminal_state(block)
        return bool(readers)

    def _waiting_for_input(self, block: _Block) -> str | None:
        if self._drain(block):
            return None
        last = block.last_line()
        if self._proc_syscalls:
            readers, pollers = self._terminal_state(block)
            looks_like_prompt = bool(_PROMPT_LIKE.search(last))
            if not readers and not (pollers and looks_like_prompt):
                return None
        elif not _PROMPT_LIKE.search(last):
            return None
        shown = block.last_visible_line()
        return shown if shown else "(no prompt text: the command is waiting for input)"

    def _terminal_state(self, block: _Block) -> tuple[list[int], list[int]]:
        """The block's processes blocked reading the terminal, and those in poll/select with it as stdin.

        The shell itself counts (`read` is a builtin); processes that earlier blocks left running do not.
        """
        pid = self.pid
        if pid is None:
            return [], []
        since = block.started_tick - 1
        terminal = (self._tty, "/dev/tty")  # password prompts (getpass, sudo, ssh) open /dev/tty
        readers: list[int] = []
        pollers: list[int] = []
        for member in [pid, *processes.descendants(pid)]:
            try:
                with open(f"/proc/{member}/syscall") as f:
                    fields = f.read().split()
                number = int(fields[0])
                if member != pid and (info := processes.stat(member)) is not None and info.start < since:
                    continue
                if number in self._read_calls:
                    if os.readlink(f"/proc/{member}/fd/{int(fields[1], 16)}") in terminal:
                        readers.append(member)
                elif number in self._poll_calls and os.readlink(f"/proc/{member}/fd/0") in terminal:
                    pollers.append(member)
            except (OSError, ValueError, IndexError):
                continue
        return readers, pollers

    # --- stopping a block ----------------------------------------------------------------------

    def _stop_block(self, block: _Block, timed_out: bool = False) -> None:
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

    def _interrupt(self, block: _Block, pid: int) -> bool:
        """Ctrl-C until bash is back (a SIGINT that lands between two commands reaches no command)."""
        deadline = time.monotonic() + _ABORT_GRACE
        pause = _INTERRUPT_REPEAT
        while time.monotonic() < deadline:
            processes.kill_group(pid, signal.SIGINT)
            if self._drain(block, min(deadline, time.monotonic() + pause)):
                return True
            pause *= 2
        return False

    def _shell_ended(self, block: _Block) -> None:
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

    def _block_processes(self, block: _Block) -> list[int]:
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


class _Block:
    """The state of one block while it runs: output assembly, markers, prompts."""

    def __init__(self, session: ShellSession, seq: int, prompts: Sequence[tuple[str, str]], visible: bool) -> None:
        self.session = session
        self.seq = seq
        self.visible = visible
        self.unused = [(expect, send) for expect, send in prompts if expect]
        self.answer: tuple[str, str] | None = None
        self.started = time.monotonic()
        self.started_tick = processes.boot_ticks()
        self.ended: float | None = None
        self.done = False
        self.status: int | None = None
        self.line: int | None = None
        self.stopped = False
        self.timed_out = False
        self.interrupted = False
        self.restarted = False
        self.shell_status: int | None = None
        self.unexpected_prompt: str | None = None
        self._raw = ""
        self._cr = ""
        self._screen = ""
        self._searched = 0
        self._stream: StreamRedactor = session.redactor.stream()
        self._parts: deque[str] = deque()
        self._size = 0
        self._omitted = False

    # output ------------------------------------------------------------------------------------

    def feed(self, text: str) -> None:
        raw = self._raw + text
        marker = self.session._marker
        while True:
            match = marker.search(raw)
            if match is None:
                break
            self._emit(raw[:match.start()])
            raw = raw[match.end():]
            if int(match.group(1)) == self.seq:
                self.session._carry = raw
                self._raw = ""
                self.done = True
                self.ended = time.monotonic()
                self.status = int(match.group(2))
                self.line = int(match.group(3)) if match.group(3) else None
                return
        held = _held_marker(raw, self.session._marker_head)
        self._emit(raw[:len(raw) - held])
        self._raw = raw[len(raw) - held:]

    def _emit(self, text: str, screen: bool = True) -> None:
        if not text:
            return
        text = self._cr + text
        self._cr = "\r" if text.endswith("\r") else ""
        if self._cr:
            text = text[:-1]
        text = text.replace("\r\n", "\n")
        if screen:
            self._screen += text
            if len(self._screen) > 2 * 65536:
                cut = len(self._screen) - 65536
                self._screen = self._screen[cut:]
                self._searched = max(0, self._searched - cut)
        self._show(self._stream.feed(text))

    def _show(self, text: str) -> None:
        if not text:
            return
        self._parts.append(text)
        self._size += len(text)
        while self._size > MAX_OUTPUT and len(self._parts) > 1:
            self._size -= len(self._parts.popleft())
            self._omitted = True
        if self.visible and self.session.on_output is not None:
            self.session.on_output(text)

    def _finish_output(self) -> None:
        rest = self._raw + self._cr
        self._raw = self._cr = ""
        if rest:
            self._show(self._stream.feed(rest.replace("\r\n", "\n")))
        self._show(self._stream.flush())

    def last_line(self) -> str:
        """The unredacted text after the last newline (what a prompt would look like)."""
        return self._screen[self._screen.rfind("\n") + 1:] + self._raw

    def last_visible_line(self) -> str:
        for line in reversed(self._screen.split("\n")[-50:]):
            line = _ESCAPES.sub("", line.rsplit("\r", 1)[-1]).strip()
            if line:
                return self.session.redactor.redact(line[-200:])
        return ""

    # prompts -----------------------------------------------------------------------------------

    def match_prompts(self) -> None:
        if self.answer is not None or not self.unused:
            return
        window = self._screen[self._searched:]
        best: tuple[int, int] | None = None
        for index, (expect, _) in enumerate(self.unused):
            position = window.find(expect)
            if position >= 0 and (best is None or position < best[0]):
                best = (position, index)
        if best is not None:
            position, index = best
            self.answer = self.unused.pop(index)
            self._searched += position + len(self.answer[0])

    def send_answer(self) -> None:
        assert self.answer is not None
        expect, send = self.answer
        self.answer = None
        self.session._write(send + "\r")
        if not _SECRET_PROMPT.search(expect):  # a password prompt turns echo off: not even Enter shows
            self._emit(send + "\n", screen=False)

    # result ------------------------------------------------------------------------------------

    def outcome(self) -> BlockOutcome:
        self._finish_output()
        output = "".join(self._parts)
        if self._omitted:
            output = _OMITTED + output
        if self.stopped:
            exit_code: int | None = None
        elif self.restarted:
            exit_code = self.shell_status
        else:
            exit_code = self.status
        return BlockOutcome(
            exit_code=exit_code,
            output=output,
            timed_out=self.timed_out,
            interrupted=self.interrupted,
            unexpected_prompt=self.unexpected_prompt,
            duration=(self.ended or time.monotonic()) - self.started,
            failed_line=self.line if exit_code else None,
            shell_restarted=self.restarted,
            unused_prompts=tuple(expect for expect, _ in self.unused),
        )


def _default_signals() -> None:
    # Python ignores SIGPIPE (and may run with SIGINT ignored, under nohup): a shell must start
    # with the dispositions a terminal gives it, or `yes | head -1` and Ctrl-C behave differently.
    for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def _held_marker(raw: str, head: str) -> int:
    """Length of the tail of `raw` that may be the beginning of a completion marker."""
    start = raw.rfind(head)
    if start >= 0:
        return len(raw) - start
    window = len(head) - 1
    if raw.rfind("_", len(raw) - window) < 0:
        return 0
    for size in range(min(window, len(raw)), 0, -1):
        if head.startswith(raw[-size:]):
            return size
    return 0


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "background"
