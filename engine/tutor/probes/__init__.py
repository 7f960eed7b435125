"""Probes: typed, goss-like checks that a tutorial declares and the runner evaluates.

`registry.PROBE_TYPES` declares each probe type once; `parse_probe` validates a mapping from
frontmatter or a ```verify fence (the tutorial parser calls it), `describe` turns a probe
into the sentence the site and the runner show, and `evaluate` checks it on this host.
"""

from __future__ import annotations

from .describe import describe
from .evaluate import ProbeResult, evaluate, variables_used
from .parser import parse_probe, parse_probe_list
from .registry import COMMON_FIELDS, PROBE_TYPES, ProbeType, allowed_fields, make_check
from .spec import (
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
)
from .variables import is_secret_name

__all__ = [
    "COMMON_FIELDS",
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
    "ProbeType",
    "ProcessProbe",
    "ServiceProbe",
    "allowed_fields",
    "describe",
    "evaluate",
    "is_secret_name",
    "make_check",
    "parse_probe",
    "parse_probe_list",
    "variables_used",
]
