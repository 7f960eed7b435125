"""What the task builders share for one tutorial: its role name, variables and host paths."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Tutorial
from ...secret_names import is_secret
from .emit import Unsafe
from .names import ansible_var, role_name


@dataclass
class RoleContext:
    tutorial: Tutorial
    warnings: list[str] = field(default_factory=list)

    @property
    def role(self) -> str:
        return role_name(self.tutorial.slug)

    @property
    def state_dir(self) -> str:
        """This tutorial's folder on the host: markers, saved exports, secrets, background pids."""
        return "{{ tutor_state_dir }}/" + self.tutorial.slug

    @property
    def helper(self) -> str:
        return "{{ tutor_state_dir }}/tutor-block.sh"

    @property
    def secrets_file(self) -> str:
        return self.state_dir + "/secrets.env"

    def var(self, suffix: str) -> str:
        """A fact or register name of this role (ansible-lint wants the role's prefix)."""
        return f"{self.role}_{suffix}"

    @property
    def declared(self) -> dict[str, str]:
        """Non-secret tutorial variables → their Ansible names (the ones Jinja may read)."""
        return {name: ansible_var(name) for name, v in self.tutorial.variables.items() if not is_secret(v)}

    @property
    def secret_names(self) -> list[str]:
        return [name for name, v in self.tutorial.variables.items() if is_secret(v)]

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(f"{self.tutorial.rel_path}:{line}: {message}")

    def environment(self, chdir: bool = False) -> dict[str, str]:
        """`environment:` of a shell task: the helper's settings and the non-secret variables.

        Secrets never go here: Ansible shows the environment prefix at -vvv even with no_log.
        """
        env: dict[str, str] = {
            "TUTOR_STATE_DIR": self.state_dir,
            "TUTOR_HELPER": self.helper,
        }
        if self.secret_names:
            env["TUTOR_SECRETS_FILE"] = self.secrets_file
            env["TUTOR_SECRET_NAMES"] = Unsafe(" ".join(self.secret_names))
        if chdir:
            env["TUTOR_CHDIR"] = "1"
        for name, var in self.declared.items():
            env[name] = "{{ " + var + " }}"
        return env


def shell_prelude(mode: str) -> str:
    """The first lines of every exported shell text (pipefail spelled out for ansible-lint)."""
    return f'set -o errexit -o pipefail\n. "$TUTOR_HELPER" {mode}\n'
