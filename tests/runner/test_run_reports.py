"""What a run leaves behind: status, next, the JUnit report, the logs; and doctor."""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET

from .conftest import Host


def test_status_and_next_follow_the_state(host: Host) -> None:
    host.copy("dstack-like", "tutorials")
    args = ["--var", f"WORK={host.work}", "--var", f"IMAGES_DIR={host.root / 'images'}"]
    empty = host.tutor("status")
    assert empty.code == 0 and "Nothing has been run on this host yet." in empty.stdout
    first = host.tutor("next", "--base-url", "https://dstack.info")
    assert first.code == 0 and first.stdout.startswith("Next: VMM Service Setup (vmm-service-setup)")
    assert "run:   tutor run vmm-service-setup" in first.stdout
    assert host.tutor("run", "vmm-service-setup", *args).code == 0
    status = host.tutor("status")
    assert "vmm-service-setup  VMM Service Setup: done" in status.stdout
    assert "Step 1: Start the VMM: done" in status.stdout and "guest-image-setup  Guest Image Setup: not run" in status.stdout
    after = host.tutor("next")
    assert after.stdout.startswith("Next: Guest Image Setup (guest-image-setup)")
    assert "✓ vmm-service-setup: done" in after.stdout
    as_json = json.loads(host.tutor("status", "vmm-service-setup", "--json").stdout)
    assert as_json["tutorials"]["vmm-service-setup"]["steps"][0]["status"] == "done"


def test_junit_has_a_case_per_step_and_per_probe_and_logs_are_written(host: Host) -> None:
    folder = host.copy("behaviours")
    junit = host.root / "junit.xml"
    result = host.tutor("run", "two-steps", str(folder), "--var", f"WORK={host.work}", "--junit", str(junit))
    assert result.code == 0, result.output
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("name") == "two-steps"
    names = [case.get("name") for case in suite.iter("testcase")]
    here = socket.gethostname()
    assert suite.get("hostname") == here  # reports of many hosts merge: each says whose it is
    assert names == [f"[{here}] Step 1: Set up", f"[{here}] Step 2: Use it",
                     f"[{here}] Step 2 check: The file {host.work}/step2.txt contains `first-step`"]
    assert suite.get("failures") == "0"
    logs = sorted(p.name for p in host.logs.iterdir())
    assert any(n.endswith(".cast") for n in logs) and any(n.endswith(".jsonl") for n in logs)
    cast = next(p for p in host.logs.iterdir() if p.name.endswith(".cast")).read_text().split("\n")
    assert json.loads(cast[0])["version"] == 2


def test_doctor_reports_what_it_found(host: Host) -> None:
    result = host.tutor("doctor")
    assert result.code == 0, result.output
    for name in ("bash", "sudo", "terminal (pty)", "state folder", "python", "pexpect"):
        assert f" {name}" in result.stdout
    assert str(host.state) in result.stdout and not host.state.exists()
