"""Rule family 4: every required capability is provided once, by a tutorial that comes first."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..suggest import SuggestionIndex
from .context import LintContext
from .registry import rule


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    graph = ctx.graph
    first_provider: dict[str, str] = {}
    for t in ctx.tutorials:
        for condition in t.provides:
            if not condition.name:
                yield rule("capabilities/unnamed").at(
                    t.rel_path, condition.line, "this `provides` entry has no `id`",
                    "add `id: <capability-name>` so that other tutorials can require it")
                continue
            owner = first_provider.setdefault(condition.name, t.slug)
            if owner != t.slug:
                yield rule("capabilities/duplicate").at(
                    t.rel_path, condition.line, f"capability `{condition.name}` is already provided by `{owner}`",
                    "let one tutorial provide it; the others can require it")
    provided = SuggestionIndex(graph.providers)
    for t in ctx.tutorials:
        for condition in t.requires:
            if condition.probe is not None or not condition.name:
                continue  # a probe is checked as it is; only names refer to other tutorials
            name = condition.name
            provider = graph.provider_of(name)
            if provider is None:
                yield rule("capabilities/unprovided").at(
                    t.rel_path, condition.line,
                    f"`{t.slug}` requires `{name}`, which no tutorial provides{provided.did_you_mean(name)}",
                    f"add `provides: [{{id: {name}, …}}]` with a probe to the tutorial that sets it up, or fix the name")
                continue
            if provider.slug == t.slug:
                continue
            if graph.position[provider.slug] > graph.position[t.slug]:
                yield rule("capabilities/provider-later").at(
                    t.rel_path, condition.line,
                    f"`{t.slug}` ({t.position_label}) requires `{name}`, provided by `{provider.slug}` "
                    f"({provider.position_label}), which comes later in reading order",
                    f"move `{provider.slug}` before `{t.slug}`")
            if not graph.depends_on(t.slug, provider.slug):
                yield rule("capabilities/provider-not-prerequisite").at(
                    t.rel_path, condition.line,
                    f"`{t.slug}` requires `{name}`, provided by `{provider.slug}`, which is not among its prerequisites",
                    f"add `{provider.slug}` to the prerequisites of `{t.slug}` (or of one of its prerequisites)")
