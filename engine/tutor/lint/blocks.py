"""Rule family 7: code blocks parse and fence attributes are known."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator

from ..attributes import KNOWN_ATTRIBUTES
from ..diagnostics import Diagnostic
from ..model import Block, Tutorial
from ..yamlsource import YamlProblem, check_syntax
from .context import LintContext, did_you_mean
from .registry import rule

MATCH_MODES = ("exact", "contains", "regex")


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    for t in ctx.tutorials:
        for block in t.blocks:
            yield from _attributes(t, block)
            if block.flag("validate", default=True):
                yield from _parse(t, block)


def _attributes(t: Tutorial, block: Block) -> Iterator[Diagnostic]:
    for error in block.attribute_errors:
        yield rule("blocks/attribute-syntax").at(
            t.rel_path, block.line, f"fence attributes: {error}",
            'write attributes as {name=value name="quoted value" flag}')
    for name in block.attributes:
        if name not in KNOWN_ATTRIBUTES:
            yield rule("blocks/unknown-attribute").at(
                t.rel_path, block.line, f"unknown fence attribute `{name}`{did_you_mean(name, list(KNOWN_ATTRIBUTES))}",
                f"use one of: {', '.join(KNOWN_ATTRIBUTES)}")
    timeout = block.attributes.get("timeout")
    if timeout is not None:
        try:
            ok = float(timeout) > 0
        except ValueError:
            ok = False
        if not ok:
            yield rule("blocks/attribute-value").at(
                t.rel_path, block.line, f"timeout={timeout!r} is not a positive number of seconds", "write e.g. timeout=900")
    match = block.attributes.get("match")
    if match is not None and match not in MATCH_MODES:
        yield rule("blocks/attribute-value").at(
            t.rel_path, block.line, f"match={match!r} is not one of {', '.join(MATCH_MODES)}", f"use match={MATCH_MODES[0]}, match=contains or match=regex")
    for name in ("background", "keep", "confirm", "manual", "run", "validate"):
        value = block.attributes.get(name)
        if value is not None and value.lower() not in ("true", "false", "yes", "no", "1", "0", "on", "off"):
            yield rule("blocks/attribute-value").at(
                t.rel_path, block.line, f"`{name}={value}` is not true or false", f"write `{name}` alone, or `{name}=false`")


def _parse(t: Tutorial, block: Block) -> Iterator[Diagnostic]:
    language = block.language
    problem: tuple[str, int] | None = None
    if language == "json":
        try:
            json.loads(block.code)
        except json.JSONDecodeError as exc:
            problem = (exc.msg, exc.lineno - 1)
    elif language in ("yaml", "yml"):
        try:
            check_syntax(block.code)
        except YamlProblem as exc:
            problem = (exc.message, exc.line)
    elif language == "toml":
        try:
            tomllib.loads(block.code)
        except tomllib.TOMLDecodeError as exc:
            problem = _toml_problem(exc)
    if problem is not None:
        message, line = problem
        yield rule("blocks/parse").at(
            t.rel_path, block.code_line + max(line, 0), f"this {language} block does not parse: {message}",
            f"fix the {language}, or mark an illustrative block with {{validate=false}}")


def _toml_problem(exc: tomllib.TOMLDecodeError) -> tuple[str, int]:
    lineno = getattr(exc, "lineno", None)
    message = getattr(exc, "msg", None) or str(exc)
    if lineno is None:
        # Python < 3.14 keeps the position only in the text: "... (at line 3, column 5)".
        text = str(exc)
        marker = "(at line "
        if marker in text:
            lineno = int(text.split(marker, 1)[1].split(",", 1)[0].rstrip(")"))
            message = text.split(" (at line", 1)[0]
    return message, (lineno or 1) - 1

