"""Probe mappings (frontmatter entries, ```verify fences) → typed probes, or a ProbeSpecError.

A probe is a mapping with exactly one type key (`file: /etc/hosts`) whose value is the
subject, the fields of that type, and the common fields. Everything an author can get
wrong is refused here, with a hint, so that evaluation only meets the host's problems.
The tutorial parser calls this once per probe; lint, site and runner read the result.
"""

from __future__ import annotations

import difflib
from typing import Any

from ..yamlsource import YamlProblem, load_lines, load_located
from .deferred import FROM_TEXT
from .fields import kind_of
from .registry import COMMON_FIELDS, PROBE_TYPES
from .spec import Probe, ProbeSpecError
from .variables import references


def parse_probe(mapping: dict[str, Any]) -> Probe:
    """Validate one probe mapping and build its typed probe. Raises ProbeSpecError."""
    if not isinstance(mapping, dict):
        raise ProbeSpecError(
            f"a probe must be a mapping, not {kind_of(mapping)}",
            "write it as `- file: /path/to/file` with one type key: " + ", ".join(PROBE_TYPES),
        )
    kinds = [key for key in mapping if key in PROBE_TYPES]
    if not kinds:
        known = set(COMMON_FIELDS) | {"timeout"} | {name for entry in PROBE_TYPES.values() for name in entry.fields}
        guess = _did_you_mean([str(k) for k in mapping if k not in known], tuple(PROBE_TYPES))
        raise ProbeSpecError(
            "the probe has no type: it needs exactly one of " + ", ".join(PROBE_TYPES),
            guess or "e.g. `file: /etc/hosts` or `command: \"cargo --version\"`",
        )
    if len(kinds) > 1:
        raise ProbeSpecError(
            f"the probe has {len(kinds)} type keys ({', '.join(kinds)}); a probe checks one thing",
            "split it into one probe per type",
        )
    kind = kinds[0]
    entry = PROBE_TYPES[kind]
    readers = entry.readers()
    try:
        subject = entry.subject(kind, mapping[kind])
    except ValueError as exc:
        message, hint = _parts(exc)
        raise ProbeSpecError(f"`{kind}` {message}", hint or f"e.g. {kind}: {entry.example[kind]}") from None

    values: dict[str, Any] = {"subject": subject}
    deferred: dict[str, str] = {}
    for key, raw in mapping.items():
        if key == kind:
            continue
        name = str(key)
        if name not in readers:
            guess = _did_you_mean([name], entry.allowed)
            raise ProbeSpecError(
                f"a {kind} probe has no field `{name}`",
                (guess + "; " if guess else "") + f"{kind} probes accept: " + ", ".join(entry.allowed),
            )
        if isinstance(raw, str) and readers[name] in FROM_TEXT and references(raw):
            deferred[name] = raw  # read once the variables have values (deferred.py)
            continue
        try:
            values[name] = readers[name](raw)
        except ValueError as exc:
            message, hint = _parts(exc)
            raise ProbeSpecError(f"{kind} probe `{mapping[kind]}`: `{name}` {message}", hint) from None
    if deferred:
        values["deferred"] = deferred
    try:
        entry.rules(values)
    except ValueError as exc:
        message, hint = _parts(exc)
        raise ProbeSpecError(f"{kind} probe `{subject}`: {message}", hint) from None
    return entry.model(kind=kind, spec=dict(mapping), **values)


def _parts(exc: ValueError) -> tuple[str, str]:
    if len(exc.args) == 2:
        return str(exc.args[0]), str(exc.args[1])
    return str(exc), ""


def _did_you_mean(words: list[str], choices: tuple[str, ...]) -> str:
    for word in words:
        close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
        if close:
            return f"did you mean `{close[0]}` instead of `{word}`?"
    return ""


def parse_probe_list(yaml_text: str) -> list[Probe]:
    """The probes of a ```verify fence. Raises ProbeSpecError with the 0-based line of the bad item."""
    try:
        located = load_lines(yaml_text)
    except YamlProblem as exc:
        raise ProbeSpecError(f"the verify block is not valid YAML: {exc.message}",
                             "a verify block holds a YAML list, one `- type: subject` item per probe",
                             exc.line) from None
    items = located.value
    if items is None:
        raise ProbeSpecError("the verify block is empty", "add probes, e.g. `- file: /etc/hosts`, or remove the block")
    if not isinstance(items, list):
        node = load_located(yaml_text).node  # where the document starts
        raise ProbeSpecError(
            f"a verify block must be a YAML list of probes, not {kind_of(items)}",
            "start each probe with `- `, e.g. `- port: 9080`",
            node.start_mark.line if node is not None else 0,
        )
    lines = located.root_item_lines()
    probes: list[Probe] = []
    for index, item in enumerate(items):
        try:
            probes.append(parse_probe(item))
        except ProbeSpecError as exc:
            exc.line = lines[index] if index < len(lines) else 0
            raise
    return probes
