"""Each probe as one plain sentence: what the docs site lists and the runner prints.

Without values the sentence keeps `${VAR}` as written (the site has no values); with
values it reads as the operator's host will see it, secrets shown as `***`. The site
passes its own `text` and `code` so that a probe's strings are never Markdown markup.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from .durations import format_duration
from .registry import PROBE_TYPES
from .sentences import Show, Words, code, same
from .spec import Probe
from .deferred import DeferredFieldError, resolve
from .variables import MissingVariable, expand, masked_lookup


def describe(
    probe: Probe, variables: Mapping[str, str] | None = None, secrets: Collection[str] = (),
    *, text: Show = same, literal: Show = code,
) -> str:
    """The sentence for a probe, with " (within 30 s)" when it waits.

    `text` renders the probe's strings shown as words, `literal` those shown as code.
    """
    lookup = masked_lookup(variables, secrets)

    def expanded(value: str) -> str:
        return expand(value, lookup, lenient=True)

    show = Words(expand=expanded, as_text=text, as_code=literal)
    if probe.description:
        return show.text(probe.description)
    unread: dict[str, str] = {}
    if probe.deferred:
        try:
            probe = resolve(probe, lookup)
        except (MissingVariable, DeferredFieldError):  # no values yet (the site), or a secret, or a wrong one
            unread = probe.deferred
    sentence = PROBE_TYPES[probe.kind].sentence(probe, show)
    if probe.within > 0:
        sentence += f" (within {format_duration(probe.within)})"
    if unread:
        sentence += " (" + ", ".join(f"{name}: {show.code(written)}" for name, written in unread.items()) + ")"
    return sentence
