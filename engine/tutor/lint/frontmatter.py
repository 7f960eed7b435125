"""Rule family 1: the frontmatter keys and their types."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import DIFFICULTIES, SCOPES, Tutorial
from ..schema import DESCRIPTION_LIMIT, FIELDS, type_problem
from .context import LintContext, did_you_mean
from .registry import rule

_VARIABLE_KEYS = {"default", "description", "required", "secret"}


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    for tutorial in ctx.tutorials:
        yield from check_tutorial(tutorial)


def check_tutorial(t: Tutorial) -> Iterator[Diagnostic]:
    meta, path = t.meta, t.rel_path
    for spec in FIELDS.values():
        if spec.required and (spec.key not in meta or meta[spec.key] is None or str(meta[spec.key]).strip() == ""):
            yield rule("frontmatter/required").at(
                path, t.line_of(spec.key) if spec.key in meta else 1,
                f"required key `{spec.key}` is {'empty' if spec.key in meta else 'missing'}",
                f"add `{spec.key}: …` to the frontmatter ({spec.summary})")
    for key, value in meta.items():
        line = t.line_of(key)
        known = FIELDS.get(key)
        if known is None:
            suggestion = did_you_mean(str(key), list(FIELDS))
            yield rule("frontmatter/unknown-key").at(
                path, line, f"unknown frontmatter key `{key}`{suggestion}",
                "remove it or rename it to one of the keys of the authoring guide")
            continue
        spec = known
        if value is None:
            continue
        problem = type_problem(spec, value)
        if problem:
            rule_id = "frontmatter/date" if spec.kind == "date" else "frontmatter/type"
            yield rule(rule_id).at(path, line, f"`{key}` {problem}", f"write `{key}:` as {spec.summary}")
            continue
        if key == "difficulty" and str(value).strip().lower() not in DIFFICULTIES:
            yield rule("frontmatter/difficulty").at(
                path, line, f"difficulty `{value}` is not one of {', '.join(DIFFICULTIES)}",
                f"use one of: {', '.join(DIFFICULTIES)}")
        if key == "scope" and str(value).strip() not in SCOPES:
            yield rule("frontmatter/scope").at(
                path, line, f"scope `{value}` is not one of {', '.join(SCOPES)}", f"use one of: {', '.join(SCOPES)}")
        if key == "description" and len(str(value).strip()) > DESCRIPTION_LIMIT:
            yield rule("frontmatter/description-length").at(
                path, line, f"description is {len(str(value).strip())} characters; the limit is {DESCRIPTION_LIMIT}",
                "shorten it to one sentence; put details in the body")
        if key == "variables":
            yield from _check_variables(t, value)


def _check_variables(t: Tutorial, variables: dict) -> Iterator[Diagnostic]:
    for name, settings in variables.items():
        line = t.variables[str(name)].line if str(name) in t.variables else t.line_of("variables")
        if not str(name).replace("_", "").isalnum() or str(name)[0].isdigit():
            yield rule("frontmatter/variables").at(
                t.rel_path, line, f"variable name `{name}` is not a valid environment variable name",
                "use letters, digits and underscores, not starting with a digit (e.g. DSTACK_VERSION)")
        if isinstance(settings, dict):
            unknown = sorted(set(map(str, settings)) - _VARIABLE_KEYS)
            if unknown:
                yield rule("frontmatter/variables").at(
                    t.rel_path, line, f"variable `{name}` has unknown setting(s): {', '.join(unknown)}",
                    f"use only: {', '.join(sorted(_VARIABLE_KEYS))}")
            for flag in ("required", "secret"):
                if flag in settings and not isinstance(settings[flag], bool):
                    yield rule("frontmatter/variables").at(
                        t.rel_path, line, f"variable `{name}`: `{flag}` must be true or false", f"write `{flag}: true` or `{flag}: false`")
        elif isinstance(settings, (list,)):
            yield rule("frontmatter/variables").at(
                t.rel_path, line, f"variable `{name}` must be a mapping (default, description, required, secret) or a default value",
                f"write `{name}: {{default: …, description: …}}`")
