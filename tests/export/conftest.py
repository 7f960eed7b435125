"""Helpers to run exported playbooks with the venv's ansible-playbook, against localhost aliases."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
FIXTURES = Path(__file__).parent / "fixtures"
ALIASES = ("alpha", "beta", "gamma")


@dataclass
class Fleet:
    """Three inventory aliases of localhost (`-c local`), each with its own folders under tmp."""

    root: Path
    secret: str = "s3cr3t-VALUE-42"

    def work(self, host: str) -> Path:
        return self.root / host / "work"

    def state(self, host: str) -> Path:
        return self.root / host / "state"

    def inventory(self, hosts: tuple[str, ...] = ALIASES, name: str = "inventory.yml") -> Path:
        import yaml

        path = self.root / name
        path.write_text(yaml.safe_dump({"all": {
            "hosts": {h: {"tutor_state_dir": str(self.state(h)), "tutor_work_dir": str(self.work(h))} for h in hosts},
            "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable},
        }}))
        return path

    def env(self, project: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "TUTOR_"))}
        env.update(ANSIBLE_CONFIG=str(project / "ansible.cfg"), ANSIBLE_HOME=str(self.root / "ansible-home"),
                   ANSIBLE_LOCAL_TEMP=str(self.root / "ansible-tmp"), ANSIBLE_REMOTE_TEMP=str(self.root / "ansible-tmp"),
                   JUNIT_OUTPUT_DIR=str(self.root / "junit"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
                   PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
        return env

    def secrets(self) -> Path:
        """The secret as an operator passes it: `-e @file` (group_vars beside the playbook
        outrank the inventory's vars, so an inventory value would lose to the empty default)."""
        path = self.root / "secrets.yml"
        path.write_text(f"tutor_api_token: {self.secret}\n")
        return path

    def playbook(self, project: Path, playbook: str, *args: str, inventory: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BIN / "ansible-playbook"), "-i", str(inventory or self.inventory()),
                               "-e", f"@{self.secrets()}", str(project / playbook), *args],
                              cwd=project, env=self.env(project), capture_output=True, text=True, timeout=600)


def tutor(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "tutor"), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def fleet(tmp_path: Path) -> Fleet:
    return Fleet(tmp_path)
