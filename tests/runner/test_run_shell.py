"""Blocks run in one persistent shell: cd/export carry over, any failing line fails, prompts, backgrounds, timeouts."""

from __future__ import annotations

import json
import os
import socket
import time

from .conftest import Host, free_port


def test_cd_and_export_carry_from_block_to_block(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "persistent-shell", str(folder), "--var", f"WORK={host.work}")
    assert result.code == 0, result.output
    assert (host.work / "first-pwd.txt").read_text().strip() == str(host.work)
    assert (host.work / "second-pwd.txt").read_text().strip() == str(host.work)
    assert (host.work / "greeting.txt").read_text().strip() == "hello kept"
    assert "Step 1/2: Move and export" in result.stdout and "Step 2/2: Use them" in result.stdout
    assert "$ cd \"$WORK\"" in result.stdout  # commands are echoed as written, variables unexpanded


def test_a_block_fails_when_its_first_line_fails(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "first-line-fails", str(folder), "--var", f"WORK={host.work}")
    assert result.code == 1, result.output
    assert not (host.work / "ran.txt").exists() and not (host.work / "step2.txt").exists()
    assert "step 1/2 (Fail early) failed" in result.stderr
    line = (folder / "first-line-fails.md").read_text().split("\n").index("false") + 1
    assert f"first-line-fails.md:{line}: `false` exited with status 1" in result.stderr  # the failing line, with its place
    assert "to continue from step 1" in result.stderr
    state = json.loads((host.state / "state.json").read_text())["tutorials"]["first-line-fails"]
    assert state["status"] == "failed" and state["steps"][0]["status"] == "failed" and state["steps"][0]["exit_code"] == 1


def test_an_expected_prompt_is_answered_and_an_unexpected_one_fails_fast(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "prompts", str(folder), "--var", f"WORK={host.work}")
    assert (host.work / "answer.txt").read_text().strip() == "answer=y"
    assert result.code == 1, result.output
    assert "prompt the tutorial does not answer" in result.stderr and "Are you sure? (yes/no)" in result.stderr
    assert "did not finish within" not in result.stderr  # it failed on the prompt, not on the 60 s timeout
    assert not (host.work / "reply.txt").exists()


def test_a_background_server_is_checked_by_http_and_log_probes_then_stopped(host: Host) -> None:
    folder = host.copy("behaviours")
    port = free_port()
    result = host.tutor("run", "background-server", str(folder), "--var", f"WORK={host.work}", "--var", f"PORT={port}")
    assert result.code == 0, result.output
    assert f"http://127.0.0.1:{port}/" in result.stdout
    assert "worker ready" in result.stdout  # the log probe's sentence or what it found
    # Not `keep`: the server is gone once the run is over.
    deadline = time.monotonic() + 10
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                break
        assert time.monotonic() < deadline, "the background server outlived the run"
        time.sleep(0.1)
    assert host.wait_for_no_survivors() == []


def test_a_timeout_stops_the_block_and_its_children(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "timeout", str(folder), "--var", f"WORK={host.work}")
    assert result.code == 1, result.output
    assert "did not finish within 1 s" in result.stderr
    child = int((host.work / "child.pid").read_text())
    deadline = time.monotonic() + 10
    while os.path.exists(f"/proc/{child}") and "Z" not in open(f"/proc/{child}/stat").read().split(")")[1][:3]:
        assert time.monotonic() < deadline, "the block's child survived its timeout"
        time.sleep(0.1)


def test_expected_output_is_a_warning_unless_strict(host: Host) -> None:
    folder = host.copy("behaviours")
    tolerant = host.tutor("run", "expected-output", str(folder), "--var", f"WORK={host.work}")
    assert tolerant.code == 0, tolerant.output
    assert "does not match its expected output (regex)" in tolerant.stdout  # step 2 only: step 1 matches tolerantly
    assert tolerant.stdout.count("does not match its expected output") == 1
    assert (host.work / "finished.txt").exists()
    strict = host.tutor("run", "expected-output", str(folder), "--var", f"WORK={host.work}", "--strict-output", "--restart")
    assert strict.code == 4, strict.output
    assert "step 2/3 (Print something else)" in strict.stderr and "^version 1" in strict.stderr


def test_a_kept_background_outlives_the_run_and_the_others_do_not(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "kept-server", str(folder), "--var", f"WORK={host.work}")
    assert result.code == 0, result.output
    assert "left running (keep): kept" in result.stdout
    kept, stopped = (int((host.work / f"{name}.pid").read_text()) for name in ("kept", "stopped"))
    deadline = time.monotonic() + 10
    while os.path.exists(f"/proc/{stopped}"):
        assert time.monotonic() < deadline, "the background without `keep` outlived the run"
        time.sleep(0.1)
    alive = host.survivors()  # the fixture's teardown kills what is left
    commands = [open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[0] for pid in alive if pid != kept]
    assert kept in alive and all(b"python" in c for c in commands)  # besides it, only its log's redacting pump


def test_a_background_block_that_ends_with_an_error_fails_its_step_with_its_log(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "background-fails", str(folder), "--var", f"PORT={free_port()}")
    assert result.code == 1, result.output
    assert "the background block `broken` exited with status 3" in result.stderr
    assert "boom: cannot bind to port" in result.stderr


def test_send_expands_variables(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "send-variable", str(folder), "--var", f"WORK={host.work}", "--var", "COMPOSE_HASH=f00d 42")
    assert result.code == 0, result.output
    assert (host.work / "answer.txt").read_text().strip() == "answer=f00d 42"
