"""Readers of probe fields: raw YAML value → typed value, or ValueError(message, hint).

Also the subject readers (the value of the type key) and the rules on combinations of
fields that some types have. `registry` says which reader reads which field of which type.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .durations import parse_duration, parse_size
from .variables import placeholder, references

Reader = Callable[[object], Any]

_JSON_PATH_WHOLE = re.compile(r"(?:[^.\[\]]+|\[-?\d+\])(?:\.[^.\[\]]+|\[-?\d+\])*")
_HTTP_METHOD = re.compile(r"[A-Za-z]+")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")

def kind_of(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    return {int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )


def text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {kind_of(value)}", "put the value in quotes")
    return value


def texts(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) for item in items):
        raise ValueError(f"must be text or a list of texts, not {kind_of(value)}", "put each value in quotes")
    return tuple(items)


def flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {kind_of(value)}", "write true or false, without quotes")
    return value


def integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number, not {kind_of(value)}", "write a number without quotes, e.g. 0")
    return value


def exit_code(value: object) -> int:
    code = integer(value)
    if not 0 <= code <= 255:
        raise ValueError(f"must be an exit code from 0 to 255, not {code}", "a process exits with 0 to 255")
    return code


def statuses(value: object) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or any(isinstance(s, bool) or not isinstance(s, int) or not 100 <= s <= 599 for s in items):
        raise ValueError(f"must be an HTTP status (100-599) or a list of them, not {value!r}", "e.g. status: 200")
    return tuple(items)


def regex(value: object) -> str:
    pattern = text(value)
    try:
        re.compile(placeholder(pattern))
    except re.error as exc:
        raise ValueError(
            f"is not a valid regular expression: {exc}",
            "escape special characters such as . ( [ with a backslash, or quote the value",
        ) from None
    return pattern


def duration(value: object) -> float:
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ValueError(str(exc), "e.g. 30s, 5m, 1h, 1m30s, or a number of seconds") from None


def positive_duration(value: object) -> float:
    seconds = duration(value)
    if seconds <= 0:
        raise ValueError("must be longer than zero", "e.g. 1s")
    return seconds


def sha256(value: object) -> str:
    """A digest, or text with `${VAR}` that must give one once expanded (`checks` says if it does not)."""
    digest = text(value).strip()
    if references(digest):
        return digest
    digest = digest.lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValueError(
            f"must be 64 hexadecimal characters, got {len(digest)} characters",
            "compute it with: sha256sum FILE",
        )
    return digest


def mode(value: object) -> int:
    # YAML reads an unquoted `0644` as the octal number 420, so an int is taken as the
    # permission value itself; an unquoted `644` (decimal 644) would set the sticky bit,
    # which is never what an author means, so it is refused rather than misread.
    if isinstance(value, str):
        digits = value.strip().lower().removeprefix("0o")
        if not re.fullmatch(r"[0-7]{1,4}", digits):
            raise ValueError(f"\"{value}\" is not an octal permission mode", "e.g. mode: \"0644\"")
        return int(digits, 8)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be an octal mode in quotes, not {kind_of(value)}", "e.g. mode: \"0644\"")
    if not 0 <= value <= 0o7777 or (value >= 0o1000 and re.fullmatch(r"[0-7]{3,4}", str(value))):
        raise ValueError(
            f"{value} is ambiguous: YAML reads an unquoted number without a leading zero as decimal",
            f"write the mode in quotes, e.g. mode: \"0{value}\"" if re.fullmatch(r"[0-7]{3}", str(value))
            else "write the mode in quotes, e.g. mode: \"0644\"",
        )
    return value


def headers(value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value.values()
    ):
        raise ValueError(f"must be a mapping of header names to values, not {kind_of(value)}", "e.g. headers: {Accept: application/json}")
    return {str(k): str(v) for k, v in value.items()}


def json_checks(value: object) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise ValueError(
            f"must be a mapping of JSON paths to expected values, not {kind_of(value)}",
            "e.g. json: {status: ok, items[0].name: web}",
        )
    checks: dict[str, Any] = {}
    for path, expected in value.items():
        path = str(path)
        if not _JSON_PATH_WHOLE.fullmatch(path):
            raise ValueError(f"\"{path}\" is not a JSON path", "write paths like a.b[0].c")
        if isinstance(expected, str) and expected.startswith("~"):
            regex(expected[1:])
        checks[path] = expected
    return checks


def method(value: object) -> str:
    method = text(value)
    if not _HTTP_METHOD.fullmatch(method):
        raise ValueError(f"\"{method}\" is not an HTTP method", "e.g. GET, HEAD, POST")
    return method.upper()


def size(value: object) -> tuple[int, str]:
    try:
        return parse_size(value)
    except ValueError as exc:
        raise ValueError(str(exc), "e.g. free: 10GB") from None


# --- subjects: the value of the type key ---


def _subject_text(kind: str, value: object, needs: str = "a value") -> str:
    if not isinstance(value, str) or not value.strip():
        hint = f'put it in quotes: {kind}: "{str(value).lower()}"' if isinstance(value, (bool, int, float)) else ""
        raise ValueError(f"needs {needs} as text, not {kind_of(value)}", hint)
    return value.strip()


def path_subject(kind: str, value: object) -> str:
    return _subject_text(kind, value)


def name_subject(kind: str, value: object) -> str:
    return _subject_text(kind, value, "a name")


def command_subject(kind: str, value: object) -> str:
    _subject_text(kind, value)
    return str(value)  # as written: spaces and newlines are the shell's business


def url_subject(kind: str, value: object) -> str:
    url = _subject_text(kind, value)
    if not references(url) and not re.match(r"https?://", url, re.IGNORECASE):
        raise ValueError(f"\"{url}\" is not an http:// or https:// URL", "e.g. http: http://127.0.0.1:8080/health")
    return url


def port_subject(kind: str, value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= 65535:
            raise ValueError(f"{value} is out of range", "a TCP port is from 1 to 65535")
        return str(value)
    if isinstance(value, str) and (value.strip().isdigit() or references(value)):
        return value.strip()
    raise ValueError(f"must be a port number, not {kind_of(value)}", "e.g. port: 9080")


def env_subject(kind: str, value: object) -> str:
    name = _subject_text(kind, value, "a name")
    if not _ENV_NAME.fullmatch(name):
        raise ValueError(f"\"{name}\" is not an environment variable name", "e.g. env: CF_API_TOKEN")
    return name


def pattern_subject(kind: str, value: object) -> str:
    return str(regex(_subject_text(kind, value)))


# --- combinations: rules across the fields of one type, and values derived from them ---


def file_or_dir_rules(kind: str) -> Callable[[dict[str, Any]], None]:
    def rules(values: dict[str, Any]) -> None:
        if values.get("exists") is False:
            extra = [k for k in ("contains", "matches", "sha256", "mode") if k in values]
            if extra:
                raise ValueError(f"`exists: false` cannot be combined with {', '.join(extra)}",
                                 "drop `exists: false`, or drop the checks on the content")
    return rules


def env_rules(values: dict[str, Any]) -> None:
    if "value" in values and "matches" in values:
        raise ValueError("use `value` or `matches`, not both",
                         "keep `value` to compare exactly, or `matches` to compare with a regular expression")
    if values.get("set") is False and ("value" in values or "matches" in values):
        raise ValueError("`set: false` cannot be combined with a value to compare", "drop `set: false`, or drop `value`/`matches`")


def log_rules(values: dict[str, Any]) -> None:
    if ("contains" in values) == ("matches" in values):
        raise ValueError("needs exactly one of `contains` or `matches`",
                         "e.g. contains: \"Started\" or matches: \"listening on .*:8080\"")


def disk_rules(values: dict[str, Any]) -> None:
    if "free" in values.get("deferred", {}):
        return  # `free: ${MIN_FREE}`: read once the variable has a value
    if "free" not in values:
        raise ValueError("needs `free`, the minimum free space", "e.g. free: 10GB")
    values["free"], values["free_unit"] = values["free"]


def service_rules(values: dict[str, Any]) -> None:
    if "active" not in values and "active" not in values.get("deferred", {}) and "enabled" in values:
        values["active"] = None  # only `enabled` was asked about


def no_rules(values: dict[str, Any]) -> None:
    return None
