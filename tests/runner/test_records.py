"""A run's transcript, asciicast recording and event log: valid files, and no secret in any of them."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.runner.recorder import LogWriteError, RunRecorder, cast_text
from tutor.runner.redact import Redactor

SECRET = "tok-9f8e7d6c5b4a"


def _record(log_dir: Path) -> RunRecorder:
    recorder = RunRecorder(log_dir, "demo", Redactor([SECRET]), width=120, height=40)
    recorder.event("run-start", slug="demo", variables={"API_TOKEN": SECRET, "REGION": "eu"})
    recorder.note("Step 1/2: Log in")
    recorder.note(f"$ login --token {SECRET}")
    half = len(SECRET) // 2
    for chunk in ("logging in as admin\n", f"token {SECRET[:half]}", f"{SECRET[half:]} accepted\n",
                  "\x1b[32mgreen\x1b[0m done\n", "10%\r50%\r100%\n", "no newline at the end"):
        recorder.output(chunk)
    recorder.event("block-end", step=1, exit_code=0, output=f"token {SECRET}", path=Path("/tmp") / SECRET,
                   **{f"key-{SECRET}": [SECRET, 1, None]})
    recorder.note("Step 2/2: Done")
    recorder.event("run-end", exit_code=0)
    recorder.close()
    return recorder


def test_a_run_writes_three_files_named_after_the_slug_and_the_time(tmp_path: Path) -> None:
    recorder = _record(tmp_path / "logs")
    names = sorted(p.name for p in (tmp_path / "logs").iterdir())
    stem = re.escape(recorder.transcript_path.stem)
    assert re.fullmatch(r"demo-\d{8}T\d{6}Z", recorder.transcript_path.stem)
    assert [re.fullmatch(stem + r"\.(log|cast|events\.jsonl)", n) is not None for n in names] == [True] * 3
    assert recorder.paths == (recorder.transcript_path, recorder.cast_path, recorder.events_path)


def test_the_cast_file_is_asciicast_v2(tmp_path: Path) -> None:
    recorder = _record(tmp_path)
    header, *events = [json.loads(line) for line in recorder.cast_path.read_text(encoding="utf-8").splitlines()]
    assert header["version"] == 2 and header["width"] == 120 and header["height"] == 40
    assert isinstance(header["timestamp"], int) and header["title"] == "tutor run demo"
    assert all(len(e) == 3 and isinstance(e[0], float) and e[1] == "o" and isinstance(e[2], str) for e in events)
    times = [e[0] for e in events]
    assert times == sorted(times)
    replay = "".join(e[2] for e in events)
    assert "Step 1/2: Log in\r\n" in replay
    assert "\x1b[32mgreen\x1b[0m done\r\n" in replay  # the recording keeps colours; the transcript does not
    assert "\n" not in replay.replace("\r\n", "")


def test_the_event_log_is_one_json_object_per_line(tmp_path: Path) -> None:
    recorder = _record(tmp_path)
    events = [json.loads(line) for line in recorder.events_path.read_text(encoding="utf-8").splitlines()]
    assert [e["kind"] for e in events] == ["run-start", "block-end", "run-end"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", e["time"]) for e in events)
    assert list(events[0]) == ["time", "kind", "slug", "variables"]
    assert events[1]["exit_code"] == 0 and events[1]["output"] == "token ***"


def test_the_transcript_is_plain_text(tmp_path: Path) -> None:
    recorder = _record(tmp_path)
    assert recorder.transcript_path.read_text(encoding="utf-8") == (
        "Step 1/2: Log in\n"
        "$ login --token ***\n"
        "logging in as admin\n"
        "token *** accepted\n"
        "green done\n"
        "100%\n"
        "no newline at the end\n"
        "Step 2/2: Done\n"
    )


def test_no_secret_reaches_any_file(tmp_path: Path) -> None:
    _record(tmp_path)
    for path in tmp_path.iterdir():
        assert SECRET not in path.read_text(encoding="utf-8"), path.name
        assert SECRET.encode() not in path.read_bytes()


def test_two_runs_in_the_same_second_do_not_overwrite_each_other(tmp_path: Path) -> None:
    first = RunRecorder(tmp_path, "demo", Redactor())
    second = RunRecorder(tmp_path, "demo", Redactor())
    first.close()
    second.close()
    assert len(list(tmp_path.iterdir())) == 6
    assert first.transcript_path != second.transcript_path


def test_a_killed_run_leaves_complete_lines(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from tutor.runner.recorder import RunRecorder\n"
        "from tutor.runner.redact import Redactor\n"
        "r = RunRecorder(Path(sys.argv[1]), 'killed', Redactor())\n"
        "print('ready', flush=True)\n"
        "i = 0\n"
        "while True:\n"
        "    r.event('probe', n=i, text='x' * (i % 5000))\n"
        "    r.output(f'line {i} ' + 'y' * (i % 3000) + '\\n')\n"
        "    i += 1\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline() == b"ready\n"
    time.sleep(0.3)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    events = complete_lines(tmp_path.glob("killed-*.events.jsonl").__next__().read_text())
    cast = complete_lines(tmp_path.glob("killed-*.cast").__next__().read_text())
    assert len(events) > 10 and len(cast) > 10
    for line in events + cast:
        json.loads(line)


def complete_lines(text: str) -> list[str]:
    """The lines that end with a newline: a SIGKILL in the middle of a write can leave the last
    one torn (the kernel stops a large write between pages), never one before it."""
    return text.split("\n")[:-1]


def test_output_and_notes_keep_their_order_however_fast_output_comes(tmp_path: Path) -> None:
    recorder = RunRecorder(tmp_path, "fast", Redactor([SECRET]))
    expected = []
    for n in range(300):
        recorder.output(f"out {n} " + "z" * (n * 97 % 20000) + f" {SECRET}\n")
        expected.append(f"out {n} " + "z" * (n * 97 % 20000) + " ***")
        if n % 7 == 0:
            recorder.note(f"note {n}")
            expected.append(f"note {n}")
    recorder.close()
    assert recorder.transcript_path.read_text(encoding="utf-8").splitlines() == expected
    replay = "".join(json.loads(line)[2] for line in recorder.cast_path.read_text(encoding="utf-8").splitlines()[1:])
    assert replay.replace("\r\n", "\n").splitlines() == expected


def test_output_still_queued_at_exit_reaches_the_files(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tutor.runner.recorder import RunRecorder\n"
        "from tutor.runner.redact import Redactor\n"
        "r = RunRecorder(Path(sys.argv[1]), 'exit', Redactor())\n"
        "for i in range(2000):\n"
        "    r.output(f'line {i} ' + 'y' * 1000 + '\\n')\n"
    )  # no close(): the process ends with output queued for the writing thread
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True)
    cast = next(tmp_path.glob("exit-*.cast")).read_text(encoding="utf-8")
    replay = "".join(json.loads(line)[2] for line in cast.splitlines()[1:])
    assert replay.count("\r\n") == 2000 and replay.endswith("line 1999 " + "y" * 1000 + "\r\n")


def test_a_write_that_fails_behind_the_scenes_is_raised_by_the_next_call(tmp_path: Path) -> None:
    recorder = RunRecorder(tmp_path, "full", Redactor())
    cast_fd = next(int(fd.name) for fd in Path("/proc/self/fd").iterdir()
                   if os.path.realpath(fd) == str(recorder.cast_path.resolve()))
    full = os.open("/dev/full", os.O_WRONLY)
    os.dup2(full, cast_fd)  # the cast's file now answers every write with ENOSPC
    os.close(full)
    recorder.output("first output\n")
    with pytest.raises(LogWriteError, match="No space left") as raised:
        recorder.note("after it")
    assert raised.value.path == str(recorder.cast_path)
    recorder.output("ignored\n")  # raised once; then the recorder writes nothing more
    recorder.close()
    assert recorder.failed


def test_cast_text_escapes_every_character_json_escapes_as_json_dumps_does() -> None:
    text = "".join(chr(code) for code in range(0x80)) + '\\"\\\\n é ─ 😀 \u2028 \udc80\udcff \\u001b\n\r\n'
    want = json.dumps(text.replace("\n", "\r\n"), ensure_ascii=False)[1:-1].encode("utf-8", "surrogateescape")
    assert cast_text(text) == want


def test_a_short_write_is_finished_byte_for_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def short_writev(fd: int, parts: list[bytes]) -> int:  # as a nearly full disk may answer
        return os.write(fd, b"".join(parts)[:7])

    monkeypatch.setattr(os, "writev", short_writev)
    recorder = RunRecorder(tmp_path, "short", Redactor())
    recorder.note("$ make")
    recorder.output("compiling\r100%\nall done\n")
    recorder.event("run-end", exit_code=0)
    recorder.close()
    monkeypatch.undo()
    cast = recorder.cast_path.read_text().splitlines()
    assert json.loads(cast[0])["version"] == 2
    assert "".join(json.loads(line)[2] for line in cast[1:]) == "$ make\r\ncompiling\r100%\r\nall done\r\n"
    assert recorder.transcript_path.read_text() == "$ make\n100%iling\nall done\n"  # as the terminal left it
    assert json.loads(recorder.events_path.read_text())["kind"] == "run-end"
