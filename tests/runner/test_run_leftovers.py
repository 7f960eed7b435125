"""What a run killed with SIGKILL left running is stopped by the next run; kept backgrounds are listed, never stopped."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

from tutor.runner import processes

from .conftest import Host, free_port, read_pid, wait_for


def _gone(pid: int) -> bool:
    return not processes.alive(pid)  # no /proc entry, or a zombie waiting for its reaper


def _runs_file(host: Host, slug: str) -> Path:
    return host.state / "runs" / f"{slug}.json"


def test_the_next_run_stops_the_background_server_a_killed_run_left_running(host: Host) -> None:
    folder = host.copy("behaviours")
    args = ("run", "killed-server", str(folder), "--var", f"WORK={host.work}", "--var", f"PORT={free_port()}")
    process = host.start(*args)
    try:
        wait_for(host.work / "started.txt")
        server = read_pid(host.work / "server.pid")
        nohup = read_pid(host.work / "nohup.pid")
        recorded = json.loads(_runs_file(host, "killed-server").read_text())["processes"]
        assert {(e["kind"], e["name"]) for e in recorded} == {("shell", "shell"), ("background", "serve")}
        process.kill()
        process.communicate(timeout=30)
        assert processes.alive(server), "the server outlives a killed runner: the gap this test is about"
        assert processes.alive(nohup), "so does a nohup job of the shell's session"

        (host.work / "go").touch()
        second = host.tutor(*args)
        assert second.code == 0, second.output
        assert f'stopped background "serve" (pid {server}) left running by an earlier run that was killed' in second.output
        assert "stopped the shell's session (pid " in second.output
        assert _gone(server) and _gone(nohup)
        assert "Step 1/2" in second.output and "Step 2/2 done" in second.output  # step 1 ran again: its server was gone
        events = [json.loads(line) for p in host.logs.glob("*.events.jsonl") for line in p.read_text().splitlines()]
        assert any(e["kind"] == "leftover" and e["what"] == "background" and e["pid"] == server for e in events)
        assert host.wait_for_no_survivors() == []
        assert not _runs_file(host, "killed-server").exists()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)


def test_a_kept_background_survives_the_run_is_listed_by_status_and_the_next_run_leaves_it_alone(host: Host) -> None:
    folder = host.copy("behaviours")
    first = host.tutor("run", "kept-server", str(folder), "--var", f"WORK={host.work}")
    assert first.code == 0, first.output
    kept = read_pid(host.work / "kept.pid")
    stopped = read_pid(host.work / "stopped.pid")
    assert processes.alive(kept) and _gone(stopped)

    status = host.tutor("status", "kept-server")
    assert f"kept running: kept (pid {kept}), log " in status.output, status.output
    assert "stopped" not in status.output

    second = host.tutor("run", "kept-server", str(folder), "--var", f"WORK={host.work}", "--restart")
    assert second.code == 0, second.output
    assert "left running by an earlier run" not in second.output
    assert processes.alive(kept)
    recorded = json.loads(_runs_file(host, "kept-server").read_text())["processes"]
    assert all(e["keep"] and e["status"] == "kept" for e in recorded)
    assert kept in {e["pid"] for e in recorded}

    os.kill(kept, signal.SIGKILL)
    for pid in {e["pid"] for e in recorded}:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert f"pid {kept}" not in host.tutor("status", "kept-server").output  # only live ones are listed
