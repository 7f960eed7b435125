"""Every JSON and XML file a run writes stays valid, whatever bytes the tutorial's commands produce.

The finding this guards: a block that exported a value that is not UTF-8 (`export FOO=$'caf\\xe9'`)
crashed the state write with a UnicodeEncodeError and left the run "running"."""

from __future__ import annotations

import json
import os
import subprocess
from xml.etree import ElementTree

from .conftest import Host

BAD_BYTES = """---
title: "Bad bytes"
description: "Exports a value that is not UTF-8, prints colour and bytes that are not text, then fails."
section: Behaviours
stepNumber: null
isAppendix: true
lastUpdated: 2025-12-07
prerequisites: []
---

## Step 1: Export it

```bash
export FOO=$'caf\\xe9'
mkdir -p $'dir-\\xff' && cd $'dir-\\xff'
printf 'out: \\xff\\xfe \\033[31mred\\033[0m\\n'
```

## Step 2: Fail

```bash
printf '\\033[31merror: \\xff\\033[0m\\n'
false
```
"""


def test_state_events_cast_and_junit_stay_valid(host: Host) -> None:
    folder = host.root / "tutorials"
    folder.mkdir()
    (folder / "sections.yml").write_text("- Behaviours\n")
    (folder / "bad-bytes.md").write_text(BAD_BYTES)
    junit = host.root / "report.xml"
    result = host.tutor("run", "bad-bytes", str(folder), "--yes", "--junit", str(junit), cwd=host.work)
    assert "Traceback" not in result.output, result.output
    assert result.code == 1, result.output
    entry = json.loads((host.state / "state.json").read_text(encoding="utf-8"))["tutorials"]["bad-bytes"]
    assert entry["status"] == "failed"
    assert [s["status"] for s in entry["steps"]] == ["done", "failed"]
    assert "FOO" not in entry["steps"][0]["exports"], "a value JSON cannot hold faithfully is not carried"
    assert entry["steps"][0]["cwd"] is None, "nor a folder name that is not text"
    status = host.tutor("status", "--json")
    assert status.code == 0 and json.loads(status.stdout)["tutorials"]["bad-bytes"]["status"] == "failed"
    for path in host.logs.iterdir():
        if path.suffix in (".jsonl", ".cast"):
            for line in path.read_text(encoding="utf-8").splitlines():
                json.loads(line)
    suite = ElementTree.parse(junit).getroot()
    assert suite.get("failures") == "1"


def test_a_variable_from_the_environment_that_is_not_text(host: Host) -> None:
    """A folder name that is not UTF-8, given in the environment, reaches a check's sentence:
    the JUnit report and the state stay valid, and the run is done."""
    tutorials = host.copy("behaviours", "tutorials")
    work = host.root / os.fsdecode(b"work-\xff")
    work.mkdir()
    junit = host.root / "report.xml"
    done = subprocess.run(host.command("run", "two-steps", str(tutorials), "--yes", "--junit", str(junit)),
                          cwd=host.root, env=host.env(WORK=str(work)), stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=90, check=False)  # the terminal shows the folder's bytes as they are
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    assert "Traceback" not in output, output
    assert done.returncode == 0, output
    ElementTree.parse(junit)
    entry = json.loads((host.state / "state.json").read_text(encoding="utf-8"))["tutorials"]["two-steps"]
    assert entry["status"] == "done" and "WORK" not in entry["variables"]
