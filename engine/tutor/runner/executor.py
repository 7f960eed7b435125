"""The step loop: run each step's blocks in one persistent shell, check its probes, record it.

Which steps run is decided before anything runs, by `resume.decide` (the rule `tutor plan`
prints). A done tutorial runs nothing: its `provides` checks are re-checked. Otherwise the
shell starts in the folder and with the exports the step before the first one to run ended
with; each skipped done step before the last one to run is gone through as it ended: its
exports and folder put back, its backgrounds restarted, its checks re-checked (one that no
longer passes stops the run: nothing runs again on its own). After each step the shell's
folder and exports are noted in the state. Ctrl-C (or SIGTERM, SIGHUP) interrupts the running
command, stops every background process, records the step as interrupted and ends with 130.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import report as R
from ..exit_codes import ExitCode
from .display import Display
from .expected import compare
from .carry import EnvironmentCarry
from .process_book import ProcessBook
from ..readiness import READY_TIMEOUT
from .fingerprints import Fingerprints
from .plan import PlannedBlock, PlannedStep, RunPlan
from .reboot import PendingReboot
from .links import Links, short_time
from .resume import Decision, ResumePlan, StepDecision, decide, variable_hashes
from .state import ProbeRecord, RunLock, StateStore, StepRecord, TutorialRecord, now
from .status import Status
from .variables import Resolution
from ..textsafe import visible
from .prompt_hint import unanswered_prompt

if TYPE_CHECKING:
    from ..probes import ProbeResult
    from .recorder import RunRecorder
    from .background import BackgroundProcess
    from .block import BlockOutcome
    from .shell import ShellSession


OUTPUT_TAIL = 20
RESTART_WAIT = 30.0
"""Seconds the checks of a done step wait for the backgrounds a resumed run restarted for it."""
"""Lines of a failing block's output repeated with the error (all of them under --quiet)."""



@dataclass
class Settings:
    log_dir: Path
    yes: bool = False
    skip_manual: bool = False
    restart: bool = False
    start: str | None = None
    only: str | None = None
    until: str | None = None
    strict_output: bool = False
    log_limit: int | None = None
    """Bytes of command output the run's transcript and cast keep (None: no limit)."""
    terminal: bool = False
    """A person at a terminal can answer (the reboot question)."""


class StepStop(Exception):
    """The step cannot go on: why, with the exit code of the run and the step's state."""

    def __init__(self, code: int, status: Status, message: str, *, exit_code: int | None = None, output: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message
        self.exit_code = exit_code
        self.output = output


class _BackgroundEnded(Exception):
    """A background process of the step ended with an error while a probe waited for it."""


@dataclass
class Run:
    """One run of one tutorial. `execute()` returns what happened; the state file says it too."""

    plan: RunPlan
    variables: Resolution
    store: StateStore
    settings: Settings
    display: Display
    links: Links
    record: TutorialRecord = field(init=False)
    report: R.RunReport = field(init=False)

    def __post_init__(self) -> None:
        from .redact import Redactor

        tutorial = self.plan.tutorial
        self.redactor = Redactor(self.variables.secret_values)
        # Always: a block may export a secret, and the redactor learns it then.
        self.store.redact = self.redactor  # callable, and its version tells the store when secrets were added
        self.report = R.RunReport(tutorial.slug, tutorial.title, tutorial.rel_path)
        self.interrupt = threading.Event()
        self._in_block = False
        self._stopping = False
        self._session: ShellSession | None = None
        self._recorder: RunRecorder | None = None
        self._backgrounds: list[BackgroundProcess] = []
        self.carry = EnvironmentCarry(self.plan, self.variables, self.redactor)
        self._code: int = ExitCode.FAILED
        self.fingerprints = Fingerprints(None)
        self._started: set[int] = set()
        """Numbers of the steps this run started."""
        self._reboot: PendingReboot | None = None
        self.processes = ProcessBook(self.store.directory, tutorial.slug, self.display.warn)

    @property
    def shell(self) -> ShellSession:
        assert self._session is not None, "the shell starts before the first step"
        return self._session

    @property
    def log(self) -> RunRecorder:
        assert self._recorder is not None, "the recorder starts before the first step"
        return self._recorder

    # --- the run -------------------------------------------------------------------------------

    def execute(self) -> R.RunReport:
        """Raises StateError when another run of this tutorial holds the host's lock."""
        started = time.monotonic()
        lock = RunLock(self.store.directory, self.plan.tutorial.slug)
        lock.acquire()
        handlers = self._trap_signals()
        try:
            stored = self.store.get(self.plan.tutorial.slug)
            previous = None if self.settings.restart else stored
            self.record = self._fresh_record(previous)
            self.carry.assume(previous.variables if previous is not None else {})
            try:
                code = self._execute(stored)
            except BaseException:
                self._never_left_running()
                raise
        finally:
            self._restore_signals(handlers)
            lock.release()
        self.report.exit_code = code
        self.report.duration = time.monotonic() - started
        return self.report

    def _execute(self, previous: TutorialRecord | None) -> int:
        """`previous`: the stored record, even with --restart (whose first step still starts where the
        step before it ended)."""
        settings = self.settings
        try:
            # Before anything else: a killed run's server would still answer step 1's probes.
            self._stop_leftovers()
        except KeyboardInterrupt:
            self.report.message = "tutor: interrupted before any step ran; nothing changed"
            return ExitCode.INTERRUPTED
        self.fingerprints = Fingerprints.open(self.store.directory)
        resume = decide(self.plan, previous, self.variables, self.fingerprints, start=settings.start, only=settings.only,
                        until=settings.until, restart=settings.restart, command=self.links.command(self.plan.tutorial.slug))
        if resume.refusal is not None:
            self.report.message = f"tutor: {resume.refusal}"
            return ExitCode.PREFLIGHT
        for decision in resume.steps:
            if decision.decision is Decision.OUTSIDE:
                self.report.steps.append(R.StepReport(decision.step.number, decision.step.title, Status.NOT_RUN,
                                                      message=decision.reason))
        to_run = [d.step for d in resume.to_run]
        if not to_run:
            return self._finish_all_done(resume)
        self.record.status = Status.RUNNING
        self.record.started = now()
        self.record.ended = None
        self.store.save(self.record)
        code: int = ExitCode.OK
        from ..errors import TutorError
        from .recorder import RunRecorder
        from .shell import ShellError

        first, last = self.plan.steps.index(to_run[0]), self.plan.steps.index(to_run[-1])
        try:
            self._recorder = RunRecorder(self.settings.log_dir, self.plan.tutorial.slug, self.redactor,
                                         limit=self.settings.log_limit)
            self.log.event("run", slug=self.plan.tutorial.slug, title=self.plan.tutorial.title,
                           steps=[s.number for s in to_run], variables={n: self.variables.shown(n) for n in self.variables.values})
            for entry, count in self.processes.leftovers:
                self.log.event("leftover", what=entry.kind, name=entry.name, pid=entry.pid, processes=count,
                               reason="left running by an earlier run that was killed")
            self._start_shell(resume.restore)
            refusal = self._authorise_sudo(to_run)
            if refusal is not None:
                self.report.message, code = refusal, ExitCode.PREFLIGHT
            for index, decision in enumerate(resume.steps if refusal is None else []):
                if decision.decision is Decision.OUTSIDE:
                    continue
                if decision.decision is Decision.DONE:
                    if index > last:
                        if not self._skip(decision):
                            code = self._code
                            break
                        continue
                    before = resume.steps[index - 1].saved if index > 0 else None
                    if not self._replay(decision, before, put_back=index > first):
                        code = self._code
                        break
                    continue
                if decision.saved is not None and decision.saved.status == Status.DONE:
                    self.display.note(f"{decision.step.header}: {decision.reason}; it runs again")
                step_report = self._run_step(decision.step, last=decision.step is to_run[-1])
                self.report.steps.append(step_report)
                if step_report.outcome != Status.DONE:
                    code = self._code
                    break
                if self._reboot is not None:
                    code = ExitCode.REBOOT
                    break
            if code == ExitCode.OK and self._all_steps_done():
                # What it provides holds once every step is done (not after --until), and is checked
                # while the backgrounds that are not kept still run: they are stopped just below.
                code = self._check_provides()
        except KeyboardInterrupt:
            code = ExitCode.INTERRUPTED
        except ShellError as exc:
            code = ExitCode.FAILED
            self.report.message = f"tutor: {exc}\n  hint: `tutor doctor` checks what the runner needs on this host"
        except TutorError as exc:  # the logs or the state cannot be written (a full disk, a read-only folder)
            code = ExitCode.FAILED
            self.report.message = f"tutor: the run stopped: {exc}"
        finally:
            self._stopping = True
            self._shutdown(interrupted=code == ExitCode.INTERRUPTED)
        reported = {s.number for s in self.report.steps}
        for decision in resume.steps:
            if decision.step.number not in reported:
                self.report.steps.append(R.StepReport(decision.step.number, decision.step.title, Status.NOT_RUN,
                                                      message="after the reboot" if code == ExitCode.REBOOT else "not reached" if code else "outside the selected steps"))
        self.report.steps.sort(key=lambda s: s.number)
        code = self._close_record(code)
        if self._recorder is not None:
            from .recorder import LogWriteError

            try:
                if self.report.message:
                    self.log.note(self.report.message)
                self.log.event("end", exit_code=code)
                self.log.close()
            except LogWriteError as exc:
                self.display.warn(f"the end of this run is missing from its logs: {exc}")
            if not self.log.failed:
                self._say_where_logs_are()
        if code == ExitCode.REBOOT:
            code = self._reboot_host()
        return code

    def _fresh_record(self, previous: TutorialRecord | None) -> TutorialRecord:
        tutorial = self.plan.tutorial
        record = TutorialRecord(slug=tutorial.slug, title=tutorial.title, path=str(tutorial.path))
        if previous is not None:
            record.steps = [s for s in previous.steps if any(p.number == s.number for p in self.plan.steps)]
            record.provides = previous.provides
            record.started, record.ended, record.status = previous.started, previous.ended, previous.status
        record.variables = self.variables.public_values()
        return record

    # --- steps that do not run ------------------------------------------------------------------

    def _skip(self, decision: StepDecision) -> bool:
        """A done step after the last one that runs: nothing of it happens, except the checks of a
        step that ended with a reboot, which are made now. False (the run stops) when one fails."""
        step, saved = decision.step, decision.saved
        if saved is not None and saved.checks_after_reboot and step.probes:
            return self._check_after_reboot(decision)
        self.display.note(f"{step.header}: {decision.reason}")
        self.report.steps.append(R.StepReport(step.number, step.title, Status.ALREADY_DONE, message=decision.reason))
        return True

    def _check_after_reboot(self, decision: StepDecision) -> bool:
        """The checks of a done step whose `reboot` block ran last time: passed, the step is done
        for good; failed, it stays waiting for them (exit 4) and nothing runs again on its own."""
        step, saved = decision.step, decision.saved
        assert saved is not None
        self.display.note(f"{step.header}: {decision.reason}")
        try:
            results = self._check_probes(step, extra=saved.exports)
        except StepStop as stop:
            self._code, self.report.message = stop.code, stop.message
            self.report.steps.append(R.StepReport(step.number, step.title, Status.FAILED, message=stop.message))
            return False
        saved.probes = [_probe_record(r) for r in results]
        probes = [_probe_report(r) for r in results]
        failed = [r for r in results if not r.passed]
        if failed:
            hint = f"\n  hint: {failed[0].hint}" if failed[0].hint else ""
            self._code = ExitCode.VERIFY
            self.report.message = (
                f"tutor: step {step.number}/{step.total} ({step.title}) ended with a reboot, and after it a check fails: "
                f"{failed[0].sentence} (found: {failed[0].found}){hint}\n"
                f"  nothing runs again on its own; fix it and run `{self.links.command(self.plan.tutorial.slug)}` again "
                f"(its checks are made again), or run the step again with --from {step.number}")
            self.record.put_step(saved)
            self.report.steps.append(R.StepReport(step.number, step.title, Status.FAILED, message=self.report.message,
                                                  probes=probes))
            return False
        saved.checks_after_reboot = False
        self.record.put_step(saved)
        self.store.save(self.record)
        self.report.steps.append(R.StepReport(step.number, step.title, Status.ALREADY_DONE, message=decision.reason,
                                              probes=probes))
        return True

    def _replay(self, decision: StepDecision, before: StepRecord | None, *, put_back: bool) -> bool:
        """Go through a done step that a later step of this run follows: with `put_back`, its
        exports and folder as it ended (what it changed since `before`, the step before it);
        its backgrounds restarted; its checks re-checked. False (the run stops) when one fails."""
        step, saved = decision.step, decision.saved
        assert saved is not None
        if put_back:
            earlier = before.exports if before is not None else {}
            changed = {n: v for n, v in saved.exports.items() if earlier.get(n) != v}
            self.shell.export(changed)
            self.carry.replay(changed)
            if saved.cwd and (before is None or before.cwd != saved.cwd) and os.path.isdir(saved.cwd):
                self.shell.chdir(saved.cwd)
        try:
            started = self._restart_backgrounds(step, saved)
            try:
                # The blocks that waited for them do not run again: the checks wait instead.
                results = self._check_probes(step, quiet=True, extra=saved.exports, watch=started,
                                             at_least=RESTART_WAIT if started else 0.0)
            except _BackgroundEnded:
                results = []
            self._check_backgrounds(step, started)
        except StepStop as stop:
            self._code, self.report.message = stop.code, stop.message
            self.report.steps.append(R.StepReport(step.number, step.title, Status.FAILED, message=stop.message))
            return False
        failed = [r for r in results if not r.passed]
        if failed:
            self._code = ExitCode.VERIFY
            self.report.message = (
                f"tutor: step {step.number}/{step.total} ({step.title}) is done on this host, but a check no longer passes: "
                f"{failed[0].sentence} (found: {failed[0].found})\n"
                f"  nothing runs again on its own; fix it, or run the step again with "
                f"`{self.links.command(self.plan.tutorial.slug)} --from {step.number}`")
            self.report.steps.append(R.StepReport(step.number, step.title, Status.FAILED, message=self.report.message,
                                                  probes=[_probe_report(r) for r in results]))
            return False
        if saved.checks_after_reboot:  # they were made after the reboot, and passed
            saved.checks_after_reboot = False
            self.record.put_step(saved)
        checks = f"; {len(results)} check{'s still pass' if len(results) != 1 else ' still passes'}" if results else ""
        self.display.note(f"{step.header}: {decision.reason}{checks}")
        self.report.steps.append(R.StepReport(step.number, step.title, Status.ALREADY_DONE, message=decision.reason,
                                              probes=[_probe_report(r) for r in results]))
        return True

    def _restart_backgrounds(self, step: PlannedStep, saved: StepRecord) -> list[BackgroundProcess]:
        """Start a done step's background blocks again, in the folder the step ended in (or their
        cwd=), for the later steps of this run; a `keep` one still running is left as it is."""
        started: list[BackgroundProcess] = []
        for block in step.blocks:
            if not (block.background and block.runs and not block.manual):
                continue
            if block.keep and self.processes.kept_running(block.name):
                self.display.note(f"still running (keep): {block.name}")
                continue
            where = f"{self.plan.tutorial.rel_path}:{block.line}"
            cwd = self._cwd(block, where, step)
            folder = os.path.join(saved.cwd, cwd) if saved.cwd and cwd else (cwd or saved.cwd)
            self.display.note(f"{step.header} is done; restarting its background block {block.name} for the steps after it")
            self._start_background(step, block, folder, where)
            started.append(self._backgrounds[-1])
        return started

    def _finish_all_done(self, resume: ResumePlan) -> int:
        """Nothing to run: the done steps are listed, and what the tutorial provides is re-checked."""
        for decision in resume.steps:
            if decision.decision is Decision.DONE and not self._skip(decision):
                return self._close_record(self._code)
        code = self._check_provides(again=True)
        if code == ExitCode.OK:
            checks = len(self.report.provides)
            held = f"; {checks} provides check{'s' if checks != 1 else ''} still pass{'es' if checks == 1 else ''}" if checks else ""
            self.display.ok(f"{self.plan.tutorial.title}: every selected step is done on this host{held}; nothing ran. "
                            f"Run with --restart (or --from STEP) to run it again.")
        return self._close_record(code)

    # --- one step ------------------------------------------------------------------------------

    def _run_step(self, step: PlannedStep, last: bool = True) -> R.StepReport:
        from ..errors import TutorError
        from .shell import ShellError

        began = time.monotonic()
        self._started.add(step.number)
        saved = StepRecord(step.number, step.title, Status.RUNNING, step.hash, started=now(),
                           variable_hashes=variable_hashes(step, self.variables, self.fingerprints))
        self.record.put_step(saved)
        self.store.save(self.record)
        self._note_processes()  # the shell may have been restarted during the last step
        self.display.header(step.header)
        self.log.note(f"\n{step.header}")
        self.log.event("step", number=step.number, title=step.title, status=Status.RUNNING)
        step_report = R.StepReport(step.number, step.title, Status.RUNNING)
        started_before = len(self._backgrounds)
        try:
            for block in step.blocks:
                self._run_block(step, block, step_report)
            self._snapshot(step, saved)
            if self._reboot is not None:
                return self._done_before_reboot(step, saved, step_report, began)
            started = self._backgrounds[started_before:]
            try:
                results = self._check_probes(step, watch=started)
            except _BackgroundEnded:
                results = []
            step_report.probes = [_probe_report(r) for r in results]
            saved.probes = [_probe_record(r) for r in results]
            self._check_backgrounds(step, started)
            failed = [r for r in results if not r.passed]
            if failed:
                raise StepStop(ExitCode.VERIFY, Status.FAILED, self._verify_message(step, failed))
        except StepStop as stop:
            self._code = stop.code
            self.report.message = stop.message
            # A step that stopped is written at once; one that passed and is followed by another
            # is written with that one's "running": one atomic write per step boundary.
            self._record_outcome(saved, step_report, began, stop.status, exit_code=stop.exit_code,
                                 message=stop.message, output=stop.output)
            return step_report
        except (TutorError, ShellError) as exc:
            # The logs or the state cannot be written, or the shell is gone: the step failed, and
            # only the record in memory is updated here (writing is what may be broken).
            saved.status, saved.reason, saved.ended = Status.FAILED, str(exc), now()
            self.record.put_step(saved)
            step_report.outcome, step_report.message = Status.FAILED, str(exc)
            step_report.duration = time.monotonic() - began
            self.report.steps.append(step_report)
            raise
        except KeyboardInterrupt:
            self._stopping = True  # a second Ctrl-C must not cut the recording of the first short
            self.report.steps.append(step_report)
            self._record_outcome(saved, step_report, began, Status.INTERRUPTED,
                                 message="interrupted (Ctrl-C or a stop signal)")
            self.report.message = (f"tutor: interrupted during step {step.number}/{step.total} ({step.title}); "
                                   f"its processes and the background ones were stopped.\n"
                                   f"  Run `{self.links.command(self.plan.tutorial.slug)}` to continue from step {step.number}.")
            raise
        self._record_outcome(saved, step_report, began, Status.DONE, exit_code=0, write=last)
        count = len(step_report.probes)
        self.display.ok(f"Step {step.number}/{step.total} done" + (f" ({count} check{'s' if count > 1 else ''} passed)" if count else ""))
        return step_report

    def _record_outcome(self, saved: StepRecord, step_report: R.StepReport, began: float, status: Status, *,
                        exit_code: int | None = None, message: str = "", output: str = "", write: bool = True) -> None:
        """The one place a step's outcome is written: the state entry, the run's report and the events log."""
        saved.status, saved.exit_code, saved.reason = status, exit_code, message
        saved.ended = now()
        saved.warnings = step_report.warnings
        step_report.outcome, step_report.message, step_report.output = status, message, output
        step_report.duration = time.monotonic() - began
        self.record.put_step(saved)
        if write:
            self.store.save(self.record)
        self.log.event("step", number=saved.number, title=saved.title, status=saved.status,
                       exit_code=saved.exit_code, reason=saved.reason, duration=round(step_report.duration, 3))

    # --- one block -----------------------------------------------------------------------------

    def _run_block(self, step: PlannedStep, block: PlannedBlock, step_report: R.StepReport) -> None:
        where = f"{self.plan.tutorial.rel_path}:{block.line}"
        if not block.runs:
            self.display.note(f"(shown in the tutorial, not run: {where})")
            return
        if block.manual or self.plan.on_another_machine(step, block):
            self._manual(step, block, where, step_report)
            return
        cwd = self._cwd(block, where, step)
        if block.guarded and self._guarded(step, block, cwd, where):
            return
        self._echo(block)
        if block.confirm and not self.settings.yes:
            if not self.display.ask("Run this?"):
                raise StepStop(ExitCode.FAILED, Status.SKIPPED,
                               f"tutor: stopped at step {step.number}/{step.total}: you chose not to run the block at {where}.\n"
                               f"  Run `{self.links.command(self.plan.tutorial.slug)}` to be asked again, or pass --yes.")
        if block.background:
            self._start_background(step, block, cwd, where)
            return
        self.log.event("block", step=step.number, block=block.name, line=block.line)
        self._in_block = True
        try:
            if self.interrupt.is_set():
                raise KeyboardInterrupt
            prompts = [(expect, self._expand(send, "send", where, step)) for expect, send in block.prompts]
            with self.display.running(self._running_label(block, where), self._now_running):
                outcome = self.shell.run(block.code, timeout=block.timeout, prompts=prompts, cwd=cwd,
                                            interrupt=self.interrupt)
        finally:
            self._in_block = False
        self.log.event("block-end", step=step.number, block=block.name, exit_code=outcome.exit_code,
                             timed_out=outcome.timed_out, duration=round(outcome.duration, 3))
        if outcome.interrupted or self.interrupt.is_set():
            raise KeyboardInterrupt
        self.carry.after_block(block.code, self.shell)  # a secret it exported is masked from the next block on
        problem = self._block_problem(block, outcome, where)
        if problem is not None:
            raise StepStop(ExitCode.FAILED, Status.FAILED, self._failure_message(step, problem, outcome.output),
                           exit_code=outcome.exit_code, output=_tail(outcome.output, OUTPUT_TAIL))
        if outcome.timed_out and block.follows:
            self._warn(step, block, step_report, f"followed the output of the block at {where} for {block.timeout:g} s, "
                                                 f"then stopped it (set timeout= on the block to choose how long)")
        for expect in outcome.unused_prompts:
            self._warn(step, block, step_report, f"the prompt {expect!r} that the block at {where} expects never appeared")
        if outcome.shell_restarted:
            self._warn(step, block, step_report, f"the shell had to be restarted after the block at {where}; "
                                                 f"variables it set that were not exported are gone")
        if block.expected is not None:
            self._compare_output(step, block, outcome.output, where, step_report)
        if block.reboot:
            self._reboot = PendingReboot(step.number, step.total, step.title, where)

    def _running_label(self, block: PlannedBlock, where: str) -> str:
        """What the status line says while the shell runs only builtins: the block's one line, or where
        a longer block is (its first line would name a command that may be long done)."""
        lines = [line for line in block.code.strip().split("\n") if line.strip()]
        return self.redactor.redact(lines[0].strip()) if len(lines) == 1 else f"running the block at {where}"

    def _now_running(self) -> str | None:
        """The command the shell runs now (the status line's thread asks every quarter second)."""
        session = self._session
        command = session.running_command() if session is not None else None
        return self.redactor.redact(command) if command else None

    def _warn(self, step: PlannedStep, block: PlannedBlock, step_report: R.StepReport, text: str) -> None:
        self.display.warn(text)
        self.log.note(f"! {text}")
        step_report.warnings.append(text)
        self.log.event("warning", step=step.number, block=block.name, message=text)

    def _echo(self, block: PlannedBlock) -> None:
        code = self.redactor.redact(block.code)
        self.display.command(code)
        if self._recorder is not None:
            self.log.note("".join(("$ " if i == 0 else "> ") + line + "\n"
                                  for i, line in enumerate(code.rstrip("\n").split("\n"))))

    def _block_problem(self, block: PlannedBlock, outcome: BlockOutcome, where: str) -> str | None:
        if outcome.timed_out and block.follows:
            return None  # a follower is stopped after its time by design
        if outcome.timed_out:
            return f"the block at {where} did not finish within {block.timeout:g} s; its processes were stopped"
        if outcome.unexpected_prompt:
            return unanswered_prompt(where, outcome.unexpected_prompt)
        if outcome.exit_code:
            if outcome.failed_line:
                lines = block.block.script_lines()
                known = 0 < outcome.failed_line <= len(lines)
                text = lines[outcome.failed_line - 1][1].strip() if known else ""
                line = lines[outcome.failed_line - 1][0] if known else block.block.code_line
                shown = f"`{self.redactor.redact(text)}`" if text else "the command"
                return f"{self.plan.tutorial.rel_path}:{line}: {shown} exited with status {outcome.exit_code}"
            return f"the block at {where} exited with status {outcome.exit_code}"
        return None

    def _failure_message(self, step: PlannedStep, problem: str, output: str) -> str:
        lines = [f"tutor: step {step.number}/{step.total} ({step.title}) failed: {problem}"]
        if self.display.quiet and output.strip():
            lines.append("  last output:")
            lines += [f"    {line}" for line in _tail(output, OUTPUT_TAIL).split("\n")]
        lines.append(f"  Fix the problem, then run `{self.links.command(self.plan.tutorial.slug)}` to continue from step {step.number}.")
        return "\n".join(lines)

    def _manual(self, step: PlannedStep, block: PlannedBlock, where: str, step_report: R.StepReport) -> None:
        """A block for a person: done by hand (`manual`), or on the operator's own machine (`scope=local`)."""
        elsewhere = not block.manual
        what = "block for your own machine (scope=local)" if elsewhere else "manual block"
        if self.settings.skip_manual:
            self._warn(step, block, step_report, f"skipped the {what} at {where}, as --skip-manual asks")
            return
        if self.settings.yes:
            task = "to run on your own machine, not on this host" if elsewhere else "to do by hand"
            raise StepStop(ExitCode.FAILED, Status.FAILED,
                           f"tutor: step {step.number}/{step.total} ({step.title}) has a block {task} ({where}), "
                           f"and --yes does not wait for a person.\n"
                           f"  Run `{self.links.command(self.plan.tutorial.slug)}` in a terminal without --yes (it shows the block "
                           f"and waits while you do it), or pass --skip-manual to go on without it.")
        heading = "On your own machine, not this host (scope=local), run:" if elsewhere else "Do this by hand:"
        self.display.line(heading, "bold yellow")
        self.display.command(self.redactor.redact(block.code))
        self.display.wait_for_enter("Press Enter when it is done (Ctrl-C to stop) ")

    def _guarded(self, step: PlannedStep, block: PlannedBlock, cwd: str | None, where: str) -> bool:
        """Whether a guard (`creates=`, `removes=`, `unless=`) skips the block; says so when it does."""
        from .guards import guard_skip

        folder = cwd or self.shell.cwd or os.getcwd()
        environment = {**os.environ, **self.carry.probe_values()}
        with self.display.running(f"checking the guard of the block at {where}"):
            skip = guard_skip(block.options, folder, environment, lambda text, name: self._expand(text, name, where, step))
        if skip is None:
            return False
        self.display.note(f"skipped the block at {where}: {self.redactor.redact(skip.reason)}")
        self.log.note(f"(skipped the block at {where}: {self.redactor.redact(skip.reason)})")
        self.log.event("block-skipped", step=step.number, block=block.name, line=block.line, reason=skip.reason)
        return True

    # --- reboot --------------------------------------------------------------------------------

    def _done_before_reboot(self, step: PlannedStep, saved: StepRecord, step_report: R.StepReport, began: float) -> R.StepReport:
        """The step is recorded done before the host goes down; its checks run at the next run's resume."""
        step_report.warnings.append("its checks run after the reboot, when `tutor run` is run again")
        saved.checks_after_reboot = bool(step.probes)
        self._record_outcome(saved, step_report, began, Status.DONE, exit_code=0)
        self.display.ok(f"Step {step.number}/{step.total} done; the host must reboot before the tutorial goes on"
                        + (f" (its {len(step.probes)} check{'s' if len(step.probes) > 1 else ''} run after the reboot)" if step.probes else ""))
        return step_report

    def _reboot_host(self) -> int:
        """After the logs are closed: reboot (--yes, or the operator agrees), else say how to go on."""
        from .reboot import reboot_command, run_reboot
        import shlex

        pending = self._reboot
        assert pending is not None
        command = reboot_command(os.environ)
        shown = shlex.join(command)
        again = self.links.command(self.plan.tutorial.slug)
        after = f"step {pending.step_number + 1}" if pending.step_number < pending.step_total else "its final checks"
        intro = f"tutor: step {pending.step_number}/{pending.step_total} ({pending.step_title}) is done and asks for a reboot ({pending.where})."
        agreed = self.settings.yes or (self.settings.terminal and self.display.ask(f"Reboot this host now (`{shown}`)?"))
        if not agreed:
            self.report.message = f"{intro}\n  Reboot the host (`{shown}`), then run `{again}` to continue from {after}."
            return ExitCode.REBOOT
        self.display.note(f"rebooting: {shown}")
        problem = run_reboot(command)
        if problem is not None:
            self.report.message = (f"{intro}\n  tutor could not reboot the host: {problem}\n"
                                   f"  Reboot it yourself, then run `{again}` to continue from {after}.")
            return ExitCode.FAILED
        self.report.message = f"{intro}\n  The host is rebooting; when it is back, run `{again}` to continue from {after}."
        return ExitCode.REBOOT

    def _cwd(self, block: PlannedBlock, where: str, step: PlannedStep) -> str | None:
        if block.cwd is None:
            return None
        return os.path.expanduser(self._expand(block.cwd, "cwd", where, step))

    def _expand(self, text: str, attribute: str, where: str, step: PlannedStep) -> str:
        """`${VAR}` in a block attribute (`cwd`, `send`), by the probes' rule: the variables, then what
        the shell exports, then the runner's environment; the value is used as is, never re-parsed."""
        if "$" not in text:
            return text
        from ..probes.variables import MissingVariable, expand

        values = {**os.environ, **self.carry.probe_values()}
        try:
            return expand(text, values.get)
        except MissingVariable as missing:
            shown = text if attribute != "send" else self.redactor.redact(text)
            raise StepStop(ExitCode.FAILED, Status.FAILED,
                           f"tutor: step {step.number}/{step.total}: {attribute}={shown!r} at {where} uses {missing.name}, which has no value\n"
                           f"  hint: declare {missing.name} under `variables`, or pass --var {missing.name}=…") from None

    def _start_background(self, step: PlannedStep, block: PlannedBlock, cwd: str | None, where: str) -> None:
        log_path = self.log.transcript_path.with_suffix(f".{block.name}.log")
        try:
            process = self.shell.start_background(block.code, block.name, cwd=cwd, log_path=log_path, keep=block.keep)
        except (OSError, RuntimeError, ValueError) as exc:
            raise StepStop(ExitCode.FAILED, Status.FAILED,
                           f"tutor: step {step.number}/{step.total}: cannot start the background block at {where}: {exc}") from None
        self._backgrounds.append(process)
        self._note_processes()
        self.display.note(f"started in the background: {block.name} (pid {process.pid}); its output goes to {process.log_path}")
        self.log.event("background", step=step.number, block=block.name, pid=process.pid, log=str(process.log_path))
        if block.block.options.ready:
            self._wait_ready(step, block, process)

    def _wait_ready(self, step: PlannedStep, block: PlannedBlock, process: BackgroundProcess) -> None:
        """The next block waits for the background's readiness; if it never comes, the step fails with its log."""
        from .wait_ready import wait_until_ready

        with self.display.running(f"waiting for {block.name} to be ready"):
            readiness = wait_until_ready(process, block.block.options.ready, block.timeout,
                                         self.carry.probe_values(), self.variables.secret_names)
        for result in readiness.results:
            self.log.event("ready", step=step.number, block=block.name, sentence=result.sentence, passed=result.passed,
                           found=result.found, attempts=result.attempts, elapsed=round(result.elapsed, 3))
        if readiness.ready:
            sentences = "; ".join(r.sentence for r in readiness.results)
            self.display.ok(f"{block.name} is ready ({readiness.waited:.1f} s): {sentences}")
            return
        failed = readiness.failed
        if readiness.ended:
            process.wait(timeout=2.0)  # its log is complete once the pump has read to the end
            status = process.exit_code
            why = f"ended (exit status {status}) before it was ready" if status is not None else "ended before it was ready"
        else:
            assert failed is not None
            why = f"was not ready within {block.timeout or READY_TIMEOUT:g} s: {failed.sentence} (found: {failed.found})"
        tail = process.log_tail(OUTPUT_TAIL)
        raise StepStop(ExitCode.FAILED, Status.FAILED,
                       f"tutor: step {step.number}/{step.total} ({step.title}) failed: the background block "
                       f"`{block.name}` {why}"
                       + ("\n  the end of its log:\n" + "\n".join(f"    {line}" for line in tail.split("\n"))
                          if tail.strip() else "\n  its log is empty")
                       + f"\n  its log: {process.log_path}"
                       + (f"\n  hint: {failed.hint}" if failed is not None and failed.hint else "")
                       + ("\n  Fix the problem" + ("" if readiness.ended else " (or give it more time: timeout=N on the block)")
                          + f", then run `{self.links.command(self.plan.tutorial.slug)}` to continue from step {step.number}."),
                       exit_code=process.exit_code, output=tail)

    def _check_backgrounds(self, step: PlannedStep, started: list[BackgroundProcess]) -> None:
        """A background block that already ended with an error fails its step, with the end of its log."""
        for process in started:
            if process.is_running() or not process.exit_code:
                continue
            tail = process.log_tail(OUTPUT_TAIL)
            raise StepStop(ExitCode.FAILED, Status.FAILED,
                           f"tutor: step {step.number}/{step.total} ({step.title}) failed: the background block "
                           f"`{process.name}` exited with status {process.exit_code}"
                           + (":\n" + "\n".join(f"    {line}" for line in tail.split("\n")) if tail.strip() else "")
                           + f"\n  its log: {process.log_path}"
                           + f"\n  Fix the problem, then run `{self.links.command(self.plan.tutorial.slug)}` to continue from step {step.number}.",
                           exit_code=process.exit_code, output=tail)

    def _compare_output(self, step: PlannedStep, block: PlannedBlock, output: str, where: str, step_report: R.StepReport) -> None:
        mismatch = compare(block.expected or "", output, block.match)
        if mismatch is None:
            return
        text = f"the output of the block at {where} does not match its expected output ({mismatch.mode}): {mismatch.message}"
        if self.settings.strict_output:
            raise StepStop(ExitCode.VERIFY, Status.FAILED,
                           f"tutor: step {step.number}/{step.total} ({step.title}): {text}\n"
                           f"  hint: without --strict-output this is a warning; fix the tutorial's expected output or its `match=` mode",
                           exit_code=0, output=_tail(output, OUTPUT_TAIL))
        self._warn(step, block, step_report, text)

    # --- probes --------------------------------------------------------------------------------

    def _check_probes(self, step: PlannedStep, quiet: bool = False, extra: Mapping[str, str] | None = None,
                      watch: list[BackgroundProcess] | None = None, at_least: float = 0.0) -> list[ProbeResult]:
        """Evaluate the step's verify probes; `extra` values (a done step's exports) come first.

        While a probe waits (`within`), a background process of `watch` that ends with an error
        stops the wait: what the probe waits for will not come. `at_least` is the shortest retry
        window each probe gets (for a step whose backgrounds were just restarted).
        """
        import dataclasses

        from ..probes import describe, evaluate

        def sleep(seconds: float) -> None:
            time.sleep(seconds)
            if any(not p.is_running() and p.exit_code for p in watch or ()):
                raise _BackgroundEnded

        results: list[ProbeResult] = []
        values = {**(extra or {}), **self.carry.probe_values()}
        folder = self._check_folder()  # checks run no command in the shell: its folder stays as the step left it
        for planned in step.probes:
            sentence = describe(planned.probe, values, self.variables.secret_names)
            probe = planned.probe
            if probe.within < at_least:
                probe = dataclasses.replace(probe, within=at_least)
            with self.display.running(f"checking: {sentence}"):
                result = evaluate(probe, values, secrets=self.variables.secret_names, sleep=sleep, folder=folder)
            if result.invalid:
                raise StepStop(ExitCode.FAILED, Status.FAILED, self._invalid_check(planned.line, result))
            results.append(result)
            if self._recorder is not None:
                self.log.event("probe", step=step.number, sentence=result.sentence, passed=result.passed,
                               found=result.found, attempts=result.attempts, elapsed=round(result.elapsed, 3))
            if not quiet:
                line = f"✓ {result.sentence}" if result.passed else f"✗ {result.sentence} (found: {result.found})"
                (self.display.ok if result.passed else self.display.fail)(line[2:])
                if self._recorder is not None:  # a run with no step to run keeps no log
                    self.log.note(line)
        return results

    def _check_folder(self) -> str | None:
        """Where a check's relative path is taken from: the shell's folder, else (nothing ran in this
        run) the folder the last done step left the shell in (see `probes.folders`)."""
        if self._session is not None and (cwd := self._session.cwd):
            return cwd
        done = [s for s in self.record.steps if s.status == Status.DONE and s.cwd]
        return max(done, key=lambda s: s.number).cwd if done else None

    def _invalid_check(self, line: int, result: ProbeResult) -> str:
        """A check whose `${VAR}` in a number, flag or duration field gave a value it does not take."""
        return (f"tutor: {self.plan.tutorial.rel_path}:{line}: the check \"{result.sentence}\" cannot be made: {result.found}"
                + (f"\n  hint: {result.hint}" if result.hint else "")
                + "\n  Give the variable a value the field takes (--var NAME=…), or write the value in the check.")

    def _verify_message(self, step: PlannedStep, failed: list[ProbeResult]) -> str:
        noun = "a check" if len(failed) == 1 else f"{len(failed)} checks"
        lines = [f"tutor: step {step.number}/{step.total} ({step.title}) ran, but {noun} failed:"]
        for result in failed:
            lines.append(f"  ✗ {result.sentence}")
            lines.append(f"    found: {result.found}")
            if result.hint:
                lines.append(f"    hint:  {result.hint}")
        lines.append(f"  Fix it, then run `{self.links.command(self.plan.tutorial.slug)}` to continue from step {step.number}.")
        return "\n".join(lines)

    def _check_provides(self, again: bool = False) -> int:
        if not self.plan.provides:
            return ExitCode.OK
        from ..probes import evaluate

        values = self.carry.probe_values()
        folder = self._check_folder()
        results = [evaluate(p.probe, values, secrets=self.variables.secret_names, folder=folder) for p in self.plan.provides]
        self.record.provides = [_probe_record(r) for r in results]
        self.report.provides = [_probe_report(r) for r in results]
        invalid = next(((p, r) for p, r in zip(self.plan.provides, results) if r.invalid), None)
        if invalid is not None:
            self.report.message = self._invalid_check(invalid[0].line, invalid[1])
            return ExitCode.FAILED
        failed = [r for r in results if not r.passed]
        if not failed:
            return ExitCode.OK
        done = "is done on this host" if again else "ran"
        lines = [f"tutor: every step of `{self.plan.tutorial.slug}` {done}, but what it provides does not hold:"]
        for result in failed:
            lines += [f"  ✗ {result.sentence}", f"    found: {result.found}"] + ([f"    hint:  {result.hint}"] if result.hint else [])
        if again:
            lines.append(f"  nothing ran again on its own; fix it, or run it again with "
                         f"`{self.links.command(self.plan.tutorial.slug)} --restart` (or --from STEP)")
        self.report.message = "\n".join(lines)
        return ExitCode.VERIFY

    # --- shell ---------------------------------------------------------------------------------

    def _start_shell(self, restore_from: StepRecord | None) -> None:
        from .shell import ShellSession

        env = dict(os.environ)
        env.update(self.variables.values)
        cwd = None
        if restore_from is not None:
            env.update(restore_from.exports)
            cwd = restore_from.cwd
            self.display.note(f"continuing in {cwd}, where step {restore_from.number} left the shell"
                              + (f", with the {len(restore_from.exports)} variables it exported" if restore_from.exports else ""))
            lost = [n for n in restore_from.withheld if n not in env]
            if lost:
                self.display.warn(f"not carried over from the last run (secrets are never saved): {', '.join(lost)}; "
                                  f"export {'it' if len(lost) == 1 else 'them'} before running if later steps need "
                                  f"{'it' if len(lost) == 1 else 'them'}")
        from .passthrough import OperatorTerminal

        operator = OperatorTerminal.attach() if self.settings.terminal else None
        self._session = ShellSession(env=env, cwd=cwd, redactor=self.redactor, on_output=self._on_output,
                                     operator=operator, on_waiting=self._on_waiting)
        self.carry.start(restore_from.exports if restore_from is not None else {}, self.shell.env,
                         restore_from.withheld if restore_from is not None else None)
        self.shell.start()
        self._note_processes()

    def _authorise_sudo(self, steps: list[PlannedStep]) -> str | None:
        from .sudo_first import authorise_sudo, sudo_steps

        return authorise_sudo(self.shell, self.display, sudo_steps(self.plan, steps),
                              terminal=self.shell.operator is not None)

    def _on_waiting(self, prompt: str | None) -> None:
        """The running block takes the operator's input: the terminal is theirs (no spinner over it)."""
        self.display.hand_over()
        if prompt is not None:
            self.display.note(f"waiting for your input: {visible(prompt, keep_lines=False)}")
            if self._recorder is not None:
                self.log.event("waiting-for-input", prompt=prompt)

    def _on_output(self, text: str) -> None:
        self.display.output(text)
        if self._recorder is not None:
            self.log.output(text)

    def _snapshot(self, step: PlannedStep, saved: StepRecord) -> None:
        """Note the shell's folder (from /proc, free) and what its exports carry on after a step."""
        saved.cwd = self.shell.cwd
        saved.exports = self.carry.after_step(step, self.shell)
        saved.withheld = list(self.carry.withheld)
        self.record.variables.update(saved.exports)

    def _shutdown(self, interrupted: bool) -> None:
        """Stop the backgrounds (all of them when interrupted, else all but `keep`) and the shell."""
        session = self._session
        if session is None:
            return
        try:
            if interrupted:
                session.stop_backgrounds()
        finally:
            session.close()
            # Stopped now, but for what is kept: recorded as such, for `tutor status`.
            self.processes.closed(self._backgrounds, interrupted)
        for process in self._backgrounds:
            if process.keep and not interrupted:
                self.display.note(f"left running (keep): {process.name}, pid {process.pid}, log {process.log_path}")

    # --- processes that could outlive the run ----------------------------------------------------

    def _stop_leftovers(self) -> None:
        for entry, count in self.processes.stop_leftovers():
            more = f", {count} process{'es' if count > 1 else ''}" if count > 1 or entry.kind == "shell" else ""
            self.display.warn(f"stopped {entry.label()} (pid {entry.pid}{more}) left running by an earlier run that was killed")

    def _note_processes(self) -> None:
        self.processes.note(self._session.pid if self._session is not None else None, self._backgrounds)

    def _close_record(self, code: int) -> int:
        """The tutorial's final status, and no step left "running"; returns the run's exit code
        (a failure when the state cannot be written, which is said)."""
        from .state import StateError

        if code == ExitCode.INTERRUPTED:
            self.record.status = Status.INTERRUPTED
        elif code == ExitCode.REBOOT:
            self.record.status = Status.PARTIAL
        elif code != ExitCode.OK:
            self.record.status = Status.FAILED
        else:
            self.record.status = Status.DONE if self._all_steps_done() else Status.PARTIAL
        for step in self.record.steps:
            if step.status != Status.RUNNING:
                continue
            if step.number not in self._started:  # left so by an earlier run that was killed
                step.status, step.reason = Status.INTERRUPTED, step.reason or "the run was killed"
            else:
                step.status = Status.INTERRUPTED if code == ExitCode.INTERRUPTED else Status.FAILED
                step.reason = step.reason or "the run stopped during this step"
            step.ended = step.ended or now()
        self.record.ended = now()
        try:
            self.store.save(self.record, durable=True)
        except StateError as exc:
            self.report.message = "\n".join(part for part in (self.report.message, (
                f"tutor: the state could not be updated to say this run {self.record.status}: {exc}\n"
                f"  (`tutor status` shows a run that no longer holds its lock as interrupted)")) if part)
            return code or ExitCode.FAILED
        return code

    def _never_left_running(self) -> None:
        """An error nobody expected ends the run: the record says failed (or interrupted), not running."""
        record = getattr(self, "record", None)
        if record is None or record.status != Status.RUNNING:
            return
        try:
            self._close_record(ExitCode.FAILED)
        except Exception:  # noqa: BLE001 — the original error is the one to report
            pass

    def _all_steps_done(self) -> bool:
        return all((s := self.record.step(p.number)) is not None and s.status == Status.DONE and s.hash == p.hash
                   for p in self.plan.steps)

    def _say_where_logs_are(self) -> None:
        transcript = Path(self.log.transcript_path)
        stem = transcript.name.removesuffix(".log")
        self.display.note(f"logs: {transcript.parent}/{stem}.{{log,cast,events.jsonl}}")

    # --- signals -------------------------------------------------------------------------------

    def _trap_signals(self) -> dict[int, Any]:
        if threading.current_thread() is not threading.main_thread():
            return {}
        previous: dict[int, Any] = {}
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            previous[number] = signal.signal(number, self._on_signal)
        return previous

    def _on_signal(self, number: int, frame: object) -> None:
        self.interrupt.set()
        if not self._in_block and not self._stopping:
            raise KeyboardInterrupt

    @staticmethod
    def _restore_signals(previous: Mapping[int, Any]) -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _tail(text: str, lines: int) -> str:
    parts = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    return "\n".join(parts[-lines:])


def _probe_report(result: ProbeResult) -> R.ProbeReport:
    return R.ProbeReport(result.sentence, result.passed, result.found, result.hint, result.elapsed)


def _probe_record(result: ProbeResult) -> ProbeRecord:
    return ProbeRecord(result.sentence, result.passed, result.found, result.probe.id, now())

