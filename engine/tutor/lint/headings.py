"""Rule family: headings whose id the site cannot use as written."""

from __future__ import annotations

from collections.abc import Iterator

from ..anchors import MAX_ANCHOR
from ..diagnostics import Diagnostic
from ..textsafe import excerpt
from .context import LintContext
from .registry import rule


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    for t in ctx.tutorials:
        for heading in t.headings:
            if len(heading.anchor) > MAX_ANCHOR:
                yield rule("headings/long-id").at(
                    t.rel_path, heading.line,
                    f"this heading's id `{excerpt(heading.anchor, 40)}` is {len(heading.anchor):,} characters long "
                    f"(at most {MAX_ANCHOR})",
                    f"shorten the heading's `{{#id}}` or its text; the site cuts an id made from the text at "
                    f"{MAX_ANCHOR} characters, so links to the full id would not resolve")
