"""The state file: where it lives, what it holds, atomic merged writes, and no secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.runner.state import SCHEMA, StateError, StateStore, StepRecord, TutorialRecord, state_dir
from tutor.runner.status import Status


def test_location_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    assert state_dir("/x", {"TUTOR_STATE_DIR": "/y"}) == Path("/x")
    assert state_dir(None, {"TUTOR_STATE_DIR": "/y", "XDG_STATE_HOME": "/z"}) == Path("/y")
    assert state_dir(None, {"XDG_STATE_HOME": "/z"}) == Path("/z/tutor")
    monkeypatch.setattr("os.geteuid", lambda: 0)
    assert state_dir(None, {"HOME": "/home/u"}) == Path("/var/lib/tutor")
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    assert state_dir(None, {"HOME": "/home/u"}) == Path("/home/u/.local/state/tutor")


def record(slug: str, status: str = Status.DONE) -> TutorialRecord:
    r = TutorialRecord(slug=slug, title=slug.title(), status=status, started="2025-12-07T10:00:00+00:00")
    r.put_step(StepRecord(2, "Second", status, "sha256:b", exit_code=0))
    r.put_step(StepRecord(1, "First", Status.DONE, "sha256:a", exit_code=0, exports={"W": "/tmp/w"}))
    return r


def test_round_trip_and_schema(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    assert store.load() == {}
    assert not (tmp_path / "state").exists()  # reading creates nothing
    store.save(record("a"))
    data = json.loads(store.path.read_text())
    assert data["schema"] == SCHEMA and data["host"]
    assert [s["number"] for s in data["tutorials"]["a"]["steps"]] == [1, 2]
    loaded = store.get("a")
    assert loaded is not None and loaded.step(1).exports == {"W": "/tmp/w"} and loaded.step(2).hash == "sha256:b"  # type: ignore[union-attr]


def test_saves_merge_entries_of_other_runs(tmp_path: Path) -> None:
    one, two = StateStore(tmp_path), StateStore(tmp_path)
    one.save(record("a"))
    two.save(record("b"))
    one.save(record("a", status="failed"))
    assert set(StateStore(tmp_path).load()) == {"a", "b"}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_secrets_are_redacted_before_writing(tmp_path: Path) -> None:
    store = StateStore(tmp_path, redact=lambda text: text.replace("s3cr3t-value", "***"))
    r = record("a")
    r.steps[0].reason = "failed: curl -H 'Authorization: s3cr3t-value'"
    store.save(r)
    assert "s3cr3t-value" not in store.path.read_text()


@pytest.mark.parametrize("content, why", [
    ("{not json", "not valid JSON"),
    ('{"schema": 99, "tutorials": {}}', "schema version 99"),
    ("[1, 2]", "not a tutor state file"),
])
def test_an_unusable_file_is_one_clear_error(tmp_path: Path, content: str, why: str) -> None:
    (tmp_path / "state.json").write_text(content)
    with pytest.raises(StateError) as caught:
        StateStore(tmp_path).load()
    assert why in caught.value.message and "mv " in caught.value.hint
