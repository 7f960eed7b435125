"""A full disk or a log folder that cannot be written: one clear message, no traceback, and the
state says "failed" (or was never written), never "running"."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Host, Result

FILLS_THE_DISK = """---
title: "Fills the disk"
description: "Its second block fills the folder the logs are in, then prints."
section: Behaviours
stepNumber: null
isAppendix: true
lastUpdated: 2025-12-07
prerequisites: []
variables:
  FILL:
    required: true
---

## Step 1: Fill it

```bash
echo before
```

```bash
cat /dev/zero > "$FILL" 2>/dev/null || true
seq 1 2000
```

## Step 2: Never reached

```bash
touch "$FILL.step2"
```
"""


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs, mounted for the test (root only)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tiny tmpfs needs root and mount(8); the full-disk case is not exercised here")
    point = tmp_path / "tiny"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(point)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode}); the full-disk case is not exercised")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _run(host: Host, *args: str, **env: str) -> Result:
    """`tutor run ARGS` with the log folder ARGS give (the host's own --log-dir would win over it)."""
    done = subprocess.run([sys.executable, "-m", "tutor.cli", "run", *args], cwd=host.root, env=host.env(**env),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90, check=False)
    return Result(done.returncode, done.stdout, done.stderr)


def _tutorials(host: Host) -> Path:
    folder = host.root / "tutorials"
    folder.mkdir()
    (folder / "sections.yml").write_text("- Behaviours\n")
    (folder / "fills-the-disk.md").write_text(FILLS_THE_DISK)
    return folder


def _status(host: Host, slug: str) -> dict[str, object]:
    return dict(json.loads((host.state / "state.json").read_text())["tutorials"][slug])


def test_a_disk_that_fills_during_a_run(host: Host, tiny_disk: Path) -> None:
    tutorials = _tutorials(host)
    fill = tiny_disk / "fill"
    result = _run(host, "fills-the-disk", str(tutorials), "--yes", "--log-dir", str(tiny_disk / "logs"),
                        FILL=str(fill))
    assert "Traceback" not in result.output, result.output
    assert result.code == 1, result.output
    assert "cannot write the run's log: No space left on device" in result.stderr
    assert "hint: free some space there, or pass --log-dir" in result.stderr
    entry = _status(host, "fills-the-disk")
    assert entry["status"] == "failed"
    steps = entry["steps"]
    assert isinstance(steps, list) and [s["status"] for s in steps] == ["failed"]
    assert "No space left on device" in steps[0]["reason"]
    assert not Path(f"{fill}.step2").exists(), "the run stopped"
    assert host.wait_for_no_survivors() == []


def test_a_full_state_folder(host: Host, tiny_disk: Path) -> None:
    tutorials = host.copy("behaviours", "tutorials")
    (tiny_disk / "fill").write_bytes(b"")
    with open(tiny_disk / "fill", "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    result = host.tutor("run", "two-steps", str(tutorials), "--yes", WORK=str(host.work),
                        TUTOR_STATE_DIR=str(tiny_disk / "state"))
    assert "Traceback" not in result.output, result.output
    assert result.code == 2 and "No space left on device" in result.stderr
    assert "pass --state-dir" in result.stderr
    assert not (tiny_disk / "state" / "state.json").exists(), "nothing said running"
    assert not (host.work / "step1.txt").exists(), "nothing ran"


def test_a_log_folder_that_cannot_be_created(host: Host) -> None:
    tutorials = host.copy("behaviours", "tutorials")
    blocker = host.root / "not-a-folder"
    blocker.write_text("a file where the log folder would go\n")
    result = _run(host, "two-steps", str(tutorials), "--yes", "--log-dir", str(blocker / "logs"),
                        WORK=str(host.work))
    assert "Traceback" not in result.output, result.output
    assert result.code == 1
    assert f"{blocker / 'logs'}: cannot create the run's logs: Not a directory" in result.stderr
    assert _status(host, "two-steps")["status"] == "failed"
    assert not (host.work / "step1.txt").exists(), "nothing ran without its logs"


def test_a_step_a_killed_run_left_running_is_closed_as_interrupted(host: Host) -> None:
    tutorials = host.copy("behaviours", "tutorials")
    host.state.mkdir()
    killed = {"title": "Two steps", "path": "two-steps.md", "status": "running", "started": "2025-12-07T10:00:00+00:00",
              "steps": [{"number": 2, "title": "Use it", "status": "running", "hash": "sha256:old",
                         "started": "2025-12-07T10:00:01+00:00"}]}
    (host.state / "state.json").write_text(json.dumps({"schema": 1, "tutorials": {"two-steps": killed}}))
    result = host.tutor("run", "two-steps", str(tutorials), "--yes", "--only", "1", WORK=str(host.work))
    assert result.code == 0, result.output
    steps = {s["number"]: s for s in _status(host, "two-steps")["steps"]}  # type: ignore[union-attr]
    assert steps[1]["status"] == "done"
    assert steps[2]["status"] == "interrupted" and steps[2]["reason"] == "the run was killed"
