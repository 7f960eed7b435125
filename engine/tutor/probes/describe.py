"""Each probe as one plain sentence: what the docs site lists and the runner prints.

Without values the sentence keeps `${VAR}` as written (the site has no values); with
values it reads as the operator's host will see it, secrets shown as `***`. The site
passes its own `text` and `code` so that a probe's strings are never Markdown markup.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from .durations import format_duration, format_size
from .spec import (
    CommandProbe, DirProbe, DiskProbe, EnvProbe, FileProbe, HttpProbe, LogProbe, PortProbe, Probe,
    ProcessProbe, ServiceProbe,
)
from .variables import expand, masked_lookup

Show = Callable[[str], str]


def code(text: str) -> str:
    """Inline Markdown code that survives backticks in the text."""
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _same(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class _Words:
    """How a sentence shows a probe's strings, `${VAR}` expanded: as plain words, and as code."""

    expand: Show
    as_text: Show
    as_code: Show

    def text(self, value: str) -> str:
        return self.as_text(self.expand(value))

    def code(self, value: str) -> str:
        return self.as_code(self.expand(value))


def describe(
    probe: Probe, variables: Mapping[str, str] | None = None, secrets: Collection[str] = (),
    *, text: Show = _same, literal: Show = code,
) -> str:
    """The sentence for a probe, with " (within 30 s)" when it waits.

    `text` renders the probe's strings shown as words, `literal` those shown as code.
    """
    lookup = masked_lookup(variables, secrets)

    def expanded(value: str) -> str:
        return expand(value, lookup, lenient=True)

    show = _Words(expand=expanded, as_text=text, as_code=literal)
    if probe.description:
        return show.text(probe.description)
    sentence = _SENTENCES[probe.kind](probe, show)
    if probe.within > 0:
        sentence += f" (within {format_duration(probe.within)})"
    return sentence


def _and(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _mode(mode: int) -> str:
    return f"mode {mode:04o}"


def _file(probe: FileProbe, show: _Words) -> str:
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
        parts.append(f"has SHA-256 {show.as_code(probe.sha256[:16] + '…')}")
    return f"The file {path} " + (_and(parts) if parts else "exists")


def _dir(probe: DirProbe, show: _Words) -> str:
    path = show.text(probe.subject)
    if not probe.exists:
        return f"The directory {path} does not exist"
    if probe.mode is not None:
        return f"The directory {path} exists and has {_mode(probe.mode)}"
    return f"The directory {path} exists"


def _command(probe: CommandProbe, show: _Words) -> str:
    where = f", run in {show.text(probe.cwd)}," if probe.cwd else ""
    parts = [f"exits with {probe.exit}"]
    if probe.stdout is not None:
        parts.append(f"prints something matching {show.code(probe.stdout)}")
    if probe.stderr is not None:
        parts.append(f"prints something matching {show.code(probe.stderr)} on stderr")
    return f"The command {show.code(probe.subject)}{where} " + _and(parts)


def _http(probe: HttpProbe, show: _Words) -> str:
    statuses = "status " + " or ".join(str(s) for s in probe.status) if probe.status else "a 2xx or 3xx status"
    method = f" to {probe.method}" if probe.method != "GET" else ""
    parts = [f"answers{method} with {statuses}"]
    if probe.body is not None:
        parts.append(f"its body matches {show.code(probe.body)}")
    for path, expected in probe.json.items():
        parts.append(f"its JSON has {show.as_code(path)} {_expected(expected, show)}")
    return f"{show.text(probe.subject)} " + _and(parts)


def _expected(expected: object, show: _Words) -> str:
    if isinstance(expected, str):
        if expected.startswith("~"):
            return f"matching {show.code(expected[1:])}"
        return f"= {show.as_code(json.dumps(show.expand(expected)))}"
    return f"= {show.as_code(json.dumps(expected, default=str))}"


def _port(probe: PortProbe, show: _Words) -> str:
    host = show.text(probe.host)
    address = f"[{host}]:{show.text(probe.subject)}" if ":" in host else f"{host}:{show.text(probe.subject)}"
    return f"{'Something' if probe.listening else 'Nothing'} is listening on {address}"


def _service(probe: ServiceProbe, show: _Words) -> str:
    states = []
    if probe.active is not None:
        states.append("active" if probe.active else "not active")
    if probe.enabled is not None:
        states.append("enabled" if probe.enabled else "not enabled")
    return f"The service {show.text(probe.subject)} is " + " and ".join(states)


def _process(probe: ProcessProbe, show: _Words) -> str:
    start = "A process" if probe.running else "No process"
    return f"{start} matching {show.code(probe.subject)} is running"


def _disk(probe: DiskProbe, show: _Words) -> str:
    return f"At least {format_size(probe.free, probe.free_unit)} is free on {show.text(probe.subject)}"


def _env(probe: EnvProbe, show: _Words) -> str:
    # The expected value is never shown: it may well be the secret itself.
    name = f"The environment variable {show.text(probe.subject)}"
    if not probe.set:
        return f"{name} is not set"
    if probe.value is not None:
        return f"{name} is set to the expected value"
    if probe.matches is not None:
        return f"{name} is set to a value matching {show.code(probe.matches)}"
    return f"{name} is set"


def _log(probe: LogProbe, show: _Words) -> str:
    if probe.contains is not None:
        return f"The log {show.text(probe.subject)} has a line containing {show.code(probe.contains)}"
    return f"The log {show.text(probe.subject)} has a line matching {show.code(probe.matches or '')}"


_SENTENCES: dict[str, Callable[..., str]] = {
    "file": _file, "dir": _dir, "command": _command, "http": _http, "port": _port,
    "service": _service, "process": _process, "disk": _disk, "env": _env, "log": _log,
}
