"""What a run leaves behind in its log folder: a transcript, a terminal recording and an event log.

For a run of `SLUG` started at 2025-01-31 14:05:09 UTC, `RunRecorder` creates
(with `-2`, `-3`, … before the extension should that name be taken):

- `SLUG-20250131T140509Z.log`: the plain transcript, as a reader would have seen the terminal,
  with colours and other escape sequences removed and `\\r` progress redraws collapsed;
- `SLUG-20250131T140509Z.cast`: an asciicast v2 recording (`asciinema play FILE`), the same
  output with its timing;
- `SLUG-20250131T140509Z.events.jsonl`: one JSON object per line,
  `{"time": "2025-01-31T14:05:09.123Z", "kind": "step-start", …}`.

Every text, JSON key and value passes through the redactor before it is written. Command output
is masked when it arrives, then formatted and written by a thread of the recorder's own, while
the runner reads the next piece (the cast's JSON and the two writes cost more per byte than all
the rest of the runner's handling of output); a note, an event and `close` first wait until that
thread has written everything before them, so the files keep the order of the calls and a failed
write is raised by the next call at the latest. Each line is written with a single write(), so a
`kill -9` leaves files whose lines are complete, but for a last one the kill cut in the middle
of its write (it has no newline; the kernel may stop a large write between pages); it loses the
output still queued (at most `QUEUE_LIMIT` characters, written within milliseconds otherwise)
and the transcript's current unfinished line.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import threading
import time
import weakref
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import TutorError
from ..textsafe import storable
from .final_lines import FinalLines
from .osc_filter import OscFilter
from .redact import Redactor

_VERBATIM = frozenset({"status", "slug", "block", "what"})
"""Event fields of the runner's own words (with `time`, `kind` and field names): never masked, so that
a one-letter secret cannot turn "running" into "runn***ng" for a tool that reads the events."""
_FIELD_NAME = re.compile(r"[a-z_]+")
"""A field name as the runner's code writes it (`exit_code`); any other key is masked like a value."""
QUEUE_LIMIT = 4 << 20
"""Characters of output queued for the writing thread at most; `output` then waits for it."""


class LogWriteError(TutorError):
    """The run's log files cannot be created or written (a full disk, a folder that is not writable)."""


_HINT = "free some space there, or pass --log-dir with a folder you can write"


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class RunRecorder:
    def __init__(self, log_dir: Path, slug: str, redactor: Redactor | None = None, width: int = 250,
                 height: int = 50, *, title: str | None = None, limit: int | None = None) -> None:
        """`limit`: bytes of command output kept in the transcript and the cast; past it, one
        truncation mark and nothing more of the output (notes and events are still written)."""
        self.redactor = redactor if redactor is not None else Redactor()
        self.log_dir = Path(log_dir)
        self.failed = False
        """A write failed (`LogWriteError` was raised once); the recorder writes nothing more."""
        self.limit = limit
        self.truncated = False
        self._output_bytes = 0
        self._lock = threading.Lock()
        self._stream = self.redactor.stream()
        self._osc = OscFilter()
        """The cast is played back on a terminal: no clipboard or title sequence in it either."""
        self._lines = FinalLines()
        """The transcript's lines, as a terminal leaves them (no colours, the last `\\r` redraw)."""
        self._at_line_start = True
        self._queued_at_line_start = True
        self._transcript_open = False
        self._closed = False
        self._pending: deque[tuple[float, str]] = deque()
        """Command output for the writing thread: (time it came, text already masked)."""
        self._pending_size = 0
        self._writing = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._failure: LogWriteError | None = None
        self._reported = False
        started = datetime.now(timezone.utc)
        try:
            self.log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._fds, base = _create_files(self.log_dir, f"{slug}-{started.strftime('%Y%m%dT%H%M%SZ')}")
        except OSError as exc:
            raise LogWriteError(f"cannot create the run's logs: {exc.strerror or exc}", _HINT, path=str(self.log_dir)) from None
        self.transcript_path = self.log_dir / f"{base}.log"
        self.cast_path = self.log_dir / f"{base}.cast"
        self.events_path = self.log_dir / f"{base}.events.jsonl"
        self._start = time.monotonic()
        header = {"version": 2, "width": width, "height": height, "timestamp": int(started.timestamp()),
                  "title": self.redactor.redact(title if title is not None else f"tutor run {slug}"),
                  "env": {"SHELL": "/bin/bash", "TERM": "xterm-256color"}}
        self._write(1, json.dumps(header, ensure_ascii=False))

    @property
    def paths(self) -> tuple[Path, Path, Path]:
        return self.transcript_path, self.cast_path, self.events_path

    def output(self, text: str) -> None:
        """Terminal output of a command, as it arrives (LF line ends; `\\r` redraws kept)."""
        with self._lock:
            self._raise_failure()
            if self._closed or self.truncated:
                return
            text = self._stream.feed(self._osc.feed(text))
            self._output_bytes += len(text) if text.isascii() else len(text.encode("utf-8", "surrogateescape"))
            if self.limit is not None and self._output_bytes > self.limit:
                keep = max(0, len(text) - (self._output_bytes - self.limit))
                self._queue(text[:keep])
                self.truncated = True
                self._queue(("" if self._queued_at_line_start else "\n")
                            + f"[… truncated: this run's output reached the log limit of {self.limit} bytes; "
                              f"later output is not recorded (see --log-limit) …]\n")
                return
            self._queue(text)

    def note(self, text: str) -> None:
        """A line of the runner's own (a step header, `$ command`), on a line of its own."""
        with self._lock:
            self._written()
            if self._closed:
                return
            self._record(self._stream.flush())
            if not self._at_line_start:
                self._record("\n")
            text = self.redactor.redact(text)
            self._record(text if text.endswith("\n") else text + "\n")

    def event(self, kind: str, **fields: Any) -> None:
        """Append `{"time": …, "kind": kind, **fields}` to the event log."""
        if "time" in fields:
            raise ValueError("an event's `time` is set by the recorder")
        record: dict[str, Any] = {"time": utc_now(), "kind": kind}
        for key, value in fields.items():
            key = key if _FIELD_NAME.fullmatch(key) else self.redactor.redact(storable(key))
            record[key] = storable(value) if key in _VERBATIM and isinstance(value, str) else _clean(value, self.redactor)
        with self._lock:
            self._written()
            if not self._closed:
                self._record(self._stream.flush())
                self._write(2, json.dumps(record, ensure_ascii=False, separators=(", ", ": ")))

    def close(self) -> None:
        with self._lock:
            self._written()
            if self._closed:
                return
            self._record(self._stream.feed(self._osc.flush()) + self._stream.flush())
            rest = self._lines.flush()
            if rest or self._transcript_open:
                self._write(0, rest, newline=True)
            self._closed = True
            for fd in self._fds:
                os.close(fd)
        with self._changed:
            self._changed.notify_all()  # the writing thread ends

    def __enter__(self) -> RunRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------

    def _queue(self, text: str) -> None:
        """Hand command output to the writing thread, stamped with the time it came."""
        if not text:
            return
        self._queued_at_line_start = text.endswith("\n")
        with self._changed:
            while self._pending_size >= QUEUE_LIMIT and self._failure is None and self._thread_alive():
                self._changed.wait()
            self._pending.append((time.monotonic(), text))
            self._pending_size += len(text)
            if self._thread is None:
                self._thread = threading.Thread(target=self._write_queued, name="tutor-recorder", daemon=True)
                self._thread.start()
                _open.add(self)
            self._changed.notify_all()

    def _write_queued(self) -> None:
        """The writing thread: records what `output` queued, in order, until the recorder closes."""
        while True:
            with self._changed:
                while not self._pending and not self._closed:
                    self._changed.wait()
                if not self._pending:
                    return
                items = list(self._pending)
                self._pending.clear()
                self._writing = True
            try:
                if self._failure is None:
                    for at, text in items:
                        self._record(text, at)
            except LogWriteError as exc:
                self._failure = exc
            except Exception as exc:  # noqa: BLE001 - never a silent stop: the next call says the logs are broken
                self._failure = LogWriteError(f"cannot write the run's log: {exc}", _HINT, path=str(self.log_dir))
                self.failed = True
            with self._changed:
                self._writing = False
                self._pending_size -= sum(len(text) for _, text in items)
                self._changed.notify_all()

    def _thread_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _written(self) -> None:
        """Wait until the writing thread has recorded everything queued; raise what it failed with."""
        with self._changed:
            while (self._pending or self._writing) and self._failure is None and self._thread_alive():
                self._changed.wait()
        self._raise_failure()

    def _raise_failure(self) -> None:
        """The writing thread's failure, raised once (then the recorder writes nothing more)."""
        if self._failure is not None and not self._reported:
            self._reported = True
            self._closed = True
            raise self._failure

    def _record(self, text: str, at: float | None = None) -> None:
        if not text:
            return
        at = time.monotonic() if at is None else at
        # The asciicast event `[time, "o", text]`, byte for byte as json.dumps(…, ensure_ascii=False) writes it.
        self._write_parts(1, (b"[%r, \"o\", \"" % round(at - self._start, 6), cast_text(text), b"\"]\n"))
        self._at_line_start = text.endswith("\n")
        done = self._lines.feed(text)  # a progress bar redrawn for an hour stays one short line
        if done:
            self._write(0, done, newline=False)
            self._transcript_open = not done.endswith("\n")

    def _write(self, index: int, line: str | bytes, newline: bool = True) -> None:
        data = line.encode("utf-8", "surrogateescape") if isinstance(line, str) else line
        self._write_parts(index, (data, b"\n") if newline else (data,))

    def _write_parts(self, index: int, parts: tuple[bytes, ...]) -> None:
        """Append `parts` to file `index` in one system call, not copied together first (a piece of
        output is often a few hundred KB, and each copy of it is a fresh allocation)."""
        if self.failed:
            return
        try:
            written = os.writev(self._fds[index], parts)
            if written < sum(len(part) for part in parts):  # a short write (a disk nearly full): the rest in turn
                view = memoryview(b"".join(parts))[written:]
                while view:
                    view = view[os.write(self._fds[index], view):]
        except OSError as exc:
            self.failed = self._closed = True
            for fd in self._fds:
                os.close(fd)
            raise LogWriteError(f"cannot write the run's log: {exc.strerror or exc}", _HINT,
                                path=str(self.paths[index])) from None


_CONTROL_ESCAPES = tuple((bytes([code]), {8: b"\\b", 9: b"\\t", 12: b"\\f"}.get(code, b"\\u%04x" % code))
                         for code in range(32) if code not in (10, 13))


def cast_text(text: str) -> bytes:
    """`text` with each `\\n` made `\\r\\n`, escaped for a JSON string and encoded as json.dumps(…,
    ensure_ascii=False) and the recorder's UTF-8 files write it. Escaping is replacing the bytes
    present among the 34 that JSON escapes (each test and replace is a search in C), which is four
    to six times faster than the json module's encoder, a loop over characters."""
    data = text.encode("utf-8", "surrogateescape")
    if b"\\" in data:
        data = data.replace(b"\\", b"\\\\")  # first: the escapes below add backslashes of their own
    if b'"' in data:
        data = data.replace(b'"', b'\\"')
    if b"\r" in data:
        data = data.replace(b"\r", b"\\r")
    if b"\n" in data:
        data = data.replace(b"\n", b"\\r\\n")
    for byte, escaped in _CONTROL_ESCAPES:
        if byte in data:
            data = data.replace(byte, escaped)
    return data


_open: weakref.WeakSet[RunRecorder] = weakref.WeakSet()


@atexit.register
def _write_all_queued() -> None:
    """Output queued for a writing thread reaches the files before the process ends (the thread is a daemon)."""
    for recorder in list(_open):
        try:
            with recorder._changed:
                while (recorder._pending or recorder._writing) and recorder._failure is None and recorder._thread_alive():
                    recorder._changed.wait(1.0)
        except Exception:  # noqa: BLE001 - at exit, nothing is left to tell
            pass


def _create_files(folder: Path, stem: str) -> tuple[list[int], str]:
    """Create the three files exclusively, picking the first free `stem`, `stem-2`, …"""
    for attempt in range(1, 1000):
        base = stem if attempt == 1 else f"{stem}-{attempt}"
        fds: list[int] = []
        try:
            for suffix in (".log", ".cast", ".events.jsonl"):
                fds.append(os.open(folder / f"{base}{suffix}", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600))
        except FileExistsError:
            for fd, suffix in zip(fds, (".log", ".cast", ".events.jsonl")):
                os.close(fd)
                (folder / f"{base}{suffix}").unlink(missing_ok=True)
            continue
        return fds, base
    raise FileExistsError(f"no free name for the run's logs in {folder}")


def _clean(value: Any, redactor: Redactor) -> Any:
    """A JSON-ready copy of `value` with every string redacted."""
    if isinstance(value, str):
        return redactor.redact(storable(value))
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Mapping):  # a nested key may be anything a caller passed: masked too
        return {redactor.redact(storable(str(k))): _clean(v, redactor) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_clean(v, redactor) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return _clean(asdict(value), redactor)
    return redactor.redact(str(value))
