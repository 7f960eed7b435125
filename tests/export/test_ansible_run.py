"""Exported playbooks really run: three localhost aliases (-c local), each with its own folders.

One sequence, because each Ansible task costs about a second here: a first run, a second
run that changes nothing, --check after an edit, the edited run, a requires failure, and
the same tutorials run by `tutor run` reaching the same end state.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .conftest import ALIASES, FIXTURES, Fleet, tutor  # type: ignore[import-not-found]


def _recap(output: str) -> dict[str, dict[str, int]]:
    hosts: dict[str, dict[str, int]] = {}
    for line in output.split("PLAY RECAP", 1)[1].splitlines():
        match = re.match(r"(\S+)\s+:\s+(.*)", line.strip())
        if match:
            hosts[match.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(2))}
    return hosts


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_exported_fixture_runs_on_three_hosts_resumes_and_checks(fleet: Fleet, tmp_path: Path) -> None:
    folder = tmp_path / "fleet"
    shutil.copytree(FIXTURES / "fleet", folder)
    project = tmp_path / "ansible"
    assert tutor("export", "ansible", str(folder), "-o", str(project), "--site-url", "https://docs.example").returncode == 0

    # A first run, at -vvv with the JUnit callback: every host gets its files, the checks pass.
    first = fleet.playbook(project, "site.yml", "-vvv")
    output = first.stdout + first.stderr
    assert first.returncode == 0, output[-4000:]
    for host in ALIASES:
        assert (fleet.work(host) / "a.txt").read_text() == "one\n"
        assert (fleet.work(host) / "b.txt").read_text() == "hello from work\n"  # step 1's export and folder carried over
        assert (fleet.work(host) / "c.txt").read_text() == "one\n"
    # scope=once: one alias only.
    assert [h for h in ALIASES if (fleet.work(h) / "once.txt").exists()] == ["alpha"]
    # The secret is in none of the -vvv output, the JUnit file or the files left on the hosts.
    assert fleet.secret not in output
    junit = list((fleet.root / "junit").glob("*.xml"))
    assert junit and all(fleet.secret not in p.read_text() for p in junit)
    assert "[beta]" in junit[0].read_text()  # host names in the case names
    for host in ALIASES:
        for path in (fleet.root / host).rglob("*"):
            if path.is_file():
                assert fleet.secret not in path.read_text(errors="replace"), path
        assert not (fleet.state(host) / "base-files" / "secrets.env").exists()

    # A second run changes nothing.
    second = fleet.playbook(project, "site.yml")
    assert second.returncode == 0, second.stdout[-3000:]
    assert all(counts["changed"] == 0 for counts in _recap(second.stdout).values()), second.stdout[-3000:]
    assert "Base Files: all 3 steps are done and their checks pass" in second.stdout

    # An edited step: --check says per host what would run and changes nothing.
    page = folder / "base-files.md"
    page.write_text(page.read_text().replace("printf '%s' \"$API_TOKEN\"", "echo edited > edited.txt\nprintf '%s' \"$API_TOKEN\""))
    assert tutor("export", "ansible", str(folder), "-o", str(project), "--site-url", "https://docs.example").returncode == 0
    before = {h: _files(fleet.root / h) for h in ALIASES}
    check = fleet.playbook(project, "site.yml", "--check")
    assert check.returncode == 0, check.stdout[-3000:]
    assert check.stdout.count("would run step 3 of Base Files, because step 3 changed since it was done") == 3
    assert {h: _files(fleet.root / h) for h in ALIASES} == before

    # The edited run re-runs only that step.
    edited = fleet.playbook(project, "base-files.yml", "-v")
    assert edited.returncode == 0, edited.stdout[-3000:]
    assert (fleet.work("gamma") / "edited.txt").read_text() == "edited\n"
    step1 = edited.stdout.split("TASK [base_files : Step 1 | mkdir", 1)[1].split("TASK [", 1)[0]
    assert "changed:" not in step1 and step1.count("skipping:") == 3

    # A requires failure names the provider and the page.
    fresh = fleet.inventory(("delta",), name="fresh.yml")
    missing = fleet.playbook(project, "use-files.yml", inventory=fresh)
    assert missing.returncode != 0
    assert "It is provided by Base Files: run base-files.yml (or --tags base-files)." in missing.stdout
    assert "https://docs.example/tutorial/base-files/" in missing.stdout

    # `tutor run` on one host reaches the same end state as the export did on the first alias.
    single = tmp_path / "single" / "work"
    env = {"TUTOR_STATE_DIR": str(tmp_path / "tutor-state"), "API_TOKEN": fleet.secret}
    for slug in ("base-files", "use-files"):
        done = tutor("run", slug, str(folder), "--var", f"WORK_DIR={single}", "--yes", env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    # The exported block saw the secret (its digest is not that of an empty string), as tutor run did.
    ours, theirs = _files(single), _files(fleet.work("alpha"))
    empty_digest = "e3b0c44298fc1c14\n"
    assert theirs["token.sha"] != empty_digest and ours["token.sha"] != empty_digest
    assert ours == theirs
