"""`tutor plan` prints the run and does nothing: no command, no probe, no file."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .conftest import Host


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_plan_prints_everything_and_changes_nothing(host: Host) -> None:
    folder = host.copy("behaviours")
    before = snapshot(folder)
    result = host.tutor("plan", "prompts", str(folder), "--var", f"WORK={host.work}", "--base-url", "https://example.org")
    assert result.code == 0, result.output
    out = result.stdout
    assert "Plan for Prompts (prompts)" in out and "page: https://example.org/tutorial/prompts" in out
    assert f"WORK = {host.work}  [--var]" in out
    assert "Step 1/2: Answer the expected prompt" in out and "Step 2/2: An unexpected prompt" in out
    assert "$ printf 'Deploy? Continue? [y/N] '" in out
    assert "answers 'Continue? [y/N]' with 'y'" in out
    assert f"check: The file {host.work}/answer.txt contains `answer=y`" in out
    assert "compares its output with the expected output (tolerant)" in out
    assert snapshot(folder) == before
    assert not host.state.exists() and not host.logs.exists() and not list(host.work.iterdir())


def test_plan_masks_secrets_and_marks_sudo_and_confirmation(host: Host) -> None:
    folder = host.copy("behaviours")
    secret = host.tutor("plan", "secrets", str(folder), "--var", "API_TOKEN=tok-very-secret", "--var", "WORK=/w")
    assert secret.code == 0 and "tok-very-secret" not in secret.stdout
    assert "API_TOKEN     = ***  [--var] (secret)" in secret.stdout
    assert "DB_CREDENTIAL = <no value: asked for on a terminal, else the run stops>  [missing] (secret)" in secret.stdout
    person = host.tutor("plan", "needs-a-person", str(folder), "--var", "WORK=/w")
    assert "`tutor run` asks you to confirm" in person.stdout and "do this by hand; uses sudo" in person.stdout
    assert not host.state.exists()
    dry = host.tutor("run", "needs-a-person", str(folder), "--var", "WORK=/w", "--dry-run")
    assert dry.code == 0 and dry.stdout == person.stdout
