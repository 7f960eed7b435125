"""What every rule reads: the parsed set and the graph built from it, built once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..graph import TutorialGraph
from ..model import Tutorial, TutorialSet
from ..suggest import SuggestionIndex, did_you_mean

__all__ = ["LintContext", "did_you_mean"]


@dataclass
class LintContext:
    set: TutorialSet
    graph: TutorialGraph

    @cached_property
    def tutorials(self) -> list[Tutorial]:
        """Readable tutorials in reading order; unreadable files get only their file diagnostics."""
        return [t for t in self.graph.ordered() if t.readable]

    @staticmethod
    def of_file(tutorial: Tutorial) -> LintContext:
        """A context whose `tutorials` is this one tutorial, for the per-file rule families:
        they read no set and no graph (a parse worker has neither), so it holds none."""
        ctx = LintContext(None, None)  # type: ignore[arg-type]
        ctx.__dict__["tutorials"] = [tutorial]  # what the cached property would hold
        return ctx

    @cached_property
    def _slugs(self) -> SuggestionIndex:
        return SuggestionIndex(self.set.tutorials)

    def slug_suggestion(self, unknown: str) -> str:
        return self._slugs.did_you_mean(unknown)
