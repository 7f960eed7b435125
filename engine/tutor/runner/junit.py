"""`tutor run --junit FILE`: one test suite per tutorial run, one test case per step and per probe.

A step done in an earlier run, or outside --from/--until, is reported as skipped so the
report always lists the whole tutorial. Every text passes through the run's redactor.
Reports of many hosts merge well: each suite carries a `hostname`, and each case name starts
with `[host]`, as Ansible's junit callback writes them (`tutor export ansible`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from xml.etree import ElementTree as ET

from ..atomic import write_atomically
from ..textsafe import storable, visible
from .report import ProbeReport, RunReport, host_name
from .status import Status


def render(runs: Iterable[RunReport], redact: Callable[[str], str] = lambda text: text, host: str | None = None) -> str:
    host = host or host_name()

    def named(text: str) -> str:
        return shown(f"[{host}] {text}")

    def shown(text: str) -> str:
        """Secrets masked, control codes (colour from a failing step) made visible, and bytes
        that were not UTF-8 (a folder name in a check's sentence) as U+FFFD: none is valid XML 1.0."""
        return storable(visible(redact(text)))

    root = ET.Element("testsuites", name="tutor run")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for run in runs:
        suite = ET.SubElement(root, "testsuite", name=run.slug, hostname=host)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        classname = f"tutor.run.{run.slug}"
        if not run.steps and run.exit_code != 0:
            # Stopped before any step (pre-flight): one case that says why.
            counts["tests"] += 1
            counts["failures"] += 1
            case = ET.SubElement(suite, "testcase", classname=classname, name=named("pre-flight"), time="0.000")
            failure = ET.SubElement(case, "failure", message=shown(run.message.split("\n", 1)[0]), type="pre-flight")
            failure.text = shown(run.message)
        for step in run.steps:
            counts["tests"] += 1
            case = ET.SubElement(suite, "testcase", classname=classname,
                                 name=named(f"Step {step.number}: {step.title}"), time=f"{step.duration:.3f}")
            if step.outcome == Status.FAILED:
                counts["failures"] += 1
                failure = ET.SubElement(case, "failure", message=shown(step.message.split("\n", 1)[0]), type="step")
                failure.text = shown("\n".join(part for part in (step.message, step.output) if part))
            elif step.outcome == Status.INTERRUPTED:
                counts["errors"] += 1
                ET.SubElement(case, "error", message=shown(step.message or "interrupted"), type="interrupted")
            elif step.outcome in (Status.SKIPPED, Status.ALREADY_DONE, Status.NOT_RUN):
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=shown(step.message or step.outcome))
            if step.warnings:
                out = ET.SubElement(case, "system-out")
                out.text = shown("\n".join(f"warning: {w}" for w in step.warnings))
            for probe in step.probes:
                probe_case(suite, classname, f"[{host}] Step {step.number} check: {probe.sentence}", probe, counts, shown)
        for probe in run.provides:
            probe_case(suite, classname, f"[{host}] provides: {probe.sentence}", probe, counts, shown)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", f"{run.duration:.3f}")
        if run.message and run.exit_code != 0 and run.steps:
            err = ET.SubElement(suite, "system-err")
            err.text = shown(run.message)
    for key, value in totals.items():
        root.set(key, str(value))
    return document(root)


def probe_case(suite: ET.Element, classname: str, name: str, probe: ProbeReport,
                counts: dict[str, int], redact: Callable[[str], str]) -> None:
    counts["tests"] += 1
    case = ET.SubElement(suite, "testcase", classname=classname, name=redact(name), time=f"{probe.elapsed:.3f}")
    if not probe.passed:
        counts["failures"] += 1
        failure = ET.SubElement(case, "failure", message=redact(f"found: {probe.found}"), type="probe")
        failure.text = redact(f"found: {probe.found}" + (f"\nhint: {probe.hint}" if probe.hint else ""))


def document(root: ET.Element) -> str:
    """The XML text of a report, indented, with its declaration."""
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write(path: Path, runs: Iterable[RunReport], redact: Callable[[str], str] = lambda text: text) -> None:
    write_atomically(path, render(runs, redact))

