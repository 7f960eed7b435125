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
    assert "--path option-2-from-source\n" in result.stdout  # the command to copy runs the same path
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


def test_an_error_in_an_unrelated_tutorial_never_blocks_and_one_in_the_chain_does(host, real) -> None:
    folder = real("astro-paths")
    # kms.md holds a complete JSON document that does not parse; gateway does not depend on it.
    plan = host.tutor("plan", "gateway", str(folder))
    assert plan.code == 0, plan.output
    blocked = host.tutor("plan", "kms-extra", str(folder))
    assert blocked.code == 2
    assert "kms.md:27: [blocks/parse]" in blocked.stderr and "--ignore-lint" in blocked.stderr
    forced = host.tutor("plan", "kms-extra", str(folder), "--ignore-lint")
    assert forced.code == 0, forced.output
    assert "WARNING: going ahead despite" in forced.stderr and "kms.md:27" in forced.stderr


def test_run_refuses_placeholders_before_running_anything(host, real) -> None:
    folder = real("astro-paths")
    page = folder / "host-setup.md"
    page.write_text(page.read_text().replace("totalSteps: 1\n", "totalSteps: 1\ndefaultPath: quick-start-setup-with-ansible\n"))
    done = host.tutor("run", "host-setup", str(folder), WORK=str(host.work))
    assert done.code == 0, done.output
    assert (host.work / "host.log").read_text() == "install-ansible\nrun-playbook\n"  # one path, never both
    result = host.tutor("run", "gateway", str(folder), WORK=str(host.work))
    assert result.code == 3, result.output
    assert "gateway.md:39: [runner/placeholder] `YOUR_SERVER_IP`" in result.stderr
    assert "$SERVER_IP" in result.stderr and "nothing ran" in result.stderr
    assert not (host.root / "gw").exists()


def test_editors_fail_fast_without_a_terminal_and_followers_stop_after_their_time(host, real) -> None:
    folder = real("astro-paths")
    result = host.tutor("run", "host-setup", str(folder), "--path", "manual-setup", WORK=str(host.work))
    assert result.code == 3, result.output
    assert "host-setup.md:42: [runner/unattended] `nano` waits for a person" in result.stderr
    assert "{manual}" in result.stderr
    assert not (host.work / "host.log").exists()
    page = folder / "host-setup.md"
    text = page.read_text().replace("```bash\nsudo nano", "```bash {manual}\nsudo nano")
    page.write_text(text.replace("journalctl -u dstack-vmm -f", "tail -f /dev/null"))
    plan = host.tutor("plan", "host-setup", str(folder), "--path", "manual-setup")
    assert "follows output: stopped after 30 s" in plan.stdout
    quick = host.tutor("run", "host-setup", str(folder), "--path", "manual-setup", "--yes", "--skip-manual", "--timeout", "1",
                       WORK=str(host.work))
    assert quick.code == 0, quick.output
    assert "followed the output" in quick.output
    assert "started" in (host.work / "host.log").read_text()


def test_plan_json_is_the_run_written_out(host, real) -> None:
    import json

    folder = real("carpentries-shell")
    result = host.tutor("plan", "navigating-files", str(folder), "--format", "json")
    assert result.code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1 and doc["tutorial"] == "navigating-files"
    assert doc["paths"] == [] and doc["path"] is None and doc["implicit_steps"] is True
    listing = doc["steps"][1]["blocks"][1]
    assert listing["command"] == "printf '%s\\n' one \\\n  two\n"  # no prompt reaches bash
    assert listing["expected_output"] == "one\ntwo" and listing["transcript"] is True and listing["runs"] is True
    # no terminal here, so `less` in step 3 is what `tutor run` would refuse
    assert [(r["rule"], r["line"]) for r in doc["refused"]] == [("runner/unattended", 52)]
    paths = json.loads(host.tutor("plan", "README-setup", str(real("github-mixed")), "--path", "option-1-homebrew",
                                  "--format", "json").stdout)
    assert paths["paths"] == ["option-1-homebrew", "option-2-from-source"] and paths["path"] == "option-1-homebrew"
    assert [s["number"] for s in paths["steps"]] == [1, 2]
