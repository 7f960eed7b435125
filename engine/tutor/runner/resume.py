"""Which steps a run runs, and why: the one rule `tutor run` follows and `tutor plan` prints.

A step of the selection runs when it is not done on this host, when its commands changed since
it was done (the step's hash), or when the value of a variable it uses changed (compared by
keyed hash, see `fingerprints`). Every other done step is skipped, whatever runs before or after
it. --restart and --from/--only run every selected step. Probe results play no part, so a
dry run, which evaluates nothing, decides the same as the run.

A run starts its shell in the folder and with the exports the step before its first step
ended with. With --from/--only that step must be done on this host (or the first step is the
tutorial's first): there is no guessing at the operator's current folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from ..probes.variables import references, shell_references
from .links import short_time
from .status import Status

if TYPE_CHECKING:
    from .fingerprints import Fingerprints
    from .plan import PlannedStep, RunPlan
    from .state import StepRecord, TutorialRecord
    from .variables import Resolution

__all__ = ["Decision", "ResumePlan", "StepDecision", "decide", "step_variables", "variable_hashes"]


class Decision(str, Enum):
    """What a run does with one step of the tutorial."""

    RUNS = "runs"
    """Not done, changed, or asked for (--from, --only, --restart)."""
    DONE = "done"
    """Done on this host and unchanged: skipped."""
    OUTSIDE = "outside"
    """Not among the selected steps (--from, --only, --until)."""

    def __str__(self) -> str:
        return self.value


@dataclass
class StepDecision:
    step: PlannedStep
    decision: Decision
    reason: str
    """In words: "not done", "its commands changed since it was done", "done 2025-12-07 10:03"."""
    saved: StepRecord | None
    changed: list[str] = field(default_factory=list)
    """Variables whose value differs from the one the step was done with."""
    unknown: list[str] = field(default_factory=list)
    """Variables it uses that have no value yet (a dry run does not ask): their value decides."""

    @property
    def runs(self) -> bool:
        return self.decision is Decision.RUNS


@dataclass
class ResumePlan:
    steps: list[StepDecision]
    restore: StepRecord | None
    """The done step whose folder and exports the shell starts with (None: a fresh start)."""
    refusal: str | None = None
    """Why the run cannot start from where it is asked to (nothing runs), with what to do."""

    @property
    def to_run(self) -> list[StepDecision]:
        return [d for d in self.steps if d.runs]


def step_variables(step: PlannedStep, names: Iterable[str]) -> list[str]:
    """The variables of `names` the step's blocks that run read: in their commands or their
    attributes (`cwd`, `send`). What a sourced script reads on its own is not seen."""
    wanted = set(names)
    used: set[str] = set()
    for block in step.blocks:
        if not block.runs:
            continue
        used |= shell_references(block.code)
        for value in block.block.attributes.values():
            if isinstance(value, str):
                used |= references(value)
        for _expect, send in block.prompts:
            used |= references(send)
    return sorted(used & wanted)


def variable_hashes(step: PlannedStep, variables: Resolution, fingerprints: Fingerprints) -> dict[str, str]:
    """What a done step records: the fingerprint of each variable it uses, as this run has it."""
    result: dict[str, str] = {}
    for name in step_variables(step, variables.sources):
        hashed = fingerprints.of(variables.values.get(name))
        if hashed is not None:
            result[name] = hashed
    return result


def decide(plan: RunPlan, previous: TutorialRecord | None, variables: Resolution, fingerprints: Fingerprints, *,
           start: str | None = None, only: str | None = None, until: str | None = None,
           restart: bool = False, command: str = "tutor run") -> ResumePlan:
    """The run's decisions for every step of `plan`; `previous` is the stored record (None on a fresh host)."""
    from .variables import SOURCE_MISSING

    selected = {s.number for s in plan.select(start, only, until)}
    explicit = start is not None or only is not None
    decisions: list[StepDecision] = []
    for step in plan.steps:
        saved = previous.step(step.number) if previous is not None else None
        if step.number not in selected:
            decisions.append(StepDecision(step, Decision.OUTSIDE, "outside the selected steps", saved))
            continue
        if restart:
            decisions.append(StepDecision(step, Decision.RUNS, "--restart", saved))
            continue
        if explicit:
            decisions.append(StepDecision(step, Decision.RUNS, "--only" if only is not None else "--from", saved))
            continue
        if saved is None or saved.status != Status.DONE:
            reason = "not done" if saved is None else f"{saved.status} {short_time(saved.ended)}"
            decisions.append(StepDecision(step, Decision.RUNS, reason, saved))
            continue
        if saved.hash != step.hash:
            decisions.append(StepDecision(step, Decision.RUNS, "its commands changed since it was done", saved))
            continue
        changed, unknown = [], []
        for name in step_variables(step, variables.sources):
            if variables.sources.get(name) == SOURCE_MISSING:
                unknown.append(name)
                continue
            recorded = saved.variable_hashes.get(name)
            if recorded is None:
                continue  # done before tutor recorded fingerprints, or before the step used it
            if fingerprints.of(variables.values.get(name)) != recorded:
                changed.append(name)
        if changed:
            noun = "the value of " + ", ".join(changed)
            decisions.append(StepDecision(step, Decision.RUNS, f"{noun} changed since it was done", saved, changed=changed))
            continue
        reason = f"done {short_time(saved.ended)}"
        if saved.checks_after_reboot and step.probes:
            reason += "; it ended with a reboot, and its checks are made now"
        decisions.append(StepDecision(step, Decision.DONE, reason, saved, unknown=unknown))
    resume = ResumePlan(decisions, None)
    runs = resume.to_run
    if not runs:
        return resume
    first = plan.steps.index(runs[0].step)
    if first == 0:
        return resume
    before = decisions[first - 1]
    saved = before.saved
    step = runs[0].step
    if saved is None or saved.status != Status.DONE or not saved.cwd:
        state = "is not done on this host" if saved is None or saved.status != Status.DONE else "has no saved folder"
        resume.refusal = (f"step {step.number} starts in the folder and with the environment step {before.step.number} "
                          f"ended with, and step {before.step.number} {state}; nothing ran.\n"
                          f"  hint: run the steps before it first (`{command} --until {before.step.number}`), "
                          f"or start over with --restart")
    elif not os.path.isdir(saved.cwd):
        resume.refusal = (f"step {step.number} starts in {saved.cwd}, where step {before.step.number} left the shell, "
                          f"and that folder no longer exists; nothing ran.\n"
                          f"  hint: recreate it, run step {before.step.number} again (`{command} --from {before.step.number}`), "
                          f"or start over with --restart")
    else:
        resume.restore = saved
    return resume
