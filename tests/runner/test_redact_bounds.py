"""Short secrets are masked in what people read without corrupting what the runner reads back
(state, events), and masking a long secret costs memory linear in its length.

The findings: a 1-character secret turned the state's "done" into "d***ne" (and the events'
keys too), and a 32 KB secret cost 500 MB per block (a set of all its prefixes)."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from tutor.runner.recorder import RunRecorder
from tutor.runner.redact import Redactor
from tutor.runner.state import ProbeRecord, StateStore, StepRecord, TutorialRecord

from .conftest import Host


@pytest.mark.parametrize("secret", ["o", "e", "1", "do", "ne", "sha"])
def test_a_short_secret_leaves_the_state_readable(tmp_path: Path, secret: str) -> None:
    redactor = Redactor([secret])
    store = StateStore(tmp_path, redact=redactor.redact)
    record = TutorialRecord(slug="two-steps", title="Two steps", path="two-steps.md", status="done",
                            started="2025-12-07T10:00:01+00:00", ended="2025-12-07T10:00:03+00:00",
                            variables={"WORK": "/tmp/work", "REGION": "eu"})
    record.put_step(StepRecord(1, "Set up", "done", "sha256:0123abcdef", exit_code=0, started="2025-12-07T10:00:01+00:00",
                               ended="2025-12-07T10:00:02+00:00", cwd="/tmp/work", exports={"MARK": "first-step"},
                               probes=[ProbeRecord("the file /tmp/work/x exists", True, "found it", "x-file", "2025-12-07T10:00:02+00:00")],
                               reason=f"said {secret}"))
    store.save(record)
    loaded = StateStore(tmp_path).load()["two-steps"]  # the file is still a valid state file
    step = loaded.steps[0]
    assert (loaded.status, step.status, step.hash, step.started, loaded.path) == (
        "done", "done", "sha256:0123abcdef", "2025-12-07T10:00:01+00:00", "two-steps.md")
    assert step.probes[0].passed and step.probes[0].checked == "2025-12-07T10:00:02+00:00"
    text = store.path.read_text()
    assert f"said {secret}" not in text, "free text is still masked"
    # Values used again are left out when they hold the secret, never stored masked:
    for name, value in {**loaded.variables, **step.exports}.items():
        assert secret not in value and "***" not in value, (name, value)
    assert step.cwd is None or (secret not in step.cwd and "***" not in step.cwd)


@pytest.mark.parametrize("secret", ["k", "e", "ti", "run"])
def test_a_short_secret_leaves_the_events_readable(tmp_path: Path, secret: str) -> None:
    recorder = RunRecorder(tmp_path, "demo", Redactor([secret]))
    recorder.event("step", number=1, title="Set up", status="running")
    recorder.event("block-end", step=1, block="serve", exit_code=0, timed_out=False, duration=0.25)
    recorder.event("run", slug="demo", title="Demo", steps=[1], variables={"REGION": "eu"})
    recorder.close()
    events = [json.loads(line) for line in recorder.events_path.read_text().splitlines()]
    assert [e["kind"] for e in events] == ["step", "block-end", "run"]
    assert events[0]["status"] == "running" and set(events[1]) == {"time", "kind", "step", "block", "exit_code",
                                                                    "timed_out", "duration"}
    assert events[2]["slug"] == "demo" and list(events[2]["variables"]) == ["REGION"]
    for line in recorder.cast_path.read_text().splitlines():
        json.loads(line)  # the cast stays JSON too


def test_a_long_secret_costs_memory_linear_in_its_length() -> None:
    secret = "".join(chr(ord("a") + (i * 7) % 26) for i in range(32 * 1024))
    redactor = Redactor([secret])
    redactor.pattern()  # compiled once per run, not per block
    tracemalloc.start()
    try:
        for _ in range(3):  # three blocks, each with its own stream
            stream = redactor.stream()
            shown = stream.feed("start " + secret[:20_000])
            shown += stream.feed(secret[20_000:] + " end\n") + stream.flush()
            assert shown == "start *** end\n"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024, f"{peak} bytes at the peak for a 32 KB secret"


def test_a_tail_that_may_start_a_long_secret_is_held_and_nothing_else() -> None:
    secret = "x" * 5000 + "TAIL"
    stream = Redactor([secret]).stream()
    assert stream.feed("out " + "x" * 3000) == "out "  # could be the start of the secret
    assert stream.feed("y\n") == "x" * 3000 + "y\n"  # it was not
    assert stream.feed("z" * 6000) == "z" * 6000  # no first character of the secret: nothing held


def test_a_run_with_a_one_letter_secret(host: Host) -> None:
    """End to end: the state and the events stay what tutor reads back."""
    tutorials = host.copy("behaviours", "tutorials")
    result = host.tutor("run", "secrets", str(tutorials), "--yes", WORK=str(host.work), API_TOKEN="e", DB_CREDENTIAL="t")
    assert result.code == 4, result.output  # its second check fails on purpose
    status = host.tutor("status", "secrets")
    assert status.code == 0 and "Traceback" not in status.output, status.output
    entry = json.loads((host.state / "state.json").read_text())["tutorials"]["secrets"]
    assert entry["status"] == "failed" and entry["steps"][0]["status"] == "failed"
    events_file = next(host.logs.glob("secrets-*.events.jsonl"))
    kinds = [json.loads(line)["kind"] for line in events_file.read_text().splitlines()]
    assert kinds[0] == "run" and kinds[-1] == "end" and "step" in kinds and "probe" in kinds
