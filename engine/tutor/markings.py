"""How a block runs, in the reader's words: one vocabulary for the site and `tutor plan`.

A fence's run attributes (`manual`, `run=false`, `background`, `confirm`, `expect`/`send`,
a long `timeout`, `cwd`, `scope`, the guards, `reboot`) each become one short label. The site shows the labels above the
block; `tutor plan` lists the same labels beside it, so the page and the plan never
describe one block in two ways. Labels may hold inline code in backticks (a prompt, an
answer, a folder): plain text in a terminal, code on the site.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .unattended import SECOND_TERMINAL

if TYPE_CHECKING:
    from .model import Block

_SECOND_TERMINAL = re.compile(rf"\b{SECOND_TERMINAL}\b", re.IGNORECASE)
"""Prose that puts a `run=false` block in another terminal of the same host, not on a workstation."""

LONG_TIMEOUT = 60.0
"""Seconds from which a block's timeout is worth telling the reader ("takes up to 2 minutes")."""


class Marking(enum.Enum):
    """A way a block departs from "paste it into the host's shell and wait"."""

    MANUAL = "manual"
    """Done by hand (a BIOS menu, a click in a web page): nothing to paste."""
    WORKSTATION = "workstation"
    """`run=false`: shown for the reader's own machine; `tutor run` never runs it."""
    BACKGROUND = "background"
    """Starts a process that keeps running; the next step needs another terminal."""
    CONFIRM = "confirm"
    """`tutor run` asks before running it (`--yes` answers)."""
    PROMPT = "prompt"
    """The command asks a question; the label says what to answer."""
    LONG = "long"
    """A timeout long enough to mention: the block takes a while."""
    CWD = "cwd"
    """Runs in a given folder."""
    READY = "ready"
    """A background's readiness (`ready-port`, `ready-http`, `ready-log`): what to wait for."""
    SCOPE = "scope"
    """`scope=once` or `scope=local`: where it runs when a fleet follows the tutorial."""
    GUARD = "guard"
    """`creates=`, `removes=` or `unless=`: skipped when its work is already there."""
    REBOOT = "reboot"
    """The host reboots after the block; the tutorial goes on at the next run."""


_READY_SIGNS = {
    "ready-port": lambda port: f"port {port} accepts connections",
    "ready-http": lambda url: f"{url} answers",
    "ready-log": lambda text: f"its output shows {text}",
}


@dataclass(frozen=True, slots=True)
class Label:
    marking: Marking
    text: str
    """The reader's words, lower-case, inline code in backticks."""


def labels(block: Block) -> list[Label]:
    """Every label of a block, in a fixed order (what to do first, then what to expect)."""
    options = block.options
    found: list[Label] = []
    if options.manual:
        found.append(Label(Marking.MANUAL, "do this by hand"))
    if not options.run:
        if _SECOND_TERMINAL.search(block.lead):
            found.append(Label(Marking.WORKSTATION, "run it yourself in a second terminal; `tutor run` skips it"))
        else:
            found.append(Label(Marking.WORKSTATION, "run on your workstation, not on the host"))
    if options.cwd:
        found.append(Label(Marking.CWD, f"run it in {code(options.cwd)}"))
    if options.confirm:
        found.append(Label(Marking.CONFIRM, "read it before it runs: `tutor run` asks you to confirm"))
    for expect, send in options.prompts:
        answer = f"answer {code(send)}" if send else "press Enter"
        found.append(Label(Marking.PROMPT, f"the script asks {code(expect)}: {answer}"))
    if options.background:
        tail = "; it stays running after the tutorial" if options.keep else ""
        found.append(Label(Marking.BACKGROUND, f"keeps running: open another terminal for the next step{tail}"))
        if options.ready:
            signs = " and ".join(_READY_SIGNS[name](code(value)) for name, value in options.ready)
            found.append(Label(Marking.READY, f"ready when {signs}: wait for that before you go on"))
    if options.scope == "local":
        found.append(Label(Marking.SCOPE, "run it on your own machine, not on the host: `tutor run` shows it and waits"))
    elif options.scope == "once":
        found.append(Label(Marking.SCOPE, "once for the whole deployment: in a fleet, on one host only"))
    if options.creates is not None:
        found.append(Label(Marking.GUARD, f"skipped when {code(options.creates)} exists"))
    if options.removes is not None:
        found.append(Label(Marking.GUARD, f"skipped when {code(options.removes)} does not exist"))
    if options.unless is not None:
        found.append(Label(Marking.GUARD, f"skipped when {code(options.unless)} succeeds"))
    if not options.background and options.timeout is not None and options.timeout >= LONG_TIMEOUT:
        found.append(Label(Marking.LONG, f"takes up to {duration(options.timeout)}"))
    if options.reboot:
        found.append(Label(Marking.REBOOT, "reboots the host: run `tutor run` again afterwards to go on"))
    return found


def duration(seconds: float) -> str:
    """900 → '15 minutes', 5400 → '1 hour 30 minutes', 90 → '2 minutes' (rounded up)."""
    minutes = max(1, -(-int(seconds) // 60))
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def code(text: str) -> str:
    """Inline code that survives backticks in the text (tutorial text is never markup)."""
    text = " ".join(text.split("\n"))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest or text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
