"""The frontmatter keys a tutorial may carry: one table, read by the parser and by the lint."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from .model import DIFFICULTIES, SCOPES

DESCRIPTION_LIMIT = 200
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    kind: str
    """One of: str, int, bool, date, slugs, strings, enum, conditions, variables."""
    required: bool = False
    summary: str = ""


FIELDS: dict[str, FieldSpec] = {
    spec.key: spec
    for spec in (
        FieldSpec("title", "str", required=True, summary="the page title"),
        FieldSpec("description", "str", required=True, summary=f"one sentence, at most {DESCRIPTION_LIMIT} characters"),
        FieldSpec("section", "str", required=True, summary="a section named in the sections file"),
        FieldSpec("stepNumber", "int", summary="1, 2, … within the section; null only for appendices"),
        FieldSpec("totalSteps", "int", summary="the number of steps in the section"),
        FieldSpec("isAppendix", "bool", summary="appendices come after the numbered steps of their section"),
        FieldSpec("lastUpdated", "date", summary="YYYY-MM-DD"),
        FieldSpec("prerequisites", "slugs", summary="slugs of tutorials that must be done first"),
        FieldSpec("tags", "strings", summary="free-form tags"),
        FieldSpec("difficulty", "enum", summary=" | ".join(DIFFICULTIES)),
        FieldSpec("estimatedTime", "str", summary='for example "30 minutes"'),
        FieldSpec("requires", "conditions", summary="pre-flight conditions: probes or capability names"),
        FieldSpec("provides", "conditions", summary="named probes that hold once this tutorial is done"),
        FieldSpec("variables", "variables", summary="environment variables the commands use"),
        FieldSpec("scope", "enum", summary=" | ".join(SCOPES) + ": where it runs in a fleet (default host)"),
        FieldSpec("defaultPath", "str",
                  summary="the alternative path `tutor run` takes without --path (the id of its heading)"),
    )
}


def as_date(value: object) -> _dt.date | None:
    """A date from a YAML date or a quoted 'YYYY-MM-DD'; None when it is neither."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


MAX_STEP = 10_000
"""The largest stepNumber/totalSteps accepted."""


def type_problem(spec: FieldSpec, value: object) -> str | None:
    """What is wrong with a value's type, or None. Absent/None handled by the caller."""
    kind = spec.kind
    if kind == "str" or kind == "enum":
        ok = isinstance(value, str) or (spec.key == "estimatedTime" and isinstance(value, int) and not isinstance(value, bool))
        return None if ok else f"must be text, not {_kind_of(value)}"
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be a whole number, not {_kind_of(value)}"
        if value < 1:
            return "must be 1 or more"
        # Numbering work is proportional to the numbers: a typo of 100000000 must not allocate.
        return None if value <= MAX_STEP else f"must be at most {MAX_STEP:,} (a section of more steps cannot be read)"
    if kind == "bool":
        return None if isinstance(value, bool) else f"must be true or false, not {_kind_of(value)}"
    if kind == "date":
        return None if as_date(value) else f"must be a date written YYYY-MM-DD, not {value!r}"
    if kind in ("slugs", "strings"):
        if not isinstance(value, list):
            return f"must be a list, not {_kind_of(value)}"
        bad = [item for item in value if not isinstance(item, str)]
        return f"every item must be text; found {_kind_of(bad[0])}" if bad else None
    if kind == "conditions":
        if not isinstance(value, list):
            return f"must be a list, not {_kind_of(value)}"
        bad = [item for item in value if not isinstance(item, (str, dict))]
        return f"every item must be a capability name or a probe mapping; found {_kind_of(bad[0])}" if bad else None
    if kind == "variables":
        return None if isinstance(value, dict) else f"must be a mapping of NAME: settings, not {_kind_of(value)}"
    return None


def _kind_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "a date"
    return type(value).__name__
