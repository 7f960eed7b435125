"""A probe as read-only Ansible tasks: file/dir → stat (+ slurp), http → uri, port/log → wait_for,
service → systemd_service, command/process/disk/env → shell with `failed_when`.

Every check task registers its result, fails by its own `failed_when`, and is ignored on
failure so that the caller can turn the failures into one message. All run in check mode too.
"""

from __future__ import annotations

import math
import re
import shlex
from typing import Any

from ...probes import Probe
from ...probes.describe import describe
from ...probes.spec import (
    CommandProbe, DirProbe, DiskProbe, EnvProbe, FileProbe, HttpProbe, LogProbe, PortProbe, ProcessProbe,
    ServiceProbe,
)
from .context import RoleContext, shell_prelude
from .emit import Unsafe
from .names import display_name, jinja, references

Task = dict[str, Any]


class NotExportable(Exception):
    """A probe the export cannot express yet; the message says why."""


def check_tasks(ctx: RoleContext, probe: Probe, name: str, register: str) -> list[Task]:
    """The tasks that check `probe`; the last one registers `register` and fails when the probe fails."""
    if probe.deferred:
        name_, written = next(iter(probe.deferred.items()))
        raise NotExportable(f"`{name_}: {written}` takes its value from a variable, which the export cannot turn "
                            f"into a number or a flag for Ansible yet; write the value in the check")
    build = _BUILDERS[probe.kind]
    tasks: list[Task] = build(ctx, probe, register)
    sentence = describe(probe)
    for task in tasks:
        task["name"] = display_name(f"{name}: {sentence}")
    last = tasks[-1]
    last["register"] = register
    last["ignore_errors"] = True
    last["changed_when"] = False
    last["check_mode"] = False
    if probe.within > 0 and "until" not in last and probe.kind not in ("port", "log"):
        last["until"] = f"not ({last['failed_when']})"
        last["retries"] = max(1, math.ceil(probe.within / max(probe.interval, 1.0)))
        last["delay"] = max(1, int(probe.interval))
    for task in tasks[:-1]:
        task.setdefault("check_mode", False)
        task.setdefault("changed_when", False)
    return [_ordered(t) for t in tasks]


def _ordered(task: Task) -> Task:
    head = {k: task[k] for k in ("name",) if k in task}
    return {**head, **{k: v for k, v in task.items() if k not in head}}


def _text(ctx: RoleContext, text: str, *, regex: bool = False) -> str:
    converted = jinja(text, ctx.declared, regex=regex)
    if converted is None:
        missing = ", ".join(sorted(references(text) - set(ctx.declared)))
        raise NotExportable(f"the check reads ${missing}, which is not a declared (non-secret) variable of the tutorial")
    return converted


def _literal_var(value: Any) -> Any:
    if isinstance(value, str):
        return Unsafe(value)
    if isinstance(value, list):
        return [_literal_var(v) for v in value]
    if isinstance(value, dict):
        return {k: _literal_var(v) for k, v in value.items()}
    return value


def _file(ctx: RoleContext, probe: Probe, register: str) -> list[Task]:
    assert isinstance(probe, (FileProbe, DirProbe))
    path = _text(ctx, probe.subject)
    stat: dict[str, Any] = {"path": path, "get_checksum": False}
    fails: list[str] = []
    expected: dict[str, Any] = {}
    r = register
    if isinstance(probe, FileProbe) and probe.sha256:
        stat.update(get_checksum=True, checksum_algorithm="sha256")
    if not probe.exists:
        fails.append(f"{r}.stat.exists")
    else:
        kind = "isreg" if probe.kind == "file" else "isdir"
        fails.append(f"not {r}.stat.exists or not {r}.stat.{kind}")
        if probe.mode is not None:
            fails.append(f"{r}.stat.mode != '{probe.mode:04o}'")
        if isinstance(probe, FileProbe) and probe.sha256 and references(probe.sha256):
            expected[f"{r}_sha256"] = _text(ctx, probe.sha256)
            fails.append(f"{r}.stat.checksum != ({r}_sha256 | lower)")
        elif isinstance(probe, FileProbe) and probe.sha256:
            fails.append(f"{r}.stat.checksum != '{probe.sha256}'")
    tasks: list[Task] = [{"ansible.builtin.stat": stat, **({"vars": expected} if expected else {}),
                          "failed_when": " or ".join(fails)}]
    if isinstance(probe, FileProbe) and probe.exists and (probe.contains or probe.matches):
        content_fails = [f"'content' not in {r}"]
        variables: dict[str, Any] = {}
        for index, text in enumerate(probe.contains):
            key = f"{r}_contains_{index}"
            variables[key] = Unsafe(text) if not references(text) else _text(ctx, text)
            content_fails.append(f"{key} not in ({r}.content | b64decode)")
        if probe.matches:
            key = f"{r}_matches"
            variables[key] = Unsafe(probe.matches) if not references(probe.matches) else _text(ctx, probe.matches, regex=True)
            content_fails.append(f"({r}.content | b64decode) is not search({key}, multiline=True)")
        slurp: Task = {"ansible.builtin.slurp": {"src": path}, "vars": variables, "failed_when": " or ".join(content_fails)}
        if probe.mode is None and not probe.sha256:
            return [slurp]  # a missing file fails the slurp: the stat adds nothing
        # The stat task keeps its own result name; the slurp reads the content under `register`.
        tasks[0]["register"] = f"{r}_stat"
        tasks[0]["failed_when"] = tasks[0]["failed_when"].replace(f"{r}.", f"{r}_stat.")
        tasks[0]["ignore_errors"] = True
        slurp["failed_when"] = f"{r}_stat is failed or " + slurp["failed_when"]
        tasks.append(slurp)
    return tasks


def _shell(ctx: RoleContext, text: str, fails: str, variables: dict[str, Any] | None = None,
           timeout: float | None = None) -> Task:
    task: Task = {
        "ansible.builtin.shell": {"cmd": Unsafe(shell_prelude("check") + text), "executable": "/bin/bash"},
        "environment": ctx.environment(),
    }
    if variables:
        task["vars"] = variables
    if timeout:
        task["timeout"] = max(1, math.ceil(timeout))
    task["failed_when"] = fails
    return task


def _command(ctx: RoleContext, probe: Probe, register: str) -> list[Task]:
    assert isinstance(probe, CommandProbe)
    r = register
    fails = [f"{r}.rc != {probe.exit}"]
    variables: dict[str, Any] = {}
    for stream in ("stdout", "stderr"):
        pattern = getattr(probe, stream)
        if pattern is not None:
            key = f"{r}_{stream[3:]}"
            variables[key] = Unsafe(pattern) if not references(pattern) else _text(ctx, pattern, regex=True)
            fails.append(f"{r}.{stream} is not search({key}, multiline=True)")
    text = probe.subject if probe.cwd is None else f"cd {shlex.quote(probe.cwd)}\n{probe.subject}"
    return [_shell(ctx, text, " or ".join(fails), variables, probe.timeout)]


def _http(ctx: RoleContext, probe: Probe, register: str) -> list[Task]:
    assert isinstance(probe, HttpProbe)
    r = register
    statuses = list(probe.status) or list(range(200, 400))
    uri: dict[str, Any] = {
        "url": _text(ctx, probe.subject), "method": probe.method, "follow_redirects": "none",
        "status_code": statuses, "timeout": max(1, math.ceil(probe.timeout)),
        "validate_certs": not probe.insecure,
    }
    if probe.headers:
        uri["headers"] = {k: _text(ctx, v) for k, v in probe.headers.items()}
    fails = [f"{r}.status | default(-1) not in {statuses!r}"]
    variables: dict[str, Any] = {}
    if probe.body is not None or probe.json:
        uri["return_content"] = True
    if probe.body is not None:
        variables[f"{r}_body"] = Unsafe(probe.body) if not references(probe.body) else _text(ctx, probe.body, regex=True)
        fails.append(f"{r}.content | default('') is not search({r}_body, multiline=True)")
    if probe.json:
        variables[f"{r}_json"] = _literal_var(dict(probe.json))
        for index, (path, expected) in enumerate(probe.json.items()):
            getter = "".join(f"[{p[1:-1]}]" if p.startswith("[") else f"[{p!r}]" for p in re.findall(r"[^.\[\]]+|\[-?\d+\]", path))
            value = f"({r}.json | default({{}})){getter}"
            want = f"{r}_json[{path!r}]"
            if isinstance(expected, str) and expected.startswith("~"):
                fails.append(f"({value} | default('') | string) is not search({want}[1:])")
            else:
                fails.append(f"{value} | default(None) != {want}")
    task: Task = {"ansible.builtin.uri": uri, "failed_when": " or ".join(fails)}
    if variables:
        task["vars"] = variables
    return [task]


def _port(ctx: RoleContext, probe: Probe, register: str) -> list[Task]:
    assert isinstance(probe, PortProbe)
    port = _text(ctx, probe.subject)
    return [{"ansible.builtin.wait_for": {
        "host": _text(ctx, probe.host), "port": port if not port.isdigit() else int(port),
        "state": "started" if probe.listening else "stopped",
        "timeout": max(1, math.ceil(probe.within or probe.timeout)),
    }, "failed_when": f"{register} is failed"}]


def _log(ctx: RoleContext, probe: Probe, register: str) -> list[Task]:
    assert isinstance(probe, LogProbe)
    pattern = re.escape(probe.contains) if probe.contains is not None else str(probe.matches)
    if references(pattern):
        raise NotExportable("a log probe whose text reads a variable is not exported yet")
    return [{"ansible.builtin.wait_for": {
        "path": _text(ctx, probe.subject), "search_regex": Unsafe(pattern),
        "timeout": max(1, math.ceil(probe.within or 1)),
    }, "failed_when": f"{register} is failed"}]


def _service(ctx: RoleContext, probe: Probe, register: str) -> list[Task]:
    assert isinstance(probe, ServiceProbe)
    r = register
    fails = [f"{r}.status is not defined"]
    if probe.active is not None:
        fails.append(f"({r}.status.ActiveState == 'active') != {probe.active}")
    if probe.enabled is not None:
        fails.append(f"({r}.status.UnitFileState == 'enabled') != {probe.enabled}")
    return [{"ansible.builtin.systemd_service": {"name": _text(ctx, probe.subject)}, "failed_when": " or ".join(fails)}]


def _process(ctx: RoleContext, probe: Probe, register: str) -> list[Task]:
    assert isinstance(probe, ProcessProbe)
    want = 0 if probe.running else 1
    return [_shell(ctx, f"pgrep -f -- {shlex.quote(probe.subject)} > /dev/null", f"{register}.rc != {want}")]


def _disk(ctx: RoleContext, probe: Probe, register: str) -> list[Task]:
    assert isinstance(probe, DiskProbe)
    text = f"df -P -B1 -- \"{probe.subject}\" | awk 'NR == 2 {{ print $4 }}'"
    return [_shell(ctx, text, f"{register}.rc != 0 or ({register}.stdout | int) < {probe.free}")]


def _env(ctx: RoleContext, probe: Probe, register: str) -> list[Task]:
    assert isinstance(probe, EnvProbe)
    name = probe.subject.strip("${}")
    if probe.value is not None or probe.matches is not None:
        if probe.value is not None:
            test = f'[ "${{{name}-}}" = {shlex.quote(probe.value)} ]'
        else:
            test = f'printf "%s" "${{{name}-}}" | grep -Eq -- {shlex.quote(str(probe.matches))}'
    else:
        test = f'[ -n "${{{name}+set}}" ]' if probe.set else f'[ -z "${{{name}+set}}" ]'
    return [_shell(ctx, test, f"{register}.rc != 0")]


_BUILDERS = {
    "file": _file, "dir": _file, "command": _command, "http": _http, "port": _port, "log": _log,
    "service": _service, "process": _process, "disk": _disk, "env": _env,
}
