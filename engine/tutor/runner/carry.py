"""Variable carry-over: what a run's shell exports, and what of it a resumed run starts with.

After each step the runner notes the variables the shell exports that differ from what it
started with: what its commands exported, PATH included, and what a sourced file
(`. ~/.cargo/env`) exported. Those are written to the state and carried to a resumed run,
except secrets: a variable with a secret name or declared secret, and any value that holds a
secret's value, is left out and only its name is noted (`withheld`).

The value of a secret a block exports is masked from the next block on, like the secrets the run
was given: after each block whose code could have changed what the shell exports, its exports are
read (one round trip; a block of `echo`s costs none), and the step's end reuses what was read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .plan import PlannedStep, RunPlan
    from .redact import Redactor
    from .shell import ShellSession
    from .variables import Resolution

__all__ = ["EnvironmentCarry"]

_SHELL_OWN = frozenset({"PWD", "OLDPWD", "SHLVL", "_", "PS1", "PS2", "PS4", "PROMPT_COMMAND", "LINES", "COLUMNS", "BASH_ENV"})
_ENVIRONMENT_WORDS = re.compile(r"\b(?:export|declare|typeset|readonly|unset|source|set|eval|exec|env|alias)\b|(?:^|[;&|(]\s*)\.\s", re.MULTILINE)
"""Words after which the shell's exported variables may have changed."""
_ASSIGNED = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\+?=")


class EnvironmentCarry:
    """The shell's exported variables as the run knows them, and the part carried on."""

    def __init__(self, plan: RunPlan, variables: Resolution, redactor: Redactor) -> None:
        self.variables = variables
        self.redactor = redactor
        self.values: dict[str, str] = {}
        """What the shell exports beyond its starting environment (what probes see besides the variables)."""
        self.carried: dict[str, str] = {}
        """The part of `values` written to the state: never a secret."""
        self.withheld: list[str] = []
        """Names in `values` left out of `carried` because they are (or hold) secrets."""
        self._base: dict[str, str] = {}
        self._read: dict[str, str] | None = None
        """The shell's exports as read after a block of the step now running (None: not read yet)."""

    def assume(self, values: Mapping[str, str]) -> None:
        """Until this run's shell says otherwise, probes see what the last run exported."""
        self.values = dict(values)

    def start(self, restored: Mapping[str, str], shell_env: Mapping[str, str], withheld: list[str] | None = None) -> None:
        """The shell starts with `shell_env`, which includes `restored` (an earlier run's exports):
        the baseline is the rest, so that those exports are told apart and carried on again."""
        self.carried = dict(restored)
        self.withheld = list(withheld or [])
        self.values.update(restored)
        self._base = {k: v for k, v in shell_env.items() if k not in restored}

    def replay(self, exports: Mapping[str, str]) -> None:
        """Exports a skipped done step left, put back into the shell by the run."""
        self.carried.update(exports)
        self.values.update(exports)

    def probe_values(self) -> dict[str, str]:
        return {**self.values, **self.variables.values}

    def after_block(self, code: str, shell: ShellSession) -> None:
        """After a block ran in the shell: when its code could have changed the shell's exports, read
        them, so that a secret it exported (`export DB_PASSWORD=$(openssl rand -hex 8)`) is masked
        in the output of the blocks after it."""
        from .shell import ShellError

        if not self._may_change(code):
            return
        try:
            exported = shell.environment()
        except ShellError:
            return
        self._read = exported
        self._learn(exported)

    def after_step(self, step: PlannedStep, shell: ShellSession) -> dict[str, str]:
        """The shell's exports after `step` (what its blocks' `after_block` read; re-read when a block
        ran without it); returns what is carried on from here."""
        from .shell import ShellError

        exported, self._read = self._read, None
        if exported is None:
            if not any(self._may_change(block.code) for block in step.blocks):
                return dict(self.carried)
            try:
                exported = shell.environment()
            except ShellError:
                return dict(self.carried)
        values = self._learn(exported)
        self.carried = {n: v for n, v in values.items() if not self.variables.is_secret(n) and self.redactor.redact(v) == v}
        self.withheld = sorted(values.keys() - self.carried.keys())
        return dict(self.carried)

    def _learn(self, exported: Mapping[str, str]) -> dict[str, str]:
        """Note what the shell exports beyond its start, and mask the secrets among it from now on."""
        values = {n: v for n, v in exported.items() if n not in _SHELL_OWN and self._base.get(n) != v}
        self.values = values
        self.redactor.add_all(v for n, v in values.items() if self.variables.is_secret(n) and v)
        return values

    def _may_change(self, code: str) -> bool:
        if _ENVIRONMENT_WORDS.search(code):
            return True
        exported = self.values.keys() | self._base.keys()
        return any(name in exported for name in _ASSIGNED.findall(code))

