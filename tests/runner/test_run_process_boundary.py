"""What crosses into a spawned process is checked first, and a failed exec ends the forked child.

The finding: a variable default of "hello\\0world" (lint-clean) made pexpect's forked child raise
inside tutor's own code; the child went on to run the parent's cleanup, removed its temp folder,
and the state stayed "running"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tutor.runner.background import start_background
from tutor.runner.redact import Redactor
from tutor.runner.shell import ShellError, ShellSession
from tutor.runner.spawn_env import EnvironmentValueError, checked_environment

from .conftest import Host

NUL_DEFAULT = """---
title: "NUL default"
description: "A variable whose default holds a NUL character."
section: Behaviours
stepNumber: null
isAppendix: true
lastUpdated: 2025-12-07
prerequisites: []
variables:
  GREETING:
    default: "hello\\0world"
---

## Step 1: Greet

```bash
echo "$GREETING" > greeting.txt
```
"""


def test_a_nul_in_a_default_stops_the_run_before_anything_starts(host: Host) -> None:
    folder = host.root / "tutorials"
    folder.mkdir()
    (folder / "sections.yml").write_text("- Behaviours\n")
    (folder / "nul-default.md").write_text(NUL_DEFAULT)
    result = host.tutor("run", "nul-default", str(folder), "--yes", cwd=host.work)
    assert "Traceback" not in result.output, result.output
    assert result.code == 2
    assert "nul-default.md:10: `nul-default`: the variable GREETING (its default) holds a NUL character" in result.stderr
    assert not (host.work / "greeting.txt").exists()
    state = host.state / "state.json"
    assert not state.exists() or "running" not in json.dumps(json.loads(state.read_text()))
    assert not list(host.root.glob("tutor-shell-*")), "no shell folder was made, none was left"


@pytest.mark.parametrize("env, named", [
    ({"GREETING": "hello\0world"}, "GREETING"),
    ({"COUNT": 5}, "COUNT"),
    ({"A=B": "x"}, "A=B"),
    ({"": "x"}, "variable  has a name"),
])
def test_every_value_is_checked_and_named(env: dict[str, object], named: str) -> None:
    with pytest.raises(EnvironmentValueError) as caught:
        checked_environment({"PATH": "/usr/bin", **env})
    assert named in str(caught.value)


def test_the_shell_refuses_an_environment_it_cannot_pass(tmp_path: Path) -> None:
    session = ShellSession(env={"PATH": os.environ["PATH"], "GREETING": "hello\0world"})
    with pytest.raises(ShellError) as caught:
        session.start()
    assert "GREETING holds a NUL character" in str(caught.value)
    session.close()


def test_a_background_block_refuses_it_too(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="GREETING holds a NUL character"):
        start_background("sleep 1", "serve", shell="bash", env={"PATH": os.environ["PATH"], "GREETING": "a\0b"},
                         folder=str(tmp_path), log_path=tmp_path / "serve.log", redactor=Redactor())


def test_a_failed_exec_ends_the_forked_child(tmp_path: Path) -> None:
    """With the check taken away, exec fails in the child: the child must end there, never run the
    parent's `finally` (which would remove the session's folder) nor print what the parent prints."""
    script = textwrap.dedent("""
        import os
        from tutor.runner import shell
        shell.checked_environment = dict  # take the first line of defence away
        session = shell.ShellSession(env={"PATH": os.environ["PATH"], "BAD": "x\\0y"})
        try:
            session.start()
        except shell.ShellError as exc:
            print("error", exc, flush=True)
        finally:
            print("finally", os.getpid(), session._dir is not None and session._dir.exists(), flush=True)
            session.close()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "TMPDIR": str(tmp_path)}, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    finals = [line for line in lines if line.startswith("finally")]
    assert len(finals) == 1, done.stdout  # the child printed nothing of the parent's
    assert finals[0].endswith(" True"), "the parent's folder was still there when it cleaned up"
    assert any(line.startswith("error cannot start bash:") and "embedded null byte" in line for line in lines), done.stdout
    assert "Traceback" not in done.stderr
