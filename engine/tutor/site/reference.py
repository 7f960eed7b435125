"""Reference tables the authoring guide and the CLI page take from the engine itself.

A docs page holds a placeholder such as `<!-- tutor:rules -->` on a line of its own; the
site replaces it with the table built from the engine's own lists, so the guide cannot
drift from what the lint, the parser and the CLI actually do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import TutorError
from .markup import cell, code, link, table, text

if TYPE_CHECKING:
    from ..graph import TutorialGraph

_PLACEHOLDER = re.compile(r"^[ \t]*<!--\s*tutor:([\w-]+)\s*-->[ \t]*$", re.MULTILINE)

PROBE_EXAMPLES: tuple[dict[str, Any], ...] = (
    {"file": "/etc/dstack/vmm.toml", "contains": ["[cvm]"]},
    {"dir": "/var/lib/dstack/images"},
    {"command": "cargo --version", "stdout": "^cargo 1\\."},
    {"http": "http://127.0.0.1:9080/", "status": 200},
    {"port": 9080},
    {"service": "dstack-vmm", "active": True, "enabled": True},
    {"process": "dstack-vmm"},
    {"disk": "/var/lib", "free": "10GB"},
    {"env": "CF_API_TOKEN"},
    {"log": "/var/log/dstack-vmm.log", "contains": "listening", "within": "30s"},
)
"""One example per probe type; each is parsed and described when the guide is built."""


@dataclass(frozen=True)
class PageContext:
    """What a placeholder may need about the page it is on and the tutorial set."""

    path: str = ""
    """The page's file, for error messages."""
    graph: TutorialGraph | None = None
    tutorials_folder: str = "tutorial/"
    """Where the tutorial pages are, relative to this page's folder."""


def frontmatter_table(page: PageContext) -> str:
    from ..schema import FIELDS

    rows = [
        [code(spec.key), spec.kind, "yes" if spec.required else "no", cell(spec.summary)]
        for spec in FIELDS.values()
    ]
    return table(("Key", "Type", "Required", "Notes"), rows)


def attributes_table(page: PageContext) -> str:
    from ..attributes import KNOWN_ATTRIBUTES

    return table(("Attribute", "Meaning"), [[code(name), cell(text)] for name, text in KNOWN_ATTRIBUTES.items()])


def rules_table(page: PageContext) -> str:
    from ..lint.registry import RULES

    rows = [[code(rule.id), rule.severity.value, cell(rule.summary)] for rule in RULES.values()]
    return table(("Rule", "Severity", "What it checks"), rows)


def probes_table(page: PageContext) -> str:
    from ..probes import PROBE_TYPES, allowed_fields, describe, parse_probe
    from ..probes.spec import COMMON_FIELDS

    examples = {next(iter(example)): example for example in PROBE_EXAMPLES}
    rows = []
    for kind in PROBE_TYPES:
        fields = [name for name in allowed_fields(kind) if name not in COMMON_FIELDS]
        example = examples.get(kind)
        shown = code(_flow_yaml(example)) if example else "—"
        sentence = describe(parse_probe(example)) if example else "—"
        rows.append([code(kind), ", ".join(code(f) for f in fields) or "—", cell(shown), cell(sentence)])
    common = ", ".join(code(name) for name in COMMON_FIELDS)
    return table(("Type", "Fields", "Example", "Reads on the site as"), rows) + f"\nEvery probe also takes {common}.\n"


def cli_reference(page: PageContext) -> str:
    """`tutor --help` and each subcommand's `--help`, in the order of `tutor --help`."""
    import click

    from ..cli.main import COMMANDS, cli

    root = click.Context(cli, info_name="tutor", terminal_width=100, max_content_width=100)
    parts = ["## tutor\n", _text_block(cli.get_help(root))]
    for name in COMMANDS:
        command = cli.get_command(root, name)
        if command is None:
            continue
        context = click.Context(command, info_name=name, parent=root, terminal_width=100, max_content_width=100)
        parts.append(f"## tutor {name}\n")
        parts.append(_text_block(command.get_help(context)))
    return "\n".join(parts)


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
    "cli": cli_reference,
}


def expand_placeholders(markdown: str, page: PageContext | None = None) -> str:
    """Replace every `<!-- tutor:NAME -->` line; an unknown NAME is a TutorError at its line."""
    context = page or PageContext()

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        build = PLACEHOLDERS.get(name)
        if build is None:
            line = markdown.count("\n", 0, match.start()) + 1
            raise TutorError(f"unknown placeholder `<!-- tutor:{name} -->`",
                             f"use one of: {', '.join(PLACEHOLDERS)}", path=context.path, line=line)
        return build(context).rstrip("\n")

    return _PLACEHOLDER.sub(replace, markdown)


def _flow_yaml(value: dict[str, Any]) -> str:
    text: str = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=1000)
    return text.strip()


def _text_block(text: str) -> str:
    return f"```text\n{text.rstrip()}\n```\n"
