"""Rule family 6: the body's Prerequisites section agrees with the frontmatter."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from .context import LintContext
from .registry import rule


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    graph = ctx.graph
    for t in ctx.tutorials:
        mentioned = {link.slug: link for link in t.links if link.in_prerequisites_section and link.slug and link.slug != t.slug}
        declared = [p for p in dict.fromkeys(t.prerequisites) if p in ctx.set.tutorials]
        for slug, link in mentioned.items():
            if slug in ctx.set.tutorials and slug not in declared and not graph.depends_on(t.slug, slug):
                yield rule("body/prerequisite-not-declared").at(
                    t.rel_path, link.line,
                    f"the Prerequisites section links `{slug}`, which is not a frontmatter prerequisite",
                    f"add `{slug}` to `prerequisites:` in the frontmatter, or remove the link")
        for index, slug in enumerate(t.prerequisites):
            if slug in ctx.set.tutorials and slug not in mentioned:
                where = "the body's Prerequisites section" if t.has_prerequisites_section else "the body (it has no Prerequisites section)"
                yield rule("body/prerequisite-not-mentioned").at(
                    t.rel_path, t.line_of_item("prerequisites", index),
                    f"prerequisite `{slug}` is not linked from {where}",
                    f"add `- [{ctx.set.tutorials[slug].title or slug}](/tutorial/{slug})` under a `## Prerequisites` heading")
