"""Rule family 7: code blocks parse and fence attributes are known."""

from __future__ import annotations

import json
from collections.abc import Iterator

import tomli  # the standard library's tomllib, compiled: half the time per TOML block

from ..attributes import ProblemKind
from ..diagnostics import Diagnostic
from ..fragments import is_fragment, json_heredocs
from ..model import Block, Tutorial
from ..textsafe import excerpt, has_control
from ..yamlsource import YamlProblem, check_syntax
from .context import LintContext
from .registry import rule

_PARSED = frozenset({"json", "yaml", "yml", "toml"})


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    # Each rule is entered only where it can find something: most blocks have nothing to report.
    for t in ctx.tutorials:
        for block in t.blocks:
            if block.option_problems:
                yield from _attributes(t, block)
            if has_control(block.code):
                yield from _control_characters(t, block)
            if block.options.validate:
                if block.language in _PARSED:
                    yield from _parse(t, block)
                elif block.is_shell and "<<" in block.code:
                    yield from _heredocs(t, block)


_RULE_OF = {
    ProblemKind.SYNTAX: "blocks/attribute-syntax",
    ProblemKind.UNKNOWN: "blocks/unknown-attribute",
    ProblemKind.VALUE: "blocks/attribute-value",
}


def _attributes(t: Tutorial, block: Block) -> Iterator[Diagnostic]:
    for problem in block.option_problems:
        yield rule(_RULE_OF[problem.kind]).at(t.rel_path, block.line, problem.message, problem.hint)


def _control_characters(t: Tutorial, block: Block) -> Iterator[Diagnostic]:
    """An escape sequence in code can make a terminal show other text than what runs."""
    if not has_control(block.code):
        return
    for offset, text in enumerate(block.code.split("\n")):
        if has_control(text):
            yield rule("blocks/control-character").at(
                t.rel_path, block.code_line + offset,
                f"this line holds a control character a terminal would interpret: {excerpt(text)}",
                "remove it; `tutor plan` and `tutor run` show it as text, but a reader copying the block would not see it")
            return


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
            tomli.loads(block.code)
        except tomli.TOMLDecodeError as exc:
            problem = _toml_problem(exc)
    if problem is not None and not is_fragment(block):
        message, line = problem
        yield rule("blocks/parse").at(
            t.rel_path, block.code_line + max(line, 0), f"this {language} block does not parse: {message}",
            f"fix the {language}, or mark an illustrative block with {{validate=false}}")


def _heredocs(t: Tutorial, block: Block) -> Iterator[Diagnostic]:
    for heredoc in json_heredocs(block):
        try:
            json.loads(heredoc.text)
        except json.JSONDecodeError as exc:
            yield rule("blocks/parse").at(
                t.rel_path, heredoc.line + exc.lineno - 1,
                f"the JSON this block writes to {heredoc.target} does not parse: {exc.msg} (column {exc.colno})",
                "fix the JSON in the heredoc (in an unquoted <<EOF, bash turns \\\\ into \\); "
                "or mark the block {validate=false}")


def _toml_problem(exc: tomli.TOMLDecodeError) -> tuple[str, int]:
    """The message without its "(at line …)" and the 0-based line (tomli ≥ 2.1 keeps both apart)."""
    return exc.msg, exc.lineno - 1
