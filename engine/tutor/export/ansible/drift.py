"""Drift between the Markdown and an exported tree: the manifest's step hashes against today's."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import TutorError, UsageError
from ...graph import TutorialGraph
from ...runner.plan import build_plan


@dataclass
class DriftReport:
    changes: list[str] = field(default_factory=list)

    @property
    def drifted(self) -> bool:
        return bool(self.changes)


def check_drift(graph: TutorialGraph, exported: Path) -> DriftReport:
    from .project import MANIFEST, manifest

    path = exported / MANIFEST
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        old = saved["tutorials"]
    except (OSError, ValueError, KeyError, TypeError):
        raise UsageError(f"{path} is not a manifest written by `tutor export ansible`",
                         "give the folder an export was written to (-o DIR)") from None
    plans = []
    for tutorial in graph.ordered():
        try:
            plans.append(build_plan(tutorial))
        except TutorError:
            continue
    new = manifest(plans)["tutorials"]
    report = DriftReport()
    for slug in new:
        if slug not in old:
            report.changes.append(f"{slug}: new tutorial, not in the export")
            continue
        before = {s["number"]: s["hash"] for s in old[slug]["steps"]}
        for step in new[slug]["steps"]:
            if step["number"] not in before:
                report.changes.append(f"{slug}: step {step['number']} ({step['title']}) is new")
            elif before[step["number"]] != step["hash"]:
                report.changes.append(f"{slug}: step {step['number']} ({step['title']}) changed")
        for number in sorted(set(before) - {s["number"] for s in new[slug]["steps"]}):
            report.changes.append(f"{slug}: step {number} is gone from the Markdown")
    for slug in old:
        if slug not in new:
            report.changes.append(f"{slug}: exported, but no longer in the tutorials")
    return report
