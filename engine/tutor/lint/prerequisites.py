"""Rule family 2: prerequisites name real tutorials, form no cycle and come first in reading order."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from .context import LintContext
from .registry import rule


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    graph = ctx.graph
    for t in ctx.tutorials:
        seen: set[str] = set()
        for index, slug in enumerate(t.prerequisites):
            line = t.line_of_item("prerequisites", index)
            if slug in seen:
                yield rule("prerequisites/duplicate").at(t.rel_path, line, f"prerequisite `{slug}` is listed twice", "remove the repeated entry")
                continue
            seen.add(slug)
            if slug == t.slug:
                yield rule("prerequisites/self").at(t.rel_path, line, f"`{slug}` lists itself as a prerequisite", "remove it from its own prerequisites")
            elif slug not in ctx.set.tutorials:
                yield rule("prerequisites/unknown").at(
                    t.rel_path, line, f"prerequisite `{slug}` is not a tutorial of this folder{ctx.slug_suggestion(slug)}",
                    "fix the slug (the file name without .md) or remove the entry")
            else:
                other = ctx.set.tutorials[slug]
                if graph.position[slug] > graph.position[t.slug]:
                    yield rule("prerequisites/order").at(
                        t.rel_path, line,
                        f"`{t.slug}` ({t.position_label}) needs `{slug}` ({other.position_label}), "
                        f"which comes later in reading order",
                        f"move `{slug}` earlier (change its section or stepNumber), or move `{t.slug}` later; "
                        "`tutor lint --fix` renumbers steps inside a section")
    yield from _cycles(ctx)
    if graph.is_acyclic:
        yield from _implied(ctx)


def _cycles(ctx: LintContext) -> Iterator[Diagnostic]:
    for cycle in ctx.graph.cycles():
        first = ctx.set.tutorials[cycle[0]]
        path = " → ".join([*cycle, cycle[0]])
        yield rule("prerequisites/cycle").at(
            first.rel_path, first.line_of("prerequisites"), f"prerequisites form a cycle: {path}",
            "remove one of these prerequisites so that the chain has a beginning")


def _implied(ctx: LintContext) -> Iterator[Diagnostic]:
    graph = ctx.graph
    for t in ctx.tutorials:
        direct = [p for p in dict.fromkeys(t.prerequisites) if p in ctx.set.tutorials and p != t.slug]
        if len(direct) < 2:
            continue
        for index, slug in enumerate(t.prerequisites):
            if slug not in direct:
                continue
            via = next((other for other in direct if other != slug and graph.depends_on(other, slug)), None)
            if via:
                yield rule("prerequisites/implied").at(
                    t.rel_path, t.line_of_item("prerequisites", index),
                    f"prerequisite `{slug}` is already implied by `{via}`",
                    f"you may drop `{slug}`; keep it if the page should link it directly")
