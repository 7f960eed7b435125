"""Probes in `requires`, `provides` and ```verify fences are well-formed and use declared variables."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Tutorial
from ..probes import Probe, variables_used
from .context import LintContext
from .registry import rule


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    for t in ctx.tutorials:
        for condition in (*t.requires, *t.provides):
            if condition.problem is not None:
                yield rule("probes/invalid").at(t.rel_path, condition.line, condition.problem.message, condition.problem.hint)
            elif condition.parsed is not None:
                yield from _undeclared(t, condition.parsed, condition.line)
        for block in t.blocks:
            if block.probe_problem is not None:
                problem = block.probe_problem
                yield rule("probes/invalid").at(t.rel_path, block.code_line + problem.line, problem.message, problem.hint)
            for probe in block.probes:
                yield from _undeclared(t, probe, block.line)


def _undeclared(t: Tutorial, probe: Probe, line: int) -> Iterator[Diagnostic]:
    if probe.kind == "command":
        return  # a shell command may read any variable of the host's environment
    for name in sorted(variables_used(probe) - set(t.variables)):
        yield rule("probes/undeclared-variable").at(
            t.rel_path, line, f"the probe uses ${{{name}}}, which this tutorial does not declare",
            f"add `{name}` under `variables:` in the frontmatter (with a default or `required: true`)")
