"""`tutor plan --format json`: the plan as a stable, versioned document for CI tools and exports.

The format is documented in docs/cli.md ("tutor plan --format json"). Additive changes keep
`schema_version`; a change that removes or renames a field raises it. Like the text plan it
evaluates nothing; secret values are masked wherever they would appear.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..readiness import READY_TIMEOUT, readiness_probes
from .gate import runner_findings
from .variables import resolve

if TYPE_CHECKING:
    from ..probes import Probe
    from .request import Loaded, Request
    from .plan import PlannedBlock, PlannedStep

SCHEMA_VERSION = 1


def plan_document(loaded: Loaded, request: Request, environ: Mapping[str, str]) -> dict[str, Any]:
    from ..probes import describe
    from .redact import Redactor

    plan, graph = loaded.plan, loaded.graph
    tutorial = plan.tutorial
    variables = resolve(tutorial, request.variables, environ)
    redact = Redactor(variables.secret_values).redact

    def check(probe: Probe, line: int) -> dict[str, Any]:
        return {"line": line, "type": probe.kind, "id": probe.id,
                "sentence": describe(probe, variables.values, variables.secret_names), "spec": probe.spec}

    def block(planned: PlannedBlock, step: PlannedStep) -> dict[str, Any]:
        part = next((p for p in step.step.substeps if any(b is planned.block for b in p.blocks)), None)
        return {
            "line": planned.line,
            "language": planned.block.language,
            "command": redact(planned.code),
            "runs": planned.runs and not planned.manual and not plan.on_another_machine(step, planned),
            "manual": planned.manual,
            "scope": step.scope_of(planned) or plan.scope,
            "guards": {name: value for name, value in (("creates", planned.options.creates), ("removes", planned.options.removes),
                                                       ("unless", planned.options.unless)) if value is not None},
            "reboot": planned.reboot,
            "background": planned.background,
            "ready": [check(probe, planned.line) for probe in
                      readiness_probes(planned.block.options.ready, within=planned.timeout or READY_TIMEOUT)],
            "transcript": planned.block.is_transcript,
            "substep": f"{step.number}.{part.number}" if part is not None else None,
            "timeout": planned.timeout,
            "follows": planned.follows,
            "expected_output": planned.expected,
            "match": planned.match if planned.expected is not None else None,
            "prompts": [{"expect": e, "send": redact(s)} for e, s in planned.prompts],
            "attributes": dict(planned.block.attributes),
        }

    from .plan_text import resume_plan

    selected = {s.number for s in plan.select(request.start, request.only, request.until)}
    resume = resume_plan(loaded, request, variables)
    decisions = {d.step.number: d for d in resume.steps}
    steps = [{
        "number": step.number,
        "title": step.title,
        "line": step.line,
        "implicit": step.step.implicit,
        "selected": step.number in selected,
        "runs": decisions[step.number].runs and resume.refusal is None,
        "decision": str(decisions[step.number].decision),
        "reason": decisions[step.number].reason,
        "hash": step.hash,
        "substeps": [{"number": f"{step.number}.{p.number}", "title": p.title, "line": p.heading.line}
                     for p in step.step.substeps],
        "blocks": [block(b, step) for b in step.blocks],
        "checks": [check(p.probe, p.line) for p in step.probes],
    } for step in plan.steps]
    findings = runner_findings(plan, selected, terminal=sys.stdin.isatty())
    return {
        "schema_version": SCHEMA_VERSION,
        "tutorial": tutorial.slug,
        "title": tutorial.title,
        "file": tutorial.rel_path,
        "paths": [p.name for p in tutorial.paths],
        "path": plan.path,
        "scope": plan.scope,
        "implicit_steps": tutorial.implicit_steps,
        "prerequisites": graph.all_prerequisites(tutorial.slug),
        "requires": [
            {"line": r.condition.line, "capability": r.condition.name,
             "check": check(r.probe, r.condition.line) if r.probe is not None else None}
            for r in plan.requires],
        "variables": {name: {"value": variables.shown(name), "source": source, "secret": variables.is_secret(name)}
                      for name, source in variables.sources.items()},
        "steps": steps,
        "provides": [check(p.probe, p.line) for p in plan.provides],
        "refused": [d.as_dict() for d in findings],
        "resume_refused": resume.refusal,
    }


def render_plan_json(loaded: Loaded, request: Request, environ: Mapping[str, str]) -> str:
    return json.dumps(plan_document(loaded, request, environ), indent=2, ensure_ascii=False) + "\n"
