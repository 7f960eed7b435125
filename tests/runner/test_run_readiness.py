"""A background block's readiness (`ready-port`, `ready-http`, `ready-log`): the next block waits for it,
and a background that never gets ready fails its step with the end of its log."""

from __future__ import annotations

import json

from .conftest import Host, free_port


def test_the_next_block_waits_for_a_server_that_listens_after_a_delay(host: Host) -> None:
    folder = host.copy("readiness")
    port = free_port()
    result = host.tutor("run", "slow-server", str(folder), "--var", f"WORK={host.work}", "--var", f"PORT={port}")
    assert result.code == 0, result.output
    # Step 2 fetched the page at once: it would have been refused had it not waited for the port.
    assert (host.work / "fetched.txt").read_text().strip() == "served after a delay"
    assert "web is ready" in result.stdout and f"Something is listening on 127.0.0.1:{port}" in result.stdout
    assert host.wait_for_no_survivors() == []  # not `keep`: stopped when the run ended


def test_a_log_line_says_when_a_worker_is_ready(host: Host) -> None:
    folder = host.copy("readiness")
    result = host.tutor("run", "log-ready", str(folder), "--var", f"WORK={host.work}")
    assert result.code == 0, result.output
    assert (host.work / "copied.out").read_text().strip() == "token-file written"
    assert "has a line containing `worker ready`" in result.stdout


def test_a_background_that_never_gets_ready_fails_with_its_log(host: Host) -> None:
    folder = host.copy("readiness")
    port = free_port()
    result = host.tutor("run", "never-ready", str(folder), "--var", f"WORK={host.work}", "--var", f"PORT={port}")
    assert result.code == 1, result.output
    assert "the background block `stuck` was not ready within 2 s" in result.stderr
    assert f"http://127.0.0.1:{port}/health answers" in result.stderr and "connection refused" in result.stderr
    assert "waiting for a database that is not there" in result.stderr  # the end of its log
    assert "its log: " in result.stderr
    assert not (host.work / "second-block-ran").exists()
    assert host.wait_for_no_survivors() == []
    status = host.tutor("status", "never-ready")
    assert "failed" in status.stdout


def test_a_background_that_exits_stops_the_wait_at_once(host: Host) -> None:
    folder = host.copy("readiness")
    # timeout=120 on the block: the test would hit its own 90 s limit if the wait went on.
    result = host.tutor("run", "dies-early", str(folder), "--var", f"WORK={host.work}", "--var", f"PORT={free_port()}",
                        timeout=60)
    assert result.code == 1, result.output
    assert "the background block `broken` ended (exit status 3) before it was ready" in result.stderr
    assert "fatal: cannot bind, address in use" in result.stderr
    assert not (host.work / "second-block-ran").exists()


def test_the_plan_shows_what_it_waits_for(host: Host) -> None:
    folder = host.copy("readiness")
    text = host.tutor("plan", "slow-server", str(folder), "--var", "WORK=/w", "--var", "PORT=8123")
    assert text.code == 0, text.output
    assert "ready when port `${PORT}` accepts connections and `http://127.0.0.1:${PORT}/` answers" in text.stdout
    document = host.tutor("plan", "slow-server", str(folder), "--var", "WORK=/w", "--var", "PORT=8123", "--format", "json")
    blocks = [b for step in json.loads(document.stdout)["steps"] for b in step["blocks"]]
    ready = [b["ready"] for b in blocks if b["background"]][0]
    assert [(r["type"], r["sentence"]) for r in ready] == [
        ("port", "Something is listening on 127.0.0.1:8123 (within 30 s)"),
        ("http", "http://127.0.0.1:8123/ answers with a 2xx or 3xx status (within 30 s)")]
    assert all(b["ready"] == [] for b in blocks if not b["background"])


def test_readiness_on_a_block_that_is_not_a_background_is_refused(host: Host) -> None:
    folder = host.copy("readiness")
    page = folder / "slow-server.md"
    page.write_text(page.read_text().replace("{id=web background ready-port", "{id=web ready-port"))
    lint = host.tutor("lint", str(folder))
    assert lint.code == 1, lint.output
    assert "slow-server.md:27: error [blocks/attribute-value]" in lint.stdout
    assert "`ready-port`, `ready-http` apply only to a `background` block" in lint.stdout
