"""Each probe as one plain sentence: what the docs site lists and the runner prints.

Without values the sentence keeps `${VAR}` as written (the site has no values); with
values it reads as the operator's host will see it, secrets shown as `***`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from .durations import format_duration
from .registry import PROBE_TYPES
from .spec import Probe
from .variables import expand, masked_lookup


def describe(probe: Probe, variables: Mapping[str, str] | None = None, secrets: Collection[str] = ()) -> str:
    """The sentence for a probe, with " (within 30 s)" when it waits."""
    lookup = masked_lookup(variables, secrets)

    def show(text: str) -> str:
        return expand(text, lookup, lenient=True)

    if probe.description:
        return show(probe.description)
    sentence = PROBE_TYPES[probe.kind].sentence(probe, show)
    if probe.within > 0:
        sentence += f" (within {format_duration(probe.within)})"
    return sentence
