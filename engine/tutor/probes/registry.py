"""The probe types: each one declared once, with its fields, its sentence, its check and an example.

Parsing (`parser`), sentences (`describe`), evaluation (`evaluate`) and the guide's probe
table all read `PROBE_TYPES`; adding a type means adding one entry here (and its dataclass,
sentence and check functions).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from . import checks, sentences
from . import fields as read
from .fields import Reader
from .checks import Outcome
from .spec import (
    CommandProbe, DirProbe, DiskProbe, EnvProbe, FileProbe, HttpProbe, LogProbe, PortProbe, Probe, ProcessProbe,
    ServiceProbe,
)

Check = Callable[[], Outcome]
"""One attempt; called again until the probe passes or its `within` is over."""

COMMON_FIELDS: Mapping[str, Reader] = {
    "id": read.text,
    "within": read.duration,
    "interval": read.positive_duration,
    "hint": read.text,
    "description": read.text,
}
"""Fields every probe takes."""


def _simple(check: Callable[[Any], Outcome]) -> Callable[[Any, Mapping[str, str]], Check]:
    """A check that needs only the probe."""
    return lambda probe, environment: lambda: check(probe)


@dataclass(frozen=True)
class ProbeType:
    """Everything about one probe type."""

    name: str
    """The type key authors write: `file: /etc/hosts`."""
    model: type[Probe]
    subject: Callable[[str, object], str]
    """Reads the value of the type key; raises ValueError(message, hint)."""
    fields: Mapping[str, Reader]
    """The type's own fields and their readers (the common fields come on top)."""
    sentence: Callable[[Any, sentences.Words], str]
    check: Callable[[Any, Mapping[str, str]], Check]
    """Makes the attempt for a probe whose variables are expanded, given the environment commands see."""
    example: Mapping[str, Any]
    """A probe of this type as an author writes it (the guide's table and the hints)."""
    rules: Callable[[dict[str, Any]], None] = read.no_rules
    """Checks across fields (raises ValueError(message, hint)) and fills derived values."""
    timeout: bool = False
    """Whether one attempt can hang, so the probe takes a `timeout`."""
    allowed: tuple[str, ...] = _field(init=False)
    """Every field a probe of this type accepts, besides its type key."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed", (*self.fields, *COMMON_FIELDS, *(("timeout",) if self.timeout else ())))

    def readers(self) -> dict[str, Reader]:
        readers = {**COMMON_FIELDS, **self.fields}
        if self.timeout:
            readers["timeout"] = read.positive_duration
        return readers


PROBE_TYPES: dict[str, ProbeType] = {
    entry.name: entry
    for entry in (
        ProbeType(
            "file", FileProbe, read.path_subject,
            {"exists": read.flag, "contains": read.texts, "matches": read.regex, "sha256": read.sha256,
             "mode": read.mode},
            sentences.file_sentence, _simple(checks.check_file),
            {"file": "/etc/dstack/vmm.toml", "contains": ["[cvm]"]},
            rules=read.file_or_dir_rules("file"),
        ),
        ProbeType(
            "dir", DirProbe, read.path_subject, {"exists": read.flag, "mode": read.mode},
            sentences.dir_sentence, _simple(checks.check_dir),
            {"dir": "/var/lib/dstack/images"},
            rules=read.file_or_dir_rules("dir"),
        ),
        ProbeType(
            "command", CommandProbe, read.command_subject,
            {"exit": read.exit_code, "stdout": read.regex, "stderr": read.regex, "cwd": read.text},
            sentences.command_sentence, lambda probe, environment: lambda: checks.check_command(probe, environment),
            {"command": "cargo --version", "stdout": "^cargo 1\\."},
            timeout=True,
        ),
        ProbeType(
            "http", HttpProbe, read.url_subject,
            {"status": read.statuses, "body": read.regex, "json": read.json_checks, "method": read.method,
             "headers": read.headers, "insecure": read.flag},
            sentences.http_sentence, _simple(checks.check_http),
            {"http": "http://127.0.0.1:9080/", "status": 200},
            timeout=True,
        ),
        ProbeType(
            "port", PortProbe, read.port_subject, {"host": read.text, "listening": read.flag},
            sentences.port_sentence, _simple(checks.check_port),
            {"port": 9080},
            timeout=True,
        ),
        ProbeType(
            "service", ServiceProbe, read.name_subject, {"active": read.flag, "enabled": read.flag},
            sentences.service_sentence, _simple(checks.check_service),
            {"service": "dstack-vmm", "active": True, "enabled": True},
            rules=read.service_rules, timeout=True,
        ),
        ProbeType(
            "process", ProcessProbe, read.pattern_subject, {"running": read.flag},
            sentences.process_sentence, _simple(checks.check_process),
            {"process": "dstack-vmm"},
        ),
        ProbeType(
            "disk", DiskProbe, read.path_subject, {"free": read.size},
            sentences.disk_sentence, _simple(checks.check_disk),
            {"disk": "/var/lib", "free": "10GB"},
            rules=read.disk_rules,
        ),
        ProbeType(
            "env", EnvProbe, read.env_subject, {"set": read.flag, "value": read.text, "matches": read.regex},
            sentences.env_sentence, lambda probe, environment: lambda: checks.check_env(probe, environment),
            {"env": "CF_API_TOKEN"},
            rules=read.env_rules,
        ),
        ProbeType(
            "log", LogProbe, read.path_subject, {"contains": read.text, "matches": read.regex},
            sentences.log_sentence, lambda probe, environment: checks.LogWatch(probe),
            {"log": "/var/log/dstack-vmm.log", "contains": "listening", "within": "30s"},
            rules=read.log_rules,
        ),
    )
}


def allowed_fields(kind: str) -> tuple[str, ...]:
    """Every field a probe of this type accepts, besides its type key."""
    return PROBE_TYPES[kind].allowed


def make_check(probe: Probe, environment: Mapping[str, str]) -> Check:
    """The attempt to repeat for this probe. `environment` is what commands and env probes see."""
    return PROBE_TYPES[probe.kind].check(probe, environment)
