"""The shell session's temp folder never holds the environment, and the folders of runs that were
killed are removed by the next start-up.

The finding: `/tmp/tutor-shell-*/env` was a full dump of the shell's environment, secrets in
it, for as long as a read took; a kill -9 at that moment left it there for good."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tutor.runner.session_folders import sweep_stale_folders
from tutor.runner.shell import ShellSession

from .conftest import Host

SECRET = "s3cr3t-4a7f0e"


def _dead_pid() -> int:
    done = subprocess.run(["true"], check=True)
    process = subprocess.Popen(["true"])
    process.wait()
    assert done.returncode == 0
    return process.pid


def test_reading_the_environment_leaves_no_named_copy_of_it() -> None:
    with ShellSession(env={"PATH": os.environ["PATH"], "API_TOKEN": SECRET}) as session:
        assert session._dir is not None
        folder = session._dir
        real = session._internal
        seen: list[tuple[str, bytes]] = []
        calls: list[str] = []

        def look_while_the_shell_writes(code: str, timeout: float = 15.0):  # type: ignore[no-untyped-def]
            outcome = real(code, timeout)
            calls.append(code)
            seen.extend((p.name, p.read_bytes()) for p in folder.iterdir() if p.is_file())
            return outcome

        session._internal = look_while_the_shell_writes  # type: ignore[method-assign]
        environment = session.environment()
        session.export({"DB_PASSWORD": SECRET + "-2"})
        assert session.run('test "$DB_PASSWORD" = "$API_TOKEN-2"').exit_code == 0
    assert environment["API_TOKEN"] == SECRET
    assert len(calls) >= 2, "the spy looked after each of the runner's own commands"
    assert not [name for name, data in seen if SECRET.encode() in data], seen
    assert not [name for name, data in seen if b"PATH=" in data], "no environment dump at all"


def test_the_folders_of_dead_runs_are_swept(tmp_path: Path) -> None:
    dead = _dead_pid()
    stale = tmp_path / f"tutor-shell-{dead}-abc123"
    stale.mkdir()
    (stale / "env").write_text(f"API_TOKEN={SECRET}\n")
    live = tmp_path / f"tutor-shell-{os.getpid()}-def456"
    live.mkdir()
    other = tmp_path / "tutor-shell-olddesign"
    other.mkdir()
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("keep")
    link = tmp_path / f"tutor-shell-{dead}-link00"
    link.symlink_to(target)
    assert sweep_stale_folders(str(tmp_path)) == [stale]
    assert not stale.exists()
    assert live.is_dir() and other.is_dir() and (target / "keep.txt").exists() and link.is_symlink()


def test_a_run_sweeps_what_a_killed_run_left(host: Host) -> None:
    tutorials = host.copy("behaviours", "tutorials")
    stale = host.root / f"tutor-shell-{_dead_pid()}-k9left"  # the host's TMPDIR is its root
    stale.mkdir(mode=0o700)
    (stale / "env").write_text(f"API_TOKEN={SECRET}\n")
    result = host.tutor("run", "two-steps", str(tutorials), "--yes", WORK=str(host.work))
    assert result.code == 0, result.output
    assert not stale.exists()
    assert not list(host.root.glob("tutor-shell-*")), "and its own folder is gone at the end"


def test_without_tmpdir_the_session_folder_is_in_memory_when_it_can_be(monkeypatch, tmp_path: Path) -> None:
    from tutor.runner import session_folders

    monkeypatch.delenv("TMPDIR", raising=False)
    monkeypatch.setattr(session_folders.tempfile, "tempdir", None)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    places = session_folders.session_places()
    assert places[0] == str(runtime) and places[-1] == session_folders.tempfile.gettempdir()
    folder = session_folders.new_session_folder()
    try:
        assert folder.parent == runtime and (folder.stat().st_mode & 0o777) == 0o700
    finally:
        folder.rmdir()
    runtime.chmod(0o755)  # not private: not used
    assert str(runtime) not in session_folders.session_places()
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the operator's choice wins
    monkeypatch.setattr(session_folders.tempfile, "tempdir", None)  # gettempdir() reads it again
    assert session_folders.session_places() == [str(tmp_path)]
