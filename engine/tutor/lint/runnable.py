"""Rule family: what only `tutor run` cares about — placeholders and blocks that cannot run unattended.

These are `info` in `tutor lint` (a docs maintainer who never runs tutorials sees no noise);
the runner's pre-flight refuses the same findings in the tutorial it is about to run.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Block, Tutorial
from ..placeholders import Placeholder, find_placeholders
from ..unattended import Kind, Unattended, find_unattended, handled
from .context import LintContext
from .registry import rule

MARKS = "{manual}, {run=false}, {background} or {timeout=N}"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    for t in ctx.tutorials:
        for block in runnable_blocks(t):
            for found in find_placeholders(t, block):
                yield placeholder_diagnostic(t, found)
            if not handled(block):
                unattended = find_unattended(block)
                if unattended is not None:
                    yield unattended_diagnostic(t, unattended)


def runnable_blocks(t: Tutorial) -> list[Block]:
    """Shell blocks of any step (every path) that `tutor run` would send to the shell."""
    return [b for s in t.steps for b in s.blocks
            if b.is_shell and b.options.run and not b.options.manual]


def placeholder_diagnostic(t: Tutorial, found: Placeholder) -> Diagnostic:
    return rule("runner/placeholder").at(
        t.rel_path, found.line, f"`{found.text}` is a placeholder: `tutor run` would run it as typed",
        f"declare a variable (`variables: {{{found.variable}: {{description: …}}}}` in the frontmatter) "
        f"and write `${found.variable}` instead")


def unattended_diagnostic(t: Tutorial, found: Unattended) -> Diagnostic:
    if found.kind is Kind.EDITOR:
        message = f"`{found.what}` waits for a person at a terminal"
        hint = f"mark the block {{manual}} (a person does it) or give the change as a command; or mark it {MARKS}"
    elif found.kind is Kind.FOLLOWER:
        message = f"`{found.what}` follows output and never ends on its own; `tutor run` stops it after a default timeout"
        hint = f"mark the block {{timeout=N}} to say how long to follow, or {MARKS}"
    else:
        message = f"the text before this block puts it elsewhere (\u201c{found.what}\u201d), not on the host `tutor run` runs on"
        hint = f"mark the block {{manual}} or {{run=false}}; or {MARKS}"
    return rule("runner/unattended").at(t.rel_path, found.line, message, hint)
