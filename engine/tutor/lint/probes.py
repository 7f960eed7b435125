"""Probes in `requires`, `provides` and ```verify fences are well-formed and use declared variables."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Tutorial
from ..probes import Probe, ProbeSpecError, parse_probe, parse_probe_list, variables_used
from .context import LintContext
from .registry import rule


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    for t in ctx.tutorials:
        for condition in (*t.requires, *t.provides):
            if condition.probe is None:
                continue
            try:
                probe = parse_probe(condition.probe)
            except ProbeSpecError as exc:
                yield rule("probes/invalid").at(t.rel_path, condition.line, exc.message, exc.hint)
                continue
            yield from _undeclared(t, probe, condition.line)
        for block in t.blocks:
            if not block.is_verify:
                continue
            try:
                probes = parse_probe_list(block.code)
            except ProbeSpecError as exc:
                yield rule("probes/invalid").at(t.rel_path, block.code_line + exc.line, exc.message, exc.hint)
                continue
            for probe in probes:
                yield from _undeclared(t, probe, block.line)


def _undeclared(t: Tutorial, probe: Probe, line: int) -> Iterator[Diagnostic]:
    if probe.kind == "command":
        return  # a shell command may read any variable of the host's environment
    for name in sorted(variables_used(probe) - set(t.variables)):
        yield rule("probes/undeclared-variable").at(
            t.rel_path, line, f"the probe uses ${{{name}}}, which this tutorial does not declare",
            f"add `{name}` under `variables:` in the frontmatter (with a default or `required: true`)")
