"""Pre-flight: lint errors, missing prerequisites, `requires` checks (the seed-000 situation), variables, people."""

from __future__ import annotations

import socket

from pathlib import Path

from .conftest import Host

BASE = "https://dstack.info"


def dstack_like(host: Host) -> tuple[Path, list[str]]:
    """The fixture as ./tutorials of the host, so the suggested commands are exactly `tutor run <slug>`."""
    host.copy("dstack-like", "tutorials")
    return host.root, ["--var", f"WORK={host.work}", "--var", f"IMAGES_DIR={host.root / 'images'}", "--base-url", BASE]


def test_a_missing_prerequisite_stops_the_run_with_what_to_run_in_order(host: Host) -> None:
    cwd, args = dstack_like(host)
    junit = host.root / "junit.xml"
    result = host.tutor("run", "hello-world-app", *args, "--junit", str(junit), cwd=cwd)
    assert result.code == 3, result.output
    text = result.stderr
    assert "needs 3 prerequisites that are not done on this host" in text
    assert f'<testcase classname="tutor.run.hello-world-app" name="[{socket.gethostname()}] pre-flight"' in junit.read_text()
    positions = [text.index(f"tutor run {slug}\n") for slug in ("vmm-service-setup", "guest-image-setup", "kms-cvm-deployment")]
    assert positions == sorted(positions)  # reading order
    assert f"page: {BASE}/tutorial/guest-image-setup" in text and "not run on this host" in text
    assert "tutor run hello-world-app --with-prerequisites" in text
    assert not (host.work / "order.txt").exists()  # nothing ran


def test_seed_000_a_required_file_another_tutorial_provides(host: Host) -> None:
    """KMS CVM deployment needs the guest image; the generated message points at guest-image-setup."""
    cwd, args = dstack_like(host)
    assert host.tutor("run", "vmm-service-setup", *args, cwd=cwd).code == 0
    result = host.tutor("run", "kms-cvm-deployment", *args, cwd=cwd)
    assert result.code == 3, result.output
    metadata = host.root / "images" / "dstack-0.5.5" / "metadata.json"
    text = result.stderr
    assert f"✗ The file {metadata} exists" in text
    assert "found: no such file" in text
    assert "hint:  No guest image for dstack-0.5.5 is installed; the VMM cannot boot a CVM without one." in text
    assert "Guest Image Setup sets this up:" in text
    assert f"page: {BASE}/tutorial/guest-image-setup" in text
    assert "run:  tutor run guest-image-setup\n" in text
    assert (host.work / "order.txt").read_text().split() == ["vmm-service-setup"]  # the KMS step never ran

    assert host.tutor("run", "guest-image-setup", *args, cwd=cwd).code == 0
    assert host.tutor("run", "kms-cvm-deployment", *args, cwd=cwd).code == 0


def test_a_prerequisite_whose_provides_probe_fails_is_not_done(host: Host) -> None:
    cwd, args = dstack_like(host)
    for slug in ("vmm-service-setup", "guest-image-setup", "kms-cvm-deployment"):
        assert host.tutor("run", slug, *args, cwd=cwd).code == 0
    (host.root / "images" / "dstack-0.5.5" / "metadata.json").unlink()
    result = host.tutor("run", "hello-world-app", *args, cwd=cwd)
    assert result.code == 3, result.output
    assert "Guest Image Setup (guest-image-setup): done" in result.stderr and "but this no longer holds" in result.stderr
    assert "found: no such file" in result.stderr and "tutor run guest-image-setup\n" in result.stderr


def test_with_prerequisites_runs_the_chain_in_reading_order_and_says_so(host: Host) -> None:
    cwd, args = dstack_like(host)
    result = host.tutor("run", "hello-world-app", *args, "--with-prerequisites", cwd=cwd)
    assert result.code == 0, result.output
    assert ("Running 3 missing prerequisites first, in reading order: "
            "vmm-service-setup, guest-image-setup, kms-cvm-deployment") in result.stdout
    assert (host.work / "order.txt").read_text().split() == [
        "vmm-service-setup", "guest-image-setup", "kms-cvm-deployment", "hello-world-app"]
    again = host.tutor("run", "hello-world-app", *args, cwd=cwd)  # now everything is done
    assert again.code == 0 and "every selected step is done" in again.stdout


def test_lint_errors_stop_the_run_only_when_they_are_in_the_tutorials_it_runs(host: Host) -> None:
    folder = host.copy("behaviours")
    (folder / "broken.md").write_text("---\ntitle: Broken\nsection: Behaviours\n---\n")
    unrelated = host.tutor("run", "two-steps", str(folder), "--var", f"WORK={host.work}", "--only", "1")
    assert unrelated.code == 0, unrelated.output  # broken.md is not part of this run
    page = folder / "two-steps.md"
    page.write_text(page.read_text().replace("prerequisites: []", "prerequisites: [broken]"))
    for path in host.work.iterdir():
        path.unlink()
    result = host.tutor("run", "two-steps", str(folder), "--var", f"WORK={host.work}")
    assert result.code == 2
    assert "broken.md:1: [frontmatter/required]" in result.stderr and "--ignore-lint" in result.stderr
    assert not list(host.work.iterdir())


def test_missing_variables_are_all_listed_at_once_without_a_terminal(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "secrets", str(folder))
    assert result.code == 2
    for name in ("WORK", "API_TOKEN", "DB_CREDENTIAL"):
        assert f"  {name}" in result.stderr
    assert "--var WORK=… --var API_TOKEN=… --var DB_CREDENTIAL=…" in result.stderr


def test_blocks_that_need_a_person_are_refused_up_front_without_a_terminal(host: Host) -> None:
    folder = host.copy("behaviours")
    work = f"WORK={host.work}"
    refused = host.tutor("run", "needs-a-person", str(folder), "--var", work)
    assert refused.code == 2 and "asks for confirmation" in refused.stderr and "manual block" in refused.stderr
    assert not (host.work / "confirmed.txt").exists()

    stopped = host.tutor("run", "needs-a-person", str(folder), "--var", work, "--yes")
    assert stopped.code == 1 and "has a block to do by hand" in stopped.stderr and "--skip-manual" in stopped.stderr
    assert (host.work / "confirmed.txt").exists() and not (host.work / "after.txt").exists()

    skipped = host.tutor("run", "needs-a-person", str(folder), "--var", work, "--yes", "--skip-manual")
    assert skipped.code == 0, skipped.output
    assert (host.work / "after.txt").exists()


def test_unknown_slug_and_step_are_usage_errors(host: Host) -> None:
    folder = host.copy("behaviours")
    unknown = host.tutor("run", "two-step", str(folder))
    assert unknown.code == 2 and "did you mean `two-steps`?" in unknown.stderr
    bad_step = host.tutor("run", "two-steps", str(folder), "--from", "9", "--var", f"WORK={host.work}")
    assert bad_step.code == 2 and "has no step '9'" in bad_step.stderr
    assert "Traceback" not in unknown.stderr + bad_step.stderr


def test_page_links_come_from_the_option_the_environment_or_mkdocs(tmp_path: Path) -> None:
    from tutor.runner.links import Links, base_url

    tutorials = tmp_path / "tutorials"
    tutorials.mkdir()
    assert base_url(None, tutorials, {}) == ""
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: https://docs.example.org/\n")
    assert base_url(None, tutorials, {}) == "https://docs.example.org"
    assert base_url(None, tutorials, {"TUTOR_BASE_URL": "https://env.example/"}) == "https://env.example"
    assert base_url("https://dstack.info/", tutorials, {"TUTOR_BASE_URL": "x"}) == "https://dstack.info"
    assert Links("", "tutorials").command("a") == "tutor run a"
    assert Links("", "my tutorials").command("a", "--with-prerequisites") == "tutor run a 'my tutorials' --with-prerequisites"
