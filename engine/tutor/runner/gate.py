"""What may stop `tutor run`/`tutor plan` before anything runs, from the tutorials themselves.

- **The lint gate**: errors in the tutorials the run would touch (the tutorial and its
  prerequisite chain) and set-level errors (the sections file). An error in an unrelated
  tutorial never blocks. `--ignore-lint` goes ahead with a loud warning.
- **Runner findings**: what `tutor lint` reports as info because only the runner cares —
  placeholders, blocks meant for elsewhere, editors and pagers without a terminal — are
  errors for the steps about to run. Followers are not refused: they get a default timeout.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from ..diagnostics import Diagnostic, Severity
from ..graph import TutorialGraph
from ..lint.runnable import placeholder_diagnostic, unattended_diagnostic
from ..placeholders import find_placeholders
from ..unattended import Kind, find_unattended, handled
from .plan import RunPlan


def chain_errors(graph: TutorialGraph, slugs: Iterable[str]) -> list[Diagnostic]:
    """Lint errors in the files of `slugs` (the tutorial and its prerequisites) and in no tutorial's file."""
    from ..lint import lint_set

    report = lint_set(graph.set, graph)
    wanted = {graph.tutorials[s].rel_path for s in slugs if s in graph.tutorials}
    tutorial_files = {t.rel_path for t in graph.tutorials.values()}
    return [d for d in report.diagnostics
            if d.severity is Severity.ERROR and (d.path in wanted or d.path not in tutorial_files)]


def run_chain(graph: TutorialGraph, slug: str) -> list[str]:
    """The tutorial and every prerequisite it needs, in reading order."""
    return [*graph.all_prerequisites(slug), slug]


def runner_findings(plan: RunPlan, step_numbers: set[int], *, terminal: bool) -> list[Diagnostic]:
    """Placeholders and unattended blocks in the steps about to run, as errors."""
    tutorial = plan.tutorial
    found: list[Diagnostic] = []
    for step in plan.steps:
        if step.number not in step_numbers:
            continue
        for planned in step.blocks:
            block = planned.block
            if not planned.runs or planned.manual or plan.on_another_machine(step, planned):
                continue
            found += [_as_error(placeholder_diagnostic(tutorial, p)) for p in find_placeholders(tutorial, block)]
            if handled(block):
                continue
            unattended = find_unattended(block)
            if unattended is None or unattended.kind is Kind.FOLLOWER or (unattended.kind is Kind.EDITOR and terminal):
                continue
            found.append(_as_error(unattended_diagnostic(tutorial, unattended)))
    return found


def _as_error(diagnostic: Diagnostic) -> Diagnostic:
    return dataclasses.replace(diagnostic, severity=Severity.ERROR)


def format_findings(diagnostics: list[Diagnostic]) -> str:
    lines: list[str] = []
    for d in diagnostics:
        lines.append(f"  {d.path}:{d.line}: [{d.rule}] {d.message}")
        if d.hint:
            lines.append(f"    hint: {d.hint}")
    return "\n".join(lines)
