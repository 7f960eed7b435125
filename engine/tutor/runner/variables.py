"""Where each variable's value comes from: `--var`, then the environment, then the default, then a prompt.

A required variable with no value is asked for when a terminal is attached (a secret without
echo); without one, resolution fails listing every missing variable at once, so the operator
fixes them in one go. A variable is secret when the tutorial marks it so or its name ends in
TOKEN, SECRET, PASSWORD, PASSWD or KEY; its value shows as `***` everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ..errors import TutorError, UsageError
from ..model import Tutorial, Variable
from .redact import is_secret_name

SOURCE_OPTION = "--var"
SOURCE_ENVIRONMENT = "environment"
SOURCE_DEFAULT = "default"
SOURCE_PROMPT = "prompt"
SOURCE_STATE = "last run"
SOURCE_MISSING = "missing"
SOURCE_UNSET = "unset"

Prompt = Callable[[Variable, bool], str]
"""Asks for a variable's value; the flag says the answer is secret (no echo)."""


def parse_var_options(values: Iterable[str]) -> dict[str, str]:
    """`--var K=V` options → mapping; the last one wins for a repeated name."""
    result: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier() or not name.isascii():
            raise UsageError(f"--var {item!r} is not NAME=VALUE", "write e.g. --var DSTACK_VERSION=0.5.5 (the name is a shell variable name)")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(f"--var {name}=… holds bytes that are not UTF-8 text",
                             f"pass {name} as UTF-8 (e.g. convert it with iconv), or export it in the environment") from None
        result[name] = value
    return result


class MissingVariables(TutorError):
    """Required variables without a value and no terminal to ask on."""

    def __init__(self, tutorial: Tutorial, missing: list[Variable]) -> None:
        lines = [f"  {v.name}" + (f": {v.description}" if v.description else "") + (" (secret)" if v.secret else "")
                 for v in missing]
        names = " ".join(f"--var {v.name}=…" for v in missing)
        noun = "variable has" if len(missing) == 1 else "variables have"
        super().__init__(
            f"`{tutorial.slug}` needs {len(missing)} {noun} no value:\n" + "\n".join(lines),
            f"pass {names}, or export them in the environment (secrets are better exported than typed on the command line)",
            path=tutorial.rel_path, line=missing[0].line)
        self.missing = missing


@dataclass
class Resolution:
    """The values of one run, and for each name where its value came from."""

    values: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    secret_names: set[str] = field(default_factory=set)
    declared: dict[str, Variable] = field(default_factory=dict)

    @property
    def secret_values(self) -> list[str]:
        return [self.values[n] for n in self.secret_names if self.values.get(n)]

    def is_secret(self, name: str) -> bool:
        return name in self.secret_names or is_secret_name(name)

    def shown(self, name: str) -> str:
        """The value as a person may see it."""
        if name not in self.values:
            return ""
        return "***" if self.is_secret(name) else self.values[name]

    def public_values(self) -> dict[str, str]:
        """The values that may be written to disk (state): never a secret."""
        return {n: v for n, v in self.values.items() if not self.is_secret(n)}

    @property
    def missing_required(self) -> list[Variable]:
        return [v for n, v in self.declared.items() if self.sources.get(n) == SOURCE_MISSING]


def resolve(
    tutorial: Tutorial,
    options: Mapping[str, str],
    environ: Mapping[str, str],
    *,
    prompt: Prompt | None = None,
    remembered: Mapping[str, str] | None = None,
) -> Resolution:
    """Resolve the tutorial's variables (and any extra `--var`), asking for the missing ones with `prompt`.

    `remembered` holds the values of the tutorial's last run; they come after the environment
    and before the default, and only serve re-checking what that run set up.
    Without `prompt`, missing required variables are left with the source "missing".
    """
    result = Resolution(declared=dict(tutorial.variables))
    for name, variable in tutorial.variables.items():
        if variable.secret or is_secret_name(name):
            result.secret_names.add(name)
        if name in options:
            result.values[name], result.sources[name] = options[name], SOURCE_OPTION
        elif name in environ:
            result.values[name], result.sources[name] = environ[name], SOURCE_ENVIRONMENT
        elif remembered and name in remembered:
            result.values[name], result.sources[name] = remembered[name], SOURCE_STATE
        elif variable.default is not None:
            result.values[name], result.sources[name] = variable.default, SOURCE_DEFAULT
        else:
            result.sources[name] = SOURCE_MISSING if variable.required else SOURCE_UNSET
    for name, value in options.items():
        if name not in tutorial.variables:
            # Undeclared --var values still reach the shell: the operator asked for them.
            result.values[name], result.sources[name] = value, SOURCE_OPTION
            if is_secret_name(name):
                result.secret_names.add(name)
    missing = result.missing_required
    if missing and prompt is not None:
        for variable in missing:
            secret = variable.name in result.secret_names
            result.values[variable.name] = prompt(variable, secret)
            result.sources[variable.name] = SOURCE_PROMPT
    return result


def require_all(tutorial: Tutorial, resolution: Resolution) -> None:
    missing = resolution.missing_required
    if missing:
        raise MissingVariables(tutorial, missing)


def require_passable(tutorial: Tutorial, resolution: Resolution) -> None:
    """Every value can go into the shell's environment (a default may hold a NUL, which none can):
    checked before anything runs, with where the value came from."""
    from .spawn_env import environment_problem

    for name, value in resolution.values.items():
        problem = environment_problem(name, value)
        if problem is None:
            continue
        source = resolution.sources.get(name, "")
        declared = resolution.declared.get(name)
        where = {SOURCE_DEFAULT: "its default", SOURCE_OPTION: "given with --var"}.get(source, f"from the {source}")
        raise UsageError(f"`{tutorial.slug}`: the variable {name} ({where}) {problem}",
                         f"change the value (pass --var {name}=…), or fix the tutorial's default",
                         path=tutorial.rel_path, line=declared.line if declared is not None and source == SOURCE_DEFAULT else 0)


def terminal_prompt(variable: Variable, secret: bool) -> str:
    """Ask on the terminal; a secret is typed without echo and asked twice only if empty."""
    import click

    label = variable.name + (f" ({variable.description})" if variable.description else "")
    while True:
        value = click.prompt(label, hide_input=secret, default="", show_default=False)
        if value:
            return str(value)
        click.echo(f"{variable.name} is required; type a value (Ctrl-C to stop).", err=True)
