"""`tutor verify`'s report as text, as JSON (`--format json`) and as JUnit (`--junit FILE`).

Every text passes through the redactor of the secret values the checks used. The JSON document
is documented in docs/cli.md ("tutor verify --format json"); `schema_version` follows the same
rule as the plan's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

from ..textsafe import visible
from .junit import document, probe_case
from .report import ProbeReport
from .verify import CheckResult, TutorialCheck, VerifyReport

SCHEMA_VERSION = 1
Redact = Callable[[str], str]


def _where(check: CheckResult) -> str:
    return f"Step {check.step} check" if check.step is not None else "provides"


def render_text(report: VerifyReport, redact: Redact) -> str:
    if not report.tutorials:
        return (f"Nothing is done on this host ({report.host}, state {report.state}), so there is nothing to verify.\n"
                f"  `tutor status` lists what has run; `tutor verify SLUG` checks one tutorial anyway.\n")
    lines = [f"Verifying {len(report.tutorials)} tutorial{'s' if len(report.tutorials) != 1 else ''} on {report.host} "
             f"(state {report.state}); no step runs."]
    for tutorial in report.tutorials:
        lines += ["", f"{tutorial.slug}  {tutorial.title}: " + ("healthy" if tutorial.passed else "NOT healthy")]
        if tutorial.problem:
            lines.append(f"  ✗ {tutorial.problem}")
            continue
        if not tutorial.checks:
            lines.append("  (no checks: its steps and `provides` declare none)")
        heading: int | None | str = ""
        for check in tutorial.checks:
            if check.step != heading:
                heading = check.step
                if check.step is None:
                    lines.append("  provides:")
                else:
                    changed = " (its commands changed since it was done)" if check.step in tutorial.changed else ""
                    lines.append(f"  Step {check.step}: {tutorial.step_titles.get(check.step, '')}{changed}")
            lines.append(f"    {'✓' if check.passed else '✗'} {check.sentence}"
                         + ("" if check.passed else f" (found: {check.found})"))
            if not check.passed and check.hint:
                lines.append(f"      hint: {check.hint}")
    checks = report.checks
    failed = sum(1 for c in checks if not c.passed)
    unverified = sum(1 for t in report.tutorials if t.problem)
    lines += ["", f"{len(checks)} check{'s' if len(checks) != 1 else ''}: {len(checks) - failed} passed, {failed} failed"
              + (f"; {unverified} tutorial{'s' if unverified != 1 else ''} not done here" if unverified else "")
              + (". This host is healthy." if report.passed else ".")]
    return visible(redact("\n".join(lines))) + "\n"


def render_json(report: VerifyReport, redact: Redact) -> str:
    def check(c: CheckResult) -> dict[str, Any]:
        return {"step": c.step, "line": c.line, "type": c.kind, "id": c.capability, "sentence": redact(c.sentence),
                "passed": c.passed, "found": redact(c.found), "hint": redact(c.hint), "elapsed": round(c.elapsed, 3)}

    def tutorial(t: TutorialCheck) -> dict[str, Any]:
        return {"tutorial": t.slug, "title": t.title, "file": t.file, "status": t.status, "passed": t.passed,
                "problem": t.problem or None, "changed_steps": t.changed, "checks": [check(c) for c in t.checks]}

    checks = report.checks
    body = {
        "schema_version": SCHEMA_VERSION,
        "host": report.host,
        "state": report.state,
        "passed": report.passed,
        "summary": {"tutorials": len(report.tutorials), "checks": len(checks),
                    "passed": sum(1 for c in checks if c.passed), "failed": sum(1 for c in checks if not c.passed)},
        "tutorials": [tutorial(t) for t in report.tutorials],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def render_junit(report: VerifyReport, redact: Redact) -> str:
    def shown(text: str) -> str:
        return visible(redact(text))

    host = report.host
    root = ET.Element("testsuites", name="tutor verify")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for tutorial in report.tutorials:
        suite = ET.SubElement(root, "testsuite", name=tutorial.slug, hostname=host)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        classname = f"tutor.verify.{tutorial.slug}"
        if tutorial.problem:
            counts["tests"] += 1
            counts["failures"] += 1
            case = ET.SubElement(suite, "testcase", classname=classname, name=shown(f"[{host}] done on this host"),
                                 time="0.000")
            ET.SubElement(case, "failure", message=shown(tutorial.problem), type="state").text = shown(tutorial.problem)
        for c in tutorial.checks:
            probe = ProbeReport(c.sentence, c.passed, c.found, c.hint, c.elapsed)
            probe_case(suite, classname, f"[{host}] {_where(c)}: {c.sentence}", probe, counts, shown)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", f"{sum(c.elapsed for c in tutorial.checks):.3f}")
    for key, value in totals.items():
        root.set(key, str(value))
    return document(root)
