"""`tutor verify`: re-check what done tutorials set up, on a healthy host and on a broken one, running no step."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from .conftest import Host, free_port


def set_up(host: Host) -> tuple[Path, int]:
    """Both tutorials of the fixture done on this host; the web server left running (`keep`)."""
    folder = host.copy("health")
    port = free_port()
    first = host.tutor("run", "web-config", str(folder), "--var", f"WORK={host.work}", "--var", f"PORT={port}")
    assert first.code == 0, first.output
    second = host.tutor("run", "users", str(folder), "--var", f"WORK={host.work}")
    assert second.code == 0, second.output
    return folder, port


def stop_kept_server(host: Host) -> None:
    status = host.tutor("status", "web-config")
    pid = int(re.search(r"kept running: web \(pid (\d+)\)", status.stdout).group(1))  # type: ignore[union-attr]
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while os.path.exists(f"/proc/{pid}") and "Z" not in Path(f"/proc/{pid}/stat").read_text().split(")")[1][:3]:
        assert time.monotonic() < deadline, "the kept server did not stop"
        time.sleep(0.05)


def test_a_healthy_host_passes_every_check_in_reading_order_and_nothing_runs(host: Host) -> None:
    folder, port = set_up(host)
    runs = (host.work / "runs.log").read_text()
    junit = host.root / "verify.xml"
    result = host.tutor("verify", str(folder), "--junit", str(junit))
    assert result.code == 0, result.output
    out = result.stdout
    assert out.index("web-config  Configure and serve the site: healthy") < out.index("users  Add the first user: healthy")
    assert f"✓ Something is listening on 127.0.0.1:{port}" in out  # a step check, with the last run's PORT
    assert f"✓ http://127.0.0.1:{port}/app.conf answers" in out  # a provides check
    assert "5 checks: 5 passed, 0 failed. This host is healthy." in out
    assert (host.work / "runs.log").read_text() == runs  # no step ran again
    here = socket.gethostname()
    root = ET.parse(junit).getroot()
    assert root.get("tests") == "5" and root.get("failures") == "0"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["web-config", "users"] and {s.get("hostname") for s in suites} == {here}
    assert all(c.get("name", "").startswith(f"[{here}] ") for c in root.iter("testcase"))


def test_a_broken_host_fails_the_checks_that_no_longer_hold(host: Host) -> None:
    folder, port = set_up(host)
    stop_kept_server(host)
    (host.work / "site" / "users.txt").unlink()
    result = host.tutor("verify", str(folder))
    assert result.code == 4, result.output
    out = result.stdout
    assert f"✗ Something is listening on 127.0.0.1:{port} (found: connection refused)" in out
    assert "✓ The file" in out and "app.conf contains" in out  # what still holds still passes
    assert "✗ The file" in out and "users.txt contains `alice` (found: no such file)" in out
    assert "hint: alice is missing from users.txt" in out
    assert "5 checks: 2 passed, 3 failed." in out
    document = json.loads(host.tutor("verify", "users", str(folder), "--format", "json").stdout)
    assert document["passed"] is False and document["host"] == socket.gethostname()
    [check] = document["tutorials"][0]["checks"]
    assert (check["step"], check["type"], check["passed"], check["found"]) == (1, "file", False, "no such file")
    junit = host.root / "broken.xml"
    assert host.tutor("verify", "web-config", str(folder), "--junit", str(junit)).code == 4
    failed = [c.get("name") for c in ET.parse(junit).getroot().iter("testcase") if c.find("failure") is not None]
    assert failed == [f"[{socket.gethostname()}] Step 2 check: Something is listening on 127.0.0.1:{port}",
                      f"[{socket.gethostname()}] provides: http://127.0.0.1:{port}/app.conf answers with a 2xx or 3xx "
                      f"status and its body matches `listen = `"]


def test_a_named_tutorial_that_is_not_done_here_is_not_healthy(host: Host) -> None:
    folder = host.copy("health")
    nothing = host.tutor("verify", str(folder))
    assert nothing.code == 0 and "Nothing is done on this host" in nothing.stdout
    named = host.tutor("verify", "users", str(folder))
    assert named.code == 4, named.output
    assert "✗ not run on this host; `tutor run users` sets it up" in named.stdout
    unknown = host.tutor("verify", "user", str(folder))
    assert unknown.code == 2 and "no tutorial `user`" in unknown.stderr and "did you mean `users`?" in unknown.stderr
