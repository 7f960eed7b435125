"""`tutor export ansible` writes a flat project: roles, playbooks, site.yml in reading order, vars, manifest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from .conftest import BIN, FIXTURES, Fleet, tutor  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parents[2]


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_constructor("!unsafe", lambda loader, node: ("UNSAFE", loader.construct_scalar(node)))  # type: ignore[arg-type]


def _load(path: Path) -> object:
    return yaml.load(path.read_text(), Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def test_the_project_has_a_role_and_playbook_per_tutorial_and_site_in_reading_order(tmp_path: Path) -> None:
    out = tmp_path / "ansible"
    done = tutor("export", "ansible", str(ROOT / "tutorials"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    order = tutor("order", str(ROOT / "tutorials"), "--format", "json")
    slugs = [row["slug"] for row in json.loads(order.stdout)] if order.returncode == 0 else None
    site = _load(out / "site.yml")
    assert isinstance(site, list)
    imported = [entry["ansible.builtin.import_playbook"].removesuffix(".yml") for entry in site]
    if slugs is not None:
        assert imported == slugs
    for slug in imported:
        role = slug.replace("-", "_")
        assert (out / "roles" / role / "tasks" / "main.yml").is_file()
        assert (out / "roles" / role / "files" / "tutor-block.sh").is_file()
        assert (out / "roles" / role / "meta" / "argument_specs.yml").is_file()
        play = _load(out / f"{slug}.yml")[0]  # type: ignore[index]
        assert play["roles"][0]["role"] == role and slug in play["roles"][0]["tags"]
    for name in ("preflight.yml", "inventory.example.yml", "ansible.cfg", "tutor-manifest.json", "group_vars/all/tutor.yml"):
        assert (out / name).is_file(), name
    manifest = json.loads((out / "tutor-manifest.json").read_text())
    assert set(manifest["tutorials"]) == set(imported) and manifest["tutor_version"]


def test_code_is_unsafe_and_secrets_stay_out_of_environment_and_group_vars(tmp_path: Path) -> None:
    out = tmp_path / "ansible"
    assert tutor("export", "ansible", str(FIXTURES / "fleet"), "-o", str(out)).returncode == 0
    text = (out / "roles" / "base_files" / "tasks" / "main.yml").read_text()
    assert "cmd: !unsafe" in text
    assert "API_TOKEN:" not in text  # never in environment:
    assert "TUTOR_SECRETS_FILE" in text and "no_log: true" in text
    group_vars = yaml.safe_load((out / "group_vars" / "all" / "tutor.yml").read_text())
    assert group_vars["tutor_api_token"] == "" and "tutor_work_dir" in group_vars
    assert "# WORK_DIR: The folder this tutorial fills." in (out / "group_vars" / "all" / "tutor.yml").read_text()
    specs = _load(out / "roles" / "base_files" / "meta" / "argument_specs.yml")
    assert specs["argument_specs"]["main"]["options"]["tutor_work_dir"]["required"] is True  # type: ignore[index]


def test_check_drift_names_the_changed_step(tmp_path: Path) -> None:
    folder = tmp_path / "fleet"
    shutil.copytree(FIXTURES / "fleet", folder)
    out = tmp_path / "ansible"
    assert tutor("export", "ansible", str(folder), "-o", str(out)).returncode == 0
    same = tutor("export", "ansible", str(folder), "--check-drift", str(out))
    assert same.returncode == 0 and "matches" in same.stdout
    page = folder / "base-files.md"
    page.write_text(page.read_text().replace("echo one > a.txt", "echo two > a.txt"))
    drift = tutor("export", "ansible", str(folder), "--check-drift", str(out))
    assert drift.returncode == 1 and "base-files: step 1 (Make the folder) changed" in drift.stdout
    bad = tutor("export", "ansible", str(folder), "--check-drift", str(tmp_path))
    assert bad.returncode == 2 and "not a manifest" in bad.stderr and "Traceback" not in bad.stderr


def test_the_whole_tutorial_set_passes_syntax_check(tmp_path: Path) -> None:
    out = tmp_path / "ansible"
    assert tutor("export", "ansible", str(ROOT / "tutorials"), "-o", str(out)).returncode == 0
    fleet = Fleet(tmp_path)
    done = fleet.playbook(out, "site.yml", "--syntax-check", inventory=fleet.inventory(("alpha",)))
    assert done.returncode == 0, done.stdout + done.stderr
    done = fleet.playbook(out, "preflight.yml", "--syntax-check", inventory=fleet.inventory(("alpha",)))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_export_is_clean_under_ansible_lint_production_profile(tmp_path: Path) -> None:
    """ansible-lint runs --offline (no Galaxy look-ups) on the fixture set's export."""
    out = tmp_path / "ansible"
    assert tutor("export", "ansible", str(FIXTURES / "fleet"), "-o", str(out)).returncode == 0
    fleet = Fleet(tmp_path)
    import subprocess

    done = subprocess.run([str(BIN / "ansible-lint"), "--offline", "--profile", "production", "-p", "--nocolor"],
                          cwd=out, env=fleet.env(out), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_background_readiness_becomes_checks_right_after_it_starts(tmp_path: Path) -> None:
    out = tmp_path / "ansible"
    readiness = ROOT / "tests" / "runner" / "fixtures" / "readiness"
    assert tutor("export", "ansible", str(readiness), "-o", str(out)).returncode == 0
    tasks = _load(out / "roles" / "slow_server" / "tasks" / "main.yml")[1]["block"]  # type: ignore[index]
    names = [t["name"] for t in tasks]
    start = next(i for i, n in enumerate(names) if n == "Step 1 | web")
    port, http, failed = tasks[start + 1 : start + 4]
    assert "timeout" not in tasks[start]  # timeout= is the time to get ready, not a limit on starting it
    assert port["ansible.builtin.wait_for"]["port"] == "{{ tutor_port }}" and port["ansible.builtin.wait_for"]["timeout"] == 30
    assert http["ansible.builtin.uri"]["url"] == "http://127.0.0.1:{{ tutor_port }}/"
    assert "was not ready within 30 s (its log: {{ tutor_state_dir }}/slow-server/background/web.log)" in \
        failed["ansible.builtin.fail"]["msg"]
    assert f"{port['register']} is failed or {http['register']} is failed" in failed["when"]
    assert next(i for i, n in enumerate(names) if n.startswith("Step 2 | python3")) > start + 3
