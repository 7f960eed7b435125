"""`tutor doctor`: does this host have what the runner itself needs? Reads only; creates nothing."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

OK, WARN, FAIL = "ok", "warning", "failed"


@dataclass
class Finding:
    name: str
    status: str
    detail: str
    hint: str = ""


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    text = (done.stdout or done.stderr).strip()
    return text.split("\n", 1)[0] if text else ""


def check_bash() -> Finding:
    path = shutil.which("bash")
    if path is None:
        return Finding("bash", FAIL, "not found on PATH", "install bash: the runner runs every block in one bash session")
    return Finding("bash", OK, f"{_first_line([path, '--version']) or 'unknown version'} ({path})")


def check_sudo(euid: int | None = None) -> Finding:
    euid = os.geteuid() if euid is None else euid
    path = shutil.which("sudo")
    if euid == 0:
        return Finding("sudo", OK, "running as root" + (f"; sudo at {path}" if path else "; sudo not installed (not needed as root)"))
    if path is None:
        return Finding("sudo", WARN, "not installed", "blocks that use sudo will fail; install sudo or run tutor as root")
    try:
        passwordless = subprocess.run([path, "-n", "true"], capture_output=True, timeout=5, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        passwordless = False
    if passwordless:
        return Finding("sudo", OK, f"{_first_line([path, '--version']) or path}; no password needed")
    return Finding("sudo", WARN, f"{path} asks for a password",
                   "run `sudo -v` before `tutor run` so blocks that use sudo do not stop at a password prompt")


def check_pty() -> Finding:
    try:
        master, slave = os.openpty()
    except OSError as exc:
        return Finding("terminal (pty)", FAIL, f"cannot open a pseudo-terminal: {exc.strerror or exc}",
                       "mount /dev/pts (in a container: run it with a tty-capable runtime)")
    os.close(master)
    os.close(slave)
    return Finding("terminal (pty)", OK, "pseudo-terminals available")


def check_writable(name: str, folder: Path, source: str) -> Finding:
    """Writable if the folder exists and accepts a file, or could be created in its nearest existing parent."""
    target = folder
    while not target.exists() and target != target.parent:
        target = target.parent
    if not target.is_dir():
        return Finding(name, FAIL, f"{folder} ({source}): {target} is not a folder", "pass another folder")
    if target == folder:
        try:
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            return Finding(name, FAIL, f"{folder} ({source}) is not writable: {exc.strerror or exc}",
                           "pass --state-dir / set TUTOR_STATE_DIR to a folder you can write")
        return Finding(name, OK, f"{folder} ({source})")
    if not os.access(target, os.W_OK | os.X_OK):
        return Finding(name, FAIL, f"{folder} ({source}) cannot be created: {target} is not writable",
                       "pass --state-dir / set TUTOR_STATE_DIR to a folder you can write")
    return Finding(name, OK, f"{folder} ({source}; will be created on the first run)")


def state_source(option: str | None, environ: Mapping[str, str]) -> str:
    if option:
        return "--state-dir"
    if environ.get("TUTOR_STATE_DIR"):
        return "$TUTOR_STATE_DIR"
    if environ.get("XDG_STATE_HOME"):
        return "$XDG_STATE_HOME"
    return "default for root" if os.geteuid() == 0 else "default"


def versions() -> list[Finding]:
    found = [Finding("python", OK, f"{platform.python_version()} ({sys.executable})"),
             Finding("os", OK, f"{platform.system()} {platform.release()} {platform.machine()}")]
    for package in ("tutor", "pexpect", "rich", "click", "PyYAML", "markdown-it-py", "networkx"):
        try:
            found.append(Finding(package, OK, metadata.version(package)))
        except metadata.PackageNotFoundError:
            found.append(Finding(package, FAIL, "not installed", "reinstall tutor: pip install -e ."))
    systemctl = shutil.which("systemctl")
    found.append(Finding("systemctl", OK if systemctl else WARN, systemctl or "not found",
                         "" if systemctl else "`service` probes need systemd"))
    return found


def run_checks(state_option: str | None = None, log_option: str | None = None,
               environ: Mapping[str, str] | None = None) -> list[Finding]:
    from .state import state_dir

    env = os.environ if environ is None else environ
    folder = state_dir(state_option, env)
    logs = Path(log_option).expanduser() if log_option else folder / "logs"
    return [
        check_bash(),
        check_sudo(),
        check_pty(),
        check_writable("state folder", folder, state_source(state_option, env)),
        check_writable("log folder", logs, "--log-dir" if log_option else "state folder/logs"),
        *versions(),
    ]
