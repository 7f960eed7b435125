"""command probes: real `bash -c` runs."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from tutor.probes import evaluate, parse_probe


def check(mapping: dict, variables: dict | None = None, **kwargs):
    return evaluate(parse_probe(mapping), variables, **kwargs)


def test_exit_and_stdout() -> None:
    result = check({"command": "echo 'cargo 1.80.0'", "stdout": r"^cargo 1\."})
    assert result.passed and result.found == "exit 0; stdout: cargo 1.80.0"


def test_a_failing_command_shows_what_it_said() -> None:
    result = check({"command": "echo starting; echo 'no such image' >&2; exit 3"})
    assert not result.passed
    assert result.found == "exit 3; stdout: starting; stderr: no such image"


def test_an_expected_exit_code_and_stderr() -> None:
    assert check({"command": "echo 'missing: x' >&2; exit 2", "exit": 2, "stderr": "^missing"}).passed
    assert not check({"command": "exit 2", "exit": 2, "stderr": "missing"}).passed


def test_stdout_is_cut_short() -> None:
    result = check({"command": "seq 1 1000", "stdout": "nothing like this"})
    assert not result.passed and result.found.endswith("…") and len(result.found) < 240
    assert "1 ⏎ 2 ⏎ 3" in result.found


def test_cwd(tmp_path: Path) -> None:
    (tmp_path / "marker").write_text("")
    assert check({"command": "test -f marker", "cwd": str(tmp_path)}).passed
    result = check({"command": "true", "cwd": str(tmp_path / "gone")})
    assert not result.passed and result.found == f"no such directory: {tmp_path / 'gone'}"


def test_variables_reach_the_command_as_environment_not_as_text() -> None:
    tricky = "a b; echo injected $(id)"
    result = check({"command": 'printf "%s" "$GREETING"', "stdout": "^a b; echo injected \\$\\(id\\)$"}, {"GREETING": tricky})
    assert result.passed


def test_a_command_that_hangs_is_stopped_with_everything_it_started() -> None:
    marker = f"30.{uuid.uuid4().int % 10**9}"
    result = check({"command": f"(sleep {marker} &); sleep 30", "timeout": 0.5})
    assert not result.passed and result.found == "no result within 500 ms; stopped it"
    assert not _running(f"sleep {marker}"), "the background child was killed with its group"


def test_secret_values_are_scrubbed_from_output() -> None:
    result = check({"command": "echo token is $DEPLOY_TOKEN; exit 1"}, {"DEPLOY_TOKEN": "tok-5ecret-value"})
    assert "tok-5ecret-value" not in result.found and "token is ***" in result.found
    declared = check({"command": "echo $PASSPHRASE; exit 1"}, {"PASSPHRASE": "correct horse"}, secrets={"PASSPHRASE"})
    assert "correct horse" not in declared.found


def _running(command_line: str) -> bool:
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                if handle.read().replace(b"\0", b" ").strip().decode() == command_line:
                    return True
        except OSError:
            continue
    return False
