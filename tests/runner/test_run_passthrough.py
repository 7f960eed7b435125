"""At a terminal the operator types into the running block; without one, unanswered prompts fail fast.

Driven through a real pty (pexpect runs `tutor run` as an operator's terminal would).
"""

from __future__ import annotations

import io
import re
import os
import shutil
import termios
from pathlib import Path

import pexpect

from tutor.runner.display import Display
from tutor.runner.passthrough import OperatorTerminal
from tutor.runner.shell import ShellSession
from tutor.runner.sudo_first import authorise_sudo

from .conftest import FIXTURES, Host, wait_for

PASSWORD = "pa55-w0rd-typed-by-hand"


def _spawn(host: Host, *args: str, **env: str) -> pexpect.spawn:
    argv = host.command(*args)
    return pexpect.spawn(argv[0], argv[1:], env=host.env(TERM="xterm", **env), cwd=str(host.root), encoding="utf-8",
                         timeout=60, dimensions=(40, 120), logfile=None)


def _modes(child: pexpect.spawn) -> list[object]:
    """The terminal modes tutor's terminal has now (read through the pty's master side)."""
    return termios.tcgetattr(child.child_fd)


def _ends_well(child: pexpect.spawn, before: list[object]) -> None:
    """The step is done, the terminal has its modes back, and tutor exits 0."""
    child.expect_exact("Step 1/1 done")
    assert _modes(child) == before
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_question_and_a_password_are_answered_by_hand_and_the_password_is_kept_nowhere(host: Host) -> None:
    folder = host.copy("passthrough")
    child = _spawn(host, "run", "asks", str(folder), "--var", f"WORK={host.work}")
    seen = io.StringIO()
    child.logfile_read = seen
    before = _modes(child)
    child.expect_exact("waiting for your input: Continue? [y/N]")
    child.send("y\r")
    child.expect_exact("you said <y>")
    child.expect_exact("waiting for your input: Password:")
    child.send(PASSWORD + "\r")
    child.expect_exact(f"the password has {len(PASSWORD)} characters")
    child.expect_exact("Step 1/1 done")
    assert _modes(child) == before
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, seen.getvalue()
    assert PASSWORD not in seen.getvalue()  # not echoed: `read -s` turned the echo off, as in any terminal
    import hashlib

    assert (host.work / "password.sha").read_text().strip() == hashlib.sha256(PASSWORD.encode()).hexdigest()[:16]
    for path in host.written_files():  # the state, the transcript, the cast, the events
        assert PASSWORD.encode() not in path.read_bytes(), path


def test_a_full_screen_program_gets_the_keys_and_the_terminal_comes_back_as_it_was(host: Host) -> None:
    folder = host.copy("passthrough")
    shutil.copy(folder / "fullscreen.py", host.work / "fullscreen.py")
    child = _spawn(host, "run", "full-screen", str(folder), "--var", f"WORK={host.work}")
    before = _modes(child)
    child.expect_exact("\x1b[?1049h")  # the alternate screen reached the terminal as it was sent
    child.expect_exact("press a key")
    raw = _modes(child)
    assert not raw[3] & termios.ICANON and not raw[3] & termios.ECHO  # the operator's terminal is raw meanwhile
    child.send("q")
    child.expect_exact("got key q")
    _ends_well(child, before)


def test_ctrl_c_during_a_block_interrupts_the_run_and_restores_the_terminal(host: Host) -> None:
    folder = host.copy("passthrough")
    child = _spawn(host, "run", "waits", str(folder), "--var", f"WORK={host.work}")
    before = _modes(child)
    wait_for(host.work / "started.txt")
    child.sendintr()  # Ctrl-C, typed on the terminal
    child.expect_exact("interrupted during step 1/1")
    after = _modes(child)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert after == before
    assert not (host.work / "finished.txt").exists()
    assert host.wait_for_no_survivors() == []


def test_without_a_terminal_an_unanswered_prompt_still_fails_fast_naming_the_block(host: Host) -> None:
    folder = host.copy("passthrough")
    result = host.tutor("run", "asks", str(folder), "--var", f"WORK={host.work}")
    assert result.code == 1, result.output
    assert "asks.md:17" in result.stderr and "prompt the tutorial does not answer" in result.stderr
    assert "Continue? [y/N]" in result.stderr and "waiting for your input" not in result.output
    assert not (host.work / "password.sha").exists()


def test_without_a_terminal_a_password_prompt_is_never_answered_from_the_file(host: Host) -> None:
    folder = host.copy("passthrough")
    result = host.tutor("run", "asks-password", str(folder), "--var", f"WORK={host.work}")
    assert result.code == 1, result.output
    assert "asks-password.md:17" in result.stderr and "Vault password:" in result.stderr
    assert "send=" not in result.stderr  # never a hint to write a password into the tutorial
    assert "type it" in result.stderr and "terminal" in result.stderr


def _fake_sudo(host: Host) -> tuple[Path, Path]:
    bin_dir = host.root / "bin"
    bin_dir.mkdir()
    shutil.copy(FIXTURES / "passthrough" / "fake-sudo", bin_dir / "sudo")
    return bin_dir, host.root / "sudo-calls.log"


def test_as_root_sudo_is_not_asked_for_before_step_1(host: Host) -> None:
    if os.geteuid() != 0:
        import pytest

        pytest.skip("checks what happens as root")
    folder = host.copy("passthrough")
    bin_dir, calls = _fake_sudo(host)
    child = _spawn(host, "run", "uses-sudo", str(folder), "--var", f"WORK={host.work}",
                   PATH=f"{bin_dir}:{os.environ['PATH']}", FAKE_SUDO_LOG=str(calls))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert calls.read_text().splitlines() == [f"touch {host.work}/made-as-root.txt"]


def _session(tmp_path: Path, bin_dir: Path, calls: Path, operator: OperatorTerminal | None) -> ShellSession:
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE_SUDO_LOG": str(calls)}
    return ShellSession(env=env, cwd=str(tmp_path), operator=operator)


def test_not_as_root_the_operator_types_sudo_v_once_at_a_terminal(host: Host) -> None:
    bin_dir, calls = _fake_sudo(host)
    keyboard, terminal = os.openpty()  # the operator's side: we type on `keyboard`
    try:
        os.write(keyboard, b"right-horse\r")  # typed ahead: held until sudo reads the terminal
        out = io.StringIO()
        with _session(host.root, bin_dir, calls, OperatorTerminal(terminal)) as shell:
            refusal = authorise_sudo(shell, Display(out=out, tty=False), [1, 3], terminal=True, euid=1000)
            assert refusal is None, out.getvalue()
            assert shell.run("sudo -n true").ok  # the credential is there for the blocks
        assert calls.read_text().splitlines() == ["-n true", "-v", "-n true"]
        assert "steps 1, 3 use sudo" in out.getvalue() and "right-horse" not in out.getvalue()
        assert termios.tcgetattr(terminal)[3] & termios.ICANON  # the operator's terminal is back in line mode
    finally:
        os.close(keyboard)
        os.close(terminal)


def test_a_wrong_sudo_password_stops_the_run_before_step_1(host: Host) -> None:
    bin_dir, calls = _fake_sudo(host)
    keyboard, terminal = os.openpty()
    try:
        os.write(keyboard, b"wrong\r")
        with _session(host.root, bin_dir, calls, OperatorTerminal(terminal)) as shell:
            refusal = authorise_sudo(shell, Display(out=io.StringIO(), tty=False), [2], terminal=True, euid=1000)
        assert refusal is not None and "`sudo -v` did not succeed" in refusal and "nothing ran" in refusal
    finally:
        os.close(keyboard)
        os.close(terminal)


def test_without_a_terminal_sudo_is_not_asked_for_and_the_run_says_how_to_go_on(host: Host) -> None:
    bin_dir, calls = _fake_sudo(host)
    out = io.StringIO()
    with _session(host.root, bin_dir, calls, None) as shell:
        assert authorise_sudo(shell, Display(out=out, tty=False), [1], terminal=False, euid=1000) is None
    assert calls.read_text().splitlines() == ["-n true"]  # never -v: nobody could type the password
    assert "no terminal" in out.getvalue() and "NOPASSWD" in out.getvalue()


def test_a_missing_sudo_is_said_before_step_1(host: Host) -> None:
    out = io.StringIO()
    with ShellSession(cwd=str(host.root)) as shell:  # `path`: where sudo is looked for (an empty folder here)
        assert authorise_sudo(shell, Display(out=out, tty=False), [2], terminal=False, euid=1000, path=str(host.root)) is None
    assert "sudo is not installed" in out.getvalue()


def test_the_block_gets_the_operators_window_size_and_its_changes(host: Host) -> None:
    folder = host.copy("passthrough")
    child = _spawn(host, "run", "window", str(folder), "--var", f"WORK={host.work}")
    child.expect_exact("size: 40 120")  # not the runner's own 50x250 when an operator is there
    child.expect_exact("waiting for your input")
    child.setwinsize(30, 100)  # the operator resizes the window (tutor gets SIGWINCH)
    child.send("\r")
    child.expect_exact("size now: 30 100")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_in_a_full_screen_program_brings_the_terminal_back_to_its_normal_screen(host: Host) -> None:
    folder = host.copy("passthrough")
    shutil.copy(folder / "fullscreen.py", host.work / "fullscreen.py")
    child = _spawn(host, "run", "full-screen", str(folder), "--var", f"WORK={host.work}")
    before = _modes(child)
    child.expect_exact("press a key")
    child.sendintr()  # killed in raw mode on its alternate screen: it cannot switch back itself
    child.expect_exact("\x1b[?1049l")
    child.expect_exact("interrupted during step 1/1")
    assert _modes(child) == before
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_what_no_command_reads_never_runs_as_a_command(host: Host) -> None:
    folder = host.copy("passthrough")
    child = _spawn(host, "run", "typed-ahead", str(folder), "--var", f"WORK={host.work}")
    wait_for(host.work / "busy.txt")
    child.send(f"yes\rtouch {host.work}/typed-line.txt\r")  # typed while `sleep` runs: nothing reads it yet
    child.expect_exact("key <y>")  # `read -n 1` takes one key; the rest of what was typed is never read
    child.expect_exact("step 2 ran")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not (host.work / "typed-line.txt").exists()


def test_while_a_block_runs_the_runner_writes_the_line_ends_itself_once_each(host: Host) -> None:
    """The operator's terminal has no output processing during the block (the kernel would split the
    output at every newline); the runner writes `\\r\\n` itself: each line at the margin, no `\\r\\r\\n`."""
    folder = host.copy("passthrough")
    child = _spawn(host, "run", "lines", str(folder))
    seen = io.StringIO()
    child.logfile_read = seen
    before = _modes(child)
    assert before[1] & termios.OPOST
    child.expect_exact("waiting for your input: Name?")
    during = _modes(child)
    assert not during[1] & termios.OPOST
    child.send("Ada\r")
    _ends_well(child, before)
    shown = seen.getvalue()
    assert "one\r\ntwo\r\nthree\r\nName? " in shown
    assert "hello <Ada>\r\n" in shown
    assert "\r\r\n" not in shown and "\n" not in shown.replace("\r\n", "")
    assert re.search(r"waiting for your input: Name\?(?:\x1b\[[0-9;]*m)*\r\n", shown)
