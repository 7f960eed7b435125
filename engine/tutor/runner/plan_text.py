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
from .variables import SOURCE_MISSING, SOURCE_UNSET, resolve

if TYPE_CHECKING:
    from .request import Loaded, Request


def render_plan(loaded: Loaded, request: Request, environ: Mapping[str, str]) -> str:
    from ..probes import describe
    from .redact import Redactor

    plan, graph, links = loaded.plan, loaded.graph, loaded.links
    tutorial = plan.tutorial
    try:
        records = loaded.store.load()
    except TutorError:  # an unreadable state file does not stop a dry run; `tutor run` reports it
        records = {}
    record = records.get(tutorial.slug)
    variables = resolve(tutorial, request.variables, environ)
    redact = Redactor(variables.secret_values).redact
    values, secrets = variables.values, variables.secret_names
    out: list[str] = [f"Plan for {tutorial.title} ({tutorial.slug}), {tutorial.rel_path}",
                      f"  page: {links.page(tutorial)}", ""]

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
    for step in plan.steps:
        saved = record.step(step.number) if record else None
        status = ""
        if saved is not None:
            status = f"  [{saved.status}{', changed since' if saved.hash != step.hash else ''}]"
        skipped = "" if step.number in selected else "  (not selected)"
        out.append(f"{step.header}{status}{skipped}")
        parts = {id(b): part for part in step.step.substeps for b in part.blocks[:1]}
        for block in step.blocks:
            part = parts.get(id(block.block))
            if part is not None:
                out.append(f"  Step {step.number}.{part.number}: {part.title}")
            tags = [label.text for label in labels(block.block)]
            if block.confirm and request.yes:
                tags.append("--yes answers the confirmation")
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
    if findings:
        out.append("`tutor run` would refuse to start, before running anything:")
        out.append(format_findings(findings))
        out.append("")
    chosen = ("--path", shlex.quote(plan.path)) if request.step_path and plan.path else ()
    out.append(f"Run it with: {links.command(tutorial.slug, *chosen)}")
    return visible("\n".join(out)) + "\n"  # what the reviewer reads is what runs: no hidden escapes
