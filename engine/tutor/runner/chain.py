"""`tutor run` from the top: load and lint, pre-flight, then the run itself.

With --with-prerequisites the missing prerequisites run first, in reading order, each
announced; without it the run stops at the first missing one with the list of what to run.
This module decides what runs and in which order; `executor` runs one tutorial.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..graph import TutorialGraph
from ..model import Tutorial
from .display import Display
from .request import Request, load
from ..exit_codes import ExitCode
from .executor import Run, Settings
from .plan import RunPlan, build_plan
from .gate import format_findings, runner_findings
from .links import Links, base_url
from .preflight import (
    check_requires, format_missing, format_unmet, interaction_problems, missing_prerequisites,
)
from .report import RunReport
from .state import StateStore, state_dir
from .variables import SOURCE_PROMPT, MissingVariables, Resolution, require_all, require_passable, resolve, terminal_prompt


def run(request: Request, display: Display, environ: Mapping[str, str] | None = None) -> int:
    env = dict(os.environ if environ is None else environ)
    loaded = load(request, display)
    if isinstance(loaded, int):
        return loaded
    if request.dry_run:
        if request.format == "json":
            from .plan_json import render_plan_json

            display.out.write(render_plan_json(loaded, request, env))
            return ExitCode.OK
        from .plan_text import render_plan

        display.out.write(render_plan(loaded, request, env))
        return ExitCode.OK
    graph, tutorial, store, links = loaded.graph, loaded.tutorial, loaded.store, loaded.links
    records = store.load()
    missing = missing_prerequisites(graph, tutorial.slug, records, request.variables, env)
    if missing and not request.with_prerequisites:
        return _stop_before(request, tutorial, format_missing(tutorial, missing, links), ExitCode.PREFLIGHT, display)
    chain = [build_plan(m.tutorial, request.timeout) for m in missing] + [loaded.plan]
    terminal = sys.stdin.isatty()
    findings = [d for plan in chain for d in runner_findings(plan, _selected(plan, chain, request), terminal=terminal)]
    if findings:
        message = ("tutor: this run would send text to the shell that is not meant to run as written:\n"
                   + format_findings(findings)
                   + "\n  nothing ran; fix or mark the blocks above (see `tutor lint` for the same findings as info)\n")
        return _stop_before(request, tutorial, message, ExitCode.PREFLIGHT, display)
    resolutions = _resolve_all(chain, request, env, terminal)
    problems = _interaction_problems(chain, request, terminal)
    if problems:
        message = ("tutor: this run would wait for a person, and no terminal is attached:\n"
                   + "\n".join(f"  {p}" for p in problems)
                   + "\n  hint: pass --yes to answer confirmations (and --skip-manual to go on without manual blocks), "
                     "or run it in a terminal")
        return _stop_before(request, tutorial, message, ExitCode.USAGE, display)
    log_dir = Path(request.log_dir).expanduser() if request.log_dir else store.directory / "logs"
    reports: list[RunReport] = []
    code: int = ExitCode.OK
    try:
        if missing:
            names = ", ".join(m.tutorial.slug for m in missing)
            display.line(f"Running {len(missing)} missing prerequisite{'s' if len(missing) > 1 else ''} first, "
                         f"in reading order: {names}", "bold")
        for index, plan in enumerate(chain):
            target = plan is loaded.plan
            if not target:
                display.header(f"Prerequisite {index + 1}/{len(missing)}: {plan.tutorial.title} ({plan.tutorial.slug})")
            elif missing:
                display.header(f"Now {tutorial.title} ({tutorial.slug})")
            unmet = check_requires(plan, graph, resolutions[plan.tutorial.slug], store.load(), request.variables, env)
            if unmet:
                message = format_unmet(plan.tutorial, unmet, links)
                display.error(message)
                reports.append(RunReport(plan.tutorial.slug, plan.tutorial.title, plan.tutorial.rel_path,
                                         exit_code=ExitCode.PREFLIGHT, message=message))
                code = ExitCode.PREFLIGHT
                break
            settings = Settings(
                log_dir=log_dir, yes=request.yes, skip_manual=request.skip_manual, strict_output=request.strict_output,
                restart=request.restart and target,
                start=request.start if target else None, only=request.only if target else None,
                until=request.until if target else None, log_limit=int(request.log_limit * 1024 * 1024),
                terminal=terminal,
            )
            report = Run(plan, resolutions[plan.tutorial.slug], store, settings, display, links).execute()
            reports.append(report)
            if report.steps:
                display.summary(report)
            if report.message:
                display.error(report.message)
            code = report.exit_code
            if code != ExitCode.OK:
                break
    finally:
        _write_reports(request, reports, resolutions, code, display)
    return code


def _stop_before(request: Request, tutorial: Tutorial, message: str, code: int, display: Display) -> int:
    """Stop before anything ran: the message, and a JUnit report that says why when one was asked for."""
    display.error(message)
    _write_reports(request, [RunReport(tutorial.slug, tutorial.title, tutorial.rel_path, exit_code=code, message=message)],
                   {}, code, display)
    return code


def _resolve_all(chain: list[RunPlan], request: Request, env: Mapping[str, str], terminal: bool) -> dict[str, Resolution]:
    """Every tutorial's variables before anything runs: asked for up front, or all missing ones listed at once.

    A value typed for one tutorial of the chain serves the others, as a --var would.
    """
    resolutions: dict[str, Resolution] = {}
    missing: list[MissingVariables] = []
    given = dict(request.variables)
    for plan in chain:
        resolution = resolve(plan.tutorial, given, env, prompt=terminal_prompt if terminal else None)
        resolutions[plan.tutorial.slug] = resolution
        given.update({n: v for n, v in resolution.values.items() if resolution.sources.get(n) == SOURCE_PROMPT})
        require_passable(plan.tutorial, resolution)
        try:
            require_all(plan.tutorial, resolution)
        except MissingVariables as exc:
            missing.append(exc)
    if len(missing) == 1:
        raise missing[0]
    if missing:
        raise UsageError("several tutorials of this run need variables that have no value:\n"
                         + "\n".join(f"{m.path}:{m.line}: {m.message}" for m in missing),
                         "pass each with --var NAME=VALUE, or export them in the environment")
    return resolutions


def _selected(plan: RunPlan, chain: list[RunPlan], request: Request) -> set[int]:
    """Step numbers of `plan` this run would run: the selection for the target, all for a prerequisite."""
    steps = plan.select(request.start, request.only, request.until) if plan is chain[-1] else plan.steps
    return {s.number for s in steps}


def _interaction_problems(chain: list[RunPlan], request: Request, terminal: bool) -> list[str]:
    problems: list[str] = []
    for plan in chain:
        problems += interaction_problems(plan, _selected(plan, chain, request), yes=request.yes,
                                         skip_manual=request.skip_manual, terminal=terminal)
    return problems


def _write_reports(request: Request, reports: list[RunReport], resolutions: Mapping[str, Resolution], code: int,
                   display: Display) -> None:
    """The reports asked for: JUnit (--junit) and the JSON run report (--report), secrets masked."""
    from . import junit, run_report_json
    from .redact import Redactor

    redact = Redactor([value for r in resolutions.values() for value in r.secret_values]).redact
    wanted = [("JUnit report", request.junit, lambda path: junit.write(path, reports, redact)),
              ("run report", request.report, lambda path: run_report_json.write(path, reports, code, redact))]
    for name, target, write in wanted:
        if not target:
            continue
        path = Path(target).expanduser()
        try:
            write(path)
        except OSError as exc:
            display.error(f"tutor: cannot write the {name} {path}: {exc.strerror or exc}\n"
                          f"  hint: choose a path in a folder you can write")
