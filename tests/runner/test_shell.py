"""The persistent shell: state across blocks, errexit, prompts, timeouts, background processes, cleanup."""

from __future__ import annotations

import os
import secrets
import socket
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.runner.redact import Redactor
from tutor.runner.shell import ShellSession


@pytest.fixture
def shell(tmp_path: Path) -> Iterator[ShellSession]:
    session = ShellSession(cwd=str(tmp_path), prompt_wait=0.3)
    with session:
        yield session


def _tag() -> str:
    """A unique argument for `sleep`, so the test can find exactly its own processes."""
    return f"{1000 + secrets.randbelow(10**6)}.{secrets.randbelow(10**6)}"


def _processes_with(argument: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().split(b"\0")
            with open(f"/proc/{entry}/stat", "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if argument.encode() in args and state != b"Z":
            found.append(int(entry))
    return found


def _script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text("#!/usr/bin/env bash\n" + textwrap.dedent(body), encoding="utf-8")
    path.chmod(0o755)
    return path


# --- state ------------------------------------------------------------------------------------

def test_cd_export_variables_and_functions_carry_to_the_next_block(shell: ShellSession, tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    first = shell.run("cd work\nexport GREETING=hello\ncount=3\ndeclare -A colors=([sky]=blue)\n"
                      "shout() { echo \"${1^^}!\"; }\nalias ll='echo listing'")
    assert first.ok, first
    second = shell.run('pwd; echo "$GREETING $count ${colors[sky]}"; shout hi; ll\nbash -c \'echo "child sees $GREETING"\'')
    assert second.output == f"{tmp_path}/work\nhello 3 blue\nHI!\nlisting\nchild sees hello\n"
    assert shell.cwd == str(tmp_path / "work")


def test_output_is_what_the_terminal_showed_without_markers(shell: ShellSession) -> None:
    outcome = shell.run("echo out; echo err >&2; printf 'no newline'")
    assert outcome.output == "out\nerr\nno newline"
    assert "TUTOR" not in outcome.output and "\r" not in outcome.output


def test_cwd_runs_one_block_in_another_folder(shell: ShellSession, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    assert shell.run("pwd", cwd="sub").output == f"{tmp_path}/sub\n"
    assert shell.run("pwd").output == f"{tmp_path}\n"
    missing = shell.run("echo never", cwd="missing")
    assert missing.exit_code != 0 and "never" not in missing.output


# --- errexit ----------------------------------------------------------------------------------

def test_a_block_whose_first_line_fails_fails_and_stops(shell: ShellSession, tmp_path: Path) -> None:
    outcome = shell.run("false\ntouch after-first\n")
    assert outcome.exit_code == 1 and outcome.failed_line == 1
    assert not (tmp_path / "after-first").exists()


def test_a_failure_in_the_middle_stops_the_block_there(shell: ShellSession, tmp_path: Path) -> None:
    outcome = shell.run("echo one\nls /no/such/folder\ntouch after-middle\n")
    assert outcome.exit_code == 2 and outcome.failed_line == 2
    assert outcome.output.startswith("one\nls: ")
    assert not (tmp_path / "after-middle").exists()


@pytest.mark.parametrize("code", [
    "check() { false; touch after; }\ncheck",
    "(false; touch after)",
    "value=$(false; echo x)\ntouch after",
    "set -e\nfalse\ntouch after",
])
def test_failures_in_functions_subshells_and_substitutions_fail_the_block(shell: ShellSession, tmp_path: Path, code: str) -> None:
    outcome = shell.run(code)
    assert outcome.exit_code == 1
    assert not (tmp_path / "after").exists()
    assert shell.run("echo still here").output == "still here\n"


def test_tested_commands_do_not_fail_the_block(shell: ShellSession) -> None:
    outcome = shell.run("if false; then :; fi\nfalse || true\n! true\ngrep -q x /dev/null && echo no\necho done")
    assert outcome.exit_code == 0 and outcome.output == "done\n"


def test_pipefail(shell: ShellSession, tmp_path: Path) -> None:
    outcome = shell.run("false | cat\ntouch after")
    assert outcome.exit_code == 1
    assert not (tmp_path / "after").exists()


def test_a_pipeline_cut_short_by_its_reader_is_not_a_failure(shell: ShellSession) -> None:
    # `yes` dies of SIGPIPE when `head` has enough, as in any terminal; pipefail must not fail that
    assert shell.run("yes | head -n 2\nseq 1000000 | head -n 1").output == "y\ny\n1\n"


def test_exit_ends_the_block_with_its_status_and_the_session_goes_on(shell: ShellSession, tmp_path: Path) -> None:
    shell.run("kept=yes")
    outcome = shell.run("echo before\nexit 3\ntouch after")
    assert outcome.exit_code == 3 and outcome.output == "before\n"
    assert not (tmp_path / "after").exists()
    assert not outcome.shell_restarted
    assert shell.run("echo $kept").output == "yes\n"
    assert shell.run("bash -c 'exit 4'").exit_code == 4
    assert shell.run("(exit 5)").exit_code == 5


def test_the_runners_own_commands_never_show_not_even_under_set_x(shell: ShellSession) -> None:
    assert shell.run("set -x\nfalse").output.splitlines() == ["++ false"]
    assert shell.run("set -x\nexit 4").output.splitlines() == ["++ exit 4"]
    after = shell.run("echo out; echo err >&2")  # tracing ended with the block; stderr is back
    assert after.output == "out\nerr\n"


# --- prompts ----------------------------------------------------------------------------------

def test_an_expected_prompt_is_answered(shell: ShellSession, tmp_path: Path) -> None:
    _script(tmp_path, "ask.sh", """\
        read -r -p "Continue? [y/N] " answer
        [[ $answer == y ]] && echo "continuing" || { echo "stopped"; exit 1; }
    """)
    outcome = shell.run("./ask.sh", prompts=[("Continue? [y/N]", "y")], timeout=30)
    assert outcome.ok, outcome
    assert outcome.output == "Continue? [y/N] y\ncontinuing\n"
    assert outcome.unused_prompts == ()


def test_several_prompts_are_answered_in_the_order_they_come(shell: ShellSession, tmp_path: Path) -> None:
    _script(tmp_path, "setup.sh", """\
        read -r -p "Name: " name
        read -r -p "Region (eu/us)? " region
        read -r -s -p "Password: " password; echo
        echo "$name in $region with ${#password} characters"
    """)
    prompts = [("Password:", "pw123"), ("Region", "eu"), ("Name:", "web-1"), ("Never asked", "x")]
    outcome = shell.run("./setup.sh", prompts=prompts, timeout=30)
    assert outcome.ok, outcome
    assert outcome.output.endswith("web-1 in eu with 5 characters\n")
    assert "pw123" not in outcome.output  # not echoed after a password prompt
    assert outcome.unused_prompts == ("Never asked",)


def test_a_password_prompt_on_dev_tty_is_answered_and_not_echoed(shell: ShellSession) -> None:
    code = "python3 -c 'import getpass; print(len(getpass.getpass(\"Vault password: \")))'"
    outcome = shell.run(code, prompts=[("Vault password:", "hunter2")], timeout=30)
    assert outcome.ok, outcome
    assert outcome.output == "Vault password: \n7\n"


def test_an_unexpected_password_prompt_on_dev_tty_fails_fast(shell: ShellSession) -> None:
    outcome = shell.run("python3 -c 'import getpass; getpass.getpass(\"Vault password: \")'", timeout=60)
    assert outcome.unexpected_prompt == "Vault password:" and not outcome.timed_out


def test_an_unexpected_prompt_fails_fast(shell: ShellSession, tmp_path: Path) -> None:
    outcome = shell.run('read -r -p "Password: " secret\ntouch after', timeout=60)
    assert outcome.unexpected_prompt == "Password:"
    assert outcome.exit_code is None and not outcome.timed_out and not outcome.ok
    assert not (tmp_path / "after").exists()
    assert shell.run("echo usable").output == "usable\n"


def test_where_proc_cannot_tell_a_prompt_is_recognised_by_its_text(shell: ShellSession) -> None:
    shell._readers.available = False  # as on a host where /proc/PID/syscall is not readable
    outcome = shell.run('read -r -p "Overwrite the disk image? [y/N] " answer', timeout=60)
    assert outcome.unexpected_prompt == "Overwrite the disk image? [y/N]"


def test_a_program_waiting_for_input_without_a_prompt_fails_fast(shell: ShellSession, tmp_path: Path) -> None:
    tag = _tag()
    outcome = shell.run(f"echo 'type something'\npython3 -c 'import sys; sys.stdin.readline()' {tag}", timeout=60)
    assert outcome.unexpected_prompt == "type something"
    assert _processes_with(tag) == []


def test_a_quiet_command_that_looks_like_a_prompt_is_left_alone(shell: ShellSession) -> None:
    outcome = shell.run("printf 'Downloading: '; sleep 1; echo done", timeout=30)
    assert outcome.ok and outcome.output == "Downloading: done\n"


def test_an_answer_is_not_typed_when_nobody_reads_it(shell: ShellSession) -> None:
    outcome = shell.run("echo 'Continue? [y/N]'", prompts=[("Continue?", "rm -rf /nonexistent-answer")])
    assert outcome.ok
    assert shell.run("echo next").output == "next\n"


# --- timeouts and interrupts ------------------------------------------------------------------

def test_a_timeout_kills_every_process_of_the_block(shell: ShellSession, tmp_path: Path) -> None:
    tag = _tag()
    outcome = shell.run(f"sleep {tag} &\nsleep {tag}\nwait\ntouch after", timeout=1)
    assert outcome.timed_out and outcome.exit_code is None
    assert _processes_with(tag) == []
    assert not (tmp_path / "after").exists()
    assert not outcome.shell_restarted
    assert shell.run("echo usable").output == "usable\n"


def test_a_timeout_on_a_command_that_ignores_ctrl_c(shell: ShellSession, tmp_path: Path) -> None:
    tag = _tag()
    shell.run("export KEPT=1")
    outcome = shell.run(f"cd {tmp_path}\ntrap '' INT\nsleep {tag} || true\ntouch after", timeout=0.5)
    assert outcome.timed_out and _processes_with(tag) == []
    assert not (tmp_path / "after").exists()
    # bash could not be brought back by Ctrl-C: it was frozen, then replaced, in the same folder
    assert outcome.shell_restarted
    assert shell.run('pwd; echo "$KEPT"').output == f"{tmp_path}\n\n"


def test_an_interrupt_set_before_the_block_starts_runs_nothing(shell: ShellSession, tmp_path: Path) -> None:
    interrupt = threading.Event()
    interrupt.set()
    outcome = shell.run("touch ran", interrupt=interrupt)
    assert outcome.interrupted and outcome.exit_code is None
    assert not (tmp_path / "ran").exists()


def test_a_caller_that_raises_does_not_leave_the_block_running(shell: ShellSession) -> None:
    tag = _tag()

    def broken_display(text: str) -> None:
        raise BrokenPipeError("stdout is gone")

    shell.on_output = broken_display
    with pytest.raises(BrokenPipeError):
        shell.run(f"echo starting; sleep {tag}")
    assert _processes_with(tag) == []
    shell.on_output = None
    assert shell.run("echo usable").output == "usable\n"


def test_the_interrupt_event_stops_the_block(shell: ShellSession) -> None:
    tag = _tag()
    interrupt = threading.Event()
    threading.Timer(0.3, interrupt.set).start()
    outcome = shell.run(f"sleep {tag} | cat", interrupt=interrupt, timeout=60)
    assert outcome.interrupted and not outcome.timed_out and outcome.exit_code is None
    assert _processes_with(tag) == []
    assert shell.run("echo usable").output == "usable\n"


def test_a_block_that_ends_the_shell_gets_a_new_one_in_the_same_folder(shell: ShellSession, tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    shell.export({"FROM_EXPORT": "kept"})
    shell.run("cd here; export FROM_BLOCK=lost")
    outcome = shell.run("exec true")
    assert outcome.shell_restarted and outcome.exit_code == 0
    after = shell.run('pwd; echo "${FROM_EXPORT-} ${FROM_BLOCK-}"')
    assert after.output == f"{tmp_path}/here\nkept \n"


# --- variables and secrets --------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "it's a \"quoted\" value",
    "spaces   and\ttabs",
    "$(touch pwned) `touch pwned` ${HOME}",
    "line one\nline two\n",
    "back\\slash; rm -rf /tmp/x && echo no | cat",
    "ünïcødé ✓",
    "-n",
    "",
    "x" * 20000,
])
def test_exported_values_arrive_byte_exact_and_are_never_run(shell: ShellSession, tmp_path: Path, value: str) -> None:
    seen: list[str] = []
    shell.on_output = seen.append
    shell.export({"VALUE": value})
    assert shell.run("printf '%s' \"$VALUE\" > value.txt").ok
    assert (tmp_path / "value.txt").read_bytes() == value.encode()
    assert not (tmp_path / "pwned").exists()
    assert seen == []
    assert shell.environment()["VALUE"] == value


def test_invalid_variable_names_are_refused(shell: ShellSession) -> None:
    with pytest.raises(ValueError):
        shell.export({"NOT-A-NAME": "x"})
    with pytest.raises(ValueError):
        shell.export({"X; touch pwned": "x"})


def test_a_secret_never_reaches_on_output_even_split_across_chunks(tmp_path: Path) -> None:
    secret = "s3cr3t-" + secrets.token_hex(8)
    seen: list[str] = []
    with ShellSession(cwd=str(tmp_path), redactor=Redactor([secret]), on_output=seen.append) as shell:
        shell.export({"API_TOKEN": secret})
        half = len(secret) // 2
        outcome = shell.run(f"echo \"token: $API_TOKEN\"\nprintf '%s' '{secret[:half]}'; sleep 0.2; printf '%s\\n' '{secret[half:]}'\n"
                            "echo \"$API_TOKEN\" >&2\nfalse \"$API_TOKEN\"")
    assert len(seen) > 1
    shown = "".join(seen)
    assert secret not in shown and secret not in outcome.output
    assert shown == outcome.output == "token: ***\n***\n***\n"


# --- background processes ---------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, within: float = 10.0) -> str:
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_a_background_http_server_runs_until_stopped(shell: ShellSession, tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("hello from the background\n")
    port = _free_port()
    log = tmp_path / "logs" / "server.log"
    server = shell.start_background(f"exec python3 -m http.server {port} --bind 127.0.0.1", "server", cwd="site", log_path=log)
    assert server.is_running() and shell.backgrounds == [server]
    assert _get(f"http://127.0.0.1:{port}/") == "hello from the background\n"
    assert shell.run("echo the shell is free").ok
    server.stop()
    assert not server.is_running()
    assert not os.path.exists(f"/proc/{server.pid}")
    assert "GET / HTTP" in log.read_text()


def test_a_background_process_sees_the_shells_exports_and_folder(shell: ShellSession, tmp_path: Path) -> None:
    (tmp_path / "there").mkdir()
    shell.run("cd there; export COLOR=green; PLAIN=unexported")
    job = shell.start_background('echo "$COLOR ${PLAIN-none} $PWD"', "printer", log_path=tmp_path / "printer.log")
    assert job.wait(timeout=10) == 0
    assert not job.is_running()
    assert (tmp_path / "printer.log").read_text() == f"green none {tmp_path}/there\n"


def test_a_background_log_holds_no_secret(tmp_path: Path) -> None:
    secret = "pw-" + secrets.token_hex(8)
    with ShellSession(cwd=str(tmp_path), redactor=Redactor([secret])) as shell:
        shell.export({"DB_PASSWORD": secret})
        job = shell.start_background('echo "connecting with $DB_PASSWORD"', "db", log_path=tmp_path / "db.log")
        assert job.wait(timeout=10) == 0
    assert (tmp_path / "db.log").read_text() == "connecting with ***\n"


def test_close_leaves_no_process_behind_except_kept_backgrounds(tmp_path: Path) -> None:
    left, stopped, kept = _tag(), _tag(), _tag()
    shell = ShellSession(cwd=str(tmp_path)).start()
    shell.run(f"sleep {left} &")
    shell.run(f"(sleep {left}; echo done) &")
    shell.start_background(f"sleep {stopped}", "stopped", log_path=tmp_path / "stopped.log")
    keeper = shell.start_background(f"sleep {kept}", "keeper", log_path=tmp_path / "keeper.log")
    shell_pid = shell.pid
    assert len(_processes_with(left)) == 2
    shell.stop_backgrounds(keep=["keeper"])
    shell.close()
    try:
        assert _processes_with(left) == [] and _processes_with(stopped) == []
        assert shell_pid is not None and not os.path.exists(f"/proc/{shell_pid}")
        assert keeper.is_running()
    finally:
        keeper.stop()
    assert _processes_with(kept) == []
