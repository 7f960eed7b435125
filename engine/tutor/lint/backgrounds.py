"""Rule family: `{background}` blocks that race, or that are gone when something needs them.

- `backgrounds/not-ready` (per file): a background with no `ready-*` attribute is followed by a
  block that runs, with no check that waits (`within`) in between: the block may start before
  the service listens.
- `backgrounds/not-idempotent` (per file): a background that is not `keep` is used by a later
  step of its tutorial: the run stops it at the end, so a second run (resuming, or the Ansible
  export's step markers) finds it gone and repeats its step and every step after it.
- `backgrounds/not-kept` (set): a later tutorial `requires` a capability whose check the
  background of an earlier tutorial answers, and that background is not `keep`.

What a background "serves" is read from the page, never guessed from the host: its `ready-port`
and `ready-http` ports, and the ports its command names (`--port 9080`, `127.0.0.1:9080`, a bare
`9080`, `$VMM_PORT`) that no earlier background of the page named. A later step or a check
"uses" it when it names one of those ports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from ..diagnostics import Diagnostic
from ..model import Block, Step, Tutorial
from ..probes import CommandProbe, HttpProbe, PortProbe, Probe, ProcessProbe
from .context import LintContext
from .registry import rule

READY_HINT = 'add `ready-port=PORT`, `ready-http=URL` or `ready-log="text"` to its attributes (see "Backgrounds and readiness")'

_VARIABLE = r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?"
_IN_CONTEXT = re.compile(
    rf"(?:[\w\].]:|--port[= ]\s*|-p\s+|\bport[= ]\s*)[\"']?(?P<token>{_VARIABLE}|\d{{2,5}})(?![\w}}])", re.IGNORECASE)
"""A port where a command names one: `127.0.0.1:9080`, `--port 9080`, `-p 9080`, `port=9080`."""
_BARE = re.compile(r"(?<![\w.:/$=-])(?<!sleep )(?P<token>\d{4,5})(?![\w.:/-])")
"""A bare number that can be a port (1024-65535), as in `python3 -m http.server 8080`."""
_PORT_VARIABLE = re.compile(r"\$\{?(?P<name>[A-Za-z_]*PORT[A-Za-z0-9_]*)\}?")
"""A variable named like a port: `$PORT`, `${VMM_PORT}`."""
_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?:[^@/\s]*@)?(?:\[[^\]]*\]|[^/:?#\s]*)(?::(?P<port>[^/?#\s]+))?")


@dataclass(frozen=True)
class Background:
    step: Step
    block: Block
    ports: frozenset[str]
    """Port tokens it serves: "9080", or "$VMM_PORT" for a variable."""

    @property
    def name(self) -> str:
        return self.block.options.id or f"step{self.step.number}.{self._index}"

    @property
    def _index(self) -> int:
        return next((i for i, b in enumerate(self.step.shell_blocks, 1) if b is self.block), 1)


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    """The per-file rules: not-ready and not-idempotent."""
    for t in ctx.tutorials:
        for steps in _sequences(t):
            yield from _not_ready(t, steps)
            yield from _not_idempotent(t, steps)


def check_set(ctx: LintContext) -> Iterator[Diagnostic]:
    """The set rule: a later tutorial needs what a non-kept background of an earlier one serves."""
    providers: dict[str, tuple[Tutorial, Served]] = {}
    for t in ctx.tutorials:
        for fact in served(t):
            providers.setdefault(fact.capability, (t, fact))
    for t in ctx.tutorials:
        for condition in t.requires:
            if not condition.name or condition.name not in providers:
                continue
            provider, fact = providers[condition.name]
            if provider.slug == t.slug:
                continue
            yield rule("backgrounds/not-kept").at(
                t.rel_path, condition.line,
                f"`{t.slug}` requires `{condition.name}`, which `{provider.slug}` provides with the background block "
                f"`{fact.background}` ({provider.rel_path}:{fact.line}); that block is not `keep`, so the run of "
                f"`{provider.slug}` stops it when it ends and `{condition.name}` no longer holds for `{t.slug}`",
                f"mark the background block `keep` (`{{background keep …}}`: it stays running after the run), "
                f"or provide `{condition.name}` with a service that outlives the run (systemd)")


class Served(NamedTuple):
    """A capability of the page's `provides` whose check a background that is not `keep` answers."""

    capability: str
    background: str
    """The background's name (its id, or `step2.1`)."""
    line: int
    """Line of the background block."""


_SERVED_FACT = "backgrounds/served"


def served(t: Tutorial) -> list[Served]:
    """What `check_set` reads of a page, kept in `t.lint_facts` (`lint.FILE_FACTS`): a cached
    tutorial then answers without parsing its blocks and steps again (`deferred`)."""
    facts = t.lint_facts.get(_SERVED_FACT)
    if facts is None:
        facts = t.lint_facts[_SERVED_FACT] = _served(t)
    return facts  # type: ignore[no-any-return]


def _served(t: Tutorial) -> list[Served]:
    if not any(c.name and c.parsed is not None for c in t.provides):
        return []  # most pages: their steps are not read
    backgrounds = [b for steps in _sequences(t) for b in _backgrounds(steps)]
    found: list[Served] = []
    for condition in t.provides:
        if not condition.name or condition.parsed is None:
            continue
        users = [b for b in backgrounds if _probe_uses(condition.parsed, b)]
        if users and not any(b.block.options.keep for b in users):
            found.append(Served(condition.name, users[0].name, users[0].block.line))
    return found


def _sequences(t: Tutorial) -> list[list[Step]]:
    """The step sequences a run can take: each alternative path, or the page's one list of steps."""
    return [p.steps for p in t.paths] if t.paths else [t.steps]


def _runs(block: Block) -> bool:
    return block.is_shell and block.options.run and not block.options.manual


def _backgrounds(steps: list[Step]) -> list[Background]:
    """The backgrounds of a sequence and the ports each serves. A port that an earlier background's
    command already names is that one's: a later one naming it is its client (`--db 127.0.0.1:5433`)."""
    found: list[Background] = []
    claimed: set[str] = set()
    for step in steps:
        for block in step.shell_blocks:
            if _runs(block) and block.options.background:
                ports = _ready_ports(block) | (_command_ports(_commands(block)) - claimed)
                claimed |= ports
                found.append(Background(step, block, frozenset(ports)))
    return found


def _not_ready(t: Tutorial, steps: list[Step]) -> Iterator[Diagnostic]:
    sequence = [(step, block) for step in steps for block in step.shell_blocks if _runs(block)]
    for index, (step, block) in enumerate(sequence):
        if not block.options.background or block.options.ready or index + 1 >= len(sequence):
            continue
        next_step, next_block = sequence[index + 1]
        between = steps[_position(steps, step) : _position(steps, next_step)]
        if any(_waits(s) for s in between):
            continue  # a check with `within` holds the run until the service answers
        background = Background(step, block, frozenset())
        where = "right after it" if next_step is step else f"next (step {next_step.number})"
        yield rule("backgrounds/not-ready").at(
            t.rel_path, block.line,
            f"the background block `{background.name}` says nothing about when it is ready, and the block at line "
            f"{next_block.line} runs {where}: it may start before the service answers",
            READY_HINT)


def _position(steps: list[Step], step: Step) -> int:
    return next(i for i, s in enumerate(steps) if s is step)


def _waits(step: Step) -> bool:
    return any(probe.within > 0 for fence in step.verify_blocks for probe in fence.probes)


def _not_idempotent(t: Tutorial, steps: list[Step]) -> Iterator[Diagnostic]:
    for background in _backgrounds(steps):
        if background.block.options.keep or not background.ports:
            continue
        later = steps[_position(steps, background.step) + 1 :]
        user = next(((s, port) for s in later if (port := _step_uses(s, background)) is not None), None)
        if user is None:
            continue
        step, port = user
        yield rule("backgrounds/not-idempotent").at(
            t.rel_path, background.block.line,
            f"the background block `{background.name}` (step {background.step.number}) is not `keep`, and step "
            f"{step.number} uses it (port {port}): the run stops it at the end, so a second run of the tutorial "
            f"(`tutor run` resuming, or `ansible-playbook` on `tutor export ansible`) finds it gone and repeats step "
            f"{background.step.number} and every step after it, or fails at step {step.number}",
            "mark the block `keep` so that it stays running between runs, or start the service in the step that uses it")


def _step_uses(step: Step, background: Background) -> str | None:
    """The port of `background` that a block or check of `step` names, if any."""
    for block in step.shell_blocks:
        if _runs(block):
            found = (_command_ports(_commands(block)) | _ready_ports(block)) & background.ports
            if found:
                return sorted(found)[0]
    for fence in step.verify_blocks:
        for probe in fence.probes:
            found = _probe_ports(probe) & background.ports
            if found:
                return sorted(found)[0]
    return None


def _probe_uses(probe: Probe, background: Background) -> bool:
    if isinstance(probe, ProcessProbe):
        try:
            return re.search(probe.subject, background.block.script) is not None
        except re.error:
            return False
    return bool(_probe_ports(probe) & background.ports)


def _ready_ports(block: Block) -> set[str]:
    ports: set[str] = set()
    for name, value in block.options.ready:
        if name == "ready-port":
            ports.add(_token(value))
        elif name == "ready-http":
            ports |= _url_ports(value)
    return ports


def _probe_ports(probe: Probe) -> set[str]:
    if isinstance(probe, PortProbe):
        return {_token(probe.subject)}
    if isinstance(probe, HttpProbe):
        return _url_ports(probe.subject)
    if isinstance(probe, CommandProbe):
        return _command_ports(probe.subject)
    return set()


def _commands(block: Block) -> str:
    """The block's commands without its comment lines."""
    return "\n".join(text for _, text in block.command_lines())


def _command_ports(text: str) -> set[str]:
    ports = {_token(m.group("token")) for m in _IN_CONTEXT.finditer(text)}
    ports |= {m.group("token") for m in _BARE.finditer(text) if 1024 <= int(m.group("token")) <= 65535}
    ports |= {"$" + m.group("name") for m in _PORT_VARIABLE.finditer(text)}
    return {p for p in ports if p}


def _url_ports(url: str) -> set[str]:
    ports = set()
    for match in _URL.finditer(url):
        port = match.group("port")
        scheme = match.group("scheme").lower()
        ports.add(_token(port) if port else "443" if scheme == "https" else "80" if scheme == "http" else "")
    return {p for p in ports if p}


def _token(text: str) -> str:
    """One spelling per port: `9080` for a number, `$NAME` for `${NAME}` or `$NAME`."""
    text = text.strip().strip("\"'")
    if text.isdigit():
        return str(int(text))
    match = re.fullmatch(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", text)
    return "$" + match.group(1) if match else ""
