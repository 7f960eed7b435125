"""The one check on what crosses into a spawned process's environment (the shell, a background block).

An environment variable is a C string `NAME=VALUE`: a name that is empty, holds `=` or a NUL,
or a value that is not text or holds a NUL, cannot be passed. Python refuses such a value only
when it reaches `execve` — in pexpect's case inside the forked child, where the error would
run the parent's own code. So every value is checked here first, and the message names the
variable.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..textsafe import excerpt

__all__ = ["EnvironmentValueError", "checked_environment", "environment_problem"]


class EnvironmentValueError(ValueError):
    """A variable that cannot go into a process's environment; `str()` names it and says why."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(f"the variable {excerpt(name)} {why}")
        self.name = name


def environment_problem(name: object, value: object) -> str | None:
    """Why `name=value` cannot go into an environment (a phrase after the name), or None."""
    if not isinstance(name, str) or not name or "=" in name or "\0" in name:
        return "has a name no environment can hold (empty, or with `=` or a NUL character)"
    if not isinstance(value, str):
        return f"has the value {excerpt(value)}, which is not text"
    if "\0" in value:
        return "holds a NUL character, which no environment variable can hold"
    try:
        value.encode("utf-8", "surrogateescape")
        name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return "holds characters that cannot be encoded (a lone surrogate)"
    return None


def checked_environment(env: Mapping[str, object]) -> dict[str, str]:
    """`env` as a plain dict of str, or `EnvironmentValueError` for the first variable that cannot pass."""
    for name, value in env.items():
        problem = environment_problem(name, value)
        if problem is not None:
            raise EnvironmentValueError(str(name), problem)
    return {str(k): str(v) for k, v in env.items()}
