"""Durations ("1m30s") and sizes ("10GB") as authors write them, and back into words."""

from __future__ import annotations

import math
import re

from ..textsafe import excerpt

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|min|h|m|s)", re.IGNORECASE)
_DURATION_WHOLE = re.compile(r"\s*(?:\d+(?:\.\d+)?\s*(?:ms|min|h|m|s)\s*)+", re.IGNORECASE)
_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}

_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?", re.IGNORECASE)
"""Matched on the stripped text: `\\s*` on both sides of the optional unit was quadratic in spaces."""
SIZE_UNITS: dict[str, int] = {
    "B": 1,
    "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
    "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40,
}
_UNIT_BY_LOWER = {unit.lower(): unit for unit in SIZE_UNITS}


def parse_duration(value: object) -> float:
    """Seconds from `30`, `"30s"`, `"5m"`, `"1h"`, `"1m30s"` or `"500ms"`.

    Raises ValueError with a message that shows the accepted forms.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"a duration must be a number of seconds or text like \"30s\", not {_kind(value)}")
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            seconds = float(text)
        elif _DURATION_WHOLE.fullmatch(text):
            seconds = sum(float(n) * _SECONDS[u.lower()] for n, u in _DURATION_PART.findall(text))
        else:
            raise ValueError(f"\"{excerpt(value)}\" is not a duration; write it like 30s, 5m, 1h or 1m30s")
    else:
        seconds = float(value)
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"a duration cannot be negative or infinite (got {value})")
    return seconds


def format_duration(seconds: float) -> str:
    """`30 s`, `5 min`, `1 h 30 min`, `1.5 s`, `200 ms`: for sentences, not for parsing."""
    if seconds < 1 and seconds > 0:
        return f"{round(seconds * 1000)} ms"
    if seconds != int(seconds) and seconds < 60:
        return f"{seconds:g} s"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs or not parts:
        parts.append(f"{secs} s")
    return " ".join(parts)


def parse_size(value: object) -> tuple[int, str]:
    """Bytes and the unit the author used, from `"10GB"`, `"1.5 GiB"`, `"1B"` or a number of bytes.

    Units are decimal (KB = 1000 B) or binary (KiB = 1024 B), case-insensitive.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"a size must be text like \"10GB\" or a number of bytes, not {_kind(value)}")
    if isinstance(value, (int, float)):
        number, unit = float(value), "B"
    else:
        match = _SIZE.fullmatch(value.strip())
        if not match:
            raise ValueError(
                f"\"{excerpt(value)}\" is not a size; write a number and a unit: B, KB, MB, GB, TB, KiB, MiB, GiB or TiB"
            )
        number, unit = float(match.group(1)), _UNIT_BY_LOWER[(match.group(2) or "B").lower()]
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"a size cannot be negative (got {value})")
    return int(number * SIZE_UNITS[unit]), unit


def format_size(size: int, unit: str = "GB") -> str:
    """`10 GB`, `1.5 GiB`, `512 B`: in the unit given, with at most one decimal, rounded down."""
    if unit == "B":
        return f"{size} B"
    # Rounded down, so "only 9.9 GB free" is never shown as the 10 GB it falls short of.
    amount = math.floor(size / SIZE_UNITS[unit] * 10 + 1e-9) / 10
    text = f"{amount:.1f}".rstrip("0").rstrip(".")
    return f"{text} {unit}"


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    return {bool: "true/false", list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)
