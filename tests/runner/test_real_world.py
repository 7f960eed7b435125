"""Tutorial sets written the way authors on other sites write them, through the CLI: plan and run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REAL_WORLD = Path(__file__).parent.parent / "fixtures" / "real-world"


@pytest.fixture
def real(host):  # type: ignore[no-untyped-def]
    def copy(name: str) -> Path:
        target = host.root / name
        shutil.copytree(REAL_WORLD / name, target)
        return target
    return copy


def test_a_page_with_paths_and_no_choice_lists_them_and_runs_nothing(host, real) -> None:
    folder = real("github-mixed")
    for command in ("plan", "run"):
        result = host.tutor(command, "README-setup", str(folder))
        assert result.code == 2, result.output
        assert "2 alternative paths" in result.stderr
        assert "option-1-homebrew" in result.stderr and "option-2-from-source" in result.stderr
        assert "--path NAME" in result.stderr
    assert not (host.work / "setup.txt").exists()


def test_path_picks_one_path_and_only_its_commands(host, real) -> None:
    folder = real("github-mixed")
    result = host.tutor("plan", "README-setup", str(folder), "--path", "option-2-from-source")
    assert result.code == 0, result.output
    assert "echo clone" in result.stdout and "brew-install" not in result.stdout
    assert "Path: option-2-from-source" in result.stdout
    bad = host.tutor("plan", "README-setup", str(folder), "--path", "nope")
    assert bad.code == 2 and "`nope`, which is not a path" in bad.stderr


def test_default_path_from_the_frontmatter(host, real) -> None:
    folder = real("github-mixed")
    page = folder / "README-setup.md"
    page.write_text(page.read_text().replace("totalSteps: 1\n", "totalSteps: 1\ndefaultPath: option-1-homebrew\n"))
    result = host.tutor("plan", "README-setup", str(folder))
    assert result.code == 0, result.output
    assert "brew-install" in result.stdout and "echo clone" not in result.stdout


def test_a_lesson_without_step_headings_plans_and_runs_its_transcripts(host, real) -> None:
    folder = real("carpentries-shell")
    plan = host.tutor("plan", "navigating-files", str(folder))
    assert plan.code == 0, plan.output
    assert "no `Step N:` headings" in plan.stdout
    assert "Step 1/3: Where am I?" in plan.stdout
    run = host.tutor("run", "navigating-files", str(folder), "--until", "2", "--strict-output", WORK=str(host.work))
    assert run.code == 0, run.output
    assert "command not found" not in run.output
    assert (host.work / "notes.txt").exists()
