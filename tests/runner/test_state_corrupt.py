"""A state file that is not what tutor wrote (hand-edited, cut short by a full disk, from a newer
tutor) stops `tutor run` and `tutor status` with one message naming the file, what is wrong and
what to do; `tutor plan` still prints the plan and says the same. Never a traceback, and the
file is left as it was for the operator to look at."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.runner.state import StateError, StateStore

from .conftest import Host


def _state(entry: object) -> bytes:
    return json.dumps({"schema": 1, "tutorials": {"two-steps": entry}}).encode()


def _step(**fields: object) -> dict[str, object]:
    return {"number": 1, "title": "Set up", "status": "done", "hash": "sha256:x", **fields}


SHAPES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "it is empty"),
    "not JSON": (b"state: done\n", "not valid JSON"),
    "truncated": (b'{"schema": 1, "tutorials": {"two-steps": {"title": "Two st', "not valid JSON"),
    "a list": (b"[1, 2]", "not a tutor state file"),
    "a number": (b"42", "not a tutor state file"),
    "an entry that is a number": (_state(5), "tutorials.two-steps is 5, not an object"),
    "steps as text": (_state({"steps": "abc"}), 'tutorials.two-steps.steps is "abc", not a list'),
    "a step number as text": (_state({"steps": [_step(number="one")]}), 'steps[0].number is "one", not a whole number'),
    "a missing key": (_state({"steps": [{"title": "Set up", "status": "done", "hash": "h"}]}), "steps[0] has no `number`"),
    "exports of the wrong type": (_state({"steps": [_step(exports={"A": 5})]}), "steps[0].exports.A is 5, not a text"),
    "a NUL in an export": (_state({"steps": [_step(exports={"A": "x\u0000y"})]}), "holds a NUL character"),
    "probes of the wrong type": (_state({"steps": [_step(probes=[{"sentence": "s", "passed": "yes"}])]}),
                                 'probes[0].passed is "yes", not true or false'),
    "non-UTF-8 bytes": (b'{"schema": 1, "tutorials": {"two-steps": {"title": "\xff\xfe"}}}', "not UTF-8 text"),
    "a huge step number": (_state({"steps": [_step(number=10**400)]}), "an integer of about 401 digits"),
    "a negative step number": (_state({"steps": [_step(number=-3)]}), "steps[0].number is -3, outside"),
    "a huge exit code": (_state({"steps": [_step(exit_code=10**30)]}), "steps[0].exit_code is"),
    "a negative schema": (b'{"schema": -5, "tutorials": {}}', "schema version -5"),
    "NaN": (b'{"schema": 1, "tutorials": {"two-steps": {"steps": [{"number": NaN}]}}}', "NaN"),
    "nesting deeper than Python": (b"[" * 100_000 + b"]" * 100_000, "not JSON tutor can read"),
    "an unknown step status": (_state({"steps": [_step(status="bogus")]}), 'steps[0].status is "bogus", not one of'),
    "an unknown tutorial status": (_state({"status": "weird"}), 'tutorials.two-steps.status is "weird", not one of'),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_load_names_what_is_wrong(tmp_path: Path, shape: str) -> None:
    content, why = SHAPES[shape]
    (tmp_path / "state.json").write_bytes(content)
    with pytest.raises(StateError) as caught:
        StateStore(tmp_path).load()
    assert why in caught.value.message
    assert caught.value.path == str(tmp_path / "state.json") and "mv " in caught.value.hint


CLI_SHAPES = ["empty", "not JSON", "truncated", "a list", "steps as text", "a missing key", "non-UTF-8 bytes",
              "a huge step number", "an unknown step status", "nesting deeper than Python"]
"""The issue's eight shapes and two more, through the commands (every shape goes through `load` above)."""


@pytest.mark.parametrize("shape", CLI_SHAPES)
def test_run_status_and_plan_give_the_clean_message(host: Host, shape: str) -> None:
    content, why = SHAPES[shape]
    tutorials = host.copy("behaviours", "tutorials")
    host.state.mkdir()
    state = host.state / "state.json"
    state.write_bytes(content)
    for args in (("run", "two-steps", str(tutorials), "--yes"), ("status",), ("plan", "two-steps", str(tutorials))):
        result = host.tutor(*args, WORK=str(host.work))
        assert "Traceback" not in result.output, (args, result.output)
        assert f"{state}: the state file cannot be used" in result.output, (args, result.output)
        assert why in result.output and f"mv {state} {state}.bak" in result.output, (args, result.output)
        if args[0] == "plan":
            assert result.code == 0 and "Run it with: tutor run two-steps" in result.stdout
        else:
            assert result.code == 2
    assert state.read_bytes() == content, "the file is left for the operator to look at"
    assert not (host.work / "step1.txt").exists(), "nothing ran"


def test_a_file_tutor_wrote_still_loads(host: Host) -> None:
    tutorials = host.copy("behaviours", "tutorials")
    assert host.tutor("run", "two-steps", str(tutorials), "--yes", WORK=str(host.work)).code == 0
    records = StateStore(host.state).load()
    step = records["two-steps"].steps[0]
    assert isinstance(step.number, int) and step.status == "done" and step.exports == {"MARK": "first-step"}


@pytest.mark.parametrize("pid", [-1, 0, 1, "4100", 10**30, True])
def test_a_runs_file_with_a_pid_that_could_not_be_ours_is_ignored(tmp_path: Path, pid: object) -> None:
    """The runs file names processes the next run signals: a pid of -1 (every process), 0 (the
    caller's group) or 1 (init) must never be taken from it."""
    from tutor.runner.owned import OwnedFile

    owned = OwnedFile(tmp_path, "two-steps")
    owned.path.parent.mkdir()
    entry = {"kind": "shell", "name": "shell", "pid": pid, "pgid": pid, "sid": pid, "start": 1}
    owned.path.write_text(json.dumps({"slug": "two-steps", "processes": [entry]}))
    assert owned.load() == []
    entry.update(pid=4100, pgid=4100, sid=4100)
    owned.path.write_text(json.dumps({"slug": "two-steps", "processes": [entry]}))
    assert [e.pid for e in owned.load()] == [4100]
