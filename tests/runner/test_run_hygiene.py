"""Hygiene of a run: private logs with a size cap, no clipboard/title escapes on the terminal,
"interrupted" for a killed run, and a clear error for --var bytes that are not text."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from tutor.errors import UsageError
from tutor.runner.display import Display
from tutor.runner.osc_filter import OscFilter
from tutor.runner.recorder import RunRecorder
from tutor.runner.state import RunLock, StepRecord, TutorialRecord, settle_killed
from tutor.runner.status import Status
from tutor.runner.variables import parse_var_options


def test_logs_casts_and_events_are_private(tmp_path: Path) -> None:
    recorder = RunRecorder(tmp_path / "logs", "demo")
    recorder.output("hello\n")
    recorder.event("end", exit_code=0)
    recorder.close()
    for path in recorder.paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_log_cap_keeps_the_start_and_says_it_truncated(tmp_path: Path) -> None:
    recorder = RunRecorder(tmp_path, "demo", limit=1000)
    for index in range(100):
        recorder.output(f"line {index:03d} " + "x" * 40 + "\n")
    recorder.note("a note after the cap")
    recorder.event("end", exit_code=0)
    recorder.close()
    transcript = recorder.transcript_path.read_text()
    assert transcript.startswith("line 000 ")
    assert "line 099" not in transcript
    assert transcript.count("[… truncated: this run's output reached the log limit of 1000 bytes") == 1
    assert "a note after the cap" in transcript
    assert '"end"' in recorder.events_path.read_text()
    assert len(transcript) < 1400
    assert "line 099" not in recorder.cast_path.read_text()


def test_clipboard_and_title_escapes_never_reach_the_terminal() -> None:
    for tty, expected in ((True, "ab \x1b[31mred\x1b[0m c d\r\n"), (False, "ab red c d\n")):
        out = io.StringIO()
        display = Display(out=out, tty=tty)
        display.output("a\x1b]52;c;cm0gLXJmIH4K\x07b \x1b[31mred\x1b[0m \x1b]0;fake ti")
        display.output("tle\x07c \x1b]2;other\x1b\\d\n")
        shown = out.getvalue()
        assert "\x1b]52" not in shown and "\x1b]0" not in shown and "\x1b]2" not in shown
        assert shown == expected  # colours reach a terminal; a pipe gets the plain text


def test_an_unended_title_escape_is_dropped_at_the_end() -> None:
    osc = OscFilter()
    assert osc.feed("ok\x1b]2;never ends") == "ok"
    assert osc.flush() == ""
    assert osc.feed("\x1b]8;;http://x\x1b\\link") == "\x1b]8;;http://x\x1b\\link"  # hyperlinks pass


def test_a_killed_run_reads_as_interrupted(tmp_path: Path) -> None:
    record = TutorialRecord(slug="demo", title="Demo", path="demo.md", status=Status.RUNNING)
    record.put_step(StepRecord(1, "One", Status.RUNNING, "h"))
    lock = RunLock(tmp_path, "demo")
    lock.acquire()
    try:
        assert settle_killed(record, tmp_path).status == Status.RUNNING  # a live run holds the lock
    finally:
        lock.release()
    settled = settle_killed(record, tmp_path)
    assert settled.status == Status.INTERRUPTED
    step = settled.step(1)
    assert step is not None and step.status == Status.INTERRUPTED


def test_var_bytes_that_are_not_text_get_a_clear_error() -> None:
    value = os.fsdecode(b"\xff\xfe")
    with pytest.raises(UsageError) as info:
        parse_var_options([f"VERSION={value}"])
    assert "VERSION" in info.value.message and "not UTF-8" in info.value.message
