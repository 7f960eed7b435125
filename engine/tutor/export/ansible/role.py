"""One tutorial → one role: `tasks/main.yml`, a checks file per step, meta, argument specs, the helper.

The resume rule is tutor run's: a step runs again when its marker (a file holding the step's
hash) is missing or differs, or when a check of a done step fails now; from that step on,
everything runs. Checks of done steps run first (read-only), so `--check` can say per host
which steps would run and why.
"""

from __future__ import annotations

import hashlib
import math
import shlex
from dataclasses import dataclass, field
from typing import Any

from ...graph import TutorialGraph
from ...runner.plan import PlannedBlock, PlannedStep, RunPlan
from ...secret_names import is_secret
from .checks import NotExportable, Task, check_tasks
from .context import RoleContext, shell_prelude
from .emit import Unsafe
from .names import ansible_var, display_name, jinja, references

LONG_TIMEOUT = 300
"""Blocks allowed longer than this run with `async` + `poll`, so an SSH session is not held idle."""


@dataclass
class RoleFiles:
    """The files of one role, as data to dump; paths relative to the role folder."""

    files: dict[str, Any] = field(default_factory=dict)
    not_exported: list[str] = field(default_factory=list)


def build_role(plan: RunPlan, graph: TutorialGraph, site_url: str, ctx: RoleContext) -> RoleFiles:
    tutorial = plan.tutorial
    out = RoleFiles()
    r = ctx.var
    steps = plan.steps
    title = tutorial.title or tutorial.slug

    tasks: list[Task] = []
    required = [v for v in tutorial.variables.values() if v.required and not is_secret(v)]
    if required:
        tasks.append({
            "name": display_name(f"{title} | required variables are set"),
            "ansible.builtin.assert": {
                "that": [f"{ansible_var(v.name)} | string | length > 0" for v in required],
                "fail_msg": Unsafe("Set " + ", ".join(f"{ansible_var(v.name)} ({v.name}: {v.description})" for v in required)
                                   + " in group_vars/all/tutor.yml, host_vars or -e."),
                "quiet": True,
            },
            "tags": ["always"],
        })

    body: list[Task] = [
        {"name": "Prepare the state folder", "ansible.builtin.file": {"path": ctx.state_dir, "state": "directory", "mode": "0700"},
         "tags": ["always"]},
        {"name": "Install the block helper", "ansible.builtin.copy": {"src": "tutor-block.sh", "dest": ctx.helper, "mode": "0644"},
         "tags": ["always"]},
    ]
    body += _requires_tasks(plan, graph, site_url, ctx, out)
    if ctx.secret_names:
        lines = "".join(f"{name}={{{{ {ansible_var(name)} | default('') | quote }}}}\n" for name in ctx.secret_names)
        body.append({"name": "Write the secrets file (removed when the role ends)", "ansible.builtin.copy": {
            "dest": ctx.secrets_file, "content": lines, "mode": "0600"}, "no_log": True, "changed_when": False,
            "tags": ["always"]})

    markers = [(f"step-{i}.done", hashlib.sha1(s.hash.encode()).hexdigest()) for i, s in enumerate(steps, 1)]
    body.append({"name": "Read the step markers", "ansible.builtin.find": {
        "paths": ctx.state_dir, "patterns": "step-*.done", "get_checksum": True}, "register": r("markers"), "tags": ["always"]})
    have = (f"{{% set have = dict({r('markers')}.files | map(attribute='path') | map('basename')"
            f" | zip({r('markers')}.files | map(attribute='checksum'))) %}}")
    first = (f"{{% set ns = namespace(n=0, why='') %}}{have}{{% for want in {r('expected')} %}}"
             "{% if ns.n == 0 and have.get(want[0]) != want[1] %}{% set ns.n = loop.index %}"
             f"{{% set ns.why = 'step ' ~ {r('numbers')}[loop.index0] ~ (' is not done yet' if have.get(want[0]) is none"
             " else ' changed since it was done') %}{% endif %}{% endfor %}")
    body.append({"name": "Find the first step to run", "ansible.builtin.set_fact": {
        r("from"): first + f"{{{{ ns.n or ({r('expected')} | length + 1) }}}}",
        r("reason"): first + "{{ ns.why }}",
    }, "vars": {r("expected"): [list(m) for m in markers], r("numbers"): [s.number for s in steps]}, "tags": ["always"]})

    for index, step in enumerate(steps, 1):
        body += _step_tasks(ctx, step, index, out)

    body.append({"name": display_name(f"{title} | mark the tutorial done"), "ansible.builtin.copy": {
        "dest": ctx.state_dir + "/done", "content": Unsafe(tutorial_hash(plan)), "mode": "0600"},
        "when": "not ansible_check_mode"})
    body.append({"name": display_name(f"{title} | summary"), "ansible.builtin.debug": {"msg": _summary(ctx, plan)},
                 "vars": {r("title"): Unsafe(title), r("numbers"): [s.number for s in steps]}, "tags": ["always", "verify"]})

    always: list[Task] = []
    if ctx.secret_names:
        always.append({"name": "Remove the secrets file", "ansible.builtin.file": {"path": ctx.secrets_file, "state": "absent"},
                       "changed_when": False, "tags": ["always"]})
    if any(b.background and not b.keep for s in steps for b in s.blocks):
        always.append({"name": "Stop the background processes this tutorial started", "ansible.builtin.shell": {
            "cmd": Unsafe(shell_prelude("check") + "tutor_stop_backgrounds"), "executable": "/bin/bash"},
            "environment": ctx.environment(), "changed_when": False, "failed_when": False, "tags": ["always"]})
    block: Task = {"name": display_name(title), "block": body}
    if always:
        block["always"] = always
    tasks.append(block)
    out.files["tasks/main.yml"] = tasks
    return out


def tutorial_hash(plan: RunPlan) -> str:
    return "sha256:" + hashlib.sha256("\n".join(s.hash for s in plan.steps).encode()).hexdigest()


def _summary(ctx: RoleContext, plan: RunPlan) -> str:
    r = ctx.var
    n = len(plan.steps)
    if n == 0:
        return f"{{{{ {r('title')} }}}}: nothing to run"
    span = (f"('step ' ~ {r('numbers')}[{r('from')} | int - 1]) if {r('from')} | int == {n} else "
            f"('steps ' ~ {r('numbers')}[{r('from')} | int - 1] ~ '-' ~ {r('numbers')}[-1])")
    return ("{{ (" + r("title") + " ~ ': all " + str(n) + " steps are done and their checks pass') if "
            + r("from") + " | int > " + str(n) + " else (('would run ' if ansible_check_mode else 'ran ') ~ ("
            + span + ") ~ ' of ' ~ " + r("title") + " ~ ', because ' ~ " + r("reason") + ") }}")


def _scope(ctx: RoleContext, block: PlannedBlock, step: PlannedStep) -> str:
    return step.scope_of(block) or "host"


def _apply_scope(task: Task, scope: str) -> Task:
    if scope == "once":
        task["run_once"] = True
    elif scope == "local":
        task["delegate_to"] = "localhost"
    return task


def _step_tasks(ctx: RoleContext, step: PlannedStep, index: int, out: RoleFiles) -> list[Task]:
    r = ctx.var
    label = f"Step {step.number}"
    runs = f"{r('from')} | int <= {index}"
    check_file = f"step{index}_checks.yml"
    manual = "\n".join(b.code.strip() for b in step.blocks if b.manual)
    checks = _checks_file(ctx, step, index, label, manual, out)
    tasks: list[Task] = []
    if checks:
        out.files[f"tasks/{check_file}"] = checks
        tasks.append({"name": display_name(f"{label} | check whether it still holds"), "ansible.builtin.import_tasks": check_file,
                      "vars": {r("phase"): "pre", r("manual"): Unsafe(manual)}, "when": f"{r('from')} | int > {index}",
                      "tags": ["verify"]})
    # Markers are per host even for a `once` step: every host knows the fleet has done it.
    tasks.append({"name": display_name(f"{label} | forget that it was done"), "ansible.builtin.file": {
        "path": f"{ctx.state_dir}/step-{index}.done", "state": "absent"}, "when": [runs, "not ansible_check_mode"]})
    reboot = False
    for block in step.blocks:
        if not block.runs:
            continue
        if block.manual:
            if not step.probes:
                tasks.append({"name": display_name(f"{label} | done by hand: confirm with -e tutor_yes=true"), "ansible.builtin.fail": {
                    "msg": Unsafe(f"{label} of {ctx.tutorial.title} is done by hand on each host:\n{block.code.strip()}\n"
                                  "When it is done, run again with -e tutor_yes=true.")},
                    "when": [runs, "not (tutor_yes | default(false) | bool)"]})
            continue
        tasks += _block_tasks(ctx, step, block, index, runs)
        reboot = reboot or block.block.attributes.get("reboot", "false").strip().lower() not in ("false", "no", "0", "off")
    marker = {"name": display_name(f"{label} | mark it done"), "ansible.builtin.copy": {
        "dest": f"{ctx.state_dir}/step-{index}.done", "content": Unsafe(step.hash), "mode": "0600"},
        "when": [runs, "not ansible_check_mode"]}
    post = ({"name": display_name(f"{label} | check the result"), "ansible.builtin.import_tasks": check_file,
             "vars": {r("phase"): "post", r("manual"): Unsafe(manual)}, "when": [runs, "not ansible_check_mode"], "tags": ["verify"]}
            if checks else None)
    if reboot:
        tasks.append(marker)
        tasks.append({"name": display_name(f"{label} | reboot"), "ansible.builtin.reboot": {"msg": "Rebooting for " + display_name(step.title)},
                      "when": [runs, "not ansible_check_mode"]})
        if post:
            tasks.append(post)
    else:
        if post:
            tasks.append(post)
        tasks.append(marker)
    return tasks


def _checks_file(ctx: RoleContext, step: PlannedStep, index: int, label: str, manual: str, out: RoleFiles) -> list[Task]:
    r = ctx.var
    tasks: list[Task] = []
    registers: list[str] = []
    sentences: list[str] = []
    for number, planned in enumerate(step.probes, 1):
        register = r(f"c{index}_{number}")
        try:
            built = check_tasks(ctx, planned.probe, f"{label} check", register)
        except NotExportable as exc:
            out.not_exported.append(f"{ctx.tutorial.rel_path}:{planned.line}: {label}: check not exported: {exc}")
            continue
        tasks += built
        registers.append(register)
        from ...probes.describe import describe

        sentence = describe(planned.probe)
        sentences.append(sentence + (f" (hint: {planned.probe.hint})" if planned.probe.hint else ""))
    if not tasks:
        return []
    failed = "[" + ", ".join(f"{reg} is failed" for reg in registers) + "]"
    listing = f"{r('sentences')} | zip({failed}) | selectattr('1') | map(attribute='0') | list"
    common = {r("sentences"): [Unsafe(s) for s in sentences]}
    tasks.append({"name": display_name(f"{label} | a failing check makes it run again"), "ansible.builtin.set_fact": {
        r("from"): index, r("reason"): f"{{{{ 'step {step.number} is done, but a check no longer passes: ' ~ ({listing})[0] }}}}"},
        "vars": common, "when": [f"{r('phase')} == 'pre'", f"{failed} is any"], "tags": ["verify"]})
    title = ctx.tutorial.title
    tasks.append({"name": display_name(f"{label} | its checks pass"), "ansible.builtin.fail": {
        "msg": "{{ (['" + f"{label} of ".replace("'", "") + "' ~ " + r("title_text") + " ~ ' on ' ~ inventory_hostname ~ ': these checks fail:'] + "
               + listing + " + ([('Do this by hand, then run again: ' ~ " + r("manual") + ")] if " + r("manual") + " else [])) }}"},
        "vars": {**common, r("title_text"): Unsafe(title)}, "when": [f"{r('phase')} == 'post'", f"{failed} is any"], "tags": ["verify"]})
    return tasks


def _block_tasks(ctx: RoleContext, step: PlannedStep, block: PlannedBlock, index: int, runs: str) -> list[Task]:
    r = ctx.var
    attrs = block.block.attributes
    label = f"Step {step.number}"
    first_line = next((line.strip() for line in block.code.splitlines() if line.strip() and not line.strip().startswith("#")), "")
    name = display_name(f"{label} | {block.id or first_line[:70]}")
    when: list[str] = [runs]
    tasks: list[Task] = []
    if block.confirm:
        when.append("tutor_yes | default(false) | bool")
    cwd = block.cwd
    chdir = jinja(cwd, ctx.declared) if cwd else None
    if cwd and chdir is None:
        ctx.warn(block.line, f"cwd={cwd} reads a variable that is not declared; the block runs in the previous block's folder")
    if "unless" in attrs:
        guard = r(f"unless_{index}_{block.index}")
        tasks.append({"name": display_name(f"{label} | guard: {attrs['unless'][:60]}"), "ansible.builtin.shell": {
            "cmd": Unsafe(shell_prelude("check") + attrs["unless"]), "executable": "/bin/bash"},
            "environment": ctx.environment(), "register": guard, "changed_when": False, "failed_when": False,
            "check_mode": False, "when": list(when)})
        when.append(f"{guard}.rc != 0")
    env = ctx.environment(chdir=chdir is not None)
    if block.prompts:
        responses: dict[str, Any] = {}
        for prompt, answer in block.prompts:
            key = Unsafe(_regex_escape(prompt))
            responses.setdefault(key, []).append(Unsafe(answer))
        script = shell_prelude("run") + block.code
        task: Task = {"name": name, "ansible.builtin.expect": {
            "command": Unsafe("/bin/bash -c " + shlex.quote(script)),
            "responses": {k: v[0] if len(v) == 1 else v for k, v in responses.items()},
            "timeout": int(block.timeout) if block.timeout else None}}
        if chdir:
            task["ansible.builtin.expect"]["chdir"] = chdir
    else:
        code = block.code
        if block.background:
            end = "TUTOR_BACKGROUND_END"
            code = f"tutor_background {shlex.quote(block.name)}{' keep' if block.keep else ''} <<'{end}'\n{code.rstrip()}\n{end}\n"
        shell: dict[str, Any] = {"cmd": Unsafe(shell_prelude("run") + code), "executable": "/bin/bash"}
        if chdir:
            shell["chdir"] = chdir
        for guard_key in ("creates", "removes"):
            if guard_key in attrs:
                value = jinja(attrs[guard_key], ctx.declared)
                if value is None:
                    ctx.warn(block.line, f"{guard_key}={attrs[guard_key]} reads a variable that is not declared; the guard is left out")
                else:
                    shell[guard_key] = value
        task = {"name": name, "ansible.builtin.shell": shell}
    task["environment"] = env
    if not ({"creates", "removes"} & set(task.get("ansible.builtin.shell", {}))):
        task["changed_when"] = True
    # A background's timeout is how long it may take to get ready (`_ready_tasks`), not a limit on starting it.
    if block.timeout and not block.prompts and not block.background:
        if block.timeout > LONG_TIMEOUT:
            task["async"] = int(math.ceil(block.timeout))
            task["poll"] = 10
        else:
            task["timeout"] = int(math.ceil(block.timeout))
    task["when"] = when if len(when) > 1 else when[0]
    if any(token in block.code for token in ("{{", "{%", "{#")):
        # ansible-lint templates !unsafe text too and reports docker's `{{.Names}}` as broken Jinja.
        task["tags"] = ["skip_ansible_lint"]
    tasks.append(_apply_scope(task, _scope(ctx, block, step)))
    tasks += _ready_tasks(ctx, step, block, when)
    for t in tasks:
        if t is not task:
            _apply_scope(t, _scope(ctx, block, step))
    return tasks


def _ready_tasks(ctx: RoleContext, step: PlannedStep, block: PlannedBlock, when: list[str]) -> list[Task]:
    """A background's readiness (`ready-port`, `ready-http`, `ready-log`) as checks right after it starts,
    and a task that fails with the background's log when one of them does not pass in time."""
    from ...probes import LogProbe
    from ...readiness import READY_TIMEOUT, readiness_probes

    ready = block.block.options.ready
    if not block.background or not ready:
        return []
    within = block.timeout or READY_TIMEOUT
    log = f"{ctx.state_dir}/background/{block.name}.log"
    tasks: list[Task] = []
    registers: list[str] = []
    for number, probe in enumerate(readiness_probes(ready, log_path=log, within=within), 1):
        if probe.kind == "log" and block.keep:
            ctx.warn(block.line, f"ready-log on a kept background is not exported (its output goes to the journal); "
                                 f"the export does not wait for {block.name}")
            continue
        register = ctx.var(f"ready{step.number}_{block.index}_{number}")
        try:
            if isinstance(probe, LogProbe):
                wait: Task = {
                    "name": display_name(f"Step {step.number} | {block.name} is ready: its log has a line containing "
                                         f"`{probe.contains}` (within {within:g} s)"),
                    "ansible.builtin.wait_for": {"path": log, "search_regex": Unsafe(_regex_escape(probe.contains or "")),
                                                 "timeout": max(1, math.ceil(within))},
                    "failed_when": f"{register} is failed", "register": register, "ignore_errors": True,
                    "changed_when": False, "check_mode": False}
                built = [wait]
            else:
                built = check_tasks(ctx, probe, f"Step {step.number} | {block.name} is ready", register)
        except NotExportable as exc:
            ctx.warn(block.line, f"readiness of {block.name} not exported: {exc}")
            continue
        for task in built:
            task["when"] = list(when) + ["not ansible_check_mode"]
        tasks += built
        registers.append(register)
    if registers:
        failed = " or ".join(f"{reg} is failed" for reg in registers)
        where = f"its log: {log}" if not block.keep else "its output is in the journal of its tutor-… unit"
        texts = {ctx.var("title_text"): Unsafe(ctx.tutorial.title), ctx.var("block_name"): Unsafe(block.name)}
        tasks.append({"name": display_name(f"Step {step.number} | {block.name} got ready"), "ansible.builtin.fail": {
            "msg": f"Step {step.number} of {{{{ {ctx.var('title_text')} }}}}: the background block {{{{ {ctx.var('block_name')} }}}} "
                   f"was not ready within {within:g} s ({where})"},
            "vars": texts, "when": list(when) + ["not ansible_check_mode", failed]})
    return tasks


def _regex_escape(text: str) -> str:
    import re

    return re.escape(text)


def _requires_tasks(plan: RunPlan, graph: TutorialGraph, site_url: str, ctx: RoleContext, out: RoleFiles) -> list[Task]:
    tasks: list[Task] = []
    tutorial = plan.tutorial
    for number, requirement in enumerate(plan.requires, 1):
        condition = requirement.condition
        register = ctx.var(f"requires_{number}")
        provider = graph.provider_of(condition.name) if condition.name else None
        probe = requirement.probe
        probe_ctx = ctx
        if probe is None and provider is not None:
            provided = next((p for p in provider.provides if p.name == condition.name and p.probe is not None), None)
            if provided is not None:
                from ...probes import parse_probe

                probe = parse_probe(provided.probe)  # type: ignore[arg-type]
                probe_ctx = RoleContext(provider)
        what = condition.name or (probe.subject if probe else "a condition")
        try:
            if probe is not None:
                built = check_tasks(probe_ctx, probe, "Requires", register)
            elif provider is not None:
                built = [{"name": display_name(f"Requires {what}: {provider.title} is done"),
                          "ansible.builtin.stat": {"path": "{{ tutor_state_dir }}/" + provider.slug + "/done"},
                          "register": register, "failed_when": f"not {register}.stat.exists",
                          "ignore_errors": True, "changed_when": False, "check_mode": False}]
            else:
                out.not_exported.append(f"{tutorial.rel_path}:{condition.line}: requires {what}: no tutorial provides it")
                continue
        except NotExportable as exc:
            out.not_exported.append(f"{tutorial.rel_path}:{condition.line}: requires {what}: not exported: {exc}")
            continue
        for task in built:
            task["tags"] = ["always", "verify"]
        tasks += built
        lines = [f"{tutorial.title} needs {what}, which does not hold on this host."]
        if probe is not None and probe.hint:
            lines.append(probe.hint)
        if provider is not None:
            lines.append(f"It is provided by {provider.title}: run {provider.slug}.yml (or --tags {provider.slug}).")
            lines.append(f"See {site_url.rstrip('/')}/tutorial/{provider.slug}/")
        tasks.append({"name": display_name(f"Requires {what}"), "ansible.builtin.fail": {"msg": Unsafe(" ".join(lines))},
                      "when": f"{register} is failed", "tags": ["always", "verify"]})
    return tasks


def unexported_uses(plan: RunPlan) -> list[tuple[int, str]]:
    """Where a later block uses a function or an unexported variable an earlier block defined.

    Each exported block is a new shell: those do not carry over (the runner's one shell keeps them).
    """
    import re

    function = re.compile(r"^\s*(?:function\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\(\)", re.MULTILINE)
    assignment = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)=", re.MULTILINE)
    exported = re.compile(r"^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)
    functions: set[str] = set()
    plain: set[str] = set()
    found: list[tuple[int, str]] = []
    for step in plan.steps:
        for block in step.blocks:
            code = block.code
            used_functions = {f for f in functions if re.search(rf"(?:^|[\s;&|(]){re.escape(f)}(?:\s|$|;)", code)}
            used_vars = (references(code) & plain) - set(assignment.findall(code))
            for name in sorted(used_functions):
                found.append((block.line, f"uses the shell function {name}() from an earlier block; each exported block is a new shell"))
            for name in sorted(used_vars):
                found.append((block.line, f"uses ${name}, set but not exported by an earlier block; `export {name}` to carry it over"))
            functions |= set(function.findall(code))
            plain |= set(assignment.findall(code))
            plain -= set(exported.findall(code))
    return found
