"""Lint diagnostics as text, JSON, GitHub workflow annotations or a JUnit report.

The JSON shape is a contract for scripts:
`{"tutorials": N, "diagnostics": [{"rule", "severity", "path", "line", "message", "hint"}]}`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from xml.etree import ElementTree as ET

from .diagnostics import Diagnostic, Severity
from .textsafe import visible

FORMATS = ("text", "json", "github", "junit")


def summary_line(tutorials: int, diagnostics: list[Diagnostic]) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return (f"{plural(tutorials, 'tutorial')}: {plural(counts[Severity.ERROR], 'error')}, "
            f"{plural(counts[Severity.WARNING], 'warning')}, {counts[Severity.INFO]} info")


def location(d: Diagnostic) -> str:
    return f"{d.path}:{d.line}" if d.line else d.path


def as_text(tutorials: int, diagnostics: list[Diagnostic], color: bool = False) -> str:
    lines: list[str] = []
    colors = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
    for d in diagnostics:
        severity = d.severity.value
        if color:
            severity = f"{colors[d.severity]}{severity}\x1b[0m"
        # What a tutorial wrote reaches a maintainer's terminal or a CI log: never raw escapes.
        lines.append(f"{visible(location(d))}: {severity} [{d.rule}] {visible(d.message)}")
        if d.hint:
            lines.append(f"    hint: {visible(d.hint)}")
    lines.append(summary_line(tutorials, diagnostics))
    return "\n".join(lines) + "\n"


def as_json(tutorials: int, diagnostics: list[Diagnostic]) -> str:
    return json.dumps({"tutorials": tutorials, "diagnostics": [d.as_dict() for d in diagnostics]}, indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def as_github(tutorials: int, diagnostics: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic."""
    command = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for d in diagnostics:
        props = [f"file={_escape_property(visible(d.path))}"]
        if d.line:
            props.append(f"line={d.line}")
        props.append(f"title={_escape_property(d.rule)}")
        text = visible(d.message + (f"\n{d.hint}" if d.hint else ""))
        lines.append(f"::{command[d.severity]} {','.join(props)}::{_escape_data(text)}")
    lines.append(summary_line(tutorials, diagnostics))
    return "\n".join(lines) + "\n"


def as_junit(paths: Iterable[str], diagnostics: list[Diagnostic], strict: bool = False) -> str:
    """One test case per file; errors (and warnings with --strict) are failures."""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_path.setdefault(d.path, []).append(d)
    ordered = list(dict.fromkeys([*paths, *by_path]))
    failing = {Severity.ERROR} | ({Severity.WARNING} if strict else set())
    suite = ET.Element("testsuite", name="tutor lint")
    failures = 0
    for path in ordered:
        case = ET.SubElement(suite, "testcase", classname="tutor.lint", name=visible(path))
        found = by_path.get(path, [])
        bad = [d for d in found if d.severity in failing]
        if bad:
            failures += 1
            failure = ET.SubElement(case, "failure", message=f"{len(bad)} problem(s)", type=bad[0].rule)
            failure.text = visible("\n".join(f"{location(d)}: {d.severity.value} [{d.rule}] {d.message}" + (f"\n    hint: {d.hint}" if d.hint else "") for d in bad))
        rest = [d for d in found if d.severity not in failing]
        if rest:
            out = ET.SubElement(case, "system-out")
            out.text = visible("\n".join(f"{location(d)}: {d.severity.value} [{d.rule}] {d.message}" for d in rest))
    suite.set("tests", str(len(ordered)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    ET.indent(suite)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"
