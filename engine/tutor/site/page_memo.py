"""Tutorial pages kept across the rebuilds of `mkdocs serve`: a save renders its own page again,
not every page of the set.

A page shows its own tutorial and, of the others, only what `context` holds: which tutorials
exist and in what order, their titles, sections and step numbers (a prerequisite's "Section,
step 2 of 5", the page's own "Step N of M") and the capabilities they provide (a `requires`
entry's provider). A page is reused while its tutorial is the very object it was rendered
from (the model cache hands back the same object for an unchanged file) and the context is
equal; anything else renders it again.
"""

from __future__ import annotations

from collections.abc import Hashable

from ..graph import TutorialGraph
from ..model import Tutorial
from .page import render_tutorial


def context(graph: TutorialGraph) -> Hashable:
    """What a page reads of the tutorials other than its own."""
    return tuple((t.slug, t.title, t.section, t.step_number, t.is_appendix, tuple(c.name for c in t.provides))
                 for t in graph.ordered())


class PageMemo:
    def __init__(self) -> None:
        self._pages: dict[str, tuple[Tutorial, str]] = {}
        self._context: Hashable = None
        self.rendered = 0
        """Pages rendered (not reused) by the last `pages` call."""

    def pages(self, graph: TutorialGraph) -> list[tuple[Tutorial, str]]:
        """(tutorial, its page's Markdown) in reading order."""
        shared = context(graph)
        reusable = shared == self._context  # compared once per build, not once per page
        kept: dict[str, tuple[Tutorial, str]] = {}
        out: list[tuple[Tutorial, str]] = []
        self.rendered = 0
        for tutorial in graph.ordered():
            before = self._pages.get(tutorial.slug) if reusable else None
            if before is not None and before[0] is tutorial:
                page = before[1]
            else:
                page = render_tutorial(tutorial, graph)
                self.rendered += 1
            kept[tutorial.slug] = (tutorial, page)
            out.append((tutorial, page))
        self._pages, self._context = kept, shared  # the pages of removed tutorials go
        return out
