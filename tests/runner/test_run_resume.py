"""Re-running continues at the first step not done; a changed step runs again; --restart, --from, --only."""

from __future__ import annotations

import json

from .conftest import Host


def test_a_finished_run_runs_nothing_again_until_restart(host: Host) -> None:
    folder = host.copy("behaviours")
    args = ("two-steps", str(folder), "--var", f"WORK={host.work}")
    assert host.tutor("run", *args).code == 0
    again = host.tutor("run", *args)
    assert again.code == 0 and "every selected step is done" in again.stdout
    assert (host.work / "step1.txt").read_text().split() == ["ran"]
    restarted = host.tutor("run", *args, "--restart")
    assert restarted.code == 0, restarted.output
    assert (host.work / "step1.txt").read_text().split() == ["ran", "ran"]


def test_a_changed_step_runs_again_where_the_last_run_left_the_shell(host: Host) -> None:
    folder = host.copy("behaviours")
    args = ("two-steps", str(folder), "--var", f"WORK={host.work}")
    assert host.tutor("run", *args).code == 0
    page = folder / "two-steps.md"
    page.write_text(page.read_text().replace('echo "$MARK" >> step2.txt', 'echo "$MARK" >> step2.txt  # now with a comment'))
    result = host.tutor("run", *args)
    assert result.code == 0, result.output
    assert "Step 1/2: Set up: done" in result.stdout and "Step 2/2: Use it" in result.stdout
    assert (host.work / "step1.txt").read_text().split() == ["ran"]  # step 1 did not run again
    # Step 2 ran in the folder step 1 moved to, with the variable step 1 exported.
    assert (host.work / "step2.txt").read_text().split() == ["first-step", "first-step"]
    state = json.loads((host.state / "state.json").read_text())["tutorials"]["two-steps"]
    assert state["status"] == "done" and state["steps"][0]["cwd"] == str(host.work)
    assert state["steps"][0]["exports"] == {"MARK": "first-step"}


def test_a_done_step_whose_check_fails_does_not_run_again_on_its_own(host: Host) -> None:
    folder = host.copy("behaviours")
    args = ("two-steps", str(folder), "--var", f"WORK={host.work}")
    assert host.tutor("run", *args).code == 0
    (host.work / "step2.txt").unlink()
    result = host.tutor("run", *args)
    assert result.code == 0 and "nothing ran" in result.stdout, result.output
    assert not (host.work / "step2.txt").exists()
    again = host.tutor("run", *args, "--from", "2")
    assert again.code == 0, again.output
    assert (host.work / "step2.txt").read_text().split() == ["first-step"]


def test_only_and_from_select_steps(host: Host) -> None:
    folder = host.copy("behaviours")
    args = ("two-steps", str(folder), "--var", f"WORK={host.work}")
    only = host.tutor("run", *args, "--only", "1")
    assert only.code == 0 and not (host.work / "step2.txt").exists()
    state = json.loads((host.state / "state.json").read_text())["tutorials"]["two-steps"]
    assert state["status"] == "partial"
    rest = host.tutor("run", *args, "--from", "2")
    assert rest.code == 0, rest.output
    assert (host.work / "step2.txt").read_text().split() == ["first-step"]
    assert json.loads((host.state / "state.json").read_text())["tutorials"]["two-steps"]["status"] == "done"
