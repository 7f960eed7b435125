"""Variable carry-over: what a run's shell exports, and what of it a resumed run starts with.

After each step the runner notes the variables the shell exports that differ from what it
started with: what its commands exported, PATH included, and what a sourced file
(`. ~/.cargo/env`) exported. Those are written to the state and carried to a resumed run,
except secrets: a variable with a secret name or declared secret, and any value that holds a
secret's value, is left out and only its name is noted (`withheld`). The value of a secret a
block exports is masked from then on, like the secrets the run was given.
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

    def after_step(self, step: PlannedStep, shell: ShellSession) -> dict[str, str]:
        """Re-read the shell's exports after `step` (a round trip, taken only when its code could
        have changed them); returns what is carried on from here."""
        from .shell import ShellError

        if not self._may_change(step):
            return dict(self.carried)
        try:
            exported = shell.environment()
        except ShellError:
            return dict(self.carried)
        values = {n: v for n, v in exported.items() if n not in _SHELL_OWN and self._base.get(n) != v}
        self.values = values
        self.redactor.add_all(v for n, v in values.items() if self.variables.is_secret(n) and v)
        self.carried = {n: v for n, v in values.items() if not self.variables.is_secret(n) and self.redactor.redact(v) == v}
        self.withheld = sorted(values.keys() - self.carried.keys())
        return dict(self.carried)

    def _may_change(self, step: PlannedStep) -> bool:
        exported = self.values.keys() | self._base.keys()
        for block in step.blocks:
            if _ENVIRONMENT_WORDS.search(block.code):
                return True
            if any(name in exported for name in _ASSIGNED.findall(block.code)):
                return True
        return False

