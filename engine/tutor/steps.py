"""Steps from headings: Step N, sub-steps N.M, alternative paths, and implicit steps.

The parser collects headings and blocks (each block knows the heading above it); this module
decides which step owns each block. The rules (documented in the authoring guide):

- A heading that reads `Step N: title` (also `Step N.`, `Step N -`, N ≥ 0) opens step N. It owns
  every heading and block below it until a heading of the same or a higher level that is not
  one of its sub-steps.
- `Step N.M: title` is part M of step N: it belongs to the step N above it (or opens step N when
  there is none) and its blocks run in order inside that step.
- Alternative paths: when the numbering starts over (a step numbered at or below the first
  number of the current sequence) under a different heading, each sequence is a path named by
  the id of the heading that holds it (the closest heading above its steps, of a higher level).
- A page with no Step headings: each section (closest heading) that holds a shell block that
  runs becomes an implicit step, in order, numbered from 1. Reference sections (Troubleshooting,
  Next steps, …) never become steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Block, Heading, Step, StepPath, SubStep, Tutorial, is_reference_heading

STEP_HEADING = re.compile(r"^step\s+(\d+)(?:\.(\d+))?\s*(?:[:.)\-\u2013\u2014]\s*(.*))?$", re.IGNORECASE)


@dataclass(slots=True)
class _Owner:
    step: Step
    part: SubStep | None


def step_heading(text: str) -> tuple[int, int | None, str] | None:
    """(N, M or None, title) for a `Step N:` or `Step N.M:` heading text."""
    match = STEP_HEADING.match(text)
    if match is None:
        return None
    minor = match.group(2)
    return int(match.group(1)), int(minor) if minor is not None else None, (match.group(3) or "").strip()


def build_steps(tutorial: Tutorial) -> None:
    """Fill `tutorial.steps` and `tutorial.paths` from its headings and blocks."""
    owners, containers = _owners(tutorial)
    for block in tutorial.blocks:
        owner = owners[block.section] if block.section >= 0 else None
        if owner is not None:
            owner.step.blocks.append(block)
            if owner.part is not None:
                owner.part.blocks.append(block)
    if tutorial.steps:
        tutorial.paths = _paths(tutorial.steps, containers)
    else:
        tutorial.steps = _implicit_steps(tutorial)


def _owners(tutorial: Tutorial) -> tuple[list[_Owner | None], dict[int, Heading | None]]:
    """The step (and sub-step) owning each heading; and for each step (by id) its container heading."""
    owners: list[_Owner | None] = []
    containers: dict[int, Heading | None] = {}
    plain: list[Heading] = []  # open non-step headings, outermost first
    current: Step | None = None
    level = 0
    for heading in tutorial.headings:
        parsed = step_heading(heading.text)
        if parsed is not None and parsed[1] is not None and current is not None and current.number == parsed[0]:
            current.substeps.append(SubStep(parsed[1], parsed[2], heading))
            owners.append(_Owner(current, current.substeps[-1]))
            continue
        if current is not None and heading.level > level and parsed is None:
            owners.append(_Owner(current, current.substeps[-1] if current.substeps else None))
            continue
        current = None
        while plain and plain[-1].level >= heading.level:
            plain.pop()
        if parsed is None:
            plain.append(heading)
            owners.append(None)
            continue
        number, minor, title = parsed
        current = Step(number, "" if minor is not None else title, heading)
        level = heading.level
        tutorial.steps.append(current)
        containers[id(current)] = plain[-1] if plain else None
        if minor is not None:
            current.substeps.append(SubStep(minor, title, heading))
        owners.append(_Owner(current, current.substeps[-1] if current.substeps else None))
    return owners, containers


def _paths(steps: list[Step], containers: dict[int, Heading | None]) -> list[StepPath]:
    groups: list[list[Step]] = [[steps[0]]]
    for step in steps[1:]:
        group = groups[-1]
        if step.number <= group[0].number and containers[id(step)] is not containers[id(group[0])]:
            groups.append([step])
        else:
            group.append(step)
    if len(groups) < 2:
        return []
    paths: list[StepPath] = []
    for group in groups:
        heading = containers[id(group[0])] or group[0].heading
        paths.append(StepPath(heading.anchor, heading.text, heading, group))
    return paths


def _implicit_steps(tutorial: Tutorial) -> list[Step]:
    exempt = _reference_sections(tutorial.headings)
    steps: list[Step] = []
    by_section: dict[int, Step] = {}
    for block in tutorial.blocks:
        if block.section in exempt:
            continue
        step = by_section.get(block.section)
        if step is None:
            if not (block.is_shell and block.options.run):
                continue
            heading = (tutorial.headings[block.section] if block.section >= 0
                       else Heading(0, tutorial.title or tutorial.slug, "", tutorial.body_start))
            step = Step(len(steps) + 1, heading.text, heading, implicit=True)
            by_section[block.section] = step
            steps.append(step)
        step.blocks.append(block)
    return steps


def _reference_sections(headings: list[Heading]) -> set[int]:
    """Indexes of headings inside a reference section (the heading itself or one above it)."""
    exempt: set[int] = set()
    open_reference: int | None = None  # level of the reference heading we are inside
    for index, heading in enumerate(headings):
        if open_reference is not None and heading.level <= open_reference:
            open_reference = None
        if open_reference is None and is_reference_heading(heading.text):
            open_reference = heading.level
        if open_reference is not None:
            exempt.add(index)
    return exempt


def outside_steps(tutorial: Tutorial) -> list[Block]:
    """Shell blocks that would run but lie in no step and no reference section, on a page with steps."""
    if not tutorial.steps or tutorial.implicit_steps:
        return []
    owned = {id(b) for s in tutorial.steps for b in s.blocks}
    candidates = [b for b in tutorial.blocks if b.is_shell and id(b) not in owned and b.options.run]
    if not candidates:
        return []  # most pages: the reference sections need not be found
    exempt = _reference_sections(tutorial.headings)
    return [b for b in candidates if b.section not in exempt]
