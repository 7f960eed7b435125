"""Ctrl-C ends the run with 130 and leaves no process behind; kill -9 leaves a valid state to resume from."""

from __future__ import annotations

import json
import os
import signal

from .conftest import Host, read_pid, wait_for


def test_sigint_interrupts_stops_everything_and_exits_130(host: Host) -> None:
    folder = host.copy("behaviours")
    process = host.start("run", "long-step", str(folder), "--var", f"WORK={host.work}")
    wait_for(host.work / "started.txt")
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stdout + stderr
    assert "interrupted during step 2/3" in stderr and "continue from step 2" in stderr
    state = json.loads((host.state / "state.json").read_text())["tutorials"]["long-step"]
    assert [s["status"] for s in state["steps"]] == ["done", "interrupted"]
    assert state["status"] == "interrupted"
    assert host.wait_for_no_survivors() == []
    assert not (host.state / "runs" / "long-step.json").exists()  # it stopped its processes: nothing left to record
    assert not (host.work / "three.txt").exists()


def test_kill_9_leaves_a_valid_state_and_the_next_run_resumes_at_that_step(host: Host) -> None:
    folder = host.copy("behaviours")
    process = host.start("run", "long-step", str(folder), "--var", f"WORK={host.work}")
    wait_for(host.work / "sleep.pid")  # the block's last file: killed any sooner, the shell might never write it
    process.kill()
    process.communicate(timeout=30)
    host.kill_survivors()  # what a killed runner could not clean up; not what this test is about
    state = json.loads((host.state / "state.json").read_text())  # valid JSON: written atomically
    steps = state["tutorials"]["long-step"]["steps"]
    assert [(s["number"], s["status"]) for s in steps] == [(1, "done"), (2, "running")]

    (host.work / "one.txt").unlink()
    (host.work / "started.txt").unlink()
    (host.work / "sleep.pid").unlink()
    resumed = host.start("run", "long-step", str(folder), "--var", f"WORK={host.work}")
    wait_for(host.work / "started.txt")
    os.kill(read_pid(host.work / "sleep.pid"), signal.SIGKILL)  # let step 2 finish now
    stdout, stderr = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, stdout + stderr
    assert "Step 1/3: Quick: done" in stdout
    assert not (host.work / "one.txt").exists()  # step 1 did not run again
    assert (host.work / "three.txt").exists()
