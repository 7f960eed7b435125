"""What a tutorial provides is checked while its own backgrounds still run; the ones not kept are
stopped after that check, when the run ends."""

from __future__ import annotations

import json

from .conftest import Host, free_port


def test_a_provides_check_sees_the_service_of_a_background_that_is_not_kept(host: Host) -> None:
    folder = host.copy("behaviours")
    port = free_port()
    result = host.tutor("run", "provides-background", str(folder), "--var", f"WORK={host.work}", "--var", f"PORT={port}",
                        "--report", str(host.root / "report.json"))
    assert result.code == 0, result.output
    report = json.loads((host.root / "report.json").read_text())
    assert [p["passed"] for p in report["runs"][0]["provides"]] == [True], report
    assert host.wait_for_no_survivors() == []  # not `keep`: stopped once the check was made
    assert "done" in host.tutor("status", "provides-background").stdout
