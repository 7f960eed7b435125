"""`tutor run --report FILE.json`: what a run did, as a stable, versioned document.

The format is documented in docs/cli.md ("tutor run --report"), beside `tutor plan --format
json`: additive changes keep `schema_version`; a change that removes or renames a field
raises it. Every text a run produced (messages, output, what a check found) passes through the
run's redactor; the names that give the document its shape (slugs, titles) are the tutorial's.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import __version__
from ..atomic import write_atomically
from .report import ProbeReport, RunReport, StepReport

SCHEMA_VERSION = 1


def report_document(runs: Iterable[RunReport], exit_code: int,
                    redact: Callable[[str], str] = lambda text: text) -> dict[str, Any]:
    def probe(report: ProbeReport) -> dict[str, Any]:
        return {"check": redact(report.sentence), "passed": report.passed, "found": redact(report.found),
                "hint": redact(report.hint), "duration": round(report.elapsed, 3)}

    def step(report: StepReport) -> dict[str, Any]:
        return {"number": report.number, "title": report.title, "outcome": str(report.outcome),
                "duration": round(report.duration, 3), "message": redact(report.message), "output": redact(report.output),
                "warnings": [redact(w) for w in report.warnings], "checks": [probe(p) for p in report.probes]}

    return {
        "schema_version": SCHEMA_VERSION,
        "tool": "tutor",
        "tutor_version": __version__,
        "host": socket.gethostname(),
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "exit_code": int(exit_code),
        "runs": [{
            "tutorial": run.slug, "title": run.title, "file": run.path, "exit_code": int(run.exit_code),
            "duration": round(run.duration, 3), "message": redact(run.message),
            "steps": [step(s) for s in run.steps], "provides": [probe(p) for p in run.provides],
        } for run in runs],
    }


def write(path: Path, runs: Iterable[RunReport], exit_code: int, redact: Callable[[str], str] = lambda text: text) -> None:
    text = json.dumps(report_document(runs, exit_code, redact), indent=2, ensure_ascii=False) + "\n"
    write_atomically(path, text)
