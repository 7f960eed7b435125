"""The probe vocabulary: one dataclass per type, and the validation that builds them from YAML.

A probe is a mapping with exactly one type key (`file: /etc/hosts`) whose value is the
subject, the fields of that type, and the common fields. Everything an author can get
wrong is refused here, with a hint, so that evaluation only meets the host's problems.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

from ..yamlsource import YamlProblem, load_located
from .durations import parse_duration, parse_size
from .variables import placeholder, references

PROBE_TYPES: tuple[str, ...] = ("file", "dir", "command", "http", "port", "service", "process", "disk", "env", "log")

COMMON_FIELDS: tuple[str, ...] = ("id", "within", "interval", "hint", "description")
TIMEOUT_TYPES = frozenset({"command", "http", "port", "service"})
"""Types whose single attempt can hang, and so take a `timeout`."""

_JSON_PATH = re.compile(r"[^.\[\]]+|\[-?\d+\]")
_JSON_PATH_WHOLE = re.compile(r"(?:[^.\[\]]+|\[-?\d+\])(?:\.[^.\[\]]+|\[-?\d+\])*")
_HTTP_METHOD = re.compile(r"[A-Za-z]+")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")


class ProbeSpecError(Exception):
    """A probe mapping that cannot be used as written."""

    def __init__(self, message: str, hint: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.line = line
        """0-based line in the verify text where the bad item starts; 0 when unknown."""

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


@dataclass(kw_only=True)
class Probe:
    """What every probe has. `spec` is the mapping as written, for reports and the linter."""

    kind: str
    subject: str
    """The value of the type key, as written (variables unexpanded)."""
    id: str | None = None
    """Capability name this probe proves (`provides: [{id: guest-images, …}]`)."""
    within: float = 0.0
    """Seconds to keep retrying; 0 means a single attempt."""
    interval: float = 1.0
    timeout: float = 10.0
    hint: str = ""
    description: str = ""
    """A sentence that replaces the generated one, when the author wants their own words."""
    spec: dict[str, Any] = field(default_factory=dict)

    REGEX_FIELDS: ClassVar[frozenset[str]] = frozenset()
    """Fields holding regular expressions: variable values go in as literal text."""
    RAW_FIELDS: ClassVar[frozenset[str]] = frozenset()
    """Fields left as written at evaluation (the shell expands them itself)."""


@dataclass(kw_only=True)
class FileProbe(Probe):
    kind: str = field(default="file", init=False)
    exists: bool = True
    contains: tuple[str, ...] = ()
    matches: str | None = None
    sha256: str | None = None
    """Lower-case hex digest."""
    mode: int | None = None
    """Permission bits, e.g. 0o644."""

    REGEX_FIELDS = frozenset({"matches"})


@dataclass(kw_only=True)
class DirProbe(Probe):
    kind: str = field(default="dir", init=False)
    exists: bool = True
    mode: int | None = None


@dataclass(kw_only=True)
class CommandProbe(Probe):
    kind: str = field(default="command", init=False)
    exit: int = 0
    stdout: str | None = None
    stderr: str | None = None
    cwd: str | None = None

    REGEX_FIELDS = frozenset({"stdout", "stderr"})
    # Variables reach the command as environment variables, never pasted into its text.
    RAW_FIELDS = frozenset({"subject"})


@dataclass(kw_only=True)
class HttpProbe(Probe):
    kind: str = field(default="http", init=False)
    status: tuple[int, ...] = ()
    """Accepted statuses; empty means any 2xx or 3xx."""
    body: str | None = None
    json: dict[str, Any] = field(default_factory=dict)
    """Dotted path → expected value; a string starting with `~` is a regex."""
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    insecure: bool = False

    REGEX_FIELDS = frozenset({"body"})


@dataclass(kw_only=True)
class PortProbe(Probe):
    kind: str = field(default="port", init=False)
    host: str = "127.0.0.1"
    listening: bool = True


@dataclass(kw_only=True)
class ServiceProbe(Probe):
    kind: str = field(default="service", init=False)
    active: bool | None = True
    enabled: bool | None = None
    """None: not checked."""


@dataclass(kw_only=True)
class ProcessProbe(Probe):
    kind: str = field(default="process", init=False)
    running: bool = True

    REGEX_FIELDS = frozenset({"subject"})


@dataclass(kw_only=True)
class DiskProbe(Probe):
    kind: str = field(default="disk", init=False)
    free: int = 0
    """Minimum free bytes."""
    free_unit: str = "B"
    """The unit the author wrote, for sentences."""


@dataclass(kw_only=True)
class EnvProbe(Probe):
    kind: str = field(default="env", init=False)
    set: bool = True
    value: str | None = None
    matches: str | None = None

    REGEX_FIELDS = frozenset({"matches"})


@dataclass(kw_only=True)
class LogProbe(Probe):
    kind: str = field(default="log", init=False)
    contains: str | None = None
    matches: str | None = None

    REGEX_FIELDS = frozenset({"matches"})


# --- field readers: raw YAML value → typed value, or ValueError with what is wrong ---


def _kind_of(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    return {int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {_kind_of(value)}", "put the value in quotes")
    return value


def _texts(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) for item in items):
        raise ValueError(f"must be text or a list of texts, not {_kind_of(value)}", "put each value in quotes")
    return tuple(items)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {_kind_of(value)}", "write true or false, without quotes")
    return value


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number, not {_kind_of(value)}", "write a number without quotes, e.g. 0")
    return value


def _exit_code(value: object) -> int:
    code = _integer(value)
    if not 0 <= code <= 255:
        raise ValueError(f"must be an exit code from 0 to 255, not {code}", "a process exits with 0 to 255")
    return code


def _statuses(value: object) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or any(isinstance(s, bool) or not isinstance(s, int) or not 100 <= s <= 599 for s in items):
        raise ValueError(f"must be an HTTP status (100-599) or a list of them, not {value!r}", "e.g. status: 200")
    return tuple(items)


def _regex(value: object) -> str:
    pattern = _text(value)
    try:
        re.compile(placeholder(pattern))
    except re.error as exc:
        raise ValueError(
            f"is not a valid regular expression: {exc}",
            "escape special characters such as . ( [ with a backslash, or quote the value",
        ) from None
    return pattern


def _duration(value: object) -> float:
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ValueError(str(exc), "e.g. 30s, 5m, 1h, 1m30s, or a number of seconds") from None


def _positive_duration(value: object) -> float:
    seconds = _duration(value)
    if seconds <= 0:
        raise ValueError("must be longer than zero", "e.g. 1s")
    return seconds


def _sha256(value: object) -> str:
    digest = _text(value).strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValueError(
            f"must be 64 hexadecimal characters, got {len(digest)} characters",
            "compute it with: sha256sum FILE",
        )
    return digest


def _mode(value: object) -> int:
    # YAML reads an unquoted `0644` as the octal number 420, so an int is taken as the
    # permission value itself; an unquoted `644` (decimal 644) would set the sticky bit,
    # which is never what an author means, so it is refused rather than misread.
    if isinstance(value, str):
        digits = value.strip().lower().removeprefix("0o")
        if not re.fullmatch(r"[0-7]{1,4}", digits):
            raise ValueError(f"\"{value}\" is not an octal permission mode", "e.g. mode: \"0644\"")
        return int(digits, 8)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be an octal mode in quotes, not {_kind_of(value)}", "e.g. mode: \"0644\"")
    if not 0 <= value <= 0o7777 or (value >= 0o1000 and re.fullmatch(r"[0-7]{3,4}", str(value))):
        raise ValueError(
            f"{value} is ambiguous: YAML reads an unquoted number without a leading zero as decimal",
            f"write the mode in quotes, e.g. mode: \"0{value}\"" if re.fullmatch(r"[0-7]{3}", str(value))
            else "write the mode in quotes, e.g. mode: \"0644\"",
        )
    return value


def _headers(value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value.values()
    ):
        raise ValueError(f"must be a mapping of header names to values, not {_kind_of(value)}", "e.g. headers: {Accept: application/json}")
    return {str(k): str(v) for k, v in value.items()}


def _json_checks(value: object) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise ValueError(
            f"must be a mapping of JSON paths to expected values, not {_kind_of(value)}",
            "e.g. json: {status: ok, items[0].name: web}",
        )
    checks: dict[str, Any] = {}
    for path, expected in value.items():
        path = str(path)
        if not _JSON_PATH_WHOLE.fullmatch(path):
            raise ValueError(f"\"{path}\" is not a JSON path", "write paths like a.b[0].c")
        if isinstance(expected, str) and expected.startswith("~"):
            _regex(expected[1:])
        checks[path] = expected
    return checks


def _method(value: object) -> str:
    method = _text(value)
    if not _HTTP_METHOD.fullmatch(method):
        raise ValueError(f"\"{method}\" is not an HTTP method", "e.g. GET, HEAD, POST")
    return method.upper()


def _size(value: object) -> tuple[int, str]:
    try:
        return parse_size(value)
    except ValueError as exc:
        raise ValueError(str(exc), "e.g. free: 10GB") from None


Reader = Callable[[object], Any]

_COMMON: dict[str, Reader] = {
    "id": _text,
    "within": _duration,
    "interval": _positive_duration,
    "hint": _text,
    "description": _text,
}

_FIELDS: dict[str, dict[str, Reader]] = {
    "file": {"exists": _flag, "contains": _texts, "matches": _regex, "sha256": _sha256, "mode": _mode},
    "dir": {"exists": _flag, "mode": _mode},
    "command": {"exit": _exit_code, "stdout": _regex, "stderr": _regex, "cwd": _text},
    "http": {
        "status": _statuses, "body": _regex, "json": _json_checks, "method": _method,
        "headers": _headers, "insecure": _flag,
    },
    "port": {"host": _text, "listening": _flag},
    "service": {"active": _flag, "enabled": _flag},
    "process": {"running": _flag},
    "disk": {"free": _size},
    "env": {"set": _flag, "value": _text, "matches": _regex},
    "log": {"contains": _text, "matches": _regex},
}

_CLASSES: dict[str, type[Probe]] = {
    "file": FileProbe, "dir": DirProbe, "command": CommandProbe, "http": HttpProbe, "port": PortProbe,
    "service": ServiceProbe, "process": ProcessProbe, "disk": DiskProbe, "env": EnvProbe, "log": LogProbe,
}


def allowed_fields(kind: str) -> tuple[str, ...]:
    """Every field a probe of this type accepts, besides its type key."""
    extra = ("timeout",) if kind in TIMEOUT_TYPES else ()
    return tuple(_FIELDS[kind]) + COMMON_FIELDS + extra


def parse_probe(mapping: dict[str, Any]) -> Probe:
    """Validate one probe mapping and build its typed probe. Raises ProbeSpecError."""
    if not isinstance(mapping, dict):
        raise ProbeSpecError(
            f"a probe must be a mapping, not {_kind_of(mapping)}",
            "write it as `- file: /path/to/file` with one type key: " + ", ".join(PROBE_TYPES),
        )
    kinds = [key for key in mapping if key in PROBE_TYPES]
    if not kinds:
        known = set(COMMON_FIELDS) | {"timeout"} | {name for fields in _FIELDS.values() for name in fields}
        guess = _did_you_mean([str(k) for k in mapping if k not in known], PROBE_TYPES)
        raise ProbeSpecError(
            "the probe has no type: it needs exactly one of " + ", ".join(PROBE_TYPES),
            guess or "e.g. `file: /etc/hosts` or `command: \"cargo --version\"`",
        )
    if len(kinds) > 1:
        raise ProbeSpecError(
            f"the probe has {len(kinds)} type keys ({', '.join(kinds)}); a probe checks one thing",
            "split it into one probe per type",
        )
    kind = kinds[0]
    readers = {**_COMMON, **_FIELDS[kind]}
    if kind in TIMEOUT_TYPES:
        readers["timeout"] = _positive_duration
    allowed = allowed_fields(kind)

    values: dict[str, Any] = {"subject": _subject(kind, mapping[kind])}
    for key, raw in mapping.items():
        if key == kind:
            continue
        name = str(key)
        if name not in readers:
            guess = _did_you_mean([name], allowed)
            raise ProbeSpecError(
                f"a {kind} probe has no field `{name}`",
                (guess + "; " if guess else "") + f"{kind} probes accept: " + ", ".join(allowed),
            )
        try:
            values[name] = readers[name](raw)
        except ValueError as exc:
            message, hint = exc.args if len(exc.args) == 2 else (str(exc), "")
            raise ProbeSpecError(f"{kind} probe `{mapping[kind]}`: `{name}` {message}", hint) from None

    _check_combinations(kind, values)
    if kind == "disk":
        values["free"], values["free_unit"] = values["free"]
    if kind == "service" and "active" not in values and "enabled" in values:
        values["active"] = None
    return _CLASSES[kind](spec=dict(mapping), **values)


def _subject(kind: str, value: object) -> str:
    if kind == "port":
        if isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value <= 65535:
                raise ProbeSpecError(f"port {value} is out of range", "a TCP port is from 1 to 65535")
            return str(value)
        if isinstance(value, str) and (value.strip().isdigit() or references(value)):
            return value.strip()
        raise ProbeSpecError(f"`port` must be a port number, not {_kind_of(value)}", "e.g. port: 9080")
    if not isinstance(value, str) or not value.strip():
        example = {"file": "/etc/hosts", "dir": "/var/lib/app", "command": "\"cargo --version\"",
                   "http": "http://127.0.0.1:8080/", "service": "nginx", "process": "nginx",
                   "disk": "/var/lib", "env": "API_URL", "log": "/var/log/app.log"}[kind]
        hint = f"e.g. {kind}: {example}"
        if isinstance(value, (bool, int, float)):
            hint = f"put it in quotes: {kind}: \"{str(value).lower()}\""
        needs = "a name" if kind in ("service", "env") else "a value"
        raise ProbeSpecError(f"`{kind}` needs {needs} as text, not {_kind_of(value)}", hint)
    if kind == "http" and not references(value) and not re.match(r"https?://", value.strip(), re.IGNORECASE):
        raise ProbeSpecError(f"\"{value}\" is not an http:// or https:// URL", "e.g. http: http://127.0.0.1:8080/health")
    if kind == "env" and not _ENV_NAME.fullmatch(value.strip()):
        raise ProbeSpecError(f"\"{value}\" is not an environment variable name", "e.g. env: CF_API_TOKEN")
    if kind == "process":
        _regex_or_error(kind, value)
    return value if kind == "command" else value.strip()


def _regex_or_error(kind: str, pattern: str) -> None:
    try:
        _regex(pattern)
    except ValueError as exc:
        raise ProbeSpecError(f"{kind} probe: `{pattern}` {exc.args[0]}", exc.args[1]) from None


def _check_combinations(kind: str, values: dict[str, Any]) -> None:
    subject = values["subject"]
    if kind in ("file", "dir") and values.get("exists") is False:
        extra = [k for k in ("contains", "matches", "sha256", "mode") if k in values]
        if extra:
            raise ProbeSpecError(
                f"{kind} probe `{subject}`: `exists: false` cannot be combined with {', '.join(extra)}",
                "drop `exists: false`, or drop the checks on the content",
            )
    if kind == "env":
        if "value" in values and "matches" in values:
            raise ProbeSpecError(
                f"env probe `{subject}`: use `value` or `matches`, not both",
                "keep `value` to compare exactly, or `matches` to compare with a regular expression",
            )
        if values.get("set") is False and ("value" in values or "matches" in values):
            raise ProbeSpecError(
                f"env probe `{subject}`: `set: false` cannot be combined with a value to compare",
                "drop `set: false`, or drop `value`/`matches`",
            )
    if kind == "log" and ("contains" in values) == ("matches" in values):
        raise ProbeSpecError(
            f"log probe `{subject}` needs exactly one of `contains` or `matches`",
            "e.g. contains: \"Started\" or matches: \"listening on .*:8080\"",
        )
    if kind == "disk" and "free" not in values:
        raise ProbeSpecError(f"disk probe `{subject}` needs `free`, the minimum free space", "e.g. free: 10GB")


def _did_you_mean(words: list[str], choices: tuple[str, ...]) -> str:
    for word in words:
        close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
        if close:
            return f"did you mean `{close[0]}` instead of `{word}`?"
    return ""


def parse_probe_list(yaml_text: str) -> list[Probe]:
    """The probes of a ```verify fence. Raises ProbeSpecError with the 0-based line of the bad item."""
    try:
        located = load_located(yaml_text)
    except YamlProblem as exc:
        raise ProbeSpecError(f"the verify block is not valid YAML: {exc.message}",
                             "a verify block holds a YAML list, one `- type: subject` item per probe",
                             exc.line) from None
    items, node = located.value, located.node
    if items is None:
        raise ProbeSpecError("the verify block is empty", "add probes, e.g. `- file: /etc/hosts`, or remove the block")
    if not isinstance(items, list):
        raise ProbeSpecError(
            f"a verify block must be a YAML list of probes, not {_kind_of(items)}",
            "start each probe with `- `, e.g. `- port: 9080`",
            node.start_mark.line if node is not None else 0,
        )
    lines = [item.start_mark.line for item in node.value] if isinstance(node, yaml.SequenceNode) else []
    probes: list[Probe] = []
    for index, item in enumerate(items):
        try:
            probes.append(parse_probe(item))
        except ProbeSpecError as exc:
            exc.line = lines[index] if index < len(lines) else 0
            raise
    return probes
