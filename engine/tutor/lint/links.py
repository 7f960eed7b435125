"""Rule family 5: links to tutorials and anchors resolve.

Anchors are the ids the site gives headings (see `tutor.anchors`); the lint and the
site share that one function.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..suggest import SuggestionIndex
from .context import LintContext
from .registry import rule


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    tutorials = ctx.set.tutorials
    anchors: dict[str, set[str]] = {}  # slug → heading ids, built once per target page
    suggestions: dict[str, SuggestionIndex] = {}  # slug → its ids' suggestion index, built once too
    for t in ctx.tutorials:
        for link in t.links:
            target = t if link.slug is None else tutorials.get(link.slug)
            if target is None:
                yield rule("links/unknown-tutorial").at(
                    t.rel_path, link.line, f"link `{link.href}` points at no tutorial{ctx.slug_suggestion(link.slug or '')}",
                    "fix the slug (the file name without .md)")
                continue
            if not link.anchor or not target.readable:
                continue
            ids = anchors.get(target.slug)
            if ids is None:
                ids = anchors[target.slug] = target.anchors
            if link.anchor not in ids:
                index = suggestions.get(target.slug)
                if index is None:
                    index = suggestions[target.slug] = SuggestionIndex(h.anchor for h in target.headings)
                page = "this page" if target is t else f"`{target.slug}`"
                yield rule("links/unknown-anchor").at(
                    t.rel_path, link.line,
                    f"link `{link.href}`: no heading on {page} has the id `{link.anchor}`{index.did_you_mean(link.anchor)}",
                    "link to an existing heading; ids are the heading text in lower case, punctuation dropped, spaces as hyphens")
