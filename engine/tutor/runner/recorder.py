"""What a run leaves behind in its log folder: a transcript, a terminal recording and an event log.

For a run of `SLUG` started at 2025-01-31 14:05:09 UTC, `RunRecorder` creates
(with `-2`, `-3`, … before the extension should that name be taken):

- `SLUG-20250131T140509Z.log`: the plain transcript, as a reader would have seen the terminal,
  with colours and other escape sequences removed and `\\r` progress redraws collapsed;
- `SLUG-20250131T140509Z.cast`: an asciicast v2 recording (`asciinema play FILE`), the same
  output with its timing;
- `SLUG-20250131T140509Z.events.jsonl`: one JSON object per line,
  `{"time": "2025-01-31T14:05:09.123Z", "kind": "step-start", …}`.

Every text, JSON key and value passes through the redactor before it is written. Each line is
written with a single write() and nothing is buffered across calls, so a `kill -9` leaves files
whose lines are complete, but for a last one the kill cut in the middle of its write (it has
no newline; the kernel may stop a large write between pages), and the transcript's current
unfinished line.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
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
        self._transcript_open = False
        self._closed = False
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
            if self._closed or self.truncated:
                return
            text = self._stream.feed(self._osc.feed(text))
            self._output_bytes += len(text) if text.isascii() else len(text.encode("utf-8", "surrogateescape"))
            if self.limit is not None and self._output_bytes > self.limit:
                keep = max(0, len(text) - (self._output_bytes - self.limit))
                self._record(text[:keep])
                self.truncated = True
                self._record(("" if self._at_line_start else "\n")
                             + f"[… truncated: this run's output reached the log limit of {self.limit} bytes; "
                               f"later output is not recorded (see --log-limit) …]\n")
                return
            self._record(text)

    def note(self, text: str) -> None:
        """A line of the runner's own (a step header, `$ command`), on a line of its own."""
        with self._lock:
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
            if not self._closed:
                self._record(self._stream.flush())
                self._write(2, json.dumps(record, ensure_ascii=False, separators=(", ", ": ")))

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._record(self._stream.feed(self._osc.flush()) + self._stream.flush())
            rest = self._lines.flush()
            if rest or self._transcript_open:
                self._write(0, rest, newline=True)
            self._closed = True
            for fd in self._fds:
                os.close(fd)

    def __enter__(self) -> RunRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------

    def _record(self, text: str) -> None:
        if not text:
            return
        event = [round(time.monotonic() - self._start, 6), "o", text.replace("\n", "\r\n")]
        self._write(1, json.dumps(event, ensure_ascii=False))
        self._at_line_start = text.endswith("\n")
        done = self._lines.feed(text)  # a progress bar redrawn for an hour stays one short line
        if done:
            self._write(0, done, newline=False)
            self._transcript_open = not done.endswith("\n")

    def _write(self, index: int, line: str, newline: bool = True) -> None:
        if self.failed:
            return
        data = (line + ("\n" if newline else "")).encode("utf-8", "surrogateescape")
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._fds[index], view):]
        except OSError as exc:
            self.failed = self._closed = True
            for fd in self._fds:
                os.close(fd)
            raise LogWriteError(f"cannot write the run's log: {exc.strerror or exc}", _HINT,
                                path=str(self.paths[index])) from None


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
