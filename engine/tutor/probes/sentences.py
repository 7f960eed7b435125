"""Each probe type's sentence: the plain words the site lists and the runner prints.

`show` renders a probe's strings (variables kept as written, or expanded with secrets
masked) as words or as code; the site's `Words` make them text, never Markdown markup.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from .durations import format_size
from .spec import (
    CommandProbe, DirProbe, DiskProbe, EnvProbe, FileProbe, HttpProbe, LogProbe, PortProbe, ProcessProbe,
    ServiceProbe,
)

Show = Callable[[str], str]


def code(text: str) -> str:
    """Inline Markdown code that survives backticks in the text."""
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def same(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Words:
    """How a sentence shows a probe's strings, `${VAR}` expanded: as plain words, and as code."""

    expand: Show = same
    as_text: Show = same
    as_code: Show = code

    def text(self, value: str) -> str:
        return self.as_text(self.expand(value))

    def code(self, value: str) -> str:
        return self.as_code(self.expand(value))


def _and(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _mode(mode: int) -> str:
    return f"mode {mode:04o}"


def file_sentence(probe: FileProbe, show: Words) -> str:
    path = show.text(probe.subject)
    if not probe.exists:
        return f"The file {path} does not exist"
    parts = []
    if probe.contains:
        parts.append("contains " + _and([show.code(text) for text in probe.contains]))
    if probe.matches is not None:
        parts.append(f"has content matching {show.code(probe.matches)}")
    if probe.mode is not None:
        parts.append(f"has {_mode(probe.mode)}")
    if probe.sha256 is not None:
        digest = show.expand(probe.sha256)
        parts.append(f"has SHA-256 {show.as_code(digest[:16] + '…' if len(digest) == 64 else digest)}")
    return f"The file {path} " + (_and(parts) if parts else "exists")


def dir_sentence(probe: DirProbe, show: Words) -> str:
    path = show.text(probe.subject)
    if not probe.exists:
        return f"The directory {path} does not exist"
    if probe.mode is not None:
        return f"The directory {path} exists and has {_mode(probe.mode)}"
    return f"The directory {path} exists"


def command_sentence(probe: CommandProbe, show: Words) -> str:
    where = f", run in {show.text(probe.cwd)}," if probe.cwd else ""
    parts = [f"exits with {probe.exit}"]
    if probe.stdout is not None:
        parts.append(f"prints something matching {show.code(probe.stdout)}")
    if probe.stderr is not None:
        parts.append(f"prints something matching {show.code(probe.stderr)} on stderr")
    return f"The command {show.code(probe.subject)}{where} " + _and(parts)


def http_sentence(probe: HttpProbe, show: Words) -> str:
    statuses = "status " + " or ".join(str(s) for s in probe.status) if probe.status else "a 2xx or 3xx status"
    method = f" to {probe.method}" if probe.method != "GET" else ""
    parts = [f"answers{method} with {statuses}"]
    if probe.body is not None:
        parts.append(f"its body matches {show.code(probe.body)}")
    for path, expected in probe.json.items():
        parts.append(f"its JSON has {show.as_code(path)} {_expected(expected, show)}")
    return f"{show.text(probe.subject)} " + _and(parts)


def _expected(expected: object, show: Words) -> str:
    if isinstance(expected, str):
        if expected.startswith("~"):
            return f"matching {show.code(expected[1:])}"
        return f"= {show.as_code(json.dumps(show.expand(expected)))}"
    return f"= {show.as_code(json.dumps(expected, default=str))}"


def port_sentence(probe: PortProbe, show: Words) -> str:
    host = show.text(probe.host)
    address = f"[{host}]:{show.text(probe.subject)}" if ":" in host else f"{host}:{show.text(probe.subject)}"
    return f"{'Something' if probe.listening else 'Nothing'} is listening on {address}"


def service_sentence(probe: ServiceProbe, show: Words) -> str:
    states = []
    if probe.active is not None:
        states.append("active" if probe.active else "not active")
    if probe.enabled is not None:
        states.append("enabled" if probe.enabled else "not enabled")
    return f"The service {show.text(probe.subject)} is " + " and ".join(states)


def process_sentence(probe: ProcessProbe, show: Words) -> str:
    start = "A process" if probe.running else "No process"
    return f"{start} matching {show.code(probe.subject)} is running"


def disk_sentence(probe: DiskProbe, show: Words) -> str:
    return f"At least {format_size(probe.free, probe.free_unit)} is free on {show.text(probe.subject)}"


def env_sentence(probe: EnvProbe, show: Words) -> str:
    # The expected value is never shown: it may well be the secret itself.
    name = f"The environment variable {show.text(probe.subject)}"
    if not probe.set:
        return f"{name} is not set"
    if probe.value is not None:
        return f"{name} is set to the expected value"
    if probe.matches is not None:
        return f"{name} is set to a value matching {show.code(probe.matches)}"
    return f"{name} is set"


def log_sentence(probe: LogProbe, show: Words) -> str:
    if probe.contains is not None:
        return f"The log {show.text(probe.subject)} has a line containing {show.code(probe.contains)}"
    return f"The log {show.text(probe.subject)} has a line matching {show.code(probe.matches or '')}"
