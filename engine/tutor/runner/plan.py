"""What a run will do: the steps, their blocks with the attributes that shape them, and their probes.

Built from the model alone, with no side effects; `tutor plan` prints it and the executor runs it.
A step's hash covers what its commands do (code, language and the attributes that change how
they run), so editing a command makes a done step not done, while retitling it or changing a
timeout does not.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..attributes import FenceOptions, MatchMode, ProblemKind
from ..errors import TutorError, UsageError
from ..model import DEFAULT_PATH_KEY, Block, Condition, Step, Tutorial
from ..readiness import READY_KINDS
from ..unattended import FOLLOWER_TIMEOUT, Kind, find_unattended

if TYPE_CHECKING:
    from ..probes import Probe

_NOT_HASHED = frozenset({"id", "timeout", "title", "confirm", "validate", *READY_KINDS})
_SUDO = re.compile(r"(?:^|[\s;&|(`!{])sudo(?:\s|$)", re.MULTILINE)


@dataclass
class PlannedBlock:
    block: Block
    step_number: int
    index: int
    """1-based position among the step's shell blocks."""
    timeout: float | None
    expected: str | None
    match: MatchMode
    follows: bool = False
    """A follower (`tail -f`, `journalctl -f`) with no timeout= of its own: it runs for
    `FOLLOWER_TIMEOUT` seconds (or --timeout), and being stopped then is not a failure."""

    @property
    def code(self) -> str:
        """Exactly what is sent to the shell (a transcript's commands without their prompts)."""
        return self.block.script

    @property
    def id(self) -> str | None:
        return self.block.options.id

    @property
    def name(self) -> str:
        """The id, or `step2.1` for the first block of step 2: names background processes and log lines."""
        return self.id or f"step{self.step_number}.{self.index}"

    @property
    def line(self) -> int:
        return self.block.line

    @property
    def prompts(self) -> list[tuple[str, str]]:
        return self.block.prompts

    @property
    def background(self) -> bool:
        return self.block.options.background

    @property
    def keep(self) -> bool:
        return self.block.options.keep

    @property
    def confirm(self) -> bool:
        return self.block.options.confirm

    @property
    def manual(self) -> bool:
        return self.block.options.manual

    @property
    def runs(self) -> bool:
        return self.block.options.run

    @property
    def cwd(self) -> str | None:
        return self.block.options.cwd

    @property
    def uses_sudo(self) -> bool:
        return bool(_SUDO.search(self.block.code))

    @property
    def options(self) -> FenceOptions:
        return self.block.options

    @property
    def reboot(self) -> bool:
        return self.block.options.reboot

    @property
    def guarded(self) -> bool:
        options = self.block.options
        return options.creates is not None or options.removes is not None or options.unless is not None


@dataclass
class PlannedProbe:
    probe: Probe
    line: int
    """Line in the tutorial file where the probe is written."""


@dataclass
class PlannedStep:
    step: Step
    total: int
    blocks: list[PlannedBlock]
    probes: list[PlannedProbe]
    hash: str

    @property
    def number(self) -> int:
        return self.step.number

    @property
    def title(self) -> str:
        return self.step.title or f"Step {self.step.number}"

    @property
    def line(self) -> int:
        return self.step.heading.line

    @property
    def header(self) -> str:
        """'Step 3/7: Download the guest image'."""
        return f"Step {self.number}/{self.total}: {self.title}"

    def scope_of(self, block: PlannedBlock) -> str | None:
        """The block's `scope=`, else the step's (a scope on one block of a step scopes the step);
        None: the tutorial's scope."""
        return block.options.scope or next((b.options.scope for b in self.blocks if b.options.scope), None)


@dataclass
class Requirement:
    """A `requires` entry: a probe to check, a capability another tutorial provides, or both."""

    condition: Condition
    probe: Probe | None


@dataclass
class RunPlan:
    tutorial: Tutorial
    steps: list[PlannedStep]
    requires: list[Requirement] = field(default_factory=list)
    provides: list[PlannedProbe] = field(default_factory=list)
    path: str | None = None
    """The alternative path chosen (None when the page has one sequence of steps)."""

    @property
    def scope(self) -> str:
        """The tutorial's `scope`: host (every host, the default), once (one host) or local (the operator's machine)."""
        value = self.tutorial.meta.get("scope")
        return value.strip() if isinstance(value, str) and value.strip() else "host"

    def on_another_machine(self, step: PlannedStep, block: PlannedBlock) -> bool:
        """A `scope=local` block of a tutorial that runs on a host: it belongs on the operator's own machine."""
        return step.scope_of(block) == "local" and self.scope != "local"

    def step_for(self, reference: str) -> PlannedStep:
        """A step by its number or by the id of one of its blocks (--from, --only, --until)."""
        text = reference.strip()
        if text.isdigit():
            for step in self.steps:
                if step.number == int(text):
                    return step
        for step in self.steps:
            if any(b.id == text for b in step.blocks):
                return step
        numbers = ", ".join(str(s.number) for s in self.steps) or "none"
        ids = ", ".join(b.id for s in self.steps for b in s.blocks if b.id)
        raise UsageError(
            f"`{self.tutorial.slug}` has no step {text!r}",
            f"give a step number ({numbers})" + (f" or a block id ({ids})" if ids else ""))

    def select(self, start: str | None = None, only: str | None = None, until: str | None = None) -> list[PlannedStep]:
        if not self.steps and start is None and only is None and until is None:
            return []
        if only is not None:
            if start is not None or until is not None:
                raise UsageError("--only cannot be combined with --from or --until", "use --from and --until for a range")
            return [self.step_for(only)]
        first = self.steps.index(self.step_for(start)) if start is not None else 0
        last = self.steps.index(self.step_for(until)) if until is not None else len(self.steps) - 1
        if last < first:
            raise UsageError(f"--until {until} comes before --from {start}", "give a range in the tutorial's order")
        return self.steps[first : last + 1]


class PlanError(TutorError):
    """A probe or block that cannot run as written (the linter reports the same problems)."""


class PathChoiceError(UsageError):
    """A page with alternative paths, and nothing says which one to run."""


def choose_path(tutorial: Tutorial, requested: str | None) -> str | None:
    """The path to run: --path, else the `defaultPath` key; None for a page with one sequence.

    Raises `PathChoiceError` (listing the names) when the page has paths and neither names one,
    or when the name given is not one of them: two paths are never run.
    """
    names = [p.name for p in tutorial.paths]
    if not names:
        if requested is not None:
            raise UsageError(f"`{tutorial.slug}` has no alternative paths, so --path {requested} does not apply",
                             "leave out --path")
        return None
    listing = "\n".join(f"  {p.name}  ({p.title}, {len(p.steps)} steps, line {p.heading.line if p.heading else 0})"
                        for p in tutorial.paths)
    wanted = requested if requested is not None else tutorial.default_path
    if wanted is None:
        raise PathChoiceError(
            f"`{tutorial.slug}` has {len(names)} alternative paths; choose one:\n{listing}",
            f"pass --path NAME, or set `{DEFAULT_PATH_KEY}: NAME` in its frontmatter")
    if wanted not in names:
        where = "--path" if requested is not None else f"`{DEFAULT_PATH_KEY}` ({tutorial.rel_path}:{tutorial.line_of(DEFAULT_PATH_KEY)})"
        raise PathChoiceError(f"{where} names `{wanted}`, which is not a path of `{tutorial.slug}`; its paths are:\n{listing}",
                              "give one of the names above")
    return wanted


def steps_to_run(tutorial: Tutorial, path: str | None) -> list[Step]:
    chosen = tutorial.path_named(path) if path is not None else None
    return chosen.steps if chosen is not None else tutorial.steps


def build_plan(tutorial: Tutorial, default_timeout: float | None = None, path: str | None = None,
               *, choose: bool = True) -> RunPlan:
    """The plan of one path of `tutorial` (`choose_path` picks it; `choose=False` takes `path` as given)."""
    if choose:
        path = choose_path(tutorial, path)
    chosen = steps_to_run(tutorial, path)
    total = len(chosen)
    steps: list[PlannedStep] = []
    for step in chosen:
        blocks: list[PlannedBlock] = []
        for block in step.shell_blocks:
            follows = _follows(block)
            expected = block.expected_output
            _refuse_bad_values(tutorial, block)
            if expected is not None:
                _refuse_bad_values(tutorial, expected)
            timeout = block.options.timeout
            if timeout is None:
                timeout = (default_timeout or FOLLOWER_TIMEOUT) if follows else default_timeout
            blocks.append(PlannedBlock(
                block=block, step_number=step.number, index=len(blocks) + 1,
                timeout=timeout,
                expected=expected.code if expected else block.transcript_output,
                match=expected.options.match if expected else MatchMode.TOLERANT,
                follows=follows,
            ))
        probes: list[PlannedProbe] = []
        for fence in step.verify_blocks:
            if fence.probe_problem is not None:
                problem = fence.probe_problem
                raise PlanError(problem.message, problem.hint, path=tutorial.rel_path, line=fence.code_line + problem.line)
            probes.extend(PlannedProbe(p, fence.code_line) for p in fence.probes)
        steps.append(PlannedStep(step, total, blocks, probes, step_hash(step)))
    plan = RunPlan(tutorial, steps, path=path)
    for condition in tutorial.requires:
        plan.requires.append(Requirement(condition, _condition_probe(tutorial, condition, "requires")))
    for condition in tutorial.provides:
        probe = _condition_probe(tutorial, condition, "provides")
        if probe is not None:
            plan.provides.append(PlannedProbe(probe, condition.line))
    return plan


def _condition_probe(tutorial: Tutorial, condition: Condition, key: str) -> Probe | None:
    if condition.problem is not None:
        raise PlanError(f"`{key}`: {condition.problem.message}", condition.problem.hint,
                        path=tutorial.rel_path, line=condition.line)
    return condition.parsed


def _follows(block: Block) -> bool:
    options = block.options
    if options.timeout is not None or options.background or not options.run:
        return False
    found = find_unattended(block)
    return found is not None and found.kind is Kind.FOLLOWER


def _refuse_bad_values(tutorial: Tutorial, block: Block) -> None:
    """A known attribute with an unusable value would run the block other than as written."""
    for problem in block.option_problems:
        if problem.kind is ProblemKind.VALUE:
            raise PlanError(problem.message, problem.hint, path=tutorial.rel_path, line=block.line)


def step_hash(step: Step) -> str:
    """sha256 of the step's blocks that run: language, code and the attributes that change what runs."""
    parts = [
        {"language": b.language, "code": b.code,
         "attributes": sorted((k, v) for k, v in b.attributes.items() if k not in _NOT_HASHED),
         "prompts": b.prompts}
        for b in step.shell_blocks if b.options.run
    ]
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()
    return f"sha256:{digest}"
