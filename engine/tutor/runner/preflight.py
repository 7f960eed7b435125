"""What must hold before step 1, and the actionable messages when it does not.

In order (after the lint gate of `gate`, exit 2): every prerequisite is done on this
host (exit 3), every `requires` entry holds (exit 3). A prerequisite is done when its state
says so, none of its steps changed since, and its `provides` probes still pass. A required
capability name holds when its provider is done in that sense. The runner never runs a
prerequisite on its own; the messages say which ones are missing, in reading order, with
their page and the `tutor run` command for each.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..graph import TutorialGraph
from ..model import Tutorial
from .links import Links, short_time
from .plan import RunPlan, build_plan
from .state import TutorialRecord
from .status import Status
from .variables import Resolution, resolve

if TYPE_CHECKING:
    from ..probes import Probe, ProbeResult

_PROBE_OPTIONS = frozenset({"id", "hint", "within", "interval", "timeout", "description"})


# --- prerequisites -----------------------------------------------------------------------------


@dataclass
class Readiness:
    """Whether a tutorial counts as done on this host, and if not, why, in words."""

    tutorial: Tutorial
    done: bool
    reason: str = ""
    hint: str = ""
    failed_probes: list[ProbeResult] = field(default_factory=list)
    checked: dict[str, ProbeResult] = field(default_factory=dict)
    """Capability name → result of its `provides` probe."""


def readiness(
    tutorial: Tutorial,
    record: TutorialRecord | None,
    options: Mapping[str, str],
    environ: Mapping[str, str],
    *,
    check_probes: bool = True,
) -> Readiness:
    if record is None:
        return Readiness(tutorial, False, "not run on this host")
    if record.status != Status.DONE:
        stopped = next((s for s in record.steps if s.status != Status.DONE), None)
        where = f" at step {stopped.number} ({stopped.status})" if stopped else ""
        return Readiness(tutorial, False, f"not finished: stopped{where}, {short_time(record.ended or record.started)}")
    plan, changed = _done_path(tutorial, record)
    if changed is not None:
        return Readiness(tutorial, False, f"step {changed} changed since it was done, {short_time(record.ended)}",
                         "run it again to apply the changed step")
    result = Readiness(tutorial, True, f"done {short_time(record.ended)}")
    if not check_probes or not plan.provides:
        return result
    from ..probes import evaluate

    variables = resolve(tutorial, options, environ, remembered=record.variables)
    for planned in plan.provides:
        # One attempt: `within` gives a service time to come up after the tutorial's steps;
        # a prerequisite finished long ago, and waiting would only delay the message.
        probe = dataclasses.replace(planned.probe, within=0.0)
        outcome = evaluate(probe, variables.values, secrets=variables.secret_names)
        if planned.probe.id:
            result.checked[planned.probe.id] = outcome
        if not outcome.passed:
            result.failed_probes.append(outcome)
    if result.failed_probes:
        first = result.failed_probes[0]
        result.done = False
        result.reason = (f"done {short_time(record.ended)}, but this no longer holds: {first.sentence} "
                         f"(found: {first.found})")
        result.hint = first.hint
    return result


def _done_path(tutorial: Tutorial, record: TutorialRecord) -> tuple[RunPlan, int | None]:
    """The plan of the path the record finished, and the first step that changed since (None: none did).

    A page with alternative paths counts as done when every step of one of its paths is.
    """
    names: list[str | None] = [p.name for p in tutorial.paths] or [None]
    if tutorial.default_path in names:
        names.remove(tutorial.default_path)
        names.insert(0, tutorial.default_path)
    first: tuple[RunPlan, int | None] | None = None
    for name in names:
        plan = build_plan(tutorial, path=name, choose=False)
        changed = next((step.number for step in plan.steps
                        if (saved := record.step(step.number)) is None or saved.status != Status.DONE or saved.hash != step.hash),
                       None)
        if changed is None:
            return plan, None
        first = first or (plan, changed)
    assert first is not None
    return first


def missing_prerequisites(
    graph: TutorialGraph,
    slug: str,
    records: Mapping[str, TutorialRecord],
    options: Mapping[str, str],
    environ: Mapping[str, str],
) -> list[Readiness]:
    """Every prerequisite (direct or not) that is not done, in reading order."""
    missing: list[Readiness] = []
    for prerequisite in graph.all_prerequisites(slug):
        state = readiness(graph.tutorials[prerequisite], records.get(prerequisite), options, environ)
        if not state.done:
            missing.append(state)
    return missing


def format_missing(tutorial: Tutorial, missing: list[Readiness], links: Links) -> str:
    count = len(missing)
    noun = "a prerequisite that is" if count == 1 else f"{count} prerequisites that are"
    lines = [f"tutor: `{tutorial.slug}` ({tutorial.title}) needs {noun} not done on this host.",
             "Run them first, in this order:" if count > 1 else "Run it first:", ""]
    for index, state in enumerate(missing, 1):
        lines.append(f"  {index}. {state.tutorial.title} ({state.tutorial.slug}): {state.reason}")
        if state.hint:
            lines.append(f"     hint: {state.hint}")
        lines.append(f"     page: {links.page(state.tutorial)}")
        lines.append(f"     run:  {links.command(state.tutorial.slug)}")
    first = "them first, in order," if count > 1 else "it first"
    lines += ["", f"Or let tutor run {first} with: {links.command(tutorial.slug, '--with-prerequisites')}"]
    return "\n".join(lines) + "\n"


# --- requires ------------------------------------------------------------------------------------


@dataclass
class Unmet:
    """A `requires` entry that does not hold, with what to tell the operator."""

    sentence: str
    found: str
    hint: str
    provider: Tutorial | None


def check_requires(
    plan: RunPlan,
    graph: TutorialGraph,
    variables: Resolution,
    records: Mapping[str, TutorialRecord],
    options: Mapping[str, str],
    environ: Mapping[str, str],
) -> list[Unmet]:
    from ..probes import evaluate

    tutorial = plan.tutorial
    unmet: list[Unmet] = []
    for requirement in plan.requires:
        condition = requirement.condition
        if requirement.probe is not None:
            result = evaluate(requirement.probe, variables.values, secrets=variables.secret_names)
            if not result.passed:
                unmet.append(Unmet(result.sentence, result.found, result.hint,
                                   provider_of_probe(graph, requirement.probe, condition.name, tutorial.slug)))
            continue
        if not condition.name:
            continue
        provider = graph.provider_of(condition.name)
        if provider is None or provider.slug == tutorial.slug:
            continue  # lint reports an unprovided name; a tutorial may provide what it checks itself
        state = readiness(provider, records.get(provider.slug), options, environ)
        probe_result = state.checked.get(condition.name)
        sentence = probe_result.sentence if probe_result else f"`{condition.name}` is set up on this host"
        if not state.done:
            found = f"{provider.title} is {state.reason}"
            if probe_result and not probe_result.passed:
                found = probe_result.found
            unmet.append(Unmet(sentence, found, (probe_result.hint if probe_result else "") or state.hint, provider))
    return unmet


def provider_of_probe(graph: TutorialGraph, probe: Probe, name: str | None, slug: str) -> Tutorial | None:
    """The tutorial that provides what a `requires` probe checks: by capability id, else by the same check."""
    if name:
        provider = graph.provider_of(name)
        if provider is not None and provider.slug != slug:
            return provider
    wanted = _essence(probe.spec)
    for tutorial in graph.ordered():
        if tutorial.slug == slug:
            continue
        for condition in tutorial.provides:
            if condition.probe is not None and _essence(condition.probe) == wanted:
                return tutorial
    return None


def _essence(spec: Mapping[str, object]) -> dict[str, object]:
    """What a probe checks, without how long to wait or what to say about it."""
    return {str(k): v for k, v in spec.items() if k not in _PROBE_OPTIONS}


def format_unmet(tutorial: Tutorial, unmet: list[Unmet], links: Links) -> str:
    count = len(unmet)
    lines = [f"tutor: `{tutorial.slug}` ({tutorial.title}) cannot start: "
             + ("a pre-flight check failed." if count == 1 else f"{count} pre-flight checks failed."), ""]
    for item in unmet:
        lines.append(f"  ✗ {item.sentence}")
        lines.append(f"    found: {item.found}")
        if item.hint:
            lines.append(f"    hint:  {item.hint}")
        if item.provider is not None:
            lines.append(f"    {item.provider.title} sets this up:")
            lines.append(f"      page: {links.page(item.provider)}")
            lines.append(f"      run:  {links.command(item.provider.slug)}")
        lines.append("")
    return "\n".join(lines)


# --- what needs a person -------------------------------------------------------------------------


def interaction_problems(plan: RunPlan, step_numbers: set[int], *, yes: bool, skip_manual: bool, terminal: bool) -> list[str]:
    """Blocks that would wait for a person who is not there: refused before anything runs."""
    if terminal:
        return []
    problems: list[str] = []
    for step in plan.steps:
        if step.number not in step_numbers:
            continue
        for block in step.blocks:
            where = f"{plan.tutorial.rel_path}:{block.line}"
            if block.manual and not yes:
                problems.append(f"{where}: step {step.number} has a manual block, and no terminal is attached to wait on")
            elif plan.on_another_machine(step, block) and block.runs and not yes and not skip_manual:
                problems.append(f"{where}: step {step.number} has a block for your own machine (scope=local), "
                                f"and no terminal is attached to wait on")
            elif block.confirm and block.runs and not block.manual and not yes:
                problems.append(f"{where}: step {step.number} asks for confirmation, and no terminal is attached to answer")
    return problems
