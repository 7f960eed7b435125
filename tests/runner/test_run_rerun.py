"""Re-run and resume you can predict: done stays done, one rule for "changed" that `tutor plan`
prints, backgrounds restarted for the steps after them, and the folder and environment put back."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from .conftest import Host, free_port


def _args(host: Host, folder: Path, port: int, *extra: str) -> tuple[str, ...]:
    return ("resume", str(folder), "--var", f"WORK={host.work}", "--var", f"PORT={port}", *extra)


def _lines(path: Path) -> list[str]:
    return path.read_text().split("\n")[:-1] if path.exists() else []


def _planned_runs(host: Host, args: tuple[str, ...]) -> list[int]:
    plan = host.tutor("plan", *args, "--format", "json")
    assert plan.code == 0, plan.output
    return [s["number"] for s in json.loads(plan.stdout)["steps"] if s["runs"]]


def test_a_done_tutorial_runs_nothing_and_rechecks_what_it_provides(host: Host) -> None:
    folder = host.copy("behaviours")
    args = _args(host, folder, free_port())
    assert host.tutor("run", *args).code == 0
    sub = host.work / "sub"
    assert _planned_runs(host, args) == []
    again = host.tutor("run", *args)
    assert again.code == 0, again.output
    assert "nothing ran" in again.stdout and "1 provides check still passes" in again.stdout
    assert "restarting" not in again.stdout  # its background is not started for nothing
    assert _lines(sub / "step1.txt") == ["ran"] and _lines(sub / "step3.txt") == ["v=1.0"]
    (sub / "step4.txt").unlink()  # what it provides no longer holds: said, and still nothing runs
    broken = host.tutor("run", *args)
    assert broken.code == 4 and "--restart" in broken.stderr and not (sub / "step4.txt").exists()
    restarted = host.tutor("run", *args, "--restart")
    assert restarted.code == 0, restarted.output
    assert _lines(sub / "step1.txt") == ["ran", "ran"]


def test_a_changed_variable_reruns_exactly_the_steps_that_use_it_as_plan_says(host: Host) -> None:
    folder = host.copy("behaviours")
    port = free_port()
    assert host.tutor("run", *_args(host, folder, port)).code == 0
    changed = _args(host, folder, port, "--var", "VERSION=2.0")
    assert _planned_runs(host, changed) == [3]
    text = host.tutor("plan", *changed).stdout
    assert "Step 3/4: Note the version  [runs again: the value of VERSION changed since it was done]" in text
    result = host.tutor("run", *changed)
    assert result.code == 0, result.output
    sub = host.work / "sub"
    assert _lines(sub / "step3.txt") == ["v=1.0", "v=2.0"]
    assert _lines(sub / "step1.txt") == ["ran"] and _lines(sub / "step4.txt") == ["tool-ok", "ran"]
    assert _planned_runs(host, changed) == []  # the same value again: nothing to do


def test_a_secret_variable_change_is_seen_through_its_hash_only(host: Host) -> None:
    folder = host.copy("behaviours")
    port = free_port()
    assert host.tutor("run", *_args(host, folder, port)).code == 0
    changed = _args(host, folder, port, "--var", "API_TOKEN=token-other-9999")
    assert _planned_runs(host, changed) == [1]
    text = (host.state / "state.json").read_text()
    assert "token-given-5678" not in text and "token-other-9999" not in text
    assert json.loads(text)["tutorials"]["resume"]["steps"][0]["variable_hashes"]["API_TOKEN"].startswith("hmac-sha256:")
    key = host.state / "fingerprint.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_a_changed_step_runs_alone_as_plan_says(host: Host) -> None:
    folder = host.copy("behaviours")
    args = _args(host, folder, free_port())
    assert host.tutor("run", *args).code == 0
    page = folder / "resume.md"
    page.write_text(page.read_text().replace('echo "v=$VERSION" >> step3.txt', 'echo "v=$VERSION" >> step3.txt  # edited'))
    assert _planned_runs(host, args) == [3]
    result = host.tutor("run", *args)
    assert result.code == 0, result.output
    sub = host.work / "sub"
    assert _lines(sub / "step3.txt") == ["v=1.0", "v=1.0"] and _lines(sub / "step4.txt") == ["tool-ok", "ran"]


def test_resume_puts_back_path_sourced_exports_folder_and_background(host: Host) -> None:
    folder = host.copy("behaviours")
    args = _args(host, folder, free_port())
    (host.work / "hold").write_text("")
    first = host.tutor("run", *args)
    assert first.code == 1, first.output
    (host.work / "hold").unlink()
    # A different folder and a PATH without the tool: the run must not lean on either.
    elsewhere = host.root / "elsewhere"
    elsewhere.mkdir()
    resumed = host.tutor("run", *args, cwd=elsewhere)
    assert resumed.code == 0, resumed.output
    assert "restarting its background block serve" in resumed.stdout
    sub = host.work / "sub"
    # mytool is found through the PATH `. ./env.sh` set; step4.txt is written in sub; the server answers.
    assert _lines(sub / "step4.txt") == ["tool-ok", "ran"]
    assert _lines(sub / "step1.txt") == ["ran"] and not (elsewhere / "step4.txt").exists()


def test_saved_environment_holds_no_secret_and_the_state_file_is_private(host: Host) -> None:
    folder = host.copy("behaviours")
    assert host.tutor("run", *_args(host, folder, free_port(), "--until", "1")).code == 0
    state = host.state / "state.json"
    text = state.read_text()
    assert "made-up-pass-1234" not in text and "token-given-5678" not in text
    step = json.loads(text)["tutorials"]["resume"]["steps"][0]
    assert step["exports"]["TOOL_HOME"] == str(host.work / "sub" / "tool")
    assert step["exports"]["PATH"].startswith(str(host.work / "sub" / "tool" / "bin") + ":")
    assert step["withheld"] == ["DB_PASSWORD", "DSN"]
    assert stat.S_IMODE(state.stat().st_mode) == 0o600 and stat.S_IMODE(host.state.stat().st_mode) == 0o700


def test_from_and_only_refuse_without_a_saved_folder_and_start_in_it_otherwise(host: Host) -> None:
    folder = host.copy("behaviours")
    port = free_port()
    refused = host.tutor("run", *_args(host, folder, port, "--only", "3"))
    assert refused.code == 3, refused.output
    assert "step 2 is not done on this host" in refused.stderr and "--until 2" in refused.stderr
    assert not (host.work / "sub").exists() and not (host.root / "step3.txt").exists()
    plan = host.tutor("plan", *_args(host, folder, port, "--only", "3"))
    assert "would refuse" in plan.stdout and "step 2 is not done on this host" in plan.stdout
    assert host.tutor("run", *_args(host, folder, port, "--until", "2")).code == 0
    only = host.tutor("run", *_args(host, folder, port, "--only", "3"))
    assert only.code == 0, only.output
    assert _lines(host.work / "sub" / "step3.txt") == ["v=1.0"] and not (host.root / "step3.txt").exists()
