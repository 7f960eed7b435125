"""Probes: typed, goss-like checks that a tutorial declares and the runner evaluates.

`parse_probe` validates a mapping from frontmatter or a ```verify fence, `describe`
turns a probe into the sentence the site and the runner show, and `evaluate` checks it
on this host.
"""

from __future__ import annotations

from .describe import describe
from .evaluate import ProbeResult, evaluate, variables_used
from .spec import (
    PROBE_TYPES,
    CommandProbe,
    DirProbe,
    DiskProbe,
    EnvProbe,
    FileProbe,
    HttpProbe,
    LogProbe,
    PortProbe,
    Probe,
    ProbeSpecError,
    ProcessProbe,
    ServiceProbe,
    allowed_fields,
    parse_probe,
    parse_probe_list,
)
from .variables import is_secret_name

__all__ = [
    "PROBE_TYPES",
    "CommandProbe",
    "DirProbe",
    "DiskProbe",
    "EnvProbe",
    "FileProbe",
    "HttpProbe",
    "LogProbe",
    "PortProbe",
    "Probe",
    "ProbeResult",
    "ProbeSpecError",
    "ProcessProbe",
    "ServiceProbe",
    "allowed_fields",
    "describe",
    "evaluate",
    "is_secret_name",
    "parse_probe",
    "parse_probe_list",
    "variables_used",
]
