"""A background block's readiness: `ready-port`, `ready-http` and `ready-log` on its fence.

Each attribute is a probe of the vocabulary (see `probes.registry`), written in one word:

- `ready-port=9080` is `- port: 9080` (something accepts connections on 127.0.0.1:9080);
- `ready-http=http://127.0.0.1:9080/health` is `- http: …` (it answers with a 2xx or 3xx status);
- `ready-log="listening on"` is `- log: <the background's own log>` with `contains: listening on`.

The run waits, before it goes on to the next block, until every one of them passes, for at most
the block's `timeout=` (`READY_TIMEOUT` when it sets none). `attributes` reads the values with
`readiness_probe`, so a bad one is a fence problem the lint reports; the runner builds the same
probes again with the real log path and the time left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .probes import Probe

READY_TIMEOUT = 60.0
"""Seconds a background may take to get ready when its block sets no `timeout=`."""
READY_INTERVAL = 0.2
"""Seconds between two attempts: a service that is up is seen at once."""
READY_ATTEMPT = 2.0
"""Seconds one port or http attempt may take."""
OWN_LOG = "its log"
"""The subject of a `ready-log` probe before the run knows the log's path (plan, site)."""

READY_KINDS: dict[str, str] = {"ready-port": "port", "ready-http": "http", "ready-log": "log"}
"""Fence attribute → the probe type it stands for."""
_EXAMPLES = {"port": "9080", "http": "http://127.0.0.1:9080/health", "log": '"listening on"'}


def readiness_probe(attribute: str, value: str, *, log_path: str = OWN_LOG, within: float = READY_TIMEOUT) -> Probe:
    """The probe a readiness attribute stands for. Raises ProbeSpecError for a value it cannot use."""
    from .probes import ProbeSpecError, parse_probe

    kind = READY_KINDS[attribute]
    if not value.strip():
        raise ProbeSpecError("has no value", f"e.g. {attribute}={_EXAMPLES[kind]}")
    mapping: dict[str, object]
    if kind == "port":
        mapping = {"port": int(value) if value.strip().isdigit() else value, "timeout": READY_ATTEMPT}
    elif kind == "http":
        mapping = {"http": value, "timeout": READY_ATTEMPT}
    else:
        mapping = {"log": log_path, "contains": value}
    mapping.update(within=within, interval=READY_INTERVAL)
    return parse_probe(mapping)


def readiness_probes(ready: tuple[tuple[str, str], ...], *, log_path: str = OWN_LOG,
                     within: float = READY_TIMEOUT) -> list[Probe]:
    """The probes of a block's readiness attributes (`FenceOptions.ready`), in the order written."""
    return [readiness_probe(attribute, value, log_path=log_path, within=within) for attribute, value in ready]
