"""evaluate(): the retry loop (on a fake clock), variables, and what never leaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.probes import evaluate, parse_probe, variables_used


class FakeClock:
    """A clock that only moves when the probe sleeps; `on_sleep` lets a test change the world meanwhile."""

    def __init__(self, on_sleep=None) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []
        self.on_sleep = on_sleep

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.on_sleep:
            self.on_sleep(len(self.sleeps))


def test_one_attempt_without_within(tmp_path: Path) -> None:
    clock = FakeClock()
    result = evaluate(parse_probe({"file": str(tmp_path / "x")}), clock=clock, sleep=clock.sleep)
    assert (result.passed, result.attempts, clock.sleeps, result.elapsed) == (False, 1, [], 0.0)


def test_retries_until_it_passes(tmp_path: Path) -> None:
    target = tmp_path / "ready"

    def world(sleeps: int) -> None:
        if sleeps == 2:
            target.write_text("")

    clock = FakeClock(world)
    result = evaluate(parse_probe({"file": str(target), "within": "1m", "interval": "5s"}), clock=clock, sleep=clock.sleep)
    assert (result.passed, result.attempts, clock.sleeps, result.elapsed) == (True, 3, [5.0, 5.0], 10.0)


def test_gives_up_when_within_is_over_and_the_last_wait_is_shortened(tmp_path: Path) -> None:
    clock = FakeClock()
    result = evaluate(parse_probe({"file": str(tmp_path / "x"), "within": 3.5, "interval": 1}), clock=clock, sleep=clock.sleep)
    assert (result.passed, result.attempts, result.found) == (False, 5, "no such file")
    assert clock.sleeps == [1.0, 1.0, 1.0, 0.5] and result.elapsed == 3.5


def test_a_missing_variable_is_a_clear_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DSTACK_VERSION", raising=False)
    probe = parse_probe({"file": "/var/lib/dstack/images/dstack-${DSTACK_VERSION}/metadata.json", "within": "30s"})
    clock = FakeClock()
    result = evaluate(probe, {}, clock=clock, sleep=clock.sleep)
    assert not result.passed and result.found == "variable DSTACK_VERSION has no value"
    assert result.attempts == 0 and clock.sleeps == []
    assert "DSTACK_VERSION" in result.hint
    assert "${DSTACK_VERSION}" in result.sentence


def test_variables_come_from_the_run_then_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a").write_text("")
    monkeypatch.setenv("PROBE_TEST_ROOT", "/nonexistent")
    probe = parse_probe({"file": "$PROBE_TEST_ROOT/a"})
    assert evaluate(probe, {"PROBE_TEST_ROOT": str(tmp_path)}).passed
    assert evaluate(probe).found == "no such file"


def test_values_in_a_regex_are_literal(tmp_path: Path) -> None:
    (tmp_path / "v").write_text("version 0.5.5\n")
    probe = parse_probe({"file": str(tmp_path / "v"), "matches": "^version ${VERSION}$"})
    assert evaluate(probe, {"VERSION": "0.5.5"}).passed
    assert not evaluate(probe, {"VERSION": "0.5."}).passed, "the dot of a value is not a wildcard"
    assert not evaluate(probe, {"VERSION": "0(5"}).passed, "a value is never a broken pattern"


def test_the_result_sentence_masks_secrets(tmp_path: Path) -> None:
    probe = parse_probe({"file": f"{tmp_path}/$DEPLOY_KEY/$PLAIN", "hint": "check ${DEPLOY_KEY}"})
    result = evaluate(probe, {"DEPLOY_KEY": "k-123456789", "PLAIN": "p-9"})
    assert result.sentence == f"The file {tmp_path}/***/p-9 exists"
    assert result.hint == "check ***"
    assert "k-123456789" not in result.found + result.sentence + result.hint


def test_variables_used() -> None:
    assert variables_used(parse_probe({"file": "${ROOT}/x", "contains": "v$VERSION", "hint": "see $DOCS"})) == {
        "ROOT", "VERSION", "DOCS",
    }
    assert variables_used(parse_probe({"file": "/x", "contains": "costs $$5"})) == set()
    assert variables_used(parse_probe({"http": "$URL", "headers": {"Authorization": "Bearer ${TOKEN}"}, "json": {"v": "~$V"}})) == {
        "URL", "TOKEN", "V",
    }
    command = parse_probe({"command": 'for f in *; do test -s "$f"; done; curl "${VMM_URL:-x}"; X=1; echo $X', "cwd": "$WORK"})
    assert variables_used(command) == {"VMM_URL", "WORK"}
