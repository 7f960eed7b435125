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


def test_plan_and_run_show_escapes_in_code_as_text(host: Host, tmp_path: Path) -> None:
    folder = tmp_path / "hidden"
    folder.mkdir()
    (folder / "sections.yml").write_text("- Basics\n")
    # A terminal shown this raw would erase `touch` and print only `echo hello`.
    (folder / "hidden.md").write_text(
        "---\ntitle: Hidden\ndescription: d\nsection: Basics\nstepNumber: 1\ntotalSteps: 1\n---\n"
        "# Hidden\n\n## Step 1: Run\n\n```bash\ntrue touch-marker\x1b[2K\x1b[1Gecho hello\n```\n")
    plan = host.tutor("plan", "hidden", str(folder))
    assert plan.code == 0, plan.output
    assert "\x1b" not in plan.stdout and "true touch-marker␛[2K␛[1Gecho hello" in plan.stdout
    run = host.tutor("run", "hidden", str(folder))
    assert "\x1b[2K" not in run.stdout and "$ true touch-marker␛[2K␛[1Gecho hello" in run.stdout


def test_junit_stays_valid_xml_when_a_failing_step_prints_colour(host: Host, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    folder = tmp_path / "colour"
    folder.mkdir()
    (folder / "sections.yml").write_text("- Basics\n")
    (folder / "red.md").write_text(
        "---\ntitle: Red\ndescription: d\nsection: Basics\nstepNumber: 1\ntotalSteps: 1\n---\n"
        "# Red\n\n## Step 1: Fail in colour\n\n```bash\nprintf '\\033[31mred alert\\033[0m\\n'; false\n```\n")
    report = tmp_path / "junit.xml"
    run = host.tutor("run", "red", str(folder), "--junit", str(report))
    assert run.code == 1, run.output
    failure = ET.parse(report).find(".//failure")  # before, ET refused the raw ESC
    assert failure is not None and "␛[31mred alert" in (failure.text or "")
