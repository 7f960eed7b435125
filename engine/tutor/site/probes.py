"""Probes and conditions as the sentences a reader sees.

A probe that does not parse renders as nothing here: the lint reports it (probes/invalid)
and the page keeps the block as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..probes import ProbeSpecError, describe, parse_probe, parse_probe_list
from .markup import code, link, text

if TYPE_CHECKING:
    from ..graph import TutorialGraph
    from ..model import Condition
    from ..probes import Probe


def sentences(verify_text: str) -> list[str] | None:
    """One sentence per probe of a ```verify fence; None when the fence does not parse."""
    try:
        return [_sentence(_describe(probe)) for probe in parse_probe_list(verify_text)]
    except ProbeSpecError:
        return None


def condition_sentence(condition: Condition, graph: TutorialGraph) -> str:
    """A `requires` entry: the probe's sentence, or a capability and the tutorial that provides it."""
    if condition.probe is not None:
        try:
            return _sentence(_describe(parse_probe(condition.probe)))
        except ProbeSpecError:
            return code(str(condition.probe))
    name = condition.name or ""
    provider = graph.provider_of(name)
    if provider is None:
        return code(name)
    return f"{code(name)} (provided by {link(provider.title or provider.slug, provider.slug)})"


def _describe(probe: Probe) -> str:
    return describe(probe, text=text, literal=code)


def _sentence(sentence: str) -> str:
    return sentence if sentence.endswith((".", "?", "!", "&#46;", "&#63;", "&#33;")) else sentence + "."
