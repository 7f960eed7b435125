"""Probes and conditions as the sentences a reader sees.

A probe that does not parse renders as nothing here: the lint reports it (probes/invalid)
and the page keeps the block as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..probes import describe
from .markup import code, link, text

if TYPE_CHECKING:
    from ..graph import TutorialGraph
    from ..model import Block, Condition
    from ..probes import Probe


def sentences(block: Block, values: Mapping[str, str] | None = None) -> list[str] | None:
    """One sentence per probe of a ```verify fence; None when the fence does not parse.

    `values` stand in for variables (the markers of `tutor.site.values`)."""
    if block.probe_problem is not None:
        return None
    return [_sentence(_describe(probe, values)) for probe in block.probes]


def condition_sentence(condition: Condition, graph: TutorialGraph, values: Mapping[str, str] | None = None) -> str:
    """A `requires` entry: the probe's sentence, or a capability and the tutorial that provides it."""
    if condition.parsed is not None:
        return _sentence(_describe(condition.parsed, values))
    if condition.probe is not None:
        return code(str(condition.probe))
    name = condition.name or ""
    provider = graph.provider_of(name)
    if provider is None:
        return code(name)
    return f"{code(name)} (provided by {link(provider.title or provider.slug, provider.slug)})"


def _describe(probe: Probe, values: Mapping[str, str] | None) -> str:
    return describe(probe, values, text=text, literal=code)


def _sentence(sentence: str) -> str:
    return sentence if sentence.endswith((".", "?", "!", "&#33;")) else sentence + "."
