"""Each probe type's sentence: the plain words the site lists and the runner prints.

`show` renders a text field (variables kept as written, or expanded with secrets masked).
"""

from __future__ import annotations

import json
from collections.abc import Callable

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


def _and(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _mode(mode: int) -> str:
    return f"mode {mode:04o}"


def file_sentence(probe: FileProbe, show: Show) -> str:
    path = show(probe.subject)
    if not probe.exists:
        return f"The file {path} does not exist"
    parts = []
    if probe.contains:
        parts.append("contains " + _and([code(show(text)) for text in probe.contains]))
    if probe.matches is not None:
        parts.append(f"has content matching {code(show(probe.matches))}")
    if probe.mode is not None:
        parts.append(f"has {_mode(probe.mode)}")
    if probe.sha256 is not None:
        parts.append(f"has SHA-256 {code(probe.sha256[:16] + '…')}")
    return f"The file {path} " + (_and(parts) if parts else "exists")


def dir_sentence(probe: DirProbe, show: Show) -> str:
    path = show(probe.subject)
    if not probe.exists:
        return f"The directory {path} does not exist"
    if probe.mode is not None:
        return f"The directory {path} exists and has {_mode(probe.mode)}"
    return f"The directory {path} exists"


def command_sentence(probe: CommandProbe, show: Show) -> str:
    where = f", run in {show(probe.cwd)}," if probe.cwd else ""
    parts = [f"exits with {probe.exit}"]
    if probe.stdout is not None:
        parts.append(f"prints something matching {code(show(probe.stdout))}")
    if probe.stderr is not None:
        parts.append(f"prints something matching {code(show(probe.stderr))} on stderr")
    return f"The command {code(show(probe.subject))}{where} " + _and(parts)


def http_sentence(probe: HttpProbe, show: Show) -> str:
    statuses = "status " + " or ".join(str(s) for s in probe.status) if probe.status else "a 2xx or 3xx status"
    method = f" to {probe.method}" if probe.method != "GET" else ""
    parts = [f"answers{method} with {statuses}"]
    if probe.body is not None:
        parts.append(f"its body matches {code(show(probe.body))}")
    for path, expected in probe.json.items():
        parts.append(f"its JSON has {code(path)} {_expected(expected, show)}")
    return f"{show(probe.subject)} " + _and(parts)


def _expected(expected: object, show: Show) -> str:
    if isinstance(expected, str):
        if expected.startswith("~"):
            return f"matching {code(show(expected[1:]))}"
        return f"= {code(json.dumps(show(expected)))}"
    return f"= {code(json.dumps(expected, default=str))}"


def port_sentence(probe: PortProbe, show: Show) -> str:
    host = show(probe.host)
    address = f"[{host}]:{show(probe.subject)}" if ":" in host else f"{host}:{show(probe.subject)}"
    return f"{'Something' if probe.listening else 'Nothing'} is listening on {address}"


def service_sentence(probe: ServiceProbe, show: Show) -> str:
    states = []
    if probe.active is not None:
        states.append("active" if probe.active else "not active")
    if probe.enabled is not None:
        states.append("enabled" if probe.enabled else "not enabled")
    return f"The service {show(probe.subject)} is " + " and ".join(states)


def process_sentence(probe: ProcessProbe, show: Show) -> str:
    start = "A process" if probe.running else "No process"
    return f"{start} matching {code(show(probe.subject))} is running"


def disk_sentence(probe: DiskProbe, show: Show) -> str:
    return f"At least {format_size(probe.free, probe.free_unit)} is free on {show(probe.subject)}"


def env_sentence(probe: EnvProbe, show: Show) -> str:
    # The expected value is never shown: it may well be the secret itself.
    name = f"The environment variable {show(probe.subject)}"
    if not probe.set:
        return f"{name} is not set"
    if probe.value is not None:
        return f"{name} is set to the expected value"
    if probe.matches is not None:
        return f"{name} is set to a value matching {code(show(probe.matches))}"
    return f"{name} is set"


def log_sentence(probe: LogProbe, show: Show) -> str:
    if probe.contains is not None:
        return f"The log {show(probe.subject)} has a line containing {code(show(probe.contains))}"
    return f"The log {show(probe.subject)} has a line matching {code(show(probe.matches or ''))}"
