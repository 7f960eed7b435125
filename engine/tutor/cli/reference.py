"""The CLI's own help as Markdown: the docs site's CLI reference page (`<!-- tutor:cli -->`).

The site plugin supplies this to the engine's page builder, so `tutor.site` never imports the CLI.
"""

from __future__ import annotations

import click

from .main import COMMANDS, cli

WIDTH = 100


def cli_reference(page: object = None) -> str:
    """`tutor --help` and each subcommand's `--help`, in the order of `tutor --help`."""
    root = click.Context(cli, info_name="tutor", terminal_width=WIDTH, max_content_width=WIDTH)
    parts = ["## tutor\n", _text_block(cli.get_help(root))]
    for name in COMMANDS:
        command = cli.get_command(root, name)
        if command is None:
            continue
        context = click.Context(command, info_name=name, parent=root, terminal_width=WIDTH, max_content_width=WIDTH)
        parts.append(f"## tutor {name}\n")
        parts.append(_text_block(command.get_help(context)))
    return "\n".join(parts)


def _text_block(text: str) -> str:
    return f"```text\n{text.rstrip()}\n```\n"
