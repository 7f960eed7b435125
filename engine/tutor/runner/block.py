"""One block while it runs in the shell: its output (markers taken out, secrets masked, the
end kept), the prompts it answers, and what came of it (`BlockOutcome`)."""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from . import processes
from .redact import Redactor, StreamRedactor

MAX_OUTPUT = 4 * 1024 * 1024
"""Characters of output kept in `BlockOutcome.output` (the end of it); `on_output` sees everything."""

_OMITTED = "[… earlier output omitted …]\n"
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_SCREEN_KEPT = 65536
"""Characters of the latest output kept for prompt matching and the last line."""
_SECRET_MARKER = re.compile(r"S:([0-9a-f]*)__")
"""After the marker head: the value of a secret the block exported, in hex (see rc.bash)."""
_SECRET_PROMPT = re.compile(r"pass(?:word|phrase)|secret|token|\bpin\b", re.IGNORECASE)


class BlockHost(Protocol):
    """What a block needs from the shell session it runs in."""

    marker: re.Pattern[str]
    """Matches the completion marker: group 1 the block's sequence number, 2 its status, 3 the failed line."""
    marker_head: str
    carry: str
    """Output read after a block's marker, which belongs to the next block."""
    redactor: Redactor
    on_output: Callable[[str], None] | None

    def type_keys(self, data: str) -> None: ...


@dataclass
class BlockOutcome:
    exit_code: int | None
    """The block's status; None when it did not finish by itself (timeout, interrupt, unexpected prompt)."""
    output: str
    """What the terminal showed (stdout and stderr together), redacted, CRLF → LF, markers removed."""
    timed_out: bool = False
    interrupted: bool = False
    unexpected_prompt: str | None = None
    """The last line the block printed before it waited for input nobody gave."""
    duration: float = 0.0
    failed_line: int | None = None
    """1-based line of the block whose command failed, when bash could tell."""
    shell_restarted: bool = False
    """The shell was lost during this block; the next block runs in a new one (see the module doc)."""
    unused_prompts: tuple[str, ...] = ()
    """`expect` texts that never appeared."""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not (self.timed_out or self.interrupted or self.unexpected_prompt is not None)



class Block:
    """The state of one block while it runs: output assembly, markers, prompts."""

    def __init__(self, session: BlockHost, seq: int, prompts: Sequence[tuple[str, str]], visible: bool) -> None:
        self.session = session
        self.seq = seq
        self.visible = visible
        self.unused = [(expect, send) for expect, send in prompts if expect]
        self.answer: tuple[str, str] | None = None
        self.started = time.monotonic()
        self.started_tick = processes.boot_ticks()
        self.ended: float | None = None
        self.done = False
        self.status: int | None = None
        self.line: int | None = None
        self.stopped = False
        self.timed_out = False
        self.interrupted = False
        self.restarted = False
        self.shell_status: int | None = None
        self.unexpected_prompt: str | None = None
        self._raw = ""
        self._cr = ""
        self._screen = ""
        self._searched = 0
        self._stream: StreamRedactor = session.redactor.stream()
        self._parts: deque[str] = deque()
        self._size = 0
        self._omitted = False
        self.echoes = False
        """The block's terminal echoes what is typed into it (an operator types into the block)."""
        self.newlines = 0
        """Grows by one with each piece of output that holds a newline: it changes when the block
        starts a new line (a new prompt is on a new line). Not a count of lines: counting them
        cost more than the rest of a piece's handling."""
        self.announced_at = -1
        """`newlines` when the runner last said the block waits for input."""
        self.typed_at = -1
        """`newlines` when the operator last typed (-1: not yet)."""

    # output ------------------------------------------------------------------------------------

    def feed(self, text: str) -> None:
        raw = self._raw + text if self._raw else text
        marker = self.session.marker
        head = self.session.marker_head
        while True:
            # The head starts with "_": output without one (one C scan) holds no marker. Searching for
            # the whole head, a scan of its own, is far faster than the regex over a big piece.
            found = raw.find(head) if "_" in raw else -1
            if found < 0:
                break
            secret = _SECRET_MARKER.match(raw, found + len(head))
            if secret is not None:
                self._emit(raw[:found])
                self._learn_secret(secret.group(1))
                raw = raw[secret.end():]
                continue
            match = marker.match(raw, found)
            if match is None:
                break  # not complete yet: held below
            self._emit(raw[:match.start()])
            raw = raw[match.end():]
            if int(match.group(1)) == self.seq:
                self.session.carry = raw
                self._raw = ""
                self.done = True
                self.ended = time.monotonic()
                self.status = int(match.group(2))
                self.line = int(match.group(3)) if match.group(3) else None
                return
        held = len(raw) - found if found >= 0 else _held_head(raw, head)
        self._emit(raw[:len(raw) - held])
        self._raw = raw[len(raw) - held:]

    def _learn_secret(self, hex_value: str) -> None:
        """The value of a secret the block just exported (rc.bash's `export`): masked in what comes next."""
        try:
            value = bytes.fromhex(hex_value).decode("utf-8", "surrogateescape")
        except ValueError:
            return
        self.session.redactor.add(value)

    def _emit(self, text: str, screen: bool = True) -> None:
        if not text:
            return
        text = self._cr + text
        self._cr = "\r" if text.endswith("\r") else ""
        if self._cr:
            text = text[:-1]
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        if screen:
            if "\n" in text:
                self.newlines += 1
            if len(text) >= 2 * _SCREEN_KEPT:  # the end of this piece is all the screen would keep: no copy of the rest
                self._searched = max(0, self._searched - len(self._screen) - len(text) + _SCREEN_KEPT)
                self._screen = text[-_SCREEN_KEPT:]
            else:
                self._screen += text
            if len(self._screen) > 2 * _SCREEN_KEPT:
                cut = len(self._screen) - _SCREEN_KEPT
                self._screen = self._screen[cut:]
                self._searched = max(0, self._searched - cut)
        self._show(self._stream.feed(text))

    def _show(self, text: str) -> None:
        if not text:
            return
        self._parts.append(text)
        self._size += len(text)
        while self._size > MAX_OUTPUT and len(self._parts) > 1:
            self._size -= len(self._parts.popleft())
            self._omitted = True
        if self.visible and self.session.on_output is not None:
            self.session.on_output(text)

    def _finish_output(self) -> None:
        rest = self._raw + self._cr
        self._raw = self._cr = ""
        if rest:
            self._show(self._stream.feed(rest.replace("\r\n", "\n")))
        self._show(self._stream.flush())

    def last_line(self) -> str:
        """The unredacted text after the last newline (what a prompt would look like)."""
        return self._screen[self._screen.rfind("\n") + 1:] + self._raw

    def last_visible_line(self) -> str:
        for line in reversed(self._screen.split("\n")[-50:]):
            line = _ESCAPES.sub("", line.rsplit("\r", 1)[-1]).strip()
            if line:
                return self.session.redactor.redact(line[-200:])
        return ""

    # prompts -----------------------------------------------------------------------------------

    def match_prompts(self) -> None:
        if self.answer is not None or not self.unused:
            return
        window = self._screen[self._searched:]
        best: tuple[int, int] | None = None
        for index, (expect, _) in enumerate(self.unused):
            position = window.find(expect)
            if position >= 0 and (best is None or position < best[0]):
                best = (position, index)
        if best is not None:
            position, index = best
            self.answer = self.unused.pop(index)
            self._searched += position + len(self.answer[0])

    def send_answer(self) -> None:
        assert self.answer is not None
        expect, send = self.answer
        self.answer = None
        self.session.type_keys(send + "\r")
        if not self.echoes and not _SECRET_PROMPT.search(expect):  # a password prompt turns echo off: not even Enter shows
            self._emit(send + "\n", screen=False)

    # result ------------------------------------------------------------------------------------

    def outcome(self) -> BlockOutcome:
        self._finish_output()
        output = "".join(self._parts)
        if self._omitted:
            output = _OMITTED + output
        if self.stopped:
            exit_code: int | None = None
        elif self.restarted:
            exit_code = self.shell_status
        else:
            exit_code = self.status
        return BlockOutcome(
            exit_code=exit_code,
            output=output,
            timed_out=self.timed_out,
            interrupted=self.interrupted,
            unexpected_prompt=self.unexpected_prompt,
            duration=(self.ended or time.monotonic()) - self.started,
            failed_line=self.line if exit_code else None,
            shell_restarted=self.restarted,
            unused_prompts=tuple(expect for expect, _ in self.unused),
        )



def _held_head(raw: str, head: str) -> int:
    """Length of the tail of `raw` (which holds no whole `head`) that may be the beginning of one."""
    window = len(head) - 1
    if raw.rfind("_", len(raw) - window) < 0:
        return 0
    for size in range(min(window, len(raw)), 0, -1):
        if head.startswith(raw[-size:]):
            return size
    return 0
