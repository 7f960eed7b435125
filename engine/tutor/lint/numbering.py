"""Rule family 3: sections and step numbers.

Parallel tracks: two tutorials of a section may share a stepNumber when neither
depends on the other (a reader can do them in either order). That is reported as
`info` so the author sees it; if one depends on the other it is an error. A section's
step count is the number of distinct step numbers, so parallel tracks count once.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Tutorial
from .context import LintContext
from .registry import rule

FIX_HINT = "run `tutor lint --fix` to renumber the section"


def check(ctx: LintContext) -> Iterator[Diagnostic]:
    yield from _sections(ctx)
    by_section: dict[str, list[Tutorial]] = {}
    for t in ctx.tutorials:
        if t.section:
            by_section.setdefault(t.section, []).append(t)
    for section, tutorials in by_section.items():
        yield from _section_numbers(ctx, section, tutorials)


def _sections(ctx: LintContext) -> Iterator[Diagnostic]:
    known = set(ctx.set.section_names())
    used = {t.section for t in ctx.tutorials}
    for t in ctx.tutorials:
        if t.section and t.section not in known:
            where = {"file": f"the sections file {ctx.set.sections_path}", "option": "--sections"}.get(ctx.set.sections_source, "the sections")
            yield rule("sections/unknown").at(
                t.rel_path, t.line_of("section"), f"section {t.section!r} is not listed in {where}",
                f"add {t.section!r} to {where} at its place in the reading order, or fix the section name")
    if ctx.set.sections_source == "file":
        for section in ctx.set.sections:
            if section.name not in used:
                yield rule("sections/empty").at(
                    ctx.set.sections_path, section.line, f"section {section.name!r} has no tutorials",
                    "remove it from the sections file, or add tutorials to it")


def _section_numbers(ctx: LintContext, section: str, tutorials: list[Tutorial]) -> Iterator[Diagnostic]:
    numbered: list[Tutorial] = []
    for t in tutorials:
        if t.is_appendix:
            if t.step_number is not None:
                yield rule("numbering/appendix").at(
                    t.rel_path, t.line_of("stepNumber"), f"appendix `{t.slug}` has stepNumber {t.step_number}",
                    "set `stepNumber: null` for an appendix, or remove `isAppendix: true` to make it a numbered step")
        elif t.step_number is None and _number_is_absent(t):
            yield rule("numbering/missing").at(
                t.rel_path, t.line_of("stepNumber") if "stepNumber" in t.meta else t.line_of("section"),
                f"`{t.slug}` has no stepNumber but is not an appendix",
                f"add `stepNumber:` (its place in {section!r}) or set `isAppendix: true`; {FIX_HINT}")
        elif t.step_number is not None:
            numbered.append(t)
    numbers = sorted({t.step_number for t in numbered if t.step_number is not None})
    if numbers and numbers[0] != 1:
        first = min(numbered, key=lambda t: t.step_number or 0)
        yield rule("numbering/start").at(
            first.rel_path, first.line_of("stepNumber"), f"section {section!r} starts at step {numbers[0]}, not 1", FIX_HINT)
    expected = set(range(1, (numbers[-1] if numbers else 0) + 1))
    missing = sorted(expected - set(numbers) - ({*range(1, numbers[0])} if numbers else set()))
    if missing:
        after = min((t for t in numbered if (t.step_number or 0) > missing[0]), key=lambda t: t.step_number or 0)
        yield rule("numbering/gap").at(
            after.rel_path, after.line_of("stepNumber"),
            f"section {section!r} has no step {', '.join(map(str, missing))} (steps are {', '.join(map(str, numbers))})", FIX_HINT)
    shared = list(_shared_numbers(ctx, section, numbered))
    yield from shared
    if missing or (numbers and numbers[0] != 1) or any(d.rule == "numbering/duplicate" for d in shared):
        # One defect, one diagnostic: with the numbering itself wrong, the section's step count
        # is not known, and every file's totalSteps would be reported against a wrong count.
        return
    count = ctx.graph.step_count(section)
    for t in tutorials:
        if t.total_steps is None:
            if not t.is_appendix:
                yield rule("numbering/total").at(
                    t.rel_path, t.line_of("totalSteps") if "totalSteps" in t.meta else t.line_of("section"),
                    f"`{t.slug}` has no totalSteps; section {section!r} has {count} step(s)",
                    f"add `totalSteps: {count}`; {FIX_HINT}")
        elif t.total_steps != count:
            yield rule("numbering/total").at(
                t.rel_path, t.line_of("totalSteps"),
                f"totalSteps is {t.total_steps}, but section {section!r} has {count} step(s)",
                f"set `totalSteps: {count}`; {FIX_HINT}")


def _number_is_absent(t: Tutorial) -> bool:
    # A stepNumber of the wrong type is reported by frontmatter/type, not again here.
    return "stepNumber" not in t.meta or t.meta["stepNumber"] is None


def _shared_numbers(ctx: LintContext, section: str, numbered: list[Tutorial]) -> Iterator[Diagnostic]:
    by_number: dict[int, list[Tutorial]] = {}
    for t in numbered:
        by_number.setdefault(t.step_number or 0, []).append(t)
    for number, group in sorted(by_number.items()):
        if len(group) < 2:
            continue
        group = sorted(group, key=lambda t: ctx.graph.position[t.slug])
        related = [(a, b) for i, a in enumerate(group) for b in group[i + 1:]
                   if ctx.graph.depends_on(a.slug, b.slug) or ctx.graph.depends_on(b.slug, a.slug)]
        later = group[-1]
        quoted = [f"`{g.slug}`" for g in group]
        names = " and ".join(quoted) if len(quoted) == 2 else ", ".join(quoted[:-1]) + f" and {quoted[-1]}"
        if related:
            a, b = related[0]
            first, then = (a, b) if ctx.graph.depends_on(b.slug, a.slug) else (b, a)
            why = "one depends on the other" if len(group) == 2 else f"`{then.slug}` depends on `{first.slug}`"
            yield rule("numbering/duplicate").at(
                later.rel_path, later.line_of("stepNumber"),
                f"{names} are {'both' if len(group) == 2 else 'all'} step {number} of {section!r}, but {why}",
                FIX_HINT)
        else:
            yield rule("numbering/parallel").at(
                later.rel_path, later.line_of("stepNumber"),
                f"{names} share step {number} of {section!r} (parallel tracks: either can come first)",
                "nothing to do if a reader may follow them in either order")
