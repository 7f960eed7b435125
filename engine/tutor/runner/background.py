"""Background blocks: long-running processes a run starts beside its shell.

Each one runs `bash -e -o pipefail -c CODE` in a new session (setsid), with the shell's exported
variables and folder at that moment, stdin from /dev/null, and its output going through the
redacting pump (`pump.py`) into its log file, so the log holds no secret even when the process
is kept running after the run. Unexported shell variables and functions are not visible to it
(it is a new process, like a script the reader starts).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from . import processes
from .redact import Redactor
from .spawn_env import checked_environment

PUMP = Path(__file__).with_name("pump.py")
"""The program that copies a background's output into its log, masking secrets."""


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


def start_background(code: str, name: str, *, shell: str, env: Mapping[str, str], folder: str,
                     log_path: Path | None, redactor: Redactor, keep: bool = False) -> BackgroundProcess:
    """Start `shell -e -o pipefail -c CODE` in a new session, in `folder` with `env`; its output goes,
    redacted by the pump, to `log_path` (a private temporary file when None)."""
    env = checked_environment(env)  # an EnvironmentValueError (a ValueError) names the variable
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
        pump = subprocess.Popen([sys.executable, "-I", "-S", str(PUMP), str(secrets_read), str(log_path)],
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
        os.write(secrets_write, json.dumps(sorted(redactor.secrets)).encode("utf-8", "surrogateescape"))
    finally:
        os.close(secrets_write)
    try:
        process = subprocess.Popen([shell, "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", code],
                                   env=env, cwd=folder, stdin=subprocess.DEVNULL, stdout=data_write,
                                   stderr=data_write, start_new_session=True)
    except OSError:
        os.close(data_write)
        pump.wait()
        raise
    os.close(data_write)
    return BackgroundProcess(name, process, pump, log_path, code, redactor, keep=keep)


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "background"
