"""Reference tables the authoring guide and the CLI page take from the engine itself.

A docs page holds a placeholder such as `<!-- tutor:rules -->` on a line of its own; the
site replaces it with the table built from the engine's own lists, so the guide cannot
drift from what the lint, the parser and the CLI actually do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import TutorError
from .markup import cell, code, link, table, text

if TYPE_CHECKING:
    from ..graph import TutorialGraph

_PLACEHOLDER = re.compile(r"^[ \t]*<!--\s*tutor:([\w-]+)\s*-->[ \t]*$", re.MULTILINE)

@dataclass(frozen=True)
class PageContext:
    """What a placeholder may need about the page it is on and the tutorial set."""

    path: str = ""
    """The page's file, for error messages."""
    graph: TutorialGraph | None = None
    tutorials_folder: str = "tutorial/"
    """Where the tutorial pages are, relative to this page's folder."""
    supplied: Mapping[str, Callable[[PageContext], str]] = field(default_factory=dict)
    """Placeholders the caller builds, e.g. `cli` (the plugin passes the CLI's own help): the engine
    does not import the CLI."""


def frontmatter_table(page: PageContext) -> str:
    from ..schema import FIELDS

    rows = [
        [code(spec.key), spec.kind, "yes" if spec.required else "no", cell(spec.summary)]
        for spec in FIELDS.values()
    ]
    return table(("Key", "Type", "Required", "Notes"), rows)


def attributes_table(page: PageContext) -> str:
    from ..attributes import FenceOption

    return table(("Attribute", "Meaning"), [[code(option.value), cell(option.__doc__ or "")] for option in FenceOption])


def rules_table(page: PageContext) -> str:
    from ..lint.registry import RULES

    rows = [[code(rule.id), rule.severity.value, cell(rule.summary)] for rule in RULES.values()]
    return table(("Rule", "Severity", "What it checks"), rows)


def probes_table(page: PageContext) -> str:
    from ..probes import COMMON_FIELDS, PROBE_TYPES, describe, parse_probe

    rows = []
    for entry in PROBE_TYPES.values():
        fields = [name for name in entry.allowed if name not in COMMON_FIELDS]
        example = dict(entry.example)
        rows.append([code(entry.name), ", ".join(code(f) for f in fields) or "—", cell(code(_flow_yaml(example))),
                     cell(describe(parse_probe(example)))])
    common = ", ".join(code(name) for name in COMMON_FIELDS)
    return table(("Type", "Fields", "Example", "Reads on the site as"), rows) + f"\nEvery probe also takes {common}.\n"


def sections_overview(page: PageContext) -> str:
    """Each section, what it covers and the tutorial it starts with, in reading order."""
    graph = page.graph
    if graph is None:
        return ""
    described = {s.name: s.description for s in graph.set.sections}
    rows = []
    for name in graph.sections_in_order():
        members = graph.in_section(name)
        if not members:
            continue
        first = members[0]
        count = f"{len(members)} tutorial{'s' if len(members) != 1 else ''}"
        rows.append([text(name), text(described.get(name, "")) or "—", count,
                     link(first.title or first.slug, first.slug, folder=page.tutorials_folder)])
    return table(("Section", "What it covers", "Size", "Starts with"), rows)


PLACEHOLDERS: dict[str, Callable[[PageContext], str]] = {
    "sections": sections_overview,
    "frontmatter": frontmatter_table,
    "attributes": attributes_table,
    "rules": rules_table,
    "probes": probes_table,
}
"""What the engine builds itself; the caller may supply more (`PageContext.supplied`)."""


def expand_placeholders(markdown: str, page: PageContext | None = None) -> str:
    """Replace every `<!-- tutor:NAME -->` line; an unknown NAME is a TutorError at its line."""
    context = page or PageContext()

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        build = context.supplied.get(name) or PLACEHOLDERS.get(name)
        if build is None:
            line = markdown.count("\n", 0, match.start()) + 1
            known = [*PLACEHOLDERS, *(n for n in context.supplied if n not in PLACEHOLDERS)]
            raise TutorError(f"unknown placeholder `<!-- tutor:{name} -->`",
                             f"use one of: {', '.join(known)}", path=context.path, line=line)
        return build(context).rstrip("\n")

    return _PLACEHOLDER.sub(replace, markdown)


def _flow_yaml(value: dict[str, Any]) -> str:
    text: str = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=1000)
    return text.strip()


