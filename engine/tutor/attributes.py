"""Fence info strings: ```` ```bash {id=deploy timeout=900 expect="Continue? [y/N]" send=y} ````.

The language is the first word; attributes sit in one pair of braces after it.
A value is a bare word or a quoted string ("…" or '…', backslash escapes the quote);
a bare name is a flag whose value is "true". Names may repeat (`expect`/`send` pairs).

`parse_info` is the one reader of fence attributes: it returns the typed `FenceOptions`
that lint, site and runner all read, and the problems it met as `OptionProblem` values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from .compact_pickle import pickled_as_fields


class _Documented(str, Enum):
    """A closed set of words; each member's `__doc__` says what it means (shown in the guide)."""

    def __new__(cls, value: str, meaning: str) -> _Documented:
        member = str.__new__(cls, value)
        member._value_ = value
        member.__doc__ = meaning
        return member

    def __str__(self) -> str:
        return str(self.value)


class FenceOption(_Documented):
    """The attributes a fence may carry."""

    ID = "id", "a name for the block, used by --from/--only/--until and in reports"
    TIMEOUT = "timeout", "seconds the block may run before its process group is killed"
    EXPECT = "expect", "a prompt the block prints (text); answered by the `send` after it"
    SEND = "send", "what to type at the prompt named by the `expect` before it"
    BACKGROUND = "background", "start a long-running process and keep it for later steps"
    KEEP = "keep", "with `background`: leave the process running when the run ends"
    CONFIRM = "confirm", "ask before running the block (`--yes` answers)"
    MANUAL = "manual", "the reader does this by hand; the runner says what and waits"
    RUN = "run", "`run=false`: shown on the site, never run"
    CWD = "cwd", "directory to run the block in"
    MATCH = "match", "on an expected-output fence: `tolerant` (the default), `exact`, `contains` or `regex`"
    VALIDATE = "validate", "`validate=false`: do not parse-check a json/yaml/toml block"
    TITLE = "title", "a caption shown above the block on the site"
    SCOPE = "scope", "where the block runs in a fleet: host (default), once (one host), local (the operator's machine)"
    CREATES = "creates", "guard: skip the block when this path exists"
    REMOVES = "removes", "guard: skip the block when this path does not exist"
    UNLESS = "unless", "guard: skip the block when this command succeeds"
    REBOOT = "reboot", "reboot the host after the block; the step is marked done first and the next run continues"
    READY_PORT = "ready-port", ("with `background`: ready once something accepts connections on this port of 127.0.0.1; "
                                "the next block waits for it (up to the block's `timeout`, 60 s by default)")
    READY_HTTP = "ready-http", "with `background`: ready once this URL answers with a 2xx or 3xx status"
    READY_LOG = "ready-log", "with `background`: ready once a line of its output contains this text"


class MatchMode(_Documented):
    """How a block's output is compared with its "Expected output:" fence (`match=`)."""

    TOLERANT = "tolerant", "every expected line appears in order; spacing, blank lines and colour codes do not matter"
    EXACT = "exact", "the output equals the expected text, but for trailing spaces and blank lines at the ends"
    CONTAINS = "contains", "the whole expected text, whitespace-normalized, appears in the output"
    REGEX = "regex", "the expected text is a regular expression searched in the output"


class ProblemKind(Enum):
    """What is wrong with a fence's attributes; the lint reports each kind under its own rule."""

    SYNTAX = "syntax"
    """The `{…}` list cannot be read."""
    UNKNOWN = "unknown"
    """An attribute name that is not a `FenceOption`."""
    VALUE = "value"
    """A known attribute with a value that cannot be used; the option keeps its default."""


@dataclass(frozen=True, slots=True)
class OptionProblem:
    kind: ProblemKind
    message: str
    hint: str
    name: str = ""
    """The attribute concerned ('' for a syntax problem)."""


_BOOLEAN_WORDS = {"true": True, "yes": True, "1": True, "on": True, "false": False, "no": False, "0": False, "off": False}
_FLAGS = (FenceOption.BACKGROUND, FenceOption.KEEP, FenceOption.CONFIRM, FenceOption.MANUAL, FenceOption.RUN,
          FenceOption.VALIDATE, FenceOption.REBOOT)
_KNOWN = {option.value: option for option in FenceOption}
SCOPES = ("host", "once", "local")
"""Where a tutorial or block runs in a fleet: every host, one host, the operator's own machine."""
_MATCH_MODES = {mode.value: mode for mode in MatchMode}
_READY = (FenceOption.READY_PORT, FenceOption.READY_HTTP, FenceOption.READY_LOG)


@pickled_as_fields
@dataclass(frozen=True, slots=True)
class FenceOptions:
    """A fence's attributes, typed. A value that could not be read leaves its default (and a problem)."""

    id: str | None = None
    timeout: float | None = None
    """Seconds; None: the runner's default."""
    prompts: tuple[tuple[str, str], ...] = ()
    """`expect`/`send` pairs in the order written; an `expect` without a `send` answers ''."""
    background: bool = False
    keep: bool = False
    confirm: bool = False
    manual: bool = False
    run: bool = True
    cwd: str | None = None
    match: MatchMode = MatchMode.TOLERANT
    validate: bool = True
    title: str | None = None
    scope: str | None = None
    """host, once or local (`tutor export ansible`); None: the tutorial's scope."""
    creates: str | None = None
    removes: str | None = None
    unless: str | None = None
    reboot: bool = False
    ready: tuple[tuple[str, str], ...] = ()
    """`ready-port`/`ready-http`/`ready-log` attributes and their values, in the order written (see `readiness`)."""
    written: tuple[tuple[str, str], ...] = ()
    """Every `name=value` pair as written, unknown names included (step hash, plan output)."""

    @property
    def attributes(self) -> dict[str, str]:
        """The written attributes by name; for a repeated name the last value."""
        return dict(self.written)


DEFAULT_OPTIONS = FenceOptions()


@dataclass(frozen=True, slots=True)
class ParsedInfo:
    language: str
    """Lower-cased first word of the info string; '' for an untagged fence."""
    options: FenceOptions = DEFAULT_OPTIONS
    problems: tuple[OptionProblem, ...] = ()


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def parse_info(info: str) -> ParsedInfo:
    """The language and typed options of a fence's info string; never raises."""
    info = info.strip()
    brace = info.find("{")
    head = info if brace < 0 else info[:brace]
    words = head.split()
    language = words[0].lower() if words else ""
    if brace < 0:
        return ParsedInfo(language)
    problems: list[OptionProblem] = []
    if len(words) > 1:
        problems.append(_syntax(f"unexpected text before the attributes: {' '.join(words[1:])!r}"))
    body = info[brace + 1 :]
    close = _find_closing_brace(body)
    if close < 0:
        problems.append(_syntax("the attribute list has no closing `}`"))
        return ParsedInfo(language, DEFAULT_OPTIONS, tuple(problems))
    trailing = body[close + 1 :].strip()
    if trailing:
        problems.append(_syntax(f"unexpected text after the attributes: {trailing!r}"))
    pairs = _parse_pairs(body[:close], problems)
    return ParsedInfo(language, _typed(pairs, problems), tuple(problems))


def _syntax(message: str) -> OptionProblem:
    return OptionProblem(ProblemKind.SYNTAX, f"fence attributes: {message}",
                         'write attributes as {name=value name="quoted value" flag}')


def _typed(pairs: list[tuple[str, str]], problems: list[OptionProblem]) -> FenceOptions:
    values: dict[str, object] = {"written": tuple(pairs), "prompts": _prompts(pairs, problems)}
    for name, value in pairs:
        option = _KNOWN.get(name)
        if option is None:
            problems.append(_unknown(name))
        elif option in _FLAGS:
            flag = _BOOLEAN_WORDS.get(value.strip().lower())
            if flag is None:
                problems.append(OptionProblem(ProblemKind.VALUE, f"`{name}={value}` is not true or false",
                                              f"write `{name}` alone, or `{name}=false`", name))
            else:
                values[name] = flag
        elif option is FenceOption.TIMEOUT:
            seconds = _seconds(value)
            if seconds is None:
                problems.append(OptionProblem(ProblemKind.VALUE, f"timeout={value!r} is not a positive number of seconds",
                                              "write e.g. timeout=900", name))
            else:
                values[name] = seconds
        elif option is FenceOption.MATCH:
            mode = _MATCH_MODES.get(value)
            if mode is not None:
                values[name] = mode
            else:
                modes = ", ".join(mode.value for mode in MatchMode)
                problems.append(OptionProblem(ProblemKind.VALUE, f"match={value!r} is not one of {modes}",
                                              "use " + ", ".join(f"match={mode.value}" for mode in MatchMode), name))
        elif option in _READY:
            problem = _ready_problem(name, value)
            if problem is None:
                values["ready"] = (*values.get("ready", ()), (name, value))  # type: ignore[misc]
            else:
                problems.append(problem)
        elif option is FenceOption.SCOPE and value not in SCOPES:
            problems.append(OptionProblem(ProblemKind.VALUE, f"scope={value!r} is not one of {', '.join(SCOPES)}",
                                          "use " + ", ".join(f"scope={scope}" for scope in SCOPES), name))
        elif option not in (FenceOption.EXPECT, FenceOption.SEND):
            values[name] = value
    if values.get("ready") and not values.get("background"):
        names = ", ".join(f"`{name}`" for name, _ in values["ready"])  # type: ignore[attr-defined]
        problems.append(OptionProblem(ProblemKind.VALUE, f"{names} {'apply' if ',' in names else 'applies'} only to a `background` block",
                                      "add `background` to the attributes, or remove the readiness attribute",
                                      str(values["ready"][0][0])))  # type: ignore[index]
        values["ready"] = ()
    return FenceOptions(**values)  # type: ignore[arg-type]


def _ready_problem(name: str, value: str) -> OptionProblem | None:
    """Whether a readiness attribute's value makes its probe (the probe's own message if not)."""
    from .probes import ProbeSpecError
    from .readiness import readiness_probe

    try:
        readiness_probe(name, value)
    except ProbeSpecError as exc:
        return OptionProblem(ProblemKind.VALUE, f"`{name}={value}`: {exc.message}",
                             exc.hint or "e.g. ready-port=9080, ready-http=http://127.0.0.1:9080/ or ready-log=\"listening\"",
                             name)
    return None


def _unknown(name: str) -> OptionProblem:
    import difflib

    close = difflib.get_close_matches(name, list(_KNOWN), n=1, cutoff=0.6)
    guess = f" (did you mean `{close[0]}`?)" if close else ""
    return OptionProblem(ProblemKind.UNKNOWN, f"unknown fence attribute `{name}`{guess}",
                         f"use one of: {', '.join(_KNOWN)}", name)


def _seconds(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds > 0 and seconds != float("inf") else None


def _prompts(pairs: list[tuple[str, str]], problems: list[OptionProblem]) -> tuple[tuple[str, str], ...]:
    """`expect`/`send` pairs in order; a `send` with no `expect` before it is a syntax problem."""
    result: list[tuple[str, str]] = []
    pending: str | None = None
    for name, value in pairs:
        if name == "expect":
            if pending is not None:
                result.append((pending, ""))
            pending = value
        elif name == "send":
            if pending is None:
                problems.append(_syntax("`send` without an `expect` before it"))
                continue
            result.append((pending, value))
            pending = None
    if pending is not None:
        result.append((pending, ""))
    return tuple(result)


def _find_closing_brace(body: str) -> int:
    """The `}` that closes the list; braces inside it pair up, so `removes=${WORK}/old` is one value."""
    quote: str | None = None
    depth = 0
    i = 0
    while i < len(body):
        char = body[i]
        if quote:
            if char == "\\":
                i += 2
                continue
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1


def _parse_pairs(text: str, problems: list[OptionProblem]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace() or text[i] == ",":
            i += 1
            continue
        match = _NAME.match(text, i)
        if not match:
            problems.append(_syntax(f"cannot read an attribute name at {text[i:]!r}"))
            break
        name = match.group(0)
        i = match.end()
        if i < n and text[i] == "=":
            value, i, error = _read_value(text, i + 1)
            if error:
                problems.append(_syntax(f"attribute `{name}`: {error}"))
                break
        else:
            value = "true"
        pairs.append((name, value))
    return pairs


def _read_value(text: str, i: int) -> tuple[str, int, str]:
    if i >= len(text):
        return "", i, "has no value after `=`"
    quote = text[i]
    if quote not in "\"'":
        end = i
        while end < len(text) and not text[end].isspace() and text[end] != ",":
            end += 1
        return text[i:end], end, ""
    out: list[str] = []
    j = i + 1
    while j < len(text):
        char = text[j]
        if char == "\\" and j + 1 < len(text) and text[j + 1] in (quote, "\\"):
            out.append(text[j + 1])
            j += 2
            continue
        if char == quote:
            return "".join(out), j + 1, ""
        out.append(char)
        j += 1
    return "", j, "the quoted value is not closed"
