"""Drive `tutor` as a user would: a subprocess, a fixture folder copied to tmp, a tmp state and log folder.

Every process a run starts inherits TUTOR_TEST_MARK, so a test can find any that outlive it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Host:
    """One simulated host: its state folder, log folder, a scratch WORK folder and a process mark."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.state = root / "state"
        self.logs = root / "logs"
        self.work = root / "work"
        self.work.mkdir(parents=True)
        self.mark = uuid.uuid4().hex

    def copy(self, fixture: str, name: str | None = None) -> Path:
        target = self.root / (name or fixture)
        shutil.copytree(FIXTURES / fixture, target)
        return target

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TUTOR_")}
        env.update(TUTOR_STATE_DIR=str(self.state), TUTOR_TEST_MARK=self.mark, TMPDIR=str(self.root), COLUMNS="200")
        env.update(extra)
        return env

    def command(self, *args: str) -> list[str]:
        args_list = list(args)
        if args_list and args_list[0] == "run":
            args_list += ["--log-dir", str(self.logs)]
        return [sys.executable, "-m", "tutor.cli", *args_list]

    def tutor(self, *args: str, cwd: Path | None = None, timeout: float = 90, **env: str) -> Result:
        done = subprocess.run(self.command(*args), cwd=cwd or self.root, env=self.env(**env), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout, check=False)
        return Result(done.returncode, done.stdout, done.stderr)

    def start(self, *args: str, cwd: Path | None = None, **env: str) -> subprocess.Popen[str]:
        return subprocess.Popen(self.command(*args), cwd=cwd or self.root, env=self.env(**env), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def survivors(self) -> list[int]:
        """Pids of live processes that carry this host's mark (zombies do not count)."""
        found = []
        needle = f"TUTOR_TEST_MARK={self.mark}".encode()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if needle in (entry / "environ").read_bytes() and " Z " not in (entry / "stat").read_text().split(")", 1)[1][:4]:
                    found.append(int(entry.name))
            except OSError:
                continue
        return found

    def wait_for_no_survivors(self, grace: float = 10.0) -> list[int]:
        deadline = time.monotonic() + grace
        while True:
            alive = self.survivors()
            if not alive or time.monotonic() > deadline:
                return alive
            time.sleep(0.1)

    def kill_survivors(self) -> None:
        for pid in self.survivors():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def written_files(self) -> list[Path]:
        return [p for folder in (self.state, self.logs) if folder.exists() for p in folder.rglob("*") if p.is_file()]


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Host]:
    h = Host(tmp_path)
    try:
        yield h
    finally:
        h.kill_survivors()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(path: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} did not appear")
        time.sleep(0.05)


def read_pid(path: Path, timeout: float = 30.0) -> int:
    """A pid a block wrote with `echo $! > file`, once the write is complete."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            text = path.read_text().strip()
        except FileNotFoundError:
            text = ""
        if text.isdigit():
            return int(text)
        if time.monotonic() > deadline:
            raise AssertionError(f"no pid in {path}")
        time.sleep(0.05)
