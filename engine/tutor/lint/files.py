"""Rule family 9 and frontmatter YAML: what the parser could not read."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from .context import LintContext


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    yield from ctx.set.problems
    for tutorial in ctx.graph.ordered():
        yield from tutorial.problems
