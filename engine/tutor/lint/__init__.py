"""The lint: every rule family run over one parsed set and its graph.

Each family is a module with a `check(ctx)` generator; rules are listed in `registry`.
The per-file families read nothing but the tutorials of `ctx.tutorials` (and the options in
the cache key), so with a cache their findings are kept with each unchanged file; the set
families read other files, the graph or the sections, and always run over the whole set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity
from ..graph import TutorialGraph
from ..memory import collector_paused
from ..model import Tutorial, TutorialSet
from ..suppress import directives
from . import backgrounds, blocks, body, capabilities, files, frontmatter, headings, links, numbering, prerequisites, probes, runnable, steps
from .context import LintContext
from .registry import RULES, Rule
from .settings import apply_settings

if TYPE_CHECKING:
    from ..cache import ModelCache

__all__ = ["RULES", "LintReport", "Rule", "file_findings", "lint_set"]

Family = Callable[[LintContext], Iterable[Diagnostic]]

SET_FAMILIES: tuple[Family, ...] = (
    files.check,
    numbering.check,
    prerequisites.check,
    capabilities.check,
    backgrounds.check_set,
    links.check,
    body.check,
)
FILE_FAMILIES: tuple[Family, ...] = (
    frontmatter.check,
    blocks.check,
    steps.check,
    headings.check,
    runnable.check,
    backgrounds.check,
    probes.check,
)
FAMILIES = SET_FAMILIES + FILE_FAMILIES
FILE_FACTS: tuple[Callable[[Tutorial], object], ...] = (backgrounds.served, directives)
"""What a tutorial's own blocks and steps tell the rules across files (each kept in `Tutorial.lint_facts`)."""


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


def lint_set(tutorial_set: TutorialSet, graph: TutorialGraph | None = None, cache: ModelCache | None = None) -> LintReport:
    """Every rule over the set; with the `cache` the set was loaded from, unchanged files reuse their per-file findings."""
    graph = graph or TutorialGraph(tutorial_set)
    ctx = LintContext(tutorial_set, graph)
    found: list[Diagnostic] = []
    with collector_paused():
        for family in SET_FAMILIES:
            found.extend(family(ctx))
        for tutorial in ctx.tutorials:
            findings = cache.findings(tutorial) if cache is not None else None
            if findings is None:
                findings = file_findings(tutorial)
                if cache is not None:
                    cache.store_findings(tutorial, findings)
            found.extend(findings)
    unique = apply_settings(tutorial_set, list(dict.fromkeys(found)))
    unique.sort(key=Diagnostic.sort_key)
    return LintReport(tutorial_set, graph, unique)


def file_findings(tutorial: Tutorial) -> list[Diagnostic]:
    """The findings of the per-file families on one tutorial. They read nothing but the
    tutorial (not the set, not the graph), so a parse worker (`workers`) runs them too.

    Also fills the facts of the tutorial that the rules across files read (`FILE_FACTS`), so
    that they are cached with it: on a warm run, no rule reads a block or a step."""
    one = LintContext.of_file(tutorial)
    found = [d for family in FILE_FAMILIES for d in family(one)]
    for remember in FILE_FACTS:
        remember(tutorial)
    return found
