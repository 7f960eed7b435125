"""Running a probe: expand its variables, attempt it until it passes or its `within` runs out.

Variables come from the run's mapping first and the process environment second, so
`$HOME` works in a path as it does in a command. Commands are not expanded here: they
get the variables as environment variables and the shell expands them, so a value is
never pasted into command text.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass

from .checks import Outcome
from .deferred import DeferredFieldError
from .deferred import resolve as resolve_deferred
from .describe import describe
from .folders import in_folder
from .registry import make_check
from .spec import CommandProbe, Probe
from .variables import MissingVariable, expand, is_secret_name, masked_lookup, references, scrub, shell_references


_NOT_EXPANDED = frozenset({"kind", "id", "spec", "hint", "description", "deferred"})
"""`id` is a name; hint and description are prose, expanded leniently for display only."""


@dataclass
class ProbeResult:
    probe: Probe
    passed: bool
    sentence: str
    """The probe's sentence with this run's values (secrets masked)."""
    found: str
    """What was observed, short: "no such file", "status 502", "exit 1; stdout: …"."""
    hint: str
    attempts: int
    elapsed: float
    """Seconds from the first attempt to the verdict."""
    invalid: bool = False
    """The probe could not be made: a field written with `${VAR}` has a value it does not take
    (`found` says which); a mistake in the tutorial or its variables, not on the host."""


def variables_used(probe: Probe) -> set[str]:
    """Names of the variables a probe refers to, for the linter to check they are declared.

    For a command this is every name the shell text reads (`$HOME` included) except
    those it assigns itself.
    """
    names: set[str] = set()
    for field_name, text in _strings(probe):
        if field_name == "subject" and isinstance(probe, CommandProbe):
            names |= shell_references(text)
        else:
            names |= references(text)
    return names


def evaluate(
    probe: Probe,
    variables: Mapping[str, str] | None = None,
    *,
    secrets: Collection[str] = (),
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    folder: str | None = None,
) -> ProbeResult:
    """Check the probe, retrying every `interval` until it passes or `within` is over.

    Makes at least one attempt (none when a variable has no value). Never raises for
    what it finds on the host. `secrets` names variables whose values must not be shown;
    names like *TOKEN, *SECRET, *PASSWORD, *KEY are secret anyway. A relative path in the probe
    is taken from `folder` when one is given (see `folders`).
    """
    given = {name: str(value) for name, value in (variables or {}).items()}

    def lookup(name: str) -> str | None:
        return given[name] if name in given else os.environ.get(name)

    known = {name: value for name in variables_used(probe) if (value := lookup(name)) is not None}
    secret_values = [v for n, v in {**given, **known}.items() if n in secrets or is_secret_name(n)]
    sentence = describe(probe, known, secrets)
    hint = expand(probe.hint, masked_lookup(known, secrets), lenient=True)

    start = clock()
    try:
        concrete = expand_probe(probe, lookup)
    except MissingVariable as missing:
        return ProbeResult(
            probe, False, sentence, str(missing),
            hint or f"give {missing.name} a value: export it, or declare it with a default under `variables`",
            attempts=0, elapsed=0.0,
        )
    except DeferredFieldError as wrong:
        return ProbeResult(probe, False, sentence, scrub(str(wrong), secret_values), wrong.hint,
                           attempts=0, elapsed=0.0, invalid=True)
    resolved = in_folder(concrete, folder)
    # A path taken from the shell's folder says which one in what a failed check found (a command's does in its sentence).
    where = f" (in {folder})" if resolved is not concrete and not isinstance(concrete, CommandProbe) else ""
    concrete = resolved
    check = make_check(concrete, {**os.environ, **given})
    deadline = start + max(probe.within, concrete.within)  # a runner's own longer wait (a restart) holds
    attempts = 0
    while True:
        attempts += 1
        outcome = _attempt(check)
        now = clock()
        if outcome.passed or now >= deadline:
            break
        sleep(max(0.0, min(concrete.interval, deadline - now)))
    return ProbeResult(
        probe, outcome.passed, sentence, scrub(outcome.found + ("" if outcome.passed else where), secret_values), hint,
        attempts=attempts, elapsed=clock() - start,
    )


def expand_probe(probe: Probe, lookup: Callable[[str], str | None]) -> Probe:
    """A copy of the probe with variables replaced by their values, its deferred fields read.
    Raises MissingVariable or DeferredFieldError."""
    probe = resolve_deferred(probe, lookup)
    changes: dict[str, object] = {}
    for field in dataclasses.fields(probe):
        name = field.name
        if name in _NOT_EXPANDED or name in probe.RAW_FIELDS:
            continue
        value = getattr(probe, name)
        literal = name in probe.REGEX_FIELDS
        if isinstance(value, str):
            changes[name] = expand(value, lookup, literal=literal)
        elif isinstance(value, tuple):
            changes[name] = tuple(expand(v, lookup, literal=literal) if isinstance(v, str) else v for v in value)
        elif isinstance(value, dict):
            changes[name] = {key: _expand_value(v, lookup) for key, v in value.items()}
    return dataclasses.replace(probe, **changes)  # type: ignore[arg-type]


def _expand_value(value: object, lookup: Callable[[str], str | None]) -> object:
    if not isinstance(value, str):
        return value
    if value.startswith("~"):  # a json regex
        return "~" + expand(value[1:], lookup, literal=True)
    return expand(value, lookup)


_TEXT_FIELDS: dict[type, tuple[str, ...]] = {}


def _text_fields(cls: type) -> tuple[str, ...]:
    if cls not in _TEXT_FIELDS:
        _TEXT_FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if f.name not in ("kind", "id", "spec"))
    return _TEXT_FIELDS[cls]


def _strings(probe: Probe) -> Iterator[tuple[str, str]]:
    """(field name, text) of every string a probe holds, its prose included."""
    for name in _text_fields(type(probe)):
        value = getattr(probe, name)
        if isinstance(value, str):
            yield name, value
        elif isinstance(value, (tuple, dict)):
            for item in value.values() if isinstance(value, dict) else value:
                if isinstance(item, str):
                    yield name, item


def _attempt(check: Callable[[], Outcome]) -> Outcome:
    try:
        return check()
    except Exception as exc:  # a check that trips over something unforeseen still gives a verdict
        return Outcome(False, f"the check failed: {type(exc).__name__}: {exc}")
