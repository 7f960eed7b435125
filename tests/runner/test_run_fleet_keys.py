"""`tutor run` honours the keys fleets need: `scope=local`, the guards, `reboot`; and `--report`.

The fixture is a kernel upgrade as an operator would write it: a key fetched on the laptop,
an install guarded by `creates=`, a boot parameter guarded by `unless=`, a clean-up guarded
by `removes=`, a reboot, and a check after it. TUTOR_REBOOT_COMMAND stands in for the reboot.
"""

from __future__ import annotations

import json
import socket
import textwrap
from pathlib import Path

from tutor.attributes import parse_info

from .conftest import Host, Result

SLUG = "kernel-upgrade"


def _run(host: Host, folder: Path, *args: str, reboot: str | None = None) -> Result:
    env = {"TUTOR_REBOOT_COMMAND": reboot} if reboot is not None else {}
    return host.tutor("run", SLUG, str(folder), "--var", f"WORK={host.work}", *args, **env)


def _runs(host: Host) -> list[str]:
    log = host.work / "runs.log"
    return log.read_text().split() if log.exists() else []


def _state(host: Host) -> dict:
    return json.loads((host.state / "state.json").read_text())["tutorials"][SLUG]


def test_a_reboot_block_marks_the_step_done_reboots_and_the_next_run_goes_on(host: Host) -> None:
    folder = host.copy("fleet-keys")
    first = _run(host, folder, "--yes", "--skip-manual", reboot=f"touch {host.work}/booted")
    assert first.code == 5, first.output
    assert _runs(host) == ["install", "param", "rebooting"]
    assert (host.work / "booted").exists(), "--yes reboots with the host's reboot command"
    assert "The host is rebooting" in first.output and "to continue from step 4" in first.output
    state = _state(host)
    assert state["status"] == "partial"
    assert [s["status"] for s in state["steps"]] == ["done", "done", "done"]

    second = _run(host, folder, "--yes", "--skip-manual", reboot="false")
    assert second.code == 0, second.output
    assert _runs(host) == ["install", "param", "rebooting", "checked"], "only the step after the reboot ran"
    assert "Step 3/4: Reboot into it: done" in second.output
    assert _state(host)["status"] == "done"


def test_without_yes_and_without_a_terminal_the_run_says_how_to_reboot_and_reboots_nothing(host: Host) -> None:
    folder = host.copy("fleet-keys")
    first = _run(host, folder, "--skip-manual", reboot=f"touch {host.work}/booted")
    assert first.code == 5, first.output
    assert not (host.work / "booted").exists()
    assert f"Reboot the host (`touch {host.work}/booted`)" in first.output
    assert "tutor run kernel-upgrade" in first.output and "continue from step 4" in first.output
    # Not rebooted: step 3's check (the host came back) fails; the run says so and runs nothing,
    # and --from 3 runs the step (and asks for the reboot) again.
    again = _run(host, folder, "--skip-manual", reboot=f"touch {host.work}/booted")
    assert again.code == 4, again.output
    assert "a check no longer passes" in again.output and "--from 3" in again.output
    assert _runs(host) == ["install", "param", "rebooting"]
    rerun = _run(host, folder, "--skip-manual", "--from", "3", reboot=f"touch {host.work}/booted")
    assert rerun.code == 5, rerun.output
    assert _runs(host) == ["install", "param", "rebooting", "rebooting"]


def test_a_reboot_that_cannot_start_fails_the_run_with_what_to_do(host: Host) -> None:
    folder = host.copy("fleet-keys")
    result = _run(host, folder, "--yes", "--skip-manual", reboot="false")
    assert result.code == 1, result.output
    assert "tutor could not reboot the host: `false` exited with status 1" in result.output
    assert "Reboot it yourself, then run" in result.output
    assert [s["status"] for s in _state(host)["steps"]] == ["done", "done", "done"]


def test_guards_skip_blocks_whose_work_is_already_there(host: Host) -> None:
    folder = host.copy("fleet-keys")
    (host.work / "kernel").mkdir()
    (host.work / "kernel" / "old").write_text("5.15\n")
    first = _run(host, folder, "--yes", "--skip-manual", reboot=f"touch {host.work}/booted")
    assert _runs(host) == ["install", "param", "removed", "rebooting"], first.output
    again = _run(host, folder, "--yes", "--skip-manual", "--restart", reboot=f"touch {host.work}/booted")
    assert again.code == 5, again.output
    assert _runs(host) == ["install", "param", "removed", "rebooting", "rebooting"], "every guarded block was skipped"
    assert (host.work / "grub.cfg").read_text() == "kvm_intel.tdx=1\n"
    assert f"kernel-upgrade.md:27: {host.work}/kernel/installed exists (creates=${{WORK}}/kernel/installed)" in again.output
    assert "`grep -q kvm_intel.tdx=1 grub.cfg` succeeded (unless=)" in again.output
    assert f"{host.work}/kernel/old does not exist" in again.output


def test_a_block_for_the_operators_machine_is_never_run_on_the_host(host: Host) -> None:
    folder = host.copy("fleet-keys")
    unattended = _run(host, folder)
    assert unattended.code == 2, unattended.output
    assert "kernel-upgrade.md:21: step 1 has a block for your own machine (scope=local)" in unattended.output
    refused = _run(host, folder, "--yes")
    assert refused.code == 1, refused.output
    assert "has a block to run on your own machine, not on this host (fleet-keys/kernel-upgrade.md:21)" in refused.output
    assert "--skip-manual" in refused.output and _runs(host) == []
    skipped = _run(host, folder, "--yes", "--skip-manual", reboot="true")
    assert "skipped the block for your own machine (scope=local)" in skipped.output
    # `pass` is not installed here: had the block run on the host, step 1 would have failed.
    assert skipped.code == 5 and _runs(host) == ["install", "param", "rebooting"], skipped.output


def test_a_guard_naming_a_variable_with_no_value_stops_with_its_line(host: Host, tmp_path: Path) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "guarded.md").write_text(textwrap.dedent("""\
        ---
        title: Guarded
        description: A block guarded by a path under a variable nobody set.
        section: Setup
        isAppendix: true
        ---

        ## Step 1: Make it

        ```bash {creates=${MISSING_PLACE}/done}
        touch done
        ```
        """))
    result = host.tutor("run", "guarded", str(folder), "--yes")
    assert result.code == 1, result.output
    assert "creates='${MISSING_PLACE}/done' at " in result.output and "guarded.md:10 uses MISSING_PLACE" in result.output
    assert "Traceback" not in result.output


def test_plan_json_shows_scope_guards_and_reboot(host: Host) -> None:
    folder = host.copy("fleet-keys")
    document = json.loads(host.tutor("plan", SLUG, str(folder), "--var", f"WORK={host.work}", "--format", "json").stdout)
    assert document["scope"] == "host"
    blocks = [b for s in document["steps"] for b in s["blocks"]]
    assert blocks[0]["scope"] == "local" and blocks[0]["runs"] is False
    assert blocks[1]["guards"] == {"creates": "${WORK}/kernel/installed"}
    assert blocks[2]["guards"] == {"unless": "grep -q kvm_intel.tdx=1 grub.cfg"}
    assert [b["reboot"] for b in blocks] == [False, False, False, False, True, False]


def test_the_json_run_report_has_steps_checks_and_host_and_no_secret(host: Host) -> None:
    folder = host.copy("behaviours")
    report = host.root / "report.json"
    secret = "s3cr3t-credential-value"
    result = host.tutor("run", "secrets", str(folder), "--var", f"WORK={host.work}", "--var", "API_TOKEN=tok-123456",
                        "--var", f"DB_CREDENTIAL={secret}", "--report", str(report))
    text = report.read_text()
    assert secret not in text and "tok-123456" not in text
    document = json.loads(text)
    assert document["schema_version"] == 1 and document["host"] == socket.gethostname()
    assert document["exit_code"] == result.code
    run = document["runs"][0]
    assert run["tutorial"] == "secrets"
    assert run["steps"][0]["title"] == "Use the secrets" and run["steps"][0]["outcome"] in ("done", "failed")
    assert all({"check", "passed", "found", "duration"} <= set(c) for s in run["steps"] for c in s["checks"])


def test_a_report_stopped_before_any_step_says_why(host: Host) -> None:
    folder = host.copy("fleet-keys")
    report = host.root / "report.json"
    result = _run(host, folder, "--report", str(report))
    assert result.code == 2
    document = json.loads(report.read_text())
    assert document["exit_code"] == 2 and "scope=local" in document["runs"][0]["message"]


def test_braces_inside_an_attribute_value_belong_to_the_value() -> None:
    parsed = parse_info("bash {removes=${WORK}/kernel/old timeout=5}")
    assert parsed.problems == ()
    assert parsed.options.removes == "${WORK}/kernel/old" and parsed.options.timeout == 5
    assert parse_info("bash {scope=everywhere}").problems[0].message == "scope='everywhere' is not one of host, once, local"


def test_a_reboot_in_the_last_step_has_its_checks_made_by_the_next_run(host: Host) -> None:
    folder = host.copy("reboot-last")
    slug = "enable-feature"

    def run(*args: str) -> Result:
        return host.tutor("run", slug, str(folder), "--var", f"WORK={host.work}", "--yes", *args,
                          TUTOR_REBOOT_COMMAND="true")

    assert run().code == 5
    plan = host.tutor("plan", slug, str(folder), "--var", f"WORK={host.work}")
    assert "it ended with a reboot, and its checks are made now" in plan.output, plan.output

    came_back_wrong = run()
    assert came_back_wrong.code == 4, came_back_wrong.output
    assert "ended with a reboot, and after it a check fails" in came_back_wrong.output
    assert "the host booted without the feature" in came_back_wrong.output
    assert _runs(host) == ["configured", "rebooting"], "checking after the reboot runs no step again"

    (host.work / "feature-active").touch()
    came_back = run()
    assert came_back.code == 0, came_back.output
    assert _runs(host) == ["configured", "rebooting"]
    steps = json.loads((host.state / "state.json").read_text())["tutorials"][slug]["steps"]
    assert [s["checks_after_reboot"] for s in steps] == [False, False]
    assert steps[1]["probes"][0]["passed"] is True

    (host.work / "feature-active").unlink()
    again = run()
    assert again.code == 0, "once its checks passed after the reboot, the step is done like any other"
    assert "nothing ran" in again.output
