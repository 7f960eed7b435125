"""The whole Ansible project: roles, one playbook per tutorial, site.yml in reading order, and the rest."""

from __future__ import annotations

import configparser
import io
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ... import __version__
from ...errors import TutorError
from ...graph import TutorialGraph
from ...model import Tutorial
from ...runner.plan import RunPlan, build_plan
from ...secret_names import is_secret
from .context import RoleContext
from .emit import Unsafe, write_text, write_yaml
from .names import ansible_var, display_name, role_name, section_tag
from ...attributes import SCOPES
from .role import build_role, tutorial_hash, unexported_uses

MANIFEST = "tutor-manifest.json"


@dataclass
class ExportResult:
    out: Path
    tutorials: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_exported: list[str] = field(default_factory=list)


def export_project(graph: TutorialGraph, out: Path, site_url: str = "") -> ExportResult:
    """Write the project into `out` (created if missing); files are written atomically."""
    result = ExportResult(out)
    plans: list[RunPlan] = []
    for tutorial in graph.ordered():
        try:
            plans.append(build_plan(tutorial))
        except TutorError as exc:
            result.not_exported.append(f"{exc.path or tutorial.rel_path}:{exc.line or 0}: {tutorial.slug} not exported: {exc.message}")
    helper = resources.files(__package__).joinpath("tutor-block.sh").read_text(encoding="utf-8")
    for plan in plans:
        tutorial = plan.tutorial
        ctx = RoleContext(tutorial)
        scope = _tutorial_scope(tutorial, result)
        role = build_role(plan, graph, site_url, ctx)
        base = out / "roles" / role_name(tutorial.slug)
        for rel, data in role.files.items():
            write_yaml(base / rel, data)
        write_text(base / "files" / "tutor-block.sh", helper)
        write_yaml(base / "meta" / "main.yml", _meta(tutorial))
        write_yaml(base / "meta" / "argument_specs.yml", _argument_specs(tutorial))
        write_yaml(out / f"{tutorial.slug}.yml", _playbook(tutorial, scope))
        for line, message in unexported_uses(plan):
            ctx.warn(line, message)
        result.warnings += ctx.warnings
        result.not_exported += role.not_exported
        result.tutorials.append(tutorial.slug)
    exported = [p.tutorial for p in plans]
    write_yaml(out / "site.yml", [{"name": display_name(t.title or t.slug), "ansible.builtin.import_playbook": f"{t.slug}.yml"}
                                  for t in exported])
    write_yaml(out / "preflight.yml", _preflight(plans))
    write_text(out / "group_vars" / "all" / "tutor.yml", _group_vars(exported, result))
    write_yaml(out / "inventory.example.yml", _inventory())
    write_text(out / "ansible.cfg", _ansible_cfg())
    write_text(out / MANIFEST, json.dumps(manifest(plans), indent=2) + "\n")
    return result


def _tutorial_scope(tutorial: Tutorial, result: ExportResult) -> str:
    scope = tutorial.meta.get("scope", "host")
    if scope not in SCOPES:
        result.warnings.append(f"{tutorial.rel_path}:{tutorial.line_of('scope')}: scope {scope!r} is not one of {', '.join(SCOPES)}; "
                               "exported as host")
        return "host"
    return str(scope)


def manifest(plans: list[RunPlan]) -> dict[str, Any]:
    """What drift detection compares: the tutor version and every step's hash."""
    return {
        "tutor_version": __version__,
        "tutorials": {
            p.tutorial.slug: {"role": role_name(p.tutorial.slug), "hash": tutorial_hash(p),
                              "steps": [{"number": s.number, "title": s.title, "hash": s.hash} for s in p.steps]}
            for p in plans
        },
    }


def _playbook(tutorial: Tutorial, scope: str) -> list[dict[str, Any]]:
    hosts = {"host": "{{ tutor_hosts | default('all') }}", "once": "{{ tutor_hosts | default('all') }}[0]", "local": "localhost"}[scope]
    return [{
        "name": display_name(tutorial.title or tutorial.slug),
        "hosts": hosts,
        "gather_facts": False,
        "roles": [{"role": role_name(tutorial.slug), "tags": [section_tag(tutorial.section), tutorial.slug]}],
    }]


def _meta(tutorial: Tutorial) -> dict[str, Any]:
    return {
        "galaxy_info": {
            "author": "tutor export ansible",
            "description": Unsafe(tutorial.description or tutorial.title),
            "license": "license of the tutorial set",
            "min_ansible_version": "2.15",
            "platforms": [{"name": "Ubuntu", "versions": ["all"]}],
            "galaxy_tags": [],
        },
        "dependencies": [],
    }


def _argument_specs(tutorial: Tutorial) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for variable in tutorial.variables.values():
        options[ansible_var(variable.name)] = {
            "type": "str",
            "required": bool(variable.required and not is_secret(variable)),
            "description": Unsafe(f"{variable.name}: {variable.description}".rstrip(": ")),
        }
    options["tutor_state_dir"] = {"type": "str", "required": True,
                                  "description": "Folder on the host for step markers and saved exports."}
    return {"argument_specs": {"main": {"short_description": Unsafe(tutorial.title or tutorial.slug),
                                        "description": [Unsafe(tutorial.description or tutorial.title)],
                                        "options": options}}}


def _preflight(plans: list[RunPlan]) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = [
        {"name": "Bash is installed", "ansible.builtin.stat": {"path": "/bin/bash"}, "register": "tutor_bash",
         "failed_when": "not tutor_bash.stat.exists"},
    ]
    if any(b.prompts for p in plans for s in p.steps for b in s.blocks):
        tasks.append({"name": "Pexpect is importable (blocks that answer prompts use ansible.builtin.expect)",
                      "ansible.builtin.command": {"argv": ["{{ ansible_python_interpreter | default('/usr/bin/python3') }}", "-c", "import pexpect"]},
                      "changed_when": False})
    if any(b.background and b.keep for p in plans for s in p.steps for b in s.blocks):
        tasks.append({"name": "Systemd-run is available (kept background processes become transient units)",
                      "ansible.builtin.command": {"argv": ["systemd-run", "--version"]}, "changed_when": False})
    return [{"name": "Pre-flight for the exported tutorials", "hosts": "{{ tutor_hosts | default('all') }}", "gather_facts": False,
             "tasks": tasks}]


def _group_vars(tutorials: list[Tutorial], result: ExportResult) -> str:
    """Every variable's default with its description as a comment; secrets left empty."""
    import yaml

    seen: dict[str, tuple[str | None, str]] = {}
    chunks = ["---\n# Generated by `tutor export ansible`: the variables of every exported tutorial.\n",
              "# Secrets are left empty: give them from Ansible Vault or `-e @secrets.yml`.\n",
              "\n# Folder on each host for step markers, saved exports and secrets files.\n",
              yaml.safe_dump({"tutor_state_dir": "/var/lib/tutor/ansible"}, sort_keys=False),
              "# true answers `confirm` blocks and `manual` steps without checks.\n",
              yaml.safe_dump({"tutor_yes": False}, sort_keys=False)]
    for tutorial in tutorials:
        for variable in tutorial.variables.values():
            name = ansible_var(variable.name)
            default = "" if is_secret(variable) else (variable.default or "")
            if name in seen:
                if seen[name][0] != default:
                    result.warnings.append(f"{tutorial.rel_path}:{variable.line}: {variable.name} defaults to {default!r} here but to "
                                           f"{seen[name][0]!r} in {seen[name][1]}; group_vars keeps the first")
                continue
            seen[name] = (default, tutorial.slug)
            notes = [variable.name + (": " + " ".join(variable.description.split()) if variable.description else "")]
            if is_secret(variable):
                notes.append("secret: set it from Vault or -e @file")
            elif variable.required:
                notes.append("required")
            chunks.append("\n" + "".join(f"# {n}\n" for n in notes))
            chunks.append(yaml.safe_dump({name: default}, sort_keys=False, allow_unicode=True, width=10_000))
    return "".join(chunks)


def _inventory() -> dict[str, Any]:
    return {"all": {"hosts": {"host1.example.com": {"ansible_user": "ubuntu"}, "host2.example.com": {"ansible_user": "ubuntu"}},
                    "vars": {"tutor_state_dir": "/var/lib/tutor/ansible"}}}


def _ansible_cfg() -> str:
    config = configparser.ConfigParser(interpolation=None)
    config["defaults"] = {
        "roles_path": "roles",
        "inventory": "inventory.yml",
        "callbacks_enabled": "ansible.builtin.junit",
        "interpreter_python": "auto_silent",
        "forks": "20",
    }
    config["callback_junit"] = {"output_dir": "junit", "hide_task_arguments": "true", "include_setup_tasks_in_report": "false"}
    config["ssh_connection"] = {"pipelining": "true"}
    buffer = io.StringIO()
    buffer.write("# Generated by `tutor export ansible`.\n")
    config.write(buffer)
    return buffer.getvalue()
