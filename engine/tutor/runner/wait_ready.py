"""Waiting for a background block to be ready (its `ready-*` attributes, see `tutor.readiness`).

The probes are tried in the order written, sharing one deadline: the block's `timeout=`, else
`READY_TIMEOUT`. A background that ends meanwhile will never be ready, so the wait stops at once.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..readiness import READY_TIMEOUT, readiness_probes

if TYPE_CHECKING:
    from ..probes import ProbeResult
    from .background import BackgroundProcess


@dataclass
class Readiness:
    """How the wait ended: every probe passed (`ready`), one failed, or the process ended first."""

    results: list[ProbeResult]
    ended: bool = False
    """The background process ended before it was ready."""
    waited: float = 0.0

    @property
    def ready(self) -> bool:
        return not self.ended and all(r.passed for r in self.results)

    @property
    def failed(self) -> ProbeResult | None:
        return next((r for r in self.results if not r.passed), None)


class _Ended(Exception):
    pass


def wait_until_ready(process: BackgroundProcess, ready: tuple[tuple[str, str], ...], timeout: float | None,
                     values: Mapping[str, str], secrets: Collection[str]) -> Readiness:
    """Try each readiness probe of `ready` until it passes, for `timeout` seconds in all."""
    from ..probes import describe, evaluate

    limit = timeout or READY_TIMEOUT
    start = time.monotonic()

    def sleep(seconds: float) -> None:
        time.sleep(seconds)
        if not process.is_running():
            raise _Ended

    results: list[ProbeResult] = []
    for probe in readiness_probes(ready, log_path=str(process.log_path), within=limit):
        left = max(0.0, limit - (time.monotonic() - start))
        probe = dataclasses.replace(probe, within=left)
        if not process.is_running():
            return Readiness(results, ended=True, waited=time.monotonic() - start)
        try:
            result = evaluate(probe, values, secrets=secrets, sleep=sleep)
        except _Ended:
            return Readiness(results, ended=True, waited=time.monotonic() - start)
        # The sentence without the time left: "Something is listening on 127.0.0.1:9080".
        result.sentence = describe(dataclasses.replace(probe, within=0.0), values, secrets)
        results.append(result)
        if not result.passed:
            break
    return Readiness(results, waited=time.monotonic() - start)
