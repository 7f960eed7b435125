"""The tutorial graph: built once from a `TutorialSet`, read by lint, order, graph, site and runner.

Edges point from a prerequisite to the tutorial that needs it. Reading order:
sections in the order of the sections file; inside a section the numbered steps
ascending (equal numbers, parallel tracks, by title), then the appendices by title.
Tutorials of a section the sections file does not name come last, by section name.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .model import Tutorial, TutorialSet

if TYPE_CHECKING:
    import networkx as nx


def _reachable(adjacency: dict[str, list[str]], start: str) -> set[str]:
    found: set[str] = set()
    stack = [start]
    while stack:
        for other in adjacency[stack.pop()]:
            if other not in found:
                found.add(other)
                stack.append(other)
    found.discard(start)
    return found


def reading_key(tutorial: Tutorial, section_index: dict[str, int]) -> tuple[int, str, int, float, str, str]:
    known = tutorial.section in section_index
    appendix = tutorial.is_appendix or tutorial.step_number is None
    return (
        section_index.get(tutorial.section, len(section_index)),
        "" if known else tutorial.section,
        1 if appendix else 0,
        float(tutorial.step_number) if tutorial.step_number is not None and not tutorial.is_appendix else float("inf"),
        tutorial.title.lower(),
        tutorial.slug,
    )


class TutorialGraph:
    """The one graph of a set. Everyday questions (prerequisites, dependents, cycles or not)
    are answered from plain adjacency maps; `dag`, the networkx view, is built on first use
    by the code that needs its algorithms (cycle listing, --fix, exports), so `tutor run`
    and a clean `tutor lint` do not pay networkx's import time."""

    def __init__(self, tutorial_set: TutorialSet) -> None:
        self.set = tutorial_set
        self.tutorials = tutorial_set.tutorials
        self.section_index = {name: i for i, name in enumerate(tutorial_set.section_names())}
        self.order: list[str] = sorted(self.tutorials, key=lambda s: reading_key(self.tutorials[s], self.section_index))
        self.position: dict[str, int] = {slug: i for i, slug in enumerate(self.order)}
        self.parents: dict[str, list[str]] = {slug: [] for slug in self.order}
        self.children: dict[str, list[str]] = {slug: [] for slug in self.order}
        for slug in self.order:
            for prerequisite in dict.fromkeys(self.tutorials[slug].prerequisites):
                if prerequisite in self.tutorials and prerequisite != slug:
                    self.parents[slug].append(prerequisite)
                    self.children[prerequisite].append(slug)

    @cached_property
    def edges(self) -> list[tuple[str, str]]:
        """(prerequisite, tutorial) pairs, ordered by the tutorial's then the prerequisite's reading position."""
        pairs = [(parent, slug) for slug in self.order for parent in self.parents[slug]]
        return sorted(pairs, key=lambda e: (self.position[e[1]], self.position[e[0]]))

    @cached_property
    def dag(self) -> nx.DiGraph:
        import networkx as nx

        dag = nx.DiGraph()
        dag.add_nodes_from(self.order)
        dag.add_edges_from(self.edges)
        return dag

    # --- reading order ----------------------------------------------------------------------

    def ordered(self) -> list[Tutorial]:
        return [self.tutorials[s] for s in self.order]

    def in_section(self, section: str) -> list[Tutorial]:
        return list(self._by_section.get(section, ()))

    @cached_property
    def _by_section(self) -> dict[str, list[Tutorial]]:
        """Each section's tutorials in reading order, sorted out once: pages, the map and the nav
        ask for every section, and a scan of the whole set each time made a site quadratic."""
        members: dict[str, list[Tutorial]] = {}
        for tutorial in self.ordered():
            members.setdefault(tutorial.section, []).append(tutorial)
        return members

    def sections_in_order(self) -> list[str]:
        """Section names as the reading order meets them (sections file first, then unknown ones)."""
        seen: dict[str, None] = {name: None for name in self.set.section_names()}
        for tutorial in self.ordered():
            if tutorial.section:
                seen.setdefault(tutorial.section, None)
        return list(seen)

    def step_count(self, section: str) -> int:
        """Distinct step numbers among the numbered tutorials of a section (parallel tracks count once)."""
        return len(self._step_numbers.get(section, ()))

    @cached_property
    def _step_numbers(self) -> dict[str, set[int]]:
        # Every page of the site asks; counting once keeps a large set linear.
        numbers: dict[str, set[int]] = {}
        for t in self.tutorials.values():
            if not t.is_appendix and t.step_number is not None:
                numbers.setdefault(t.section, set()).add(t.step_number)
        return numbers

    # --- prerequisites ---------------------------------------------------------------------

    @cached_property
    def is_acyclic(self) -> bool:
        """Kahn's algorithm: every tutorial can be taken once all its prerequisites are."""
        waiting = {slug: len(parents) for slug, parents in self.parents.items()}
        ready = [slug for slug, count in waiting.items() if count == 0]
        taken = 0
        while ready:
            slug = ready.pop()
            taken += 1
            for child in self.children[slug]:
                waiting[child] -= 1
                if waiting[child] == 0:
                    ready.append(child)
        return taken == len(self.order)

    def cycles(self) -> list[list[str]]:
        """One cycle per strongly connected component that has one, each as a list of slugs."""
        if self.is_acyclic:
            return []
        import networkx as nx

        found: list[list[str]] = []
        for component in nx.strongly_connected_components(self.dag):
            if len(component) < 2:
                continue
            sub = self.dag.subgraph(component)
            cycle = nx.find_cycle(sub)
            found.append([edge[0] for edge in cycle])
        return sorted(found, key=lambda c: min(self.position[s] for s in c))

    def direct_prerequisites(self, slug: str) -> list[str]:
        return sorted(self.parents[slug], key=self.position.__getitem__)

    def all_prerequisites(self, slug: str) -> list[str]:
        """Every tutorial `slug` depends on, directly or not, in reading order."""
        return sorted(_reachable(self.parents, slug), key=self.position.__getitem__)

    @cached_property
    def edges_point_forward(self) -> bool:
        """True when every prerequisite comes before what needs it (the lint's order rule holds)."""
        return all(self.position[u] < self.position[v] for u, v in self.edges)

    def depends_on(self, slug: str, other: str) -> bool:
        """Whether `slug` needs `other`, directly or not.

        Searches backwards from `slug`. When every edge points forward in reading order,
        no ancestor of a tutorial placed before `other` can be `other`, so the search
        stays within the span between the two: the cost does not grow with the set.
        """
        if slug == other:
            return False
        floor = self.position[other] if self.edges_point_forward else -1
        if floor > self.position[slug]:
            return False
        seen = {slug}
        stack = [slug]
        while stack:
            for parent in self.parents[stack.pop()]:
                if parent == other:
                    return True
                if parent not in seen and self.position[parent] >= floor:
                    seen.add(parent)
                    stack.append(parent)
        return False

    # --- capabilities ----------------------------------------------------------------------

    @cached_property
    def providers(self) -> dict[str, list[str]]:
        """Capability name → slugs that provide it, in reading order."""
        result: dict[str, list[str]] = {}
        for tutorial in self.ordered():
            for condition in tutorial.provides:
                if condition.name:
                    result.setdefault(condition.name, []).append(tutorial.slug)
        return result

    def provider_of(self, capability: str) -> Tutorial | None:
        slugs = self.providers.get(capability)
        return self.tutorials[slugs[0]] if slugs else None
