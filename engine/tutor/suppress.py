"""Suppression comments in a tutorial's Markdown, as markdownlint and eslint users write them.

    <!-- tutor: disable-next-line=links/unknown-anchor -->   the next non-blank line
    <!-- tutor: disable-line=blocks/parse -->               this line
    <!-- tutor: disable=numbering,links -->                 from here to an `enable` (or the end)
    <!-- tutor: enable=links -->                            ends a `disable` (no rules: all of them)
    <!-- tutor: disable-file=frontmatter/unknown-key -->     the whole file, frontmatter included

Rules are ids or families, separated by commas or spaces; none means every rule. Comments
inside fenced code are text, not directives.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .diagnostics import Diagnostic, Severity
from .model import Tutorial

ACTIONS = ("disable", "enable", "disable-next-line", "disable-line", "disable-file")
_ACTION = re.compile(r"[A-Za-z-]+")
_LOOKS_LIKE_DIRECTIVE = re.compile(r"^(?:dis|en|able)", re.IGNORECASE)
"""`<!-- tutor:rules -->` is a docs-page placeholder, not a directive; only disable/enable-like words are checked."""


@dataclass(slots=True)
class Directive:
    action: str
    rules: tuple[str, ...]
    """Rule ids or families; empty for every rule."""
    line: int
    first: int
    """First line covered."""
    last: int
    """Last line covered (inclusive)."""
    used: bool = False

    def covers(self, rule_id: str, line: int) -> bool:
        from .lint.registry import selects

        if not self.first <= line <= self.last:
            return False
        return not self.rules or any(selects(r, rule_id) for r in self.rules)


_FACT = "suppress/directives"


def directives(tutorial: Tutorial) -> tuple[list[Directive], list[Diagnostic]]:
    """The file's suppression comments, and diagnostics for malformed ones.

    Read once per tutorial and kept in its `lint_facts` (comments inside code blocks are text,
    so reading them reads the blocks): cached with the tutorial, a warm lint then parses no
    block again. New `Directive`s each call, as a run marks the ones it uses."""
    fact = tutorial.lint_facts.get(_FACT)
    if fact is None:
        marks, problems = _read_directives(tutorial)
        fact = tutorial.lint_facts[_FACT] = (tuple((m.action, m.rules, m.line, m.first, m.last) for m in marks), tuple(problems))
    marks_read, problems_read = fact
    return [Directive(*mark) for mark in marks_read], list(problems_read)


def _read_directives(tutorial: Tutorial) -> tuple[list[Directive], list[Diagnostic]]:
    from .lint.registry import is_rule_selector, rule_suggestion

    body = tutorial.body
    if "<!--" not in body:
        return [], []
    lines = body.split("\n")
    offset = tutorial.body_start
    in_code = {n for b in tutorial.blocks for n in range(b.line, b.line + b.code.count("\n") + 2)}
    found: list[Directive] = []
    problems: list[Diagnostic] = []
    open_regions: list[Directive] = []
    end = offset + len(lines) - 1
    for index, text in enumerate(lines):
        if "tutor" not in text:
            continue
        line = offset + index
        if line in in_code:
            continue
        for written, value in _comments(text):
            action = written.lower()
            if action not in ACTIONS:
                if _LOOKS_LIKE_DIRECTIVE.match(action) or value:
                    problems.append(Diagnostic(
                        "suppress/unknown", Severity.WARNING, tutorial.rel_path, line,
                        f"unknown suppression action `{action}`", "use one of: " + ", ".join(ACTIONS)))
                continue
            rules: list[str] = []
            for name in re.split(r"[,\s]+", value.strip()) if value.strip() else []:
                if is_rule_selector(name):
                    rules.append(name)
                else:
                    problems.append(Diagnostic(
                        "suppress/unknown", Severity.WARNING, tutorial.rel_path, line,
                        f"`{name}` is not a rule id or family{rule_suggestion(name)}",
                        "the rules are listed by `tutor lint --help` and in the authoring guide"))
            if value.strip() and not rules:
                continue  # every name was wrong: suppressing everything instead would hide too much
            found.extend(_directive(action, tuple(rules), line, index, lines, offset, end, open_regions))
    return found, problems


def _comments(text: str) -> Iterator[tuple[str, str]]:
    """(action, rest) of each `<!-- tutor:action rest -->` (or `action=rest`) of a line, with
    `str.find`: a regex with `\\s*` on both sides of the lazy rest was cubic in the spaces
    of a comment that never closes."""
    start, end = text.find("<!--"), -1
    while start >= 0:
        if end < start + 4:  # else the `-->` found for an earlier `<!--` is still the first one
            end = text.find("-->", start + 4)
            if end < 0:
                return  # no comment closes after this one, so none of the later ones does either
        inside = text[start + 4: end].strip()
        action = _ACTION.match(inside[len("tutor:"):].lstrip()) if inside.startswith("tutor:") else None
        if action is None:
            start = text.find("<!--", start + 4)  # a comment inside this one may be a directive
            continue
        rest = action.string[action.end():].lstrip()
        yield action.group(0), rest.removeprefix("=").strip()
        start = text.find("<!--", end + 3)


def _directive(action: str, rules: tuple[str, ...], line: int, index: int, lines: list[str], offset: int, end: int,
               open_regions: list[Directive]) -> list[Directive]:
    if action == "disable-file":
        return [Directive(action, rules, line, 1, end)]
    if action == "disable-line":
        return [Directive(action, rules, line, line, line)]
    if action == "disable-next-line":
        target = index + 1
        while target < len(lines) and not lines[target].strip():
            target += 1
        return [Directive(action, rules, line, offset + target, offset + target)]
    if action == "disable":
        region = Directive(action, rules, line, line, end)
        open_regions.append(region)
        return [region]
    # enable: ends the open regions; one that named other rules too goes on for those
    resumed: list[Directive] = []
    for region in list(open_regions):
        rest = tuple(r for r in region.rules if r not in rules) if rules and region.rules else ()
        region.last = line
        open_regions.remove(region)
        if rest:
            again = Directive("disable", rest, region.line, line, end)
            open_regions.append(again)
            resumed.append(again)
    return resumed
