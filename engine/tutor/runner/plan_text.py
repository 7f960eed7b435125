"""`tutor plan` (= `tutor run --dry-run`): the run written out, with no side effects at all.

It reads the tutorial and the state file and evaluates nothing: no probe, no command, no
prompt for a missing variable, no file or folder created.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..errors import TutorError
from ..markings import Marking, labels
from ..textsafe import visible
from .gate import format_findings, runner_findings
from .plan import build_plan
from .preflight import readiness
from .resume import Decision, ResumePlan, decide
from .variables import SOURCE_MISSING, SOURCE_UNSET, resolve

if TYPE_CHECKING:
    from .request import Loaded, Request
    from .resume import StepDecision as StepDecisionType
    from .variables import Resolution


def render_plan(loaded: Loaded, request: Request, environ: Mapping[str, str]) -> str:
    from ..probes import describe
    from .redact import Redactor

    plan, graph, links = loaded.plan, loaded.graph, loaded.links
    tutorial = plan.tutorial
    state_problem = ""
    try:
        records = loaded.store.load()
    except TutorError as exc:  # an unreadable state file does not stop a dry run; `tutor run` would stop on it
        records, state_problem = {}, str(exc)
    record = records.get(tutorial.slug)
    variables = resolve(tutorial, request.variables, environ)
    redact = Redactor(variables.secret_values).redact
    values, secrets = variables.values, variables.secret_names
    out: list[str] = [f"Plan for {tutorial.title} ({tutorial.slug}), {tutorial.rel_path}",
                      f"  page: {links.page(tutorial)}", ""]
    if state_problem:
        out += ["State: not read; `tutor run` stops on this until it is fixed:",
                *(f"  {line}" for line in state_problem.split("\n")), ""]

    prerequisites = graph.all_prerequisites(tutorial.slug)
    out.append("Prerequisites (in reading order):" if prerequisites else "Prerequisites: none")
    for slug in prerequisites:
        state = readiness(graph.tutorials[slug], records.get(slug), request.variables, environ, check_probes=False)
        mark = "done" if state.done else "NOT DONE"
        out.append(f"  - {graph.tutorials[slug].title} ({slug}): {mark}: {state.reason}")
        if not state.done:
            out.append(f"      run: {links.command(slug)}")
    if prerequisites:
        out.append("  (`tutor run` also checks that their `provides` probes still pass)")
    out.append("")

    if plan.requires:
        out.append("Checked before step 1:")
        for requirement in plan.requires:
            if requirement.probe is not None:
                out.append(f"  - {describe(requirement.probe, values, secrets)}")
            else:
                name = requirement.condition.name or ""
                provider = graph.provider_of(name)
                if provider is None:
                    out.append(f"  - `{name}` is set up")
                    continue
                probes = [p.probe for p in build_plan(provider, choose=False).provides if p.probe.id == name]
                what = describe(probes[0], values, secrets) if probes else "it is set up"
                out.append(f"  - `{name}`: {what} (provided by {provider.slug})")
        out.append("")

    if variables.sources:
        out.append("Variables (exported into the shell):")
        width = max(len(n) for n in variables.sources)
        for name, source in variables.sources.items():
            declared = variables.declared.get(name)
            secret = " (secret)" if variables.is_secret(name) else ""
            if source == SOURCE_MISSING:
                shown = "<no value: asked for on a terminal, else the run stops>"
            elif source == SOURCE_UNSET:
                shown = "<unset>"
            else:
                shown = variables.shown(name)
            about = f"  {declared.description}" if declared and declared.description else ""
            out.append(f"  {name.ljust(width)} = {shown}  [{source}]{secret}{about}")
        out.append("")

    if tutorial.paths:
        out.append(f"Path: {plan.path} (alternatives on this page: {', '.join(p.name for p in tutorial.paths)}; "
                   "pick another with --path NAME)")
        out.append("")
    if tutorial.implicit_steps:
        out.append("This page has no `Step N:` headings: each section that holds commands is a step, in order.")
        out.append("")
    if not plan.steps:
        out.append("Nothing to run: the page has no shell blocks in any step.")
        out.append("")
    selected = {s.number for s in plan.select(request.start, request.only, request.until)}
    resume = resume_plan(loaded, request, variables)
    out += _resume_summary(resume)
    for decision in resume.steps:
        step = decision.step
        out.append(f"{step.header}  {_decision_label(decision)}")
        parts = {id(b): part for part in step.step.substeps for b in part.blocks[:1]}
        for block in step.blocks:
            part = parts.get(id(block.block))
            if part is not None:
                out.append(f"  Step {step.number}.{part.number}: {part.title}")
            tags = [label.text for label in labels(block.block)]
            if block.confirm and request.yes:
                tags.append("--yes answers the confirmation")
            if plan.on_another_machine(step, block) and block.options.scope is None:
                tags.append("the step is scope=local: run it on your own machine, not on the host")
            if block.uses_sudo:
                tags.append("uses sudo")
            if block.follows:
                tags.append(f"follows output: stopped after {block.timeout:g} s")
            elif block.timeout and not any(label.marking is Marking.LONG for label in labels(block.block)):
                tags.append(f"timeout {block.timeout:g} s")
            if block.id:
                tags.append(f"id {block.id}")
            out.append(f"  {tutorial.rel_path}:{block.line}" + (f"  [{redact('; '.join(tags))}]" if tags else ""))
            for index, line in enumerate(redact(block.code).rstrip("\n").split("\n")):
                out.append(("    $ " if index == 0 else "    > ") + line)
            for expect, send in block.prompts:
                out.append(f"    answers {expect!r} with {redact(send)!r}" if send else f"    answers {expect!r} with Enter")
            if block.expected is not None:
                out.append(f"    compares its output with the expected output ({block.match})")
        for planned in step.probes:
            out.append(f"  check: {describe(planned.probe, values, secrets)}")
        out.append("")

    if plan.provides:
        out.append("Provides (checked when the last step is done):")
        for planned in plan.provides:
            name = f"{planned.probe.id}: " if planned.probe.id else ""
            out.append(f"  - {name}{describe(planned.probe, values, secrets)}")
        out.append("")
    findings = runner_findings(plan, selected, terminal=sys.stdin.isatty())
    if findings or resume.refusal:
        out.append("`tutor run` would refuse to start, before running anything:")
        if findings:
            out.append(format_findings(findings))
        if resume.refusal:
            out.append(f"  {resume.refusal}")
        out.append("")
    chosen = ("--path", shlex.quote(plan.path)) if request.step_path and plan.path else ()
    out.append(f"Run it with: {links.command(tutorial.slug, *chosen)}")
    return visible("\n".join(out)) + "\n"  # what the reviewer reads is what runs: no hidden escapes


def resume_plan(loaded: Loaded, request: Request, variables: Resolution) -> ResumePlan:
    """What `tutor run` will decide for each step, from the state file alone (`resume.decide`)."""
    from .fingerprints import Fingerprints

    try:
        record = loaded.store.get(loaded.tutorial.slug)
    except TutorError:
        record = None
    return decide(loaded.plan, record, variables, Fingerprints.read(loaded.store.directory),
                  start=request.start, only=request.only, until=request.until, restart=request.restart,
                  command=loaded.links.command(loaded.tutorial.slug))


def _resume_summary(resume: ResumePlan) -> list[str]:
    if resume.refusal:
        return []
    runs = [str(d.step.number) for d in resume.to_run]
    if not runs:
        if not resume.steps:
            return []
        return ["Nothing to run: every selected step is done on this host and unchanged; `tutor run` only re-checks",
                "what the tutorial provides (--restart or --from STEP runs steps again).", ""]
    lines = [f"`tutor run` runs step{'s' if len(runs) > 1 else ''} {', '.join(runs)}: a step runs when it is not done, "
             "when its commands changed, or when a variable it uses has another value."]
    last = max(i for i, d in enumerate(resume.steps) if d.runs)
    replayed = [str(d.step.number) for d in resume.steps[:last] if d.decision is Decision.DONE]
    if replayed:
        lines.append(f"Done step{'s' if len(replayed) > 1 else ''} {', '.join(replayed)} before that: backgrounds restarted, "
                     "checks re-checked (one that fails stops the run), exports and folder put back.")
    if resume.restore is not None:
        lines.append(f"The shell starts in {resume.restore.cwd}, with the exports step {resume.restore.number} ended with.")
    return lines + [""]


def _decision_label(decision: StepDecisionType) -> str:
    if decision.decision is Decision.OUTSIDE:
        return "(not selected)"
    if decision.decision is Decision.DONE:
        unknown = decision.unknown
        extra = (f"; {', '.join(unknown)} {'has' if len(unknown) == 1 else 'have'} no value yet: another value than "
                 f"the last run's makes it run again") if unknown else ""
        return f"[{decision.reason}: skipped{extra}]"
    again = decision.saved is not None and decision.saved.status == "done"
    return f"[runs{' again' if again else ''}: {decision.reason}]"
