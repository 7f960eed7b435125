"""The lint: every rule family run over one parsed set and its graph.

Each family is a module with a `check(ctx)` generator; rules are listed in `registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Severity
from ..graph import TutorialGraph
from ..memory import collector_paused
from ..model import TutorialSet
from . import blocks, body, capabilities, files, frontmatter, links, numbering, prerequisites, probes, steps
from .context import LintContext
from .registry import RULES, Rule

__all__ = ["RULES", "LintReport", "Rule", "lint_set"]

FAMILIES: tuple[Callable[[LintContext], Iterable[Diagnostic]], ...] = (
    files.check,
    frontmatter.check,
    numbering.check,
    prerequisites.check,
    capabilities.check,
    links.check,
    body.check,
    blocks.check,
    steps.check,
    probes.check,
)


@dataclass
class LintReport:
    set: TutorialSet
    graph: TutorialGraph
    diagnostics: list[Diagnostic]

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


def lint_set(tutorial_set: TutorialSet, graph: TutorialGraph | None = None) -> LintReport:
    graph = graph or TutorialGraph(tutorial_set)
    ctx = LintContext(tutorial_set, graph)
    found: list[Diagnostic] = []
    with collector_paused():
        for family in FAMILIES:
            found.extend(family(ctx))
    unique = list(dict.fromkeys(found))
    unique.sort(key=Diagnostic.sort_key)
    return LintReport(tutorial_set, graph, unique)
