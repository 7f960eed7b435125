"""The `tutor` command. Subcommands are imported only when they run, so `tutor --help` stays fast."""

from __future__ import annotations

import importlib
import sys

import click

from .. import __version__

# name → (module, attribute); the order here is the order of `tutor --help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("tutor.cli.lint_cmd", "lint"),
    "order": ("tutor.cli.order_cmd", "order"),
    "graph": ("tutor.cli.graph_cmd", "graph"),
}

EPILOG = """\b
Exit codes:
  0  success
  1  lint found errors (or warnings with --strict); a run step failed
  2  usage error or an invalid tutorial set
"""


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module = importlib.import_module(target[0])
        return getattr(module, target[1])


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="tutor")
def cli() -> None:
    """Markdown tutorials as a validated graph: lint them, list their order, run them on a host.

    Tutorials are the *.md files of a folder (default: ./tutorials), each with YAML
    frontmatter: title, description, section, stepNumber, totalSteps, prerequisites, …
    The order of sections comes from sections.yml in that folder.
    """


def main() -> None:
    try:
        cli.main(prog_name="tutor")
    except KeyboardInterrupt:
        sys.exit(130)
