"""Blocks that cannot run unattended: editors, pagers, followers, and blocks meant for elsewhere.

What counts (documented in the authoring guide), on the lines a block sends to the shell:

- an editor (`vim`, `vi`, `nano`, `emacs`) or a pager (`less`, `more`, `man`) as a command word,
  also after `sudo` or a pipe: it waits for a person at a terminal;
- a follower (`tail -f`/`-F`, `journalctl -f`/`--follow`, `docker logs -f`, `kubectl logs -f`,
  `watch …`, any `--follow`): it never ends on its own;
- a block the paragraph before it puts somewhere else: "on your local machine", "in another
  terminal", "in a new terminal", "in your browser", "inside the CVM", "on the client".

A block marked `manual`, `run=false`, `background`, `scope=local` or with a `timeout=` is taken as handled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .model import Block


class Kind(Enum):
    """Why a block cannot run unattended."""

    EDITOR = "editor"
    """Opens an interactive editor or pager: needs a person at a terminal."""
    FOLLOWER = "follower"
    """Follows output forever: the runner stops it after a default timeout."""
    ELSEWHERE = "elsewhere"
    """The prose says it runs on another machine, terminal or in a browser."""


FOLLOWER_TIMEOUT = 30.0
"""Seconds a follower block runs when it sets no timeout= of its own."""

_WORD_START = r"(?:^\s*|[;&|(`]\s*|\bsudo\s+(?:-\S+\s+)*|\bthen\s+|\bdo\s+)"
# Bounded work: no two quantifiers here can take the same characters (a `\s+` followed by
# `\s*`, or `[a-zA-Z]*f[a-zA-Z]*`, was quadratic), and a `[^\n|;]*` run stops where the next
# `journalctl` / `docker logs` begins, so no stretch of a line is scanned from two starts.
_EDITOR = re.compile(_WORD_START + r"(vim|vi|nano|emacs|less|more|man)(?=\s|$)")
_FOLLOWER = re.compile(
    r"\btail\s+(?:-\w*\s+)*-[a-eg-zA-EG-Z]*[fF][a-zA-Z]*\b|"
    r"\bjournalctl\b(?:(?!\bjournalctl\b)[^\n|;])*\s(?:-\w*f\w*|--follow)\b|"
    r"\b(?:docker|kubectl|podman)\s+(?:compose\s+)?logs\b(?:(?!\b(?:docker|kubectl|podman)\s+(?:compose\s+)?logs\b)[^\n|;])*"
    r"\s(?:-\w*f|--follow)\b|"
    + _WORD_START + r"watch\s|--follow\b")
SECOND_TERMINAL = r"(?:another|a (?:new|second|separate)) (?:terminal|shell|window|tab)"
"""Prose that puts a block in another terminal (of this host or another one)."""
_ELSEWHERE = re.compile(
    r"\b(?:on your (?:local|own) (?:machine|computer|laptop)|locally on your|"
    rf"in {SECOND_TERMINAL}|"
    r"in your (?:web )?browser|inside the (?:cvm|vm|container|guest)|on the client)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Unattended:
    line: int
    kind: Kind
    what: str
    """The editor, follower or phrase found."""


def handled(block: Block) -> bool:
    """Marked so that the runner knows what to do with it."""
    options = block.options
    return (options.manual or not options.run or options.background or options.timeout is not None
            or options.scope == "local")


def find_unattended(block: Block) -> Unattended | None:
    """The first reason `block` cannot run unattended, or None."""
    phrase = _ELSEWHERE.search(block.lead)
    if phrase:
        return Unattended(block.line, Kind.ELSEWHERE, phrase.group(0))
    for line, text in block.command_lines():
        editor = _EDITOR.search(text)
        if editor:
            return Unattended(line, Kind.EDITOR, editor.group(1))
        follower = _FOLLOWER.search(text)
        if follower:
            return Unattended(line, Kind.FOLLOWER, follower.group(0).strip(" ;&|(`"))
    return None
