"""`tutor verify`: is this host still healthy? Re-check what done tutorials set up, running no step.

For each tutorial done on this host (or each one named), in reading order: every step's `verify`
probes, then its `provides` probes, with the values the last run used (`--var`, the environment,
the state's remembered values, the defaults) and what each step had exported by its end. Nothing
is written: not the state, not a log. The outcome is values (`VerifyReport`); `verify_output`
formats them as text, JSON and JUnit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..graph import TutorialGraph
from ..model import Tutorial
from .report import host_name
from .plan import PathChoiceError, RunPlan, build_plan
from .state import TutorialRecord
from .status import Status
from .variables import resolve

if TYPE_CHECKING:
    from ..probes import Probe


@dataclass
class CheckResult:
    """One probe, re-checked."""

    step: int | None
    """The step it belongs to; None for a `provides` probe."""
    line: int
    kind: str
    capability: str | None
    sentence: str
    passed: bool
    found: str
    hint: str
    elapsed: float


@dataclass
class TutorialCheck:
    slug: str
    title: str
    file: str
    status: str
    """The state's status for it ("done", …; "not run" when it has none)."""
    checks: list[CheckResult] = field(default_factory=list)
    step_titles: dict[int, str] = field(default_factory=dict)
    changed: list[int] = field(default_factory=list)
    """Steps whose commands changed since they were done (their checks are still re-checked)."""
    problem: str = ""
    """Why it could not be verified (not done on this host), or ''."""

    @property
    def passed(self) -> bool:
        return not self.problem and all(c.passed for c in self.checks)


@dataclass
class VerifyReport:
    host: str
    state: str
    tutorials: list[TutorialCheck]
    secret_values: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.tutorials)

    @property
    def checks(self) -> list[CheckResult]:
        return [c for t in self.tutorials for c in t.checks]


def chosen_tutorials(graph: TutorialGraph, slugs: tuple[str, ...], records: Mapping[str, TutorialRecord]) -> list[Tutorial]:
    """The named tutorials, else every one done on this host, in reading order. Raises UsageError for an unknown slug."""
    import difflib

    for slug in slugs:
        if slug not in graph.tutorials:
            close = difflib.get_close_matches(slug, list(graph.tutorials), n=1)
            raise UsageError(f"no tutorial `{slug}` in this folder",
                             f"did you mean `{close[0]}`?" if close else "`tutor status PATH` lists the tutorials and what is done")
    wanted = set(slugs)
    ordered = graph.ordered()
    if wanted:
        return [t for t in ordered if t.slug in wanted]
    return [t for t in ordered if t.readable and (r := records.get(t.slug)) is not None and r.status == Status.DONE]


def verify(tutorials: list[Tutorial], records: Mapping[str, TutorialRecord], given: Mapping[str, str],
           environ: Mapping[str, str], *, state: str, wait: bool = False) -> VerifyReport:
    """Re-check each tutorial's step and `provides` probes; `wait` honours each probe's `within`."""
    report = VerifyReport(host_name(), state, [])
    for tutorial in tutorials:
        record = records.get(tutorial.slug)
        entry = TutorialCheck(tutorial.slug, tutorial.title, tutorial.rel_path, record.status if record else "not run")
        report.tutorials.append(entry)
        if record is None or record.status != Status.DONE:
            entry.problem = ("not run on this host" if record is None else f"not done on this host ({record.status})") \
                + f"; `tutor run {tutorial.slug}` sets it up"
            continue
        resolution = resolve(tutorial, given, environ, remembered=record.variables)
        report.secret_values += resolution.secret_values
        plan = _plan(tutorial, record)
        exported: dict[str, str] = {}
        folder: str | None = None  # where the shell was when the step ended: relative paths in checks start there
        for step in plan.steps:
            entry.step_titles[step.number] = step.title
            saved = record.step(step.number)
            if saved is not None:
                exported.update(saved.exports)
                folder = saved.cwd or folder
                if saved.hash != step.hash:
                    entry.changed.append(step.number)
            values = {**exported, **resolution.values}
            for planned in step.probes:
                entry.checks.append(_check(planned.probe, planned.line, step.number, values, resolution.secret_names, wait, folder))
        values = {**exported, **resolution.values}
        for planned in plan.provides:
            entry.checks.append(_check(planned.probe, planned.line, None, values, resolution.secret_names, wait, folder))
    return report


def _plan(tutorial: Tutorial, record: TutorialRecord) -> RunPlan:
    """The plan of the path the host followed: the default one, else the path whose steps are all done."""
    try:
        return build_plan(tutorial)
    except PathChoiceError:
        for path in tutorial.paths:
            plan = build_plan(tutorial, path=path.name)
            if all((s := record.step(p.number)) is not None and s.hash == p.hash for p in plan.steps):
                return plan
        return build_plan(tutorial, path=tutorial.paths[0].name)


def _check(probe: Probe, line: int, step: int | None, values: Mapping[str, str], secrets: set[str], wait: bool,
           folder: str | None) -> CheckResult:
    from ..probes import evaluate

    attempt = probe if wait else dataclasses.replace(probe, within=0.0)
    result = evaluate(attempt, values, secrets=secrets, folder=folder)
    return CheckResult(step, line, probe.kind, probe.id, result.sentence, result.passed, result.found, result.hint,
                       result.elapsed)
