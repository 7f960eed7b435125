"""Rule family: Step headings — numbering per path and inside each step, commands outside steps, implicit steps."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Step, Tutorial
from ..steps import outside_steps
from .context import LintContext
from .registry import rule


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    for t in ctx.tutorials:
        if t.implicit_steps:
            yield _implicit(t)
            continue
        sequences: list[tuple[str | None, list[Step]]] = [(p.name, p.steps) for p in t.paths] or [(None, t.steps)]
        for name, steps in sequences:
            yield from _numbering(t, name, steps)
        for step in t.steps:
            if step.substeps:
                yield from _parts(t, step)
        for block in outside_steps(t):
            yield rule("steps/outside").at(
                t.rel_path, block.line, "this shell block is not in any step, so `tutor run` skips it",
                "move it under a `Step N:` heading, or mark it {run=false} if it is only shown")


def _numbering(t: Tutorial, path: str | None, steps: list[Step]) -> Iterator[Diagnostic]:
    where = f" of path `{path}`" if path else ""
    if not steps:
        return
    expected = steps[0].number if steps[0].number in (0, 1) else 1
    for step in steps:
        if step.number != expected:
            found = "repeats" if step.number < expected else "skips ahead of"
            yield rule("steps/numbering").at(
                t.rel_path, step.heading.line,
                f"`Step {step.number}`{where} {found} the sequence (expected Step {expected})",
                "number the Step headings 1, 2, 3… (or from 0) in order")
        expected = step.number + 1


def _parts(t: Tutorial, step: Step) -> Iterator[Diagnostic]:
    expected = 1
    for part in step.substeps:
        if part.number != expected:
            yield rule("steps/numbering").at(
                t.rel_path, part.heading.line,
                f"`Step {step.number}.{part.number}` is out of order inside step {step.number} "
                f"(expected Step {step.number}.{expected})",
                f"number the parts of step {step.number} as {step.number}.1, {step.number}.2, …")
        expected = part.number + 1


def _implicit(t: Tutorial) -> Diagnostic:
    titles = ", ".join(f"{s.number}. {s.title}" for s in t.steps[:5]) + (", …" if len(t.steps) > 5 else "")
    return rule("steps/implicit").at(
        t.rel_path, t.steps[0].heading.line,
        f"`{t.slug}` has no `Step N:` headings; `tutor run` runs its sections with commands as steps: {titles}",
        "nothing to do if that order is right; write `## Step 1: …` headings to choose the steps yourself")
